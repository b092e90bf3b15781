// SPDX-License-Identifier: MIT
// drug_sets: the smallest sets of drugs that make every detected clone sensitive, by exact search
// over subsets (bit masks of clones per drug), so the answer is the true minimum, not a greedy one.
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "drug_calls.hpp"
#include "kitrx/regimens/regimens.hpp"

namespace kitrx {

using namespace regimen_detail;

DrugSetResult minimal_drug_sets(const SampleClones& sample,
                                const ActivityPanel& panel,
                                const std::vector<std::string>& candidate_drugs) {
    std::vector<std::size_t> candidates;
    if (candidate_drugs.empty()) {
        for (std::size_t i = 0; i < panel.drugs().size(); ++i) candidates.push_back(i);
    } else {
        for (const auto& d : candidate_drugs) {
            auto i = drug_index(panel, d);
            if (!i)
                throw std::invalid_argument("unknown drug '" + d +
                                            "'; panel drugs: " + panel_drug_list(panel));
            if (std::find(candidates.begin(), candidates.end(), *i) == candidates.end())
                candidates.push_back(*i);
        }
        std::sort(candidates.begin(), candidates.end());
    }
    if (candidates.size() > 24)
        throw std::invalid_argument("exact drug-set search is limited to 24 candidate drugs; got " +
                                    std::to_string(candidates.size()));
    DrugSetResult out;
    out.sample = sample.sample;
    std::vector<std::size_t> targets;
    for (std::size_t i = 0; i < sample.clones.size(); ++i)
        if (sample.clones[i].detected()) targets.push_back(i);
    if (targets.size() > 64)
        throw std::invalid_argument("exact drug-set search is limited to 64 detected clones; got " +
                                    std::to_string(targets.size()));
    out.target_clones = targets.size();
    std::vector<std::uint64_t> mask(candidates.size(), 0);
    for (std::size_t t = 0; t < targets.size(); ++t) {
        const Clone& c = sample.clones[targets[t]];
        check_activity(c, panel);
        for (std::size_t k = 0; k < candidates.size(); ++k)
            if (c.activity[candidates[k]] == Activity::kSensitive) mask[k] |= std::uint64_t{1} << t;
    }
    std::uint64_t reachable = 0;
    for (auto m : mask) reachable |= m;
    const std::uint64_t all =
        targets.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << targets.size()) - 1;
    out.covers_all = reachable == all;
    for (std::size_t t = 0; t < targets.size(); ++t)
        if (!(reachable >> t & 1U)) out.uncovered.push_back(targets[t]);
    out.covered_clones = static_cast<std::size_t>(__builtin_popcountll(reachable));
    if (reachable == 0) return out;

    // Combinations of size k in lexicographic order; the first k reaching `reachable` is minimal.
    const std::size_t n = candidates.size();
    for (std::size_t k = 1; k <= n && out.sets.empty(); ++k) {
        std::vector<std::size_t> pick(k);
        for (std::size_t i = 0; i < k; ++i) pick[i] = i;
        while (true) {
            std::uint64_t covered = 0;
            for (auto i : pick) covered |= mask[i];
            if (covered == reachable) {
                std::vector<std::string> ids;
                for (auto i : pick) ids.push_back(panel.drugs()[candidates[i]].id);
                out.sets.push_back(std::move(ids));
            }
            std::size_t i = k;
            while (i > 0 && pick[i - 1] == n - k + i - 1) --i;
            if (i == 0) break;
            ++pick[i - 1];
            for (std::size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
        }
    }
    return out;
}

}  // namespace kitrx
