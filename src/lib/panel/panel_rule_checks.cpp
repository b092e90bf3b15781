// SPDX-License-Identifier: MIT
// The load-time check that keeps matching unambiguous: no two rules of one level and context may
// select the same variants, or overlap with different calls for a drug (panel.hpp).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "kitrx/common/text.hpp"
#include "panel_internal.hpp"

namespace kitrx::panel_internal {

namespace {

// Equal for two rules of one level exactly when they select the same variants.
std::string selector_key(const PanelRule& r) {
    switch (r.level) {
        case MatchLevel::kExact:
            return r.protein;
        case MatchLevel::kCodon:
        case MatchLevel::kCodonRange:
            return std::to_string(r.codon_begin) + '-' + std::to_string(r.codon_end);
        case MatchLevel::kExonClass:
            return std::to_string(r.exon) + ':' + std::to_string(r.class_mask);
        case MatchLevel::kGene:
        case MatchLevel::kNone:
            return std::to_string(r.class_mask);
    }
    return "";
}

yaml::Mark mark_of(const PanelRule& r) {
    yaml::Mark m;
    m.line = r.where.line - 1;
    m.column = r.where.column - 1;
    return m;
}

Activity call_of(const PanelRule& r, const std::string& drug) {
    const auto it = r.activity.find(drug);
    return it == r.activity.end() ? Activity::kUnknown : it->second.activity;
}

bool overlap(const PanelRule& a, const PanelRule& b) {
    switch (a.level) {
        case MatchLevel::kExact:
            return a.protein == b.protein;
        case MatchLevel::kCodon:
        case MatchLevel::kCodonRange:
            return a.codon_begin <= b.codon_end && b.codon_begin <= a.codon_end;
        case MatchLevel::kExonClass:
            return a.exon == b.exon && (a.class_mask & b.class_mask) != 0;
        case MatchLevel::kGene:
        case MatchLevel::kNone:
            return (a.class_mask & b.class_mask) != 0;
    }
    return false;
}

}  // namespace

// Duplicate selectors and contradictions between rules of the same level and context. Near
// linear (a 16,000-rule panel took 30 s and 24 GB of messages when every rule was compared with
// every other): duplicates are found by hashing the selector and are left out of the pair
// checks; exact rules only overlap their duplicates; codon rules are swept in order of their
// first codon, so only ranges that do overlap are compared; exon/class and gene rules have few
// distinct selectors. Stops once Problems is full.
void check_rule_pairs(const ActivityPanel& panel, yaml::Problems& problems) {
    const auto& rules = panel.rules_;
    std::map<std::string, std::vector<const PanelRule*>> groups;  // gene, level, context
    std::unordered_map<std::string, const PanelRule*> first_with_selector;
    for (const PanelRule& b : rules) {
        const std::string group = b.gene + '|' + std::to_string(static_cast<int>(b.level)) + '|' +
                                  std::to_string(static_cast<int>(b.context));
        const auto [it, inserted] = first_with_selector.emplace(group + '|' + selector_key(b), &b);
        if (!inserted) {
            const PanelRule& a = *it->second;
            problems.add(mark_of(b),
                         "duplicate rule: '" + b.id + "' matches exactly what rule '" + a.id + "' (line " +
                             std::to_string(a.where.line) + ") matches (" + rule_label(b) + ")",
                         "merge the two rules");
            if (problems.full()) return;
            continue;
        }
        if (b.level != MatchLevel::kExact) groups[group].push_back(&b);
    }
    for (auto& [group, list] : groups) {
        const bool codons =
            list.front()->level == MatchLevel::kCodon || list.front()->level == MatchLevel::kCodonRange;
        if (codons)
            std::stable_sort(list.begin(), list.end(), [](const PanelRule* x, const PanelRule* y) {
                return x->codon_begin < y->codon_begin;
            });
        for (std::size_t j = 0; j < list.size(); ++j) {
            for (std::size_t i = 0; i < j; ++i) {
                if (codons && list[i]->codon_end < list[j]->codon_begin) continue;
                // Report against the rule that comes first in the file, as a reader expects.
                const bool in_order = list[i]->where.line <= list[j]->where.line;
                const PanelRule& a = in_order ? *list[i] : *list[j];
                const PanelRule& b = in_order ? *list[j] : *list[i];
                if (!overlap(a, b)) continue;
                std::vector<std::string> differ;
                for (const auto& d : panel.drugs_) {
                    const Activity x = call_of(a, d.id), y = call_of(b, d.id);
                    if (x != y) differ.push_back(d.id + " " + to_string(x) + " vs " + to_string(y));
                }
                if (differ.empty()) continue;
                const std::string first = "rule '" + a.id + "' (line " + std::to_string(a.where.line) + ")";
                problems.add(
                    mark_of(b),
                    "contradictory rules: '" + b.id + "' and " + first + " are both " + to_string(a.level) +
                        " rules that can match the same variant but differ for " + join(differ, "; "),
                    "make one rule more specific or give both the same calls");
                if (problems.full()) return;
            }
        }
    }
}

}  // namespace kitrx::panel_internal
