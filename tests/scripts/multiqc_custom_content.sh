#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kitrx's MultiQC custom content: `kitrx report` writes NAME.kitrx_mqc.tsv (general statistics:
# KIT variants, clones, best regimen coverage, depth) and NAME.kitrx_regimens_mqc.tsv; Debian's
# multiqc, scanning a folder as users do, must find them without configuration, parse their YAML
# headers, and show kitrx's sections and numbers (tests/scripts/mqc_check.py).
# Usage: multiqc_custom_content.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR   (exit 77 = tool missing)
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
kitrx=$(realpath "$1") || fail "kitrx binary $1 not found"
src=$(realpath "$2")
scratch=$3
[ -x "$kitrx" ] || fail "kitrx binary $kitrx is not executable"
command -v multiqc >/dev/null || skip "multiqc not installed (Debian: apt-get install multiqc)"
command -v python3 >/dev/null || skip "python3 not installed"
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed (Debian: apt-get install python3-yaml)"

rm -rf "$scratch" && mkdir -p "$scratch/reports" && cd "$scratch"
scratch=$(pwd)  # absolute from here on (PATH entries, symlinks)
for name in demo_gist_plasma demo_gist_plasma_t2; do
    input="$src/test-data/vcf/$name.vcf"
    [ -f "$input" ] || fail "fixture $input missing"
    "$kitrx" report "$input" --outdir reports --prefix "$name" 2>"$name.err" ||
        fail "kitrx report $name exited $?: $(head -3 "$name.err")"
    for suffix in kitrx_mqc.tsv kitrx_regimens_mqc.tsv; do
        [ -s "reports/$name.$suffix" ] || fail "kitrx report did not write reports/$name.$suffix"
    done
done
# One data row per sample: two inputs give two rows over the two general-statistics files.
rows=$(awk '!/^#/ { if (header[FILENAME]++) n++ } END { print n + 0 }' reports/*.kitrx_mqc.tsv)
[ "$rows" -eq 2 ] || fail "expected 2 sample rows in the general-statistics files, found $rows"

# The general-statistics file declares plot_type generalstats (the issue's "general statistics").
grep -Eq '^# *plot_type: *["'\'']?generalstats' reports/demo_gist_plasma.kitrx_mqc.tsv ||
    fail "kitrx_mqc.tsv does not declare plot_type: generalstats"

multiqc --force --no-ansi --outdir mqc reports >multiqc.out 2>&1 || { tail -20 multiqc.out >&2; fail "multiqc exited non-zero"; }
grep -q 'custom_content' multiqc.out || { cat multiqc.out >&2; fail "multiqc found no custom content"; }
python3 "$src/tests/scripts/mqc_check.py" --kitrx-stats mqc reports/*_mqc.tsv ||
    fail "MultiQC report does not show kitrx's custom content as written (details above)"
echo "PASS: multiqc_custom_content ($(ls reports/*_mqc.tsv | wc -l) files, $(grep -c 'Found' multiqc.out) custom-content sections)"
