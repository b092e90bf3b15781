// SPDX-License-Identifier: MIT
// html (common): escaping for the two self-contained HTML pages (report, validation), so that
// every user-controlled string (sample names, labels, panel text) is treated alike.
#pragma once

#include <string>
#include <string_view>

namespace kitrx {

// & < > " ' escaped; invalid UTF-8 replaced by U+FFFD first (the pages declare UTF-8).
[[nodiscard]] std::string html_escape(std::string_view raw);

}  // namespace kitrx
