// SPDX-License-Identifier: MIT
// report TSVs: clones.tsv, coverage.tsv, regimens.tsv and variants.tsv of `kitrx report`. Each
// table's columns are listed once with how a row fills them (header and rows come from the same
// list); column meanings: report.hpp and docs/report.md.
#include "kitrx/genome/genome.hpp"
#include "kitrx/report/report.hpp"
#include "report/report_util.hpp"

namespace kitrx {

namespace {

using report_detail::Column;
using report_detail::join;
using report_detail::or_na;

std::string positive_or_na(int value) {
    return value > 0 ? std::to_string(value) : "NA";
}

// ---------------------------------------------------------------------------------------------
// clones.tsv: one row per clone, every sample.

struct CloneRow {
    const ReportSample& s;
    const Clone& c;
};
using CloneColumn = Column<CloneRow>;

CloneColumn fraction_column(std::string name, double Clone::*field) {
    return {std::move(name), [field](const CloneRow& r) { return format_fraction(r.c.*field); }};
}

// drug:grade for every known call, or drug:low_confidence / drug:disputed marks.
std::string call_grades(const CloneRow& r, const ActivityPanel& panel) {
    std::vector<std::string> grades;
    for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
        const CloneCall call = clone_drug_call(r.c, d);
        if (call.activity != Activity::kUnknown && call.grade != EvidenceGrade::kNone)
            grades.push_back(panel.drugs()[d].id + ":" + to_string(call.grade));
    }
    return or_na(join(grades, ";"));
}

std::string call_marks(const CloneRow& r, const ActivityPanel& panel) {
    std::vector<std::string> marks;
    for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
        const CloneCall call = clone_drug_call(r.c, d);
        const std::string& id = panel.drugs()[d].id;
        if (call.low_confidence) marks.push_back(id + ":low_confidence");
        if (call.conflicting) marks.push_back(id + ":disputed");
    }
    return or_na(join(marks, ";"));
}

std::vector<CloneColumn> clone_table(const ActivityPanel& panel) {
    using R = const CloneRow&;
    std::vector<CloneColumn> cols{
        {"sample", [](R r) { return r.s.name; }},
        {"clone", [](R r) { return r.c.id; }},
        {"role", [](R r) { return to_string(r.c.role); }},
        {"variants", [](R r) { return or_na(r.c.variant_names()); }},
        fraction_column("vaf", &Clone::vaf),
        fraction_column("clone_fraction", &Clone::fraction),
        {"ci_low", [](R r) { return format_fraction(r.c.fraction_ci.low); }},
        {"ci_high", [](R r) { return format_fraction(r.c.fraction_ci.high); }},
        {"status", [](R r) { return to_string(r.c.status); }},
        {"alt_reads", [](R r) { return format_count(r.c.alt_reads); }},
        {"depth", [](R r) { return format_count(r.c.depth); }},
        {"vaf_ci_low", [](R r) { return format_fraction(r.c.vaf_ci.low); }},
        {"vaf_ci_high", [](R r) { return format_fraction(r.c.vaf_ci.high); }},
        fraction_column("lod_vaf", &Clone::lod_vaf),
        fraction_column("lod_fraction", &Clone::lod_fraction),
        {"tumour_fraction", [](R r) { return format_fraction(r.s.clones.tumour_fraction); }},
        {"flags", [](R r) { return or_na(join(r.c.flags, ",")); }},
    };
    for (std::size_t d = 0; d < panel.drugs().size(); ++d)
        cols.push_back({"activity_" + panel.drugs()[d].id,
                        [d](R r) { return to_string(report_detail::clone_call(r.c, d)); }});
    // Added in issue 15 after the drug columns, so that readers by position keep working.
    cols.push_back(fraction_column("fraction_uncapped", &Clone::fraction_uncapped));
    cols.push_back({"ratio_ci_low", [](R r) { return format_fraction(r.c.ratio_ci.low); }});
    cols.push_back({"ratio_ci_high", [](R r) { return format_fraction(r.c.ratio_ci.high); }});
    cols.push_back({"sample_warnings", [](R r) { return or_na(join(r.s.clones.warnings(), ",")); }});
    // Issue 14: what backs each call (the heatmap's marks), after everything else.
    cols.push_back({"call_grades", [&panel](R r) { return call_grades(r, panel); }});
    cols.push_back({"call_marks", [&panel](R r) { return call_marks(r, panel); }});
    return cols;
}

