// SPDX-License-Identifier: MIT
// Private to report.html. The page is written by four files, each with one job:
//   html_model.cpp    what the page shows, picked and grouped from the ReportModel (which clones
//                     go in which group, which evidence rows exist, the treatment map)
//   html_format.cpp   how values look (percentages, colours of calls, escaping, tier wording)
//   html_charts.cpp   the inline SVG charts
//   report_html.cpp   the page: head and stylesheet, sections and tables, in page order
//   html_sample.cpp   the per-sample and trajectory sections
// Only the model decides content; the other files format what it hands them.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "kitrx/common/html.hpp"
#include "kitrx/report/report.hpp"

namespace kitrx::report_html {

// ---------------------------------------------------------------------------------------------
// Model (html_model.cpp)

// "D816V", "V654A+D820G", "PDGFRA D842V"; the clone id when it has no variant.
[[nodiscard]] std::string clone_label(const Clone& c);
// The panel drug's display name, else its id.
[[nodiscard]] std::string drug_name(const ActivityPanel& panel, const std::string& id);

// The rows of a sample's heatmap: its detected clones, primary first (SampleClones order).
[[nodiscard]] std::vector<const Clone*> heatmap_rows(const SampleClones& sc);

// Clones whose absence is claimed (covered, not detected) and those where it cannot be.
struct NegativeGroups {
    std::vector<const Clone*> not_detected, not_covered, not_assessed;
};
[[nodiscard]] NegativeGroups negative_groups(const SampleClones& sc);

// One bar of the clone-fraction chart: the tumour fraction (clone == nullptr) or a clone.
struct FractionRow {
    std::string label;
    double value;
    ConfidenceInterval ci;
    bool detected;
    double lod;
    bool tumour;
    const Clone* clone = nullptr;
};
[[nodiscard]] std::vector<FractionRow> fraction_rows(const SampleClones& sc);

// The regimens of one tier, as indices into ReportSample::regimens (rank order).
struct TierGroup {
    RegimenTier tier;
    std::vector<std::size_t> rows;
};
// Non-empty tiers, clinical first.
[[nodiscard]] std::vector<TierGroup> tier_groups(const ReportSample& s);

// What the sample's genotype and history say before the ranking.
struct TreatmentMap {
    const RegimenCoverage* best = nullptr;  // report_detail::best_regimen; nullptr: none
    struct Standard {
        const Regimen* regimen;
        const StandardOfCare* soc;
    };
    std::vector<Standard> standards;  // standards of care the genotype matches, ranking order
    bool half_life_ranks = false;     // the best regimen has ranks at both ends of the half-lives
    // Regimens ranked 1-5 whose rank changes at either end of the published half-life ranges.
    std::vector<const RegimenCoverage*> moved;
};
[[nodiscard]] TreatmentMap treatment_map(const ReportSample& s);

// One row of the evidence table: a (variant, role, rule, drug) combination behind a shown cell,
// once each over the report.
struct EvidenceRow {
    std::size_t drug;  // panel drug index
    const CloneVariant& variant;
    const AnnotatedVariant& source;
    const DrugActivity& call;
};
[[nodiscard]] std::vector<EvidenceRow> evidence_rows(const ReportModel& m);

// A patient's clone trajectories; `number` counts patients in first-seen order from 1.
struct PatientTrajectories {
    std::string patient;
    std::size_t number;
    std::vector<const CloneTrajectory*> clones;  // those with points; never empty
};
[[nodiscard]] std::vector<PatientTrajectories> patient_trajectories(const ReportModel& m);

// ---------------------------------------------------------------------------------------------
// Formatting (html_format.cpp)

// Fill, letter colour with enough contrast on `fill`, and letter of an activity call (the seed's
// Figure 1 scheme; letters for colour-blind readers).
struct CallStyle {
    const char* fill;
    const char* ink;
    const char* letter;
};
[[nodiscard]] CallStyle style_of(Activity a);
// Categorical palette for chart series (Okabe-Ito, colour-blind safe).
[[nodiscard]] const char* series_colour(std::size_t i);
[[nodiscard]] std::string num(double v, int decimals = 1);
// A fraction as a percentage with enough digits for ctDNA-level values ("42.1%", "0.48%").
[[nodiscard]] std::string pct(double fraction);
[[nodiscard]] std::string pct_ci(double value, const ConfidenceInterval& ci);
[[nodiscard]] inline std::string esc(const std::string& s) {
    return html_escape(s);
}
// `text` ending with one full stop ("Serrano C, et al." stays as is: no "et al..").
[[nodiscard]] std::string sentence(const std::string& text);
// 1, 2 or 5 times a power of ten, at least `raw` (axis tick spacing).
[[nodiscard]] double nice_step(double raw);
// An id-safe token for in-page anchors.
[[nodiscard]] std::string anchor(const std::string& prefix, const std::string& key);
// Rough text width in px for a 12px sans-serif label (SVG has no layout engine here).
[[nodiscard]] double text_width(const std::string& s, double px = 12.0);
// Coloured letter and name of a call.
[[nodiscard]] std::string badge(Activity a);
[[nodiscard]] std::string tier_title(RegimenTier t);
[[nodiscard]] std::string tier_explanation(RegimenTier t);

// ---------------------------------------------------------------------------------------------
// Charts (html_charts.cpp): one <svg> each; `index` numbers the sample from 0 for element ids.

void heatmap_svg(std::ostream& out,
                 const ActivityPanel& panel,
                 const ReportSample& s,
                 const std::vector<const Clone*>& rows,
                 std::size_t index);
void fraction_svg(std::ostream& out, const std::vector<FractionRow>& rows, std::size_t index);
// The regimens `rows` of one tier block; `part` numbers the blocks of a sample from 0.
void regimen_svg(std::ostream& out,
                 const ReportSample& s,
                 std::size_t index,
                 const std::vector<std::size_t>& rows,
                 int part);
// Relative exposure of each drug of one timed regimen; nothing when it has under two samples.
void exposure_figure(std::ostream& out, const PkModel& pk, const ReportModel::RegimenExposure& e);
void projection_figure(std::ostream& out, const Projection& p);
void trajectory_figure(std::ostream& out, const PatientTrajectories& t);

// ---------------------------------------------------------------------------------------------
// Sections (html_sample.cpp)

void sample_section(std::ostream& out, const ReportModel& m, std::size_t index);
void trajectories_section(std::ostream& out, const ReportModel& m);

}  // namespace kitrx::report_html
