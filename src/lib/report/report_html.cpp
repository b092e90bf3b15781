// SPDX-License-Identifier: MIT
// report.html: one self-contained page. Inline CSS and SVG only: no script, no font, no image and
// no stylesheet is loaded from anywhere, so the file can be mailed, archived or opened offline.
// Every user-controlled string (sample names, labels, panel text) goes through html_escape().
// This file writes the page in order (head, overview, summary, heatmaps, schedules, samples,
// trajectories, evidence, citations, provenance); the other html_* files hold the parts
// (html_parts.hpp).
#include <algorithm>
#include <cmath>

#include "kitrx/common/html.hpp"
#include "kitrx/report/report.hpp"
#include "kitrx/version.hpp"
#include "report/html_parts.hpp"
#include "report/report_util.hpp"

namespace kitrx {

using namespace report_html;

namespace {

using report_detail::join;

// report.html's own style rules; page_css (common/html) holds those shared with validation.html.
// The model notice box.
constexpr std::string_view kModelNotice = ".notice.model{border-color:#6a3d9a;background:#f3eefa}\n";
// Warnings, the treatment map and the regimen tier blocks.
constexpr std::string_view kDecision = R"CSS(.warn{color:#8a3b00;font-weight:600}
.decision{border-left:4px solid #1a9850;background:#f4faf6;padding:4px 12px;margin:6px 0 10px}
.tier{font-size:11.5px;color:var(--muted)}
.tier-block{border:1px solid var(--line);border-radius:6px;padding:2px 10px 4px;margin:8px 0}
.tier-block h4{margin:6px 0 2px;font-size:13.5px}
.tier-block.tier-hypothesis{border:2px dashed #6a3d9a;background:#f8f5fc}
.tier-block.tier-no_known_activity{opacity:.75}
)CSS";
// Numbers, call badges, the legend and figures.
constexpr std::string_view kCellsAndLegend =
    R"CSS(td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;min-width:18px;text-align:center;border-radius:3px;font-weight:700;padding:0 3px}
.legend span.sw{display:inline-block;width:14px;height:14px;border-radius:2px;vertical-align:-2px;margin:0 4px 0 12px}
figure{margin:8px 0 14px;max-width:100%;overflow-x:auto}figcaption{font-weight:600;margin-bottom:4px}
)CSS";
// Heatmap letters, sample warnings and sections.
constexpr std::string_view kHeatmapAndSample =
    R"CSS(.hm-letter{font-weight:700;font-size:13px;text-anchor:middle;pointer-events:none}
.warning{color:#8a3b00;background:#fff4e5;border-left:4px solid #e08a00;padding:4px 8px}
.sample{border-top:1px solid var(--line);margin-top:18px}
)CSS";
// Projection small multiples.
constexpr std::string_view kSmallMultiples = R"CSS(.small-multiples{display:flex;flex-wrap:wrap;gap:12px}
.small-multiples figure{border:1px solid var(--line);border-radius:6px;padding:6px 8px;margin:0}
)CSS";
// The citation list.
constexpr std::string_view kCitations = "ol.citations li{margin-bottom:4px}\n";
// Print layout.
constexpr std::string_view kPrint = "@media print{body{max-width:none}.sample{break-inside:avoid-page}}\n";

void head(std::ostream& out, const ReportModel& m) {
    write_page_head(out, m.title,
                    {page_css::kFrame, kModelNotice, page_css::kMeta, kDecision, page_css::kTables,
                     kCellsAndLegend, page_css::kSvg, kHeatmapAndSample, page_css::kMuted, kSmallMultiples,
                     page_css::kNav, kCitations, page_css::kProvenance, kPrint});
}

void notice(std::ostream& out, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    out << "<div class=\"notice\" id=\"research-use\" role=\"note\">" << esc(kResearchUseNotice);
    if (!panel.notice.empty()) out << " " << esc(panel.notice);
    out << "</div>\n";
    if (m.simulated())
        out << "<div class=\"notice model\" role=\"note\">Projections in this report come from a "
            << esc(kModelLabel) << ".</div>\n";
}

void overview(std::ostream& out, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    out << "<header>\n<h1>" << esc(m.title) << "</h1>\n";
    out << "<p class=\"meta\">kitrx " << KITRX_VERSION << " &#183; activity panel <strong>" << esc(panel.name)
        << " " << esc(panel.version) << "</strong>";
    if (!panel.date.empty()) out << " (" << esc(panel.date) << ")";
    if (m.regimen_set)
        out << " &#183; regimens " << esc(m.regimen_set->name) << " " << esc(m.regimen_set->version);
    if (!m.inputs.empty()) out << " &#183; build " << esc(to_string(m.inputs.front().build));
    out << " &#183; " << m.samples.size() << (m.samples.size() == 1 ? " sample" : " samples") << "</p>\n";
    for (const auto& skipped : m.skipped_samples)
        out << "<p class=\"meta\">Not reported: " << esc(skipped) << "</p>\n";
    out << "<nav><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#heatmap\">Clone &#215; drug "
           "heatmap</a></li><li><a href=\"#schedules\">Schedules</a></li>";
    for (std::size_t i = 0; i < m.samples.size(); ++i)
        out << "<li><a href=\"#sample-" << i + 1 << "\">" << esc(m.samples[i].name) << "</a></li>";
    if (!m.trajectories.empty()) out << "<li><a href=\"#trajectories\">Trajectories</a></li>";
    out << "<li><a href=\"#evidence\">Evidence</a></li><li><a href=\"#citations\">Citations</a></li>"
           "<li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n</header>\n";
}

void summary(std::ostream& out, const ReportModel& m) {
    out << "<section id=\"summary\">\n<h2>Summary</h2>\n";
    if (m.samples.empty()) {
        out << "<p>No sample in the input.</p>\n</section>\n";
        return;
    }
    out << "<table>\n<thead><tr><th>Sample</th><th>Patient</th><th>Timepoint</th><th>KIT variants</th>"
           "<th>Tumour fraction (95% CI)</th><th>Resistant clones</th><th>Best-supported regimen</th>"
           "<th>Covered burden</th><th>Escaping clones</th><th>Flags</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < m.samples.size(); ++i) {
        const ReportSample& s = m.samples[i];
        std::vector<std::string> secondaries;
        for (const Clone* c : s.clones.detected_secondaries()) secondaries.push_back(clone_label(*c));
        const RegimenCoverage* best = report_detail::best_regimen(s);
        out << "<tr><td><a href=\"#sample-" << i + 1 << "\">" << esc(s.name) << "</a></td><td>"
            << esc(s.patient) << "</td><td>" << esc(s.timepoint) << "</td><td class=\"num\">"
            << s.variants.size() << "</td><td class=\"num\">"
            << (s.clones.primary_detected() ? pct_ci(s.clones.tumour_fraction, s.clones.tumour_fraction_ci)
                                            : std::string("NA (no primary detected)"))
            << "</td><td>" << (secondaries.empty() ? "none detected" : esc(join(secondaries, ", ")))
            << (s.clones.primary_detected() || secondaries.empty() ? "" : " (VAF only: no primary)")
            << (s.clones.has_flag(kFlagPrimaryCandidate) ? " (relative to a primary candidate)" : "")
            << "</td><td>";
        if (best && best->regimen) {
            if (best->tier != RegimenTier::kClinical)
                out << "<span class=\"warn\">no regimen backed by clinical evidence for this genotype"
                       "</span><br>";
            out << esc(best->regimen->drugs_label()) << (best->regimen->hypothetical ? " &#8224;" : "")
                << " <span class=\"tier tier-" << to_string(best->tier) << "\">"
                << esc(tier_title(best->tier))
                << "; weakest covering evidence: " << esc(to_string(best->grade)) << "</span>";
        }
        out << "</td><td class=\"num\">" << (best ? pct(best->covered_burden) : "NA") << "</td><td>";
        if (best) {
            const std::string esc_list = best->clone_list(
                s.clones, {CoverageStatus::kEscapingResistant, CoverageStatus::kEscapingUnknown});
            out << (esc_list.empty() ? "none" : esc(esc_list));
        }
        out << "</td><td>" << esc(join(s.clones.flags, ", ")) << "</td></tr>\n";
    }
    out << "</tbody></table>\n<p class=\"muted\">&#8224; hypothetical regimen (no clinical dosing or "
           "safety data). Best-supported: rank 1 of the ranking rule (README, Ranking): regimens "
           "approved "
           "for the genotype whose coverage rests on clinical evidence first, then investigational ones, "
           "then the hypothesis-generating tier. Covered burden: share of the detected resistant-clone "
           "burden (the primary clones when no resistant clone is detected) under a sensitive call, "
           "weighted by clone fraction and by time on each drug. Ranks ignore toxicity and "
           "availability. Research software: not a treatment recommendation.</p>\n</section>\n";
}

