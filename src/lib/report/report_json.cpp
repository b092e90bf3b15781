// SPDX-License-Identifier: MIT
// report.json: the ReportModel as one JSON object (schema: docs/report_json_schema.md).
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "kitrx/report/report.hpp"
#include "kitrx/version.hpp"
#include "report/report_util.hpp"

namespace kitrx {

namespace {

using Json = nlohmann::ordered_json;

Json number(double v) {
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}
Json count(std::int64_t v) {
    return v < 0 ? Json(nullptr) : Json(v);
}
Json interval(const ConfidenceInterval& i) {
    if (std::isnan(i.low) && std::isnan(i.high)) return Json(nullptr);
    return Json::array({number(i.low), number(i.high)});
}
Json text_or_null(const std::string& s) {
    return s.empty() ? Json(nullptr) : Json(s);
}

Json evidence_json(const Evidence& e) {
    Json j;
    j["citation"] = e.citation;
    j["kind"] = e.kind;
    j["ic50"] = e.ic50 ? number(*e.ic50) : Json(nullptr);
    j["ic50_units"] = text_or_null(e.ic50_units);
    j["note"] = text_or_null(e.note);
    j["flag"] = text_or_null(e.flag);
    j["supports"] = e.supports ? Json(to_string(*e.supports)) : Json(nullptr);
    return j;
}

// One clone's call per drug with what backs it: grade, confidence, conflict, evidence items.
Json clone_calls_json(const Clone& c, const ActivityPanel& panel) {
    Json calls = Json::object();
    for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
        const CloneCall call = clone_drug_call(c, d);
        Json cj;
        cj["activity"] = to_string(call.activity);
        cj["evidence_grade"] = to_string(call.grade);
        cj["confidence"] = call.low_confidence ? "low" : "normal";
        cj["conflicting"] = call.conflicting;
        Json list = Json::array();
        std::set<std::string> seen;
        for (const DrugActivity* a : call.deciding)
            for (const auto& e : a->evidence)
                if (seen.insert(e.citation + "|" + e.kind + "|" + e.note).second)
                    list.push_back(evidence_json(e));
        cj["evidence"] = list;
        calls[panel.drugs()[d].id] = cj;
    }
    return calls;
}

Json variant_json(const AnnotatedVariant& a, const ActivityPanel& panel) {
    const Observation& o = a.variant.observation;
    const VariantName& n = a.variant.name;
    Json j;
    j["gene"] = n.gene;
    j["transcript"] = n.transcript;
    j["chrom"] = o.chrom;
    j["pos"] = o.pos0 + 1;
    j["ref"] = o.ref;
    j["alt"] = o.alt;
    j["exon"] = n.exon > 0 ? Json(n.exon) : Json(nullptr);
    j["codon"] = n.codon_begin > 0 ? Json(n.codon_begin) : Json(nullptr);
    j["hgvs_c"] = text_or_null(n.hgvs_c);
    j["hgvs_p"] = text_or_null(n.hgvs_p);
    j["protein"] = text_or_null(n.protein);
    j["consequence"] = to_string(n.consequence);
    j["domain"] = text_or_null(n.domain);
    j["role"] = to_string(a.variant.role);
    j["role_reason"] = text_or_null(a.variant.role_reason);
    j["vaf"] = number(report_detail::row_vaf(o));
    j["alt_reads"] = count(o.alt_reads);
    j["depth"] = count(o.depth);
    j["af_source"] = text_or_null(o.af_source);
    j["filter"] = o.filter;
    j["source_hgvs"] = text_or_null(o.source_hgvs);
    j["panel_rule"] = a.match.rule ? Json(a.match.rule->id) : Json(nullptr);
    j["panel_level"] = to_string(a.match.level);
    Json activity = Json::object(), evidence = Json::object();
    for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
        const std::string& id = panel.drugs()[d].id;
        const DrugActivity* call = d < a.match.calls.size() ? &a.match.calls[d] : nullptr;
        activity[id] = to_string(call ? call->activity : Activity::kUnknown);
        Json list = Json::array();
        if (call)
            for (const auto& e : call->evidence) list.push_back(evidence_json(e));
        evidence[id] = list;
    }
    j["activity"] = activity;
    j["evidence"] = evidence;
    return j;
}

