// SPDX-License-Identifier: MIT
// assessment: one sample's treatment options in one call, in the order a report needs them
// (ranking, its robustness to the half-lives, drug sets, projections), so that callers do not
// interleave the module's steps themselves.
#include <map>
#include <stdexcept>

#include "kitrx/regimens/regimens.hpp"

namespace kitrx {

std::optional<HalfLifeSensitivity> half_life_sensitivity(const RegimenSet& set, const PkModel* pk) {
    if (set.schedule_model != ScheduleModel::kPk || !pk) return std::nullopt;
    HalfLifeSensitivity out{set, set};
    apply_schedule_model(out.low, ScheduleModel::kPk, pk, HalfLife::kLow);
    apply_schedule_model(out.high, ScheduleModel::kPk, pk, HalfLife::kHigh);
    return out;
}

RegimenAssessment assess_regimens(const SampleClones& sample,
                                  const RegimenSet& set,
                                  const ActivityPanel& panel,
                                  const TreatmentHistory& history,
                                  const AssessmentOptions& options) {
    RegimenAssessment out;
    out.next_line = next_line(sample, set, history);
    out.regimens = evaluate_regimens(sample, set, panel, history);
    if (options.half_lives) {
        // Does the ranking hold across the published half-life ranges?
        auto rank_in = [&](const RegimenSet& variant) {
            std::map<std::string, int> ranks;
            for (const auto& r : evaluate_regimens(sample, variant, panel, history))
                ranks[r.regimen->id] = r.rank;
            return ranks;
        };
        const auto lo = rank_in(options.half_lives->low), hi = rank_in(options.half_lives->high);
        for (auto& r : out.regimens) {
            r.rank_half_life_low = lo.count(r.regimen->id) ? lo.at(r.regimen->id) : 0;
            r.rank_half_life_high = hi.count(r.regimen->id) ? hi.at(r.regimen->id) : 0;
        }
    }
    try {
        out.drug_sets = minimal_drug_sets(sample, panel);
    } catch (const std::invalid_argument& e) {
        out.drug_sets = DrugSetResult{};
        out.drug_sets.sample = sample.sample;
        out.drug_sets_skipped = e.what();
    }
    if (options.growth_model) {
        std::vector<const Regimen*> chosen;
        if (!options.simulate_regimens.empty()) {
            for (const auto& id : options.simulate_regimens) chosen.push_back(set.find(id));
        } else {
            for (const auto& r : out.regimens) {
                if (static_cast<int>(chosen.size()) >= options.simulate_top) break;
                chosen.push_back(r.regimen);
            }
        }
        for (const Regimen* r : chosen)
            if (r)
                out.projections.push_back(
                    simulate(sample, *r, panel, *options.growth_model, options.simulate_weeks));
    }
    return out;
}

}  // namespace kitrx
