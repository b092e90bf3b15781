// SPDX-License-Identifier: MIT
// variants table: the columns of variants.tsv (`kitrx annotate` and `kitrx report`), listed once
// with how a called allele and a hotspot without a call fill each, so that the header and both
// kinds of row cannot drift apart. Column meanings: tables.hpp.
#include <functional>

#include "kitrx/genome/genome.hpp"
#include "kitrx/report/tables.hpp"
#include "report/report_util.hpp"

namespace kitrx {

namespace {

using report_detail::or_na;

// A hotspot row with the transcript facts its cells need, looked up once per row.
struct HotspotRow {
    const HotspotStatus& h;
    const Transcript& transcript;
    int exon;  // 0 when the codon lies in no exon of the model
};

struct VariantColumn {
    std::string name;
    std::function<std::string(const AnnotatedVariant&)> variant;
    std::function<std::string(const HotspotRow&)> hotspot;
};

using V = const AnnotatedVariant&;
using H = const HotspotRow&;

std::string positive_or_na(int value) {
    return value > 0 ? std::to_string(value) : "NA";
}

const Observation& obs(V a) {
    return a.variant.observation;
}
const VariantName& name(V a) {
    return a.variant.name;
}

// A column whose hotspot rows all hold `hotspot`.
VariantColumn fixed(std::string column, std::string hotspot, std::function<std::string(V)> variant) {
    return {std::move(column), std::move(variant), [hotspot](H) { return hotspot; }};
}

const DrugActivity* drug_call(V a, std::size_t drug) {
    return drug < a.match.calls.size() ? &a.match.calls[drug] : nullptr;
}

// "sunitinib:KEY1|KEY2;regorafenib:KEY3". Keys once each: one source cited for two findings
// (E17 on N822K) is one key here.
std::string evidence_cell(V a, const ActivityPanel& panel) {
    std::string evidence;
    for (std::size_t i = 0; i < panel.drugs().size(); ++i) {
        const DrugActivity* call = drug_call(a, i);
        if (!call || call->evidence.empty()) continue;
        if (!evidence.empty()) evidence += ';';
        evidence += panel.drugs()[i].id + ':' + evidence_keys(*call, "|");
    }
    return or_na(evidence);
}

std::vector<VariantColumn> variant_table(const ActivityPanel& panel) {
    std::vector<VariantColumn> cols{
        {"sample", [](V a) { return or_na(obs(a).sample); }, [](H r) { return or_na(r.h.sample); }},
        {"chrom", [](V a) { return obs(a).chrom; }, [](H r) { return r.h.chrom; }},
        {"pos", [](V a) { return std::to_string(obs(a).pos0 + 1); },
         [](H r) { return std::to_string(r.h.begin + 1); }},
        fixed("ref", ".", [](V a) { return obs(a).ref; }),
        fixed("alt", ".", [](V a) { return obs(a).alt; }),
        {"gene", [](V a) { return name(a).gene; }, [](H r) { return r.h.gene; }},
        {"transcript", [](V a) { return name(a).transcript; }, [](H r) { return r.transcript.accession; }},
        {"exon", [](V a) { return positive_or_na(name(a).exon); },
         [](H r) { return positive_or_na(r.exon); }},
        {"codon", [](V a) { return positive_or_na(name(a).codon_begin); },
         [](H r) { return std::to_string(r.h.codon); }},
        fixed("hgvs_c", "NA", [](V a) { return or_na(name(a).hgvs_c); }),
        fixed("hgvs_p", "NA", [](V a) { return or_na(name(a).hgvs_p); }),
        {"protein", [](V a) { return or_na(name(a).protein); }, [](H r) { return r.h.label; }},
        fixed("consequence", "NA", [](V a) { return to_string(name(a).consequence); }),
        {"domain", [](V a) { return or_na(name(a).domain); },
         [](H r) { return or_na(domain_of(r.h.gene, r.exon)); }},
        fixed("role", "secondary", [](V a) { return to_string(a.variant.role); }),
        {"vaf", [](V a) { return format_fraction(report_detail::row_vaf(obs(a))); },
         [](H r) {
             return r.h.best_depth > 0 ? format_fraction(read_fraction(r.h.best_alt_reads, r.h.best_depth))
                                       : std::string("0");
         }},
        {"alt_reads", [](V a) { return format_count(obs(a).alt_reads); },
         [](H r) { return std::to_string(r.h.best_alt_reads); }},
        {"depth", [](V a) { return format_count(obs(a).depth); },
         [](H r) { return std::to_string(r.h.depth); }},
        fixed("af_source", "BAM:hotspot", [](V a) { return or_na(obs(a).af_source); }),
        fixed("filter", ".", [](V a) { return or_na(obs(a).filter); }),
        fixed("panel_rule", "NA", [](V a) { return a.match.rule ? a.match.rule->id : "NA"; }),
        fixed("panel_level", "NA", [](V a) { return a.match.rule ? to_string(a.match.level) : "NA"; }),
    };
    for (std::size_t i = 0; i < panel.drugs().size(); ++i)
        cols.push_back(fixed("activity_" + panel.drugs()[i].id, "NA", [i](V a) {
            const DrugActivity* call = drug_call(a, i);
            return to_string(call ? call->activity : Activity::kUnknown);
        }));
    cols.push_back(fixed("evidence", "NA", [&panel](V a) { return evidence_cell(a, panel); }));
    cols.push_back(
        {"status", [](V) { return std::string("detected"); }, [](H r) { return hotspot_state(r.h); }});
    cols.push_back(
        {"lod_vaf", [](V) { return std::string("NA"); }, [](H r) { return format_fraction(r.h.lod_vaf); }});
    cols.push_back(fixed("source_hgvs", "NA", [](V a) { return or_na(obs(a).source_hgvs); }));
    return cols;
}

}  // namespace

std::vector<std::string> variant_columns(const ActivityPanel& panel) {
    return report_detail::column_names(variant_table(panel));
}

void write_variants_header(std::ostream& out, const ActivityPanel& panel) {
    report_detail::write_header(out, variant_table(panel));
}

void write_variant_row(std::ostream& out, const AnnotatedVariant& a, const ActivityPanel& panel) {
    report_detail::write_cells(out, variant_table(panel), a, &VariantColumn::variant);
}

void write_hotspot_row(std::ostream& out, const HotspotStatus& h, const ActivityPanel& panel, Build build) {
    if (h.detected) return;
    const Transcript& t = GenomeModel::builtin(build).transcript(h.gene);
    const Exon* exon = t.exon_at(h.begin);
    report_detail::write_cells(out, variant_table(panel), HotspotRow{h, t, exon ? exon->number : 0},
                               &VariantColumn::hotspot);
}

}  // namespace kitrx