Json clone_json(const Clone& c, const ActivityPanel& panel) {
    Json j;
    j["id"] = c.id;
    j["role"] = to_string(c.role);
    Json variants = Json::array();
    for (const auto& v : c.variants) {
        Json m;
        m["gene"] = v.gene;
        m["protein"] = v.protein;
        m["hgvs_c"] = text_or_null(v.hgvs_c);
        m["exon"] = v.exon > 0 ? Json(v.exon) : Json(nullptr);
        m["alt_reads"] = count(v.alt_reads);
        m["depth"] = count(v.depth);
        m["vaf"] = number(v.vaf);
        variants.push_back(m);
    }
    j["variants"] = variants;
    j["status"] = to_string(c.status);
    j["alt_reads"] = count(c.alt_reads);
    j["depth"] = count(c.depth);
    j["vaf"] = number(c.vaf);
    j["vaf_ci"] = interval(c.vaf_ci);
    j["fraction"] = number(c.fraction);
    j["fraction_uncapped"] = number(c.fraction_uncapped);
    j["fraction_ci"] = interval(c.fraction_ci);
    j["ratio_ci"] = interval(c.ratio_ci);
    j["lod_vaf"] = number(c.lod_vaf);
    j["lod_fraction"] = number(c.lod_fraction);
    Json activity = Json::object();
    for (std::size_t d = 0; d < panel.drugs().size(); ++d)
        activity[panel.drugs()[d].id] = to_string(report_detail::clone_call(c, d));
    j["activity"] = activity;
    j["calls"] = clone_calls_json(c, panel);
    j["compound_rule"] = text_or_null(c.compound_rule);
    j["flags"] = c.flags;
    return j;
}

Json regimen_json(const RegimenCoverage& r, const SampleClones& clones) {
    Json j;
    j["rank"] = r.rank;
    j["id"] = r.regimen->id;
    j["name"] = r.regimen->name;
    j["kind"] = to_string(r.regimen->kind);
    j["drugs"] = r.regimen->drugs;
    j["drugs_label"] = r.regimen->drugs_label();
    j["hypothetical"] = r.regimen->hypothetical;
    j["approved"] = r.regimen->approved;
    j["approved_for_sample"] = r.approved_for_sample;
    j["tier"] = to_string(r.tier);
    j["evidence_grade"] = to_string(r.grade);
    j["covered_burden_clinical"] = number(r.covered_burden_clinical);
    j["burden_basis"] = text_or_null(r.burden_basis);
    j["low_confidence_clones"] = r.n_low_confidence;
    j["conflicting_clones"] = r.n_conflicting;
    j["prior"] = text_or_null(to_string(r.prior));
    j["rank_half_life_low"] = r.rank_half_life_low > 0 ? Json(r.rank_half_life_low) : Json(nullptr);
    j["rank_half_life_high"] = r.rank_half_life_high > 0 ? Json(r.rank_half_life_high) : Json(nullptr);
    j["schedule_note"] = text_or_null(r.regimen->schedule_note);
    Json doses = Json::object();
    for (const auto& [d, dose] : r.regimen->doses) doses[d] = dose;
    j["doses"] = doses;
    Json standard = Json::array();
    for (const StandardOfCare* soc : r.standard) {
        Json e;
        e["genotype"] = soc->genotype.text;
        e["line"] = soc->line > 0 ? Json(soc->line) : Json(nullptr);
        e["citations"] = soc->citations;
        e["note"] = text_or_null(soc->note);
        standard.push_back(e);
    }
    j["standard_of_care"] = standard;
    auto ids = [&](std::initializer_list<CoverageStatus> statuses) {
        Json list = Json::array();
        for (const auto& cc : r.clones)
            if (cc.clone < clones.clones.size() &&
                std::find(statuses.begin(), statuses.end(), cc.status) != statuses.end())
                list.push_back(clones.clones[cc.clone].id);
        return list;
    };
    j["covered_clones"] = ids({CoverageStatus::kCovered});
    j["partial_clones"] = ids({CoverageStatus::kPartial, CoverageStatus::kPartialTime});
    j["escaping_clones"] = ids({CoverageStatus::kEscapingResistant});
    j["unknown_clones"] = ids({CoverageStatus::kEscapingUnknown});
    j["covered_burden"] = number(r.covered_burden);
    j["partial_burden"] = number(r.partial_burden);
    j["unknown_burden"] = number(r.unknown_burden);
    j["resistant_burden"] = number(r.resistant_burden);
    j["untreated_burden"] = number(r.untreated_burden);
    Json per_clone = Json::array();
    for (const auto& cc : r.clones) {
        Json c;
        c["clone"] = cc.clone < clones.clones.size() ? Json(clones.clones[cc.clone].id) : Json(nullptr);
        c["status"] = to_string(cc.status);
        c["time_sensitive"] = number(cc.time_sensitive);
        c["time_intermediate"] = number(cc.time_intermediate);
        c["time_unknown"] = number(cc.time_unknown);
        c["time_resistant"] = number(cc.time_resistant);
        c["time_sensitive_clinical"] = number(cc.time_sensitive_clinical);
        c["time_untreated"] = number(cc.time_untreated);
        c["evidence_grade"] = to_string(cc.grade);
        c["low_confidence"] = cc.low_confidence;
        c["conflicting"] = cc.conflicting;
        per_clone.push_back(c);
    }
    j["clones"] = per_clone;
    return j;
}

