// SPDX-License-Identifier: MIT
// report: the last stage of the flow. Annotated variants of one or more inputs -> ReportModel
// (plain data: per sample variants, clones, ranked regimens, minimal drug sets, optional
// projections; per patient trajectories; panel, citations, provenance) -> writers: clones.tsv,
// regimens.tsv, variants.tsv, report.json, report.html and MultiQC custom-content files.
// build_report() only wires the clones/regimens/timepoints functions together; the writers
// compute nothing and print only to the stream they are given. Schemas: docs/report.md and
// docs/report_json_schema.md.
//
//   ReportModel m = build_report(inputs, panel, regimens, nullptr, options);
//   write_clones_tsv(out, m);  write_report_json(out, m);  write_report_html(out, m);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kitrx/clones/clones.hpp"
#include "kitrx/clones/timepoints.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/panel/panel.hpp"
#include "kitrx/regimens/regimens.hpp"
#include "kitrx/report/tables.hpp"

namespace kitrx {

// Version of report.json's layout (docs/report_json_schema.md). Bumped on any change: major for
// removed/renamed keys, minor for added keys.
inline constexpr const char* kReportSchemaVersion = "1.1";

// Everything the report shows about one sample. Indices in `clones` (Clone::variants[].input_index)
// point into `variants`.
struct ReportSample {
    std::string name;                        // unique within the report (see build_report for renaming)
    std::string input;                       // input path it came from
    std::string patient;                     // from the sample sheet or the multi-sample rule; "" when none
    std::string timepoint;                   // timepoint label; "" when none
    std::vector<AnnotatedVariant> variants;  // every KIT/PDGFRA row of the sample, input order
    // Every hotspot of the selected genes: BAM input with depth and LoD; VCF input not_assessed
    // (a call list cannot show wild type) unless a record names it.
    std::vector<HotspotStatus> hotspots;
    std::vector<ExonCoverage> exons;          // every target exon; VCF input: not_assessed
    std::int64_t min_depth = 1;               // the --min-depth floor of the statuses
    std::int64_t pdgfra_records_ignored = 0;  // of the sample's input (--genes without PDGFRA)
    SampleClones clones;
    std::vector<RegimenCoverage> regimens;  // ranked (rank 1 first)
    DrugSetResult drug_sets;
    std::vector<Projection> projections;     // --simulate: the top-ranked regimens, rank order
    double median_depth = kUnknownFraction;  // median depth over variant rows and hotspots; NaN if none
    std::vector<std::string> notes;          // problems that did not stop the report (search limits)
    TreatmentHistory history;                // failed drugs (panel ids); empty = not given
    int next_line = 0;                       // next_line(): 0 when the history is not given
};

// The whole report. Pointers refer to objects owned by the caller (panel, regimen set): keep them
// alive while the model is used. RegimenCoverage::regimen and Projection::regimen point into
// `regimen_set`.
struct ReportModel {
    std::string title = "kitrx report";
    const ActivityPanel* panel = nullptr;
    const RegimenSet* regimen_set = nullptr;
    std::optional<GrowthModel> growth_model;  // set when projections were requested
    std::optional<PkModel> pk_model;          // schedule model pk: the table used
    // Schedule model pk: relative exposure of each drug over two cycles (alternations; one pass
    // for sequences) of every timed regimen with PK data, sampled hourly, for the report's plot.
    struct RegimenExposure {
        const Regimen* regimen = nullptr;
        double step_hours = 1.0;
        std::vector<ExposureCurve> curves;
    };
    std::vector<RegimenExposure> exposures;
    int simulate_weeks = -1;                    // < 0: no projections
    std::vector<SourceInfo> inputs;             // one per input file, in order
    std::vector<ReportSample> samples;          // input order, then sample order within an input
    std::vector<CloneTrajectory> trajectories;  // patients with >= 2 timepoints
    std::vector<std::string> skipped_samples;   // "input: sample (why)", see ReportOptions::tumour_only
    Provenance provenance;                      // "##key=value" lines of every table

