// SPDX-License-Identifier: MIT
// kitrx panel check|show: validate an activity panel (one summary line), or print its drug x
// variant matrix as text with S/I/R/? symbols or as TSV with full words.
#include "kitrx/panel/panel.hpp"

#include <algorithm>
#include <iostream>
#include <set>

#include "kitrx/common/output_file.hpp"
#include "kitrx/run/run.hpp"

namespace kitrx {
namespace {

char symbol(Activity a) {
    switch (a) {
        case Activity::kSensitive:
            return 'S';
        case Activity::kIntermediate:
            return 'I';
        case Activity::kResistant:
            return 'R';
        case Activity::kUnknown:
            return '?';
    }
    return '?';
}

const DrugActivity* cell(const PanelRule& rule, const std::string& drug) {
    const auto it = rule.activity.find(drug);
    return it == rule.activity.end() ? nullptr : &it->second;
}

// Short unique column headers: the first four letters of each id, lengthened until unique.
std::vector<std::string> abbreviations(const std::vector<Drug>& drugs) {
    std::size_t width = 4;
    while (true) {
        std::set<std::string> seen;
        std::vector<std::string> out;
        bool unique = true;
        for (const auto& d : drugs) {
            out.push_back(d.id.substr(0, width));
            unique = seen.insert(out.back()).second && unique;
        }
        std::size_t longest = 0;
        for (const auto& d : drugs) longest = std::max(longest, d.id.size());
        if (unique || width >= longest) return out;
        ++width;
    }
}

std::string pad(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

void write_text(const ActivityPanel& panel, std::ostream& out) {
    out << panel.name << ", version " << panel.version << " (" << panel.date << ")\n";
    std::string transcripts;
    for (const auto& t : panel.transcripts) transcripts += (transcripts.empty() ? "" : ", ") + t;
    out << "Transcripts: " << transcripts << "\n";
    out << "Notice: " << panel.notice << "\n\n";

    const auto abbrev = abbreviations(panel.drugs());
    std::vector<std::string> labels;
    std::size_t id_width = 4, label_width = 7, level_width = 5;
    for (const auto& r : panel.rules()) {
        labels.push_back(rule_label(r));
        id_width = std::max(id_width, r.id.size());
        label_width = std::max(label_width, labels.back().size());
        level_width = std::max(level_width, to_string(r.level).size());
    }
    out << pad("Rule", id_width) << "  " << pad("Variant", label_width) << "  " << pad("Level", level_width);
    for (const auto& a : abbrev) out << "  " << a;
    out << '\n';
    for (std::size_t i = 0; i < panel.rules().size(); ++i) {
        const PanelRule& r = panel.rules()[i];
        std::string line = pad(r.id, id_width) + "  " + pad(labels[i], label_width) + "  " +
                           pad(to_string(r.level), level_width);
        for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
            const DrugActivity* c = cell(r, panel.drugs()[d].id);
            std::string s(1, symbol(c ? c->activity : Activity::kUnknown));
            if (c && c->low_confidence) s += '*';
            line += "  " + pad(s, abbrev[d].size());
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    }
    out << "\nLegend: S sensitive, I intermediate, R resistant, ? unknown (no call in the panel);"
           " * low confidence.\n";
    out << "Drugs:";
    for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
        const Drug& drug = panel.drugs()[d];
        out << (d ? "; " : " ") << abbrev[d] << " = " << drug.name;
        if (!drug.mechanism.empty()) out << " (" << drug.mechanism << ")";
    }
    out << ".\n";
    bool header = false;
    for (const auto& r : panel.rules()) {
        for (const auto& d : panel.drugs()) {
            const DrugActivity* c = cell(r, d.id);
            if (!c || c->reason.empty()) continue;
            if (!header) out << "\nWhy some calls were chosen:\n";
            header = true;
            out << "  " << r.id << " / " << d.id << " (" << to_string(c->activity) << "): " << c->reason
                << '\n';
        }
    }
    header = false;
    for (const auto& r : panel.rules())
        for (const auto& d : panel.drugs()) {
            const DrugActivity* c = cell(r, d.id);
            if (!c || c->at_dose.empty()) continue;
            if (!header)
                out << "\nDose-qualified calls (used by regimens that give the drug at that dose):\n";
            header = true;
            out << "  " << r.id << " / " << d.id << ": " << to_string(c->activity)
                << (c->dose.empty() ? "" : " at " + c->dose);
            for (const auto& at : c->at_dose) out << "; " << to_string(at.activity) << " at " << at.dose;
            out << '\n';
        }
    if (!panel.compound_rules().empty())
        out << "\nCompound (in cis) rules, for clones declared with --cis-group:\n";
    for (const auto& r : panel.compound_rules()) {
        out << "  " << r.id << ": " << r.gene;
        for (std::size_t k = 0; k < r.all_of.size(); ++k) {
            out << (k ? " + exon " : " exon ");
            for (std::size_t e = 0; e < r.all_of[k].size(); ++e) out << (e ? "/" : "") << r.all_of[k][e];
        }
        out << " on one allele:";
        for (const auto& d : panel.drugs()) {
            const auto it = r.activity.find(d.id);
            if (it != r.activity.end()) out << " " << d.id << " " << to_string(it->second.activity) << ";";
        }
        out << " every other drug unknown\n";
    }
}

void write_tsv(const ActivityPanel& panel, std::ostream& out) {
    out << "#panel\t" << panel.name << "\n#version\t" << panel.version << "\n#date\t" << panel.date
        << "\n#notice\t" << panel.notice << '\n';
    out << "rule_id\tgene\tvariant\tlevel\tcontext";
    for (const auto& d : panel.drugs()) out << '\t' << d.id;
    out << '\n';
    for (const auto& r : panel.rules()) {
        std::string selector;
        switch (r.level) {
            case MatchLevel::kExact:
                selector = r.protein;
                break;
            case MatchLevel::kCodon:
                selector = "codon " + std::to_string(r.codon_begin);
                break;
            case MatchLevel::kCodonRange:
                selector = "codons " + std::to_string(r.codon_begin) + "-" + std::to_string(r.codon_end);
                break;
            case MatchLevel::kExonClass:
                selector = "exon " + std::to_string(r.exon) + " " + r.variant_class;
                break;
            case MatchLevel::kGene:
            case MatchLevel::kNone:
                selector = r.variant_class;
                break;
        }
        out << r.id << '\t' << r.gene << '\t' << selector << '\t' << to_string(r.level) << '\t'
            << (r.context == VariantRole::kUnknown ? "any" : to_string(r.context));
        for (const auto& d : panel.drugs()) {
            const DrugActivity* c = cell(r, d.id);
            out << '\t' << to_string(c ? c->activity : Activity::kUnknown);
        }
        out << '\n';
    }
}

// "FILE: ok: NAME VERSION, N drugs, N rules (+N compound), N citations (N cited by rules)".
void print_check_summary(const std::string& path, const ActivityPanel& panel) {
    std::set<std::string> cited;
    for (const auto& r : panel.rules())
        for (const auto& [drug, call] : r.activity) {
            for (const auto& e : call.evidence) cited.insert(e.citation);
            for (const auto& at : call.at_dose)
                for (const auto& e : at.evidence) cited.insert(e.citation);
        }
    for (const auto& r : panel.compound_rules())
        for (const auto& [drug, call] : r.activity)
            for (const auto& e : call.evidence) cited.insert(e.citation);
    std::cout << path << ": ok: " << panel.name << " " << panel.version << ", " << panel.drugs().size()
              << " drugs, " << panel.rules().size() << " rules"
              << (panel.compound_rules().empty()
                      ? std::string()
                      : " (+" + std::to_string(panel.compound_rules().size()) + " compound)")
              << ", " << panel.citations().size() << " citations (" << cited.size() << " cited by rules)\n";
}

}  // namespace

ExitCode run_panel(const PanelConfig& config, Diagnostics& /*diag*/) {
    if (!config.action) throw UsageError("missing action: 'check FILE' or 'show [FILE]'");
    const std::string& action = *config.action;
    if (action == "check") {
        if (!config.file) throw UsageError("'panel check' needs a panel FILE");
        if (config.format_or_output_given)
            throw UsageError("--format and --output apply to 'panel show' only");
        print_check_summary(*config.file, load_panel(*config.file));
        return ExitCode::kOk;
    }
    if (action == "show") {
        if (config.format != "text" && config.format != "tsv")
            throw UsageError("unknown --format '" + config.format + "'; expected text or tsv");
        const ActivityPanel panel = config.file ? load_panel(*config.file) : default_panel();
        OutputFile out(config.output);
        if (config.format == "tsv")
            write_tsv(panel, out.stream());
        else
            write_text(panel, out.stream());
        out.commit();
        return ExitCode::kOk;
    }
    throw UsageError("unknown action '" + action + "'; expected check or show");
}

}  // namespace kitrx
