// SPDX-License-Identifier: MIT
// regimens (model): the vocabulary of the module written once: enum names, the genotype selector
// grammar of approved_for/standard_of_care, and what a regimen says about itself (dose, period,
// label). Loading, coverage, ranking, drug sets and projection live in their own files.
#include "kitrx/regimens/regimens.hpp"

#include <cstdlib>
#include <sstream>

#include "kitrx/common/text.hpp"

namespace kitrx {

std::string to_string(RegimenKind k) {
    switch (k) {
        case RegimenKind::kSingle:
            return "single";
        case RegimenKind::kCombination:
            return "combination";
        case RegimenKind::kAlternation:
            return "alternation";
        case RegimenKind::kSequence:
            return "sequence";
    }
    return "single";
}

std::string to_string(CoverageStatus s) {
    switch (s) {
        case CoverageStatus::kCovered:
            return "covered";
        case CoverageStatus::kPartialTime:
            return "partial_time";
        case CoverageStatus::kPartial:
            return "partial";
        case CoverageStatus::kEscapingUnknown:
            return "escaping_unknown";
        case CoverageStatus::kEscapingResistant:
            return "escaping_resistant";
    }
    return "escaping_unknown";
}

bool is_escaping(CoverageStatus s) {
    return s == CoverageStatus::kEscapingUnknown || s == CoverageStatus::kEscapingResistant;
}

std::string to_string(RegimenTier t) {
    switch (t) {
        case RegimenTier::kClinical:
            return "clinical";
        case RegimenTier::kInvestigational:
            return "investigational";
        case RegimenTier::kHypothesis:
            return "hypothesis";
        case RegimenTier::kNoKnownActivity:
            return "no_known_activity";
    }
    return "no_known_activity";
}

std::string to_string(PriorStatus p) {
    switch (p) {
        case PriorStatus::kNone:
            return "";
        case PriorStatus::kIncludesFailed:
            return "includes_failed";
        case PriorStatus::kAllFailed:
            return "failed";
    }
    return "";
}

std::optional<GenotypeSelector> parse_genotype(std::string_view text) {
    GenotypeSelector g;
    g.text = std::string(text);
    std::istringstream in(g.text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty() || (words[0] != "KIT" && words[0] != "PDGFRA")) return std::nullopt;
    g.gene = words[0];
    if (words.size() == 1) return g;
    if (words.size() == 3 && words[1] == "exon") {
        char* end = nullptr;
        const long e = std::strtol(words[2].c_str(), &end, 10);
        if (end != words[2].c_str() + words[2].size() || e < 1 || e > 30) return std::nullopt;
        g.exon = static_cast<int>(e);
        return g;
    }
    if (words.size() == 2) {
        g.protein = canonical_protein_change(words[1]);
        if (g.protein.empty()) return std::nullopt;
        return g;
    }
    return std::nullopt;
}

bool GenotypeSelector::matches(const SampleClones& sample) const {
    for (const auto& c : sample.clones) {
        if (!c.detected()) continue;
        for (const auto& v : c.variants) {
            if (v.gene != gene) continue;
            if (exon != 0 && v.exon != exon) continue;
            if (!protein.empty() && canonical_protein_change(v.protein) != protein) continue;
            return true;
        }
    }
    return false;
}

std::string StandardOfCare::label() const {
    return genotype.text + (line > 0 ? ", line " + std::to_string(line) : std::string());
}

std::string Regimen::dose_of(const std::string& drug) const {
    const auto it = doses.find(drug);
    return it == doses.end() ? std::string() : it->second;
}

int Regimen::period_days() const {
    if (kind == RegimenKind::kSingle || kind == RegimenKind::kCombination) return 7;
    int total = 0;
    for (const auto& s : steps) total += s.days;
    return total;
}

std::string Regimen::drugs_label() const {
    switch (kind) {
        case RegimenKind::kSingle:
        case RegimenKind::kCombination:
            return join(drugs, "+");
        case RegimenKind::kAlternation:
        case RegimenKind::kSequence: {
            std::vector<std::string> parts;
            for (const auto& s : steps)
                parts.push_back(kind == RegimenKind::kAlternation
                                    ? join(s.drugs, "+") + " " + std::to_string(s.days) + "d"
                                    : join(s.drugs, "+"));
            return join(parts, kind == RegimenKind::kAlternation ? " / " : " -> ");
        }
    }
    return join(drugs, "+");
}

const Regimen* RegimenSet::find(std::string_view id) const {
    for (const auto& r : regimens)
        if (r.id == id) return &r;
    return nullptr;
}

}  // namespace kitrx
