#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In silico twin of the seed's co-culture through the user-facing command: the three mixtures of
# the reference set at tumour fraction 50% (3000x, fixed seeds) go through `kitrx report`, and the
# clone fractions of clones.tsv must match the design (test-data/validation/coculture/
# clones_expected.tsv, hand-derived from the design: cell shares x allele state) within 30% relative
# error - VAF for every clone, clone fraction where the design defines one (clones of the reference
# lineage) - with the design's role (K642E primary, by --primary), every line's marker found, no
# other clone, and multiple_primaries raised (the mixtures hold several truncal drivers). (The same check against the reads themselves, to 0.01, is tests/unit/coculture_clones_test.cpp.)
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
expected=$src/test-data/validation/coculture/clones_expected.tsv
while read -r run; do
    "$bamgen" --spec "$work/set/specs/$run.spec" --out "$work/bams/$run.bam" 2>>"$work/bamgen.log"
done <"$work/set/runs.txt"
"$kitrx" report -d "$work/report" -p coculture --no-trajectories --primary KIT:K642E "$work"/bams/*.bam >"$work/stdout" 2>"$work/stderr" ||
    { cat "$work/stderr" >&2; fail "kitrx report failed"; }
clones=$work/report/coculture.clones.tsv
[[ -s $clones ]] || fail "no $clones"

# Join observed clones (detected) with the design; print one line per clone and fail on any miss.
awk -F '\t' '
    function check(what, got, want) {
        rel = (got - want) / want
        printf "  %s design %.4f observed %.4f relative error %+.2f\n", what, want, got, rel
        if (rel > 0.30 || rel < -0.30) { print "  outside the stated 30%"; bad = 1 }
    }
    FNR == 1 { file++ }
    /^#/ { next }
    file == 1 && $1 != "sample" { k = $1 SUBSEP $4; want_role[k] = $5; want_vaf[k] = $9; want_f[k] = $10; n_want++ }
    file == 2 && $1 == "sample" { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 2 && $col["status"] == "detected" {
        key = $col["sample"] SUBSEP $col["clone"]
        if (!(key in want_role)) { printf "unexpected clone %s in %s\n", $col["clone"], $col["sample"]; bad = 1; next }
        got[key] = 1
        printf "%-18s %-18s %s\n", $col["sample"], $col["clone"], $col["role"]
        if ($col["role"] != want_role[key]) { printf "  role %s, design %s\n", $col["role"], want_role[key]; bad = 1 }
        if ($col["sample_warnings"] !~ /multiple_primaries/) { print "  multiple_primaries not raised"; bad = 1 }
        check("vaf", $col["vaf"], want_vaf[key])
        if (want_f[key] != "NA") check("clone fraction", $col["clone_fraction"], want_f[key])
    }
    END {
        for (k in want_role) if (!(k in got)) { split(k, p, SUBSEP); printf "missing clone %s in %s\n", p[2], p[1]; bad = 1 }
        exit bad
    }' "$expected" "$clones" || fail "clone composition not recovered within the stated error"
echo "validate_clone_report: ok"
