// SPDX-License-Identifier: MIT
// report.html's per-sample sections (variants, coverage, clone fractions, treatment map, regimen
// coverage, drug sets, projections) and the trajectory section, in page order.
#include <cmath>

#include "report/html_parts.hpp"
#include "report/report_util.hpp"

namespace kitrx::report_html {

namespace {

using report_detail::join;

void variants_table(std::ostream& out, const ReportSample& s) {
    out << "<h3>Variants</h3>\n";
    if (s.variants.empty()) {
        out << "<p class=\"muted\">No KIT/PDGFRA variant in the target exons.</p>\n";
        return;
    }
    out << "<table><thead><tr><th>Gene</th><th>Protein</th><th>HGVS c.</th><th>HGVS p.</th><th>Exon</th>"
           "<th>Consequence</th><th>Role</th><th>VAF</th><th>Alt / depth</th><th>Filter</th>"
           "<th>Panel rule</th></tr></thead>\n<tbody>\n";
    for (const auto& v : s.variants) {
        const auto& o = v.variant.observation;
        const auto& n = v.variant.name;
        out << "<tr><td>" << esc(n.gene) << "</td><td>" << esc(n.protein) << "</td><td>" << esc(n.hgvs_c)
            << "</td><td>" << esc(n.hgvs_p) << "</td><td class=\"num\">"
            << (n.exon > 0 ? std::to_string(n.exon) : "") << "</td><td>" << esc(to_string(n.consequence))
            << "</td><td title=\"" << esc(v.variant.role_reason) << "\">" << esc(to_string(v.variant.role))
            << "</td><td class=\"num\">" << pct(report_detail::row_vaf(o)) << "</td><td class=\"num\">"
            << format_count(o.alt_reads) << " / " << format_count(o.depth) << "</td><td>" << esc(o.filter)
            << "</td><td>"
            << (v.match.rule ? esc(v.match.rule->id) + " (" + esc(to_string(v.match.level)) + ")" : "none")
            << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
}

void coverage_table(std::ostream& out, const ReportSample& s) {
    out << "<h3>Coverage</h3>\n<p class=\"muted\">Status floor: " << s.min_depth
        << " fragments (--min-depth). LoD: the smallest VAF detected with 95% power at that depth.</p>\n";
    if (!s.hotspots.empty()) {
        out << "<table "
               "class=\"hotspot-coverage\"><thead><tr><th>Hotspot</th><th>Status</th><th>Depth</th>"
               "<th>LoD</th></tr></thead>\n<tbody>\n";
        for (const auto& h : s.hotspots) {
            out << "<tr><td>" << esc(h.gene + " " + h.label) << "</td><td>"
                << report_detail::hotspot_status(s, h) << "</td><td class=\"num\">"
                << (h.assessed ? std::to_string(h.depth) : "NA") << "</td><td class=\"num\">"
                << (h.assessed ? pct(h.lod_vaf) : "NA") << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
    }
    if (!s.exons.empty()) {
        out << "<table class=\"exon-coverage\"><thead><tr><th>Exon</th><th>Status</th><th>Median "
               "depth</th>"
               "<th>Min depth</th><th>Bases at floor</th><th>LoD at median</th></tr></thead>\n<tbody>\n";
        for (const auto& e : s.exons)
            out << "<tr><td>" << esc(e.gene) << " exon " << e.exon << "</td><td>" << exon_state(e)
                << "</td><td class=\"num\">" << num(e.median_depth, 0) << "</td><td class=\"num\">"
                << format_count(e.min_depth_observed) << "</td><td class=\"num\">"
                << (e.assessed ? std::to_string(e.bases_at_floor) + " / " + std::to_string(e.bases) : "NA")
                << "</td><td class=\"num\">" << pct(e.lod_vaf) << "</td></tr>\n";
        out << "</tbody></table>\n";
    }
}

void fraction_chart(std::ostream& out, const ReportSample& s, std::size_t index) {
    out << "<h3>Clone fractions</h3>\n";
    const SampleClones& sc = s.clones;
    if (sc.clones.empty()) {
        out << "<p class=\"muted\">No clone.</p>\n";
        return;
    }
    if (!sc.primary_detected())
        out << "<p class=\"muted\">No primary (truncal) variant detected: clone fractions and tumour "
               "fraction are not estimated; each clone is shown by its VAF only.</p>\n";
    fraction_svg(out, fraction_rows(sc), index);
}

// What the sample's genotype and history say before the ranking: the best-supported regimen
// with its grade, the matching standards of care and the treatment history.
void decision(std::ostream& out, const ReportSample& s) {
    out << "<h3>Treatment map</h3>\n<div class=\"decision\">\n";
    const TreatmentMap map = treatment_map(s);
    const RegimenCoverage* best = map.best;
    if (!best || !best->regimen) {
        out << "<p><strong>Best-supported regimen:</strong> none: "
            << (s.regimens.empty() ? "no regimen evaluated"
                                   : "no KIT/PDGFRA clone was detected, so no regimen can be judged (this is "
                                     "not evidence for imatinib: wild-type GIST is imatinib-insensitive)")
            << ".</p></div>\n";
        return;
    }
    out << "<p><strong>Best-supported regimen:</strong> " << esc(best->regimen->name) << " ("
        << esc(best->regimen->drugs_label()) << "), " << esc(tier_title(best->tier))
        << "; weakest evidence among the clones it covers: <strong>" << esc(to_string(best->grade))
        << "</strong>; clinical-evidence-covered burden " << pct(best->covered_burden_clinical) << ".";
    if (best->tier != RegimenTier::kClinical)
        out << " <span class=\"warn\">No regimen approved for this genotype has clinical evidence "
               "against these clones; the ranking below rests on weaker evidence.</span>";
    out << "</p>\n";
    std::vector<std::string> standards;
    for (const auto& [regimen, soc] : map.standards)
        standards.push_back(regimen->name + " (" + soc->label() +
                            (soc->note.empty() ? "" : ": " + soc->note) + " [" + join(soc->citations, ", ") +
                            "])");
    if (!standards.empty())
        out << "<p><strong>Standard of care matching this genotype:</strong> " << esc(join(standards, "; "))
            << "</p>\n";
    if (s.history.known())
        out << "<p><strong>Treatment history:</strong> failed " << esc(join(s.history.failed, ", "))
            << (s.next_line > 0 ? "; next standard line: " + std::to_string(s.next_line) : std::string())
            << ". Regimens made only of failed drugs are ranked after the others in their tier.</p>\n";
    else
        out << "<p class=\"muted\">Treatment history not given (--prior or a sample-sheet column "
               "'prior'): failed drugs are not taken into account.</p>\n";
    if (map.half_life_ranks) {
        std::vector<std::string> moved;
        for (const RegimenCoverage* r : map.moved)
            moved.push_back(r->regimen->id + " (" + std::to_string(r->rank) + "; " +
                            std::to_string(r->rank_half_life_low) + " with the shortest, " +
                            std::to_string(r->rank_half_life_high) + " with the longest half-lives)");
        out << "<p><strong>Sensitivity to the published half-life ranges:</strong> "
            << (moved.empty() ? std::string("the first five ranks are the same at both ends of every range.")
                              : "ranks that change: " + esc(join(moved, "; ")) + ".")
            << "</p>\n";
    }
    const int low = best->n_low_confidence, disputed = best->n_conflicting;
    if (low || disputed)
        out << "<p class=\"warn\">The best-supported regimen covers " << low
            << " clone(s) through a low-confidence call and " << disputed
            << " through a disputed call (marked * and &#8225; in the heatmap).</p>\n";
    out << "</div>\n";
}

void regimen_chart(std::ostream& out, const ReportSample& s, std::size_t index) {
    out << "<h3>Regimen coverage</h3>\n";
    if (s.regimens.empty()) {
        out << "<p class=\"muted\">No regimen evaluated.</p>\n";
        return;
    }
    out << "<p class=\"legend\"><span class=\"sw\" style=\"background:var(--s)\"></span>covered "
           "(sensitive)"
           "<span class=\"sw\" style=\"background:var(--i)\"></span>partial (intermediate)"
           "<span class=\"sw\" style=\"background:var(--u)\"></span>unknown"
           "<span class=\"sw\" style=\"background:var(--r)\"></span>escaping (resistant)</p>\n";
    int part = 0;
    for (const TierGroup& g : tier_groups(s)) {
        out << "<div class=\"tier-block tier-" << to_string(g.tier) << "\"><h4>" << esc(tier_title(g.tier))
            << "</h4>\n<p class=\"small\">" << esc(tier_explanation(g.tier)) << "</p>\n";
        regimen_svg(out, s, index, g.rows, part++);
        out << "</div>\n";
    }
}

void drug_sets(std::ostream& out, const ActivityPanel& panel, const ReportSample& s) {
    const DrugSetResult& d = s.drug_sets;
    if (d.target_clones == 0) return;
    out << "<h3>Smallest drug sets</h3>\n<p>";
    auto names = [&](const std::vector<std::string>& ids) {
        std::vector<std::string> shown;
        for (const auto& id : ids) shown.push_back(drug_name(panel, id));
        return esc(join(shown, " + "));
    };
    if (d.covers_all)
        out << "Every detected clone (" << d.target_clones << ") is sensitive to at least one drug of: ";
    else
        out << "No drug combination covers every detected clone; the best cover " << d.covered_clones
            << " of " << d.target_clones << " with: ";
    for (std::size_t i = 0; i < d.sets.size(); ++i)
        out << (i ? "; " : "") << "<strong>" << names(d.sets[i]) << "</strong>";
    if (d.sets.empty()) out << "none";
    out << ".";
    if (!d.uncovered.empty()) {
        std::vector<std::string> u;
        for (auto i : d.uncovered)
            if (i < s.clones.clones.size()) u.push_back(clone_label(s.clones.clones[i]));
        out << " Not covered by any panel drug: " << esc(join(u, ", ")) << ".";
    }
    out << "</p>\n";
}

void projections(std::ostream& out, const ReportModel& m, const ReportSample& s) {
    if (!m.simulated()) return;
    out << "<h3>Projection (" << esc(kModelLabel) << ")</h3>\n";
    if (s.projections.empty()) {
        out << "<p class=\"muted\">No regimen projected.</p>\n";
        return;
    }
    out << "<p class=\"legend\">";
    for (std::size_t k = 0; k < s.projections.front().populations.size(); ++k) {
        const std::string& id = s.projections.front().populations[k];
        const Clone* c = s.clones.find(id);
        std::string label = c ? clone_label(*c) : id;
        if (c && c->role == VariantRole::kPrimary) label += " only (no detected secondary)";
        out << "<span class=\"sw\" style=\"background:" << series_colour(k) << "\"></span>" << esc(label);
    }
    out << "<span class=\"sw\" style=\"border-top:2px dashed #5b6473;height:0\"></span>total burden</p>\n"
           "<div class=\"small-multiples\">\n";
    for (const auto& p : s.projections) projection_figure(out, p);
    out << "</div>\n<p class=\"muted\">Cell populations relative to the baseline tumour (log scale) "
           "under a "
           "daily exponential model whose rate depends on the best call of the drugs given that day. "
        << esc(m.growth_model->rationale) << " This is a " << esc(kModelLabel) << ".</p>\n";
}

void trajectory_table(std::ostream& out, const std::vector<const CloneTrajectory*>& ts) {
    const auto& axis = ts.front()->points;
    out << "<table><thead><tr><th>Clone</th><th>Role</th>";
    for (const auto& p : axis) out << "<th>" << esc(p.timepoint) << "</th>";
    out << "<th>Changes</th><th>Latest</th></tr></thead>\n<tbody>\n";
    for (const auto* t : ts) {
        out << "<tr><td>" << esc(t->variants.empty() ? t->clone : t->variants) << "</td><td>"
            << esc(to_string(t->role)) << "</td>";
        for (const auto& p : t->points) {
            out << "<td class=\"num\">";
            if (p.status == CloneStatus::kDetected) {
                out << "VAF " << pct(p.vaf);
                if (t->role == VariantRole::kSecondary && !std::isnan(p.fraction))
                    out << "<br><span class=\"muted\">fraction " << pct_ci(p.fraction, p.fraction_ci)
                        << "</span>";
            } else {
                out << (p.assessed ? "not detected" : "not assessed");
            }
            out << "</td>";
        }
        std::vector<std::string> calls;
        for (std::size_t k = 0; k < t->calls.size(); ++k)
            calls.push_back(to_string(t->calls[k]) +
                            (k < t->metrics.size() ? " (" + to_string(t->metrics[k]) + ")" : std::string()));
        out << "<td>" << join(calls, " &#8594; ") << "</td><td><strong>" << esc(to_string(t->latest))
            << "</strong></td></tr>\n";
    }
    out << "</tbody></table>\n";
}

}  // namespace

void sample_section(std::ostream& out, const ReportModel& m, std::size_t i) {
    const ReportSample& s = m.samples[i];
    out << "<section class=\"sample\" id=\"sample-" << i + 1 << "\">\n<h2>Sample " << esc(s.name)
        << "</h2>\n";
    out << "<p class=\"meta\">input " << esc(s.input);
    if (!s.patient.empty()) out << " &#183; patient " << esc(s.patient);
    if (!s.timepoint.empty()) out << " &#183; timepoint " << esc(s.timepoint);
    out << " &#183; tumour fraction " << pct_ci(s.clones.tumour_fraction, s.clones.tumour_fraction_ci);
    if (!std::isnan(s.median_depth)) out << " &#183; median KIT depth " << num(s.median_depth, 0);
    if (!s.clones.flags.empty()) out << " &#183; flags: " << esc(join(s.clones.flags, ", "));
    out << "</p>\n";
    for (const auto& w : s.clones.warnings())
        out << "<p class=\"warning\" data-flag=\"" << esc(w) << "\"><strong>" << esc(w)
            << "</strong>: " << esc(flag_description(w)) << "</p>\n";
    if (s.pdgfra_records_ignored > 0)
        out << "<p class=\"warning\" data-flag=\"pdgfra_not_selected\"><strong>PDGFRA variants "
               "present</strong>: "
            << s.pdgfra_records_ignored
            << " record(s) in PDGFRA target exons were not analysed; add --genes KIT,PDGFRA.</p>\n";
    for (const auto& n : s.notes) out << "<p class=\"muted\">Note: " << esc(n) << "</p>\n";
    variants_table(out, s);
    coverage_table(out, s);
    fraction_chart(out, s, i);
    decision(out, s);
    regimen_chart(out, s, i);
    drug_sets(out, *m.panel, s);
    projections(out, m, s);
    out << "</section>\n";
}

void trajectories_section(std::ostream& out, const ReportModel& m) {
    if (m.trajectories.empty()) return;
    out << "<section id=\"trajectories\">\n<h2>Trajectories</h2>\n<p>Clones matched across timepoints by "
           "their variants. Filled dots: detected (with 95% VAF interval); open dots: not detected or "
           "not "
           "assessed. Calls compare consecutive timepoints (clone fraction when both have a detected "
           "primary, else VAF; at least a two-fold change with non-overlapping intervals).</p>\n";
    for (const PatientTrajectories& p : patient_trajectories(m)) {
        trajectory_figure(out, p);
        trajectory_table(out, p.clones);
    }
    out << "</section>\n";
}

}  // namespace kitrx::report_html
