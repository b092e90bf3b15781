// SPDX-License-Identifier: MIT
// validation: analytical validation of kitrx against reference material of known composition.
// Flow: truth table (TSV/VCF) + observed variants (kitrx variants TSV, or raw VCF/BAM annotated by
// the CLI) -> match by normalised key -> per-call rows (TP/FN/FP) -> metrics (sensitivity per
// level and expected-VAF bin, precision, fraction bias, replicate CV, limit of detection) ->
// acceptance criteria (YAML) -> pass/fail. Knows no HTML/JSON layout beyond the writers below and
// prints nothing (warnings go to Diagnostics). Formulas: docs/validation.md.
// Sources by job (src/lib/validation/): keys, truth, observed, match, statistics, metrics,
// acceptance, validation_output (TSV/JSON/MultiQC), validation_html.
//
// Positions: truth and observed genomic keys are 1-based VCF POS (`pos1`).
//
//   const TruthSet truth = load_truth("truth.tsv");
//   const ObservedSet observed = read_variants_table(in, "calls.tsv");
//   const ValidationResult result = validate(truth, observed, ValidationOptions{}, diag);
//   const auto verdict = evaluate_acceptance(default_acceptance(), result);
#pragma once

#include <cmath>
#include <cstdint>
#include <istream>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/common/errors.hpp"

