// SPDX-License-Identifier: MIT
// MultiQC custom content: the general-statistics row and the regimen table of each sample, in
// the "#"-header TSV form MultiQC reads, so that kitrx shows up in a pipeline's MultiQC page.
#include <algorithm>
#include <cmath>

#include "kitrx/report/report.hpp"
#include "kitrx/version.hpp"
#include "report/report_util.hpp"

namespace kitrx {

// Every "#" line together must be one YAML document (MultiQC rejects "##key=value" lines), so
// provenance goes into YAML keys here.

namespace {

// Single-quoted YAML scalar.
std::string yq(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "''";
        else if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else
            out += c;
    }
    return out + "'";
}

// MultiQC takes the first column as the sample name and strips nothing; tabs/newlines would
// break the row.
std::string tsv_cell(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

std::string percent(double fraction) {
    return std::isnan(fraction) ? "" : format_fraction(std::round(fraction * 10000.0) / 100.0);
}

void mqc_common(std::ostream& out, const ReportModel& m) {
    out << "# parent_id: 'kitrx'\n"
           "# parent_name: 'kitrx'\n"
           "# parent_description: "
        << yq(std::string("KIT/PDGFRA ctDNA clones and TKI regimen coverage. ") + kResearchUseNotice) << '\n'
        << "# kitrx_version: " << yq(KITRX_VERSION) << '\n';
    if (m.panel) out << "# kitrx_panel: " << yq(m.panel->name + " " + m.panel->version) << '\n';
    if (m.regimen_set) {
        out << "# kitrx_regimens: " << yq(m.regimen_set->name + " " + m.regimen_set->version) << '\n';
        out << "# kitrx_schedule_model: " << yq(to_string(m.regimen_set->schedule_model)) << '\n';
    }
    if (m.simulated())
        out << "# kitrx_model_notice: " << yq(std::string("projections: ") + kModelLabel) << '\n';
}

}  // namespace

void write_multiqc_general(std::ostream& out, const ReportModel& m) {
    out << "# id: 'kitrx_general'\n"
           "# section_name: 'kitrx'\n"
           "# description: "
        << yq(std::string("KIT variants, resistant clones and the best-ranked regimen per sample. ") +
              kResearchUseNotice)
        << "\n# plot_type: 'generalstats'\n";
    mqc_common(out, m);
    out << "# pconfig:\n"
           "#     - kit_variants:\n"
           "#         title: 'KIT variants'\n"
           "#         description: 'KIT/PDGFRA variant rows (variants.tsv)'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - secondary_clones:\n"
           "#         title: 'Resistant clones'\n"
           "#         description: 'Detected secondary (resistance) clones'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - tumour_fraction:\n"
           "#         title: 'Tumour fraction'\n"
           "#         description: 'ctDNA tumour fraction from the primary KIT variant (2 x VAF), percent'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     - best_regimen:\n"
           "#         title: 'Best-supported regimen'\n"
           "#         description: 'Rank 1 regimen of the evidence-graded ranking (research use only; not a "
           "treatment recommendation)'\n"
           "#     - best_covered_burden:\n"
           "#         title: 'Covered burden'\n"
           "#         description: 'Resistant-clone burden covered by the best regimen, percent'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     - median_depth:\n"
           "#         title: 'KIT depth'\n"
           "#         description: 'Median depth over KIT variant records and checked hotspots'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - best_tier:\n"
           "#         title: 'Tier'\n"
           "#         description: 'Tier of the best-supported regimen: clinical, investigational, "
           "hypothesis, "
           "no_known_activity'\n"
           "#     - best_evidence_grade:\n"
           "#         title: 'Evidence'\n"
           "#         description: 'Weakest evidence grade among the clones the best-supported regimen "
           "covers'\n"
           "#     - best_clinical_burden:\n"
           "#         title: 'Clinical cover'\n"
           "#         description: 'Burden covered by calls backed by clinical evidence, percent'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     - hotspots_not_detected:\n"
           "#         title: 'Hotspots negative'\n"
           "#         description: 'Resistance hotspots covered (depth >= --min-depth) with no call'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - hotspots_not_covered:\n"
           "#         title: 'Hotspots unseen'\n"
           "#         description: 'Resistance hotspots not covered or not assessed: absence NOT shown'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n";
    out << "Sample\tkit_variants\tsecondary_clones\ttumour_fraction\tbest_regimen\tbest_covered_"
           "burden\tmedian_depth\tbest_tier\tbest_evidence_grade\tbest_clinical_burden\thotspots_not_"
           "detected\t"
           "hotspots_not_covered\n";
    for (const auto& s : m.samples) {
        const RegimenCoverage* best = report_detail::best_regimen(s);
        out << tsv_cell(s.name) << '\t' << s.variants.size() << '\t' << s.clones.detected_secondaries().size()
            << '\t' << percent(s.clones.tumour_fraction) << '\t'
            << (best && best->regimen ? tsv_cell(best->regimen->id) : "") << '\t'
            << (best ? percent(best->covered_burden) : "") << '\t'
            << (std::isnan(s.median_depth) ? "" : format_fraction(s.median_depth)) << '\t'
            << (best ? to_string(best->tier) : "") << '\t' << (best ? to_string(best->grade) : "") << '\t'
            << (best ? percent(best->covered_burden_clinical) : "");
        int negative = 0, unseen = 0;
        for (const Clone& c : s.clones.clones) {
            if (!c.has_flag(kFlagHotspot)) continue;
            if (c.status == CloneStatus::kNotDetected) ++negative;
            if (c.status == CloneStatus::kNotCovered || c.status == CloneStatus::kNotAssessed) ++unseen;
        }
        out << '\t' << negative << '\t' << unseen << '\n';
    }
}

void write_multiqc_regimens(std::ostream& out, const ReportModel& m) {
    out << "# id: 'kitrx_regimens'\n"
           "# section_name: 'kitrx regimen coverage'\n"
           "# description: "
        << yq(std::string("Percent of the detected resistant-clone burden covered (sensitive call) by each "
                          "regimen; blank when the sample has no detected secondary clone. ") +
              kResearchUseNotice)
        << "\n# plot_type: 'table'\n";
    mqc_common(out, m);
    out << "# pconfig:\n"
           "#     id: 'kitrx_regimens_table'\n"
           "#     title: 'kitrx: covered burden per regimen'\n"
           "#     min: 0\n"
           "#     max: 100\n"
           "#     suffix: '%'\n";
    std::vector<const Regimen*> columns;
    if (m.regimen_set)
        for (const auto& r : m.regimen_set->regimens) columns.push_back(&r);
    if (!columns.empty()) {
        out << "# headers:\n";
        for (const Regimen* r : columns)
            out << "#     " << yq(r->id) << ":\n#         title: " << yq(r->name.empty() ? r->id : r->name)
                << "\n#         description: "
                << yq(r->drugs_label() + (r->hypothetical ? " (hypothetical)" : ""))
                << "\n#         suffix: '%'\n#         min: 0\n#         max: 100\n";
    }
    out << "Sample";
    for (const Regimen* r : columns) out << '\t' << r->id;
    out << '\n';
    for (const auto& s : m.samples) {
        out << tsv_cell(s.name);
        for (const Regimen* r : columns) {
            auto it = std::find_if(s.regimens.begin(), s.regimens.end(),
                                   [&](const RegimenCoverage& c) { return c.regimen == r; });
            out << '\t' << (it == s.regimens.end() ? "" : percent(it->covered_burden));
        }
        out << '\n';
    }
}

}  // namespace kitrx