// ---------------------------------------------------------------------------------------------
// coverage.tsv: every hotspot, then every exon, of each sample.

struct HotspotRow {
    const ReportSample& s;
    const HotspotStatus& h;
    int exon;  // the GRCh38 exon holding the codon, 0 when none
};

struct ExonRow {
    const ReportSample& s;
    const ExonCoverage& e;
};

struct CoverageColumn {
    std::string name;
    std::function<std::string(const HotspotRow&)> hotspot;
    std::function<std::string(const ExonRow&)> exon;
};

// The exon holding the hotspot's codon (coding positions are the same in both builds).
int hotspot_exon(const HotspotStatus& h) {
    const int c_pos = 3 * h.codon - 2;
    int exon_number = 0;
    for (const auto& e : GenomeModel::builtin(Build::kGRCh38).transcript(h.gene).exons)
        if (c_pos >= e.cds_start_c && c_pos <= e.cds_end_c) exon_number = e.number;
    return exon_number;
}

std::vector<CoverageColumn> coverage_table() {
    using H = const HotspotRow&;
    using E = const ExonRow&;
    auto na = [](H) { return std::string("NA"); };
    return {
        {"sample", [](H r) { return r.s.name; }, [](E x) { return x.s.name; }},
        {"kind", [](H) { return std::string("hotspot"); }, [](E) { return std::string("exon"); }},
        {"gene", [](H r) { return r.h.gene; }, [](E x) { return x.e.gene; }},
        {"item", [](H r) { return r.h.label; }, [](E x) { return "exon " + std::to_string(x.e.exon); }},
        {"exon", [](H r) { return positive_or_na(r.exon); }, [](E x) { return std::to_string(x.e.exon); }},
        {"status", [](H r) { return report_detail::hotspot_status(r.s, r.h); },
         [](E x) { return exon_state(x.e); }},
        {"depth", [](H r) { return r.h.assessed ? std::to_string(r.h.depth) : "NA"; },
         [](E x) { return format_fraction(x.e.median_depth); }},
        {"min_depth", na, [](E x) { return format_count(x.e.min_depth_observed); }},
        {"bases_at_floor", na, [](E x) { return x.e.assessed ? std::to_string(x.e.bases_at_floor) : "NA"; }},
        {"bases", na, [](E x) { return std::to_string(x.e.bases); }},
        {"lod_vaf", [](H r) { return format_fraction(r.h.assessed ? r.h.lod_vaf : kUnknownFraction); },
         [](E x) { return format_fraction(x.e.lod_vaf); }},
        {"floor", [](H r) { return std::to_string(r.s.min_depth); },
         [](E x) { return std::to_string(x.e.floor); }},
    };
}

// ---------------------------------------------------------------------------------------------
// regimens.tsv: one row per sample x regimen, rank order within a sample.

struct RegimenRow {
    const ReportSample& s;
    const RegimenCoverage& r;
};
using RegimenColumn = Column<RegimenRow>;

std::string boolean(bool value) {
    return value ? "true" : "false";
}

std::string rank_or_na(int rank) {
    return rank > 0 ? std::to_string(rank) : "NA";
}