void legend(std::ostream& out) {
    out << "<p class=\"legend\">";
    for (Activity a :
         {Activity::kSensitive, Activity::kIntermediate, Activity::kResistant, Activity::kUnknown}) {
        const CallStyle st = style_of(a);
        out << "<span class=\"sw\" style=\"background:" << st.fill << "\"></span>" << st.letter << " = "
            << to_string(a);
    }
    out << " &#160; <strong>*</strong> = low-confidence call &#160; <strong>&#8225;</strong> = sources "
           "disagree (the call keeps every item; hover for them)</p>\n";
}

// The clones whose absence is claimed, and those where it cannot be, below the heatmap.
void absence_notes(std::ostream& out, const ReportSample& s) {
    const NegativeGroups groups = negative_groups(s.clones);
    std::vector<std::string> not_detected, not_covered, not_assessed;
    for (const Clone* c : groups.not_detected)
        not_detected.push_back(
            clone_label(*c) + (std::isnan(c->lod_vaf) ? " (LoD unknown)" : " (LoD " + pct(c->lod_vaf) + ")"));
    for (const Clone* c : groups.not_covered)
        not_covered.push_back(clone_label(*c) + " (depth " + (c->depth > 0 ? std::to_string(c->depth) : "0") +
                              ")");
    for (const Clone* c : groups.not_assessed) not_assessed.push_back(clone_label(*c));
    if (!not_detected.empty())
        out << "<p class=\"muted neg-not-detected\">Covered, not detected: " << esc(join(not_detected, ", "))
            << "</p>\n";
    if (!not_covered.empty())
        out << "<p class=\"muted neg-not-covered\"><strong>Not covered</strong> (depth below " << s.min_depth
            << " fragments; absence not shown): " << esc(join(not_covered, ", ")) << "</p>\n";
    if (!not_assessed.empty())
        out << "<p class=\"muted neg-not-assessed\"><strong>Not assessed</strong> (the input lists calls "
               "only; it cannot show absence): "
            << esc(join(not_assessed, ", ")) << "</p>\n";
}

