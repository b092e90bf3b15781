// SPDX-License-Identifier: MIT
// text (common): the small string helpers every module needs, written once: case folding,
// splitting TSV lines (with the 1-based column of each field for messages), trimming, joining,
// and the "did you mean" suggestion of strict readers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kitrx {

[[nodiscard]] std::string lower(std::string_view text);
[[nodiscard]] std::string upper(std::string_view text);
// Fields between `sep` characters; an empty line gives one empty field (as cut(1) does).
[[nodiscard]] std::vector<std::string> split(std::string_view line, char sep);
[[nodiscard]] inline std::vector<std::string> split_tabs(std::string_view line) {
    return split(line, '\t');
}
// The 1-based character column where each tab-separated field of `line` starts.
[[nodiscard]] std::vector<int> tab_columns(std::string_view line);
// Without leading and trailing characters of `blanks`.
[[nodiscard]] std::string_view trim_view(std::string_view text, std::string_view blanks = " \t\r");
[[nodiscard]] inline std::string trim(std::string_view text, std::string_view blanks = " \t\r") {
    return std::string(trim_view(text, blanks));
}
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");
// Levenshtein distance, case-insensitive.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
// "did you mean 'x'?" for the closest candidate within a small edit distance, else "".
[[nodiscard]] std::string suggestion(std::string_view got, const std::vector<std::string>& candidates);

}  // namespace kitrx
