// SPDX-License-Identifier: MIT
// drug_calls (regimens, private): see drug_calls.hpp.
#include "drug_calls.hpp"

#include <stdexcept>

#include "kitrx/common/text.hpp"

namespace kitrx::regimen_detail {

std::optional<std::size_t> drug_index(const ActivityPanel& panel, std::string_view id_or_alias) {
    const auto& drugs = panel.drugs();
    for (std::size_t i = 0; i < drugs.size(); ++i)
        if (drugs[i].id == id_or_alias) return i;
    if (const Drug* d = panel.drug(id_or_alias)) return static_cast<std::size_t>(d - drugs.data());
    return std::nullopt;
}

std::string panel_drug_list(const ActivityPanel& panel) {
    std::vector<std::string> ids;
    for (const auto& d : panel.drugs()) ids.push_back(d.id);
    return ids.empty() ? std::string("(the panel has no drugs)") : join(ids, ", ");
}

std::vector<std::vector<std::size_t>> step_drug_indices(const Regimen& regimen, const ActivityPanel& panel) {
    std::vector<std::vector<std::size_t>> out;
    for (const auto& step : regimen.steps) {
        std::vector<std::size_t> idx;
        for (const auto& d : step.drugs) {
            auto i = drug_index(panel, d);
            if (!i)
                throw std::invalid_argument("regimen '" + regimen.id + "' uses drug '" + d +
                                            "' that is not in the activity panel");
            idx.push_back(*i);
        }
        out.push_back(std::move(idx));
    }
    if (out.empty()) throw std::invalid_argument("regimen '" + regimen.id + "' has no steps");
    return out;
}

void check_activity(const Clone& clone, const ActivityPanel& panel) {
    if (clone.activity.size() != panel.drugs().size())
        throw std::invalid_argument("clone '" + clone.id + "' has " + std::to_string(clone.activity.size()) +
                                    " drug calls but the panel has " + std::to_string(panel.drugs().size()) +
                                    " drugs (clones annotated with another panel?)");
}

CloneCall best_call(const Clone& clone,
                    const std::vector<std::size_t>& drugs,
                    const Regimen& regimen,
                    const ActivityPanel& panel) {
    CloneCall best;
    best.activity = Activity::kResistant;
    bool any = false;
    for (auto i : drugs) {
        CloneCall c = clone_drug_call(clone, i, regimen.dose_of(panel.drugs()[i].id));
        const bool better = !any || most_favourable(best.activity, c.activity) != best.activity;
        const bool tie_stronger = any && c.activity == best.activity &&
                                  (c.grade < best.grade || (c.grade == best.grade && !c.low_confidence));
        if (better || tie_stronger) best = std::move(c);
        any = true;
    }
    return best;
}

}  // namespace kitrx::regimen_detail
