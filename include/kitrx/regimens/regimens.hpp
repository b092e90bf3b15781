// SPDX-License-Identifier: MIT
// regimens: drug regimens (single agents, combinations, alternation schedules, sequences) read
// from YAML, their coverage of one sample's clones, a documented ranking, the smallest drug sets
// that cover every detected clone, and a clone-growth projection (hypothesis-generating model).
// Flow: SampleClones x RegimenSet x ActivityPanel -> RegimenCoverage (ranked) / DrugSetResult /
// Projection. Knows no output format and prints nothing.
//
//   const ActivityPanel& panel = default_panel();
//   const RegimenSet set = default_regimens(panel);            // or load_regimens(path, panel)
//   for (const SampleClones& s : build_clones(variants, hotspots))
//       for (const RegimenCoverage& r : evaluate_regimens(s, set, panel)) use(r);  // ranked
//
// Every regimen is a list of steps; a step gives a set of drugs together for `days` days:
//   single       one step {drug}, 7 days            combination  one step {all drugs}, 7 days
//   alternation  steps repeated as a cycle (sunitinib 3 d / regorafenib 4 d, NCT02164240)
//   sequence     steps one after another (each `days` long), the last one continued
// Coverage of a clone by a step is the most favourable call among the step's drugs (sensitive >
// intermediate > unknown > resistant). Over the regimen's period (the cycle, or the sum of the
// sequence's steps) the clone spends time_sensitive, time_intermediate, time_unknown and
// time_resistant (fractions summing to 1). Status:
//   covered       time_sensitive == 1
//   partial_time  0 < time_sensitive < 1          (covered part of each cycle / of the sequence)
//   partial       time_sensitive == 0, time_intermediate > 0
//   escaping_unknown    none of the above and some time under an unknown call
//   escaping_resistant  resistant to every drug at every time
#pragma once

#include <cstddef>
#include <initializer_list>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/clones/clones.hpp"
#include "kitrx/common/errors.hpp"
#include "kitrx/panel/panel.hpp"
#include "kitrx/regimens/pharmacokinetics.hpp"

namespace kitrx {

enum class RegimenKind { kSingle, kCombination, kAlternation, kSequence };
[[nodiscard]] std::string to_string(RegimenKind k);  // "single", "combination", "alternation", "sequence"

struct ScheduleStep {
    std::vector<std::string> drugs;  // panel drug ids given together during the step
    int days = 7;                    // > 0
};

// A genotype a regimen is approved or standard for: "KIT" (any KIT variant), "KIT exon 9",
// "PDGFRA D842V" (short protein change). Matches a sample with such a detected variant.
struct GenotypeSelector {
    std::string text;  // as written
    std::string gene;
    int exon = 0;         // 0 = any exon
    std::string protein;  // canonical short change; "" = any change
    [[nodiscard]] bool matches(const SampleClones& sample) const;
};
// Parses the selector grammar above; nullopt when malformed.
[[nodiscard]] std::optional<GenotypeSelector> parse_genotype(std::string_view text);

// "Standard of care for this genotype at this line of therapy", cited (regimen YAML
// `standard_of_care:`). line 1 = first line; 0 = not line-specific.
struct StandardOfCare {
    GenotypeSelector genotype;
    int line = 0;
    std::vector<std::string> citations;
    std::string note;
    [[nodiscard]] std::string label() const;  // "KIT exon 9, line 1"
};

struct Regimen {
    std::string id;    // unique: "sunitinib", "sunitinib_regorafenib_alternation"
    std::string name;  // display name
    RegimenKind kind = RegimenKind::kSingle;
    std::vector<std::string> drugs;      // distinct panel drug ids in first-use order
    std::vector<ScheduleStep> steps;     // see the header comment; never empty after loading
    std::vector<std::string> citations;  // evidence keys ("SR-ALT", "S19") or free references
    std::string notes;
    bool hypothetical = false;  // no clinical dosing/safety data (untested combinations)
    bool approved = false;      // standard of care in GIST (approved agents, standard sequence)
    bool generated = false;     // single agent added from the panel, not listed in the YAML
    SourceLocation where;       // where the entry starts in the YAML (0 line when generated)
    std::map<std::string, std::string> doses;      // drug id -> dose ("800 mg/day"); panel at_dose
    std::vector<GenotypeSelector> approved_for;    // approval limited to these genotypes (empty: any)
    std::vector<StandardOfCare> standard_of_care;  // genotypes and lines it is standard for

