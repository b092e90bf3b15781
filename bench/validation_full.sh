#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Full co-culture reference-set run (issue 8): MIX_A diluted to tumour fractions 20%, 10%, 5%, 1%,
# 0.5%, 0.25%, 0.1% (4 replicates each), MIX_B and MIX_C at 20% (2 replicates), 4 wild-type runs;
# 4000x fragments per target base. Writes the BAMs (deterministic seeds), runs `kitrx validate`
# with the shipped acceptance criteria and prints the figures quoted in the README.
#
# usage: bench/validation_full.sh [BUILD_DIR] [WORK_DIR]
#   BUILD_DIR  CMake build folder with kitrx and tests/bamgen   [build]
#   WORK_DIR   where specs, BAMs and outputs go (about 60 MB)   [BUILD_DIR/validation-full]
# Takes about 40 s on 2 cores. Exit code: that of kitrx validate (0 pass, 3 fail, 1 error).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
work=${2:-$build/validation-full}
kitrx=$build/kitrx
bamgen=$build/tests/bamgen
for tool in "$kitrx" "$bamgen"; do
    [[ -x $tool ]] || { echo "validation_full.sh: $tool not built (cmake --build $build)" >&2; exit 1; }
done
rm -rf "$work"
mkdir -p "$work/bams"
bash "$src/tests/tools/coculture_specs.sh" full "$work/set"
diff -q "$src/test-data/validation/coculture/truth_full.tsv" "$work/set/truth.tsv" >/dev/null ||
    echo "validation_full.sh: warning: committed truth_full.tsv differs from the design" >&2
start=$(date +%s)
while read -r run; do
    "$bamgen" --spec "$work/set/specs/$run.spec" --out "$work/bams/$run.bam" 2>>"$work/bamgen.log"
done <"$work/set/runs.txt"
echo "generated $(wc -l <"$work/set/runs.txt") BAMs in $(($(date +%s) - start)) s"
start=$(date +%s)
set +e
"$kitrx" validate --truth "$work/set/truth.tsv" -o "$work/out" "$work"/bams/*.bam
rc=$?
set -e
echo "kitrx validate: $(($(date +%s) - start)) s, exit $rc"
[[ $rc -eq 0 || $rc -eq 3 ]] || exit "$rc"

summary=$work/out/validation_summary.tsv
echo
echo "== Sensitivity per tumour fraction (MIX_A 4 replicates, MIX_B/MIX_C 2 at 20%; Wilson 95% CI)"
awk -F '\t' '$1 == "level" && $4 == "sensitivity" && $3 != "0" {
    printf "  level %-7s sensitivity %-8s (%s-%s, n=%s)\n", $3, $5, $6, $7, $8 }' "$summary"
echo "== Sensitivity per expected-VAF bin"
awk -F '\t' '$1 == "vaf_bin" && $4 == "sensitivity" { printf "  VAF %-16s %-8s (%s-%s, n=%s)\n", $2, $5, $6, $7, $8 }' "$summary"
echo "== Precision, false positives"
awk -F '\t' '$1 == "overall" && ($4 == "precision" || $4 == "false_positives") { printf "  %-16s %s\n", $4, $5 }' "$summary"
echo "== Fraction bias (true positives)"
awk -F '\t' '$1 == "overall" && ($4 == "slope" || $4 == "intercept" || $4 == "pearson_r" || $4 == "ccc" ||
    $4 == "mean_relative_bias" || $4 == "median_relative_bias") { printf "  %-22s %s (n=%s)\n", $4, $5, $8 }' "$summary"
echo "== Limit of detection (all variants pooled)"
awk -F '\t' '$1 == "lod" && $2 == "all" { printf "  %-16s %-10s %s-%s  %s\n", $4, $5, $6, $7, $9 }' "$summary"
echo "== Limit of detection per variant (empirical level; probit VAF)"
awk -F '\t' '$1 == "lod" && $2 != "all" && ($4 == "lod_level" || $4 == "lod_vaf_probit") {
    v[$2, $4] = $5; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
    END { for (i = 1; i <= n; i++) printf "  %-22s level %-7s probit VAF %s\n", order[i], v[order[i], "lod_level"], v[order[i], "lod_vaf_probit"] }' "$summary"
echo "== Replicate CV (detected replicates >= 2), median per level"
awk -F '\t' '$1 == "replicate_cv" && $5 != "NA" { cv[$3] = cv[$3] " " $5 }
    END { for (l in cv) { n = split(cv[l], a, " ")
          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
          printf "  level %-7s median CV %s (%d variants)\n", l, (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2), n } }' "$summary" | sort -k2,2g
echo "== Acceptance"
awk -F '\t' '$1 == "acceptance" { printf "  %-24s %s\n", $2, $9 }' "$summary"
echo
echo "outputs: $work/out (validation.html, validation.tsv, validation_summary.tsv, validation.json, validation_mqc.tsv)"
exit "$rc"
