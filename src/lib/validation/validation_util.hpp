// SPDX-License-Identifier: MIT
// Private (validation): the parsing and selection helpers the validation files share, so that
// truth, observed tables and acceptance criteria read numbers and blanks by the same rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/common/text.hpp"
#include "kitrx/validation/validation.hpp"

namespace kitrx::validation_detail {

// Every blank of isspace() in the C locale: the validation readers always trimmed all of them.
inline constexpr std::string_view kSpace = " \t\n\v\f\r";
[[nodiscard]] inline std::string trim_space(std::string_view s) {
    return trim(s, kSpace);
}

[[nodiscard]] inline bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}
[[nodiscard]] bool is_digits(std::string_view s);
[[nodiscard]] bool is_bases(std::string_view s);  // A C G T N only, non-empty
// Empty, "NA", ".", "na", "N/A" (after trimming).
[[nodiscard]] bool is_missing(std::string_view s);
// Strict number: the whole (trimmed) text must be consumed; finite.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);
// "0.075", "7.5%" -> 0.075; nullopt when malformed or outside [0, 1].
[[nodiscard]] std::optional<double> parse_fraction(std::string_view text);
// Decimal digits only (after trimming).
[[nodiscard]] std::optional<std::int64_t> parse_count(std::string_view text);
// Names joined with `sep`, a separator before every item but the first even when items are
// empty (sample names can be): common join() skips separators after leading empty items.
[[nodiscard]] std::string join_names(const std::vector<std::string>& names, const std::string& sep);
// Removes trailing CR/LF.
void chomp(std::string& line);
// "%.6g", "NA" for NaN: numbers inside messages and group labels.
[[nodiscard]] std::string short_number(double v);
[[nodiscard]] SourceLocation at(const std::string& name, int line, int column = 0);
// The field-count error of the validation TSV readers ("name:line:1: expected N ... found M").
void check_field_count(const std::vector<std::string>& values,
                       std::size_t expected,
                       const std::string& name,
                       int line_no);

[[nodiscard]] std::vector<const CallRow*> pointers(const std::vector<CallRow>& rows);
template <typename Pred>
[[nodiscard]] std::vector<const CallRow*> select_rows(const std::vector<const CallRow*>& rows, Pred pred) {
    std::vector<const CallRow*> out;
    for (const CallRow* r : rows)
        if (pred(*r)) out.push_back(r);
    return out;
}

// metrics.cpp: the summaries of validate() (overall, per sample/level/VAF bin, replicate CV,
// LoD) over result.calls, which matching has filled.
void summarise_result(ValidationResult& result, const TruthSet& truth, const ValidationOptions& options);

}  // namespace kitrx::validation_detail
