#!/usr/bin/env bash
# kitrx side-by-side benchmark (issue 9): kitrx against the decompression floor, bcftools and
# samtools on the same generated inputs, in one run, medians over repetitions, printed as ratios.
#
#   bench/run_bench.sh [--records N] [--runs R] [--skip-bam] [--skip-vcf]
#
# Inputs are generated deterministically into bench/data/ (never committed): a WGS-scale Mutect2-like
# VCF (bench/gen_vcf.py) as plain, bgzip+tabix and BCF+csi, and a deep KIT target BAM
# (bench/gen_bam.sh, using the test BAM generator). Results: bench/results/<date>.md and stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
records=5000000
runs=5
skip_bam=0
skip_vcf=0
while [ $# -gt 0 ]; do
    case "$1" in
        --records) records=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --skip-bam) skip_bam=1; shift ;;
        --skip-vcf) skip_vcf=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
for tool in hyperfine bgzip tabix bcftools samtools python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hyperfine tabix bcftools samtools time)" >&2; exit 2; }
done

build="$root/build-release"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKITRX_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target kitrx >/dev/null
kitrx="$build/kitrx"
data="$here/data"
results="$here/results"
mkdir -p "$data" "$results"
out="$results/$(date +%Y-%m-%d).md"
{
    echo "# kitrx benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB;"
    echo "kitrx $($kitrx --version | cut -d' ' -f2), $(bcftools --version | head -1), $(samtools --version | head -1), hyperfine $(hyperfine --version | cut -d' ' -f2); $runs runs each, median wall time."
    echo
} > "$out"

median() {  # hyperfine JSON -> median seconds of command $2
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('%.4f' % d['results'][int(sys.argv[2])]['median'])" "$1" "$2"
}
peak_kb() {  # peak RSS in kB of a command
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}'
}

"$kitrx" targets --build GRCh38 > "$data/kit_targets.GRCh38.bed"

if [ "$skip_vcf" -eq 0 ]; then
    vcf="$data/wgs_${records}.vcf"
    if [ ! -s "$vcf.gz.tbi" ]; then
        python3 "$here/gen_vcf.py" --records "$records" --out "$vcf"
        bgzip -@ 2 -f -k "$vcf"
        tabix -f -p vcf "$vcf.gz"
        bcftools view --no-version -Ob -o "${vcf%.vcf}.bcf" "$vcf.gz"
        bcftools index -f "${vcf%.vcf}.bcf"
    fi
    # Streaming runs read a symlink without an index next to it.
    ln -sf "$(basename "$vcf.gz")" "$data/wgs_${records}.noindex.vcf.gz"
    ln -sf "$(basename "${vcf%.vcf}.bcf")" "$data/wgs_${records}.noindex.bcf"
    bed="$data/kit_targets.GRCh38.bed"
    json="$results/vcf.json"
    hyperfine --style basic --runs "$runs" --warmup 1 --export-json "$json" \
        -n "bgzip -dc (floor)" "bgzip -dc $vcf.gz > /dev/null" \
        -n "bcftools view -H -T targets (stream)" "bcftools view -H -T $bed $vcf.gz > /dev/null" \
        -n "kitrx annotate (stream)" "$kitrx annotate --no-version $data/wgs_${records}.noindex.vcf.gz > /dev/null" \
        -n "kitrx annotate -@2 (stream)" "$kitrx annotate --no-version -@ 2 $data/wgs_${records}.noindex.vcf.gz > /dev/null" \
        -n "bcftools view -H -R targets (index)" "bcftools view -H -R $bed $vcf.gz > /dev/null" \
        -n "kitrx annotate (index)" "$kitrx annotate --no-version $vcf.gz > /dev/null" \
        -n "bcftools view -H -T targets BCF (stream)" "bcftools view -H -T $bed ${vcf%.vcf}.bcf > /dev/null" \
        -n "kitrx annotate BCF (stream)" "$kitrx annotate --no-version $data/wgs_${records}.noindex.bcf > /dev/null" \
        > "$results/vcf.hyperfine.txt"
    floor=$(median "$json" 0); bstream=$(median "$json" 1); kstream=$(median "$json" 2); kstream2=$(median "$json" 3)
    bidx=$(median "$json" 4); kidx=$(median "$json" 5); bbcf=$(median "$json" 6); kbcf=$(median "$json" 7)
    # Peak memory as the input grows 4x: a quarter-size file against the full one.
    quarter="$data/wgs_quarter.vcf.gz"
    [ -s "$quarter" ] || python3 "$here/gen_vcf.py" --records $((records / 4)) --out "${quarter%.gz}" 2>/dev/null && bgzip -f "${quarter%.gz}" 2>/dev/null || true
    mem_q=$(peak_kb "$kitrx" annotate --no-version "$quarter")
    mem_f=$(peak_kb "$kitrx" annotate --no-version "$data/wgs_${records}.noindex.vcf.gz")
    ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
    {
        echo "## VCF: $records records (GRCh38 Mutect2-like tumour/normal, 50 in KIT targets), $(du -h "$vcf.gz" | cut -f1) bgzip"
        echo
        echo "| command | median s | ratio |"
        echo "|---|---|---|"
        echo "| \`bgzip -dc\` (decompression floor) | $floor | 1.00 x floor |"
        echo "| \`bcftools view -H -T targets\` (streaming) | $bstream | $(ratio "$bstream" "$floor") x floor |"
        echo "| \`kitrx annotate\` (streaming) | $kstream | $(ratio "$kstream" "$floor") x floor; bcftools/kitrx = $(ratio "$bstream" "$kstream") |"
        echo "| \`kitrx annotate -@ 2\` (streaming) | $kstream2 | $(ratio "$kstream2" "$floor") x floor; bcftools/kitrx = $(ratio "$bstream" "$kstream2") |"
        echo "| \`bcftools view -H -R targets\` (tabix index) | $bidx | |"
        echo "| \`kitrx annotate\` (tabix index) | $kidx | bcftools/kitrx = $(ratio "$bidx" "$kidx") |"
        echo "| \`bcftools view -H -T targets\` BCF (streaming) | $bbcf | |"
        echo "| \`kitrx annotate\` BCF (streaming) | $kbcf | bcftools/kitrx = $(ratio "$bbcf" "$kbcf") |"
        echo
        echo "Peak RSS of \`kitrx annotate\` (streaming): $((mem_q / 1024)) MiB at $((records / 4)) records, $((mem_f / 1024)) MiB at $records records (4x input)."
        echo
    } >> "$out"
fi

if [ "$skip_bam" -eq 0 ] && [ -x "$here/gen_bam.sh" ]; then
    "$here/gen_bam.sh" "$data" "$build" "$runs" >> "$out"
fi

cat "$out"
echo "bench: results written to $out" >&2
