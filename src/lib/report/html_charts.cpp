// SPDX-License-Identifier: MIT
// report.html's charts: inline SVG (no script, no external resource), one function per chart.
// They draw what html_model picked; scales and positions are computed here, content is not.
#include <algorithm>
#include <cmath>

#include "report/html_parts.hpp"
#include "report/report_util.hpp"

namespace kitrx::report_html {

namespace {

using report_detail::clone_call;
using report_detail::member_call;

// Tooltip text: the call of each member variant with its rule and evidence.
std::string cell_evidence(const ActivityPanel& panel, const ReportSample& s, const Clone& c, std::size_t d) {
    const Drug& drug = panel.drugs()[d];
    std::string t = clone_label(c) + " \xC3\x97 " + (drug.name.empty() ? drug.id : drug.name) + ": " +
                    to_string(clone_call(c, d));
    for (const auto& v : c.variants) {
        const DrugActivity* call = member_call(s, v, d);
        const AnnotatedVariant* src = report_detail::source_variant(s, v);
        t += "\n" + v.protein + ": ";
        if (!call) {
            t += "no annotated record (" +
                 std::string(c.has_flag(kFlagHotspot) ? "hotspot checked in reads" : "no panel match") + ")";
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

}  // namespace

void heatmap_svg(std::ostream& out,
                 const ActivityPanel& panel,
                 const ReportSample& s,
                 const std::vector<const Clone*>& rows,
                 std::size_t index) {
    const auto& drugs = panel.drugs();
    const double cw = 50, ch = 28, header = 92;
    double lw = 110;
    for (const Clone* c : rows) lw = std::max(lw, text_width(clone_label(*c) + " secondary") + 20);
    const double width = lw + cw * static_cast<double>(drugs.size()) + 110;
    const double height = header + ch * static_cast<double>(rows.size()) + 8;
    out << "<svg class=\"heatmap\" id=\"heatmap-" << index + 1 << "\" role=\"img\" width=\"" << num(width, 0)
        << "\" height=\"" << num(height, 0) << "\" viewBox=\"0 0 " << num(width, 0) << " " << num(height, 0)
        << "\" data-sample=\"" << esc(s.name) << "\" aria-label=\"clone by drug activity for " << esc(s.name)
        << "\">\n";
    for (std::size_t d = 0; d < drugs.size(); ++d) {
        const double x = lw + cw * (static_cast<double>(d) + 0.5);
        out << "<text transform=\"translate(" << num(x) << "," << num(header - 8) << ") rotate(-40)\">"
            << esc(drugs[d].name.empty() ? drugs[d].id : drugs[d].name) << "</text>\n";
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Clone& c = *rows[r];
        const double y = header + ch * static_cast<double>(r);
        out << "<text x=\"" << num(lw - 10) << "\" y=\"" << num(y + ch / 2 + 4)
            << "\" text-anchor=\"end\"><tspan font-weight=\"" << (c.role == VariantRole::kPrimary ? 700 : 400)
            << "\">" << esc(clone_label(c)) << "</tspan> <tspan class=\"small\">" << esc(to_string(c.role))
            << "</tspan></text>\n";
        for (std::size_t d = 0; d < drugs.size(); ++d) {
            const CloneCall graded = clone_drug_call(c, d);  // the call and what backs it
            const Activity a = graded.activity;
            const CallStyle st = style_of(a);
            // Marks read with the legend: * low confidence, ‡ disputed (sources disagree).
            const std::string mark =
                std::string(graded.low_confidence ? "*" : "") + (graded.conflicting ? "\xE2\x80\xA1" : "");
            const double x = lw + cw * static_cast<double>(d);
            out << "<g class=\"hm-cell\" data-clone=\"" << esc(c.id) << "\" data-drug=\"" << esc(drugs[d].id)
                << "\" data-call=\"" << to_string(a) << "\" data-grade=\"" << to_string(graded.grade)
                << "\" data-confidence=\"" << (graded.low_confidence ? "low" : "normal")
                << "\" data-conflicting=\"" << (graded.conflicting ? "true" : "false") << "\"><title>"
                << esc(cell_evidence(panel, s, c, d) + "\nevidence grade: " + to_string(graded.grade) +
                       (graded.low_confidence ? "; low confidence" : "") +
                       (graded.conflicting ? "; sources disagree" : ""))
                << "</title><rect x=\"" << num(x + 1) << "\" y=\"" << num(y + 1) << "\" width=\""
                << num(cw - 2) << "\" height=\"" << num(ch - 2) << "\" rx=\"3\" fill=\"" << st.fill
                << "\"/><text class=\"hm-letter\" x=\"" << num(x + cw / 2) << "\" y=\"" << num(y + ch / 2 + 5)
                << "\" style=\"fill:" << st.ink << "\">" << st.letter << esc(mark) << "</text></g>\n";
        }
        out << "<text class=\"small\" x=\"" << num(lw + cw * static_cast<double>(drugs.size()) + 8)
            << "\" y=\"" << num(y + ch / 2 + 4) << "\">"
            << (c.role == VariantRole::kPrimary ? "VAF " + pct(c.vaf) : "fraction " + pct(c.fraction))
            << "</text>\n";
    }
    out << "</svg>\n";
}

void fraction_svg(std::ostream& out, const std::vector<FractionRow>& rows, std::size_t index) {
    double lw = 120;
    for (const auto& r : rows) lw = std::max(lw, text_width(r.label) + 16);
    const double pw = 420, rh = 24, top = 8;
    const double height = top + rh * static_cast<double>(rows.size()) + 34;
    const double width = lw + pw + 190;
    auto xpos = [&](double f) { return lw + pw * std::clamp(f, 0.0, 1.0); };
    out << "<svg class=\"fractions\" id=\"fractions-" << index + 1 << "\" role=\"img\" width=\""
        << num(width, 0) << "\" height=\"" << num(height, 0) << "\" viewBox=\"0 0 " << num(width, 0) << " "
        << num(height, 0) << "\" aria-label=\"clone fractions with 95% intervals\">\n";
    const double axis_y = top + rh * static_cast<double>(rows.size()) + 4;
    for (int t = 0; t <= 4; ++t) {
        const double x = xpos(t / 4.0);
        out << "<line class=\"grid\" x1=\"" << num(x) << "\" y1=\"" << num(top) << "\" x2=\"" << num(x)
            << "\" y2=\"" << num(axis_y) << "\"/><text class=\"small\" x=\"" << num(x) << "\" y=\""
            << num(axis_y + 14) << "\" text-anchor=\"middle\">" << t * 25 << "%</text>\n";
    }
    out << "<line class=\"axis\" x1=\"" << num(lw) << "\" y1=\"" << num(axis_y) << "\" x2=\"" << num(lw + pw)
        << "\" y2=\"" << num(axis_y) << "\"/>\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const FractionRow& r = rows[i];
        const double y = top + rh * (static_cast<double>(i) + 0.5);
        const char* colour = r.tumour ? "#6a3d9a" : "#2b5d8a";
        out << "<g class=\"fraction-row\"><text x=\"" << num(lw - 8) << "\" y=\"" << num(y + 4)
            << "\" text-anchor=\"end\">" << esc(r.label) << "</text>";
        std::string right;
        const CloneStatus status = r.clone ? r.clone->status : CloneStatus::kDetected;
        if (status == CloneStatus::kNotCovered || status == CloneStatus::kNotAssessed) {
            out << "<circle cx=\"" << num(xpos(0)) << "\" cy=\"" << num(y)
                << "\" r=\"4\" fill=\"#fff\" stroke=\"#b0b6bf\" stroke-dasharray=\"2,2\"/>";
            right = status == CloneStatus::kNotCovered ? "not covered" : "not assessed";
        } else if (!r.detected) {
            if (!std::isnan(r.lod)) {
                const double x = xpos(r.lod);
                out << "<path d=\"M" << num(x) << "," << num(y - 6) << " L" << num(x - 7) << "," << num(y)
                    << " L" << num(x) << "," << num(y + 6) << " Z\" fill=\"none\" stroke=\"#5b6473\"/>";
                right = "not detected (LoD " + pct(r.lod) + ")";
            } else {
                out << "<circle cx=\"" << num(xpos(0)) << "\" cy=\"" << num(y)
                    << "\" r=\"4\" fill=\"#fff\" stroke=\"#5b6473\"/>";
                right = "not detected";
            }
        } else if (std::isnan(r.value)) {
            right = r.clone && !std::isnan(r.clone->vaf) ? "VAF " + pct(r.clone->vaf) + ", fraction NA"
                                                         : "fraction unknown";
        } else {
            if (r.ci.known()) {
                const double x1 = xpos(r.ci.low), x2 = xpos(r.ci.high);
                out << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x2) << "\" y2=\""
                    << num(y) << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/><line x1=\"" << num(x1)
                    << "\" y1=\"" << num(y - 5) << "\" x2=\"" << num(x1) << "\" y2=\"" << num(y + 5)
                    << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/><line x1=\"" << num(x2)
                    << "\" y1=\"" << num(y - 5) << "\" x2=\"" << num(x2) << "\" y2=\"" << num(y + 5)
                    << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/>";
            }
            out << "<circle cx=\"" << num(xpos(r.value)) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\""
                << colour << "\"/>";
            right = pct_ci(r.value, r.ci);
            if (r.clone && r.clone->has_flag(kFlagVafAbovePrimary))
                right += " capped; ratio " + num(r.clone->fraction_uncapped, 2) +
                         (r.clone->ratio_ci.known() ? " (" + num(r.clone->ratio_ci.low, 2) + "-" +
                                                          num(r.clone->ratio_ci.high, 2) + ")"
                                                    : "") +
                         ": VAF above the primary's";
        }
        out << "<text class=\"small\" x=\"" << num(lw + pw + 12) << "\" y=\"" << num(y + 4) << "\">" << right
            << "</text></g>\n";
    }
    out << "</svg>\n<p class=\"muted\">Clone fraction = clone VAF / truncal VAF (capped at 100%), with "
           "95% "
           "intervals (Wilson + MOVER-R); the truncal reference is 100% by definition.</p>\n";
}

void regimen_svg(std::ostream& out,
                 const ReportSample& s,
                 std::size_t index,
                 const std::vector<std::size_t>& rows,
                 int part) {
    double lw = 160;
    for (const auto& r : s.regimens)
        if (r.regimen)
            lw = std::max(
                lw, text_width("#" + std::to_string(r.rank) + " " + r.regimen->drugs_label() + " +") + 16);
    const double bw = 360, rh = 24, top = 6;
    const double height = top + rh * static_cast<double>(rows.size()) + 8;
    const double width = lw + bw + 330;
    out << "<svg class=\"regimens\" id=\"regimens-" << index + 1
        << (part ? "-" + std::to_string(part + 1) : "") << "\" role=\"img\" width=\"" << num(width, 0)
        << "\" height=\"" << num(height, 0) << "\" viewBox=\"0 0 " << num(width, 0) << " " << num(height, 0)
        << "\" aria-label=\"resistant burden covered by each regimen\">\n";
    for (std::size_t row = 0; row < rows.size(); ++row) {
        const RegimenCoverage& r = s.regimens[rows[row]];
        const double y = top + rh * static_cast<double>(row);
        out << "<g class=\"regimen-row\" data-regimen=\"" << esc(r.regimen->id) << "\"><title>"
            << esc(r.regimen->name + ": " + r.regimen->drugs_label() + "\ncovered " + pct(r.covered_burden) +
                   ", partial " + pct(r.partial_burden) + ", unknown " + pct(r.unknown_burden) +
                   ", resistant " + pct(r.resistant_burden) + "\nweakest covering evidence: " +
                   to_string(r.grade) + "; clinical-evidence burden " + pct(r.covered_burden_clinical) +
                   (r.prior == PriorStatus::kNone ? "" : "\nprior: " + to_string(r.prior)) +
                   (r.regimen->notes.empty() ? "" : "\n" + r.regimen->notes))
            << "</title><text x=\"" << num(lw - 8) << "\" y=\"" << num(y + 16) << "\" text-anchor=\"end\">#"
            << r.rank << " " << esc(r.regimen->drugs_label())
            << (r.regimen->hypothetical ? " \xE2\x80\xA0" : "")
            << (r.prior == PriorStatus::kAllFailed ? " (failed)" : "") << "</text>";
        const double parts[] = {r.covered_burden, r.partial_burden, r.unknown_burden, r.resistant_burden};
        const char* fills[] = {"#1a9850", "#f4a300", "#b0b0b0", "#d73027"};
        if (std::isnan(r.covered_burden)) {
            out << "<rect x=\"" << num(lw) << "\" y=\"" << num(y + 4) << "\" width=\"" << num(bw)
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
                out << "<rect x=\"" << num(x) << "\" y=\"" << num(y + 4) << "\" width=\"" << num(w)
                    << "\" height=\"" << num(rh - 8) << "\" fill=\"" << fills[k] << "\"/>";
                x += w;
            }
        }
        const std::string escaping = r.clone_list(s.clones, {CoverageStatus::kEscapingResistant});
        const std::string unknown = r.clone_list(s.clones, {CoverageStatus::kEscapingUnknown});
        std::string right = std::isnan(r.covered_burden) ? "" : pct(r.covered_burden) + " covered";
        if (r.burden_basis == "primary" && !right.empty()) right += " (primary clone: no secondary detected)";
        right += (right.empty() ? "" : "; ") + std::string("grade ") + to_string(r.grade);
        if (r.n_low_confidence) right += "; low-confidence*";
        if (r.n_conflicting) right += "; disputed\xE2\x80\xA1";
        if (!r.standard.empty()) right += "; standard: " + standard_label(r);
        if (!escaping.empty()) right += (right.empty() ? "" : "; ") + std::string("escaping: ") + escaping;
        if (!unknown.empty()) right += (right.empty() ? "" : "; ") + std::string("unknown: ") + unknown;
        out << "<text class=\"small\" x=\"" << num(lw + bw + 10) << "\" y=\"" << num(y + 16) << "\">"
            << esc(right) << "</text></g>\n";
    }
    out << "</svg>\n";
}

void exposure_figure(std::ostream& out, const PkModel& pk, const ReportModel::RegimenExposure& e) {
    if (!e.regimen || e.curves.empty()) return;
    std::size_t n = 0;
    double ymax = pk.threshold * 1.2;
    for (const auto& c : e.curves) {
        n = std::max(n, c.exposure.size());
        for (double v : c.exposure) ymax = std::max(ymax, v);
    }
    if (n < 2) return;
    const double w = 700, h = 220, left = 50, right = 120, top = 12, bottom = 34;
    const double pw = w - left - right, ph = h - top - bottom;
    const double hours = e.step_hours * static_cast<double>(n - 1);
    auto xpos = [&](double t) { return left + pw * t / hours; };
    auto ypos = [&](double v) { return top + ph * (1.0 - std::min(v, ymax) / ymax); };
    out << "<figure><figcaption>" << esc(e.regimen->name) << " <span class=\"muted\">("
        << esc(e.regimen->drugs_label()) << ")</span></figcaption>\n<svg class=\"exposure\" role=\"img\" "
        << "data-regimen=\"" << esc(e.regimen->id) << "\" width=\"" << num(w, 0) << "\" height=\""
        << num(h, 0) << "\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0)
        << "\" aria-label=\"relative drug exposure over time\">\n";
    out << "<line class=\"axis\" x1=\"" << num(left) << "\" y1=\"" << num(top + ph) << "\" x2=\""
        << num(left + pw) << "\" y2=\"" << num(top + ph) << "\"/>";
    out << "<line x1=\"" << num(left) << "\" y1=\"" << num(ypos(pk.threshold)) << "\" x2=\"" << num(left + pw)
        << "\" y2=\"" << num(ypos(pk.threshold))
        << "\" stroke=\"#5b6473\" stroke-dasharray=\"4 3\"/><text class=\"small\" x=\"" << num(left + pw + 6)
        << "\" y=\"" << num(ypos(pk.threshold) + 3) << "\">threshold " << num(pk.threshold, 2) << "</text>\n";
    for (double v : {0.0, 1.0})
        if (v <= ymax)
            out << "<text class=\"small\" x=\"" << num(left - 6) << "\" y=\"" << num(ypos(v) + 3)
                << "\" text-anchor=\"end\">" << num(v, 0) << "</text>";
    const double day_step = hours > 24 * 60 ? 28 : 1;
    for (double d = 0; d * 24 <= hours + 1e-9; d += day_step)
        out << "<text class=\"small\" x=\"" << num(xpos(d * 24)) << "\" y=\"" << num(top + ph + 14)
            << "\" text-anchor=\"middle\">" << num(d, 0) << "</text>";
    out << "<text class=\"small\" x=\"" << num(left + pw / 2) << "\" y=\"" << num(h - 4)
        << "\" text-anchor=\"middle\">day</text>\n";
    for (std::size_t c = 0; c < e.curves.size(); ++c) {
        std::string pts;
        const auto& v = e.curves[c].exposure;
        const std::size_t stride = std::max<std::size_t>(1, v.size() / 700);
        for (std::size_t i = 0; i < v.size(); i += stride)
            pts += num(xpos(e.step_hours * static_cast<double>(i))) + "," + num(ypos(v[i])) + " ";
        out << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << series_colour(c) << "\" points=\""
            << pts << "\"/><text class=\"small\" x=\"" << num(left + pw + 6) << "\" y=\""
            << num(top + 12 + 14 * static_cast<double>(c)) << "\" style=\"fill:" << series_colour(c) << "\">"
            << esc(e.curves[c].drug) << "</text>\n";
    }
    out << "</svg></figure>\n";
    if (!e.regimen->schedule_note.empty())
        out << "<p class=\"muted\">" << esc(e.regimen->schedule_note) << "</p>\n";
}

// Log-scale line chart of each population of one projection.
void projection_figure(std::ostream& out, const Projection& p) {
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
    out << "<figure><figcaption>" << esc(p.regimen ? p.regimen->drugs_label() : std::string("regimen"))
        << "</figcaption>\n<svg class=\"projection\" role=\"img\" width=\"" << num(w, 0) << "\" height=\""
        << num(h, 0) << "\" viewBox=\"0 0 " << num(w, 0) << " " << num(h, 0) << "\" aria-label=\""
        << esc(p.label) << "\">\n";
    for (int e = static_cast<int>(ymin); e <= static_cast<int>(ymax); ++e) {
        const double y = ypos(std::pow(10.0, e));
        out << "<line class=\"grid\" x1=\"" << num(left) << "\" y1=\"" << num(y) << "\" x2=\""
            << num(left + pw) << "\" y2=\"" << num(y) << "\"/><text class=\"small\" x=\"" << num(left - 4)
            << "\" y=\"" << num(y + 3) << "\" text-anchor=\"end\">"
            << (e >= 0 ? num(std::pow(10.0, e), 0) : num(std::pow(10.0, e), -e)) << "&#215;</text>\n";
    }
    out << "<line class=\"axis\" x1=\"" << num(left) << "\" y1=\"" << num(top + ph) << "\" x2=\""
        << num(left + pw) << "\" y2=\"" << num(top + ph) << "\"/><text class=\"small\" x=\""
        << num(left + pw / 2) << "\" y=\"" << num(h - 4) << "\" text-anchor=\"middle\">weeks</text>\n";
    for (int wk : {0, n_weeks / 2, n_weeks})
        out << "<text class=\"small\" x=\"" << num(xpos(wk)) << "\" y=\"" << num(top + ph + 12)
            << "\" text-anchor=\"middle\">" << wk << "</text>\n";
    {
        std::string pts;
        for (const auto& wk : p.weeks) pts += num(xpos(wk.week)) + "," + num(ypos(wk.total)) + " ";
        out << "<polyline fill=\"none\" stroke=\"#5b6473\" stroke-dasharray=\"4 3\" stroke-width=\"1.5\" "
               "points=\""
            << pts << "\"><title>total tumour burden</title></polyline>\n";
    }
    for (std::size_t k = 0; k < p.populations.size(); ++k) {
        std::string pts;
        for (const auto& wk : p.weeks)
            if (k < wk.size.size()) pts += num(xpos(wk.week)) + "," + num(ypos(wk.size[k])) + " ";
        out << "<polyline fill=\"none\" stroke=\"" << series_colour(k) << "\" stroke-width=\"2\" points=\""
            << pts << "\"><title>" << esc(p.populations[k]) << "</title></polyline>\n";
    }
    out << "</svg>\n<p class=\"small muted\">" << esc(p.label) << "</p></figure>\n";
}

void trajectory_figure(std::ostream& out, const PatientTrajectories& patient) {
    const std::vector<const CloneTrajectory*>& ts = patient.clones;
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
    out << "<figure><figcaption>Patient " << esc(patient.patient)
        << "</figcaption>\n<svg class=\"trajectory\" id=\"trajectory-" << patient.number
        << "\" role=\"img\" width=\"" << num(w, 0) << "\" height=\"" << num(h, 0) << "\" viewBox=\"0 0 "
        << num(w, 0) << " " << num(h, 0) << "\" aria-label=\"clone VAF over time\">\n";
    for (double v = 0.0; v <= ymax * (1 + 1e-9); v += step) {
        const double y = ypos(v);
        out << "<line class=\"grid\" x1=\"" << num(left) << "\" y1=\"" << num(y) << "\" x2=\""
            << num(left + pw) << "\" y2=\"" << num(y) << "\"/><text class=\"small\" x=\"" << num(left - 6)
            << "\" y=\"" << num(y + 3) << "\" text-anchor=\"end\">" << pct(v) << "</text>\n";
    }
    for (std::size_t k = 0; k < nt; ++k)
        out << "<text class=\"small\" x=\"" << num(xpos(k)) << "\" y=\"" << num(top + ph + 16)
            << "\" text-anchor=\"middle\">" << esc(axis[k].timepoint) << "</text>\n";
    out << "<line class=\"axis\" x1=\"" << num(left) << "\" y1=\"" << num(top + ph) << "\" x2=\""
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
        out << "<g class=\"series\" data-clone=\"" << esc(t.clone) << "\"><polyline fill=\"none\" stroke=\""
            << colour << "\" stroke-width=\"2\" points=\"" << pts << "\"/>";
        for (std::size_t k = 0; k < t.points.size() && k < nt; ++k) {
            const TrajectoryPoint& p = t.points[k];
            const bool det = p.status == CloneStatus::kDetected && !std::isnan(p.vaf);
            const double x = xpos(k), y = ypos(det ? p.vaf : 0.0);
            if (det && p.vaf_ci.known())
                out << "<line x1=\"" << num(x) << "\" y1=\"" << num(ypos(p.vaf_ci.low)) << "\" x2=\""
                    << num(x) << "\" y2=\"" << num(ypos(p.vaf_ci.high)) << "\" stroke=\"" << colour
                    << "\" stroke-opacity=\"0.6\"/>";
            out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"4\" fill=\""
                << (det ? colour : "#fff") << "\" stroke=\"" << colour << "\"><title>"
                << esc(t.variants + " at " + p.timepoint + ": ")
                << (det ? pct_ci(p.vaf, p.vaf_ci) : std::string(p.assessed ? "not detected" : "not assessed"))
                << "</title></circle>";
        }
        const double ly = top + 14.0 * static_cast<double>(i) + 6;
        out << "<rect x=\"" << num(left + pw + 14) << "\" y=\"" << num(ly - 8)
            << "\" width=\"12\" height=\"3\" fill=\"" << colour << "\"/><text class=\"small\" x=\""
            << num(left + pw + 32) << "\" y=\"" << num(ly - 3) << "\">"
            << esc(t.variants.empty() ? t.clone : t.variants) << " &#8212; " << esc(to_string(t.latest))
            << "</text></g>\n";
    }
    out << "</svg></figure>\n";
}

}  // namespace kitrx::report_html
