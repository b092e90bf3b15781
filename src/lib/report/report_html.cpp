// SPDX-License-Identifier: MIT
// report.html: one self-contained page. Inline CSS and SVG only: no script, no font, no image and
// no stylesheet is loaded from anywhere, so the file can be mailed, archived or opened offline.
// Every user-controlled string (sample names, labels, panel text) goes through html_escape().
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "kitrx/report/report.hpp"
#include "kitrx/version.hpp"
#include "report/report_util.hpp"

namespace kitrx {

std::string html_escape(const std::string& raw) {
    // The page declares UTF-8: a Latin-1 sample or file name gets U+FFFD, as in report.json.
    const std::string text = valid_utf8(raw);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

using report_detail::clone_call;
using report_detail::join;
using report_detail::member_call;

// Colours of the activity calls (the seed's Figure 1 scheme); letters for colour-blind readers.
// `text` ending with one full stop ("Serrano C, et al." stays as is: no "et al..").
std::string sentence(const std::string& text) {
    if (!text.empty() && (text.back() == '.' || text.back() == '?' || text.back() == '!')) return text;
    return text + ".";
}

struct CallStyle {
    const char* fill;
    const char* ink;  // letter colour with enough contrast on `fill`
    const char* letter;
};
CallStyle style_of(Activity a) {
    switch (a) {
        case Activity::kSensitive:
            return {"#1a9850", "#ffffff", "S"};
        case Activity::kIntermediate:
            return {"#f4a300", "#000000", "I"};
        case Activity::kResistant:
            return {"#d73027", "#ffffff", "R"};
        case Activity::kUnknown:
            break;
    }
    return {"#b0b0b0", "#000000", "?"};
}

// Categorical palette for clone lines (Okabe-Ito, colour-blind safe).
const char* series_colour(std::size_t i) {
    static const char* const kPalette[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                           "#56b4e9", "#d55e00", "#000000", "#f0e442"};
    return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

std::string num(double v, int decimals = 1) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// A fraction as a percentage with enough digits for ctDNA-level values ("42.1%", "0.48%").
std::string pct(double fraction) {
    if (std::isnan(fraction)) return "NA";
    if (std::isinf(fraction)) return fraction > 0 ? "&#8734;" : "-&#8734;";
    const double v = fraction * 100.0;
    const double a = std::fabs(v);
    return num(v, a >= 10.0 || a == 0.0 ? 1 : a >= 1.0 ? 2 : 3) + "%";
}

std::string pct_ci(double value, const ConfidenceInterval& ci) {
    std::string s = pct(value);
    if (ci.known()) s += " (" + pct(ci.low) + "&#8211;" + pct(ci.high) + ")";
    return s;
}

std::string esc(const std::string& s) {
    return html_escape(s);
}

// 1, 2 or 5 times a power of ten, at least `raw` (axis tick spacing).
double nice_step(double raw) {
    if (!(raw > 0)) return 0.01;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * p >= raw) return m * p;
    return 10.0 * p;
}

// An id-safe token for in-page anchors.
std::string anchor(const std::string& prefix, const std::string& key) {
    std::string out = prefix;
    for (unsigned char c : key) out += std::isalnum(c) ? static_cast<char>(c) : '-';
    return out;
}

// Rough text width in px for an 12px sans-serif label (SVG has no layout engine here).
double text_width(const std::string& s, double px = 12.0) {
    return static_cast<double>(s.size()) * px * 0.6;
}

std::string clone_label(const Clone& c) {
    std::string names;
    for (std::size_t i = 0; i < c.variants.size(); ++i) {
        const auto& v = c.variants[i];
        names += (i ? "+" : "") + (v.gene == "KIT" || v.gene.empty() ? "" : v.gene + " ") + v.protein;
    }
    return names.empty() ? c.id : names;
}

std::string drug_name(const ActivityPanel& panel, const std::string& id) {
    const Drug* d = panel.drug(id);
    return d && !d->name.empty() ? d->name : id;
}

std::string badge(Activity a) {
    const CallStyle st = style_of(a);
    return std::string("<span class=\"badge\" style=\"background:") + st.fill + ";color:" + st.ink + "\">" +
           st.letter + "</span> " + to_string(a);
}

// ---------------------------------------------------------------------------------------------

class HtmlWriter {
public:
    HtmlWriter(std::ostream& out, const ReportModel& m) : out_(out), m_(m), panel_(*m.panel) {}

    void write() {
        head();
        out_ << "<body>\n";
        notice();
        overview();
        summary();
        heatmaps();
        exposure_section();
        out_ << "<section id=\"samples\">\n";
        for (std::size_t i = 0; i < m_.samples.size(); ++i) sample_section(i);
        out_ << "</section>\n";
        trajectories();
        evidence();
        citations();
        provenance();
        out_ << "<footer><p>" << esc(kResearchUseNotice) << "</p><p>Generated by kitrx " << KITRX_VERSION
             << ".</p></footer>\n</body>\n</html>\n";
    }

private:
    std::ostream& out_;
    const ReportModel& m_;
    const ActivityPanel& panel_;

    void head() {
        out_
            << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta name=\"generator\" content=\"kitrx "
            << KITRX_VERSION << "\">\n<title>" << esc(m_.title) << "</title>\n<style>\n"
            << R"CSS(:root{--s:#1a9850;--i:#f4a300;--r:#d73027;--u:#b0b0b0;--ink:#1d2330;--muted:#5b6473;--line:#d9dde3}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:16px 24px 40px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--ink);background:#fff}
h1{font-size:24px;margin:12px 0 4px}h2{font-size:19px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
.notice{border:2px solid #b35c00;background:#fff4e5;padding:10px 14px;border-radius:6px;font-weight:600}
.notice.model{border-color:#6a3d9a;background:#f3eefa}
.meta{color:var(--muted);margin:2px 0}
.warn{color:#8a3b00;font-weight:600}
.decision{border-left:4px solid #1a9850;background:#f4faf6;padding:4px 12px;margin:6px 0 10px}
.tier{font-size:11.5px;color:var(--muted)}
.tier-block{border:1px solid var(--line);border-radius:6px;padding:2px 10px 4px;margin:8px 0}
.tier-block h4{margin:6px 0 2px;font-size:13.5px}
.tier-block.tier-hypothesis{border:2px dashed #6a3d9a;background:#f8f5fc}
.tier-block.tier-no_known_activity{opacity:.75}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f5f8}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;min-width:18px;text-align:center;border-radius:3px;font-weight:700;padding:0 3px}
.legend span.sw{display:inline-block;width:14px;height:14px;border-radius:2px;vertical-align:-2px;margin:0 4px 0 12px}
figure{margin:8px 0 14px;max-width:100%;overflow-x:auto}figcaption{font-weight:600;margin-bottom:4px}
svg{font-family:inherit;overflow:visible}
svg text{font-size:12px;fill:var(--ink)}
svg .axis{stroke:#8a93a2;stroke-width:1}svg .grid{stroke:#e7eaee;stroke-width:1}
svg .small{font-size:10.5px;fill:var(--muted)}
.hm-letter{font-weight:700;font-size:13px;text-anchor:middle;pointer-events:none}
.warning{color:#8a3b00;background:#fff4e5;border-left:4px solid #e08a00;padding:4px 8px}
.sample{border-top:1px solid var(--line);margin-top:18px}
.muted{color:var(--muted)}
.small-multiples{display:flex;flex-wrap:wrap;gap:12px}
.small-multiples figure{border:1px solid var(--line);border-radius:6px;padding:6px 8px;margin:0}
nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:6px 0}
ol.citations li{margin-bottom:4px}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}dl.prov dt{font-weight:600}dl.prov dd{margin:0;word-break:break-word}
@media print{body{max-width:none}.sample{break-inside:avoid-page}}
)CSS"
            << "</style>\n</head>\n";
    }

    void notice() {
        out_ << "<div class=\"notice\" id=\"research-use\" role=\"note\">" << esc(kResearchUseNotice);
        if (!panel_.notice.empty()) out_ << " " << esc(panel_.notice);
        out_ << "</div>\n";
        if (m_.simulated())
            out_ << "<div class=\"notice model\" role=\"note\">Projections in this report come from a "
                 << esc(kModelLabel) << ".</div>\n";
    }

    void overview() {
        out_ << "<header>\n<h1>" << esc(m_.title) << "</h1>\n";
        out_ << "<p class=\"meta\">kitrx " << KITRX_VERSION << " &#183; activity panel <strong>"
             << esc(panel_.name) << " " << esc(panel_.version) << "</strong>";
        if (!panel_.date.empty()) out_ << " (" << esc(panel_.date) << ")";
        if (m_.regimen_set)
            out_ << " &#183; regimens " << esc(m_.regimen_set->name) << " " << esc(m_.regimen_set->version);
        if (!m_.inputs.empty()) out_ << " &#183; build " << esc(to_string(m_.inputs.front().build));
        out_ << " &#183; " << m_.samples.size() << (m_.samples.size() == 1 ? " sample" : " samples")
             << "</p>\n";
        for (const auto& skipped : m_.skipped_samples)
            out_ << "<p class=\"meta\">Not reported: " << esc(skipped) << "</p>\n";
        out_
            << "<nav><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#heatmap\">Clone &#215; drug "
               "heatmap</a></li><li><a href=\"#schedules\">Schedules</a></li>";
        for (std::size_t i = 0; i < m_.samples.size(); ++i)
            out_ << "<li><a href=\"#sample-" << i + 1 << "\">" << esc(m_.samples[i].name) << "</a></li>";
        if (!m_.trajectories.empty()) out_ << "<li><a href=\"#trajectories\">Trajectories</a></li>";
        out_ << "<li><a href=\"#evidence\">Evidence</a></li><li><a href=\"#citations\">Citations</a></li>"
                "<li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n</header>\n";
    }

    void summary() {
        out_ << "<section id=\"summary\">\n<h2>Summary</h2>\n";
        if (m_.samples.empty()) {
            out_ << "<p>No sample in the input.</p>\n</section>\n";
            return;
        }
        out_ << "<table>\n<thead><tr><th>Sample</th><th>Patient</th><th>Timepoint</th><th>KIT variants</th>"
                "<th>Tumour fraction (95% CI)</th><th>Resistant clones</th><th>Best-supported regimen</th>"
                "<th>Covered burden</th><th>Escaping clones</th><th>Flags</th></tr></thead>\n<tbody>\n";
        for (std::size_t i = 0; i < m_.samples.size(); ++i) {
            const ReportSample& s = m_.samples[i];
            std::vector<std::string> secondaries;
            for (const Clone* c : s.clones.detected_secondaries()) secondaries.push_back(clone_label(*c));
            const RegimenCoverage* best = report_detail::best_regimen(s);
            out_ << "<tr><td><a href=\"#sample-" << i + 1 << "\">" << esc(s.name) << "</a></td><td>"
                 << esc(s.patient) << "</td><td>" << esc(s.timepoint) << "</td><td class=\"num\">"
                 << s.variants.size() << "</td><td class=\"num\">"
                 << (s.clones.primary_detected()
                         ? pct_ci(s.clones.tumour_fraction, s.clones.tumour_fraction_ci)
                         : std::string("NA (no primary detected)"))
                 << "</td><td>" << (secondaries.empty() ? "none detected" : esc(join(secondaries, ", ")))
                 << (s.clones.primary_detected() || secondaries.empty() ? "" : " (VAF only: no primary)")
                 << (s.clones.has_flag(kFlagPrimaryCandidate) ? " (relative to a primary candidate)" : "")
                 << "</td><td>";
            if (best && best->regimen) {
                if (best->tier != RegimenTier::kClinical)
                    out_ << "<span class=\"warn\">no regimen backed by clinical evidence for this genotype"
                            "</span><br>";
                out_ << esc(best->regimen->drugs_label()) << (best->regimen->hypothetical ? " &#8224;" : "")
                     << " <span class=\"tier tier-" << to_string(best->tier) << "\">"
                     << esc(tier_title(best->tier))
                     << "; weakest covering evidence: " << esc(to_string(best->grade)) << "</span>";
            }
            out_ << "</td><td class=\"num\">" << (best ? pct(best->covered_burden) : "NA") << "</td><td>";
            if (best) {
                const std::string esc_list = best->clone_list(
                    s.clones, {CoverageStatus::kEscapingResistant, CoverageStatus::kEscapingUnknown});
                out_ << (esc_list.empty() ? "none" : esc(esc_list));
            }
            out_ << "</td><td>" << esc(join(s.clones.flags, ", ")) << "</td></tr>\n";
        }
        out_
            << "</tbody></table>\n<p class=\"muted\">&#8224; hypothetical regimen (no clinical dosing or "
               "safety data). Best-supported: rank 1 of the ranking rule (README, Ranking): regimens "
               "approved "
               "for the genotype whose coverage rests on clinical evidence first, then investigational ones, "
               "then the hypothesis-generating tier. Covered burden: share of the detected resistant-clone "
               "burden (the primary clones when no resistant clone is detected) under a sensitive call, "
               "weighted by clone fraction and by time on each drug. Ranks ignore toxicity and "
               "availability. Research software: not a treatment recommendation.</p>\n</section>\n";
    }

    void legend() {
        out_ << "<p class=\"legend\">";
        for (Activity a :
             {Activity::kSensitive, Activity::kIntermediate, Activity::kResistant, Activity::kUnknown}) {
            const CallStyle st = style_of(a);
            out_ << "<span class=\"sw\" style=\"background:" << st.fill << "\"></span>" << st.letter << " = "
                 << to_string(a);
        }
        out_ << " &#160; <strong>*</strong> = low-confidence call &#160; <strong>&#8225;</strong> = sources "
                "disagree (the call keeps every item; hover for them)</p>\n";
    }

    // Tooltip text: the call of each member variant with its rule and evidence.
    std::string cell_evidence(const ReportSample& s, const Clone& c, std::size_t d) {
        const Drug& drug = panel_.drugs()[d];
        std::string t = clone_label(c) + " \xC3\x97 " + (drug.name.empty() ? drug.id : drug.name) + ": " +
                        to_string(clone_call(c, d));
        for (const auto& v : c.variants) {
            const DrugActivity* call = member_call(s, v, d);
            const AnnotatedVariant* src = report_detail::source_variant(s, v);
            t += "\n" + v.protein + ": ";
            if (!call) {
                t += "no annotated record (" +
                     std::string(c.has_flag(kFlagHotspot) ? "hotspot checked in reads" : "no panel match") +
                     ")";
                continue;
            }
            t += to_string(call->activity);
            if (src && src->match.rule)
                t += "; rule " + src->match.rule->id + " (" + to_string(src->match.level) + ", " +
                     to_string(src->variant.role) + ")";
            else
                t += "; no panel rule matched";
            if (!call->reason.empty()) t += "; " + call->reason;
            for (const auto& e : call->evidence) {
                t += "\n  [" + e.citation + "] " + e.kind;
                if (e.ic50) t += ", IC50 " + num(*e.ic50, 0) + " " + e.ic50_units;
                if (!e.note.empty()) t += ": " + e.note;
            }
            if (call->evidence.empty()) t += "\n  no cited evidence";
        }
        return t;
    }

    void heatmap(const ReportSample& s, std::size_t index) {
        std::vector<const Clone*> rows;
        for (const auto& c : s.clones.clones)
            if (c.detected()) rows.push_back(&c);
        out_ << "<figure class=\"heatmap-figure\"><figcaption>" << esc(s.name);
        if (!s.timepoint.empty()) out_ << " <span class=\"muted\">(" << esc(s.timepoint) << ")</span>";
        out_ << "</figcaption>\n";
        if (rows.empty()) {
            out_ << "<p class=\"muted\">No detected KIT/PDGFRA clone in this sample.</p></figure>\n";
            return;
        }
        const auto& drugs = panel_.drugs();
        const double cw = 50, ch = 28, header = 92;
        double lw = 110;
        for (const Clone* c : rows) lw = std::max(lw, text_width(clone_label(*c) + " secondary") + 20);
        const double width = lw + cw * static_cast<double>(drugs.size()) + 110;
        const double height = header + ch * static_cast<double>(rows.size()) + 8;
        out_ << "<svg class=\"heatmap\" id=\"heatmap-" << index + 1 << "\" role=\"img\" width=\""
             << num(width, 0) << "\" height=\"" << num(height, 0) << "\" viewBox=\"0 0 " << num(width, 0)
             << " " << num(height, 0) << "\" data-sample=\"" << esc(s.name)
             << "\" aria-label=\"clone by drug activity for " << esc(s.name) << "\">\n";
        for (std::size_t d = 0; d < drugs.size(); ++d) {
            const double x = lw + cw * (static_cast<double>(d) + 0.5);
            out_ << "<text transform=\"translate(" << num(x) << "," << num(header - 8) << ") rotate(-40)\">"
                 << esc(drugs[d].name.empty() ? drugs[d].id : drugs[d].name) << "</text>\n";
        }
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const Clone& c = *rows[r];
            const double y = header + ch * static_cast<double>(r);
            out_ << "<text x=\"" << num(lw - 10) << "\" y=\"" << num(y + ch / 2 + 4)
                 << "\" text-anchor=\"end\"><tspan font-weight=\""
                 << (c.role == VariantRole::kPrimary ? 700 : 400) << "\">" << esc(clone_label(c))
                 << "</tspan> <tspan class=\"small\">" << esc(to_string(c.role)) << "</tspan></text>\n";
            for (std::size_t d = 0; d < drugs.size(); ++d) {
                const CloneCall graded = clone_drug_call(c, d);  // the call and what backs it
                const Activity a = graded.activity;
                const CallStyle st = style_of(a);
                // Marks read with the legend: * low confidence, ‡ disputed (sources disagree).
                const std::string mark = std::string(graded.low_confidence ? "*" : "") +
                                         (graded.conflicting ? "\xE2\x80\xA1" : "");
                const double x = lw + cw * static_cast<double>(d);
                out_ << "<g class=\"hm-cell\" data-clone=\"" << esc(c.id) << "\" data-drug=\""
                     << esc(drugs[d].id) << "\" data-call=\"" << to_string(a) << "\" data-grade=\""
                     << to_string(graded.grade) << "\" data-confidence=\""
                     << (graded.low_confidence ? "low" : "normal") << "\" data-conflicting=\""
                     << (graded.conflicting ? "true" : "false") << "\"><title>"
                     << esc(cell_evidence(s, c, d) + "\nevidence grade: " + to_string(graded.grade) +
                            (graded.low_confidence ? "; low confidence" : "") +
                            (graded.conflicting ? "; sources disagree" : ""))
                     << "</title><rect x=\"" << num(x + 1) << "\" y=\"" << num(y + 1) << "\" width=\""
                     << num(cw - 2) << "\" height=\"" << num(ch - 2) << "\" rx=\"3\" fill=\"" << st.fill
                     << "\"/><text class=\"hm-letter\" x=\"" << num(x + cw / 2) << "\" y=\""
                     << num(y + ch / 2 + 5) << "\" style=\"fill:" << st.ink << "\">" << st.letter << esc(mark)
                     << "</text></g>\n";
            }
            out_ << "<text class=\"small\" x=\"" << num(lw + cw * static_cast<double>(drugs.size()) + 8)
                 << "\" y=\"" << num(y + ch / 2 + 4) << "\">"
                 << (c.role == VariantRole::kPrimary ? "VAF " + pct(c.vaf) : "fraction " + pct(c.fraction))
                 << "</text>\n";
        }
        out_ << "</svg>\n";
        negative_groups(s);
        out_ << "</figure>\n";
    }

    // Absence is only claimed where reads were there to show it; the other groups say why not.
    void negative_groups(const ReportSample& s) {
        std::vector<std::string> not_detected, not_covered, not_assessed;
        for (const auto& c : s.clones.clones) {
            if (c.status == CloneStatus::kNotDetected)
                not_detected.push_back(clone_label(c) + (std::isnan(c.lod_vaf)
                                                             ? " (LoD unknown)"
                                                             : " (LoD " + pct(c.lod_vaf) + ")"));
            else if (c.status == CloneStatus::kNotCovered)
                not_covered.push_back(clone_label(c) + " (depth " +
                                      (c.depth > 0 ? std::to_string(c.depth) : "0") + ")");
            else if (c.status == CloneStatus::kNotAssessed)
                not_assessed.push_back(clone_label(c));
        }
        if (!not_detected.empty())
            out_ << "<p class=\"muted neg-not-detected\">Covered, not detected: "
                 << esc(join(not_detected, ", ")) << "</p>\n";
        if (!not_covered.empty())
            out_ << "<p class=\"muted neg-not-covered\"><strong>Not covered</strong> (depth below "
                 << s.min_depth << " fragments; absence not shown): " << esc(join(not_covered, ", "))
                 << "</p>\n";
        if (!not_assessed.empty())
            out_
                << "<p class=\"muted neg-not-assessed\"><strong>Not assessed</strong> (the input lists calls "
                   "only; it cannot show absence): "
                << esc(join(not_assessed, ", ")) << "</p>\n";
    }

    void coverage_table(const ReportSample& s) {
        out_
            << "<h3>Coverage</h3>\n<p class=\"muted\">Status floor: " << s.min_depth
            << " fragments (--min-depth). LoD: the smallest VAF detected with 95% power at that depth.</p>\n";
        if (!s.hotspots.empty()) {
            out_ << "<table "
                    "class=\"hotspot-coverage\"><thead><tr><th>Hotspot</th><th>Status</th><th>Depth</th>"
                    "<th>LoD</th></tr></thead>\n<tbody>\n";
            for (const auto& h : s.hotspots) {
                HotspotStatus judged = h;
                judged.min_depth = s.min_depth;
                out_ << "<tr><td>" << esc(h.gene + " " + h.label) << "</td><td>" << hotspot_state(judged)
                     << "</td><td class=\"num\">" << (h.assessed ? std::to_string(h.depth) : "NA")
                     << "</td><td class=\"num\">" << (h.assessed ? pct(h.lod_vaf) : "NA") << "</td></tr>\n";
            }
            out_ << "</tbody></table>\n";
        }
        if (!s.exons.empty()) {
            out_ << "<table class=\"exon-coverage\"><thead><tr><th>Exon</th><th>Status</th><th>Median "
                    "depth</th>"
                    "<th>Min depth</th><th>Bases at floor</th><th>LoD at median</th></tr></thead>\n<tbody>\n";
            for (const auto& e : s.exons)
                out_ << "<tr><td>" << esc(e.gene) << " exon " << e.exon << "</td><td>" << exon_state(e)
                     << "</td><td class=\"num\">" << num(e.median_depth, 0) << "</td><td class=\"num\">"
                     << format_count(e.min_depth_observed) << "</td><td class=\"num\">"
                     << (e.assessed ? std::to_string(e.bases_at_floor) + " / " + std::to_string(e.bases)
                                    : "NA")
                     << "</td><td class=\"num\">" << pct(e.lod_vaf) << "</td></tr>\n";
            out_ << "</tbody></table>\n";
        }
    }

    // Relative exposure of each drug of every timed regimen (schedule model pk), with the
    // threshold above which the drug counts as active.
    void exposure_section() {
        if (!m_.regimen_set) return;
        out_ << "<section id=\"schedules\">\n<h2>Schedules and drug exposure</h2>\n";
        if (!m_.pk_model) {
            out_ << "<p>Schedule model: <strong>calendar</strong> (a drug acts exactly on the days it is "
                    "given; "
                    "--schedule-model pk uses exposure curves).</p>\n</section>\n";
            return;
        }
        const PkModel& pk = *m_.pk_model;
        out_ << "<p>Schedule model: <strong>pk</strong>. One compartment per active moiety, first-order "
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
        out_ << esc(join(hl, "; ")) << ".</p>\n";
        for (const auto& e : m_.exposures) {
            if (!e.regimen || e.curves.empty()) continue;
            std::size_t n = 0;
            double ymax = pk.threshold * 1.2;
            for (const auto& c : e.curves) {
                n = std::max(n, c.exposure.size());
                for (double v : c.exposure) ymax = std::max(ymax, v);
            }
            if (n < 2) continue;
            const double w = 700, h = 220, left = 50, right = 120, top = 12, bottom = 34;
            const double pw = w - left - right, ph = h - top - bottom;
            const double hours = e.step_hours * static_cast<double>(n - 1);
            auto xpos = [&](double t) { return left + pw * t / hours; };
            auto ypos = [&](double v) { return top + ph * (1.0 - std::min(v, ymax) / ymax); };
            out_ << "<figure><figcaption>" << esc(e.regimen->name) << " <span class=\"muted\">("
                 << esc(e.regimen->drugs_label())
                 << ")</span></figcaption>\n<svg class=\"exposure\" role=\"img\" "
                 << "data-regimen=\"" << esc(e.regimen->id) << "\" width=\"" << num(w, 0) << "\" height=\""
                 << num(h, 0) << "\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0)
                 << "\" aria-label=\"relative drug exposure over time\">\n";
            out_ << "<line class=\"axis\" x1=\"" << num(left) << "\" y1=\"" << num(top + ph) << "\" x2=\""
                 << num(left + pw) << "\" y2=\"" << num(top + ph) << "\"/>";
            out_ << "<line x1=\"" << num(left) << "\" y1=\"" << num(ypos(pk.threshold)) << "\" x2=\""
                 << num(left + pw) << "\" y2=\"" << num(ypos(pk.threshold))
                 << "\" stroke=\"#5b6473\" stroke-dasharray=\"4 3\"/><text class=\"small\" x=\""
                 << num(left + pw + 6) << "\" y=\"" << num(ypos(pk.threshold) + 3) << "\">threshold "
                 << num(pk.threshold, 2) << "</text>\n";
            for (double v : {0.0, 1.0})
                if (v <= ymax)
                    out_ << "<text class=\"small\" x=\"" << num(left - 6) << "\" y=\"" << num(ypos(v) + 3)
                         << "\" text-anchor=\"end\">" << num(v, 0) << "</text>";
            const double day_step = hours > 24 * 60 ? 28 : 1;
            for (double d = 0; d * 24 <= hours + 1e-9; d += day_step)
                out_ << "<text class=\"small\" x=\"" << num(xpos(d * 24)) << "\" y=\"" << num(top + ph + 14)
                     << "\" text-anchor=\"middle\">" << num(d, 0) << "</text>";
            out_ << "<text class=\"small\" x=\"" << num(left + pw / 2) << "\" y=\"" << num(h - 4)
                 << "\" text-anchor=\"middle\">day</text>\n";
            for (std::size_t c = 0; c < e.curves.size(); ++c) {
                std::string pts;
                const auto& v = e.curves[c].exposure;
                const std::size_t stride = std::max<std::size_t>(1, v.size() / 700);
                for (std::size_t i = 0; i < v.size(); i += stride)
                    pts += num(xpos(e.step_hours * static_cast<double>(i))) + "," + num(ypos(v[i])) + " ";
                out_ << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << series_colour(c)
                     << "\" points=\"" << pts << "\"/><text class=\"small\" x=\"" << num(left + pw + 6)
                     << "\" y=\"" << num(top + 12 + 14 * static_cast<double>(c))
                     << "\" style=\"fill:" << series_colour(c) << "\">" << esc(e.curves[c].drug)
                     << "</text>\n";
            }
            out_ << "</svg></figure>\n";
            if (!e.regimen->schedule_note.empty())
                out_ << "<p class=\"muted\">" << esc(e.regimen->schedule_note) << "</p>\n";
        }
        out_ << "</section>\n";
    }

    void heatmaps() {
        out_ << "<section id=\"heatmap\">\n<h2>Clone &#215; drug activity</h2>\n<p>Rows are the detected "
                "clones "
                "of each sample (primary first), columns the drugs of the panel. A clone's call is the least "
                "favourable call over its variants. Hover a cell for the rule and evidence behind it; the "
                "<a href=\"#evidence\">evidence table</a> lists the same.</p>\n";
        legend();
        for (std::size_t i = 0; i < m_.samples.size(); ++i) heatmap(m_.samples[i], i);
        out_ << "</section>\n";
    }

    void variants_table(const ReportSample& s) {
        out_ << "<h3>Variants</h3>\n";
        if (s.variants.empty()) {
            out_ << "<p class=\"muted\">No KIT/PDGFRA variant in the target exons.</p>\n";
            return;
        }
        out_ << "<table><thead><tr><th>Gene</th><th>Protein</th><th>HGVS c.</th><th>HGVS p.</th><th>Exon</th>"
                "<th>Consequence</th><th>Role</th><th>VAF</th><th>Alt / depth</th><th>Filter</th>"
                "<th>Panel rule</th></tr></thead>\n<tbody>\n";
        for (const auto& v : s.variants) {
            const auto& o = v.variant.observation;
            const auto& n = v.variant.name;
            out_ << "<tr><td>" << esc(n.gene) << "</td><td>" << esc(n.protein) << "</td><td>" << esc(n.hgvs_c)
                 << "</td><td>" << esc(n.hgvs_p) << "</td><td class=\"num\">"
                 << (n.exon > 0 ? std::to_string(n.exon) : "") << "</td><td>" << esc(to_string(n.consequence))
                 << "</td><td title=\"" << esc(v.variant.role_reason) << "\">"
                 << esc(to_string(v.variant.role)) << "</td><td class=\"num\">"
                 << pct(report_detail::row_vaf(o)) << "</td><td class=\"num\">" << format_count(o.alt_reads)
                 << " / " << format_count(o.depth) << "</td><td>" << esc(o.filter) << "</td><td>"
                 << (v.match.rule ? esc(v.match.rule->id) + " (" + esc(to_string(v.match.level)) + ")"
                                  : "none")
                 << "</td></tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    void fraction_chart(const ReportSample& s, std::size_t index) {
        out_ << "<h3>Clone fractions</h3>\n";
        const SampleClones& sc = s.clones;
        if (sc.clones.empty()) {
            out_ << "<p class=\"muted\">No clone.</p>\n";
            return;
        }
        if (!sc.primary_detected())
            out_ << "<p class=\"muted\">No primary (truncal) variant detected: clone fractions and tumour "
                    "fraction are not estimated; each clone is shown by its VAF only.</p>\n";
        struct Row {
            std::string label;
            double value;
            ConfidenceInterval ci;
            bool detected;
            double lod;
            bool tumour;
            const Clone* clone = nullptr;
        };
        std::vector<Row> rows;
        if (!std::isnan(sc.tumour_fraction))
            rows.push_back({"tumour fraction (2 \xC3\x97 VAF)", sc.tumour_fraction, sc.tumour_fraction_ci,
                            true, kUnknownFraction, true, nullptr});
        for (const auto& c : sc.clones)
            rows.push_back({clone_label(c) + (c.has_flag(kFlagTruncalReference) ? " (reference)" : ""),
                            c.fraction, c.fraction_ci, c.detected(), c.lod_fraction, false, &c});
        double lw = 120;
        for (const auto& r : rows) lw = std::max(lw, text_width(r.label) + 16);
        const double pw = 420, rh = 24, top = 8;
        const double height = top + rh * static_cast<double>(rows.size()) + 34;
        const double width = lw + pw + 190;
        auto xpos = [&](double f) { return lw + pw * std::clamp(f, 0.0, 1.0); };
        out_ << "<svg class=\"fractions\" id=\"fractions-" << index + 1 << "\" role=\"img\" width=\""
             << num(width, 0) << "\" height=\"" << num(height, 0) << "\" viewBox=\"0 0 " << num(width, 0)
             << " " << num(height, 0) << "\" aria-label=\"clone fractions with 95% intervals\">\n";
        const double axis_y = top + rh * static_cast<double>(rows.size()) + 4;
        for (int t = 0; t <= 4; ++t) {
            const double x = xpos(t / 4.0);
            out_ << "<line class=\"grid\" x1=\"" << num(x) << "\" y1=\"" << num(top) << "\" x2=\"" << num(x)
                 << "\" y2=\"" << num(axis_y) << "\"/><text class=\"small\" x=\"" << num(x) << "\" y=\""
                 << num(axis_y + 14) << "\" text-anchor=\"middle\">" << t * 25 << "%</text>\n";
        }
        out_ << "<line class=\"axis\" x1=\"" << num(lw) << "\" y1=\"" << num(axis_y) << "\" x2=\""
             << num(lw + pw) << "\" y2=\"" << num(axis_y) << "\"/>\n";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Row& r = rows[i];
            const double y = top + rh * (static_cast<double>(i) + 0.5);
            const char* colour = r.tumour ? "#6a3d9a" : "#2b5d8a";
            out_ << "<g class=\"fraction-row\"><text x=\"" << num(lw - 8) << "\" y=\"" << num(y + 4)
                 << "\" text-anchor=\"end\">" << esc(r.label) << "</text>";
            std::string right;
            const CloneStatus status = r.clone ? r.clone->status : CloneStatus::kDetected;
            if (status == CloneStatus::kNotCovered || status == CloneStatus::kNotAssessed) {
                out_ << "<circle cx=\"" << num(xpos(0)) << "\" cy=\"" << num(y)
                     << "\" r=\"4\" fill=\"#fff\" stroke=\"#b0b6bf\" stroke-dasharray=\"2,2\"/>";
                right = status == CloneStatus::kNotCovered ? "not covered" : "not assessed";
            } else if (!r.detected) {
                if (!std::isnan(r.lod)) {
                    const double x = xpos(r.lod);
                    out_ << "<path d=\"M" << num(x) << "," << num(y - 6) << " L" << num(x - 7) << ","
                         << num(y) << " L" << num(x) << "," << num(y + 6)
                         << " Z\" fill=\"none\" stroke=\"#5b6473\"/>";
                    right = "not detected (LoD " + pct(r.lod) + ")";
                } else {
                    out_ << "<circle cx=\"" << num(xpos(0)) << "\" cy=\"" << num(y)
                         << "\" r=\"4\" fill=\"#fff\" stroke=\"#5b6473\"/>";
                    right = "not detected";
                }
            } else if (std::isnan(r.value)) {
                right = r.clone && !std::isnan(r.clone->vaf) ? "VAF " + pct(r.clone->vaf) + ", fraction NA"
                                                             : "fraction unknown";
            } else {
                if (r.ci.known()) {
                    const double x1 = xpos(r.ci.low), x2 = xpos(r.ci.high);
                    out_ << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x2)
                         << "\" y2=\"" << num(y) << "\" stroke=\"" << colour
                         << "\" stroke-width=\"2\"/><line x1=\"" << num(x1) << "\" y1=\"" << num(y - 5)
                         << "\" x2=\"" << num(x1) << "\" y2=\"" << num(y + 5) << "\" stroke=\"" << colour
                         << "\" stroke-width=\"2\"/><line x1=\"" << num(x2) << "\" y1=\"" << num(y - 5)
                         << "\" x2=\"" << num(x2) << "\" y2=\"" << num(y + 5) << "\" stroke=\"" << colour
                         << "\" stroke-width=\"2\"/>";
                }
                out_ << "<circle cx=\"" << num(xpos(r.value)) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\""
                     << colour << "\"/>";
                right = pct_ci(r.value, r.ci);
                if (r.clone && r.clone->has_flag(kFlagVafAbovePrimary))
                    right += " capped; ratio " + num(r.clone->fraction_uncapped, 2) +
                             (r.clone->ratio_ci.known() ? " (" + num(r.clone->ratio_ci.low, 2) + "-" +
                                                              num(r.clone->ratio_ci.high, 2) + ")"
                                                        : "") +
                             ": VAF above the primary's";
            }
            out_ << "<text class=\"small\" x=\"" << num(lw + pw + 12) << "\" y=\"" << num(y + 4) << "\">"
                 << right << "</text></g>\n";
        }
        out_ << "</svg>\n<p class=\"muted\">Clone fraction = clone VAF / truncal VAF (capped at 100%), with "
                "95% "
                "intervals (Wilson + MOVER-R); the truncal reference is 100% by definition.</p>\n";
    }

    static std::string tier_title(RegimenTier t) {
        switch (t) {
            case RegimenTier::kClinical:
                return "clinical evidence, approved for this genotype";
            case RegimenTier::kInvestigational:
                return "investigational";
            case RegimenTier::kHypothesis:
                return "hypothesis-generating";
            case RegimenTier::kNoKnownActivity:
                return "no known activity";
        }
        return "";
    }

    static std::string tier_explanation(RegimenTier t) {
        switch (t) {
            case RegimenTier::kClinical:
                return "Approved for this genotype, not hypothetical, and part of the burden is covered by a "
                       "sensitive call backed by a clinical trial or a label/guideline.";
            case RegimenTier::kInvestigational:
                return "Not hypothetical; coverage rests on knowledge-base or stronger evidence, but the "
                       "regimen is not approved for this genotype or no clinical evidence covers the burden.";
            case RegimenTier::kHypothesis:
                return "HYPOTHESIS-GENERATING: coverage rests only on preclinical or class-level evidence, "
                       "or the regimen has no clinical dosing or safety data.";
            case RegimenTier::kNoKnownActivity:
                return "No sensitive or intermediate call on any clone: unknown is not activity.";
        }
        return "";
    }

    // What the sample's genotype and history say before the ranking: the best-supported regimen
    // with its grade, the matching standards of care and the treatment history.
    void decision(const ReportSample& s) {
        out_ << "<h3>Treatment map</h3>\n<div class=\"decision\">\n";
        const RegimenCoverage* best = report_detail::best_regimen(s);
        if (!best || !best->regimen) {
            out_ << "<p><strong>Best-supported regimen:</strong> none: "
                 << (s.regimens.empty()
                         ? "no regimen evaluated"
                         : "no KIT/PDGFRA clone was detected, so no regimen can be judged (this is "
                           "not evidence for imatinib: wild-type GIST is imatinib-insensitive)")
                 << ".</p></div>\n";
            return;
        }
        out_ << "<p><strong>Best-supported regimen:</strong> " << esc(best->regimen->name) << " ("
             << esc(best->regimen->drugs_label()) << "), " << esc(tier_title(best->tier))
             << "; weakest evidence among the clones it covers: <strong>" << esc(to_string(best->grade))
             << "</strong>; clinical-evidence-covered burden " << pct(best->covered_burden_clinical) << ".";
        if (best->tier != RegimenTier::kClinical)
            out_ << " <span class=\"warn\">No regimen approved for this genotype has clinical evidence "
                    "against these clones; the ranking below rests on weaker evidence.</span>";
        out_ << "</p>\n";
        std::vector<std::string> standards;
        for (const auto& r : s.regimens)
            for (const StandardOfCare* soc : r.standard)
                standards.push_back(r.regimen->name + " (" + soc->label() +
                                    (soc->note.empty() ? "" : ": " + soc->note) + " [" +
                                    join(soc->citations, ", ") + "])");
        if (!standards.empty())
            out_ << "<p><strong>Standard of care matching this genotype:</strong> "
                 << esc(join(standards, "; ")) << "</p>\n";
        if (s.history.known())
            out_ << "<p><strong>Treatment history:</strong> failed " << esc(join(s.history.failed, ", "))
                 << (s.next_line > 0 ? "; next standard line: " + std::to_string(s.next_line) : std::string())
                 << ". Regimens made only of failed drugs are ranked after the others in their tier.</p>\n";
        else
            out_ << "<p class=\"muted\">Treatment history not given (--prior or a sample-sheet column "
                    "'prior'): failed drugs are not taken into account.</p>\n";
        if (best->rank_half_life_low > 0 && best->rank_half_life_high > 0) {
            std::vector<std::string> moved;
            for (const auto& r : s.regimens)
                if (r.regimen && r.rank <= 5 &&
                    (r.rank_half_life_low != r.rank || r.rank_half_life_high != r.rank))
                    moved.push_back(r.regimen->id + " (" + std::to_string(r.rank) + "; " +
                                    std::to_string(r.rank_half_life_low) + " with the shortest, " +
                                    std::to_string(r.rank_half_life_high) + " with the longest half-lives)");
            out_ << "<p><strong>Sensitivity to the published half-life ranges:</strong> "
                 << (moved.empty()
                         ? std::string("the first five ranks are the same at both ends of every range.")
                         : "ranks that change: " + esc(join(moved, "; ")) + ".")
                 << "</p>\n";
        }
        const int low = best->n_low_confidence, disputed = best->n_conflicting;
        if (low || disputed)
            out_ << "<p class=\"warn\">The best-supported regimen covers " << low
                 << " clone(s) through a low-confidence call and " << disputed
                 << " through a disputed call (marked * and &#8225; in the heatmap).</p>\n";
        out_ << "</div>\n";
    }

    void regimen_chart(const ReportSample& s, std::size_t index) {
        out_ << "<h3>Regimen coverage</h3>\n";
        if (s.regimens.empty()) {
            out_ << "<p class=\"muted\">No regimen evaluated.</p>\n";
            return;
        }
        out_ << "<p class=\"legend\"><span class=\"sw\" style=\"background:var(--s)\"></span>covered "
                "(sensitive)"
                "<span class=\"sw\" style=\"background:var(--i)\"></span>partial (intermediate)"
                "<span class=\"sw\" style=\"background:var(--u)\"></span>unknown"
                "<span class=\"sw\" style=\"background:var(--r)\"></span>escaping (resistant)</p>\n";
        int part = 0;
        for (RegimenTier t : {RegimenTier::kClinical, RegimenTier::kInvestigational, RegimenTier::kHypothesis,
                              RegimenTier::kNoKnownActivity}) {
            std::vector<std::size_t> rows;
            for (std::size_t i = 0; i < s.regimens.size(); ++i)
                if (s.regimens[i].regimen && s.regimens[i].tier == t) rows.push_back(i);
            if (rows.empty()) continue;
            out_ << "<div class=\"tier-block tier-" << to_string(t) << "\"><h4>" << esc(tier_title(t))
                 << "</h4>\n<p class=\"small\">" << esc(tier_explanation(t)) << "</p>\n";
            regimen_rows(s, index, rows, part++);
            out_ << "</div>\n";
        }
    }

    void regimen_rows(const ReportSample& s,
                      std::size_t index,
                      const std::vector<std::size_t>& rows,
                      int part) {
        double lw = 160;
        for (const auto& r : s.regimens)
            if (r.regimen)
                lw = std::max(
                    lw,
                    text_width("#" + std::to_string(r.rank) + " " + r.regimen->drugs_label() + " +") + 16);
        const double bw = 360, rh = 24, top = 6;
        const double height = top + rh * static_cast<double>(rows.size()) + 8;
        const double width = lw + bw + 330;
        out_ << "<svg class=\"regimens\" id=\"regimens-" << index + 1
             << (part ? "-" + std::to_string(part + 1) : "") << "\" role=\"img\" width=\"" << num(width, 0)
             << "\" height=\"" << num(height, 0) << "\" viewBox=\"0 0 " << num(width, 0) << " "
             << num(height, 0) << "\" aria-label=\"resistant burden covered by each regimen\">\n";
        for (std::size_t row = 0; row < rows.size(); ++row) {
            const RegimenCoverage& r = s.regimens[rows[row]];
            const double y = top + rh * static_cast<double>(row);
            out_ << "<g class=\"regimen-row\" data-regimen=\"" << esc(r.regimen->id) << "\"><title>"
                 << esc(r.regimen->name + ": " + r.regimen->drugs_label() + "\ncovered " +
                        pct(r.covered_burden) + ", partial " + pct(r.partial_burden) + ", unknown " +
                        pct(r.unknown_burden) + ", resistant " + pct(r.resistant_burden) +
                        "\nweakest covering evidence: " + to_string(r.grade) + "; clinical-evidence burden " +
                        pct(r.covered_burden_clinical) +
                        (r.prior == PriorStatus::kNone ? "" : "\nprior: " + to_string(r.prior)) +
                        (r.regimen->notes.empty() ? "" : "\n" + r.regimen->notes))
                 << "</title><text x=\"" << num(lw - 8) << "\" y=\"" << num(y + 16)
                 << "\" text-anchor=\"end\">#" << r.rank << " " << esc(r.regimen->drugs_label())
                 << (r.regimen->hypothetical ? " \xE2\x80\xA0" : "")
                 << (r.prior == PriorStatus::kAllFailed ? " (failed)" : "") << "</text>";
            const double parts[] = {r.covered_burden, r.partial_burden, r.unknown_burden, r.resistant_burden};
            const char* fills[] = {"#1a9850", "#f4a300", "#b0b0b0", "#d73027"};
            if (std::isnan(r.covered_burden)) {
                out_ << "<rect x=\"" << num(lw) << "\" y=\"" << num(y + 4) << "\" width=\"" << num(bw)
                     << "\" height=\"" << num(rh - 8)
                     << "\" fill=\"none\" stroke=\"#b0b0b0\" stroke-dasharray=\"4 3\"/><text class=\"small\" "
                        "x=\""
                     << num(lw + 8) << "\" y=\"" << num(y + 16) << "\">"
                     << (r.burden_basis.empty() ? "no detected clone"
                                                : "burden unknown: a clone fraction is unknown")
                     << "</text>";
            } else {
                double x = lw;
                for (int k = 0; k < 4; ++k) {
                    const double w = bw * (std::isnan(parts[k]) ? 0.0 : std::clamp(parts[k], 0.0, 1.0));
                    if (w <= 0) continue;
                    out_ << "<rect x=\"" << num(x) << "\" y=\"" << num(y + 4) << "\" width=\"" << num(w)
                         << "\" height=\"" << num(rh - 8) << "\" fill=\"" << fills[k] << "\"/>";
                    x += w;
                }
            }
            const std::string escaping = r.clone_list(s.clones, {CoverageStatus::kEscapingResistant});
            const std::string unknown = r.clone_list(s.clones, {CoverageStatus::kEscapingUnknown});
            std::string right = std::isnan(r.covered_burden) ? "" : pct(r.covered_burden) + " covered";
            if (r.burden_basis == "primary" && !right.empty())
                right += " (primary clone: no secondary detected)";
            right += (right.empty() ? "" : "; ") + std::string("grade ") + to_string(r.grade);
            if (r.n_low_confidence) right += "; low-confidence*";
            if (r.n_conflicting) right += "; disputed\xE2\x80\xA1";
            if (!r.standard.empty()) right += "; standard: " + standard_label(r);
            if (!escaping.empty())
                right += (right.empty() ? "" : "; ") + std::string("escaping: ") + escaping;
            if (!unknown.empty()) right += (right.empty() ? "" : "; ") + std::string("unknown: ") + unknown;
            out_ << "<text class=\"small\" x=\"" << num(lw + bw + 10) << "\" y=\"" << num(y + 16) << "\">"
                 << esc(right) << "</text></g>\n";
        }
        out_ << "</svg>\n";
    }

    void drug_sets(const ReportSample& s) {
        const DrugSetResult& d = s.drug_sets;
        if (d.target_clones == 0) return;
        out_ << "<h3>Smallest drug sets</h3>\n<p>";
        auto names = [&](const std::vector<std::string>& ids) {
            std::vector<std::string> out;
            for (const auto& id : ids) out.push_back(drug_name(panel_, id));
            return esc(join(out, " + "));
        };
        if (d.covers_all)
            out_ << "Every detected clone (" << d.target_clones << ") is sensitive to at least one drug of: ";
        else
            out_ << "No drug combination covers every detected clone; the best cover " << d.covered_clones
                 << " of " << d.target_clones << " with: ";
        for (std::size_t i = 0; i < d.sets.size(); ++i)
            out_ << (i ? "; " : "") << "<strong>" << names(d.sets[i]) << "</strong>";
        if (d.sets.empty()) out_ << "none";
        out_ << ".";
        if (!d.uncovered.empty()) {
            std::vector<std::string> u;
            for (auto i : d.uncovered)
                if (i < s.clones.clones.size()) u.push_back(clone_label(s.clones.clones[i]));
            out_ << " Not covered by any panel drug: " << esc(join(u, ", ")) << ".";
        }
        out_ << "</p>\n";
    }

    // Log-scale line chart of each population of one projection.
    void projection_chart(const Projection& p) {
        const double w = 270, h = 170, left = 40, right = 10, top = 10, bottom = 28;
        const double pw = w - left - right, ph = h - top - bottom;
        double ymax = 0.0;
        for (const auto& wk : p.weeks)
            for (double v : wk.size)
                if (std::isfinite(v) && v > 0) ymax = std::max(ymax, std::log10(v));
        ymax = std::max(1.0, std::ceil(ymax));
        const double ymin = -3.0;
        const int n_weeks = p.weeks.empty() ? 0 : p.weeks.back().week;
        auto xpos = [&](int week) { return left + (n_weeks > 0 ? pw * week / n_weeks : 0.0); };
        auto ypos = [&](double v) {
            const double l = v > 0 ? std::clamp(std::log10(v), ymin, ymax) : ymin;
            return top + ph * (1.0 - (l - ymin) / (ymax - ymin));
        };
        out_ << "<figure><figcaption>" << esc(p.regimen ? p.regimen->drugs_label() : std::string("regimen"))
             << "</figcaption>\n<svg class=\"projection\" role=\"img\" width=\"" << num(w, 0)
             << "\" height=\"" << num(h, 0) << "\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0)
             << "\" aria-label=\"" << esc(p.label) << "\">\n";
        for (int e = static_cast<int>(ymin); e <= static_cast<int>(ymax); ++e) {
            const double y = ypos(std::pow(10.0, e));
            out_ << "<line class=\"grid\" x1=\"" << num(left) << "\" y1=\"" << num(y) << "\" x2=\""
                 << num(left + pw) << "\" y2=\"" << num(y) << "\"/><text class=\"small\" x=\""
                 << num(left - 4) << "\" y=\"" << num(y + 3) << "\" text-anchor=\"end\">"
                 << (e >= 0 ? num(std::pow(10.0, e), 0) : num(std::pow(10.0, e), -e)) << "&#215;</text>\n";
        }
        out_ << "<line class=\"axis\" x1=\"" << num(left) << "\" y1=\"" << num(top + ph) << "\" x2=\""
             << num(left + pw) << "\" y2=\"" << num(top + ph) << "\"/><text class=\"small\" x=\""
             << num(left + pw / 2) << "\" y=\"" << num(h - 4) << "\" text-anchor=\"middle\">weeks</text>\n";
        for (int wk : {0, n_weeks / 2, n_weeks})
            out_ << "<text class=\"small\" x=\"" << num(xpos(wk)) << "\" y=\"" << num(top + ph + 12)
                 << "\" text-anchor=\"middle\">" << wk << "</text>\n";
        {
            std::string pts;
            for (const auto& wk : p.weeks) pts += num(xpos(wk.week)) + "," + num(ypos(wk.total)) + " ";
            out_
                << "<polyline fill=\"none\" stroke=\"#5b6473\" stroke-dasharray=\"4 3\" stroke-width=\"1.5\" "
                   "points=\""
                << pts << "\"><title>total tumour burden</title></polyline>\n";
        }
        for (std::size_t k = 0; k < p.populations.size(); ++k) {
            std::string pts;
            for (const auto& wk : p.weeks)
                if (k < wk.size.size()) pts += num(xpos(wk.week)) + "," + num(ypos(wk.size[k])) + " ";
            out_ << "<polyline fill=\"none\" stroke=\"" << series_colour(k)
                 << "\" stroke-width=\"2\" points=\"" << pts << "\"><title>" << esc(p.populations[k])
                 << "</title></polyline>\n";
        }
        out_ << "</svg>\n<p class=\"small muted\">" << esc(p.label) << "</p></figure>\n";
    }

    void projections(const ReportSample& s) {
        if (!m_.simulated()) return;
        out_ << "<h3>Projection (" << esc(kModelLabel) << ")</h3>\n";
        if (s.projections.empty()) {
            out_ << "<p class=\"muted\">No regimen projected.</p>\n";
            return;
        }
        out_ << "<p class=\"legend\">";
        for (std::size_t k = 0; k < s.projections.front().populations.size(); ++k) {
            const std::string& id = s.projections.front().populations[k];
            const Clone* c = s.clones.find(id);
            std::string label = c ? clone_label(*c) : id;
            if (c && c->role == VariantRole::kPrimary) label += " only (no detected secondary)";
            out_ << "<span class=\"sw\" style=\"background:" << series_colour(k) << "\"></span>"
                 << esc(label);
        }
        out_
            << "<span class=\"sw\" style=\"border-top:2px dashed #5b6473;height:0\"></span>total burden</p>\n"
               "<div class=\"small-multiples\">\n";
        for (const auto& p : s.projections) projection_chart(p);
        out_ << "</div>\n<p class=\"muted\">Cell populations relative to the baseline tumour (log scale) "
                "under a "
                "daily exponential model whose rate depends on the best call of the drugs given that day. "
             << esc(m_.growth_model->rationale) << " This is a " << esc(kModelLabel) << ".</p>\n";
    }

    void sample_section(std::size_t i) {
        const ReportSample& s = m_.samples[i];
        out_ << "<section class=\"sample\" id=\"sample-" << i + 1 << "\">\n<h2>Sample " << esc(s.name)
             << "</h2>\n";
        out_ << "<p class=\"meta\">input " << esc(s.input);
        if (!s.patient.empty()) out_ << " &#183; patient " << esc(s.patient);
        if (!s.timepoint.empty()) out_ << " &#183; timepoint " << esc(s.timepoint);
        out_ << " &#183; tumour fraction " << pct_ci(s.clones.tumour_fraction, s.clones.tumour_fraction_ci);
        if (!std::isnan(s.median_depth)) out_ << " &#183; median KIT depth " << num(s.median_depth, 0);
        if (!s.clones.flags.empty()) out_ << " &#183; flags: " << esc(join(s.clones.flags, ", "));
        out_ << "</p>\n";
        for (const auto& w : s.clones.warnings())
            out_ << "<p class=\"warning\" data-flag=\"" << esc(w) << "\"><strong>" << esc(w)
                 << "</strong>: " << esc(flag_description(w)) << "</p>\n";
        if (s.pdgfra_records_ignored > 0)
            out_ << "<p class=\"warning\" data-flag=\"pdgfra_not_selected\"><strong>PDGFRA variants "
                    "present</strong>: "
                 << s.pdgfra_records_ignored
                 << " record(s) in PDGFRA target exons were not analysed; add --genes KIT,PDGFRA.</p>\n";
        for (const auto& n : s.notes) out_ << "<p class=\"muted\">Note: " << esc(n) << "</p>\n";
        variants_table(s);
        coverage_table(s);
        fraction_chart(s, i);
        decision(s);
        regimen_chart(s, i);
        drug_sets(s);
        projections(s);
        out_ << "</section>\n";
    }

    void trajectory_chart(const std::string& patient,
                          const std::vector<const CloneTrajectory*>& ts,
                          std::size_t n) {
        const std::vector<TrajectoryPoint>& axis = ts.front()->points;
        const double w = 700, h = 280, left = 56, right = 230, top = 14, bottom = 46;
        const double pw = w - left - right, ph = h - top - bottom;
        double ymax = 0.01;
        for (const auto* t : ts)
            for (const auto& p : t->points) {
                if (!std::isnan(p.vaf)) ymax = std::max(ymax, p.vaf);
                if (p.vaf_ci.known() && std::isfinite(p.vaf_ci.high)) ymax = std::max(ymax, p.vaf_ci.high);
            }
        const double step = nice_step(ymax / 4.0);
        ymax = std::min(1.0, step * std::ceil(ymax / step));
        const std::size_t nt = axis.size();
        auto xpos = [&](std::size_t k) {
            return left + (nt > 1 ? pw * static_cast<double>(k) / static_cast<double>(nt - 1) : pw / 2);
        };
        auto ypos = [&](double v) { return top + ph * (1.0 - std::clamp(v, 0.0, ymax) / ymax); };
        out_ << "<figure><figcaption>Patient " << esc(patient)
             << "</figcaption>\n<svg class=\"trajectory\" id=\"trajectory-" << n << "\" role=\"img\" width=\""
             << num(w, 0) << "\" height=\"" << num(h, 0) << "\" viewBox=\"0 0 " << num(w, 0) << " "
             << num(h, 0) << "\" aria-label=\"clone VAF over time\">\n";
        for (double v = 0.0; v <= ymax * (1 + 1e-9); v += step) {
            const double y = ypos(v);
            out_ << "<line class=\"grid\" x1=\"" << num(left) << "\" y1=\"" << num(y) << "\" x2=\""
                 << num(left + pw) << "\" y2=\"" << num(y) << "\"/><text class=\"small\" x=\""
                 << num(left - 6) << "\" y=\"" << num(y + 3) << "\" text-anchor=\"end\">" << pct(v)
                 << "</text>\n";
        }
        for (std::size_t k = 0; k < nt; ++k)
            out_ << "<text class=\"small\" x=\"" << num(xpos(k)) << "\" y=\"" << num(top + ph + 16)
                 << "\" text-anchor=\"middle\">" << esc(axis[k].timepoint) << "</text>\n";
        out_ << "<line class=\"axis\" x1=\"" << num(left) << "\" y1=\"" << num(top + ph) << "\" x2=\""
             << num(left + pw) << "\" y2=\"" << num(top + ph)
             << "\"/><text class=\"small\" transform=\"translate(12," << num(top + ph / 2)
             << ") rotate(-90)\" text-anchor=\"middle\">VAF</text>\n";
        for (std::size_t i = 0; i < ts.size(); ++i) {
            const CloneTrajectory& t = *ts[i];
            const char* colour = series_colour(i);
            std::string pts;
            for (std::size_t k = 0; k < t.points.size() && k < nt; ++k) {
                const double v = t.points[k].status == CloneStatus::kDetected && !std::isnan(t.points[k].vaf)
                                     ? t.points[k].vaf
                                     : 0.0;
                pts += num(xpos(k)) + "," + num(ypos(v)) + " ";
            }
            out_ << "<g class=\"series\" data-clone=\"" << esc(t.clone)
                 << "\"><polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\" points=\""
                 << pts << "\"/>";
            for (std::size_t k = 0; k < t.points.size() && k < nt; ++k) {
                const TrajectoryPoint& p = t.points[k];
                const bool det = p.status == CloneStatus::kDetected && !std::isnan(p.vaf);
                const double x = xpos(k), y = ypos(det ? p.vaf : 0.0);
                if (det && p.vaf_ci.known())
                    out_ << "<line x1=\"" << num(x) << "\" y1=\"" << num(ypos(p.vaf_ci.low)) << "\" x2=\""
                         << num(x) << "\" y2=\"" << num(ypos(p.vaf_ci.high)) << "\" stroke=\"" << colour
                         << "\" stroke-opacity=\"0.6\"/>";
                out_ << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"4\" fill=\""
                     << (det ? colour : "#fff") << "\" stroke=\"" << colour << "\"><title>"
                     << esc(t.variants + " at " + p.timepoint + ": ")
                     << (det ? pct_ci(p.vaf, p.vaf_ci)
                             : std::string(p.assessed ? "not detected" : "not assessed"))
                     << "</title></circle>";
            }
            const double ly = top + 14.0 * static_cast<double>(i) + 6;
            out_ << "<rect x=\"" << num(left + pw + 14) << "\" y=\"" << num(ly - 8)
                 << "\" width=\"12\" height=\"3\" fill=\"" << colour << "\"/><text class=\"small\" x=\""
                 << num(left + pw + 32) << "\" y=\"" << num(ly - 3) << "\">"
                 << esc(t.variants.empty() ? t.clone : t.variants) << " &#8212; " << esc(to_string(t.latest))
                 << "</text></g>\n";
        }
        out_ << "</svg></figure>\n";
    }

    void trajectory_table(const std::vector<const CloneTrajectory*>& ts) {
        const auto& axis = ts.front()->points;
        out_ << "<table><thead><tr><th>Clone</th><th>Role</th>";
        for (const auto& p : axis) out_ << "<th>" << esc(p.timepoint) << "</th>";
        out_ << "<th>Changes</th><th>Latest</th></tr></thead>\n<tbody>\n";
        for (const auto* t : ts) {
            out_ << "<tr><td>" << esc(t->variants.empty() ? t->clone : t->variants) << "</td><td>"
                 << esc(to_string(t->role)) << "</td>";
            for (const auto& p : t->points) {
                out_ << "<td class=\"num\">";
                if (p.status == CloneStatus::kDetected) {
                    out_ << "VAF " << pct(p.vaf);
                    if (t->role == VariantRole::kSecondary && !std::isnan(p.fraction))
                        out_ << "<br><span class=\"muted\">fraction " << pct_ci(p.fraction, p.fraction_ci)
                             << "</span>";
                } else {
                    out_ << (p.assessed ? "not detected" : "not assessed");
                }
                out_ << "</td>";
            }
            std::vector<std::string> calls;
            for (std::size_t k = 0; k < t->calls.size(); ++k)
                calls.push_back(to_string(t->calls[k]) + (k < t->metrics.size()
                                                              ? " (" + to_string(t->metrics[k]) + ")"
                                                              : std::string()));
            out_ << "<td>" << join(calls, " &#8594; ") << "</td><td><strong>" << esc(to_string(t->latest))
                 << "</strong></td></tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    void trajectories() {
        if (m_.trajectories.empty()) return;
        out_
            << "<section id=\"trajectories\">\n<h2>Trajectories</h2>\n<p>Clones matched across timepoints by "
               "their variants. Filled dots: detected (with 95% VAF interval); open dots: not detected or "
               "not "
               "assessed. Calls compare consecutive timepoints (clone fraction when both have a detected "
               "primary, else VAF; at least a two-fold change with non-overlapping intervals).</p>\n";
        std::vector<std::string> patients;
        for (const auto& t : m_.trajectories)
            if (std::find(patients.begin(), patients.end(), t.patient) == patients.end())
                patients.push_back(t.patient);
        for (std::size_t n = 0; n < patients.size(); ++n) {
            std::vector<const CloneTrajectory*> ts;
            for (const auto& t : m_.trajectories)
                if (t.patient == patients[n] && !t.points.empty()) ts.push_back(&t);
            if (ts.empty()) continue;
            trajectory_chart(patients[n], ts, n + 1);
            trajectory_table(ts);
        }
        out_ << "</section>\n";
    }

    std::string citation_links(const std::vector<Evidence>& evidence) {
        std::vector<std::string> keys;
        for (const auto& e : evidence) {
            const std::string k =
                panel_.citations().count(e.citation)
                    ? "<a href=\"#" + anchor("cite-", e.citation) + "\">" + esc(e.citation) + "</a>"
                    : esc(e.citation);
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        }
        return join(keys, ", ");
    }

    void evidence() {
        out_ << "<section id=\"evidence\">\n<h2>Evidence behind each cell</h2>\n";
        std::set<std::string> seen;
        std::ostringstream rows;
        for (const auto& s : m_.samples) {
            for (const auto& c : s.clones.clones) {
                if (!c.detected()) continue;
                for (const auto& v : c.variants) {
                    const AnnotatedVariant* src = report_detail::source_variant(s, v);
                    if (!src) continue;
                    for (std::size_t d = 0; d < panel_.drugs().size() && d < src->match.calls.size(); ++d) {
                        const std::string key =
                            v.gene + ":" + v.protein + "|" + to_string(src->variant.role) + "|" +
                            (src->match.rule ? src->match.rule->id : "") + "|" + panel_.drugs()[d].id;
                        if (!seen.insert(key).second) continue;
                        const DrugActivity& call = src->match.calls[d];
                        std::vector<std::string> kinds, notes;
                        for (const auto& e : call.evidence) {
                            if (std::find(kinds.begin(), kinds.end(), e.kind) == kinds.end())
                                kinds.push_back(e.kind);
                            std::string n = e.note;
                            if (e.ic50)
                                n += (n.empty() ? "" : "; ") + std::string("IC50 ") + num(*e.ic50, 0) + " " +
                                     e.ic50_units;
                            if (!n.empty()) notes.push_back("[" + e.citation + "] " + n);
                        }
                        if (!call.reason.empty()) notes.push_back(call.reason);
                        rows << "<tr><td>" << esc(drug_name(panel_, panel_.drugs()[d].id)) << "</td><td>"
                             << esc(v.gene + " " + v.protein) << "</td><td>"
                             << esc(to_string(src->variant.role)) << "</td><td>" << badge(call.activity)
                             << "</td><td>"
                             << (src->match.rule ? esc(src->match.rule->id) + " (" +
                                                       esc(to_string(src->match.level)) + ")"
                                                 : "no rule")
                             << "</td><td>" << citation_links(call.evidence) << "</td><td>"
                             << esc(join(kinds, ", ")) << "</td><td>" << esc(join(notes, " | "))
                             << "</td></tr>\n";
                    }
                }
            }
        }
        if (seen.empty()) {
            out_ << "<p class=\"muted\">No detected clone, so no call to support.</p>\n";
        } else {
            out_ << "<table><thead><tr><th>Drug</th><th>Variant</th><th>Role</th><th>Call</th><th>Panel "
                    "rule</th>"
                    "<th>Citations</th><th>Kind</th><th>Notes</th></tr></thead>\n<tbody>\n"
                 << rows.str() << "</tbody></table>\n";
        }
        out_ << "</section>\n";
    }

    void citations() {
        out_ << "<section id=\"citations\">\n<h2>Citations</h2>\n";
        const auto keys = m_.citations_used();
        if (keys.empty())
            out_ << "<p class=\"muted\">No panel citation used.</p>\n";
        else
            out_ << "<ol class=\"citations\">\n";
        for (const auto& k : keys) {
            const Citation& c = panel_.citations().at(k);
            out_ << "<li id=\"" << anchor("cite-", k) << "\"><strong>[" << esc(k) << "]</strong> ";
            if (!c.authors.empty()) out_ << esc(sentence(c.authors)) << " ";
            if (!c.title.empty()) out_ << esc(sentence(c.title)) << " ";
            if (!c.journal.empty()) out_ << "<em>" << esc(c.journal) << "</em>";
            if (c.year > 0) out_ << " " << c.year;
            out_ << ".";
            if (!c.doi.empty()) out_ << " doi:" << esc(c.doi);
            if (!c.pmid.empty()) out_ << " PMID " << esc(c.pmid);
            if (!c.url.empty()) out_ << " " << esc(c.url);
            out_ << "</li>\n";
        }
        if (!keys.empty()) out_ << "</ol>\n";
        const auto refs = m_.free_references();
        if (!refs.empty()) {
            out_ << "<p>Other references (regimens, model): ";
            std::vector<std::string> e;
            for (const auto& r : refs) e.push_back(esc(r));
            out_ << join(e, "; ") << "</p>\n";
        }
        out_ << "</section>\n";
    }

    void provenance() {
        out_ << "<section id=\"provenance\">\n<h2>Provenance</h2>\n<h3>Activity panel</h3>\n<p>"
             << esc(panel_.name) << " " << esc(panel_.version);
        if (!panel_.date.empty()) out_ << " (" << esc(panel_.date) << ")";
        out_ << ", " << esc(panel_.source) << ". Transcripts: " << esc(join(panel_.transcripts, ", "))
             << ".</p>\n";
        out_ << "<table><thead><tr><th>Drug</th><th>Id</th><th>Mechanism</th><th>Status</th></tr></"
                "thead><tbody>\n";
        for (const auto& d : panel_.drugs())
            out_ << "<tr><td>" << esc(d.name) << "</td><td>" << esc(d.id) << "</td><td>" << esc(d.mechanism)
                 << "</td><td>" << esc(d.status) << "</td></tr>\n";
        out_ << "</tbody></table>\n";
        if (m_.regimen_set && !m_.regimen_set->skipped.empty())
            out_ << "<p class=\"muted\">Regimens skipped (drug not in the panel): "
                 << esc(join(m_.regimen_set->skipped, ", ")) << "</p>\n";
        out_ << "<dl class=\"prov\">\n";
        for (const auto& [k, v] : m_.provenance.items)
            out_ << "<dt>" << esc(k) << "</dt><dd>" << esc(v) << "</dd>\n";
        out_ << "</dl>\n</section>\n";
    }
};

}  // namespace

void write_report_html(std::ostream& out, const ReportModel& model) {
    HtmlWriter(out, model).write();
}

}  // namespace kitrx
