#!/usr/bin/env bash
# Regenerates the malformed-input corpus (issue 10) in this folder. Every file is small and is
# committed; this script documents how each was made. Needs bgzip, samtools (binary cases).
# Cases and their expected behaviour: docs/hardening.md; tests: tests/cli/bad_input_cli_test.cpp.
set -euo pipefail
cd "$(dirname "$0")"

# GRCh38 header with chr4 declared (build from its length) and one good KIT record (exon 17
# c.2447A>T p.D816V, chr4:54733155) unless a case says otherwise.
header() {
    printf '##fileformat=VCFv4.2\n'
    printf '##contig=<ID=chr4,length=190214555>\n'
    printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    printf '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
    printf '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions">\n'
    printf '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
}
chrom_line() { printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n'; }
good() { printf 'chr4\t54733155\t.\tA\tT\t.\tPASS\t.\tGT:AD:AF:DP\t0/1:900,100:0.1:1000\n'; }
vcf() { header; chrom_line; "$@"; }

# --- whole-file problems --------------------------------------------------------------------
: >empty.vcf
# 512 bytes of fixed pseudo-random binary (LCG, so the file is the same on every run).
LC_ALL=C awk 'BEGIN { x = 12345; for (i = 0; i < 512; i++) { x = (x * 1103515245 + 12345) % 2147483648;
     printf "%c", int(x / 65536) % 256 } }' >binary_garbage.vcf
