// SPDX-License-Identifier: MIT
// Shared helpers of the validation files (see validation_util.hpp).
#include "validation/validation_util.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kitrx::validation_detail {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(),
                                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_bases(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return c == 'A' || c == 'C' || c == 'G' || c == 'T' || c == 'N';
    });
}

bool is_missing(std::string_view s) {
    const std::string t = trim_space(s);
    return t.empty() || t == "NA" || t == "." || t == "na" || t == "N/A";
}

std::optional<double> parse_number(std::string_view text) {
    const std::string t = trim_space(text);
    if (t.empty()) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (errno != 0 || end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<double> parse_fraction(std::string_view text) {
    std::string t = trim_space(text);
    bool percent = false;
    if (!t.empty() && t.back() == '%') {
        percent = true;
        t.pop_back();
    }
    auto v = parse_number(t);
    if (!v) return std::nullopt;
    if (percent) *v /= 100.0;
    if (*v < 0.0 || *v > 1.0) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_count(std::string_view text) {
    const std::string t = trim_space(text);
    if (!is_digits(t)) return std::nullopt;
    errno = 0;
    const long long v = std::strtoll(t.c_str(), nullptr, 10);
    if (errno != 0) return std::nullopt;
    return static_cast<std::int64_t>(v);
}

std::string join_names(const std::vector<std::string>& names, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? sep : "") + names[i];
    return out;
}

void chomp(std::string& line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
}

std::string short_number(double v) {
    if (std::isnan(v)) return "NA";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

SourceLocation at(const std::string& name, int line, int column) {
    SourceLocation loc;
    loc.file = name;
    loc.line = line;
    loc.column = column;
    return loc;
}

void check_field_count(const std::vector<std::string>& values,
                       std::size_t expected,
                       const std::string& name,
                       int line_no) {
    if (values.size() != expected)
        throw InputError(at(name, line_no, 1), "expected " + std::to_string(expected) +
                                                   " tab-separated fields, found " +
                                                   std::to_string(values.size()));
}

std::vector<const CallRow*> pointers(const std::vector<CallRow>& rows) {
    std::vector<const CallRow*> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(&r);
    return out;
}

}  // namespace kitrx::validation_detail
