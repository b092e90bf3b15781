// SPDX-License-Identifier: MIT
#include "kitrx/report/tables.hpp"

#include <cmath>
#include <cstdio>

#include "kitrx/genome/genome.hpp"
#include "kitrx/version.hpp"

namespace kitrx {

std::string format_fraction(double value) {
    if (std::isnan(value)) return "NA";
    if (value == 0) value = 0.0;  // -0 (AF=-0) is printed as 0
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", value);
    std::string s(buf);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string format_count(std::int64_t value) {
    return value < 0 ? "NA" : std::to_string(value);
}

Provenance make_provenance(const std::string& command_line,
                           const SourceInfo& source,
                           const ActivityPanel* panel) {
    Provenance p;
    p.add("kitrx_version", KITRX_VERSION);
    p.add("kitrx_command", command_line);
    if (!source.path.empty())
        p.add("input", source.path + " (" + to_string(source.format) +
                           (source.caller.empty() ? "" : ", " + source.caller) + ")");
    p.add("build", to_string(source.build) +
                       (source.build_evidence.empty() ? "" : " (" + source.build_evidence + ")"));
    if (!source.skipped.empty()) {
        std::string text;
        for (const auto& [why, n] : source.skipped)
            text += (text.empty() ? "" : "; ") + std::to_string(n) + " " + why;
        p.add("input_skipped", text);
    }
    for (const auto& note : source.notes) p.add("input_note", note);
    p.add("transcripts", "KIT:NM_000222.3/ENST00000288135 (MANE Select),PDGFRA:NM_006206.4/ENST00000257290");
    if (panel)
        p.add("panel", panel->name + " " + panel->version + " (" + panel->date + ", " + panel->source + ")");
    p.add("notice", kResearchUseNotice);
    return p;
}

void write_provenance(std::ostream& out, const Provenance& provenance) {
    // A newline in a file or panel name would start a fake row before the header.
    for (const auto& [key, value] : provenance.items) out << "##" << key << '=' << printable(value) << '\n';
}

std::vector<std::string> variant_columns(const ActivityPanel& panel) {
    std::vector<std::string> cols{"sample",      "chrom",  "pos",        "ref",        "alt",       "gene",
                                  "transcript",  "exon",   "codon",      "hgvs_c",     "hgvs_p",    "protein",
                                  "consequence", "domain", "role",       "vaf",        "alt_reads", "depth",
                                  "af_source",   "filter", "panel_rule", "panel_level"};
    for (const auto& d : panel.drugs()) cols.push_back("activity_" + d.id);
    cols.push_back("evidence");
    cols.push_back("status");
    cols.push_back("lod_vaf");
    cols.push_back("source_hgvs");
    return cols;
}

void write_variants_header(std::ostream& out, const ActivityPanel& panel) {
    const auto cols = variant_columns(panel);
    for (std::size_t i = 0; i < cols.size(); ++i) out << (i ? "\t" : "") << cols[i];
    out << '\n';
}

namespace {
std::string or_na(const std::string& s) {
    return s.empty() ? "NA" : s;
}
}  // namespace

void write_variant_row(std::ostream& out, const AnnotatedVariant& a, const ActivityPanel& panel) {
    const Observation& o = a.variant.observation;
    const VariantName& n = a.variant.name;
    const double vaf =
        o.has_counts() ? static_cast<double>(o.alt_reads) / static_cast<double>(o.depth) : o.vaf;
    out << or_na(o.sample) << '\t' << o.chrom << '\t' << (o.pos0 + 1) << '\t' << o.ref << '\t' << o.alt
        << '\t' << n.gene << '\t' << n.transcript << '\t' << (n.exon > 0 ? std::to_string(n.exon) : "NA")
        << '\t' << (n.codon_begin > 0 ? std::to_string(n.codon_begin) : "NA") << '\t' << or_na(n.hgvs_c)
        << '\t' << or_na(n.hgvs_p) << '\t' << or_na(n.protein) << '\t' << to_string(n.consequence) << '\t'
        << or_na(n.domain) << '\t' << to_string(a.variant.role) << '\t' << format_fraction(vaf) << '\t'
        << format_count(o.alt_reads) << '\t' << format_count(o.depth) << '\t' << or_na(o.af_source) << '\t'
        << or_na(o.filter) << '\t' << (a.match.rule ? a.match.rule->id : "NA") << '\t'
        << (a.match.rule ? to_string(a.match.level) : "NA");
    std::string evidence;
    for (std::size_t i = 0; i < panel.drugs().size(); ++i) {
        const DrugActivity* call = i < a.match.calls.size() ? &a.match.calls[i] : nullptr;
        out << '\t' << to_string(call ? call->activity : Activity::kUnknown);
        if (call && !call->evidence.empty()) {
            if (!evidence.empty()) evidence += ';';
            // Keys once each: one source cited for two findings (E17 on N822K) is one key here.
            evidence += panel.drugs()[i].id + ':' + evidence_keys(*call, "|");
        }
    }
    out << '\t' << or_na(evidence) << "\tdetected\tNA\t" << or_na(o.source_hgvs) << '\n';
}

void write_hotspot_row(std::ostream& out, const HotspotStatus& h, const ActivityPanel& panel, Build build) {
    if (h.detected) return;
    const Transcript& t = GenomeModel::builtin(build).transcript(h.gene);
    const Exon* exon = t.exon_at(h.begin);
    const int exon_number = exon ? exon->number : 0;
    out << or_na(h.sample) << '\t' << h.chrom << '\t' << (h.begin + 1) << "\t.\t.\t" << h.gene << '\t'
        << t.accession << '\t' << (exon_number > 0 ? std::to_string(exon_number) : "NA") << '\t' << h.codon
        << "\tNA\tNA\t" << h.label << "\tNA\t" << or_na(domain_of(h.gene, exon_number)) << "\tsecondary\t"
        << (h.best_depth > 0
                ? format_fraction(static_cast<double>(h.best_alt_reads) / static_cast<double>(h.best_depth))
                : "0")
        << '\t' << h.best_alt_reads << '\t' << h.depth << "\tBAM:hotspot\t.\tNA\tNA";
    for (std::size_t i = 0; i < panel.drugs().size(); ++i) out << "\tNA";
    out << "\tNA\t" << hotspot_state(h) << '\t' << format_fraction(h.lod_vaf) << "\tNA\n";
}

}  // namespace kitrx

#include <stdexcept>

#include <nlohmann/json.hpp>

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
        const double vaf =
            o.has_counts() ? static_cast<double>(o.alt_reads) / static_cast<double>(o.depth) : o.vaf;
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
        r["vaf"] = num_or_null(vaf);
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
