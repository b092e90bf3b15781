// SPDX-License-Identifier: MIT
// report.html's formatting: how numbers, calls and tiers look on the page, in one place so that
// a percentage or a call colour reads the same in every table and chart.
#include <cctype>
#include <cmath>
#include <cstdio>

#include "report/html_parts.hpp"

namespace kitrx::report_html {

std::string sentence(const std::string& text) {
    if (!text.empty() && (text.back() == '.' || text.back() == '?' || text.back() == '!')) return text;
    return text + ".";
}

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

const char* series_colour(std::size_t i) {
    static const char* const kPalette[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                           "#56b4e9", "#d55e00", "#000000", "#f0e442"};
    return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

std::string num(double v, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

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

double nice_step(double raw) {
    if (!(raw > 0)) return 0.01;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * p >= raw) return m * p;
    return 10.0 * p;
}

std::string anchor(const std::string& prefix, const std::string& key) {
    std::string out = prefix;
    for (unsigned char c : key) out += std::isalnum(c) ? static_cast<char>(c) : '-';
    return out;
}

double text_width(const std::string& s, double px) {
    return static_cast<double>(s.size()) * px * 0.6;
}

std::string badge(Activity a) {
    const CallStyle st = style_of(a);
    return std::string("<span class=\"badge\" style=\"background:") + st.fill + ";color:" + st.ink + "\">" +
           st.letter + "</span> " + to_string(a);
}

std::string tier_title(RegimenTier t) {
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

std::string tier_explanation(RegimenTier t) {
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

}  // namespace kitrx::report_html