Json projection_json(const Projection& p) {
    Json j;
    j["regimen"] = p.regimen ? Json(p.regimen->id) : Json(nullptr);
    j["label"] = p.label;
    j["populations"] = p.populations;
    Json weeks = Json::array();
    for (const auto& w : p.weeks) {
        Json wj;
        wj["week"] = w.week;
        wj["total"] = number(w.total);
        Json size = Json::array(), share = Json::array();
        for (double v : w.size) size.push_back(number(v));
        for (double v : w.share) share.push_back(number(v));
        wj["size"] = size;
        wj["share"] = share;
        weeks.push_back(wj);
    }
    j["weeks"] = weeks;
    return j;
}

Json sample_json(const ReportSample& s, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    Json j;
    j["sample"] = s.name;
    j["input"] = s.input;
    j["patient"] = text_or_null(s.patient);
    j["timepoint"] = text_or_null(s.timepoint);
    j["tumour_fraction"] = number(s.clones.tumour_fraction);
    j["tumour_fraction_ci"] = interval(s.clones.tumour_fraction_ci);
    j["median_depth"] = number(s.median_depth);
    j["flags"] = s.clones.flags;
    Json warnings = Json::array();
    for (const auto& w : s.clones.warnings()) {
        Json wj;
        wj["flag"] = w;
        wj["message"] = flag_description(w);
        warnings.push_back(wj);
    }
    j["warnings"] = warnings;
    j["pdgfra_records_ignored"] = s.pdgfra_records_ignored;
    j["notes"] = s.notes;
    Json variants = Json::array();
    for (const auto& v : s.variants) variants.push_back(variant_json(v, panel));
    j["variants"] = variants;
    Json hotspots = Json::array();
    for (const auto& h : s.hotspots) {
        Json hj;
        hj["gene"] = h.gene;
        hj["label"] = h.label;
        hj["codon"] = h.codon;
        hj["depth"] = h.assessed ? Json(h.depth) : Json(nullptr);
        hj["detected"] = h.detected;
        hj["lod_vaf"] = number(h.assessed ? h.lod_vaf : kUnknownFraction);
        hj["status"] = report_detail::hotspot_status(s, h);
        hotspots.push_back(hj);
    }
    j["hotspots"] = hotspots;
    Json exons = Json::array();
    for (const auto& e : s.exons) {
        Json ej;
        ej["gene"] = e.gene;
        ej["exon"] = e.exon;
        ej["status"] = exon_state(e);
        ej["bases"] = e.bases;
        ej["median_depth"] = number(e.median_depth);
        ej["min_depth"] = count(e.min_depth_observed);
        ej["bases_at_floor"] = e.assessed ? Json(e.bases_at_floor) : Json(nullptr);
        ej["lod_vaf"] = number(e.lod_vaf);
        exons.push_back(ej);
    }
    j["exons"] = exons;
    j["min_depth"] = s.min_depth;
    Json clones = Json::array();
    for (const auto& c : s.clones.clones) clones.push_back(clone_json(c, panel));
    j["clones"] = clones;
    Json regimens = Json::array();
    for (const auto& r : s.regimens)
        if (r.regimen) regimens.push_back(regimen_json(r, s.clones));
    j["regimens"] = regimens;
    Json history;
    history["failed"] = s.history.failed;
    history["next_line"] = s.next_line > 0 ? Json(s.next_line) : Json(nullptr);
    j["treatment_history"] = history;
    Json sets;
    sets["covers_all"] = s.drug_sets.covers_all;
    sets["target_clones"] = s.drug_sets.target_clones;
    sets["covered_clones"] = s.drug_sets.covered_clones;
    sets["sets"] = s.drug_sets.sets;
    Json uncovered = Json::array();
    for (auto i : s.drug_sets.uncovered)
        if (i < s.clones.clones.size()) uncovered.push_back(s.clones.clones[i].id);
    sets["uncovered"] = uncovered;
    j["minimal_drug_sets"] = sets;
    if (m.simulated()) {
        Json projections = Json::array();
        for (const auto& p : s.projections) projections.push_back(projection_json(p));
        j["projections"] = projections;
    } else {
        j["projections"] = nullptr;
    }
    return j;
}

