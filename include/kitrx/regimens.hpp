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
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/clones.hpp"
#include "kitrx/errors.hpp"
#include "kitrx/panel.hpp"

namespace kitrx {

enum class RegimenKind { kSingle, kCombination, kAlternation, kSequence };
[[nodiscard]] std::string to_string(RegimenKind k);  // "single", "combination", "alternation", "sequence"

struct ScheduleStep {
    std::vector<std::string> drugs;  // panel drug ids given together during the step
    int days = 7;                    // > 0
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

    // Days of one period: the cycle (alternation) or the whole sequence; 7 for single/combination.
    [[nodiscard]] int period_days() const;
    // "sunitinib+regorafenib" (combination), "sunitinib 3d / regorafenib 4d" (alternation),
    // "imatinib -> sunitinib" (sequence), "sunitinib" (single).
    [[nodiscard]] std::string drugs_label() const;
};

struct RegimenSet {
    std::string name;  // from the YAML header
    std::string version;
    std::string source;                // path, or "<builtin>:regimens/default.yaml"
    std::vector<Regimen> regimens;     // YAML order, then generated single agents in panel order
    std::vector<std::string> skipped;  // default set only: ids dropped for drugs not in the panel

    [[nodiscard]] const Regimen* find(std::string_view id) const;
};

// Every problem of a regimen file, one per line ("file:line:col: what; hint").
class RegimenError : public InputError {
public:
    RegimenError(const std::string& file, std::vector<std::string> problems);
    [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
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
    std::vector<Activity> per_step;  // most favourable call in each step
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
    // the four sum to 1. NaN when there is no detected secondary clone or a fraction is NaN.
    double covered_burden = kUnknownFraction;
    double partial_burden = kUnknownFraction;    // time under intermediate
    double unknown_burden = kUnknownFraction;    // time under unknown only
    double resistant_burden = kUnknownFraction;  // time under resistant only
    double escaping_burden = kUnknownFraction;   // unknown_burden + resistant_burden
    int n_covered = 0;                           // detected clones (primary included) by status
    int n_partial_time = 0;
    int n_partial = 0;
    int n_escaping_unknown = 0;
    int n_escaping_resistant = 0;
    int largest_escaping = -1;  // clone index of the escaping clone with the largest fraction
    int rank = 0;               // 1-based within the sample, after rank_regimens()

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

// Ranking rule (deterministic; rank 1 = best), comparing in order:
//   1. fewer detected clones escaping with a resistant call (escaping_resistant)
//   2. lower escaping_burden (resistant + unknown time; NaN counts as 0: no secondary burden)
//   3. fewer clones escaping with an unknown call (escaping_unknown)
//   4. higher covered_burden (NaN counts as 0)
//   5. more detected clones covered all the time (covered)
//   6. approved regimens, then other non-hypothetical ones, then hypothetical ones
//   7. fewer drugs
//   8. regimen id (byte order)
// Sorts `coverages` and fills rank.
void rank_regimens(std::vector<RegimenCoverage>& coverages);

// evaluate_regimen for every regimen of `set`, then rank_regimens.
[[nodiscard]] std::vector<RegimenCoverage> evaluate_regimens(const SampleClones& sample,
                                                             const RegimenSet& set,
                                                             const ActivityPanel& panel);

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
// separate populations. Without a detected primary the shares are the starting sizes and the
// truncal population is absent.
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

}  // namespace kitrx
