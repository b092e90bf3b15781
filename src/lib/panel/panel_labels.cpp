// SPDX-License-Identifier: MIT
// Panel names and labels: the words outputs print for the panel's enums and rules, in one place so
// that every table, the JSON and the HTML report spell them alike.
#include <algorithm>
#include <set>

#include "kitrx/common/text.hpp"
#include "kitrx/panel/panel.hpp"
#include "panel_internal.hpp"

namespace kitrx {

std::string to_string(Activity a) {
    switch (a) {
        case Activity::kSensitive:
            return "sensitive";
        case Activity::kIntermediate:
            return "intermediate";
        case Activity::kResistant:
            return "resistant";
        case Activity::kUnknown:
            return "unknown";
    }
    return "unknown";
}

std::optional<Activity> parse_activity(std::string_view text) {
    const std::string t = lower(text);
    if (t == "sensitive") return Activity::kSensitive;
    if (t == "intermediate") return Activity::kIntermediate;
    if (t == "resistant") return Activity::kResistant;
    if (t == "unknown") return Activity::kUnknown;
    return std::nullopt;
}

std::string to_string(MatchLevel l) {
    switch (l) {
        case MatchLevel::kExact:
            return "exact";
        case MatchLevel::kCodon:
            return "codon";
        case MatchLevel::kCodonRange:
            return "codon_range";
        case MatchLevel::kExonClass:
            return "exon_class";
        case MatchLevel::kGene:
            return "gene";
        case MatchLevel::kNone:
            return "none";
    }
    return "none";
}

std::string to_string(VariantRole r) {
    switch (r) {
        case VariantRole::kPrimary:
            return "primary";
        case VariantRole::kSecondary:
            return "secondary";
        case VariantRole::kUnknown:
            return "unknown";
    }
    return "unknown";
}

std::string rule_label(const PanelRule& rule) {
    std::string label = rule.gene;
    switch (rule.level) {
        case MatchLevel::kExact:
            label += " " + rule.protein;
            break;
        case MatchLevel::kCodon: {
            label += " ";
            const Transcript* t = panel_internal::transcript_for(rule.gene);
            if (t && rule.codon_begin >= 1 && rule.codon_begin <= static_cast<int>(t->protein.size()))
                label += t->protein[static_cast<std::size_t>(rule.codon_begin - 1)];
            label += std::to_string(rule.codon_begin) + "*";
            break;
        }
        case MatchLevel::kCodonRange:
            label += " codons " + std::to_string(rule.codon_begin) + "-" + std::to_string(rule.codon_end);
            break;
        case MatchLevel::kExonClass:
            label += " exon " + std::to_string(rule.exon) + " " + rule.variant_class;
            break;
        case MatchLevel::kGene:
        case MatchLevel::kNone:
            label += " " + (rule.variant_class.empty() ? "any" : rule.variant_class);
            break;
    }
    if (rule.context != VariantRole::kUnknown) label += " (" + to_string(rule.context) + ")";
    return label;
}

std::string to_string(EvidenceGrade g) {
    switch (g) {
        case EvidenceGrade::kClinical:
            return "clinical";
        case EvidenceGrade::kGuideline:
            return "guideline";
        case EvidenceGrade::kKnowledgeBase:
            return "knowledge-base";
        case EvidenceGrade::kPreclinical:
            return "preclinical";
        case EvidenceGrade::kClass:
            return "class";
        case EvidenceGrade::kNone:
            return "none";
    }
    return "none";
}

EvidenceGrade grade_of_kind(std::string_view kind) {
    if (kind == "clinical") return EvidenceGrade::kClinical;
    if (kind == "guideline") return EvidenceGrade::kGuideline;
    if (kind == "knowledge-base") return EvidenceGrade::kKnowledgeBase;
    if (kind == "preclinical") return EvidenceGrade::kPreclinical;
    if (kind == "class") return EvidenceGrade::kClass;
    return EvidenceGrade::kNone;
}

std::string evidence_keys(const DrugActivity& call, std::string_view separator) {
    std::string out;
    std::set<std::string> seen;
    for (const auto& e : call.evidence) {
        if (!seen.insert(e.citation).second) continue;
        if (!out.empty()) out += separator;
        out += e.citation;
    }
    return out;
}

}  // namespace kitrx