Json trajectory_json(const CloneTrajectory& t) {
    Json j;
    j["patient"] = t.patient;
    j["clone"] = t.clone;
    j["variants"] = t.variants;
    j["role"] = to_string(t.role);
    j["latest"] = to_string(t.latest);
    Json points = Json::array();
    for (const auto& p : t.points) {
        Json pj;
        pj["timepoint"] = p.timepoint;
        pj["sample"] = text_or_null(p.sample);
        pj["assessed"] = p.assessed;
        pj["status"] = to_string(p.status);
        pj["vaf"] = number(p.vaf);
        pj["vaf_ci"] = interval(p.vaf_ci);
        pj["fraction"] = number(p.fraction);
        pj["fraction_ci"] = interval(p.fraction_ci);
        pj["primary_detected"] = p.primary_detected;
        points.push_back(pj);
    }
    j["points"] = points;
    Json calls = Json::array(), metrics = Json::array();
    for (auto c : t.calls) calls.push_back(to_string(c));
    for (auto mt : t.metrics) metrics.push_back(to_string(mt));
    j["calls"] = calls;
    j["metrics"] = metrics;
    return j;
}

Json citation_json(const Citation& c) {
    Json j;
    j["key"] = c.key;
    j["authors"] = text_or_null(c.authors);
    j["title"] = text_or_null(c.title);
    j["journal"] = text_or_null(c.journal);
    j["year"] = c.year > 0 ? Json(c.year) : Json(nullptr);
    j["doi"] = text_or_null(c.doi);
    j["pmid"] = text_or_null(c.pmid);
    j["url"] = text_or_null(c.url);
    return j;
}

}  // namespace

