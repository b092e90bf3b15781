// SPDX-License-Identifier: MIT
// tables: what every kitrx table shares (number formatting and the "##key=value" provenance
// header), so that variants.tsv, clones.tsv and the others read alike.
#include "kitrx/report/tables.hpp"

#include <cmath>
#include <cstdio>

#include "kitrx/version.hpp"

namespace kitrx {

std::string format_fraction(double value) {
    if (std::isnan(value)) return "NA";
    if (value == 0) value = 0.0;  // -0 (AF=-0) is printed as 0
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", value);
    std::string s(buf);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string format_count(std::int64_t value) {
    return value < 0 ? "NA" : std::to_string(value);
}

Provenance make_provenance(const std::string& command_line,
                           const SourceInfo& source,
                           const ActivityPanel* panel) {
    Provenance p;
    p.add("kitrx_version", KITRX_VERSION);
    p.add("kitrx_command", command_line);
    if (!source.path.empty())
        p.add("input", source.path + " (" + to_string(source.format) +
                           (source.caller.empty() ? "" : ", " + source.caller) + ")");
    p.add("build", to_string(source.build) +
                       (source.build_evidence.empty() ? "" : " (" + source.build_evidence + ")"));
    if (!source.skipped.empty()) {
        std::string text;
        for (const auto& [why, n] : source.skipped)
            text += (text.empty() ? "" : "; ") + std::to_string(n) + " " + why;
        p.add("input_skipped", text);
    }
    for (const auto& note : source.notes) p.add("input_note", note);
    p.add("transcripts", "KIT:NM_000222.3/ENST00000288135 (MANE Select),PDGFRA:NM_006206.4/ENST00000257290");
    if (panel)
        p.add("panel", panel->name + " " + panel->version + " (" + panel->date + ", " + panel->source + ")");
    p.add("notice", kResearchUseNotice);
    return p;
}

void write_provenance(std::ostream& out, const Provenance& provenance) {
    // A newline in a file or panel name would start a fake row before the header.
    for (const auto& [key, value] : provenance.items) out << "##" << key << '=' << printable(value) << '\n';
}

}  // namespace kitrx