printf 'sample\tvaf\nPLASMA_T1\t0.12\nThis is a spreadsheet export, not a VCF.\n' >text_not_vcf.vcf
{ header; good; } >no_chrom_line.vcf
good >no_header.vcf
{ printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n'; good; } >chrom_line_only.vcf
{ header; printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\tTUMOR\n';
  printf 'chr4\t54733155\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\t0/1\n'; } >duplicate_sample_names.vcf
{ header; printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\n';
  printf 'chr4\t54733155\t.\tA\tT\t.\tPASS\t.\tGT:AD\n'; } >format_without_samples.vcf
# Windows line ends (a file saved by a spreadsheet or copied through a Windows share).
vcf good | sed 's/$/\r/' >crlf_line_ends.vcf

# bgzip: cut inside the data (the last block does not inflate) and without the EOF block.
big() { vcf good; for i in $(seq 1 400); do
    printf 'chr4\t%d\t.\tG\tA\t.\tPASS\t.\tGT:AD:AF:DP\t0/1:990,10:0.01:1000\n' $((60000000 + i)); done; }
big | bgzip -c >truncated_bgzip.vcf.gz.full
head -c $(( $(stat -c %s truncated_bgzip.vcf.gz.full) / 2 )) truncated_bgzip.vcf.gz.full >truncated_bgzip.vcf.gz
rm truncated_bgzip.vcf.gz.full
vcf good | bgzip -c >no_bgzf_eof.vcf.gz.full
head -c $(( $(stat -c %s no_bgzf_eof.vcf.gz.full) - 28 )) no_bgzf_eof.vcf.gz.full >no_bgzf_eof.vcf.gz
rm no_bgzf_eof.vcf.gz.full

# --- record problems that stop the run -------------------------------------------------------
{ vcf good; printf 'chr4\t54733160\t.\tA\tT\t.\tPASS\n'; } >wrong_column_count.vcf
vcf printf 'chr4\t54733l55\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n' >nonnumeric_pos.vcf
# REF differs from the GRCh38 reference (the reference base at 54733155 is A).
vcf printf 'chr4\t54733155\t.\tG\tT\t.\tPASS\t.\tGT:AD\t0/1:900,100\n' >ref_mismatch.vcf

# --- skippable records: a warning with a count, exit 0; --strict makes them errors --------------
vcf printf 'chr4\t54733155\t.\tAXG\tT\t.\tPASS\t.\tGT:AD\t0/1:900,100\n' >ref_not_acgt.vcf
{ vcf good; printf 'chr4\t54733160\t.\tA\t*\t.\tPASS\t.\tGT:AD\t0/1:900,100\n'; } >alt_star.vcf
{ header; printf '##INFO=<ID=END,Number=1,Type=Integer,Description="End">\n'
  printf '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">\n'; chrom_line
  printf 'chr4\t54733100\t.\tA\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=54733300\tGT:AD\t0/1:900,100\n'; good; } >alt_symbolic.vcf
{ vcf good; printf 'chr4\t54733174\t.\tT\tA\t.\tPASS\t.\tGT:AD:AF:DP\t0/1:.:1.5:1000\n'; } >af_above_one.vcf
{ vcf good; printf 'chr4\t54733174\t.\tT\tA\t.\tPASS\t.\tGT:AD:AF:DP\t0/1:.:-0.2:1000\n'; } >af_negative.vcf
{ vcf good; printf 'chr4\t54733174\t.\tT\tA,C\t.\tPASS\t.\tGT:AD:DP\t0/1:900,100:1000\n'; } >ad_shorter_than_alleles.vcf
{ vcf good; printf 'chr4\t54733174\t.\tT\tA\t.\tPASS\t.\tGT:AF:DP\t0/1:0.1,0.2:1000\n'; } >number_a_wrong_count.vcf
# Records out of order (the whole file is read, so nothing is missed).
{ vcf printf 'chr4\t54733174\t.\tT\tA\t.\tPASS\t.\tGT:AD\t0/1:900,100\n'; good; } >unsorted_records.vcf
# chr4 is used by the records but the header declares only other contigs.
{ printf '##fileformat=VCFv4.2\n##reference=GRCh38\n##contig=<ID=chr1,length=248956422>\n'
  header | tail -n +3; chrom_line; good; } >contig_not_in_header.vcf
# A 20 kb deletion starting in KIT exon 11 (larger than the 10 kb naming bound); REF is the real
# GRCh38 sequence from the shipped window, so only the bound stops it.
reference_bases() {  # 1-based start, length
    python3 - "$1" "$2" ../../resources/genome/GRCh38.KIT_PDGFRA_loci.fa <<'PY'
import re, sys
start, length, fasta = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
seq, begin = [], None
for line in open(fasta):
    if line.startswith('>'):
        if begin is not None and begin <= start and start + length <= begin + len(''.join(seq)):
            break
        m = re.search(r'chr4:(\d+)-(\d+)', line)
        begin, seq = int(m.group(1)), []
    else:
        seq.append(line.strip())
s = ''.join(seq)
assert begin <= start and start + length <= begin + len(s), 'outside the shipped windows'
print(s[start - begin:start - begin + length].upper(), end='')
PY
}
ref=$(reference_bases 54727420 20001)
{ header; chrom_line; printf 'chr4\t54727420\t.\t%s\t%s\t.\tPASS\t.\tGT:AD\t0/1:900,100\n' "$ref" "${ref:0:1}"; good; } >huge_indel.vcf

# --- BAM / SAM / CRAM ---------------------------------------------------------------------------
# Reads from the GRCh37 MSK-ACCESS fixture (test-data/bam, KIT exon 17), header cut to chr4.
src_bam=../bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam
sam_header() {
    printf '@HD\tVN:1.6\tSO:%s\n@SQ\tSN:4\tLN:191154276\n' "${1:-coordinate}"
    printf '@RG\tID:rg1\tSM:PLASMA_T1\n'
}
reads() {  # the first N reads (awk reads to the end: no SIGPIPE under pipefail)
    samtools view "$src_bam" | awk -v n="$1" 'NR <= n' | cut -f 1-11 | sed 's/$/\tRG:Z:rg1/'
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ sam_header; reads 40; } | samtools view --no-PG -b -o bam_no_index.bam -
# An index built for another file (the first 10 reads only); the test makes it older than the BAM.
{ sam_header; reads 40; } | samtools view --no-PG -b -o bam_stale_index.bam -
{ sam_header; reads 10; } | samtools view --no-PG -b -o "$tmp/other.bam" -
samtools index "$tmp/other.bam" && cp "$tmp/other.bam.bai" bam_stale_index.bam.bai
# A record cut in the middle, inside a well-formed BGZF stream (with its EOF block): the
# uncompressed BAM is truncated 60 bytes into its last record, then compressed again.
{ sam_header; reads 5; } | samtools view --no-PG -u -o "$tmp/five.bam" -
bgzip -dc "$tmp/five.bam" >"$tmp/five.raw"
{ sam_header; reads 4; } | samtools view --no-PG -u -o "$tmp/four.bam" -
cut_at=$(( $(bgzip -dc "$tmp/four.bam" | wc -c) + 60 ))
head -c "$cut_at" "$tmp/five.raw" | bgzip -c >bam_truncated_record.bam
{ sam_header; reads 20 | sort -t$'\t' -k4,4nr; } >sam_unsorted.sam
{ sam_header queryname; reads 10; } >sam_queryname_sorted.sam
{ printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr7\tLN:159345973\n'; } >sam_no_chr4.sam
# One read with a 2 Mb deletion in its CIGAR (corrupt aligner output), then ordinary reads.
{ sam_header; printf 'huge\t0\t4\t55599100\t60\t10M2000000D10M\t*\t0\t0\tACGTACGTACACGTACGTAC\tIIIIIIIIIIIIIIIIIIII\tRG:Z:rg1\n'
  reads 5; } >sam_read_span_too_long.sam
# CRAM written against a 300-base toy reference that is not shipped (its @SQ UR: names the
# temporary path, so this file differs byte-wise on every run): it cannot be decoded
# without -f, whatever the reference.
printf '>4\n%s\n' "$(printf 'ACGT%.0s' $(seq 1 75))" >"$tmp/toy.fa"
samtools faidx "$tmp/toy.fa"
{ printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:4\tLN:300\n'
  printf 'r1\t0\t4\t11\t60\t20M\t*\t0\t0\tACGTACGTACGTACGTACGT\tIIIIIIIIIIIIIIIIIIII\n'; } |
    samtools view --no-PG -C -T "$tmp/toy.fa" -o cram_no_reference.cram -

# --- activity panel YAML (the kinds of test-data/panels/bad/ are also in the corpus test) ----------
: >panel_empty.yaml
printf -- '- this is a list\n- not a panel mapping\n' >panel_not_a_mapping.yaml
head -c 300 binary_garbage.vcf >panel_binary.yaml

# --- regimen YAML (kitrx report --regimens) -----------------------------------------------------
regimens() {  # header, then the regimen entries given on stdin
    printf 'name: corpus regimens\nversion: "1"\nregimens:\n'
    cat
}
: >regimens_empty.yaml
printf 'name: corpus regimens\nversion: "1"\nregimens:\n  - id: a\n    kind: [single\n' >regimens_yaml_syntax.yaml
regimens >regimens_unknown_drug.yaml <<'YAML'
  - id: gleevec-plus
    name: Imatinib + unobtainium
    kind: combination
    drugs: [imatinib, unobtainium]
YAML
regimens >regimens_unknown_kind.yaml <<'YAML'
  - id: imatinib-pulse
    name: Imatinib pulses
    kind: pulsed
    drugs: [imatinib]
YAML
regimens >regimens_combination_one_drug.yaml <<'YAML'
  - id: lonely
    name: A combination of one
    kind: combination
    drugs: [sunitinib]
YAML
regimens >regimens_bad_days.yaml <<'YAML'
  - id: alternation
    name: Sunitinib / regorafenib
    kind: alternation
    schedule:
      - {drug: sunitinib, days: 3}
      - {drug: regorafenib, days: 0}
YAML
regimens >regimens_approved_and_hypothetical.yaml <<'YAML'
  - id: sunitinib+regorafenib
    name: Sunitinib + regorafenib
    kind: combination
    drugs: [sunitinib, regorafenib]
    approved: true
    hypothetical: true
YAML
regimens >regimens_duplicate_id.yaml <<'YAML'
  - id: imatinib
    name: Imatinib
    kind: single
    drugs: [imatinib]
  - id: imatinib
    name: Imatinib again
    kind: single
    drugs: [imatinib]
YAML
regimens >regimens_unknown_key.yaml <<'YAML'
  - id: imatinib
    name: Imatinib
    kind: single
    drug: [imatinib]
YAML

# --- sample sheets (kitrx report --sample-sheet); inputs refer to files of this folder ------------
sheet() { printf 'sample\tpatient\ttimepoint\tinput\n'; cat; }
printf 'sample\tpatient\tinput\nTUMOR\tP1\tunsorted_records.vcf\n' >sheet_missing_column.tsv
sheet >sheet_wrong_field_count.tsv <<'TSV'
TUMOR	P1	baseline	unsorted_records.vcf
TUMOR	P1	C3D1
TSV
printf 'sample\tpatient\ttimepoint\tinput\nTUMOR\t\tbaseline\tunsorted_records.vcf\n' >sheet_empty_field.tsv
sheet >sheet_duplicate_timepoint.tsv <<'TSV'
TUMOR	P1	baseline	unsorted_records.vcf
TUMOR	P1	baseline	alt_star.vcf
TSV
sheet >sheet_duplicate_sample.tsv <<'TSV'
TUMOR	P1	baseline	unsorted_records.vcf
TUMOR	P1	C3D1	unsorted_records.vcf
TSV
sheet >sheet_missing_input.tsv <<'TSV'
TUMOR	P1	baseline	no_such_file.vcf
TSV
: | sheet >sheet_no_rows.tsv

# Counts too large for any read count (found by fuzz_vcf: converting 4.4e102 to an integer was
# undefined behaviour). FORMAT keys without ##FORMAT lines are strings to htslib, so the numbers
# reach kitrx's own parser unchanged.
{ printf '##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n'; chrom_line
  printf 'chr4\t54733155\t.\tA\tT\t.\tPASS\t.\tAD:SB\t4e102,1e300:1,2,3e200,inf\n'; } >count_overflow.vcf
# POS next to 2^63: POS + REF length overflowed (UBSan in fuzz_vcf); now POS must fit 18 digits.
vcf printf 'chr4\t9223372036854775806\t.\tACGTACG\tA\t.\tPASS\t.\tGT\t0/1\n' >pos_overflow.vcf
# An uncompressed BCF whose header gives contig chr4 the IDX 5 of only two contigs: htslib's
# bcf_hdr_seqnames() assert()ed on it and aborted kitrx (found by fuzz_vcf).
python3 - >bcf_contig_idx_gap.bcf <<'PY'
import struct, sys
text = ('##fileformat=VCFv4.2\n'
        '##contig=<ID=chr1,length=248956422,IDX=0>\n'
        '##contig=<ID=chr4,length=190214555,IDX=5>\n'
        '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n').encode() + b'\0'
sys.stdout.buffer.write(b'BCF\2\2' + struct.pack('<I', len(text)) + text)
PY

# --- issue 19: hostile records and panels -------------------------------------------------------
# One change twice for a sample: kept once, warned and counted (it was a phantom clone KIT:D816V#2).
{ vcf good; good; } >duplicate_record.vcf
# 300 ALT alleles (> kMaxAltAlleles = 256) at D816: skipped with a warning (30,000 made report use
# 2.7 GB); the good record before it is still read.
{ vcf good; printf 'chr4\t54733174\t.\tT\t'
  for i in $(seq 1 300); do printf '%sT%s' "$([[ $i == 1 ]] || printf ,)" "$(printf '%0300d' 0 | head -c "$i" | tr 0 A)"; done
  printf '\t.\tPASS\t.\tGT\t0/1\n'; } >too_many_alleles.vcf
# 2 x 251 distinct insertions at one position: 502 variants (> kMaxClonesPerSample = 500).
{ vcf good; for r in 1 2; do printf 'chr4\t54733174\t.\tT\t'
    for i in $(seq 1 251); do printf '%sT%s' "$([[ $i == 1 ]] || printf ,)" "$(printf 'C%.0s' $(seq 1 $((i + (r - 1) * 251))))"; done
    printf '\t.\tPASS\t.\tGT\t0/1\n'; done; } >too_many_variants.vcf
# FORMAT/AF written as NaN (read as missing, reported) and as -0 (printed as 0).
{ vcf good; printf 'chr4\t54733174\t.\tT\tA\t.\tPASS\t.\tGT:AF:DP\t0/1:NaN:1000\n'; } >af_nan.vcf
{ header; chrom_line; printf 'chr4\t54733155\t.\tA\tT\t.\tPASS\t.\tGT:AF:DP\t0/1:-0:1000\n'; } >af_negative_zero.vcf
# A sample name in Latin-1 (0xC9 = E acute), not UTF-8: JSON output replaces the byte.
{ header; printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR_\xc9\n'; good; } >sample_not_utf8.vcf
# A panel of two YAML documents: the second used to be dropped without a word.
{ cat ../panels/minimal.yaml; printf -- '---\n'; cat ../panels/minimal.yaml; } >panel_two_documents.yaml
# --- MAF and TSO500 tables (issue 16) -------------------------------------------------------
# A GDC-style MAF with the columns kitrx reads and one good GRCh37 row (KIT D816V, 4:55599321 A>T).
maf_header() { printf 'Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele1\tTumor_Seq_Allele2\tTumor_Sample_Barcode\tt_ref_count\tt_alt_count\tt_depth\tNCBI_Build\n'; }
maf_row() { printf 'KIT\t4\t%s\t%s\t%s\t%s\t%s\tPLASMA\t%s\t%s\t%s\t%s\n' "$@"; }
maf_good() { maf_row 55599321 55599321 A A T 1121 58 1179 GRCh37; }
{ printf 'Hugo_Symbol\tChromosome\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\tTumor_Sample_Barcode\n'; printf 'KIT\t4\t55599321\tA\tT\tPLASMA\n'; } >maf_no_start_column.maf
{ maf_header; maf_row 55599x21 55599321 A A T 1121 58 1179 GRCh37; } >maf_bad_start.maf
{ maf_header; maf_row 55599321 55599321 A A '<DEL>' 1121 58 1179 GRCh37; } >maf_bad_allele.maf
{ maf_header; printf 'KIT\t4\t55599321\t55599321\tA\tA\tT\tPLASMA\t1121\n'; } >maf_short_row.maf
{ maf_header; maf_row 55599321 55599321 A A T 1121 1200 1179 GRCh37; } >maf_alt_above_depth.maf
{ maf_header; maf_good; maf_row 54733155 54733155 A A T 1121 58 1179 GRCh38; } >maf_mixed_build.maf
{ maf_header; maf_row 55599321 55599321 A A T 1121 58 1179 ''; } >maf_no_build.maf
{ maf_header; maf_row 55599321 55599322 A A T 1121 58 1179 GRCh37; } >maf_end_mismatch.maf
{ maf_header; maf_row 55599321 55599321 G G T 1121 58 1179 GRCh37; } >maf_ref_mismatch.maf
{ maf_header; maf_row 55599321 55599321 A A T 1121 5x8 1179 GRCh37; } >maf_bad_count.maf
# Named .txt: detection reads the content, not the name.
{ printf '#version 2.4\n'; } >maf_header_missing.txt
# TSO500 CombinedVariantOutput (CRLF, as the LocalApp writes it) with one bad value per file.
tso() {
    printf '[Analysis Details]\t\t\r\nPair ID\tGIST_T1\t\r\n\t\t\r\n[Small Variants]\t\t\r\n'
    printf 'Gene\tChromosome\tGenomic Position\tReference Call\tAlternative Call\tAllele Frequency\tDepth\r\n'
    printf 'KIT\tchr4\t%s\t%s\t%s\t%s\t%s\r\n' "$@"
}
tso 55599321 A T 1.7000 1311 >tso500_af_above_one.tsv
tso 55599321 A T 0.0610 13x1 >tso500_bad_depth.tsv
tso 5559932l A T 0.0610 1311 >tso500_bad_position.tsv
printf '[Analysis Details]\t\t\r\nPair ID\tGIST_T1\t\r\n\t\t\r\n[TMB]\t\t\r\nTotal TMB\t2.4\t\r\n' >tso500_no_small_variants.tsv