void write_report_json(std::ostream& out, const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    Json j;
    j["schema_version"] = kReportSchemaVersion;
    j["kitrx_version"] = KITRX_VERSION;
    j["title"] = m.title;
    j["notice"] = kResearchUseNotice;
    j["model_notice"] = m.simulated() ? Json(kModelLabel) : Json(nullptr);
    if (m.regimen_set) {
        Json sm;
        sm["model"] = to_string(m.regimen_set->schedule_model);
        if (m.pk_model) {
            sm["threshold"] = number(m.pk_model->threshold);
            sm["threshold_note"] = m.pk_model->threshold_note;
            sm["table"] = m.pk_model->name + " " + m.pk_model->version;
            sm["source"] = m.pk_model->source;
            Json drugs = Json::array();
            for (const auto& d : m.pk_model->drugs) {
                Json dj;
                dj["drug"] = d.drug;
                dj["dosing_interval_hours"] = d.dosing_interval_hours;
                Json ms = Json::array();
                for (const auto& x : d.moieties)
                    ms.push_back({{"name", x.name},
                                  {"half_life_hours", x.half_life_hours},
                                  {"half_life_range",
                                   Json::array({number(x.half_life_low), number(x.half_life_high)})},
                                  {"share", x.share},
                                  {"citations", x.citations}});
                dj["moieties"] = ms;
                drugs.push_back(dj);
            }
            sm["drugs"] = drugs;
            Json cites = Json::array();
            for (const auto& c : m.pk_model->citations)
                cites.push_back({{"key", c.key},
                                 {"title", c.title},
                                 {"publisher", text_or_null(c.publisher)},
                                 {"flag", text_or_null(c.flag)},
                                 {"note", text_or_null(c.note)}});
            sm["citations"] = cites;
        } else {
            sm["threshold"] = nullptr;
        }
        j["schedule_model"] = sm;
    }
    Json provenance = Json::array();
    for (const auto& [k, v] : m.provenance.items) provenance.push_back({{"key", k}, {"value", v}});
    j["provenance"] = provenance;

    Json pj;
    pj["name"] = panel.name;
    pj["version"] = panel.version;
    pj["date"] = panel.date;
    pj["source"] = panel.source;
    pj["notice"] = text_or_null(panel.notice);
    pj["transcripts"] = panel.transcripts;
    Json drugs = Json::array();
    for (const auto& d : panel.drugs()) {
        Json dj;
        dj["id"] = d.id;
        dj["name"] = d.name;
        dj["mechanism"] = text_or_null(d.mechanism);
        dj["status"] = text_or_null(d.status);
        drugs.push_back(dj);
    }
    pj["drugs"] = drugs;
    j["panel"] = pj;

    if (m.regimen_set) {
        Json rj;
        rj["name"] = m.regimen_set->name;
        rj["version"] = m.regimen_set->version;
        rj["source"] = m.regimen_set->source;
        rj["skipped"] = m.regimen_set->skipped;
        j["regimen_set"] = rj;
    } else {
        j["regimen_set"] = nullptr;
    }

    if (m.simulated()) {
        const GrowthModel& g = *m.growth_model;
        Json gj;
        gj["name"] = g.name;
        gj["version"] = g.version;
        gj["source"] = g.source;
        gj["label"] = g.label;
        gj["weeks"] = m.simulate_weeks;
        gj["rate_untreated"] = number(g.rate_untreated);
        gj["rate_unknown"] = number(g.rate_unknown);
        gj["rate_intermediate"] = number(g.rate_intermediate);
        gj["rate_sensitive"] = number(g.rate_sensitive);
        gj["rationale"] = text_or_null(g.rationale);
        gj["citations"] = g.citations;
        j["growth_model"] = gj;
    } else {
        j["growth_model"] = nullptr;
    }

    Json inputs = Json::array();
    for (const auto& s : m.inputs) {
        Json ij;
        ij["path"] = s.path;
        ij["format"] = to_string(s.format);
        ij["build"] = to_string(s.build);
        ij["caller"] = text_or_null(s.caller);
        ij["samples"] = s.samples;
        inputs.push_back(ij);
    }
    j["inputs"] = inputs;
    j["skipped_samples"] = m.skipped_samples;

    Json samples = Json::array();
    for (const auto& s : m.samples) samples.push_back(sample_json(s, m));
    j["samples"] = samples;

    Json trajectories = Json::array();
    for (const auto& t : m.trajectories) trajectories.push_back(trajectory_json(t));
    j["trajectories"] = trajectories;

    Json citations = Json::array();
    for (const auto& key : m.citations_used()) citations.push_back(citation_json(panel.citations().at(key)));
    j["citations"] = citations;
    j["references"] = m.free_references();

    out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace kitrx
