#!/usr/bin/env bash
# Times `kitrx count` against `samtools mpileup -r` (one run per target exon, the filters kitrx
# uses by default) on a deep synthetic ctDNA BAM written by the deterministic generator.
# Usage: bench/count_vs_mpileup.sh [BUILD_DIR]     (default: build)
# Not a test: prints wall and CPU seconds and peak memory of each tool, 3 runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
data=bench/data
mkdir -p "$data"
cat > "$data/deep_20000x.spec" <<'SPEC'
# ~20,000x fragment depth over the six KIT hotspot exons, 2x150 reads, inserts 150-400 (most
# pairs overlap), 20% PCR duplicates, 0.1% sequencing errors, 1% low-quality bases,
# D816V at 1% and V654A at 0.5%.
seed 2024
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
fragment_depth 20000
duplicates 0.2
errors 0.001
low_quality 0.01
variant 54733155 A T 0.01
variant 54728092 T C 0.005
SPEC
bam=$data/deep_20000x.bam
[ -s "$bam" ] || "$build/tests/bamgen" --spec "$data/deep_20000x.spec" --out "$bam"
"$build/kitrx" count --no-version "$bam" | awk -F'\t' '!/^#/ {
    if ($2 != prev + 1) { if (start) print chrom ":" start "-" prev; start = $2 } chrom = $1; prev = $2 }
    END { print chrom ":" start "-" prev }' > "$data/targets.regions"
mpileup() {
    while read -r r; do
        samtools mpileup -B -Q 20 -q 20 -d 0 -A --ff UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY -r "$r" "$bam" 2>/dev/null
    done < "$data/targets.regions" > /dev/null
}
export -f mpileup; export bam data
for i in 1 2 3; do
    /usr/bin/time -f "kitrx count:            wall %e s  cpu %U+%S s  peak %M KB" "$build/kitrx" count --no-version -o /dev/null "$bam"
    /usr/bin/time -f "samtools mpileup -r x6: wall %e s  cpu %U+%S s  peak %M KB" bash -c mpileup
done
