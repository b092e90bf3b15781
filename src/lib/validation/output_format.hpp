// SPDX-License-Identifier: MIT
// Private (validation): how validation outputs spell numbers, counts and cells, shared by the
// TSV/JSON writers and the HTML page so that a value reads the same in every file.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace kitrx::validation_detail {

// Numbers: up to 6 significant digits ("0.0175", "1.25e-05"), "NA" when unknown.
inline std::string num(double v) {
    if (std::isnan(v)) return "NA";
    if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

inline std::string count(std::int64_t v) {
    return v < 0 ? "NA" : std::to_string(v);
}

inline std::string cell(const std::string& s) {
    if (s.empty()) return "NA";
    std::string out = s;
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

inline std::string percent(double v, int digits = 1) {
    if (std::isnan(v)) return "NA";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*f%%", digits, 100.0 * v);
    return buf;
}

// Percent with enough digits for small fractions (0.05% -> "0.05%", 0.0000125 -> "0.00125%").
inline std::string vaf_percent(double v) {
    if (std::isnan(v)) return "NA";
    const double p = 100.0 * v;
    char buf[40];
    if (p == 0)
        std::snprintf(buf, sizeof buf, "0%%");
    else if (p >= 1)
        std::snprintf(buf, sizeof buf, "%.3g%%", p);
    else
        std::snprintf(buf, sizeof buf, "%.2g%%", p);
    return buf;
}

}  // namespace kitrx::validation_detail
