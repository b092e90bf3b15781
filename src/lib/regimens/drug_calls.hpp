// SPDX-License-Identifier: MIT
// drug_calls (regimens, private): how a regimen's drug ids meet the panel and a clone's calls,
// shared by the loaders (id resolution), coverage, the drug-set search and the projection, so
// that all of them resolve a drug and pick a step's call the same way.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/clones/clones.hpp"
#include "kitrx/panel/panel.hpp"
#include "kitrx/regimens/regimens.hpp"

namespace kitrx::regimen_detail {

// Panel drug index of an id or alias: exact id first, then ActivityPanel::drug (case-insensitive
// id or alias, panel order).
[[nodiscard]] std::optional<std::size_t> drug_index(const ActivityPanel& panel, std::string_view id_or_alias);
// "imatinib, sunitinib, ..." for messages; "(the panel has no drugs)" when empty.
[[nodiscard]] std::string panel_drug_list(const ActivityPanel& panel);
// Panel indices of each step's drugs. Throws std::invalid_argument for a drug the panel lacks or
// a regimen without steps.
[[nodiscard]] std::vector<std::vector<std::size_t>> step_drug_indices(const Regimen& regimen,
                                                                      const ActivityPanel& panel);
// Throws std::invalid_argument unless the clone has one call per panel drug.
void check_activity(const Clone& clone, const ActivityPanel& panel);
// The most favourable call among the drugs of one step; among drugs tied on the call, the one
// with the strongest evidence decides the grade and the confidence marks.
[[nodiscard]] CloneCall best_call(const Clone& clone,
                                  const std::vector<std::size_t>& drugs,
                                  const Regimen& regimen,
                                  const ActivityPanel& panel);

[[nodiscard]] inline double nan_as_zero(double v) {
    return std::isnan(v) ? 0.0 : v;
}

}  // namespace kitrx::regimen_detail
