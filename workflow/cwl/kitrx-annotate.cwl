#!/usr/bin/env cwl-runner
# SPDX-License-Identifier: MIT
cwlVersion: v1.2
class: CommandLineTool
id: kitrx-annotate
label: "kitrx annotate: KIT/PDGFRA variants with exact HGVS names and per-TKI activity"
doc: |
  Reads a VCF/BCF (or BAM/CRAM) of a ctDNA sample and writes one row per KIT/PDGFRA allele with
  its HGVS name, fraction and per-drug activity from kitrx's cited panel. The output format follows
  the extension of `output_name` (.tsv, .tsv.gz, .json, .vcf, .vcf.gz, .bcf) unless `output_type` is given.
  Research use only: not for clinical decision making.
  Runs the kitrx on PATH; there is no container image until kitrx is on bioconda, so run with
  `cwltool --no-container` or add a DockerRequirement for your own image.

$namespaces:
  edam: http://edamontology.org/
  s: https://schema.org/

hints:
  SoftwareRequirement:
    packages:
      kitrx:
        version: ["0.1.0"]
  ResourceRequirement:
    coresMin: 1
    ramMin: 1000

baseCommand: [kitrx, annotate]

inputs:
  input:
    type: File
    # No `format:` list: cwltool would then refuse job files that do not declare a format, and
    # kitrx reads the format from the content anyway (VCF edam:format_3016, BCF edam:format_3020,
    # BAM edam:format_2572, CRAM edam:format_3462).
    doc: VCF, VCF.gz, BCF, BAM, CRAM, MAF (plain or gzip) or a TSO500 CombinedVariantOutput.tsv; the format is read from the content, not the name
    secondaryFiles:
      - pattern: .tbi
        required: false
      - pattern: .csi
        required: false
      - pattern: .bai
        required: false
      - pattern: .crai
        required: false
    inputBinding:
      position: 100
  output_name:
    type: string
    default: kitrx.variants.tsv
    doc: Output file name; its extension chooses the format
    inputBinding:
      prefix: --output
  output_type:
    type: string?
    doc: Output format overriding the extension (kitrx -O/--output-type) - t TSV, g gzip TSV, j JSON, v VCF, z BGZF VCF, b BCF
    inputBinding:
      prefix: --output-type
  build:
    type:
      - "null"
      - type: enum
        symbols: [GRCh37, GRCh38]
    doc: Genome build (default detected from the header)
    inputBinding:
      prefix: --build
  genes:
    type: string?
    doc: KIT, PDGFRA or KIT,PDGFRA (default KIT)
    inputBinding:
      prefix: --genes
  exons:
    type: string?
    doc: Exons to target, e.g. 9,11,13
    inputBinding:
      prefix: --exons
  samples:
    type: string?
    doc: Comma-separated sample columns to report (default all)
    inputBinding:
      prefix: --samples
  reference:
    type: File?
    doc: FASTA for CRAM decoding
    secondaryFiles:
      - pattern: .fai
        required: false
    inputBinding:
      prefix: --reference
  panel:
    type: File?
    doc: Activity panel YAML (default the shipped GIST panel)
    inputBinding:
      prefix: --panel
  pass_only:
    type: boolean?
    doc: Drop records whose FILTER is not PASS or '.'
    inputBinding:
      prefix: --pass-only
  merge_cis:
    type: boolean?
    doc: Merge records of one sample that one event was split into
    inputBinding:
      prefix: --merge-cis
  no_version:
    type: boolean?
    doc: Omit the provenance lines (reproducible bytes)
    inputBinding:
      prefix: --no-version
  strict:
    type: boolean?
    doc: Make skippable input problems errors
    inputBinding:
      prefix: --strict
  input_format:
    type:
      - "null"
      - type: enum
        symbols: [auto, vcf, bam, maf, tso500]
    doc: Reader to use instead of detection from the content (kitrx --input-format)
    inputBinding:
      prefix: --input-format
  threads:
    type: int?
    doc: Extra decompression threads (kitrx -@/--threads)
    inputBinding:
      prefix: --threads

outputs:
  variants:
    type: File
    doc: The annotated variants in the chosen format
    outputBinding:
      glob: $(inputs.output_name)
  log:
    type: stderr
    doc: kitrx's warnings and notes

stderr: kitrx-annotate.log

s:license: https://spdx.org/licenses/MIT
