// SPDX-License-Identifier: MIT
// variants JSON: the `kitrx annotate -O j` document, the same rows as variants.tsv with typed
// values (null for unknown) and the hotspot checks of BAM/CRAM input.
#include <cmath>

#include <nlohmann/json.hpp>

#include "kitrx/report/tables.hpp"
#include "kitrx/version.hpp"
#include "report/report_util.hpp"
namespace kitrx {

void write_variants_json(std::ostream& out,
                         const std::vector<AnnotatedVariant>& variants,
                         const ActivityPanel& panel,
                         const Provenance& provenance,
                         const std::vector<HotspotStatus>& hotspots) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["kitrx_version"] = KITRX_VERSION;
    doc["notice"] = kResearchUseNotice;
    ordered_json prov = ordered_json::object();
    for (const auto& [key, value] : provenance.items) prov[key] = value;
    doc["provenance"] = prov;
    doc["panel"] = {
        {"name", panel.name}, {"version", panel.version}, {"date", panel.date}, {"source", panel.source}};
    ordered_json rows = ordered_json::array();
    auto num_or_null = [](double v) { return std::isnan(v) ? ordered_json(nullptr) : ordered_json(v); };
    auto count_or_null = [](std::int64_t v) { return v < 0 ? ordered_json(nullptr) : ordered_json(v); };
    for (const auto& a : variants) {
        const Observation& o = a.variant.observation;
        const VariantName& n = a.variant.name;
        ordered_json r;
        r["sample"] = o.sample;
        r["chrom"] = o.chrom;
        r["pos"] = o.pos0 + 1;
        r["ref"] = o.ref;
        r["alt"] = o.alt;
        r["gene"] = n.gene;
        r["transcript"] = n.transcript;
        r["exon"] = n.exon > 0 ? ordered_json(n.exon) : ordered_json(nullptr);
        r["codon"] = n.codon_begin > 0 ? ordered_json(n.codon_begin) : ordered_json(nullptr);
        r["hgvs_c"] = n.hgvs_c;
        r["hgvs_p"] = n.hgvs_p;
        r["protein"] = n.protein;
        r["consequence"] = to_string(n.consequence);
        r["domain"] = n.domain;
        r["role"] = to_string(a.variant.role);
        r["role_reason"] = a.variant.role_reason;
        r["vaf"] = num_or_null(report_detail::row_vaf(o));
        r["alt_reads"] = count_or_null(o.alt_reads);
        r["depth"] = count_or_null(o.depth);
        r["af_source"] = o.af_source;
        r["filter"] = o.filter;
        r["source_hgvs"] = o.source_hgvs.empty() ? ordered_json(nullptr) : ordered_json(o.source_hgvs);
        r["panel_rule"] = a.match.rule ? ordered_json(a.match.rule->id) : ordered_json(nullptr);
        r["panel_level"] = a.match.rule ? ordered_json(to_string(a.match.level)) : ordered_json(nullptr);
        ordered_json activity = ordered_json::object(), evidence = ordered_json::object();
        for (std::size_t i = 0; i < panel.drugs().size(); ++i) {
            const DrugActivity* call = i < a.match.calls.size() ? &a.match.calls[i] : nullptr;
            activity[panel.drugs()[i].id] = to_string(call ? call->activity : Activity::kUnknown);
            ordered_json keys = ordered_json::array();
            if (call)
                for (const auto& e : call->evidence) keys.push_back(e.citation);
            evidence[panel.drugs()[i].id] = keys;
        }
        r["activity"] = activity;
        r["evidence"] = evidence;
        rows.push_back(std::move(r));
    }
    doc["variants"] = rows;
    ordered_json spots = ordered_json::array();
    for (const auto& h : hotspots)
        spots.push_back({{"sample", h.sample},
                         {"gene", h.gene},
                         {"label", h.label},
                         {"codon", h.codon},
                         {"chrom", h.chrom},
                         {"pos", h.begin + 1},
                         {"depth", h.depth},
                         {"detected", h.detected},
                         {"lod_vaf", num_or_null(h.lod_vaf)},
                         {"background", num_or_null(h.background)},
                         {"best_allele", h.best_allele},
                         {"best_alt_reads", h.best_alt_reads},
                         {"best_depth", h.best_depth},
                         {"source", h.source}});
    doc["hotspots"] = spots;
    // Sample names, FILTER and file names are bytes from the input, not necessarily UTF-8.
    out << doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace kitrx
