// SPDX-License-Identifier: MIT
// The malformed-input corpus (issue 10): every file of test-data/bad/ (made by make_bad.sh) and of
// test-data/panels/bad/ goes through the binary once; each case asserts the exit code, the stderr
// line naming the file and the line or record, and that a failed run leaves no output behind.
// Skippable records are checked twice: a warning with a count and exit 0 by default, exit 1 with
// --strict. docs/hardening.md lists the cases.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

namespace fs = std::filesystem;

struct BadCase {
    std::string name;          // test name
    std::string command;       // kitrx arguments, run inside test-data/bad; OUT = the test's folder
    int exit_code;             // without --strict
    std::string stderr_regex;  // must match a whole stderr line ("stdout:" prefix: a stdout line)
    // Skippable problems: the warning count line, and the error with --strict (inserted after the
    // subcommand name). Empty when --strict changes nothing.
    std::string count_regex = "";
    std::string strict_regex = "";
    std::string setup = "";  // shell run in OUT before the command
};

std::ostream& operator<<(std::ostream& os, const BadCase& c) {
    return os << c.name;
}

// The folder of the committed corpus, as the commands see it.
const char* const kCd = "cd \"$SRC/test-data/bad\" && ";

// Shorthands for the usual commands. `-o "$OUT/out.tsv"` lets a case check that nothing is left.
std::string annotate(const std::string& file) {
    return "annotate " + file + " -o \"$OUT/out.tsv\"";
}
std::string report_regimens(const std::string& file) {
    return "report unsorted_records.vcf --outdir \"$OUT/report\" --regimens " + file;
}
std::string report_sheet(const std::string& file) {
    return "report --outdir \"$OUT/report\" --sample-sheet " + file;
}

// Escapes a literal for std::regex (file names and messages with . ( ) [ ] * + ?).
std::string lit(const std::string& text) {
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    return std::regex_replace(text, special, R"(\$&)");
}

// "kitrx: error: FILE: what" (whole-file problems) and "kitrx: error: FILE:LINE: what" etc.
std::string err(const std::string& location, const std::string& what) {
    return "kitrx: error: " + lit(location) + ": " + lit(what) + ".*";
}
std::string warn(const std::string& location, const std::string& what) {
    return "kitrx: warning: " + lit(location) + ": " + lit(what) + ".*";
}
std::string count(const std::string& kind, int n = 1) {
    return "kitrx: warning: [0-9]+ warnings? in total \\(.*" + kind + ": " + std::to_string(n) + "\\b.*\\)";
}

