#!/usr/bin/env bash
# Regenerates the binary VCF fixtures in test-data/vcf/ from the committed text files.
# Needs bgzip, tabix and bcftools (htslib 1.16 was used). Output is deterministic for a given
# htslib version; run from anywhere: test-data/vcf/make_fixtures.sh
set -euo pipefail
cd "$(dirname "$0")"

for base in kit_grch38.tumor_normal kit_grch37.b37; do
    bgzip -c "$base.vcf" > "$base.vcf.gz"
    tabix -f -p vcf "$base.vcf.gz"
    bcftools view --no-version -Ob -o "$base.bcf" "$base.vcf"
    bcftools index -f "$base.bcf"
done

# bgzip without an index: streamed, not queried
bgzip -c kit_grch38.tumor_normal.vcf > kit_grch38.tumor_normal.noindex.vcf.gz
# plain gzip (not BGZF): htslib reads it, it cannot be indexed
gzip -n -c kit_grch37.b37.vcf > kit_grch37.b37.gzip.vcf.gz
# uncompressed BCF
bcftools view --no-version -Ou -o kit_grch38.tumor_normal.ubcf kit_grch38.tumor_normal.vcf

# A bgzip file cut in the middle of a data block: 4000 records so that there are several BGZF
# blocks, then the last third of the bytes removed.
tmp=$(mktemp)
{
    grep '^#' kit_grch38.tumor_normal.vcf
    awk 'BEGIN { for (i = 1; i <= 4000; ++i)
        printf "chr1\t%d\t.\tG\tA\t.\tPASS\tDP=1000\tGT:AD:AF:DP:F1R2:F2R1:SB\t0/0:500,0:0:500:250,0:250,0:250,250,0,0\t0/1:990,10:0.01:1000:495,5:495,5:490,500,5,5\n", 1000000 + 100 * i }'
    grep -v '^#' kit_grch38.tumor_normal.vcf | grep -v '^chr1'
} | bgzip -c > "$tmp"
size=$(wc -c < "$tmp")
head -c $((size * 2 / 3)) "$tmp" > bad/truncated.vcf.gz
rm -f "$tmp"
