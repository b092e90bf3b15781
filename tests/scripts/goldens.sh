#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Golden outputs of the bundled examples (issue 17, step 1: pin behaviour before the module
# reorganisation). Kind of test: a PIN, not a proof of correctness: the goldens were produced by
# kitrx itself and show only that outputs did not change; correctness is checked by the tests
# that compare with hand computations, samtools and the evidence file.
#
# Compared byte for byte after normalising the kitrx version, the panel/regimen versions do not
# change by themselves. Regenerate (like bcftools' --redo-outputs) after an intended change:
#   KITRX_REDO_GOLDENS=1 ctest -R script.goldens     (or bash tests/scripts/goldens.sh BIN SRC DIR)
# and review the diff of test-data/goldens/ before committing it.
# Usage: goldens.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
kitrx=$(realpath "$1")
src=$(realpath "$2")
scratch=$3
golden="$src/test-data/goldens"
rm -rf "$scratch"
mkdir -p "$scratch/out"
version=$("$kitrx" --version | awk '{print $2}')

# Relative paths from the source folder, so that nothing machine-specific enters the outputs.
cd "$src"
run() { "$kitrx" "$@" 2>>"$scratch/stderr.txt" || fail "kitrx $* exited $? (see $scratch/stderr.txt)"; }

run report test-data/vcf/demo_gist_plasma.vcf --outdir "$scratch/out/report" --prefix demo --no-version --quiet
run report test-data/vcf/demo_gist_plasma.vcf --outdir "$scratch/out/report_calendar" --prefix demo \
    --schedule-model calendar --no-version --quiet
run count --no-version test-data/bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam >"$scratch/out/count.tsv"
run panel show >"$scratch/out/panel_show.txt"
run panel show --format tsv >"$scratch/out/panel_show.tsv"
set +e
"$kitrx" validate -t test-data/validation/small_truth.tsv -o "$scratch/out/validate" \
    test-data/validation/small_observed.tsv >"$scratch/out/validate_stdout.txt" 2>>"$scratch/stderr.txt"
rc=$?
set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "kitrx validate exited $rc"

# The version and the scratch path are the only things allowed to differ between machines.
find "$scratch/out" -type f | while read -r f; do
    sed -i -e "s/kitrx $version/kitrx VERSION/g" -e "s/\"$version\"/\"VERSION\"/g" \
        -e "s/kitrx_version: '$version'/kitrx_version: 'VERSION'/g" -e "s#$scratch/out#OUT#g" "$f"
done

if [ "${KITRX_REDO_GOLDENS:-0}" = 1 ]; then
    rm -rf "$golden"
    mkdir -p "$golden"
    cp -r "$scratch/out/." "$golden/"
    echo "goldens rewritten in $golden: review 'git diff test-data/goldens' before committing"
    exit 0
fi
[ -d "$golden" ] || fail "no goldens in $golden (run with KITRX_REDO_GOLDENS=1 once)"
if ! diff -r "$golden" "$scratch/out" >"$scratch/diff.txt"; then
    head -n 40 "$scratch/diff.txt" >&2
    fail "outputs differ from test-data/goldens (full diff: $scratch/diff.txt); if intended, regenerate with KITRX_REDO_GOLDENS=1"
fi
echo "OK: $(find "$golden" -type f | wc -l) golden files unchanged"
