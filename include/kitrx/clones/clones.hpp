// SPDX-License-Identifier: MIT
// clones: clonal composition of one ctDNA sample from its annotated KIT/PDGFRA variants.
// Flow: AnnotatedVariant (+ HotspotStatus from BAM input) -> build_clones -> SampleClones
// -> regimens (coverage, ranking) and timepoints (trajectories). Knows no files and prints nothing.
//
// Model (heterozygous, diploid; full method in docs/clones_and_regimens.md):
//   - The truncal reference is the detected primary variant (KIT exon 9/11, PDGFRA, --primary, or
//     a primary candidate of assign_roles()) with the highest VAF; ties keep input order. Other
//     detected primaries are reported as primary clones relative to it (flag `multiple_primaries`).
//     A candidate reference (K642E/N822K without an exon 9/11 driver) sets `primary_candidate`
//     and `primary_not_detected`: the fractions rest on a guessed driver.
//   - tumour_fraction = min(1, 2 * vaf_primary); 95% interval = 2 x Wilson interval of vaf_primary.
//   - clone_fraction = min(1, vaf_clone / vaf_primary): the fraction of tumour cells carrying the
//     clone (cancer-cell-fraction ratio). 95% interval: Wilson score interval of each proportion,
//     combined into an interval for the ratio with MOVER-R (Donner & Zou, Stat Methods Med Res
//     2012;21:347-359), then capped to [0, 1]. Deterministic, closed form, defined for zero counts.
//   - Without read counts (VCF with AF only) the fraction is the VAF ratio and every interval is
//     NaN (flag `no_counts`).
//   - No detected primary: secondaries are never promoted. Clones keep their VAF; fraction,
//     intervals and tumour fraction are NaN (flag `primary_not_detected` on the sample and on
//     every clone).
//   - Assumption checks: a clone whose VAF exceeds the reference's (ratio > 1) keeps fraction 1
//     for ranking but is flagged `capped` and `vaf_above_primary` (KIT amplification, a
//     subclonal or LOH-affected primary), and its uncapped ratio and interval are reported
//     (fraction_uncapped, ratio_ci). Detected secondary fractions summing beyond 1 (uncapped)
//     flag the sample `clones_exceed_tumour`: disjoint resistant subclones cannot.
//   - By default every secondary variant is its own clone (polyclonal resistance). Variants listed
//     together in CloneOptions::cis_groups are one clone when at least two of them are present in
//     the sample; their counts are pooled (sum alt / sum depth).
//   - A clone's activity for a drug is the least favourable call over its variants, in the order
//     resistant > unknown > intermediate > sensitive (least_favourable, panel.hpp). A secondary
//     clone carries only its own variants' calls: the panel's secondary-context call already
//     describes the double mutant.
//   - Status: `detected` (>= 1 supporting read, or VAF > 0 when counts are unknown);
//     `not_detected` (a record with zero supporting reads, or a BAM hotspot where nothing was
//     seen, at depth >= CloneOptions::min_depth, with its limit of detection); `not_covered`
//     (the same at depth < min_depth: no negative result, vaf NA); `not_assessed` (a hotspot the
//     input cannot speak for, e.g. a VCF that lists calls only: depth and vaf NA).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/common/stats.hpp"
#include "kitrx/io/observation.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/panel/panel.hpp"

