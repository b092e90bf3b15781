#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In silico twin of the seed's co-culture through the user-facing command: the three mixtures of
# the reference set at tumour fraction 50% (3000x, fixed seeds) go through `kitrx report`, and the
# clone fractions of clones.tsv must match the design (test-data/validation/coculture/
# clones_expected.tsv) within 30% relative error, with every line's marker found and no other
# clone. (The same check against the reads themselves, to 0.01, is tests/unit/coculture_clones_test.cpp.)
# Usage (ctest): validate_clone_report.sh KITRX SOURCE_DIR WORK_DIR. Exit 77 = skipped.
set -euo pipefail
kitrx=$1
src=$2
work=$3
bamgen=${KITRX_BAMGEN:-$(dirname "$kitrx")/tests/bamgen}
[[ -x $bamgen ]] || { echo "skip: the BAM generator is not built ($bamgen)"; exit 77; }
"$kitrx" report --help >/dev/null 2>&1 || { echo "skip: this kitrx has no 'report' command"; exit 77; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
rm -rf "$work"
mkdir -p "$work/bams"
bash "$src/tests/tools/coculture_specs.sh" clones "$work/set"
diff "$src/test-data/validation/coculture/clones_expected.tsv" "$work/set/clones_expected.tsv" ||
    fail "clones_expected.tsv is out of date: regenerate with tests/tools/coculture_specs.sh clones"
while read -r run; do
    "$bamgen" --spec "$work/set/specs/$run.spec" --out "$work/bams/$run.bam" 2>>"$work/bamgen.log"
done <"$work/set/runs.txt"
"$kitrx" report -d "$work/report" -p coculture --no-trajectories "$work"/bams/*.bam >"$work/stdout" 2>"$work/stderr" ||
    { cat "$work/stderr" >&2; fail "kitrx report failed"; }
clones=$work/report/coculture.clones.tsv
[[ -s $clones ]] || fail "no $clones"

# Join observed clones (detected) with the design; print one line per clone and fail on any miss.
awk -F '\t' '
    FNR == 1 { file++ }
    /^#/ { next }
    file == 1 && $1 != "sample" { want[$1 SUBSEP $4] = $6; n_want++ }
    file == 2 && $1 == "sample" { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 2 && $col["status"] == "detected" {
        key = $col["sample"] SUBSEP $col["clone"]
        if (!(key in want)) { printf "unexpected clone %s in %s\n", $col["clone"], $col["sample"]; bad = 1; next }
        got[key] = 1
        f = $col["clone_fraction"]; e = want[key]; rel = (f - e) / e
        printf "%-18s %-18s design %.3f observed %.3f (95%% CI %s-%s) relative error %+.2f\n", $col["sample"], $col["clone"], e, f, $col["ci_low"], $col["ci_high"], rel
        if (rel > 0.30 || rel < -0.30) { print "  outside the stated 30%"; bad = 1 }
    }
    END {
        for (k in want) if (!(k in got)) { split(k, p, SUBSEP); printf "missing clone %s in %s\n", p[2], p[1]; bad = 1 }
        exit bad
    }' "$work/set/clones_expected.tsv" "$clones" || fail "clone composition not recovered within the stated error"
echo "validate_clone_report: ok"
