// SPDX-License-Identifier: MIT
// annotate: the pipeline from an input source to annotated KIT/PDGFRA variants:
// Observation -> VariantName (hgvs) -> role (primary/secondary) -> ActivityPanel::match.
// Used by `kitrx annotate` and `kitrx report`; knows no output format.
#pragma once

#include <string>
#include <vector>

#include "kitrx/hgvs.hpp"
#include "kitrx/observation.hpp"
#include "kitrx/panel.hpp"
#include "kitrx/source.hpp"

namespace kitrx {

struct KitVariant {
    Observation observation;
    VariantName name;
    VariantRole role = VariantRole::kUnknown;
    std::string role_reason;  // why the role was assigned ("exon 11 primary driver", ...)
};

struct AnnotatedVariant {
    KitVariant variant;
    PanelMatch match;  // refers into the ActivityPanel used; keep the panel alive
};

// Loci checked for a resistance mutation where nothing was called (BAM input): the negative
// result with its depth and limit of detection.
struct HotspotStatus {
    std::string sample;
    std::string gene;         // "KIT"
    std::string label;        // "D816*", "V654A"
    int codon = 0;            // 1-based
    std::int64_t depth = 0;   // fragments covering the codon (minimum over its bases)
    bool detected = false;
    double lod_vaf = 0.0;     // fraction detectable with 95% power at this depth
};

struct AnnotateOptions {
    bool merge_cis = false;              // --merge-cis
    int merge_max_distance = 30;         // bp between the end of one record and the start of the next
    double merge_max_vaf_ratio = 1.25;   // larger/smaller fraction of the two records
    bool pass_only = false;              // --pass-only: drop records whose FILTER is not PASS/.
};

struct AnnotationResult {
    SourceInfo source;
    std::vector<AnnotatedVariant> variants;  // input order, then sample order
    std::vector<HotspotStatus> hotspots;     // BAM input only
};

// Role rules (per sample): KIT exon 9/11 and PDGFRA variants are primary; KIT exon 13/14/17/18
// variants are secondary when the sample has a primary, otherwise the highest-fraction one is
// primary (e.g. exon 13 K642E or exon 17 N822K as a primary driver) and the rest secondary.
void assign_roles(std::vector<KitVariant>& variants);

}  // namespace kitrx