namespace kitrx {

// A confidence interval; both bounds NaN when it cannot be estimated (no counts). Proportions
// (VAF, tumour fraction) are Wilson score intervals from common/stats (wilson_interval, 95%);
// ratios (clone fractions) combine two of them with MOVER-R.
using ConfidenceInterval = ProportionInterval;

// MOVER-R interval for the ratio p_num / p_den of two independent proportions, given each point
// estimate and its own interval (Donner & Zou 2012):
//   L = (a - sqrt(a^2 - l_n u_d (2 p_n - l_n)(2 p_d - u_d))) / (u_d (2 p_d - u_d))
//   U = (a + sqrt(a^2 - u_n l_d (2 p_n - u_n)(2 p_d - l_d))) / (l_d (2 p_d - l_d)),  a = p_n p_d.
// Not capped; L is clamped at 0. NaN bounds when p_den <= 0 or an input is NaN; U = +inf when
// l_den (2 p_den - l_den) <= 0 (the denominator's interval reaches 0).
[[nodiscard]] ConfidenceInterval mover_r_ratio(double p_num,
                                               ConfidenceInterval ci_num,
                                               double p_den,
                                               ConfidenceInterval ci_den);

enum class CloneStatus { kDetected, kNotDetected, kNotCovered, kNotAssessed };
// "detected", "not_detected", "not_covered", "not_assessed"
[[nodiscard]] std::string to_string(CloneStatus s);

// Flag strings (stable, used verbatim in outputs).
inline constexpr const char* kFlagPrimaryNotDetected = "primary_not_detected";
inline constexpr const char* kFlagMultiplePrimaries = "multiple_primaries";
inline constexpr const char* kFlagNoCounts = "no_counts";                  // intervals unknown
inline constexpr const char* kFlagCapped = "capped";                       // ratio > 1 set to 1
inline constexpr const char* kFlagCisGroup = "cis_group";                  // several variants
inline constexpr const char* kFlagHotspot = "hotspot";                     // from HotspotStatus only
inline constexpr const char* kFlagTruncalReference = "truncal_reference";  // the reference primary
inline constexpr const char* kFlagPrimaryCandidate = "primary_candidate";  // reference is a guess
inline constexpr const char* kFlagVafAbovePrimary = "vaf_above_primary";   // ratio > 1
inline constexpr const char* kFlagClonesExceedTumour = "clones_exceed_tumour";

// The flags that say a model assumption failed or a fraction rests on a guess, in this order:
// primary_not_detected, primary_candidate, multiple_primaries, vaf_above_primary,
// clones_exceed_tumour. Outputs list these as warnings.
[[nodiscard]] const std::vector<std::string>& warning_flags();
// One sentence per flag for readers ("" for a flag without one).
[[nodiscard]] std::string flag_description(std::string_view flag);

// One variant of a clone, copied out of its AnnotatedVariant (no pointers into the input).
struct CloneVariant {
    std::string gene;     // "KIT"
    std::string protein;  // short one-letter name: "V654A", "W557_K558del"; hotspot label
    std::string hgvs_c;   // "c.1961T>C"; "" for hotspots
    int exon = 0;
    int codon_begin = 0;  // protein positions the change spans (0: none)
    int codon_end = 0;
    std::int64_t alt_reads = -1;  // -1 = unknown
    std::int64_t depth = -1;      // -1 = unknown
    double vaf = kUnknownFraction;
    std::size_t input_index = 0;      // index into the variants given to build_clones (not hotspots)
    std::vector<Activity> activity;   // per panel drug, panel order (PanelMatch::calls)
    std::vector<DrugActivity> calls;  // the same calls with their evidence (and dose-qualified calls)
};

// One clone of one sample. Columns of clones.tsv: sample, clone (id), role, variants
// (variant_names()), vaf, clone_fraction (fraction), ci_low/ci_high (fraction_ci), status.
struct Clone {
    std::string id;  // "KIT:V654A"; cis group "KIT:V654A+D820Y" (input order); hotspot "KIT:D816*"
    VariantRole role = VariantRole::kSecondary;  // kPrimary or kSecondary
    std::vector<CloneVariant> variants;
    CloneStatus status = CloneStatus::kDetected;
    std::int64_t alt_reads = -1;                  // pooled over variants; -1 = unknown
    std::int64_t depth = -1;                      // pooled over variants; -1 = unknown
    double vaf = kUnknownFraction;                // pooled alt/depth, or mean VAF when counts are unknown
    ConfidenceInterval vaf_ci;                    // Wilson 95%; NaN without counts
    double fraction = kUnknownFraction;           // clone fraction (capped at 1) or burden share (fallback)
    double fraction_uncapped = kUnknownFraction;  // the ratio before capping
    ConfidenceInterval fraction_ci;               // 95%, capped to [0, 1]; NaN without counts or primary
    ConfidenceInterval ratio_ci;                  // the same interval before capping (MOVER-R)
    double lod_vaf = kUnknownFraction;            // not detected/covered: VAF detectable at its depth
    double lod_fraction = kUnknownFraction;       // lod_vaf / vaf_primary, capped at 1 (NaN w/o primary)
    std::vector<Activity> activity;               // per panel drug: least favourable over variants
    std::vector<std::string> flags;               // kFlag* strings
    // Set by apply_compound_rules(): the panel's compound (in cis) rule that replaces the members'
    // calls for this clone, and its calls per panel drug (absent drugs unknown).
    std::string compound_rule;
    std::vector<DrugActivity> compound_calls;