const std::vector<BadCase>& cases() {
    static const std::vector<BadCase> all = {
        // --- whole-file problems -----------------------------------------------------------------
        {"EmptyFile", annotate("empty.vcf"), 1,
         err("empty.vcf", "not a VCF, BCF, BAM or CRAM file (detected: empty)")},
        {"BinaryGarbage", annotate("binary_garbage.vcf"), 1,
         err("binary_garbage.vcf", "not a VCF, BCF, BAM or CRAM file (unrecognised binary data)")},
        {"TextNotVcf", annotate("text_not_vcf.vcf"), 1,
         err("text_not_vcf.vcf", "not a VCF, BCF, BAM or CRAM file (detected: unknown text)")},
        {"NoHeaderAtAll", annotate("no_header.vcf"), 1,
         err("no_header.vcf", "not a VCF, BCF, BAM or CRAM file")},
        {"OnlyTheChromLine", annotate("chrom_line_only.vcf"), 1,
         err("chrom_line_only.vcf", "not a VCF, BCF, BAM or CRAM file")},
        // make_bad.sh: 6 ## lines, so the record on line 7 comes where #CHROM should be.
        {"NoChromLine", annotate("no_chrom_line.vcf"), 1,
         err("no_chrom_line.vcf:7", "no #CHROM header line before the first record")},
        {"DuplicateSampleNames", annotate("duplicate_sample_names.vcf"), 1,
         err("duplicate_sample_names.vcf:7",
             "sample name 'TUMOR' appears twice in the #CHROM line (columns 10 and 11)")},
        {"FormatWithoutSamples", annotate("format_without_samples.vcf"), 1,
         err("format_without_samples.vcf:7", "the #CHROM line has a FORMAT column but no sample columns")},
        {"TruncatedBgzip", annotate("truncated_bgzip.vcf.gz"), 1,
         err("truncated_bgzip.vcf.gz", "cannot read the VCF header") + "truncated.*"},
        {"BgzfEofMissing", annotate("no_bgzf_eof.vcf.gz"), 0,
         warn("no_bgzf_eof.vcf.gz", "no BGZF end-of-file marker: the file is probably truncated"),
         count("truncated_input"), err("no_bgzf_eof.vcf.gz", "no BGZF end-of-file marker")},
        // htslib's bcf_hdr_seqnames() assert()ed on the IDX gap and aborted the run (fuzz_vcf).
        {"BcfContigIdxGapDoesNotAbort",
         annotate("bcf_contig_idx_gap.bcf") + " && grep '^##build' \"$OUT/out.tsv\"", 0,
         "stdout:##build=GRCh38 \\(##contig chr4 length=190214555\\)"},
        {"CrlfLineEndsAreRead",
         "annotate crlf_line_ends.vcf -o \"$OUT/out.tsv\" && cut -f 3-5,16-18 \"$OUT/out.tsv\"", 0,
         "stdout:54733155\tA\tT\t0\\.1\t100\t1000"},

        // --- records that stop the run ----------------------------------------------------------
        {"WrongColumnCount", annotate("wrong_column_count.vcf"), 1,
         err("wrong_column_count.vcf: chr4:54733160",
             "malformed record: fewer than 8 tab-separated columns")},
        {"NonNumericPos", annotate("nonnumeric_pos.vcf"), 1,
         err("nonnumeric_pos.vcf: chr4:54733l55", "malformed record: POS '54733l55' is not a position")},
        {"PosBeyondAnyChromosome", annotate("pos_overflow.vcf"), 1,
         err("pos_overflow.vcf: chr4:9223372036854775806",
             "malformed record: POS '9223372036854775806' is not a position")},
        {"RefDiffersFromReference", annotate("ref_mismatch.vcf"), 1,
         err("ref_mismatch.vcf: chr4:54733155", "REF 'G' does not match the GRCh38 reference 'A'") +
             "try --build GRCh37"},

        // --- skippable records: warning + count, --strict: error ----------------------------------
        {"RefNotAcgt", annotate("ref_not_acgt.vcf"), 0,
         warn("ref_not_acgt.vcf: chr4:54733155", "REF 'AXG' is not A/C/G/T/N; record skipped"),
         count("invalid_allele"), err("ref_not_acgt.vcf: chr4:54733155", "REF 'AXG' is not A/C/G/T/N")},
        {"AltStar", annotate("alt_star.vcf"), 0,
         warn("alt_star.vcf: chr4:54733160", "symbolic ALT '*' skipped"), count("skipped_symbolic"),
         err("alt_star.vcf: chr4:54733160", "symbolic ALT '*' skipped")},
        {"AltSymbolic", annotate("alt_symbolic.vcf"), 0,
         warn("alt_symbolic.vcf: chr4:54733100", "symbolic ALT '<DEL>' skipped"), count("skipped_symbolic"),
         err("alt_symbolic.vcf: chr4:54733100", "symbolic ALT '<DEL>' skipped")},
        {"AfAboveOne", annotate("af_above_one.vcf"), 0,
         warn("af_above_one.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF=1.500000 is outside [0,1]"),
         count("af_out_of_range"), err("af_above_one.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF=1.5")},
        {"AfNegative", annotate("af_negative.vcf"), 0,
         warn("af_negative.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF=-0.200000 is outside [0,1]"),
         count("af_out_of_range"), err("af_negative.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF=-0.2")},
        {"AdShorterThanAlleles", annotate("ad_shorter_than_alleles.vcf"), 0,
         warn("ad_shorter_than_alleles.vcf: chr4:54733174",
              "sample 'TUMOR': FORMAT/AD has 2 values for 3 alleles"),
         count("ad_length"),
         err("ad_shorter_than_alleles.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AD has 2")},
        {"NumberAWrongCount", annotate("number_a_wrong_count.vcf"), 0,
         warn("number_a_wrong_count.vcf: chr4:54733174",
              "sample 'TUMOR': FORMAT/AF has 2 values for 1 ALT allele"),
         count("number_mismatch"),
         err("number_a_wrong_count.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF has 2")},
        {"CountsBeyondAnyReadCount", annotate("count_overflow.vcf"), 0,
         warn("count_overflow.vcf: chr4:54733155",
              "sample 'TUMOR': FORMAT/AD has a count above 2^53 (or infinite)"),
         count("bad_count"),
         err("count_overflow.vcf: chr4:54733155", "sample 'TUMOR': FORMAT/AD has a count above")},
        {"UnsortedRecords", annotate("unsorted_records.vcf"), 0,
         warn("unsorted_records.vcf", "records out of order: chr4:54733155 comes after chr4:54733174"),
         count("unsorted"), err("unsorted_records.vcf: chr4:54733155", "records out of order")},
        {"ContigAbsentFromHeader", annotate("contig_not_in_header.vcf"), 0,
         warn("contig_not_in_header.vcf: chr4:54733155", "contig 'chr4' is not declared in the header"),
         count("undeclared_contig"),
         err("contig_not_in_header.vcf: chr4:54733155", "contig 'chr4' is not declared")},
        {"HugeIndelBeyondTheNamingBound", annotate("huge_indel.vcf"), 0,
         warn("huge_indel.vcf: chr4:54727420",
              "REF is 20001 bases, longer than the 10000-base bound for naming"),
         count("allele_too_long"), err("huge_indel.vcf: chr4:54727420", "REF is 20001 bases")},

        // --- issue 19 (hostile records), expected values from the issue and make_bad.sh -------------
        // The same D816V record twice: one row, a warning with a count (it was a phantom clone).
        {"DuplicateRecordIsKeptOnce",
         annotate("duplicate_record.vcf") + " && grep -vc '^##' \"$OUT/out.tsv\"", 0,
         warn("duplicate_record.vcf: chr4:54733155",
              "sample 'TUMOR': KIT c.2447A>T is reported again (first by record chr4:54733155); the first "
              "is kept"),
         count("duplicate_record"),
         err("duplicate_record.vcf: chr4:54733155", "sample 'TUMOR': KIT c.2447A>T is reported again")},
        {"DuplicateRecordMakesNoPhantomClone",
         "report duplicate_record.vcf --outdir \"$OUT/rep\" --stdout clones --no-version | grep -c KIT:D816V",
         0, "stdout:1"},
        // 300 ALT alleles > kMaxAltAlleles (256): the record is skipped, the good one still named.
        {"TooManyAltAllelesIsSkipped",
         annotate("too_many_alleles.vcf") + " && grep -v '^##' \"$OUT/out.tsv\" | cut -f 12 | tail -n +2", 0,
         warn("too_many_alleles.vcf: chr4:54733174",
              "record has 300 ALT alleles, more than the 256 kitrx splits; record skipped"),
         count("too_many_alleles"), err("too_many_alleles.vcf: chr4:54733174", "record has 300 ALT alleles")},
        // 1 + 2 x 251 = 503 variants of one sample > kMaxClonesPerSample (500): an error, no report.
        {"TooManyVariantsForOneSample", "report too_many_variants.vcf --outdir \"$OUT/report\"", 1,
         err("too_many_variants.vcf",
             "sample 'TUMOR' has 503 KIT/PDGFRA variants, more than the 500 clones kitrx models per sample")},
        {"AfNotANumber", annotate("af_nan.vcf"), 0,
         warn("af_nan.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF is NaN; value ignored"),
         count("af_not_a_number"), err("af_nan.vcf: chr4:54733174", "sample 'TUMOR': FORMAT/AF is NaN")},
        // AF=-0 is a fraction of 0, printed "0" (vaf is column 16), never "-0".
        {"AfNegativeZeroPrintsZero",
         annotate("af_negative_zero.vcf") + " && grep -v '^#' \"$OUT/out.tsv\" | cut -f 16 | tail -n +2", 0,
         "stdout:0"},
        // Latin-1 sample name: JSON output carries U+FFFD (EF BF BD) in place of 0xC9, no abort.
        {"SampleNameNotUtf8InJson",
         "annotate sample_not_utf8.vcf -O j -o \"$OUT/out.json\" && grep '\"sample\"' \"$OUT/out.json\"", 0,
         "stdout: *\"sample\": \"TUMOR_\xef\xbf\xbd\",?"},
        {"SampleNameNotUtf8InReportJson",
         "report sample_not_utf8.vcf --outdir \"$OUT/rep\" && grep -c 'TUMOR_\xef\xbf\xbd' "
         "\"$OUT/rep/sample_not_utf8.report.json\"",
         0, "stdout:[1-9][0-9]*"},
        {"PanelTwoYamlDocuments", "panel check panel_two_documents.yaml", 1,
         err("panel_two_documents.yaml:35:1", "the panel file holds more than one YAML document")},

        // --- BAM / SAM / CRAM ----------------------------------------------------------------------
        {"BamTruncatedRecord", annotate("bam_truncated_record.bam"), 1,
         "kitrx: error: bam_truncated_record\\.bam: 4:[0-9]+: cannot read a record \\(htslib error -?[0-9]+: "
         "truncated or corrupt file\\).*"},
        // Streamed without an index, the table is the one an indexed copy gives.
        {"BamWithoutIndexIsStreamed",
         "annotate --no-version bam_no_index.bam -o \"$OUT/out.tsv\" && cp bam_no_index.bam \"$OUT/x.bam\" "
         "&& "
         "samtools index \"$OUT/x.bam\" && \"$KITRX\" annotate --no-version \"$OUT/x.bam\" -o "
         "\"$OUT/indexed.tsv\" && "
         "cmp \"$OUT/out.tsv\" \"$OUT/indexed.tsv\" && cut -f 1,12 \"$OUT/out.tsv\"",
         0, "stdout:PLASMA_T1\tD816\\*"},
        // The index was built for another file; git does not keep mtimes, so the test ages it.
        {"BamStaleIndexIsIgnoredWithAWarning", "annotate \"$OUT/bam_stale_index.bam\" -o \"$OUT/out.tsv\"", 0,
         "kitrx: warning: .*/bam_stale_index\\.bam: index '.*/bam_stale_index\\.bam\\.bai' is older than the "
         "file; "
         "reading the whole file instead; re-index with 'samtools index .*",
         count("stale_index"), "kitrx: error: .*/bam_stale_index\\.bam: index '.*' is older than the file.*",
         "cp \"$SRC/test-data/bad/bam_stale_index.bam\" \"$SRC/test-data/bad/bam_stale_index.bam.bai\" . && "
         "touch -d 2020-01-01 bam_stale_index.bam.bai"},
        {"CramWithoutReference", annotate("cram_no_reference.cram"), 1,
         err("cram_no_reference.cram", "CRAM input needs the reference FASTA it was written against") +
             "-f/--reference.*never downloads.*"},
        {"SamUnsorted", annotate("sam_unsorted.sam"), 1,
         err("sam_unsorted.sam: 4:55599230", "reads are not sorted by coordinate")},
        {"SamQuerynameSorted", annotate("sam_queryname_sorted.sam"), 1,
         err("sam_queryname_sorted.sam", "reads are sorted by name (@HD SO:queryname)") + "samtools sort.*"},
        {"SamWithoutChr4", annotate("sam_no_chr4.sam"), 1,
         err("sam_no_chr4.sam", "no chromosome 4 contig in the header (contigs: chr7)")},
        {"ReadSpanBeyondTheBound", annotate("sam_read_span_too_long.sam"), 0,
         warn("sam_read_span_too_long.sam: 4:55599100",
              "read 'huge' has 20 bases over 2000020 reference bases"),
         count("read_too_long"), err("sam_read_span_too_long.sam: 4:55599100", "read 'huge'")},

        // --- activity panels (all loader error kinds) ----------------------------------------------
        {"PanelEmpty", "panel check panel_empty.yaml", 1,
         err("panel_empty.yaml:1:1", "the panel file is empty")},
        {"PanelNotAMapping", "panel check panel_not_a_mapping.yaml", 1,
         err("panel_not_a_mapping.yaml:1:1", "the panel must be a mapping")},
        {"PanelBinary", "panel check panel_binary.yaml", 1,
         "kitrx: error: panel_binary\\.yaml:[0-9]+:[0-9]+: YAML syntax error.*"},
        {"PanelYamlSyntax", "panel check ../panels/bad/yaml_syntax.yaml", 1,
         err("../panels/bad/yaml_syntax.yaml:15:13", "YAML syntax error")},
        {"PanelUnknownKey", "panel check ../panels/bad/unknown_key.yaml", 1,
         err("../panels/bad/unknown_key.yaml:15:5",
             "unknown key 'varaint' in rule 'kit-d816v'; did you mean 'variant'?")},
        {"PanelMissingField", "panel check ../panels/bad/missing_field.yaml", 1,
         err("../panels/bad/missing_field.yaml:13:5", "rule 'kit-d816v' is missing required key 'gene'")},
        {"PanelUnknownDrug", "panel check ../panels/bad/unknown_drug.yaml", 1,
         err("../panels/bad/unknown_drug.yaml:18:7", "unknown drug id 'regorafnib'")},
        {"PanelUnknownActivity", "panel check ../panels/bad/unknown_activity.yaml", 1,
         err("../panels/bad/unknown_activity.yaml:17:24", "unknown activity level 'resistent'")},
        {"PanelUndefinedCitation", "panel check ../panels/bad/undefined_citation.yaml", 1,
         err("../panels/bad/undefined_citation.yaml:17:53", "citation key 'S19' not defined")},
        {"PanelMalformedVariant", "panel check ../panels/bad/malformed_variant.yaml", 1,
         err("../panels/bad/malformed_variant.yaml:20:14", "malformed variant 'D816'")},
        {"PanelDuplicateRule", "panel check ../panels/bad/duplicate_rule.yaml", 1,
         err("../panels/bad/duplicate_rule.yaml:18:5", "duplicate rule: 'kit-d816v-again'")},
        {"PanelContradictoryRules", "panel check ../panels/bad/contradictory_rules.yaml", 1,
         err("../panels/bad/contradictory_rules.yaml:18:5", "contradictory rules: 'kit-al-820-829'")},
        {"PanelSeveralProblemsAllListed",
         "panel check ../panels/bad/several_problems.yaml 2>&1 | grep -c error >&2; exit 1", 1, "[2-9]"},
        {"PanelThroughAnnotateWritesNothing",
         "annotate unsorted_records.vcf --panel ../panels/bad/unknown_key.yaml -o \"$OUT/out.tsv\"", 1,
         err("../panels/bad/unknown_key.yaml:15:5", "unknown key 'varaint'")},

        // --- regimen YAML ---------------------------------------------------------------------------
        {"RegimensEmpty", report_regimens("regimens_empty.yaml"), 1,
         err("regimens_empty.yaml", "empty regimen file")},
        {"RegimensYamlSyntax", report_regimens("regimens_yaml_syntax.yaml"), 1,
         "kitrx: error: regimens_yaml_syntax\\.yaml:[0-9]+:[0-9]+: .*not valid YAML.*"},
        {"RegimensUnknownDrug", report_regimens("regimens_unknown_drug.yaml"), 1,
         err("regimens_unknown_drug.yaml:7:23", "regimen 'gleevec-plus': unknown drug 'unobtainium'")},
        {"RegimensUnknownKind", report_regimens("regimens_unknown_kind.yaml"), 1,
         err("regimens_unknown_kind.yaml:6:11", "regimen 'imatinib-pulse': unknown kind 'pulsed'")},
        {"RegimensCombinationOfOne", report_regimens("regimens_combination_one_drug.yaml"), 1,
         "kitrx: error: regimens_combination_one_drug\\.yaml:7:[0-9]+: .*a combination has at least two "
         "drugs"},
        {"RegimensZeroDays", report_regimens("regimens_bad_days.yaml"), 1,
         "kitrx: error: regimens_bad_days\\.yaml:9:[0-9]+: .*days must be a whole number of days > 0"},
        {"RegimensApprovedAndHypothetical", report_regimens("regimens_approved_and_hypothetical.yaml"), 1,
         "kitrx: error: regimens_approved_and_hypothetical\\.yaml:8:[0-9]+: .*cannot be both approved and "
         "hypothetical.*"},
        {"RegimensDuplicateId", report_regimens("regimens_duplicate_id.yaml"), 1,
         "kitrx: error: regimens_duplicate_id\\.yaml:8:[0-9]+: duplicate regimen id 'imatinib'; first "
         "defined at "
         "line 4"},
        {"RegimensUnknownKey", report_regimens("regimens_unknown_key.yaml"), 1,
         err("regimens_unknown_key.yaml:7:5", "unknown key 'drug'")},

        // --- sample sheets ----------------------------------------------------------------------------
        {"SheetMissingColumn", report_sheet("sheet_missing_column.tsv"), 1,
         err("sheet_missing_column.tsv:1", "missing column 'timepoint'")},
        {"SheetWrongFieldCount", report_sheet("sheet_wrong_field_count.tsv"), 1,
         err("sheet_wrong_field_count.tsv:3", "expected 4 tab-separated fields, found 3")},
        {"SheetEmptyField", report_sheet("sheet_empty_field.tsv"), 1,
         err("sheet_empty_field.tsv:2", "empty 'patient' field")},
        {"SheetDuplicateTimepoint", report_sheet("sheet_duplicate_timepoint.tsv"), 1,
         err("sheet_duplicate_timepoint.tsv:3",
             "patient 'P1' has timepoint 'baseline' twice; first at line 2")},
        {"SheetDuplicateSample", report_sheet("sheet_duplicate_sample.tsv"), 1,
         err("sheet_duplicate_sample.tsv:3", "sample 'TUMOR' of 'unsorted_records.vcf' is listed twice")},
        {"SheetMissingInput", report_sheet("sheet_missing_input.tsv"), 1,
         err("sheet_missing_input.tsv:2", "input 'no_such_file.vcf' cannot be opened")},
        {"SheetWithoutRows", report_sheet("sheet_no_rows.tsv"), 1,
         err("sheet_no_rows.tsv", "the sample sheet lists no samples")},

        // --- MAF and TSO500 tables (issue 16): file:line of the bad row, exit 1, nothing written -----
        {"MafHeaderWithoutStartPosition", annotate("maf_no_start_column.maf"), 1,
         err("maf_no_start_column.maf:1", "MAF header has no Start_Position column")},
        {"MafOnlyVersionLine", annotate("maf_header_missing.txt"), 1,
         err("maf_header_missing.txt:1", "the MAF file ends before its Hugo_Symbol header line")},
        {"MafNonNumericStart", annotate("maf_bad_start.maf"), 1,
         err("maf_bad_start.maf:2", "Start_Position '55599x21' is not a position")},
        {"MafSymbolicAllele", annotate("maf_bad_allele.maf"), 1,
         err("maf_bad_allele.maf:2", "Tumor_Seq_Allele2 '<DEL>' is not an allele")},
        {"MafShortRow", annotate("maf_short_row.maf"), 1,
         err("maf_short_row.maf:2", "MAF row has 9 columns, the header has 12")},
        {"MafAltAboveDepth", annotate("maf_alt_above_depth.maf"), 1,
         err("maf_alt_above_depth.maf:2", "t_alt_count 1200 is above t_depth 1179")},
        {"MafNonNumericCount", annotate("maf_bad_count.maf"), 1,
         err("maf_bad_count.maf:2", "t_alt_count '5x8' is not a count")},
        {"MafTwoBuilds", annotate("maf_mixed_build.maf"), 1,
         err("maf_mixed_build.maf:3", "NCBI_Build 'GRCh38' differs from the file's first row (GRCh37)")},
        {"MafWithoutBuild", annotate("maf_no_build.maf"), 1,
         err("maf_no_build.maf:1", "cannot tell the genome build: the MAF has no NCBI_Build value") +
             "--build GRCh37.*"},
        {"MafEndDoesNotFitTheAllele", annotate("maf_end_mismatch.maf"), 1,
         err("maf_end_mismatch.maf:2", "End_Position 55599322 does not fit Start_Position 55599321")},
        // The build check against REF: NCBI_Build says GRCh37, the GRCh37 base at 4:55599321 is A.
        {"MafRefDiffersFromNcbiBuild", annotate("maf_ref_mismatch.maf"), 1,
         err("maf_ref_mismatch.maf: 4:55599321", "REF 'G' does not match the GRCh37 reference 'A'")},
        {"Tso500AfAboveOne", annotate("tso500_af_above_one.tsv"), 1,
         err("tso500_af_above_one.tsv:6", "Allele Frequency '1.7000' is not a fraction in [0, 1]")},
        {"Tso500NonNumericDepth", annotate("tso500_bad_depth.tsv"), 1,
         err("tso500_bad_depth.tsv:6", "Depth '13x1' is not a count")},
        {"Tso500NonNumericPosition", annotate("tso500_bad_position.tsv"), 1,
         err("tso500_bad_position.tsv:6", "Genomic Position '5559932l' is not a position")},
        {"Tso500WithoutSmallVariants", annotate("tso500_no_small_variants.tsv"), 1,
         err("tso500_no_small_variants.tsv:5", "no [Small Variants] section")},
        {"InputFormatMafOnABam", "annotate --input-format maf bam_no_index.bam -o \"$OUT/out.tsv\"", 1,
         err("bam_no_index.bam", "--input-format maf but the file is BAM")},
    };
    return all;
}

