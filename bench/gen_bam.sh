#!/usr/bin/env bash
# BAM part of bench/run_bench.sh: a deep KIT target BAM (2x150, ~20,000x fragments over the six
# hotspot exons, 20% duplicates, mostly overlapping mates, D816V 1% and V654A 0.5%, reads drawn from
# the shipped GRCh38 sequence) from the deterministic generator, then kitrx against samtools on the
# same reads with the same filters. Prints a Markdown section on stdout.
# Usage: bench/gen_bam.sh DATA_DIR BUILD_DIR [RUNS]
set -euo pipefail
data=$1
build=$2
runs=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
cmake --build "$build" -j "$(nproc)" --target bamgen >/dev/null
spec() {  # spec DEPTH SEED
    cat <<SPEC
seed $2
build GRCh38
sample DEEP
read_length 150
insert 150 400
region KIT:9
region KIT:11
region KIT:13
region KIT:14
region KIT:17
region KIT:18
fragment_depth $1
duplicates 0.2
errors 0.001
low_quality 0.01
variant 54733155 A T 0.01
variant 54728092 T C 0.005
SPEC
}
for depth in 5000 20000; do
    bam="$data/deep_${depth}x.bam"
    if [ ! -s "$bam.bai" ]; then
        spec "$depth" 2024 > "$data/deep_${depth}x.spec"
        "$build/tests/bamgen" --spec "$data/deep_${depth}x.spec" --out "$bam" >/dev/null
        samtools index "$bam"
    fi
done
bam="$data/deep_20000x.bam"
"$build/kitrx" targets --build GRCh38 > "$data/kit_targets.GRCh38.bed"
regions=$(awk '{printf "%s:%d-%d ", $1, $2 + 1, $3}' "$data/kit_targets.GRCh38.bed")
filters="-B -Q 20 -q 20 -d 0 -A --ff UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY"
mp="for r in $regions; do samtools mpileup $filters -r \$r $bam; done > /dev/null 2>&1"
vc="samtools view -c -q 20 -F 0xF04 $bam $regions > /dev/null"
json="$data/../results/bam.json"
hyperfine --style basic --runs "$runs" --warmup 1 --export-json "$json" \
    -n "samtools view -c (same regions)" "$vc" \
    -n "samtools mpileup -r (per exon, same filters)" "$mp" \
    -n "kitrx count" "$build/kitrx count --no-version $bam > /dev/null" \
    -n "kitrx annotate (BAM)" "$build/kitrx annotate --no-version $bam > /dev/null" >/dev/null
med() { python3 -c "import json,sys; print('%.4f' % json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['median'])" "$json" "$1"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
view=$(med 0); mpile=$(med 1); count=$(med 2); ann=$(med 3)
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/{gsub(/ /,"",$2); print int($2/1024)}'; }
m5=$(peak "$build/kitrx" annotate --no-version "$data/deep_5000x.bam")
m20=$(peak "$build/kitrx" annotate --no-version "$bam")
records=$(samtools view -c "$bam")
echo "## BAM: $records reads, ~20,000x fragment depth over KIT exons 9/11/13/14/17/18 (bench/gen_bam.sh)"
echo
echo "| command | median s | ratio |"
echo "|---|---|---|"
echo "| \`samtools view -c\` over the same regions | $view | 1.00 |"
echo "| \`samtools mpileup -r\` per exon, same filters | $mpile | $(ratio "$mpile" "$view") x view |"
echo "| \`kitrx count\` | $count | $(ratio "$count" "$view") x view; mpileup/kitrx = $(ratio "$mpile" "$count") |"
echo "| \`kitrx annotate\` (BAM: count, call, name, annotate) | $ann | $(ratio "$ann" "$view") x view; mpileup/kitrx = $(ratio "$mpile" "$ann") |"
echo
echo "Peak RSS of \`kitrx annotate\`: $m5 MiB at 5,000x, $m20 MiB at 20,000x (4x the reads)."
echo
