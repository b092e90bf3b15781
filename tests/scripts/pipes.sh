#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kitrx as a Unix filter inside pipelines (Snakemake and nf-core run shell steps with pipefail):
#  - `kitrx --version` prints `kitrx X.Y.Z` (the CMake project version) on stdout, nothing else;
#  - `bcftools view -r REGION | kitrx annotate - | head -n 3` exits 0 under pipefail: kitrx reads
#    its stdin to the end (bcftools is not killed by SIGPIPE) and ends quietly when head closes
#    its stdout; the same for BCF on stdin;
#  - the output format follows the -o extension (.tsv, .tsv.gz = gzip, .json, .vcf.gz = BGZF VCF
#    with kitrx INFO fields) and -O/--output-type (t, g, j, v, z, b) overrides it.
# Usage: pipes.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR   (exit 77 = skipped: a required tool is missing)
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
kitrx=$(realpath "$1") || fail "kitrx binary $1 not found"
src=$(realpath "$2")
scratch=$3
[ -x "$kitrx" ] || fail "kitrx binary $kitrx is not executable"
for tool in bcftools bgzip tabix python3 gzip; do
    command -v "$tool" >/dev/null || skip "$tool not installed (Debian: apt-get install bcftools tabix python3 gzip)"
done
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch"
scratch=$(pwd)  # absolute from here on (PATH entries, symlinks)

t2="$src/test-data/vcf/demo_gist_plasma_t2.vcf"
[ -f "$t2" ] || fail "fixture $t2 missing"

# --- --version -------------------------------------------------------------------------------
project_version=$(sed -n 's/^project(kitrx VERSION \([0-9][0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$project_version" ] || fail "cannot read the project version from CMakeLists.txt"
"$kitrx" --version >version.out 2>version.err || fail "kitrx --version exited $?"
[ "$(cat version.out)" = "kitrx $project_version" ] ||
    fail "kitrx --version printed '$(cat version.out)' on stdout, expected 'kitrx $project_version'"
[ ! -s version.err ] || fail "kitrx --version wrote to stderr: $(cat version.err)"
# The nf-core module's versions.yml command.
[ "$("$kitrx" --version | sed '1!d; s/^kitrx //')" = "$project_version" ] || fail "nf-core version eval differs"
echo "ok: --version = kitrx $project_version"

# --- a large KIT input: every base substitution at every coding position of the targeted exons --
# Built from the shipped GRCh38 KIT window and exon table, so REF bases are right. Records outside
# KIT (PDGFRA window) let `bcftools view -r` filter something. The annotate output must exceed a
# pipe buffer (64 KiB) for `head` to close it early, which is asserted below.
python3 - "$src/resources/genome" <<'EOF'
import sys
genome = sys.argv[1]
windows, name, seq = {}, None, []
for line in open(f"{genome}/GRCh38.KIT_PDGFRA_loci.fa"):
    if line.startswith(">"):
        if name: windows[name] = "".join(seq)
        name, seq = line[1:].split()[0], []
        start = int(line.split("chr4:")[1].split("-")[0])
        windows.setdefault("starts", {})[name] = start
    else:
        seq.append(line.strip().upper())
windows[name] = "".join(seq)
starts = windows.pop("starts")
def base(locus, pos1):
    return windows[locus][pos1 - starts[locus]]
records = []
for row in open(f"{genome}/KIT.exons.tsv"):
    f = row.rstrip("\n").split("\t")
    if f[0] != "GRCh38" or f[3] not in {"9", "11", "13", "14", "17", "18"}:
        continue
    for pos in range(int(f[14]), int(f[15]) + 1):
        ref = base("KIT_locus", pos)
        for alt in "ACGT":
            if alt != ref:
                records.append((pos, ref, alt))
for pos in range(54230000, 54230000 + 3000, 2):   # PDGFRA window, outside the region asked for
    ref = base("PDGFRA_locus", pos)
    records.append((pos, ref, "A" if ref != "A" else "C"))
records.sort()
with open("big.vcf", "w") as out:
    out.write("##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n"
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSYN\n")
    for pos, ref, alt in records:
        out.write(f"chr4\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\t.\tGT:AD:DP\t0/1:990,10:1000\n")
EOF
bgzip -c big.vcf >big.vcf.gz && tabix -p vcf big.vcf.gz
region=chr4:54657918-54740715   # KIT gene span, GRCh38
kit_records=$(bcftools view -H -r "$region" big.vcf.gz | wc -l)
[ "$kit_records" -gt 1000 ] || fail "fixture has only $kit_records KIT records"
region_bytes=$(bcftools view -r "$region" big.vcf.gz | wc -c)
[ "$region_bytes" -gt 131072 ] || fail "bcftools output of $region_bytes bytes does not exceed two pipe buffers"

"$kitrx" annotate big.vcf --no-version -o full.tsv 2>full.err || fail "kitrx annotate big.vcf exited $?: $(head -3 full.err)"
full_bytes=$(wc -c <full.tsv)
[ "$full_bytes" -gt 131072 ] || fail "annotate output of $full_bytes bytes is too small for the early-close test"
[ "$(grep -vc '^#' full.tsv)" -gt 1000 ] || fail "annotate reported $(grep -vc '^#' full.tsv) lines for $kit_records KIT records"

# --- the pipeline of the issue, under pipefail ------------------------------------------------
set +e
bcftools view -r "$region" big.vcf.gz | "$kitrx" annotate - 2>pipe.err | head -n 3 >head.out
status=("${PIPESTATUS[@]}")
set -e
[ "${status[0]}" -eq 0 ] || fail "bcftools exited ${status[0]} (141 = SIGPIPE: kitrx did not drain stdin)"
[ "${status[1]}" -eq 0 ] || fail "kitrx exited ${status[1]} when head closed its stdout: $(head -3 pipe.err)"
[ "${status[2]}" -eq 0 ] || fail "head exited ${status[2]}"
[ "$(wc -l <head.out)" -eq 3 ] || fail "head received $(wc -l <head.out) lines, expected 3"
if grep -Eiq 'error|broken pipe|epipe' pipe.err; then fail "kitrx did not end quietly: $(head -3 pipe.err)"; fi
case "$(head -n 1 head.out)" in
    '##kitrx_version='* | sample$'\t'*) ;;
    *) fail "the first line through the pipe is not kitrx output: $(head -n 1 head.out)" ;;
