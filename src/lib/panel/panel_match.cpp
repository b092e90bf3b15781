// SPDX-License-Identifier: MIT
// Panel lookup and matching: which rule speaks for a named variant (the most specific one, see
// panel.hpp), the drug calls it gives, and how strong the evidence behind a call is.
#include <algorithm>

#include "kitrx/common/text.hpp"
#include "kitrx/genome/protein_change.hpp"
#include "kitrx/panel/panel.hpp"
#include "panel_internal.hpp"

namespace kitrx {

using panel_internal::kAnyMask;
using panel_internal::variant_class_bit;

EvidenceGrade evidence_grade(const DrugActivity& call) {
    EvidenceGrade best = EvidenceGrade::kNone, any = EvidenceGrade::kNone;
    for (const auto& e : call.evidence) {
        any = std::min(any, grade_of_kind(e.kind));
        if (e.supports && *e.supports != call.activity) continue;
        best = std::min(best, grade_of_kind(e.kind));
    }
    // A call written more cautiously than all of its evidence (A829P regorafenib: "likely"
    // sensitive, called intermediate) rests on that evidence; is_conflicting() marks it.
    return best == EvidenceGrade::kNone ? any : best;
}

bool is_conflicting(const DrugActivity& call) {
    for (const auto& e : call.evidence)
        if (e.supports && *e.supports != call.activity) return true;
    return false;
}

const DrugActivity& call_at_dose(const DrugActivity& call, std::string_view dose) {
    if (dose.empty()) return call;
    for (const auto& d : call.at_dose)
        if (d.dose == dose) return d;
    return call;
}

const CompoundRule* ActivityPanel::match_compound(
    const std::vector<std::pair<std::string, int>>& members) const {
    for (const auto& rule : compound_rules_) {
        if (members.size() < rule.all_of.size()) continue;
        // Small sets (a cis group is a handful of variants): try every assignment greedily by
        // component, each member used once; components are exon sets, usually disjoint.
        std::vector<bool> used(members.size(), false);
        bool all = true;
        for (const auto& exons : rule.all_of) {
            bool met = false;
            for (std::size_t i = 0; i < members.size() && !met; ++i) {
                if (used[i] || members[i].first != rule.gene) continue;
                if (std::find(exons.begin(), exons.end(), members[i].second) != exons.end()) {
                    used[i] = true;
                    met = true;
                }
            }
            all = all && met;
        }
        if (all) return &rule;
    }
    return nullptr;
}

const Drug* ActivityPanel::drug(std::string_view id_or_alias) const {
    const std::string key = lower(id_or_alias);
    for (const auto& d : drugs_) {
        if (lower(d.id) == key) return &d;
        for (const auto& a : d.aliases)
            if (lower(a) == key) return &d;
    }
    return nullptr;
}

namespace {

bool rule_matches(const PanelRule& r,
                  const VariantName& v,
                  const std::string& protein,
                  std::uint32_t class_bit) {
    const bool protein_altering = (class_bit & kAnyMask) != 0;
    const int first = v.codon_begin;
    const int last = std::max(v.codon_begin, v.codon_end);
    switch (r.level) {
        case MatchLevel::kExact:
            return !protein.empty() && protein == r.protein;
        case MatchLevel::kCodon:
        case MatchLevel::kCodonRange:
            return protein_altering && first > 0 && first <= r.codon_end && r.codon_begin <= last;
        case MatchLevel::kExonClass:
            return v.exon > 0 && v.exon == r.exon && (class_bit & r.class_mask) != 0;
        case MatchLevel::kGene:
        case MatchLevel::kNone:
            return (class_bit & r.class_mask) != 0;
    }
    return false;
}

}  // namespace

PanelMatch ActivityPanel::match(const VariantName& variant, VariantRole role) const {
    PanelMatch result;
    result.calls.resize(drugs_.size());
    const std::string gene = upper(variant.gene);
    std::string protein = canonical_protein_change(variant.protein);
    if (protein.empty()) protein = canonical_protein_change(variant.hgvs_p);
    const std::uint32_t class_bit = variant_class_bit(variant);

    constexpr MatchLevel kOrder[] = {MatchLevel::kExact, MatchLevel::kCodon, MatchLevel::kCodonRange,
                                     MatchLevel::kExonClass, MatchLevel::kGene};
    std::vector<const PanelRule*> hits;
    auto collect = [&](MatchLevel level, VariantRole context) {
        for (const auto& r : rules_)
            if (r.level == level && r.context == context && upper(r.gene) == gene &&
                rule_matches(r, variant, protein, class_bit))
                hits.push_back(&r);
        return !hits.empty();
    };
    for (const MatchLevel level : kOrder) {
        // A rule written for the variant's role beats a context-free rule of the same level.
        if (role != VariantRole::kUnknown && collect(level, role)) break;
        if (collect(level, VariantRole::kUnknown)) break;
    }
    if (hits.empty()) return result;

    result.rule = hits.front();
    result.level = hits.front()->level;
    for (std::size_t i = 0; i < drugs_.size(); ++i) {
        const std::string& id = drugs_[i].id;
        auto call_in = [&](const PanelRule* r) {
            const auto it = r->activity.find(id);
            return it == r->activity.end() ? DrugActivity{} : it->second;
        };
        DrugActivity call = call_in(hits.front());
        // Several rules of one level match only a change spanning several codons (e.g. a
        // deletion over two codon rules); their calls are combined when they agree, else unknown.
        for (std::size_t h = 1; h < hits.size(); ++h) {
            const DrugActivity other = call_in(hits[h]);
            if (other.activity != call.activity) {
                call = DrugActivity{};
                call.reason = "rules '" + hits.front()->id + "' and '" + hits[h]->id +
                              "' both match this change and disagree";
                break;
            }
            call.evidence.insert(call.evidence.end(), other.evidence.begin(), other.evidence.end());
            call.low_confidence = call.low_confidence || other.low_confidence;
        }
        result.calls[i] = std::move(call);
    }
    return result;
}

}  // namespace kitrx
