// SPDX-License-Identifier: MIT
// html (common): what the two self-contained HTML pages (report, validation) share: escaping, so
// that every user-controlled string (sample names, labels, panel text) is treated alike, and the
// page frame with the house style, so that both pages look like one product.
#pragma once

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace kitrx {

// & < > " ' escaped; invalid UTF-8 replaced by U+FFFD first (the pages declare UTF-8).
[[nodiscard]] std::string html_escape(std::string_view raw);

// From <!DOCTYPE html> to </head>: charset, viewport, generator (kitrx version), the escaped
// `title`, and one inline stylesheet made of `css` in order (no external resource).
void write_page_head(std::ostream& out, std::string_view title, std::initializer_list<std::string_view> css);

// Style rules both pages use, in the order both list them. Each page puts its own rules between
// these (CSS order matters where rules overlap), e.g. {kFrame, own, kMeta, kTables, own, kSvg, ...}.
namespace page_css {

// Palette (--s/--i/--r/--u: sensitive, intermediate, resistant, unknown), box model, body
// typography, headings and the research-use notice box.
inline constexpr std::string_view kFrame =
    R"CSS(:root{--s:#1a9850;--i:#f4a300;--r:#d73027;--u:#b0b0b0;--ink:#1d2330;--muted:#5b6473;--line:#d9dde3}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:16px 24px 40px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--ink);background:#fff}
h1{font-size:24px;margin:12px 0 4px}h2{font-size:19px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
.notice{border:2px solid #b35c00;background:#fff4e5;padding:10px 14px;border-radius:6px;font-weight:600}
)CSS";
inline constexpr std::string_view kMeta = ".meta{color:var(--muted);margin:2px 0}\n";
inline constexpr std::string_view kTables =
    R"CSS(table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f5f8}
)CSS";
// Inline SVG charts: inherited font, axes, grid lines, small labels.
inline constexpr std::string_view kSvg = R"CSS(svg{font-family:inherit;overflow:visible}
svg text{font-size:12px;fill:var(--ink)}
svg .axis{stroke:#8a93a2;stroke-width:1}svg .grid{stroke:#e7eaee;stroke-width:1}
svg .small{font-size:10.5px;fill:var(--muted)}
)CSS";
inline constexpr std::string_view kMuted = ".muted{color:var(--muted)}\n";
inline constexpr std::string_view kNav =
    "nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:6px 0}\n";
// The provenance key/value list.
inline constexpr std::string_view kProvenance =
    "dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}dl.prov "
    "dt{font-weight:600}dl.prov dd{margin:0;word-break:break-word}\n";

}  // namespace page_css

}  // namespace kitrx
