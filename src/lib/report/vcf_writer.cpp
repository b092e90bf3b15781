// SPDX-License-Identifier: MIT
#include "kitrx/report/vcf_writer.hpp"

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "kitrx/io/vcf_passthrough.hpp"

namespace kitrx {

namespace {

struct InfoField {
    const char* id;
    const char* description;
};

constexpr InfoField kFields[] = {
    {"KITRX_GENE", "kitrx: gene (KIT/PDGFRA)"},
    {"KITRX_EXON", "kitrx: exon affected on the pinned transcript"},
    {"KITRX_HGVSC", "kitrx: HGVS c. on NM_000222.3 (KIT) / NM_006206.4 (PDGFRA), 3'-shifted"},
    {"KITRX_HGVSP", "kitrx: HGVS p. (3-letter)"},
    {"KITRX_PROTEIN", "kitrx: short protein change (e.g. D816V)"},
    {"KITRX_CSQ", "kitrx: consequence class"},
    {"KITRX_ROLE", "kitrx: primary/secondary role in the first sample carrying the allele"},
    {"KITRX_RULE", "kitrx: activity-panel rule that matched"},
    {"KITRX_ACTIVITY", "kitrx: per-drug activity, drug:call separated by |"},
};

std::string field_value(const AnnotatedVariant& a, const ActivityPanel& panel, std::size_t field) {
    const VariantName& n = a.variant.name;
    auto dot = [](const std::string& s) { return s.empty() ? std::string(".") : s; };
    switch (field) {
        case 0:
            return dot(n.gene);
        case 1:
            return n.exon > 0 ? std::to_string(n.exon) : ".";
        case 2:
            return dot(n.hgvs_c);
        case 3:
            return dot(n.hgvs_p);
        case 4:
            return dot(n.protein);
        case 5:
            return to_string(n.consequence);
        case 6:
            return to_string(a.variant.role);
        case 7:
            return a.match.rule ? a.match.rule->id : ".";
        default: {
            std::string s;
            for (std::size_t i = 0; i < panel.drugs().size(); ++i) {
                const Activity act =
                    i < a.match.calls.size() ? a.match.calls[i].activity : Activity::kUnknown;
                s += (i ? "|" : "") + panel.drugs()[i].id + ":" + to_string(act);
            }
            return s.empty() ? "." : s;
        }
    }
}

}  // namespace

void write_annotated_vcf(const std::string& input_path,
                         const std::vector<AnnotatedVariant>& variants,
                         const ActivityPanel& panel,
                         const std::string& output_path,
                         char mode,
                         const Provenance& provenance,
                         int threads) {
    VcfAnnotation annotation;
    for (const auto& f : kFields) annotation.fields.push_back({f.id, f.description});
    for (const auto& a : variants) {
        const Observation& o = a.variant.observation;
        // The first sample carrying the allele decides role and activity (header comment).
        auto [it, fresh] = annotation.by_allele.try_emplace(vcf_allele_key(o.chrom, o.pos0, o.ref, o.alt));
        if (!fresh) continue;
        for (std::size_t f = 0; f < std::size(kFields); ++f) it->second.push_back(field_value(a, panel, f));
    }
    for (const auto& [key, value] : provenance.items)
        if (key == "notice" || key == "kitrx_version" || key == "kitrx_command" || key == "panel")
            annotation.header_lines.push_back(
                "##kitrx_" + (key.rfind("kitrx_", 0) == 0 ? key.substr(6) : key) + "=" + printable(value));
    write_vcf_with_info(input_path, annotation, output_path, mode, threads);
}

}  // namespace kitrx