    [[nodiscard]] bool simulated() const { return simulate_weeks >= 0 && growth_model.has_value(); }
    // Citation keys used by any shown cell or regimen that exist in the panel, sorted.
    [[nodiscard]] std::vector<std::string> citations_used() const;
    // Regimen citation strings that are not panel keys (free-text references), sorted, unique.
    [[nodiscard]] std::vector<std::string> free_references() const;
};

// Where a sample of an input sits in time. Keyed by (input path as given, sample name).
struct SampleTimepoint {
    std::string input;
    std::string sample;
    std::string patient;
    std::string timepoint;
    int order = 0;
    std::vector<std::string> prior;  // sheet column `prior`: drugs failed before this sample
};

struct ReportOptions {
    CloneOptions clones;
    TrajectoryOptions trajectory;
    int simulate_weeks = -1;                     // < 0: no projections
    int simulate_top = 3;                        // regimens projected per sample (best ranked first)
    std::vector<std::string> simulate_regimens;  // explicit regimen ids; overrides simulate_top
    // Sample sheet rows (patient/timepoint per input + sample). Empty: see `columns_as_timepoints`.
    std::vector<SampleTimepoint> timepoints;
    // Without a sheet, a multi-sample input (>= 2 samples, no ##tumor_sample/##normal_sample
    // pairing) is one patient (the input's file stem) whose timepoints are its samples in column
    // order.
    bool columns_as_timepoints = true;
    // A tumour/normal VCF (##tumor_sample names one of its samples) reports the tumour sample only:
    // clones and regimens of the matched normal mean nothing. Dropped samples are listed in
    // ReportModel::skipped_samples.
    bool tumour_only = true;
    // Drugs the patient has failed (--prior; ids or aliases of the panel), for every sample
    // without its own sheet `prior` value.
    std::vector<std::string> prior;
    // The PK table the regimen set's schedule model (apply_schedule_model) was built from; with
    // the pk model, build_report also ranks under the low and high ends of the published
    // half-life ranges (RegimenCoverage::rank_half_life_low/high).
    const PkModel* pk = nullptr;
    std::string command_line;  // for provenance
    std::string title = "kitrx report";
};

// Builds the model: per input, per sample (SourceInfo::samples order, then any other sample seen
// in variants): build_clones, evaluate_regimens (ranked), minimal_drug_sets, and simulate for the
// chosen regimens when options.simulate_weeks >= 0 (model required then). Samples with the same
// name in different inputs are renamed "<input stem>:<sample>" (also in their variants) so that
// every name is unique. Trajectories are built for every patient with >= 2 timepoints.
// Throws std::invalid_argument for an unknown --simulate regimen id, or when simulate_weeks >= 0
// without a growth model; propagates std::invalid_argument from the clones/regimens functions.
[[nodiscard]] ReportModel build_report(const std::vector<AnnotationResult>& inputs,
                                       const ActivityPanel& panel,
                                       const RegimenSet& regimens,
                                       const GrowthModel* growth_model,
                                       const ReportOptions& options);

// "sample.vcf.gz" -> "sample", "/a/b/run1.bam" -> "run1", "-" -> "stdin".
[[nodiscard]] std::string input_stem(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Writers. Each TSV starts with the model's "##key=value" provenance lines unless `provenance` is
// false, then one header line. Unknown numbers are "NA"; empty lists are "NA".

// clones.tsv columns (docs/report.md): sample, clone, role, variants, vaf, clone_fraction, ci_low,
// ci_high, status, alt_reads, depth, vaf_ci_low, vaf_ci_high, lod_vaf, lod_fraction,
// tumour_fraction, flags, activity_<drug>... (one per panel drug), then fraction_uncapped,
// ratio_ci_low, ratio_ci_high, sample_warnings. One row per clone, every sample.
[[nodiscard]] std::vector<std::string> clone_columns(const ActivityPanel& panel);
void write_clones_tsv(std::ostream& out, const ReportModel& model, bool provenance = true);

// coverage.tsv columns: sample, kind (hotspot|exon), gene, item (hotspot label or "exon N"),
// exon, status, depth (hotspot: minimum fragment depth over the codon; exon: median), min_depth
// (exon: smallest over its bases), bases_at_floor (exon), bases (exon), lod_vaf, floor.
// Statuses: hotspot detected|not_detected|not_covered|not_assessed; exon covered|
// partially_covered|not_covered|not_assessed.
[[nodiscard]] std::vector<std::string> coverage_columns();
void write_coverage_tsv(std::ostream& out, const ReportModel& model, bool provenance = true);

// regimens.tsv columns: sample, regimen, drugs, covered_clones, partial_clones, escaping_clones,
// unknown_clones, covered_burden, rank, partial_burden, unknown_burden, resistant_burden, kind,
// hypothetical, approved, name, tier, evidence_grade, covered_burden_clinical,
// low_confidence_clones, conflicting_clones, approved_for_sample, standard_of_care, prior,
// burden_basis. One row per sample x regimen, rank order within a sample (ties share a rank).
// "GENOTYPE, line N" entries of the regimen's standard_of_care that the sample matches.
[[nodiscard]] std::string standard_label(const RegimenCoverage& r);
[[nodiscard]] std::vector<std::string> regimen_columns();
void write_regimens_tsv(std::ostream& out, const ReportModel& model, bool provenance = true);

// variants.tsv: tables.hpp's write_variants_header / write_variant_row over every sample.
void write_variants_tsv(std::ostream& out, const ReportModel& model, bool provenance = true);

// report.json (docs/report_json_schema.md): one JSON object with "schema_version". NaN -> null.
void write_report_json(std::ostream& out, const ReportModel& model);

// report.html: one self-contained page (inline CSS and SVG, no script, no external resource).
// Sections: notice, summary, per sample (variants, clone x drug heatmap, clone fractions,
// regimen coverage, drug sets, projections), trajectories, evidence, citations, provenance.
void write_report_html(std::ostream& out, const ReportModel& model);

// MultiQC custom content (YAML "#" header, no "##" lines): general statistics, one row per sample:
// sample, kit_variants, secondary_clones, tumour_fraction, best_regimen, best_covered_burden,
// median_depth.
void write_multiqc_general(std::ostream& out, const ReportModel& model);
// MultiQC table: one row per sample, one column per regimen id: covered burden (NA-free: empty
// cells are left out by MultiQC when blank).
void write_multiqc_regimens(std::ostream& out, const ReportModel& model);

}  // namespace kitrx