    [[nodiscard]] bool detected() const { return status == CloneStatus::kDetected; }
    [[nodiscard]] bool has_flag(std::string_view flag) const;
    // Short protein names joined by "," ("V654A" or "V654A,D820Y"); gene omitted.
    [[nodiscard]] std::string variant_names() const;
    // Short protein names joined by "+" ("V654A" or "V654A+D820Y"): one item of a clone list.
    [[nodiscard]] std::string short_name() const;
};

// All clones of one sample. Order: the truncal reference first, then other primaries, then
// detected secondaries by decreasing fraction (ties: input order), then not-detected clones
// (records with zero reads in input order, then hotspots in their order).
struct SampleClones {
    std::string sample;
    std::vector<Clone> clones;
    int reference = -1;                         // index of the truncal reference clone; -1 when none detected
    double tumour_fraction = kUnknownFraction;  // min(1, 2 * vaf_primary)
    ConfidenceInterval tumour_fraction_ci;      // 2 x Wilson(vaf_primary), capped at 1
    std::vector<std::string> flags;  // kFlagPrimaryNotDetected, kFlagMultiplePrimaries, kFlagNoCounts, ...
    double secondary_fraction_sum = kUnknownFraction;  // detected secondaries, uncapped ratios

    // A truncal reference exists (possibly a candidate: check kFlagPrimaryCandidate).
    [[nodiscard]] bool primary_detected() const { return reference >= 0; }
    // Sample flags of warning_flags(), in that order.
    [[nodiscard]] std::vector<std::string> warnings() const;
    [[nodiscard]] bool has_flag(std::string_view flag) const;
    [[nodiscard]] const Clone* find(std::string_view clone_id) const;  // nullptr when absent
    // Detected secondary clones: the resistant burden that regimens are scored on.
    [[nodiscard]] std::vector<const Clone*> detected_secondaries() const;
};

struct CloneOptions {
    // Mutations known to be in cis: each group is a list of variant keys, either "GENE:PROTEIN"
    // ("KIT:V654A") or a bare protein name ("V654A", matched in any gene).
    std::vector<std::vector<std::string>> cis_groups;
    bool group_cis = false;  // apply cis_groups (the option of the issue); off = polyclonal
    // --min-depth: fragments below which a zero-read record or hotspot is `not_covered`.
    std::int64_t min_depth = CountOptions{}.min_depth;
    // Calling rule used for the LoD of a zero-read VCF record from its DP (BAM hotspots bring
    // their own): the smallest VAF kitrx's own test would call at that depth.
    CountOptions calling;
};

// Builds the clones of every sample present in `variants` or `hotspots`, samples in first-seen
// order (variants first). Only variants with role primary or secondary and a protein-altering
// consequence (not synonymous, intronic or splice_region) form clones; the rest are ignored.
// Hotspots that were detected are ignored (the variant itself is in `variants`); not-detected
// hotspots become not-detected secondary clones unless a clone with the same id exists.
// Never throws on data; throws std::invalid_argument for a malformed cis-group key ("KIT:").
[[nodiscard]] std::vector<SampleClones> build_clones(const std::vector<AnnotatedVariant>& variants,
                                                     const std::vector<HotspotStatus>& hotspots,
                                                     const CloneOptions& options = {});

// One clone's call for one drug with what backs it. For a clone of several variants the call is
// the least favourable of the members' calls, and its grade the weakest among the members that
// give that call (every member must hold); a compound rule (apply_compound_rules) replaces both.
struct CloneCall {
    Activity activity = Activity::kUnknown;
    EvidenceGrade grade = EvidenceGrade::kNone;
    bool low_confidence = false;  // a deciding member's call is marked low confidence
    bool conflicting = false;     // a deciding member's call has evidence pointing the other way
    std::vector<const DrugActivity*> deciding;  // the calls that decide (point into the clone)
};
// `dose` selects a dose-qualified call where the panel has one ("" = the usual dose). Members
// without copied calls (hotspot clones) give their activity vector's call, grade none.
[[nodiscard]] CloneCall clone_drug_call(const Clone& clone, std::size_t drug, std::string_view dose = "");

// Flag of a clone whose calls come from a compound rule.
inline constexpr const char* kFlagCompoundRule = "compound_in_cis";

// For every clone of `sample` of two or more variants (a --cis-group) that matches a compound rule of the
// panel (ActivityPanel::compound_rules(), e.g. KIT exon 13/14 + exon 17/18 on one allele), sets
// compound_rule / compound_calls and the activity vector from the rule, and flags the clone.
void apply_compound_rules(SampleClones& sample, const ActivityPanel& panel);

// An ATP-pocket (KIT exon 13/14) and an activation-loop (exon 17/18) secondary mutation detected as
// separate single-variant clones may be one allele: short reads rarely phase those exons, so this
// says what cis would change and how to rerun (evidence file 10.7). "" when there is no such pair.
[[nodiscard]] std::string phase_unknown_note(const SampleClones& sample);

}  // namespace kitrx