namespace kitrx {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Variant keys: how a truth row and an observed call are recognised as the same variant.

enum class KeyKind { kProtein, kCoding, kGenomic };

// A normalised variant identity. Protein and coding keys carry the gene; genomic keys do not.
//   protein  gene "KIT", text "D816V" (one-letter, no "p.", synonymous as "L862=", frameshifts
//            reduced to "E561fs", deleted residues dropped: "E746_A750del")
//   coding   gene "KIT", text "c.2447A>T" (deleted/duplicated bases dropped: "c.1679_1735del")
//   genomic  text "4:55599321:A:T" (chrom without "chr", 1-based POS, alleles trimmed of shared
//            suffix then prefix keeping one anchor base)
struct VariantKey {
    KeyKind kind = KeyKind::kProtein;
    std::string gene;
    std::string text;
    // "KIT:p.D816V", "KIT:c.2447A>T", "g.4:55599321:A:T" (stable; used in outputs and for grouping).
    [[nodiscard]] std::string str() const;
    friend bool operator==(const VariantKey& a, const VariantKey& b) {
        return a.kind == b.kind && a.gene == b.gene && a.text == b.text;
    }
    friend bool operator<(const VariantKey& a, const VariantKey& b) { return a.str() < b.str(); }
};

// Protein change to the short one-letter form used by kitrx ("p.Asp816Val" -> "D816V",
// "p.(L862L)" -> "L862=", "p.Leu238fs*25" -> "L238fs", "Ter"/"X" -> "*"). Spaces are removed.
[[nodiscard]] std::string normalise_protein(std::string_view text);
// c. change: "c." prefix added when missing, spaces removed, bases after del/dup dropped.
[[nodiscard]] std::string normalise_coding(std::string_view text);
// Genomic key text "4:55599321:A:T" from a VCF-style allele; returns "" when REF/ALT are not ACGTN.
[[nodiscard]] std::string genomic_key_text(std::string_view chrom,
                                           std::int64_t pos1,
                                           std::string_view ref,
                                           std::string_view alt);
// Parses a user-written variant ("D816V", "p.Asp816Val", "c.2447A>T", "chr4:55599321:A:T",
// "4-55599321-A-T", "chr4:55599321A>T", optionally prefixed "KIT:") for `gene`.
// Throws std::invalid_argument with a reason when it is none of these forms or the gene is
// missing for a protein/coding key.
[[nodiscard]] VariantKey parse_variant_key(std::string_view gene, std::string_view text);

// ---------------------------------------------------------------------------------------------
// Truth table.
//
// TSV, tab-separated, '#' lines are comments, first non-comment line is the header. Columns
// (any order; unknown columns are an error so that typos are caught):
//   sample        run/sample name as it appears in OBSERVED; "*" = every observed sample
//                 (optional column; absent = "*")
//   level         expected tumour fraction of the run (0-1 or "5%"); NA/empty = unknown.
//                 Runs with the same level are replicates of one dilution step.
//   replicate     replicate label within the level (optional)
//   gene          KIT / PDGFRA (may be empty when the variant carries a "GENE:" prefix)
//   variant       p. short/3-letter, c., or chrom:pos:ref:alt; "." or "none" declares a run
//                 with no expected variant (negative control: every call there is a FP)
//   expected_vaf  expected allele fraction (0-1 or "7.5%"); required for variant rows
//   note          free text (optional)
// A run's level and replicate must be the same on all its rows.
//
// VCF: every record is a truth variant for every observed sample ("*"); the expected fraction
// is INFO/EXPECTED_VAF, else INFO/VAF, else INFO/AF; the key is genomic (chrom:pos:ref:alt per
// ALT). No levels.

struct TruthEntry {
    std::string sample;             // "*" = every observed sample
    double level = kNaN;            // expected tumour fraction of the run; NaN = unknown
    std::string replicate;          // "" when not given
    std::string gene;               // "" for a negative-control row
    std::string variant;            // as written in the file
    std::optional<VariantKey> key;  // nullopt for a negative-control row
    double expected_vaf = kNaN;     // NaN for a negative-control row
    std::string note;
    int line = 0;  // 1-based line in the truth file
};

struct TruthSet {
    std::string path;
    std::vector<TruthEntry> entries;
};

// Reads a truth TSV. Throws InputError "name:line:col: ..." for a missing required column, an
// unknown column, a malformed number or variant, or a run with two different levels.
[[nodiscard]] TruthSet read_truth_tsv(std::istream& in, const std::string& name);
// Reads a truth VCF given as text (plain; use load_truth for .vcf.gz).
[[nodiscard]] TruthSet read_truth_vcf(std::istream& in, const std::string& name);
// Opens `path` (plain or gzip), detects VCF ("##fileformat=VCF") vs TSV from content.
// Throws IoError when unreadable.
[[nodiscard]] TruthSet load_truth(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Observed variants (one called ALT in one sample).

struct ObservedVariant {
    std::string sample;
    std::string chrom;            // as in the input ("chr4" / "4")
    std::int64_t pos1 = 0;        // 1-based POS of the input record
    std::string ref, alt;         // input alleles
    std::string norm_key;         // extra genomic key text from the normalised allele ("" if none)
    std::string gene;             // "KIT"
    std::string protein;          // short name "D816V" ("" if none)
    std::string hgvs_c;           // "c.2447A>T" ("" if none)
    std::string consequence;      // "missense_variant", ...
    std::string filter = ".";     // FILTER of the input record
    double vaf = kNaN;            // observed allele fraction
    std::int64_t alt_reads = -1;  // -1 = unknown
    std::int64_t depth = -1;      // -1 = unknown
    std::string source;           // "calls.tsv:12" or "x.vcf: chr4:55599321", for messages

    // Every key this call answers to (protein, coding, genomic from input and normalised allele).
    [[nodiscard]] std::vector<VariantKey> keys() const;
    // A call with evidence: alt_reads > 0, or VAF > 0 when counts are unknown.
    [[nodiscard]] bool has_evidence() const;
};

struct ObservedSet {
    std::vector<ObservedVariant> variants;
    std::vector<std::string> samples;  // every sample seen (also those with no call), first-seen order
    std::vector<std::string> sources;  // input files
    // Appends `other`; throws InputError when a sample already came from another file.
    void merge(ObservedSet other);
};

// True when the first line of a file looks like a kitrx variants table ("##kitrx_version" or a
// header starting "sample\tchrom\tpos").
[[nodiscard]] bool looks_like_variants_table(std::string_view first_line);
// Reads a variants table written by `kitrx annotate` / `kitrx report` (## provenance lines, then
// the header; columns found by name: sample, chrom, pos, ref, alt, gene, hgvs_c, protein,
// consequence, vaf, alt_reads, depth, filter). Throws InputError "name:line:col" when a required
// column (sample, chrom, pos, ref, alt, gene) is missing or a value is malformed.
[[nodiscard]] ObservedSet read_variants_table(std::istream& in, const std::string& name);

// ---------------------------------------------------------------------------------------------
// Matching and per-call rows.

enum class CallStatus { kTruePositive, kFalseNegative, kFalsePositive };
[[nodiscard]] std::string to_string(CallStatus s);  // "TP", "FN", "FP"

// One row of validation.tsv: a truth variant in one run (TP/FN) or an unexpected call (FP).
struct CallRow {
    std::string sample;
    double level = kNaN;  // the run's expected tumour fraction
    std::string replicate;
    std::string gene;
    std::string variant;         // truth text (TP/FN) or the observed protein/c./genomic name (FP)
    std::string key;             // VariantKey::str() of the truth key, or of the FP call
    double expected_vaf = kNaN;  // NaN for FP
    CallStatus status = CallStatus::kFalseNegative;
    double observed_vaf = kNaN;  // NaN for FN
    std::int64_t alt_reads = -1;
    std::int64_t depth = -1;
    std::string observed_name;  // protein (else c.) of the matched call
    std::string hgvs_c;
    std::string filter;
    int truth_line = 0;  // 0 for FP
    std::string source;  // observed call location, "" for FN
    std::string note;    // FN: why a matching record did not count ("FILTER weak_evidence")

    [[nodiscard]] bool is_truth() const { return status != CallStatus::kFalsePositive; }
    [[nodiscard]] bool detected() const { return status == CallStatus::kTruePositive; }
};

struct ValidationOptions {
    // Expected-VAF bin edges (ascending). Bins: [0, e0), [e0, e1), ..., [e_last, 1].
    std::vector<double> vaf_bins{0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1};
    double detection_rate = 0.95;    // LoD: required detection rate per level
    bool pass_only = false;          // calls whose FILTER is not PASS/. are not calls
    double min_vaf = 0.0;            // calls below this observed VAF are not calls
    std::vector<std::string> genes;  // genes scored for FP; empty = all
};

// ---------------------------------------------------------------------------------------------
// Statistics (pure functions, deterministic).

// A proportion x/n with its Wilson score 95% interval; all NaN when n == 0.
struct Proportion {
    std::int64_t x = 0;
    std::int64_t n = 0;
    double value = kNaN;
    double low = kNaN;
    double high = kNaN;
};
[[nodiscard]] Proportion proportion(std::int64_t x, std::int64_t n);

[[nodiscard]] double normal_cdf(double z);
// Inverse of normal_cdf for p in (0,1) (Acklam's rational approximation refined by one Halley
// step; |error| < 1e-12). NaN outside (0,1).
[[nodiscard]] double normal_quantile(double p);

// Observed (y) vs expected (x) fraction agreement. Needs n >= 2 and var(x) > 0, else NaN fields.
struct BiasFit {
    std::size_t n = 0;
    double slope = kNaN;  // ordinary least squares y = intercept + slope * x
    double intercept = kNaN;
    double pearson_r = kNaN;
    double ccc = kNaN;                 // Lin's concordance correlation coefficient
    double mean_relative_bias = kNaN;  // mean of (y - x) / x over x > 0 (n >= 1)
    double median_relative_bias = kNaN;
};
[[nodiscard]] BiasFit fit_bias(const std::vector<double>& expected, const std::vector<double>& observed);

// Sample coefficient of variation sd/mean (sd with n-1); NaN when n < 2 or mean == 0.
[[nodiscard]] double coefficient_of_variation(const std::vector<double>& values);

// Probit model P(detected) = Phi(intercept + slope * x), fitted by maximum likelihood with
// Fisher scoring (IRLS) and step halving, from a zero start; deterministic.
struct ProbitFit {
    bool estimable = false;  // false: too few points, no overlap (separation), no convergence
    std::string note;        // why not estimable, or "" when fine
    double intercept = kNaN;
    double slope = kNaN;
    double var_intercept = kNaN, var_slope = kNaN, cov = kNaN;  // inverse Fisher information
    int iterations = 0;
    std::size_t n = 0;  // observations
    // x at which P(detected) = target, with a delta-method 95% interval.
    double x_target = kNaN, x_low = kNaN, x_high = kNaN;
};
// `x` covariate per observation, `detected` 0/1 per observation; `target` in (0,1).
[[nodiscard]] ProbitFit fit_probit(const std::vector<double>& x,
                                   const std::vector<int>& detected,
                                   double target = 0.95);

// ---------------------------------------------------------------------------------------------
// Metrics over a set of call rows.

struct DetectionCounts {
    std::int64_t tp = 0, fn = 0, fp = 0;
    Proportion sensitivity;  // tp / (tp + fn)
    Proportion precision;    // tp / (tp + fp)
};

// Detection per dilution level (all truth variants at that level pooled, or one variant).
struct LevelDetection {
    double level = kNaN;
    std::int64_t detected = 0;
    std::int64_t total = 0;
    double rate = kNaN;
    double mean_expected_vaf = kNaN;
};

// Limit of detection for one scope ("all" or a variant key).
//   empirical: lowest level L such that every level >= L has detection rate >= the required rate
//   probit:    fit of detected ~ log10(expected VAF); vaf_probit = 10^x at the required rate
struct LodEstimate {
    std::string scope;                   // "all" or VariantKey::str()
    std::string variant;                 // display name ("all" or truth text)
    std::vector<LevelDetection> levels;  // ascending level
    double lod_level = kNaN;             // empirical (NaN: no level reaches the rate)
    double lod_vaf = kNaN;               // mean expected VAF at lod_level
    ProbitFit probit;                    // x = log10(expected VAF)
    double vaf_probit = kNaN, vaf_probit_low = kNaN, vaf_probit_high = kNaN;
    double level_probit = kNaN;  // per variant: vaf_probit converted to a level (VAF/level ratio)
};

// Replicate agreement of one variant in one material: runs with the same level, variant and
// expected VAF.
struct ReplicateCv {
    double level = kNaN;
    std::string key;
    std::string variant;
    double expected_vaf = kNaN;
    std::size_t replicates = 0;  // runs with this variant at this level
    std::size_t detected = 0;
    double mean_vaf = kNaN;  // over detected replicates
    double sd_vaf = kNaN;
    double cv = kNaN;  // sd/mean over detected replicates (NaN when < 2)
};

struct GroupSummary {
    std::string group;      // "all", a sample, "level=0.01", "vaf=[0.001,0.0025)"
    std::string kind;       // "overall", "sample", "level", "vaf_bin"
    double level = kNaN;    // sample/level rows
    std::string replicate;  // sample rows
    DetectionCounts counts;
    BiasFit bias;
};

struct ValidationResult {
    std::vector<CallRow> calls;        // truth order (sample-expanded), then FPs by sample/input
    std::vector<std::string> samples;  // runs scored, truth order
    GroupSummary overall;
    std::vector<GroupSummary> per_sample;
    std::vector<GroupSummary> per_level;       // ascending level (runs with a known level only)
    std::vector<GroupSummary> per_vaf_bin;     // bins with >= 1 truth variant
    std::vector<ReplicateCv> replicate_cv;     // ascending level, then truth order
    LodEstimate lod;                           // pooled over variants
    std::vector<LodEstimate> lod_per_variant;  // truth order of first appearance
    std::int64_t ignored_calls = 0;            // observed calls not scored (filters, genes, samples)
    double detection_rate = 0.95;              // the LoD rate used (ValidationOptions::detection_rate)
};

// Matches `observed` to `truth` run by run. A truth row of sample "*" applies to every observed
// sample. A truth variant is TP when a call of its run answers to its key and has evidence (and
// passes pass_only/min_vaf); the highest-VAF such call is reported. Every other call of a scored
// run, in a scored gene, with evidence, is a FP. Observed samples absent from the truth are not
// scored (warning "unscored_sample"). Throws InputError (truth file:line) when no truth sample is
// found in OBSERVED.
[[nodiscard]] ValidationResult validate(const TruthSet& truth,
                                        const ObservedSet& observed,
                                        const ValidationOptions& options,
                                        Diagnostics& diag);

// Metrics of a subset of rows (used by validate() and by acceptance criteria with filters).
[[nodiscard]] DetectionCounts count_calls(const std::vector<const CallRow*>& rows);
[[nodiscard]] BiasFit bias_of(const std::vector<const CallRow*>& rows);  // TP rows with both fractions
[[nodiscard]] std::vector<ReplicateCv> replicate_cv_of(const std::vector<const CallRow*>& rows);
[[nodiscard]] LodEstimate lod_of(const std::vector<const CallRow*>& rows,
                                 const std::string& scope,
                                 double detection_rate);

// ---------------------------------------------------------------------------------------------
// Acceptance criteria (YAML, strict; docs/validation.md lists metrics and keys):
//   name: lab acceptance 2025
//   criteria:
//     - id: sensitivity_0.5pct
//       metric: sensitivity        # see kAcceptanceMetrics
//       min: 0.95                  # min / max / max_abs (|value| <= max_abs); "95%" accepted
//       where: {min_expected_vaf: 0.005, genes: [KIT]}

struct CriterionFilter {
    double min_expected_vaf = kNaN, max_expected_vaf = kNaN;  // truth rows only
    double min_level = kNaN, max_level = kNaN;                // by the run's level
    std::vector<std::string> genes;
    std::vector<std::string> samples;
    [[nodiscard]] bool accepts(const CallRow& row) const;
    [[nodiscard]] std::string describe() const;  // "expected VAF >= 0.005, genes KIT" or "all"
};

struct Criterion {
    std::string id;
    std::string description;
    std::string metric;  // one of kAcceptanceMetrics
    std::optional<double> min, max, max_abs;
    CriterionFilter where;
    int line = 0, column = 0;  // 1-based position in the YAML
};

struct AcceptanceCriteria {
    std::string name;
    std::string version;
    std::string source;  // path or "builtin:models/acceptance_default.yaml"
    std::vector<Criterion> criteria;
};

// Metrics an acceptance criterion can test (see docs/validation.md).
inline constexpr const char* kAcceptanceMetrics[] = {"sensitivity",
                                                     "precision",
                                                     "true_positives",
                                                     "false_negatives",
                                                     "false_positives",
                                                     "slope",
                                                     "intercept",
                                                     "pearson_r",
                                                     "ccc",
                                                     "mean_relative_bias",
                                                     "median_relative_bias",
                                                     "max_cv",
                                                     "median_cv",
                                                     "lod_level",
                                                     "lod_vaf",
                                                     "lod_vaf_probit"};

// Parses acceptance YAML text; `name` is used in messages. Throws InputError "name:line:col: ..."
// for YAML syntax errors, unknown keys (listing the allowed ones), unknown metrics, a criterion
// without bound, duplicate ids, malformed numbers.
[[nodiscard]] AcceptanceCriteria parse_acceptance(const std::string& text, const std::string& name);
// Reads a file (IoError when unreadable) and parses it.
[[nodiscard]] AcceptanceCriteria load_acceptance(const std::string& path);
// The shipped resources/models/acceptance_default.yaml.
[[nodiscard]] AcceptanceCriteria default_acceptance();

struct CriterionResult {
    Criterion criterion;
    double value = kNaN;
    bool pass = false;   // NaN (not evaluable) never passes
    std::string detail;  // "0.9712 >= 0.95" or "not evaluable: no TP row"
};

struct AcceptanceVerdict {
    std::vector<CriterionResult> results;
    bool pass = false;  // every criterion passes (true for an empty list)
};

// The value of `metric` over `rows` (NaN when not evaluable). Throws std::invalid_argument for an
// unknown metric.
[[nodiscard]] double metric_value(const std::string& metric,
                                  const std::vector<const CallRow*>& rows,
                                  double detection_rate);
[[nodiscard]] AcceptanceVerdict evaluate_acceptance(const AcceptanceCriteria& criteria,
                                                    const ValidationResult& result,
                                                    double detection_rate = 0.95);

// ---------------------------------------------------------------------------------------------
// Output writers (columns documented in docs/validation.md; numbers as format_fraction()).

struct ValidationRunInfo {
    std::string command_line;
    std::string truth_path;
    std::vector<std::string> observed_paths;
    std::string title = "kitrx analytical validation";
};

void write_calls_tsv(std::ostream& out, const ValidationResult& result);
void write_summary_tsv(std::ostream& out, const ValidationResult& result, const AcceptanceVerdict& verdict);
void write_validation_json(std::ostream& out,
                           const ValidationResult& result,
                           const AcceptanceCriteria& criteria,
                           const AcceptanceVerdict& verdict,
                           const ValidationRunInfo& info);
void write_validation_html(std::ostream& out,
                           const ValidationResult& result,
                           const AcceptanceCriteria& criteria,
                           const AcceptanceVerdict& verdict,
                           const ValidationRunInfo& info);
// MultiQC custom-content table (one row per run), file name must end in _mqc.tsv.
void write_validation_mqc(std::ostream& out, const ValidationResult& result);

}  // namespace kitrx
