// SPDX-License-Identifier: MIT
// validation.html: the self-contained page (the look of report.html) a lab keeps as the record
// of a validation run: verdict, detection, LoD, bias and replicate figures, every call.
// Every user-controlled string goes through html_escape(), as on the report page.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "kitrx/common/html.hpp"
#include "kitrx/report/tables.hpp"
#include "kitrx/validation/validation.hpp"
#include "kitrx/version.hpp"
#include "validation/output_format.hpp"

namespace kitrx {

using namespace validation_detail;

namespace {

std::string esc(const std::string& s) {
    return html_escape(s);
}

std::string sens_cell(const Proportion& p) {
    if (p.n == 0) return "<td class=\"num muted\">&#8211;</td>";
    return "<td class=\"num\">" + percent(p.value) + " <span class=\"muted\">(" + percent(p.low) + "&#8211;" +
           percent(p.high) + ")</span></td>";
}

// Log-scale axis helpers for the SVG figures.
struct LogAxis {
    double lo, hi;  // log10 bounds
    double px0, px1;
    [[nodiscard]] double map(double v) const { return px0 + (std::log10(v) - lo) / (hi - lo) * (px1 - px0); }
};

LogAxis log_axis(const std::vector<double>& values, double px0, double px1) {
    double lo = 0, hi = -10;
    bool any = false;
    for (double v : values)
        if (v > 0 && std::isfinite(v)) {
            const double l = std::log10(v);
            if (!any) lo = hi = l, any = true;
            lo = std::min(lo, l);
            hi = std::max(hi, l);
        }
    if (!any) return {-4, 0, px0, px1};
    lo = std::floor(lo);
    hi = std::ceil(hi);
    if (hi <= lo) hi = lo + 1;
    return {lo, hi, px0, px1};
}

std::string tick_label(int exponent) {
    const double v = std::pow(10.0, exponent) * 100.0;
    char buf[32];
    std::snprintf(buf, sizeof buf, v >= 1 ? "%.0f%%" : "%.2g%%", v);
    return buf;
}

void svg_log_ticks(std::ostream& out, const LogAxis& ax, bool horizontal, double a0, double a1) {
    for (int e = static_cast<int>(ax.lo); e <= static_cast<int>(ax.hi); ++e) {
        const double p = ax.map(std::pow(10.0, e));
        if (horizontal) {
            out << "<line class=\"grid\" x1=\"" << num(p) << "\" x2=\"" << num(p) << "\" y1=\"" << num(a0)
                << "\" y2=\"" << num(a1) << "\"/><text class=\"small\" x=\"" << num(p) << "\" y=\""
                << num(a1 + 14) << "\" text-anchor=\"middle\">" << tick_label(e) << "</text>\n";
        } else {
            out << "<line class=\"grid\" y1=\"" << num(p) << "\" y2=\"" << num(p) << "\" x1=\"" << num(a0)
                << "\" x2=\"" << num(a1) << "\"/><text class=\"small\" x=\"" << num(a0 - 4) << "\" y=\""
                << num(p + 4) << "\" text-anchor=\"end\">" << tick_label(e) << "</text>\n";
        }
    }
}

// Observed vs expected VAF (log-log) with the identity line.
void bias_figure(std::ostream& out, const ValidationResult& r) {
    std::vector<double> xs, ys;
    for (const auto& c : r.calls)
        if (c.detected() && c.expected_vaf > 0 && c.observed_vaf > 0) {
            xs.push_back(c.expected_vaf);
            ys.push_back(c.observed_vaf);
        }
    if (xs.empty()) return;
    std::vector<double> both = xs;
    both.insert(both.end(), ys.begin(), ys.end());
    const double w = 420, h = 320, left = 60, right = w - 16, top = 12, bottom = h - 40;
    LogAxis ax = log_axis(both, left, right), ay = log_axis(both, bottom, top);
    out << "<figure><figcaption>Observed vs expected allele fraction (true positives, log scales; line = "
           "identity)"
           "</figcaption>\n<svg width=\""
        << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << ' ' << h
        << "\" role=\"img\" aria-label=\"observed versus expected VAF\">\n";
    svg_log_ticks(out, ax, true, top, bottom);
    svg_log_ticks(out, ay, false, left, right);
    out << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << bottom << "\" x2=\"" << right << "\" y2=\""
        << bottom << "\"/><line class=\"axis\" x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left
        << "\" y2=\"" << bottom << "\"/>\n";
    const double d0 = std::pow(10.0, ax.lo), d1 = std::pow(10.0, ax.hi);
    out << "<line x1=\"" << num(ax.map(d0)) << "\" y1=\"" << num(ay.map(d0)) << "\" x2=\"" << num(ax.map(d1))
        << "\" y2=\"" << num(ay.map(d1)) << "\" stroke=\"#8a93a2\" stroke-dasharray=\"4 3\"/>\n";
    for (std::size_t i = 0; i < xs.size(); ++i)
        out << "<circle cx=\"" << num(ax.map(xs[i])) << "\" cy=\"" << num(ay.map(ys[i]))
            << "\" r=\"3\" fill=\"#2c7fb8\" fill-opacity=\"0.6\"/>\n";
    out << "<text x=\"" << num((left + right) / 2) << "\" y=\"" << num(h - 6)
        << "\" text-anchor=\"middle\">expected VAF</text><text transform=\"translate(14,"
        << num((top + bottom) / 2)
        << ") rotate(-90)\" text-anchor=\"middle\">observed VAF</text>\n</svg></figure>\n";
}

// Detection rate per (variant, level) against expected VAF, with the pooled probit curve.
void detection_figure(std::ostream& out, const ValidationResult& r) {
    std::vector<double> xs;
    std::vector<double> rates;
    for (const auto& lod : r.lod_per_variant)
        for (const auto& l : lod.levels) {
            xs.push_back(l.mean_expected_vaf);
            rates.push_back(l.rate);
        }
    if (xs.empty()) return;
    std::vector<double> range = xs;
    if (r.lod.probit.estimable) range.push_back(r.lod.vaf_probit);
    const double w = 420, h = 280, left = 50, right = w - 16, top = 12, bottom = h - 40;
    LogAxis ax = log_axis(range, left, right);
    auto y_of = [&](double rate) { return bottom - rate * (bottom - top); };
    out << "<figure><figcaption>Detection rate per variant and level vs expected VAF"
        << (r.lod.probit.estimable ? " (curve: pooled probit fit)" : "") << "</figcaption>\n<svg width=\""
        << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << ' ' << h
        << "\" role=\"img\" aria-label=\"detection rate versus expected VAF\">\n";
    svg_log_ticks(out, ax, true, top, bottom);
    for (double t : {0.0, 0.5, 0.95, 1.0})
        out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << num(y_of(t))
            << "\" y2=\"" << num(y_of(t)) << "\"/><text class=\"small\" x=\"" << num(left - 4) << "\" y=\""
            << num(y_of(t) + 4) << "\" text-anchor=\"end\">" << percent(t, 0) << "</text>\n";
    out << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << bottom << "\" x2=\"" << right << "\" y2=\""
        << bottom << "\"/>\n";
    if (r.lod.probit.estimable) {
        std::ostringstream path;
        for (int i = 0; i <= 80; ++i) {
            const double lx = ax.lo + (ax.hi - ax.lo) * i / 80.0;
            const double p = normal_cdf(r.lod.probit.intercept + r.lod.probit.slope * lx);
            path << (i ? " L" : "M") << num(ax.map(std::pow(10.0, lx))) << ' ' << num(y_of(p));
        }
        out << "<path d=\"" << path.str() << "\" fill=\"none\" stroke=\"#d73027\" stroke-width=\"1.5\"/>\n";
    }
    for (std::size_t i = 0; i < xs.size(); ++i)
        out << "<circle cx=\"" << num(ax.map(xs[i])) << "\" cy=\"" << num(y_of(rates[i]))
            << "\" r=\"3\" fill=\"#2c7fb8\" fill-opacity=\"0.6\"/>\n";
    out << "<text x=\"" << num((left + right) / 2) << "\" y=\"" << num(h - 6)
        << "\" text-anchor=\"middle\">expected VAF</text>\n</svg></figure>\n";
}

}  // namespace

void write_validation_html(std::ostream& out,
                           const ValidationResult& r,
                           const AcceptanceCriteria& criteria,
                           const AcceptanceVerdict& verdict,
                           const ValidationRunInfo& info) {
    // The shared frame (common/html.hpp) with this page's own rules between its parts.
    write_page_head(
        out, info.title,
        {page_css::kFrame, page_css::kMeta, page_css::kTables,
         "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
         ".badge{display:inline-block;min-width:18px;text-align:center;border-radius:3px;font-weight:700;"
         "padding:0 5px;color:#fff}\n"
         ".pass{background:var(--s)}.fail{background:var(--r)}\n"
         ".verdict{font-size:20px;font-weight:700;margin:14px 0 6px}\n"
         "figure{margin:8px 0 14px}figcaption{font-weight:600;margin-bottom:4px}\n",
         page_css::kSvg, page_css::kMuted, ".figures{display:flex;flex-wrap:wrap;gap:24px}\n", page_css::kNav,
         page_css::kProvenance, "@media print{body{max-width:none}}\n"});
    out << "<body>\n";
    out << "<div class=\"notice\" id=\"research-use\" role=\"note\">" << esc(kResearchUseNotice)
        << "</div>\n";
    out << "<header>\n<h1>" << esc(info.title) << "</h1>\n<p class=\"meta\">kitrx " << KITRX_VERSION
        << " &#183; truth <strong>" << esc(info.truth_path) << "</strong> &#183; " << r.samples.size()
        << (r.samples.size() == 1 ? " run" : " runs") << " &#183; acceptance <strong>" << esc(criteria.name)
        << (criteria.version.empty() ? "" : " " + esc(criteria.version)) << "</strong></p>\n";
    out << "<nav><ul><li><a href=\"#acceptance\">Acceptance</a></li><li><a "
           "href=\"#detection\">Detection</a></li>"
           "<li><a href=\"#lod\">Limit of detection</a></li><li><a href=\"#bias\">Fraction bias</a></li>"
           "<li><a href=\"#precision\">Replicates</a></li><li><a href=\"#runs\">Runs</a></li>"
           "<li><a href=\"#calls\">Calls</a></li><li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n"
           "</header>\n";

    // Acceptance.
    out << "<section id=\"acceptance\">\n<h2>Acceptance</h2>\n<p class=\"verdict\">Verdict: <span "
           "class=\"badge "
        << (verdict.pass ? "pass\">PASS" : "fail\">FAIL") << "</span></p>\n";
    out << "<table>\n<thead><tr><th>Criterion</th><th>Description</th><th>Metric</th><th>Subset</"
           "th><th>Value</th>"
           "<th>Required</th><th>Result</th></tr></thead>\n<tbody>\n";
    for (const auto& c : verdict.results) {
        std::string required;
        if (c.criterion.min) required += "&#8805; " + num(*c.criterion.min) + " ";
        if (c.criterion.max) required += "&#8804; " + num(*c.criterion.max) + " ";
        if (c.criterion.max_abs) required += "|x| &#8804; " + num(*c.criterion.max_abs);
        out << "<tr><td>" << esc(c.criterion.id) << "</td><td>" << esc(c.criterion.description) << "</td><td>"
            << esc(c.criterion.metric) << "</td><td>" << esc(c.criterion.where.describe())
            << "</td><td class=\"num\">" << num(c.value) << "</td><td>" << required
            << "</td><td><span class=\"badge " << (c.pass ? "pass\">PASS" : "fail\">FAIL")
            << "</span></td></tr>\n";
    }
    out << "</tbody></table>\n</section>\n";

    // Detection.
    const auto& o = r.overall.counts;
    out << "<section id=\"detection\">\n<h2>Detection</h2>\n<table>\n<thead><tr><th>Group</th><th>Truth "
           "variants</th>"
           "<th>TP</th><th>FN</th><th>FP</th><th>Sensitivity (95% CI)</th><th>Precision (95% "
           "CI)</th></tr></thead>\n"
           "<tbody>\n";
    auto detection_row = [&](const std::string& label, const DetectionCounts& c) {
        out << "<tr><td>" << label << "</td><td class=\"num\">" << (c.tp + c.fn) << "</td><td class=\"num\">"
            << c.tp << "</td><td class=\"num\">" << c.fn << "</td><td class=\"num\">" << c.fp << "</td>"
            << sens_cell(c.sensitivity) << sens_cell(c.precision) << "</tr>\n";
    };
    detection_row("<strong>all runs</strong>", o);
    for (const auto& g : r.per_level) detection_row("level " + vaf_percent(g.level), g.counts);
    out << "</tbody></table>\n<h3>Sensitivity by expected VAF</h3>\n<table>\n<thead><tr><th>Expected VAF</th>"
           "<th>Truth variants</th><th>TP</th><th>FN</th><th>Sensitivity (95% CI)</th></tr></thead>\n"
           "<tbody>\n";
    for (const auto& g : r.per_vaf_bin)
        out << "<tr><td>" << esc(g.group.substr(4)) << "</td><td class=\"num\">"
            << (g.counts.tp + g.counts.fn) << "</td><td class=\"num\">" << g.counts.tp
            << "</td><td class=\"num\">" << g.counts.fn << "</td>" << sens_cell(g.counts.sensitivity)
            << "</tr>\n";
    out << "</tbody></table>\n<p class=\"muted\">False positives have no expected VAF and are counted in the "
           "level "
           "rows only.</p>\n</section>\n";

    // LoD.
    out << "<section id=\"lod\">\n<h2>Limit of detection</h2>\n<p>Required detection rate per level: "
        << percent(r.detection_rate, 0) << ". Empirical LoD (all variants pooled): <strong>"
        << (std::isnan(r.lod.lod_level) ? "not reached"
                                        : "level " + vaf_percent(r.lod.lod_level) + " (mean expected VAF " +
                                              vaf_percent(r.lod.lod_vaf) + ")")
        << "</strong>. Probit LoD (VAF detected with " << percent(r.detection_rate, 0)
        << " probability): <strong>";
    if (r.lod.probit.estimable)
        out << vaf_percent(r.lod.vaf_probit) << "</strong> (95% CI " << vaf_percent(r.lod.vaf_probit_low)
            << "&#8211;" << vaf_percent(r.lod.vaf_probit_high) << ")";
    else
        out << "not estimable</strong> (" << esc(r.lod.probit.note) << ")";
    out << ".</p>\n<div class=\"figures\">\n";
    detection_figure(out, r);
    out << "</div>\n";
    if (!r.lod_per_variant.empty()) {
        std::vector<double> levels;
        for (const auto& l : r.lod.levels) levels.push_back(l.level);
        out << "<table>\n<thead><tr><th>Variant</th>";
        for (double l : levels) out << "<th>level " << vaf_percent(l) << "</th>";
        out << "<th>LoD level</th><th>LoD VAF</th><th>Probit LoD VAF (95% CI)</th></tr></thead>\n<tbody>\n";
        for (const auto& lod : r.lod_per_variant) {
            out << "<tr><td>" << esc(lod.variant) << "</td>";
            for (double l : levels) {
                auto it = std::find_if(lod.levels.begin(), lod.levels.end(),
                                       [&](const LevelDetection& d) { return d.level == l; });
                if (it == lod.levels.end())
                    out << "<td class=\"num muted\">&#8211;</td>";
                else
                    out << "<td class=\"num\">" << it->detected << "/" << it->total << "</td>";
            }
            out << "<td class=\"num\">" << vaf_percent(lod.lod_level) << "</td><td class=\"num\">"
                << vaf_percent(lod.lod_vaf) << "</td><td class=\"num\">";
            if (lod.probit.estimable)
                out << vaf_percent(lod.vaf_probit) << " (" << vaf_percent(lod.vaf_probit_low) << "&#8211;"
                    << vaf_percent(lod.vaf_probit_high) << ")";
            else
                out << "<span class=\"muted\">" << esc(lod.probit.note) << "</span>";
            out << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
    }
    out << "</section>\n";

    // Bias.
    const auto& b = r.overall.bias;
    out << "<section id=\"bias\">\n<h2>Fraction bias</h2>\n<table>\n<tbody>\n<tr><th>True positives with "
           "both fractions"
           "</th><td class=\"num\">"
        << b.n << "</td></tr>\n<tr><th>Slope (OLS, observed ~ expected)</th><td class=\"num\">"
        << num(b.slope) << "</td></tr>\n<tr><th>Intercept</th><td class=\"num\">" << num(b.intercept)
        << "</td></tr>\n<tr><th>Pearson r</th><td class=\"num\">" << num(b.pearson_r)
        << "</td></tr>\n<tr><th>Lin's concordance correlation</th><td class=\"num\">" << num(b.ccc)
        << "</td></tr>\n<tr><th>Mean relative bias</th><td class=\"num\">" << percent(b.mean_relative_bias)
        << "</td></tr>\n<tr><th>Median relative bias</th><td class=\"num\">"
        << percent(b.median_relative_bias) << "</td></tr>\n</tbody></table>\n<div class=\"figures\">\n";
    bias_figure(out, r);
    out << "</div>\n</section>\n";

    // Replicates.
    out << "<section id=\"precision\">\n<h2>Replicate agreement</h2>\n";
    if (r.replicate_cv.empty()) {
        out << "<p class=\"muted\">No variant with two or more replicates at one level.</p>\n";
    } else {
        out << "<table>\n<thead><tr><th>Level</th><th>Variant</th><th>Expected VAF</th><th>Detected</th>"
               "<th>Mean VAF</th><th>SD</th><th>CV</th></tr></thead>\n<tbody>\n";
        for (const auto& cv : r.replicate_cv)
            out << "<tr><td class=\"num\">" << vaf_percent(cv.level) << "</td><td>" << esc(cv.variant)
                << "</td><td class=\"num\">" << vaf_percent(cv.expected_vaf) << "</td><td class=\"num\">"
                << cv.detected << "/" << cv.replicates << "</td><td class=\"num\">"
                << vaf_percent(cv.mean_vaf) << "</td><td class=\"num\">" << vaf_percent(cv.sd_vaf)
                << "</td><td class=\"num\">" << percent(cv.cv) << "</td></tr>\n";
        out << "</tbody></table>\n";
    }
    out << "</section>\n";

    // Runs.
    out << "<section "
           "id=\"runs\">\n<h2>Runs</h2>\n<table>\n<thead><tr><th>Run</th><th>Level</th><th>Replicate</th>"
           "<th>TP</th><th>FN</th><th>FP</th><th>Sensitivity</th><th>Mean relative "
           "bias</th></tr></thead>\n<tbody>\n";
    for (const auto& g : r.per_sample)
        out << "<tr><td>" << esc(g.group) << "</td><td class=\"num\">" << vaf_percent(g.level) << "</td><td>"
            << esc(g.replicate) << "</td><td class=\"num\">" << g.counts.tp << "</td><td class=\"num\">"
            << g.counts.fn << "</td><td class=\"num\">" << g.counts.fp << "</td><td class=\"num\">"
            << percent(g.counts.sensitivity.value) << "</td><td class=\"num\">"
            << percent(g.bias.mean_relative_bias) << "</td></tr>\n";
    out << "</tbody></table>\n</section>\n";

    // Calls: misses and unexpected calls in full, true positives folded.
    out << "<section id=\"calls\">\n<h2>Calls</h2>\n";
    auto calls_table = [&](CallStatus status) {
        out << "<table>\n<thead><tr><th>Run</th><th>Gene</th><th>Variant</th><th>Expected "
               "VAF</th><th>Observed VAF</th>"
               "<th>Alt reads / depth</th><th>Filter</th><th>Note</th></tr></thead>\n<tbody>\n";
        for (const auto& c : r.calls) {
            if (c.status != status) continue;
            out << "<tr><td>" << esc(c.sample) << "</td><td>" << esc(c.gene) << "</td><td>" << esc(c.variant)
                << "</td><td class=\"num\">" << vaf_percent(c.expected_vaf) << "</td><td class=\"num\">"
                << vaf_percent(c.observed_vaf) << "</td><td class=\"num\">" << count(c.alt_reads) << " / "
                << count(c.depth) << "</td><td>" << esc(c.filter) << "</td><td>" << esc(c.note)
                << "</td></tr>\n";
        }
        out << "</tbody></table>\n";
    };
    out << "<h3>False positives (" << o.fp << ")</h3>\n";
    calls_table(CallStatus::kFalsePositive);
    out << "<h3>False negatives (" << o.fn << ")</h3>\n";
    calls_table(CallStatus::kFalseNegative);
    out << "<details><summary>True positives (" << o.tp << ")</summary>\n";
    calls_table(CallStatus::kTruePositive);
    out << "</details>\n</section>\n";

    out << "<section id=\"provenance\">\n<h2>Provenance</h2>\n<dl class=\"prov\">\n<dt>kitrx</dt><dd>"
        << KITRX_VERSION << "</dd>\n<dt>command</dt><dd>" << esc(info.command_line)
        << "</dd>\n<dt>truth</dt><dd>" << esc(info.truth_path) << "</dd>\n<dt>observed</dt><dd>";
    for (std::size_t i = 0; i < info.observed_paths.size(); ++i)
        out << (i ? "<br>" : "") << esc(info.observed_paths[i]);
    out << "</dd>\n<dt>acceptance</dt><dd>" << esc(criteria.source) << "</dd>\n<dt>ignored records</dt><dd>"
        << r.ignored_calls << "</dd>\n</dl>\n</section>\n</body>\n</html>\n";
}

}  // namespace kitrx