void heatmap(std::ostream& out, const ActivityPanel& panel, const ReportSample& s, std::size_t index) {
    const std::vector<const Clone*> rows = heatmap_rows(s.clones);
    out << "<figure class=\"heatmap-figure\"><figcaption>" << esc(s.name);
    if (!s.timepoint.empty()) out << " <span class=\"muted\">(" << esc(s.timepoint) << ")</span>";
    out << "</figcaption>\n";
    if (rows.empty()) {
        out << "<p class=\"muted\">No detected KIT/PDGFRA clone in this sample.</p></figure>\n";
        return;
    }
    heatmap_svg(out, panel, s, rows, index);
    absence_notes(out, s);
    out << "</figure>\n";
}

// Relative exposure of each drug of every timed regimen (schedule model pk), with the
// threshold above which the drug counts as active.
void exposure_section(std::ostream& out, const ReportModel& m) {
    if (!m.regimen_set) return;
    out << "<section id=\"schedules\">\n<h2>Schedules and drug exposure</h2>\n";
    if (!m.pk_model) {
        out << "<p>Schedule model: <strong>calendar</strong> (a drug acts exactly on the days it is "
               "given; "
               "--schedule-model pk uses exposure curves).</p>\n</section>\n";
        return;
    }
    const PkModel& pk = *m.pk_model;
    out << "<p>Schedule model: <strong>pk</strong>. One compartment per active moiety, first-order "
           "elimination, a dose at the start of each scheduled day; relative exposure 1 = the average "
           "under "
           "continuous daily dosing. A drug counts as active while its exposure is at least "
        << num(pk.threshold, 2) << " (" << esc(pk.threshold_note) << ") Half-lives: ";
    std::vector<std::string> hl;
    for (const auto& d : pk.drugs)
        for (const auto& mo : d.moieties)
            hl.push_back(mo.name + " " + num(mo.half_life_hours, 0) + " h" +
                         (std::isnan(mo.half_life_low)
                              ? ""
                              : " (" + num(mo.half_life_low, 0) + "-" + num(mo.half_life_high, 0) + ")") +
                         " [" + join(mo.citations, ", ") + "]");
    out << esc(join(hl, "; ")) << ".</p>\n";
    for (const auto& e : m.exposures) exposure_figure(out, pk, e);
    out << "</section>\n";
}