    // Schedule model pk (apply_schedule_model): the period as slices of active drugs, from the
    // exposure curves; empty = calendar model (a drug acts exactly on its days). Only timed
    // regimens (alternation, sequence) get slices: continuous dosing keeps every drug active.
    std::vector<ExposureSlice> exposure;
    std::string schedule_note;  // why the calendar model was kept, when pk was asked for

    // The dose of `drug` in this regimen ("" = usual dose).
    [[nodiscard]] std::string dose_of(const std::string& drug) const;

    // Days of one period: the cycle (alternation) or the whole sequence; 7 for single/combination.
    [[nodiscard]] int period_days() const;
    // "sunitinib+regorafenib" (combination), "sunitinib 3d / regorafenib 4d" (alternation),
    // "imatinib -> sunitinib" (sequence), "sunitinib" (single).
    [[nodiscard]] std::string drugs_label() const;
};

struct RegimenSet {
    std::string name;  // from the YAML header
    std::string version;
    ScheduleModel schedule_model = ScheduleModel::kCalendar;  // set by apply_schedule_model()
    HalfLife half_life = HalfLife::kPoint;
    std::string source;                // path, or "<builtin>:regimens/default.yaml"
    std::vector<Regimen> regimens;     // YAML order, then generated single agents in panel order
    std::vector<std::string> skipped;  // default set only: ids dropped for drugs not in the panel

