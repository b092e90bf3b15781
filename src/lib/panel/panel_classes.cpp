// SPDX-License-Identifier: MIT
// The consequence classes panel rules select on (`class:`), by name and by a named variant's
// consequence; and the transcript each panel gene is numbered on.
#include <array>
#include <stdexcept>

#include "kitrx/panel/panel.hpp"
#include "panel_internal.hpp"

namespace kitrx {

namespace panel_internal {

namespace {

struct ClassName {
    const char* name;
    std::uint32_t mask;
};

// SO-style names first (as to_string(Consequence) prints them), then the friendly aliases.
constexpr std::array<ClassName, 25> kClassNames{{
    {"missense_variant", kBitMissense},
    {"synonymous_variant", kBitSynonymous},
    {"stop_gained", kBitStopGained},
    {"stop_lost", kBitStopLost},
    {"start_lost", kBitStartLost},
    {"inframe_deletion", kBitDeletion},
    {"inframe_insertion", kBitInsertion | kBitDuplication},
    {"protein_altering_variant", kBitDelins},
    {"frameshift_variant", kBitFrameshift},
    {"splice_site_variant", kBitSpliceSite},
    {"splice_region_variant", kBitSpliceRegion},
    {"intron_variant", kBitIntron},
    {"any", kAnyMask},
    {"missense", kBitMissense},
    {"synonymous", kBitSynonymous},
    {"nonsense", kBitStopGained},
    {"deletion", kBitDeletion},
    {"insertion", kBitInsertion | kBitDuplication},
    {"duplication", kBitDuplication},
    {"delins", kBitDelins},
    {"inframe", kBitDeletion | kBitInsertion | kBitDuplication | kBitDelins},
    {"frameshift", kBitFrameshift},
    {"splice_site", kBitSpliceSite},
    {"splice_region", kBitSpliceRegion},
    {"intron", kBitIntron},
}};

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<std::uint32_t> class_mask_of(std::string_view name) {
    for (const auto& c : kClassNames)
        if (name == c.name) return c.mask;
    return std::nullopt;
}

std::uint32_t variant_class_bit(const VariantName& v) {
    switch (v.consequence) {
        case Consequence::kMissense:
            return kBitMissense;
        case Consequence::kSynonymous:
            return kBitSynonymous;
        case Consequence::kNonsense:
            return kBitStopGained;
        case Consequence::kStopLost:
            return kBitStopLost;
        case Consequence::kStartLost:
            return kBitStartLost;
        case Consequence::kInframeDeletion:
            return kBitDeletion;
        case Consequence::kInframeInsertion:
            return ends_with(v.protein, "dup") || ends_with(v.hgvs_p, "dup") || ends_with(v.hgvs_p, "dup)")
                       ? kBitDuplication
                       : kBitInsertion;
        case Consequence::kInframeDelins:
            return kBitDelins;
        case Consequence::kFrameshift:
            return kBitFrameshift;
        case Consequence::kSpliceSite:
            return kBitSpliceSite;
        case Consequence::kSpliceRegion:
            return kBitSpliceRegion;
        case Consequence::kIntronic:
            return kBitIntron;
        case Consequence::kOther:
            return kBitOther;
    }
    return kBitOther;
}

const Transcript* transcript_for(std::string_view gene) {
    try {
        return &GenomeModel::builtin(Build::kGRCh38).transcript(gene);
    } catch (const std::invalid_argument&) {
        return nullptr;
    }
}

}  // namespace panel_internal

std::vector<std::string> panel_class_names() {
    std::vector<std::string> names;
    for (const auto& c : panel_internal::kClassNames) names.emplace_back(c.name);
    return names;
}

}  // namespace kitrx