esac
echo "ok: bcftools view -r | kitrx annotate - | head -n 3 exits 0 under pipefail"

# Same with a head that stops after one byte, and with uncompressed BCF on stdin.
set +e
bcftools view -Ou -r "$region" big.vcf.gz | "$kitrx" annotate - 2>pipe2.err | head -c 1 >/dev/null
status=("${PIPESTATUS[@]}")
set -e
[ "${status[*]}" = "0 0 0" ] || fail "bcftools -Ou | kitrx annotate - | head -c 1 exit codes ${status[*]}: $(head -3 pipe2.err)"
if grep -Eiq 'error|broken pipe|epipe' pipe2.err; then fail "kitrx did not end quietly: $(head -3 pipe2.err)"; fi
# Read to the end: the whole stream through stdin names as many variants as the file.
bcftools view -r "$region" big.vcf.gz | "$kitrx" annotate - --no-version 2>/dev/null >stdin.tsv
[ "$(grep -vc '^#' stdin.tsv)" -eq "$(grep -vc '^#' full.tsv)" ] ||
    fail "VCF on stdin gave $(grep -vc '^#' stdin.tsv) lines, the file $(grep -vc '^#' full.tsv)"
bcftools view -Ou -r "$region" big.vcf.gz | "$kitrx" annotate - --no-version 2>/dev/null >stdin_bcf.tsv
cmp -s stdin_bcf.tsv stdin.tsv || fail "BCF on stdin gave other output than VCF on stdin"
echo "ok: BCF on stdin, head -c 1, full stdin read"

# --- output format from the -o extension, -O override ----------------------------------------
"$kitrx" annotate "$t2" --no-version >stdout.tsv || fail "annotate to stdout exited $?"
rows=$(grep -vc '^#' stdout.tsv)
[ "$rows" -ge 4 ] || fail "expected a header and >= 3 KIT rows for $t2, got $rows lines"
"$kitrx" annotate "$t2" --no-version -o out.tsv || fail "annotate -o out.tsv exited $?"
cmp -s out.tsv stdout.tsv || fail "-o out.tsv differs from stdout"

is_bgzf() {  # gzip member with the BGZF extra field (FEXTRA, subfield 'BC')
    python3 - "$1" <<'EOF'
import sys
h = open(sys.argv[1], "rb").read(18)
ok = len(h) == 18 and h[:2] == b"\x1f\x8b" and h[3] & 4 and h[12:14] == b"BC"
sys.exit(0 if ok else 1)
EOF
}
"$kitrx" annotate "$t2" --no-version -o out.tsv.gz || fail "annotate -o out.tsv.gz exited $?"
[ "$(od -An -tx1 -N2 out.tsv.gz | tr -d ' ')" = 1f8b ] || fail "out.tsv.gz is not gzip (first bytes: $(od -An -tx1 -N4 out.tsv.gz))"
gzip -t out.tsv.gz || fail "out.tsv.gz fails gzip -t"
gzip -dc out.tsv.gz | cmp -s - out.tsv || fail "out.tsv.gz does not decompress to the TSV output"
echo "ok: -o .tsv.gz is the TSV, gzip-compressed"