    [[nodiscard]] const Regimen* find(std::string_view id) const;
};

// Every problem of a regimen file, one per line ("file:line:col: what; hint").
class RegimenError : public ProblemListError {
public:
    using ProblemListError::ProblemListError;
};

// YAML schema (strict; unknown keys, missing keys, wrong types and unknown drug ids are errors):
//   name: str            version: str          (optional: description)
//   regimens:
//     - id: str          name: str             kind: single|combination|alternation|sequence
//       drugs: [ids]                       (single: one; combination: >= 2)
//       schedule: [{drug: id | drugs: [ids], days: int}, ...]   (alternation, sequence: >= 2)
//       citations: [keys]  notes: str      hypothetical: bool (default: true for combination)
//       approved: bool (default false; approved and hypothetical together is an error)
// Drug ids may be panel ids or aliases (resolved to ids). Every panel drug without a single-agent
// entry gets a generated one. Throws IoError when unreadable, RegimenError listing every problem.
[[nodiscard]] RegimenSet load_regimens(const std::string& path, const ActivityPanel& panel);
[[nodiscard]] RegimenSet load_regimens(std::istream& in,
                                       const std::string& source_name,
                                       const ActivityPanel& panel);
// resources/regimens/default.yaml (compiled in). Regimens using a drug the panel lacks are
// skipped (listed in RegimenSet::skipped) instead of rejected, so a user panel can be narrower.
[[nodiscard]] RegimenSet default_regimens(const ActivityPanel& panel);

// ---------------------------------------------------------------------------------------------
// Coverage

enum class CoverageStatus { kCovered, kPartialTime, kPartial, kEscapingUnknown, kEscapingResistant };
[[nodiscard]] std::string to_string(CoverageStatus s);
// "covered", "partial_time", "partial", "escaping_unknown", "escaping_resistant"
[[nodiscard]] bool is_escaping(CoverageStatus s);

struct CloneCoverage {
    std::size_t clone = 0;  // index into SampleClones::clones (detected clones only)
    CoverageStatus status = CoverageStatus::kEscapingUnknown;
    double time_sensitive = 0.0;     // fraction of the period under a sensitive drug
    double time_intermediate = 0.0;  // ... best call intermediate
    double time_unknown = 0.0;       // ... best call unknown
    double time_resistant = 0.0;     // ... resistant to every drug given
    // Part of time_sensitive under a call backed by clinical evidence (trial, label/guideline) and
    // not marked low confidence.
    double time_sensitive_clinical = 0.0;
    // Schedule model pk: part of the period when no drug of the regimen is above its exposure
    // threshold (no drug pressure; not a resistant call). 0 under the calendar model.
    double time_untreated = 0.0;
    std::vector<Activity> per_step;             // most favourable call in each step
    std::vector<EvidenceGrade> per_step_grade;  // grade of that call (strongest among tied drugs)
    // Weakest grade among the steps that cover the clone (sensitive or intermediate); kNone when
    // nothing covers it.
    EvidenceGrade grade = EvidenceGrade::kNone;
    bool low_confidence = false;  // a covering call is marked low confidence
    bool conflicting = false;     // a covering call has evidence pointing the other way
    // Some step covers the clone (sensitive or intermediate) by a call backed by clinical
    // evidence and not marked low confidence.
    bool active_clinical = false;
};

// Ranking tiers (rank_regimens): what the coverage rests on.
enum class RegimenTier {
    kClinical,         // approved for the genotype, not hypothetical, clinical evidence covers burden
    kInvestigational,  // not hypothetical, coverage rests on knowledge-base or stronger evidence
    kHypothesis,       // preclinical/class-only coverage, or a hypothetical regimen
    kNoKnownActivity,  // no sensitive or intermediate call on any target clone
};
[[nodiscard]] std::string to_string(RegimenTier t);  // "clinical", "investigational", "hypothesis", ...

// How the regimen relates to the drugs the patient has failed (--prior).
enum class PriorStatus { kNone, kIncludesFailed, kAllFailed };
[[nodiscard]] std::string to_string(PriorStatus p);  // "", "includes_failed", "failed"

// Treatment history of the sample's patient: drugs (panel ids) the tumour progressed on.
struct TreatmentHistory {
    std::vector<std::string> failed;
    [[nodiscard]] bool known() const { return !failed.empty(); }
};

// Columns of regimens.tsv: sample, regimen (id), drugs (drugs_label), covered_clones,
// partial_clones (partial + partial_time), escaping_clones (escaping_resistant), unknown_clones
// (escaping_unknown), covered_burden, rank. Clone lists use Clone::variant_names().
struct RegimenCoverage {
    std::string sample;
    const Regimen* regimen = nullptr;   // points into the RegimenSet; keep it alive
    std::vector<CloneCoverage> clones;  // detected clones, SampleClones order
    // Burdens over the detected secondary clones, weighted by clone fraction and by time:
    //   covered_burden = sum_c f_c * time_sensitive_c / sum_c f_c   (likewise the other three);
    // the five (with untreated_burden) sum to 1. NaN when there is no detected secondary clone or a fraction
    // is NaN.
    double covered_burden = kUnknownFraction;
    double partial_burden = kUnknownFraction;    // time under intermediate
    double unknown_burden = kUnknownFraction;    // time under unknown only
    double resistant_burden = kUnknownFraction;  // time under resistant only
    double untreated_burden = kUnknownFraction;  // pk model: time with no drug above threshold
    double escaping_burden = kUnknownFraction;   // unknown + resistant + untreated
    int n_covered = 0;                           // detected clones (primary included) by status
    int n_partial_time = 0;
    int n_partial = 0;
    int n_escaping_unknown = 0;
    int n_escaping_resistant = 0;
    int largest_escaping = -1;  // clone index of the escaping clone with the largest fraction
    int rank = 0;               // 1-based within the sample, after rank_regimens(); ties share it
    // Burden covered (time-weighted) by calls backed by clinical evidence (CloneCoverage::
    // time_sensitive_clinical); NaN as covered_burden.
    double covered_burden_clinical = kUnknownFraction;
    // "secondary": burdens over the detected secondary clones; "primary": no secondary clone was
    // detected, so over the detected primary clones; "" when neither.
    std::string burden_basis;
    // Weakest grade among the target clones it covers (kNone when it covers none).
    EvidenceGrade grade = EvidenceGrade::kNone;
    RegimenTier tier = RegimenTier::kNoKnownActivity;
    bool approved_for_sample = false;             // approved and (no approved_for, or the sample matches one)
    std::vector<const StandardOfCare*> standard;  // entries the sample's genotype matches
    int standard_line_rank = 1000;  // ranking criterion from `standard` and the history (lower first)
    PriorStatus prior = PriorStatus::kNone;
    // Schedule model pk: this regimen's rank with every half-life at the low / high end of its
    // published range (0 when not computed); equal to `rank` when the conclusion is robust.
    int rank_half_life_low = 0;
    int rank_half_life_high = 0;
    int n_low_confidence = 0;  // target clones covered only through a low-confidence call
    int n_conflicting = 0;     // target clones covered through a disputed call