std::vector<RegimenColumn> regimen_table() {
    using R = const RegimenRow&;
    return {
        {"sample", [](R x) { return x.s.name; }},
        {"regimen", [](R x) { return x.r.regimen->id; }},
        {"drugs", [](R x) { return x.r.regimen->drugs_label(); }},
        {"covered_clones", [](R x) { return or_na(x.r.clone_list(x.s.clones, {CoverageStatus::kCovered})); }},
        {"partial_clones",
         [](R x) {
             return or_na(
                 x.r.clone_list(x.s.clones, {CoverageStatus::kPartial, CoverageStatus::kPartialTime}));
         }},
        {"escaping_clones",
         [](R x) { return or_na(x.r.clone_list(x.s.clones, {CoverageStatus::kEscapingResistant})); }},
        {"unknown_clones",
         [](R x) { return or_na(x.r.clone_list(x.s.clones, {CoverageStatus::kEscapingUnknown})); }},
        {"covered_burden", [](R x) { return format_fraction(x.r.covered_burden); }},
        {"rank", [](R x) { return std::to_string(x.r.rank); }},
        {"partial_burden", [](R x) { return format_fraction(x.r.partial_burden); }},
        {"unknown_burden", [](R x) { return format_fraction(x.r.unknown_burden); }},
        {"resistant_burden", [](R x) { return format_fraction(x.r.resistant_burden); }},
        {"kind", [](R x) { return to_string(x.r.regimen->kind); }},
        {"hypothetical", [](R x) { return boolean(x.r.regimen->hypothetical); }},
        {"approved", [](R x) { return boolean(x.r.regimen->approved); }},
        {"name", [](R x) { return or_na(x.r.regimen->name); }},
        {"tier", [](R x) { return to_string(x.r.tier); }},
        {"evidence_grade", [](R x) { return to_string(x.r.grade); }},
        {"covered_burden_clinical", [](R x) { return format_fraction(x.r.covered_burden_clinical); }},
        {"low_confidence_clones", [](R x) { return std::to_string(x.r.n_low_confidence); }},
        {"conflicting_clones", [](R x) { return std::to_string(x.r.n_conflicting); }},
        {"approved_for_sample", [](R x) { return boolean(x.r.approved_for_sample); }},
        {"standard_of_care", [](R x) { return or_na(standard_label(x.r)); }},
        {"prior", [](R x) { return or_na(to_string(x.r.prior)); }},
        {"burden_basis", [](R x) { return or_na(x.r.burden_basis); }},
        {"rank_half_life_low", [](R x) { return rank_or_na(x.r.rank_half_life_low); }},
        {"rank_half_life_high", [](R x) { return rank_or_na(x.r.rank_half_life_high); }},
        {"untreated_burden", [](R x) { return format_fraction(x.r.untreated_burden); }},
    };
}

}  // namespace

std::vector<std::string> clone_columns(const ActivityPanel& panel) {
    return report_detail::column_names(clone_table(panel));
}

void write_clones_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    const auto cols = clone_table(*model.panel);
    report_detail::write_header(out, cols);
    for (const auto& s : model.samples)
        for (const Clone& c : s.clones.clones) report_detail::write_row(out, cols, CloneRow{s, c});
}

std::vector<std::string> coverage_columns() {
    return report_detail::column_names(coverage_table());
}

void write_coverage_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    const auto cols = coverage_table();
    report_detail::write_header(out, cols);
    for (const auto& s : model.samples) {
        for (const auto& h : s.hotspots)
            report_detail::write_cells(out, cols, HotspotRow{s, h, hotspot_exon(h)},
                                       &CoverageColumn::hotspot);
        for (const auto& e : s.exons)
            report_detail::write_cells(out, cols, ExonRow{s, e}, &CoverageColumn::exon);
    }
}

std::vector<std::string> regimen_columns() {
    return report_detail::column_names(regimen_table());
}

std::string standard_label(const RegimenCoverage& r) {
    std::string out;
    for (const StandardOfCare* soc : r.standard) out += (out.empty() ? "" : "; ") + soc->label();
    return out;
}

void write_regimens_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    const auto cols = regimen_table();
    report_detail::write_header(out, cols);
    for (const auto& s : model.samples)
        for (const RegimenCoverage& r : s.regimens)
            if (r.regimen) report_detail::write_row(out, cols, RegimenRow{s, r});
}

void write_variants_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    write_variants_header(out, *model.panel);
    for (const auto& s : model.samples)
        for (const auto& v : s.variants) write_variant_row(out, v, *model.panel);
}

}  // namespace kitrx
