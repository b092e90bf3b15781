// SPDX-License-Identifier: MIT
// ranking: the documented order of regimens for one sample (regimens.hpp, rank_regimens) and
// what the treatment history adds to it (prior status, the next standard line).
#include <algorithm>

#include "drug_calls.hpp"
#include "kitrx/regimens/regimens.hpp"

namespace kitrx {

using regimen_detail::nan_as_zero;

namespace {

// The ranking rule of regimens.hpp: true when `a` ranks before `b`.
bool ranks_before(const RegimenCoverage& a, const RegimenCoverage& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.prior != b.prior) return a.prior < b.prior;  // untried, then partly, then all failed
    // Among regimens with no known activity approval means nothing: known resistance must not
    // rank above unknown because the drug is approved.
    if (a.tier != RegimenTier::kNoKnownActivity && a.approved_for_sample != b.approved_for_sample)
        return a.approved_for_sample;
    const double ka = nan_as_zero(a.covered_burden_clinical), kb = nan_as_zero(b.covered_burden_clinical);
    if (ka != kb) return ka > kb;
    const double ca = nan_as_zero(a.covered_burden), cb = nan_as_zero(b.covered_burden);
    if (ca != cb) return ca > cb;
    const double pa = nan_as_zero(a.partial_burden), pb = nan_as_zero(b.partial_burden);
    if (pa != pb) return pa > pb;
    const double ra = nan_as_zero(a.resistant_burden) + nan_as_zero(a.untreated_burden),
                 rb = nan_as_zero(b.resistant_burden) + nan_as_zero(b.untreated_burden);
    if (ra != rb) return ra < rb;
    if (a.standard_line_rank != b.standard_line_rank) return a.standard_line_rank < b.standard_line_rank;
    return a.regimen->drugs.size() < b.regimen->drugs.size();
}

}  // namespace

void rank_regimens(std::vector<RegimenCoverage>& coverages) {
    std::stable_sort(coverages.begin(), coverages.end(), ranks_before);
    // Equal on every criterion (neither ranks before the other): the same rank.
    for (std::size_t i = 0; i < coverages.size(); ++i)
        coverages[i].rank = i > 0 && !ranks_before(coverages[i - 1], coverages[i]) ? coverages[i - 1].rank
                                                                                   : static_cast<int>(i) + 1;
}

int next_line(const SampleClones& sample, const RegimenSet& set, const TreatmentHistory& history) {
    if (!history.known()) return 0;
    int highest = 0;
    for (const auto& r : set.regimens) {
        if (r.kind != RegimenKind::kSingle || r.drugs.size() != 1) continue;
        if (std::find(history.failed.begin(), history.failed.end(), r.drugs.front()) == history.failed.end())
            continue;
        for (const auto& soc : r.standard_of_care)
            if (soc.genotype.matches(sample)) highest = std::max(highest, soc.line);
    }
    return highest + 1;
}

std::vector<RegimenCoverage> evaluate_regimens(const SampleClones& sample,
                                               const RegimenSet& set,
                                               const ActivityPanel& panel,
                                               const TreatmentHistory& history) {
    const int next = next_line(sample, set, history);
    std::vector<RegimenCoverage> out;
    out.reserve(set.regimens.size());
    for (const auto& r : set.regimens) {
        RegimenCoverage c = evaluate_regimen(sample, r, panel);
        int failed = 0;
        for (const auto& d : r.drugs)
            failed += std::find(history.failed.begin(), history.failed.end(), d) != history.failed.end();
        c.prior = failed == 0                                  ? PriorStatus::kNone
                  : failed == static_cast<int>(r.drugs.size()) ? PriorStatus::kAllFailed
                                                               : PriorStatus::kIncludesFailed;
        // Standard of care: at the next line first (or the earliest line without a history), then
        // later lines, then lines already passed; regimens that are no standard for the genotype last.
        for (const StandardOfCare* soc : c.standard) {
            const int line = soc->line > 0 ? soc->line : 1;
            const int from = next > 0 ? next : 1;
            const int key = line >= from ? line - from : 100 + (from - line);
            c.standard_line_rank = std::min(c.standard_line_rank, key);
        }
        out.push_back(std::move(c));
    }
    rank_regimens(out);
    return out;
}

}  // namespace kitrx