bool any_line_matches(const std::string& text, const std::string& pattern) {
    const std::regex re(pattern);
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        if (std::regex_match(text.substr(begin, end - begin), re)) return true;
        begin = end + 1;
    }
    return false;
}

// Nothing that looks like output may survive a failed run: no target, no temporary, no report.
void expect_no_output(const std::string& dir) {
    EXPECT_FALSE(fs::exists(dir + "/out.tsv"));
    EXPECT_FALSE(fs::exists(dir + "/report"));
    for (const auto& e : fs::directory_iterator(dir))
        EXPECT_EQ(e.path().filename().string().find(".kitrx-tmp."), std::string::npos) << e.path();
}

class BadInput : public ::testing::TestWithParam<BadCase> {};
class BadInputStrict : public ::testing::TestWithParam<BadCase> {};

// The skippable cases, for the --strict runs.
std::vector<BadCase> skippable_cases() {
    std::vector<BadCase> out;
    for (const auto& c : cases())
        if (!c.strict_regex.empty()) out.push_back(c);
    return out;
}

std::string with_strict(const std::string& command) {
    const auto space = command.find(' ');
    return command.substr(0, space) + " --strict" + command.substr(space);
}

CliResult run_case(const BadCase& c, const std::string& dir, bool strict) {
    const std::string setup = c.setup.empty() ? "" : c.setup + " && ";
    return run_shell(
        "OUT=$PWD; " + setup + kCd + "\"$KITRX\" " + (strict ? with_strict(c.command) : c.command), dir);
}

