// SPDX-License-Identifier: MIT
// annotate: the pipeline from an input source to annotated KIT/PDGFRA variants:
// Observation -> VariantName (hgvs) -> role (primary/secondary) -> ActivityPanel::match.
// Used by `kitrx annotate` and `kitrx report`; knows no output format.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kitrx/genome/hgvs.hpp"
#include "kitrx/io/observation.hpp"
#include "kitrx/io/source.hpp"
#include "kitrx/panel/panel.hpp"

namespace kitrx {

struct KitVariant {
    Observation observation;
    VariantName name;
    VariantRole role = VariantRole::kUnknown;
    std::string role_reason;  // why the role was assigned ("exon 11 primary driver", ...)
    // Primary only because the panel says the change occurs as a driver (K642E, N822K) and the
    // sample shows no exon 9/11 driver: the truncal reference is then a guess (see assign_roles).
    bool primary_candidate = false;
};

struct AnnotatedVariant {
    KitVariant variant;
    PanelMatch match;  // refers into the ActivityPanel used; keep the panel alive
};

// HotspotStatus (loci checked for a resistance mutation where nothing was called, BAM input: the
// negative result with its depth and limit of detection) is defined in source.hpp.

struct AnnotateOptions {
    bool merge_cis = false;             // --merge-cis
    int merge_max_distance = 30;        // bp between the end of one record and the start of the next
    double merge_max_vaf_ratio = 1.25;  // larger/smaller fraction of the two records
    bool pass_only = false;             // --pass-only: drop records whose FILTER is not PASS/.
    std::vector<std::string> primary;   // --primary: "KIT:K642E" or "K642E", primary in every sample
};

struct AnnotationResult {
    SourceInfo source;
    std::vector<AnnotatedVariant> variants;  // input order, then sample order
    std::vector<HotspotStatus> hotspots;     // BAM input only
    std::vector<ExonCoverage> exons;         // BAM input only
};

struct RoleOptions {
    std::vector<std::string> primary;      // --primary keys: "GENE:PROTEIN" or "PROTEIN"
    const ActivityPanel* panel = nullptr;  // source of primary candidates; nullptr = none
};

// Role rules (per sample), in this order:
//   1. synonymous: unknown.
//   2. a --primary key names it: primary.
//   3. KIT exon 9/11 or any PDGFRA change: primary.
//   4. KIT exon 13/14/17/18: secondary when the sample has a primary from 2 or 3. Otherwise a
//      change with a variant- or codon-level panel rule of `context: primary` (K642E, N822*: known
//      imatinib-naive drivers) is a *primary candidate* (role primary, primary_candidate set) -
//      but only when no other exon 13/14/17/18 change of the sample lacks such a rule: a V654A or
//      D816V beside N822K says resistance, so N822K is then secondary as well. Everything else is
//      secondary. A secondary is never promoted because a primary is missing (issue 15).
//   5. anything else: unknown.
void assign_roles(std::vector<KitVariant>& variants, const RoleOptions& options = {});

// Whether a --primary key ("KIT:K642E" or "K642E") names this variant.
[[nodiscard]] bool primary_key_matches(const std::string& key, const VariantName& name);

// Names one observation on the transcript of the gene whose targets it overlaps. Returns nullopt
// when it touches no selected gene. Throws InputError (file + record) on a REF that disagrees with
// the shipped reference (hint: the other build) or a malformed allele.
[[nodiscard]] std::optional<KitVariant> name_observation(const Observation& observation,
                                                         const VariantNamer& namer,
                                                         const std::vector<std::string>& genes,
                                                         const std::string& file,
                                                         Build build);

// --merge-cis: per sample, two records are taken as one event split by the caller when they are in
// the same gene, at most `merge_max_distance` bp apart (end of the first to start of the second) and
// their fractions agree within `merge_max_vaf_ratio` (larger/smaller). They are replaced by one
// delins over the span (reference filled in between); counts are the mean of the two. Chains of
// more than two records merge pairwise from left to right.
void merge_cis(std::vector<KitVariant>& variants,
               const AnnotateOptions& options,
               const VariantNamer& namer,
               const std::string& file,
               Build build,
               Diagnostics& diag);

// The whole pipeline over one input: open, stream, name, merge, assign roles, match the panel.
[[nodiscard]] AnnotationResult annotate_input(const SourceOptions& source_options,
                                              const AnnotateOptions& options,
                                              const ActivityPanel& panel,
                                              Diagnostics& diag);
// Same, with the panel obtained only after the input has been read, so that loading the shipped
// panel (tens of ms of YAML parsing) overlaps with reading the input.
[[nodiscard]] AnnotationResult annotate_input(const SourceOptions& source_options,
                                              const AnnotateOptions& options,
                                              const std::function<const ActivityPanel&()>& panel,
                                              Diagnostics& diag);

}  // namespace kitrx
