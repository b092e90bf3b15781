// SPDX-License-Identifier: MIT
// What the panel's own files share and no caller needs: the consequence-class bits rules match
// on, the transcript a gene is numbered on, and the pieces of the loader that live in their own
// files (activity cells, the rule-pair check).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kitrx/common/yaml_schema.hpp"
#include "kitrx/genome/genome.hpp"
#include "kitrx/panel/panel.hpp"

namespace kitrx::panel_internal {

// Consequence classes. The panel keeps its own table keyed by the enum (rather than calling
// to_string(Consequence)) so that class names in panels stay stable whatever the namer prints.
// Duplications are a sub-class of in-frame insertions, told apart by the protein name.
enum ClassBit : std::uint32_t {
    kBitMissense = 1u << 0,
    kBitSynonymous = 1u << 1,
    kBitStopGained = 1u << 2,
    kBitStopLost = 1u << 3,
    kBitStartLost = 1u << 4,
    kBitDeletion = 1u << 5,
    kBitInsertion = 1u << 6,    // in-frame insertion other than a duplication
    kBitDuplication = 1u << 7,  // in-frame insertion written as dup
    kBitDelins = 1u << 8,
    kBitFrameshift = 1u << 9,
    kBitSpliceSite = 1u << 10,
    kBitSpliceRegion = 1u << 11,
    kBitIntron = 1u << 12,
    kBitOther = 1u << 13,
};

// "any": every change that alters the protein (not synonymous, splice-region or intronic).
constexpr std::uint32_t kAnyMask = kBitMissense | kBitStopGained | kBitStopLost | kBitStartLost |
                                   kBitDeletion | kBitInsertion | kBitDuplication | kBitDelins |
                                   kBitFrameshift | kBitSpliceSite;

// The classes a `class:` name stands for; nullopt for an unknown name.
[[nodiscard]] std::optional<std::uint32_t> class_mask_of(std::string_view name);
// The class bit of a named variant.
[[nodiscard]] std::uint32_t variant_class_bit(const VariantName& v);

// The shipped GRCh38 transcript of `gene`, nullptr when kitrx does not name variants on it.
[[nodiscard]] const Transcript* transcript_for(std::string_view gene);

// True for a mapping (a list), else false after reporting what `f` is instead.
bool expect_map(const yaml::Field& f, const std::string& what, yaml::Problems& problems);
bool expect_seq(const yaml::Field& f, const std::string& what, yaml::Problems& problems);

// Reads the `activity:` mapping of a rule (`what` names it) into `activity`, by drug id; false
// when some cell was invalid (every problem reported).
bool load_activity(const yaml::Field& a,
                   const std::string& what,
                   const ActivityPanel& panel,
                   std::map<std::string, DrugActivity>& activity,
                   yaml::Problems& problems);

// Reports duplicate selectors and contradictions between rules of the same level and context.
void check_rule_pairs(const ActivityPanel& panel, yaml::Problems& problems);

}  // namespace kitrx::panel_internal
