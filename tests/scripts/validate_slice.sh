#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CI slice of the co-culture reference set (issue 8): MIX_A at tumour fractions 20% and 1%, two
# replicates each, plus one wild-type run, 800x fragments. Specs and truth come from the committed
# design (tests/tools/coculture_specs.sh), BAMs from tests/tools/bamgen (fixed seeds), then
# `kitrx validate` scores the BAMs with the shipped acceptance criteria.
# Usage (ctest): validate_slice.sh KITRX SOURCE_DIR WORK_DIR. Exit 77 = skipped (no bamgen).
set -euo pipefail
kitrx=$1
src=$2
work=$3
bamgen=${KITRX_BAMGEN:-$(dirname "$kitrx")/tests/bamgen}
if [[ ! -x $bamgen ]]; then
    echo "skip: the BAM generator is not built ($bamgen)"
    exit 77
fi
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
rm -rf "$work"
mkdir -p "$work/bams"

# 1. The committed truth is what the design generates.
bash "$src/tests/tools/coculture_specs.sh" slice "$work/set"
diff "$src/test-data/validation/coculture/truth_slice.tsv" "$work/set/truth.tsv" ||
    fail "test-data/validation/coculture/truth_slice.tsv is out of date: regenerate with tests/tools/coculture_specs.sh slice"

# 2. Reads.
while read -r run; do
    "$bamgen" --spec "$work/set/specs/$run.spec" --out "$work/bams/$run.bam" 2>>"$work/bamgen.log"
done <"$work/set/runs.txt"

# 3. Validate: the shipped acceptance criteria are met (exit 0).
set +e
"$kitrx" validate --truth "$work/set/truth.tsv" -o "$work/out" "$work"/bams/*.bam >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
cat "$work/stdout"
[[ $rc -eq 0 ]] || { cat "$work/stderr" >&2; fail "kitrx validate exited $rc (expected 0 = acceptance met)"; }

summary=$work/out/validation_summary.tsv
value() {  # section scope level metric
    awk -F '\t' -v s="$1" -v c="$2" -v l="$3" -v m="$4" '$1 == s && $2 == c && $3 == l && $4 == m { print $5; found = 1 }
        END { if (!found) print "missing" }' "$summary"
}
check() {  # description awk-condition value
    awk -v v="$3" "BEGIN { exit !($2) }" || fail "$1 (value $3)"
}
# 4. What the design guarantees at 800x: every variant of the 20% runs (expected VAF 1-7%, 8-56
# expected reads) is found; nothing is called in the wild-type run or anywhere else; the 1% runs
# (expected VAF 0.05-0.35%, 0.4-2.8 reads) are below what 800x can call.
check "sensitivity at level 20% is 1" 'v == 1' "$(value level all 0.2 sensitivity)"
check "18 true positives at level 20%" 'v == 18' "$(value level all 0.2 true_positives)"
check "no false positive" 'v == 0' "$(value overall all NA false_positives)"
check "no call in the wild-type run" 'v == 0' "$(value sample WT_r1 0 false_positives)"
check "level 1% is not detected at 800x" 'v <= 0.25' "$(value level all 0.01 sensitivity)"
check "empirical LoD is the 20% level" 'v == 0.2' "$(value lod all NA lod_level)"
check "concordance (Lin) of observed vs expected VAF >= 0.8" 'v >= 0.8' "$(value overall all NA ccc)"
check "OLS slope within 0.7-1.3" 'v >= 0.7 && v <= 1.3' "$(value overall all NA slope)"
check "mean relative VAF bias within 25%" 'v >= -0.25 && v <= 0.25' "$(value overall all NA mean_relative_bias)"
[[ $(grep -c $'\tTP\t' "$work/out/validation.tsv") -eq 18 ]] || fail "validation.tsv: expected 18 TP rows"
[[ $(grep -c $'\tFN\t' "$work/out/validation.tsv") -eq 18 ]] || fail "validation.tsv: expected 18 FN rows"
grep -q "# id: 'kitrx_validation'" "$work/out/validation_mqc.tsv" || fail "MultiQC header missing"
grep -q 'id="research-use"' "$work/out/validation.html" || fail "research-use notice missing from validation.html"

# 5. Deterministic: the same BAMs give byte-identical tables.
"$kitrx" validate --truth "$work/set/truth.tsv" -o "$work/out2" "$work"/bams/*.bam >/dev/null 2>&1
cmp "$work/out/validation.tsv" "$work/out2/validation.tsv" || fail "validation.tsv differs between two runs"
cmp "$work/out/validation_summary.tsv" "$work/out2/validation_summary.tsv" || fail "summary differs between two runs"

# 6. MultiQC picks up the _mqc file (when MultiQC is installed).
if command -v multiqc >/dev/null 2>&1; then
    if timeout 300 multiqc --quiet --no-data-dir -f -o "$work/multiqc" "$work/out" >"$work/multiqc.log" 2>&1; then
        grep -q "kitrx_validation" "$work/multiqc/multiqc_report.html" || fail "MultiQC report has no kitrx validation section"
    else
        cat "$work/multiqc.log" >&2
        fail "multiqc failed on validation_mqc.tsv"
    fi
fi
echo "validate_slice: ok"
