// SPDX-License-Identifier: MIT
// Private helpers shared by the report writers (TSV/MultiQC, JSON, HTML), so that a value every
// writer shows (a row's VAF, a clone's call, the best regimen) is computed in one place.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "kitrx/common/stats.hpp"
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

inline std::string or_na(const std::string& s) {
    return s.empty() ? "NA" : s;
}

// Row VAF as variants.tsv computes it: counts when present, else the caller's fraction.
inline double row_vaf(const Observation& o) {
    return o.has_counts() ? read_fraction(o.alt_reads, o.depth) : o.vaf;
}

// The hotspot's status judged against the sample's --min-depth floor.
inline std::string hotspot_status(const ReportSample& sample, const HotspotStatus& hotspot) {
    HotspotStatus judged = hotspot;
    judged.min_depth = sample.min_depth;
    return hotspot_state(judged);
}

// The best (rank 1) regimen of a sample, nullptr when none was evaluated.
// Rank 1, or nullptr when nothing was evaluated or the sample has no detected clone to treat (a
// wild-type sample must not read "best-supported: imatinib").
inline const RegimenCoverage* best_regimen(const ReportSample& sample) {
    if (sample.regimens.empty() || sample.regimens.front().burden_basis.empty()) return nullptr;
    return &sample.regimens.front();
}

// One column of a table: its header name and how a row fills it, so that the header and the
// rows are written from one list and cannot drift apart.
template <class Row>
struct Column {
    std::string name;
    std::function<std::string(const Row&)> cell;
};

template <class C>
std::vector<std::string> column_names(const std::vector<C>& columns) {
    std::vector<std::string> names;
    for (const auto& c : columns) names.push_back(c.name);
    return names;
}

template <class C>
void write_header(std::ostream& out, const std::vector<C>& columns) {
    out << join(column_names(columns), "\t") << '\n';
}

// One row: `cell` picks the getter for tables whose columns fill more than one kind of row.
template <class C, class Row, class Cell>
void write_cells(std::ostream& out, const std::vector<C>& columns, const Row& row, Cell C::*cell) {
    for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "\t" : "") << (columns[i].*cell)(row);
    out << '\n';
}

template <class Row>
void write_row(std::ostream& out, const std::vector<Column<Row>>& columns, const Row& row) {
    write_cells(out, columns, row, &Column<Row>::cell);
}

}  // namespace kitrx::report_detail
