// SPDX-License-Identifier: MIT
// io: opening an input (VCF, BCF, BAM, CRAM, MAF, TSO500 CombinedVariantOutput; a path or "-" for
// stdin; format detected from content, never from the file name) and streaming Observations over
// the target regions.
// First stage of the flow: input -> Observation. Knows nothing about drugs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kitrx/common/errors.hpp"
#include "kitrx/genome/genome.hpp"
#include "kitrx/io/observation.hpp"

namespace kitrx {

enum class InputFormat { kVcf, kBcf, kBam, kCram, kSam, kMaf, kTso500 };
[[nodiscard]] std::string to_string(InputFormat f);

// --input-format: `auto` detects from content; the others insist on one reader (an input of another
// kind is an InputError naming what was found).
enum class InputFormatChoice { kAuto, kVcf, kBam, kMaf, kTso500 };
// "auto", "vcf" (VCF/BCF), "bam" (BAM/CRAM/SAM), "maf", "tso500"; nullopt otherwise.
[[nodiscard]] std::optional<InputFormatChoice> parse_input_format(const std::string& text);

// Read filters and calling thresholds for BAM/CRAM allele counting (see read_counter.hpp for the
// documented defaults). Ignored for VCF input.
struct CountOptions {
    int min_mapq = 20;
    int min_baseq = 20;
    bool keep_duplicates = false;
    bool keep_secondary = false;
    bool keep_supplementary = false;
    bool keep_qcfail = false;
    bool count_overlapping_mates_once = true;
    double background_error = 0.001;  // per-base error rate for the binomial test
    std::string noise_table;          // optional per-position background table (TSV)
    double alpha = 0.01;              // significance of the background test
    int min_alt_reads = 3;
    double min_vaf = 0.0;
    // --min-depth: below this many fragments a hotspot, an exon base or a zero-read record is
    // `not_covered`, never a negative result (see docs/report.md, "What the sample can show").
    std::int64_t min_depth = 20;
};

struct SourceOptions {
    std::string path;                       // "-" = stdin
    std::optional<Build> build;             // --build; else detected
    std::vector<std::string> genes{"KIT"};  // --genes
    std::vector<int> exons;                 // --exons; empty = default hotspot exons
    // --exons GENE:N: exons of that gene only; a gene listed here takes these (plus `exons`) instead
    // of the defaults, the other genes keep `exons` or their defaults.
    std::map<std::string, std::vector<int>> gene_exons;
    std::vector<std::string> samples;                           // --samples; empty = all
    std::string reference_fasta;                                // -f/--reference for CRAM
    int threads = 0;                                            // extra BGZF decompression threads (-@)
    bool strict = false;                                        // skippable problems become errors
    InputFormatChoice input_format = InputFormatChoice::kAuto;  // --input-format
    CountOptions count;
};

// The regions looked at for options.genes / exons / gene_exons on `model`, sorted by start. Throws
// std::invalid_argument for an unknown gene.
[[nodiscard]] std::vector<TargetRegion> target_regions(const SourceOptions& options,
                                                       const GenomeModel& model);

struct SourceInfo {
    std::string path;
    InputFormat format = InputFormat::kVcf;
    Build build = Build::kGRCh38;
    std::string build_evidence;           // "##contig chr4 length=191154276", "--build", ...
    std::string caller;                   // "Mutect2", "Strelka2", ... or "" when unknown
    std::vector<std::string> samples;     // samples that produce observations, in order
    std::string tumor_sample;             // from ##tumor_sample, when present
    std::string contig;                   // chr4 as spelled in the input ("chr4"/"4"); "" if absent
    bool used_index = false;              // true when only the target regions were read
    std::int64_t records_read = 0;        // records (or reads) examined
    std::int64_t records_in_targets = 0;  // records overlapping targets
    std::vector<TargetRegion> targets;    // regions looked at, for the chosen build
    // VCF/BCF: records in the target exons of a gene left out of --genes (PDGFRA by default),
    // counted and never named, so that a PDGFRA-only input does not pass as "no variant".
    std::map<std::string, std::int64_t> records_in_unselected_genes;
    // Table inputs (MAF, TSO500): rows skipped and why ("rows of other genes" -> 1234), for the
    // stderr summary and the provenance; final after run().
    std::map<std::string, std::int64_t> skipped;
    // Findings about the input that the report must show (a KIT amplification in a TSO500 table
    // breaks the heterozygous clone model; the file's HGVS disagreeing with kitrx's names).
    std::vector<std::string> notes;
};

// A known secondary-resistance hotspot (resources/genome/hotspots.tsv) as seen in reads: detected,
// or "not detected" with the depth and the smallest fraction the reads could have detected.
// A negative ctDNA result means nothing without the last two. Only BAM/CRAM sources fill it.
struct HotspotStatus {
    std::string sample;                    // sample the reads belong to (read-group SM or file stem)
    std::string gene;                      // "KIT"
    std::string label;                     // "D816*", "V654A" (one-letter; * = any amino-acid change)
    int codon = 0;                         // protein position, 1-based
    std::string chrom;                     // contig as spelled in the input
    std::int64_t begin = 0;                // 0-based genomic start of the codon's bases
    std::int64_t end = 0;                  // 0-based exclusive end
    std::int64_t depth = 0;                // minimum fragment depth over the codon's bases
    bool detected = false;                 // a called allele makes the labelled change
    double lod_vaf = kUnknownFraction;     // VAF detectable with 95% power at `depth` (NaN: depth 0)
    double background = kUnknownFraction;  // error rate used (highest over the codon's alleles)
    std::string best_allele;          // "POS REF>ALT" (1-based) of the strongest matching allele, "" if none
    std::int64_t best_alt_reads = 0;  // its fragments
    std::int64_t best_depth = 0;      // its depth
    double best_pvalue = 1.0;         // its background-test p-value
    std::string source;               // citation key(s) of the hotspot entry
    // False when the input cannot tell "wild type" from "not sequenced" here (a VCF lists calls
    // only): the hotspot is `not_assessed`, depth -1.
    bool assessed = true;
    std::int64_t min_depth = 1;  // the --min-depth floor the status was judged against
};

// detected / not_detected / not_covered (depth < min_depth) / not_assessed.
[[nodiscard]] std::string hotspot_state(const HotspotStatus& h);

// Read depth over one target exon (coding bases +/- the splice-region flank) of one sample.
struct ExonCoverage {
    std::string sample;
    std::string gene;
    int exon = 0;
    std::int64_t begin = 0;  // 0-based, as TargetRegion
    std::int64_t end = 0;
    bool assessed = true;                    // false: the input has no depth here (VCF)
    std::int64_t bases = 0;                  // positions of the target
    std::int64_t min_depth_observed = -1;    // smallest fragment depth over the bases; -1 unknown
    double median_depth = kUnknownFraction;  // fragments
    std::int64_t bases_at_floor = 0;         // bases with depth >= floor
    std::int64_t floor = 1;                  // --min-depth
    double lod_vaf = kUnknownFraction;       // VAF detectable with 95% power at the median depth
};

// covered (every base >= floor) / partially_covered / not_covered / not_assessed.
[[nodiscard]] std::string exon_state(const ExonCoverage& e);

class ObservationSource {
public:
    virtual ~ObservationSource() = default;
    // Valid after construction (header read, build resolved); counters are final after run().
    [[nodiscard]] virtual const SourceInfo& info() const = 0;
    // Streams every Observation overlapping the targets, in input order. Always consumes the input
    // to its end (stdin drained). Throws InputError naming file and record on malformed data.
    virtual void run(const std::function<void(Observation&&)>& sink) = 0;
    // Hotspot status after run() (BAM/CRAM only; VCF sources cannot tell "not covered" from
    // "wild type" and return nothing).
    [[nodiscard]] virtual std::vector<HotspotStatus> hotspot_status() const { return {}; }
    // Depth per target exon after run() (BAM/CRAM only, same reason).
    [[nodiscard]] virtual std::vector<ExonCoverage> exon_coverage() const { return {}; }
};

// Detects the format from content and returns the matching source (VcfSource or BamSource).
// Throws IoError when the file cannot be opened, InputError when it is not VCF/BCF/BAM/CRAM or the
// build cannot be told (with a --build hint).
[[nodiscard]] std::unique_ptr<ObservationSource> open_source(const SourceOptions& options, Diagnostics& diag);

}  // namespace kitrx