void heatmaps(std::ostream& out, const ReportModel& m) {
    out << "<section id=\"heatmap\">\n<h2>Clone &#215; drug activity</h2>\n<p>Rows are the detected "
           "clones "
           "of each sample (primary first), columns the drugs of the panel. A clone's call is the least "
           "favourable call over its variants. Hover a cell for the rule and evidence behind it; the "
           "<a href=\"#evidence\">evidence table</a> lists the same.</p>\n";
    legend(out);
    for (std::size_t i = 0; i < m.samples.size(); ++i) heatmap(out, *m.panel, m.samples[i], i);
    out << "</section>\n";
}

std::string citation_links(const ActivityPanel& panel, const std::vector<Evidence>& evidence) {
    std::vector<std::string> keys;
    for (const auto& e : evidence) {
        const std::string k =
            panel.citations().count(e.citation)
                ? "<a href=\"#" + anchor("cite-", e.citation) + "\">" + esc(e.citation) + "</a>"
                : esc(e.citation);
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
    return join(keys, ", ");
}

void evidence(std::ostream& out, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    out << "<section id=\"evidence\">\n<h2>Evidence behind each cell</h2>\n";
    const std::vector<EvidenceRow> rows = evidence_rows(m);
    if (rows.empty()) {
        out << "<p class=\"muted\">No detected clone, so no call to support.</p>\n</section>\n";
        return;
    }
    out << "<table><thead><tr><th>Drug</th><th>Variant</th><th>Role</th><th>Call</th><th>Panel "
           "rule</th>"
           "<th>Citations</th><th>Kind</th><th>Notes</th></tr></thead>\n<tbody>\n";
    for (const EvidenceRow& row : rows) {
        const DrugActivity& call = row.call;
        const AnnotatedVariant& src = row.source;
        std::vector<std::string> kinds, notes;
        for (const auto& e : call.evidence) {
            if (std::find(kinds.begin(), kinds.end(), e.kind) == kinds.end()) kinds.push_back(e.kind);
            std::string n = e.note;
            if (e.ic50)
                n += (n.empty() ? "" : "; ") + std::string("IC50 ") + num(*e.ic50, 0) + " " + e.ic50_units;
            if (!n.empty()) notes.push_back("[" + e.citation + "] " + n);
        }
        if (!call.reason.empty()) notes.push_back(call.reason);
        out << "<tr><td>" << esc(drug_name(panel, panel.drugs()[row.drug].id)) << "</td><td>"
            << esc(row.variant.gene + " " + row.variant.protein) << "</td><td>"
            << esc(to_string(src.variant.role)) << "</td><td>" << badge(call.activity) << "</td><td>"
            << (src.match.rule ? esc(src.match.rule->id) + " (" + esc(to_string(src.match.level)) + ")"
                               : "no rule")
            << "</td><td>" << citation_links(panel, call.evidence) << "</td><td>" << esc(join(kinds, ", "))
            << "</td><td>" << esc(join(notes, " | ")) << "</td></tr>\n";
    }
    out << "</tbody></table>\n</section>\n";
}

void citations(std::ostream& out, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    out << "<section id=\"citations\">\n<h2>Citations</h2>\n";
    const auto keys = m.citations_used();
    if (keys.empty())
        out << "<p class=\"muted\">No panel citation used.</p>\n";
    else
        out << "<ol class=\"citations\">\n";
    for (const auto& k : keys) {
        const Citation& c = panel.citations().at(k);
        out << "<li id=\"" << anchor("cite-", k) << "\"><strong>[" << esc(k) << "]</strong> ";
        if (!c.authors.empty()) out << esc(sentence(c.authors)) << " ";
        if (!c.title.empty()) out << esc(sentence(c.title)) << " ";
        if (!c.journal.empty()) out << "<em>" << esc(c.journal) << "</em>";
        if (c.year > 0) out << " " << c.year;
        out << ".";
        if (!c.doi.empty()) out << " doi:" << esc(c.doi);
        if (!c.pmid.empty()) out << " PMID " << esc(c.pmid);
        if (!c.url.empty()) out << " " << esc(c.url);
        out << "</li>\n";
    }
    if (!keys.empty()) out << "</ol>\n";
    const auto refs = m.free_references();
    if (!refs.empty()) {
        out << "<p>Other references (regimens, model): ";
        std::vector<std::string> e;
        for (const auto& r : refs) e.push_back(esc(r));
        out << join(e, "; ") << "</p>\n";
    }
    out << "</section>\n";
}

void provenance(std::ostream& out, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    out << "<section id=\"provenance\">\n<h2>Provenance</h2>\n<h3>Activity panel</h3>\n<p>" << esc(panel.name)
        << " " << esc(panel.version);
    if (!panel.date.empty()) out << " (" << esc(panel.date) << ")";
    out << ", " << esc(panel.source) << ". Transcripts: " << esc(join(panel.transcripts, ", ")) << ".</p>\n";
    out << "<table><thead><tr><th>Drug</th><th>Id</th><th>Mechanism</th><th>Status</th></tr></"
           "thead><tbody>\n";
    for (const auto& d : panel.drugs())
        out << "<tr><td>" << esc(d.name) << "</td><td>" << esc(d.id) << "</td><td>" << esc(d.mechanism)
            << "</td><td>" << esc(d.status) << "</td></tr>\n";
    out << "</tbody></table>\n";
    if (m.regimen_set && !m.regimen_set->skipped.empty())
        out << "<p class=\"muted\">Regimens skipped (drug not in the panel): "
            << esc(join(m.regimen_set->skipped, ", ")) << "</p>\n";
    out << "<dl class=\"prov\">\n";
    for (const auto& [k, v] : m.provenance.items)
        out << "<dt>" << esc(k) << "</dt><dd>" << esc(v) << "</dd>\n";
    out << "</dl>\n</section>\n";
}

}  // namespace

void write_report_html(std::ostream& out, const ReportModel& m) {
    head(out, m);
    out << "<body>\n";
    notice(out, m);
    overview(out, m);
    summary(out, m);
    heatmaps(out, m);
    exposure_section(out, m);
    out << "<section id=\"samples\">\n";
    for (std::size_t i = 0; i < m.samples.size(); ++i) sample_section(out, m, i);
    out << "</section>\n";
    trajectories_section(out, m);
    evidence(out, m);
    citations(out, m);
    provenance(out, m);
    out << "<footer><p>" << esc(kResearchUseNotice) << "</p><p>Generated by kitrx " << KITRX_VERSION
        << ".</p></footer>\n</body>\n</html>\n";
}

}  // namespace kitrx