TEST_P(BadInput, ExitCodeAndMessageNameTheFileAndRecord) {
    const BadCase& c = GetParam();
    const auto dir = temp_dir("bad_input_" + c.name);
    const auto r = run_case(c, dir, false);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    const bool on_stdout = c.stderr_regex.rfind("stdout:", 0) == 0;
    const std::string pattern = on_stdout ? c.stderr_regex.substr(7) : c.stderr_regex;
    const std::string& text = on_stdout ? r.out : r.err;
    EXPECT_TRUE(any_line_matches(text, pattern)) << "expected a line matching\n  " << pattern << "\nin\n"
                                                 << text << "\nstderr:\n"
                                                 << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    if (c.exit_code != 0) expect_no_output(dir);
    if (!c.count_regex.empty())
        EXPECT_TRUE(any_line_matches(r.err, c.count_regex)) << "no warning count line\n" << r.err;
}

TEST_P(BadInputStrict, StrictMakesTheSkippedInputAnError) {
    const BadCase& c = GetParam();
    const auto dir = temp_dir("bad_input_strict_" + c.name);
    const auto r = run_case(c, dir, true);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(any_line_matches(r.err, c.strict_regex))
        << "expected a line matching\n  " << c.strict_regex << "\nin\n"
        << r.err;
    expect_no_output(dir);
}