    // Clone::short_name() of the detected clones with these statuses, comma-separated, in
    // SampleClones order; "" when none.
    [[nodiscard]] std::string clone_list(const SampleClones& sample_clones,
                                         std::initializer_list<CoverageStatus> statuses) const;
};

// Coverage of every detected clone of `sample` by `regimen`. Throws std::invalid_argument
// when a drug of the regimen is not in the panel, or the clones' activity vectors do not have
// one call per panel drug (clones built against another panel).
[[nodiscard]] RegimenCoverage evaluate_regimen(const SampleClones& sample,
                                               const Regimen& regimen,
                                               const ActivityPanel& panel);

// Ranking rule (rank 1 = best-supported), comparing in order:
//   1. tier: clinical, then investigational, then hypothesis, then no known activity
//        clinical         approved for the sample's genotype, not hypothetical, and some target
//                         clone covered (sensitive or intermediate) at some time by a call backed by
//                         clinical evidence (trial, label/guideline) that is not low confidence
//        investigational  not hypothetical; some target clone covered (S or I) by a call backed
//                         by knowledge-base or stronger evidence
//        hypothesis       anything else that covers a target clone: preclinical or class-only
//                         evidence, or a hypothetical regimen
//        no known activity  no sensitive or intermediate call on any target clone
//   2. treatment history: untried regimens, then those including a failed drug, then those made
//      only of failed drugs (TreatmentHistory)
//   3. regimens approved for the sample's genotype before the others (approved_for_sample); not
//      in the no-known-activity tier, where an approved drug must not rank above unknown ones
//   4. higher covered_burden_clinical
//   5. higher covered_burden (any grade)
//   6. higher partial_burden (a known intermediate call counts better than an unknown one)
//   7. lower resistant_burden + untreated_burden
//   8. standard of care for the sample's genotype, at the next line of therapy first
//      (standard_line_rank)
//   9. fewer drugs
// Regimens equal on every criterion share a rank (1, 2, 2, 4) and keep the regimen file's order:
// no tie is broken by name. A low-confidence call never counts as clinical. Sorts `coverages`
// (stable) and fills rank.
void rank_regimens(std::vector<RegimenCoverage>& coverages);

// evaluate_regimen for every regimen of `set`, the history's prior status and standard-of-care
// matches, then rank_regimens.
[[nodiscard]] std::vector<RegimenCoverage> evaluate_regimens(const SampleClones& sample,
                                                             const RegimenSet& set,
                                                             const ActivityPanel& panel,
                                                             const TreatmentHistory& history = {});

// The next line of therapy implied by the history: 1 + the highest standard line (for this
// sample's genotype) of a single-agent regimen of a failed drug; 0 when the history is empty.
[[nodiscard]] int next_line(const SampleClones& sample,
                            const RegimenSet& set,
                            const TreatmentHistory& history);

// ---------------------------------------------------------------------------------------------
// Minimal drug sets: exact search over subsets of the candidate drugs by increasing size.

struct DrugSetResult {
    std::string sample;
    bool covers_all = false;         // some set makes every detected clone sensitive
    std::size_t target_clones = 0;   // detected clones to cover (primary included)
    std::size_t covered_clones = 0;  // clones covered by each reported set
    // Smallest sets reaching the maximum number of covered clones (all of them when covers_all),
    // each sorted by panel drug order; sets in lexicographic order of panel indices.
    std::vector<std::vector<std::string>> sets;
    std::vector<std::size_t> uncovered;  // clone indices no candidate drug covers (when !covers_all)
};

// A clone counts as covered by a set when at least one drug of the set is sensitive for it.
// `candidate_drugs` empty = every panel drug. Throws std::invalid_argument for an unknown drug
// id, or more than 24 candidates or 64 detected clones (limits of the exact search).
[[nodiscard]] DrugSetResult minimal_drug_sets(const SampleClones& sample,
                                              const ActivityPanel& panel,
                                              const std::vector<std::string>& candidate_drugs = {});

// ---------------------------------------------------------------------------------------------
// Projection: a hypothesis-generating clone-growth model, not a prediction.

inline constexpr const char* kModelLabel = "hypothesis-generating model, not a prediction";

// Daily exponential model: a population changes by exp(rate) each day, rate chosen by the most
// favourable call among the drugs given that day (see resources/models/growth.yaml).
struct GrowthModel {
    std::string name;  // from the YAML
    std::string version;
    double rate_untreated = 0.0;     // per day, call resistant (no active drug)
    double rate_unknown = 0.0;       // per day, call unknown
    double rate_intermediate = 0.0;  // per day, call intermediate
    double rate_sensitive = 0.0;     // per day, call sensitive (negative: decline)
    std::string rationale;           // text shown in reports
    std::vector<std::string> citations;
    std::string label = kModelLabel;
    std::string source;  // path or "<builtin>:models/growth.yaml"
};

// Strict loading as for regimens (file:line:col, unknown keys listed). Throws IoError/InputError.
[[nodiscard]] GrowthModel load_growth_model(const std::string& path);
[[nodiscard]] GrowthModel load_growth_model(std::istream& in, const std::string& source_name);
[[nodiscard]] GrowthModel default_growth_model();  // resources/models/growth.yaml

// Populations: the truncal clone's cells without a detected secondary ("primary only", size
// max(0, 1 - sum of secondary fractions)) and each detected secondary clone (size = its fraction;
// secondaries assumed disjoint), all in units of baseline tumour cells. Other primaries are not
// separate populations. Without a detected primary the secondaries start at their shares of the
// detected VAF and the truncal population is absent.
struct ProjectionWeek {
    int week = 0;               // 0 = baseline
    std::vector<double> size;   // per population, baseline tumour = 1
    std::vector<double> share;  // size / total
    double total = 0.0;         // tumour burden relative to baseline
};

struct Projection {
    std::string sample;
    const Regimen* regimen = nullptr;
    std::vector<std::string> populations;  // clone ids; the truncal one means "primary only"
    std::vector<std::size_t> clone_index;  // index into SampleClones::clones per population
    std::vector<ProjectionWeek> weeks;     // 0..n_weeks
    std::string label = kModelLabel;
};

// Simulates `weeks` weeks (>= 0) day by day: day d (0-based) uses step of the regimen active
// at that day (cycle position for alternations; for sequences the step whose span contains d, the
// last step continuing). Throws std::invalid_argument as evaluate_regimen, or when weeks < 0.
[[nodiscard]] Projection simulate(const SampleClones& sample,
                                  const Regimen& regimen,
                                  const ActivityPanel& panel,
                                  const GrowthModel& model,
                                  int weeks);

// ---------------------------------------------------------------------------------------------
// One sample's treatment options in one call (what a report shows): the ranking with its
// half-life robustness, the smallest drug sets and the projections, so that a caller goes from
// clones to regimens once instead of back and forth.

// The regimen set re-modelled at the low and high ends of the published half-life ranges.
struct HalfLifeSensitivity {
    RegimenSet low;
    RegimenSet high;
};
// Copies of `set` under apply_schedule_model(kPk, pk, kLow / kHigh); nullopt unless `set` uses
// the pk schedule model and `pk` is given. Make it once per regimen set, not per sample.
[[nodiscard]] std::optional<HalfLifeSensitivity> half_life_sensitivity(const RegimenSet& set,
                                                                       const PkModel* pk);

struct AssessmentOptions {
    const HalfLifeSensitivity* half_lives = nullptr;  // fills RegimenCoverage::rank_half_life_low/high
    const GrowthModel* growth_model = nullptr;        // projections when set
    int simulate_weeks = 0;                           // >= 0
    std::vector<std::string> simulate_regimens;       // ids to project (unknown ids skipped) ...
    int simulate_top = 3;                             // ... else this many of the best ranked
};

struct RegimenAssessment {
    int next_line = 0;                      // next_line()
    std::vector<RegimenCoverage> regimens;  // evaluate_regimens(): ranked
    DrugSetResult drug_sets;                // minimal_drug_sets() over every panel drug
    std::string drug_sets_skipped;          // why the exact search was not run (its limits); "" when it was
    std::vector<Projection> projections;    // the chosen regimens, in that order
};

// next_line, evaluate_regimens (+ the half-life ranks), minimal_drug_sets and simulate for one
// sample. Throws std::invalid_argument as those do, except that the drug-set search's limits
// are reported in drug_sets_skipped (drug_sets then names only the sample).
[[nodiscard]] RegimenAssessment assess_regimens(const SampleClones& sample,
                                                const RegimenSet& set,
                                                const ActivityPanel& panel,
                                                const TreatmentHistory& history = {},
                                                const AssessmentOptions& options = {});

}  // namespace kitrx
