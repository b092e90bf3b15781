// SPDX-License-Identifier: MIT
// Private helpers shared by the report writers (TSV/MultiQC, JSON, HTML).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "kitrx/report/report.hpp"

namespace kitrx::report_detail {

// The annotated variant a clone member was built from; nullptr for hotspots (no record) or when
// the index does not point at a variant of the same name.
inline const AnnotatedVariant* source_variant(const ReportSample& sample, const CloneVariant& member) {
    if (member.input_index >= sample.variants.size()) return nullptr;
    const AnnotatedVariant& v = sample.variants[member.input_index];
    if (v.variant.name.protein != member.protein || v.variant.name.gene != member.gene) return nullptr;
    return &v;
}

// The call of clone `clone` for panel drug `drug` (unknown when the activity vector is short).
inline Activity clone_call(const Clone& clone, std::size_t drug) {
    return drug < clone.activity.size() ? clone.activity[drug] : Activity::kUnknown;
}

// The panel call of one member for drug `drug`, with evidence; nullptr when it has no record.
inline const DrugActivity* member_call(const ReportSample& sample,
                                       const CloneVariant& member,
                                       std::size_t drug) {
    const AnnotatedVariant* v = source_variant(sample, member);
    if (!v || drug >= v->match.calls.size()) return nullptr;
    return &v->match.calls[drug];
}

inline std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
    return out;
}

// Row VAF as variants.tsv computes it: counts when present, else the caller's fraction.
inline double row_vaf(const Observation& o) {
    return o.has_counts() ? static_cast<double>(o.alt_reads) / static_cast<double>(o.depth) : o.vaf;
}

// The best (rank 1) regimen of a sample, nullptr when none was evaluated.
// Rank 1, or nullptr when nothing was evaluated or the sample has no detected clone to treat (a
// wild-type sample must not read "best-supported: imatinib").
inline const RegimenCoverage* best_regimen(const ReportSample& sample) {
    if (sample.regimens.empty() || sample.regimens.front().burden_basis.empty()) return nullptr;
    return &sample.regimens.front();
}

}  // namespace kitrx::report_detail