// The parameter's name is the test name (Corpus/BadInput.<Check>/<Case>).
std::string case_name(const ::testing::TestParamInfo<BadCase>& info) {
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Corpus, BadInputStrict, ::testing::ValuesIn(skippable_cases()), case_name);

TEST(BadInputCorpus, HasAtLeastThirtyCasesAndEveryCorpusFileIsUsed) {
    EXPECT_GE(cases().size(), 30u);
    // Every file make_bad.sh writes appears in some case (a fixture nobody runs proves nothing).
    std::string all;
    for (const auto& c : cases()) all += c.command + " " + c.setup + "\n";
    for (const auto& e : fs::directory_iterator(test_data("bad"))) {
        const std::string name = e.path().filename().string();
        if (name == "make_bad.sh" || name.size() < 4 || name.compare(name.size() - 4, 4, ".bai") == 0)
            continue;
        EXPECT_NE(all.find(name), std::string::npos) << name << " is not used by any case";
    }
}

// Bounds that need inputs too large to commit: generated in the test's folder.
TEST(BadInputLimits, ReadLongerThanTheBoundIsSkippedWithAWarning) {
    const auto dir = temp_dir("bad_input_long_read");
    // One unpaired read of 100001 bases (kMaxReadLength + 1) inside KIT exon 17, GRCh37.
    const auto r = run_shell(
        "printf '@HD\\tVN:1.6\\tSO:coordinate\\n@SQ\\tSN:4\\tLN:191154276\\n' > long.sam && "
        "awk 'BEGIN { s = \"\"; for (i = 0; i < 100001; i++) s = s \"A\"; q = s; gsub(/A/, \"I\", q); "
        "printf \"long\\t0\\t4\\t55599100\\t60\\t100001M\\t*\\t0\\t0\\t%s\\t%s\\n\", s, q }' >> long.sam && "
        "\"$KITRX\" annotate long.sam -o out.tsv",
        dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(any_line_matches(r.err, warn("long.sam: 4:55599100", "read 'long' has 100001 bases")))
        << r.err;
    const auto strict = run_kitrx("annotate --strict long.sam -o out2.tsv", dir);
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_TRUE(any_line_matches(strict.err, err("long.sam: 4:55599100", "read 'long' has 100001 bases")))
        << strict.err;
    EXPECT_FALSE(fs::exists(dir + "/out2.tsv"));
}

TEST(BadInputLimits, VcfLineLongerThanTheBoundIsAnErrorNotAnEndlessBuffer) {
    const auto dir = temp_dir("bad_input_long_line");
    // A good record, then 65 MiB (> kMaxRecordBytes = 64 MiB) without a newline.
    const auto r = run_shell(
        "head -n 8 \"$SRC/test-data/bad/alt_star.vcf\" > long.vcf && "
        "head -c 68157440 /dev/zero | tr '\\0' A >> long.vcf && \"$KITRX\" annotate long.vcf -o out.tsv",
        dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(
        any_line_matches(r.err, err("long.vcf", "record 2 (after chr4:54733155) is longer than 64 MiB")))
        << r.err;
    EXPECT_FALSE(fs::exists(dir + "/out.tsv"));
    fs::remove(dir + "/long.vcf");
}

// Issue 19: a generated panel of 16,000 rules (a valid one: overlapping codon ranges with equal
// calls, and one of 16,000 duplicates) took 30 s and, for the duplicates, 24 GB of messages. The
// `timeout` fails the test instead of hanging CI; 20 s is >10x the 1 s measured on the CI machine.
std::string generated_panel(int rules, const std::string& selector) {
    return "sed '/^rules:/,$d' \"$SRC/test-data/panels/minimal.yaml\" > p.yaml && echo 'rules:' >> p.yaml && "
           "awk 'BEGIN { for (i = 0; i < " +
           std::to_string(rules) +
           "; i++) { b = 1 + int(i / 18); w = i % 18 + 1; printf \"  - id: r%d\\n    "
           "gene: KIT\\n    " +
           selector +
           "\\n    activity:\\n      imatinib: {call: resistant, evidence: [{cite: SEED, kind: "
           "preclinical}]}\\n\", i, b, b + w } }' >> p.yaml";
}

TEST(BadInputLimits, PanelOf16000RulesLoadsInSeconds) {
    const auto dir = temp_dir("bad_input_big_panel");
    auto r = run_shell(
        generated_panel(16000, "codons: %d-%d") + " && timeout 20 \"$KITRX\" panel check p.yaml", dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;  // 124 = timeout
    EXPECT_NE(r.out.find("16000 rules"), std::string::npos) << r.out;
    // Every rule the same selector: 15,999 duplicates, 100 listed and the rest counted, quickly.
    r = run_shell(
        generated_panel(16000, "variant: D816V%.0s%.0s") + " && timeout 20 \"$KITRX\" panel check p.yaml",
        dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("duplicate rule: 'r1' matches exactly what rule 'r0'"), std::string::npos)
        << r.err.substr(0, 500);
    EXPECT_NE(r.err.find("further problems not searched (the first 100 are shown)"), std::string::npos);
    EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 110);
}

TEST(BadInputLimits, PanelWithMoreRulesThanTheBoundIsAnError) {
    const auto dir = temp_dir("bad_input_too_many_rules");
    // kMaxPanelRules + 1 = 20001.
    const auto r = run_shell(
        generated_panel(20001, "codons: %d-%d") + " && timeout 20 \"$KITRX\" panel check p.yaml", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(any_line_matches(r.err,
                                 "kitrx: error: p\\.yaml:[0-9]+:1: the panel has 20001 rules, more than the "
                                 "20000 kitrx loads.*"))
        << r.err.substr(0, 500);
}

TEST(BadInputLimits, YamlLargerThanTheBoundIsRejectedBeforeParsing) {
    const auto dir = temp_dir("bad_input_big_yaml");
    // 17 MiB (> kMaxYamlBytes = 16 MiB); a sparse file, so the test costs no disk.
    auto r = run_shell("truncate -s 17M big.yaml && \"$KITRX\" panel check big.yaml", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(
        any_line_matches(r.err, err("big.yaml", "panel file is 17 MiB, larger than the 16 MiB kitrx reads")))
        << r.err;
    r = run_shell(
        "\"$KITRX\" report \"$SRC/test-data/bad/unsorted_records.vcf\" --outdir rep --regimens big.yaml",
        dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(any_line_matches(r.err, err("big.yaml", "regimen file is 17 MiB"))) << r.err;
    EXPECT_FALSE(fs::exists(dir + "/rep"));
    r = run_shell("cp big.yaml sheet.tsv && \"$KITRX\" report --outdir rep --sample-sheet sheet.tsv", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(any_line_matches(r.err, err("sheet.tsv", "sample sheet file is 17 MiB"))) << r.err;
}

}  // namespace
}  // namespace kitrx::test
