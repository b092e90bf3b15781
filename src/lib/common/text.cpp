// SPDX-License-Identifier: MIT
#include "kitrx/common/text.hpp"

#include <algorithm>
#include <cctype>

namespace kitrx {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

std::vector<std::string> split(std::string_view line, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto p = line.find(sep, start);
        out.emplace_back(
            line.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

std::vector<int> tab_columns(std::string_view line) {
    std::vector<int> out;
    std::size_t start = 0;
    while (true) {
        out.push_back(static_cast<int>(start) + 1);
        const auto p = line.find('\t', start);
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

std::string_view trim_view(std::string_view text, std::string_view blanks) {
    const auto b = text.find_first_not_of(blanks);
    if (b == std::string_view::npos) return {};
    const auto e = text.find_last_not_of(blanks);
    return text.substr(b, e - b + 1);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggestion(std::string_view got, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, got.size() / 3) + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(got, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best.empty() ? "" : "did you mean '" + best + "'?";
}

}  // namespace kitrx