"$kitrx" annotate "$t2" --no-version -o out.json || fail "annotate -o out.json exited $?"
# The JSON's variants are the TSV's rows, in order (same allele, same HGVS names).
python3 - out.json out.tsv <<'EOF' || fail "out.json is not JSON holding the TSV's variants"
import json, sys
variants = json.load(open(sys.argv[1]))["variants"]
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if not l.startswith("#")]
header, rows = lines[0], lines[1:]
if len(variants) != len(rows) or not rows:
    sys.exit(f"{len(variants)} JSON variants for {len(rows)} TSV rows")
for v, row in zip(variants, rows):
    r = dict(zip(header, row))
    for key in ("chrom", "pos", "ref", "alt", "hgvs_c", "hgvs_p"):
        if str(v[key] if v[key] is not None else "NA") != r[key] and not (r[key] == "NA" and v[key] == ""):
            sys.exit(f"{key}: JSON {v[key]!r} vs TSV {r[key]!r}")
EOF
echo "ok: -o .json parses and holds the variants"

"$kitrx" annotate "$t2" --no-version -o out.vcf.gz || fail "annotate -o out.vcf.gz exited $?"
is_bgzf out.vcf.gz || fail "out.vcf.gz is not BGZF-compressed"
bcftools view -h out.vcf.gz >vcf.header 2>vcf.err || fail "bcftools cannot read out.vcf.gz: $(head -3 vcf.err)"
tabix -f -p vcf out.vcf.gz || fail "tabix cannot index out.vcf.gz (not BGZF or not sorted)"
info_ids=$(grep -i '^##INFO=<ID=' vcf.header | grep -i 'kitrx' | sed 's/^##INFO=<ID=\([^,]*\),.*/\1/' | sort -u)
[ -n "$info_ids" ] || fail "out.vcf.gz has no INFO header line naming kitrx"
# Every TSV row's allele is a VCF record carrying at least one kitrx INFO field.
fmt=$(for id in $info_ids; do printf '%%INFO/%s|' "$id"; done)
bcftools query -f "%CHROM\t%POS\t%REF\t%ALT\t${fmt}\n" out.vcf.gz >vcf.query
python3 - out.tsv vcf.query <<'EOF' || fail "annotated VCF lacks kitrx INFO on TSV rows"
import sys
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
h = lines[0]
want = {(r[h.index("chrom")], r[h.index("pos")], r[h.index("ref")], r[h.index("alt")]) for r in lines[1:]}
have = {}
for l in open(sys.argv[2]):
    f = l.rstrip("\n").split("\t")
    values = [v for v in f[4].split("|") if v not in ("", ".")]
    for alt in f[3].split(","):
        have[(f[0], f[1], f[2], alt)] = bool(values)
bad = sorted(k for k in want if not have.get(k))
if bad:
    sys.exit(f"missing or without kitrx INFO: {bad}")
EOF
echo "ok: -o .vcf.gz is an indexable BGZF VCF with kitrx INFO ($(echo $info_ids | tr ' ' ','))"

# JSON carries the command line in "provenance"; compare everything else.
same_json() {
    python3 -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b):
    d.pop("provenance", None)
sys.exit(a != b)' "$1" "$2"
}
"$kitrx" annotate "$t2" --no-version -o out.dat -O j || fail "annotate -o out.dat -O j exited $?"
same_json out.dat out.json || fail "-O j on a .dat name differs from -o out.json"
"$kitrx" annotate "$t2" --no-version -o forced.json -O t || fail "annotate -o forced.json -O t exited $?"
cmp -s forced.json out.tsv || fail "-O t did not override the .json extension"
"$kitrx" annotate "$t2" --no-version -O j >stdout.json || fail "annotate -O j to stdout exited $?"
same_json stdout.json out.json || fail "-O j on stdout differs from -o out.json"
"$kitrx" annotate "$t2" --no-version -o forced.tsv -O z || fail "annotate -o forced.tsv -O z exited $?"
is_bgzf forced.tsv || fail "-O z did not write BGZF VCF to a .tsv name"
set +e
"$kitrx" annotate "$t2" -o bad.out -O no-such-format >/dev/null 2>bad.err
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "-O no-such-format exited $rc, expected 2 (usage error)"
[ ! -e bad.out ] || fail "a usage error left bad.out behind"
echo "ok: -O overrides the extension; unknown -O is a usage error"
echo "PASS: pipes"
