// SPDX-License-Identifier: MIT
// report.html's model: what the page shows, picked and grouped from the ReportModel in one
// place, so that the rendering files (html_charts, report_html, html_sample) only format it.
#include <algorithm>
#include <cmath>
#include <set>

#include "report/html_parts.hpp"
#include "report/report_util.hpp"

namespace kitrx::report_html {

std::string clone_label(const Clone& c) {
    std::string names;
    for (std::size_t i = 0; i < c.variants.size(); ++i) {
        const auto& v = c.variants[i];
        names += (i ? "+" : "") + (v.gene == "KIT" || v.gene.empty() ? "" : v.gene + " ") + v.protein;
    }
    return names.empty() ? c.id : names;
}

std::string drug_name(const ActivityPanel& panel, const std::string& id) {
    const Drug* d = panel.drug(id);
    return d && !d->name.empty() ? d->name : id;
}

std::vector<const Clone*> heatmap_rows(const SampleClones& sc) {
    std::vector<const Clone*> rows;
    for (const auto& c : sc.clones)
        if (c.detected()) rows.push_back(&c);
    return rows;
}

// Absence is only claimed where reads were there to show it; the other groups say why not.
NegativeGroups negative_groups(const SampleClones& sc) {
    NegativeGroups g;
    for (const auto& c : sc.clones) {
        if (c.status == CloneStatus::kNotDetected)
            g.not_detected.push_back(&c);
        else if (c.status == CloneStatus::kNotCovered)
            g.not_covered.push_back(&c);
        else if (c.status == CloneStatus::kNotAssessed)
            g.not_assessed.push_back(&c);
    }
    return g;
}

std::vector<FractionRow> fraction_rows(const SampleClones& sc) {
    std::vector<FractionRow> rows;
    if (!std::isnan(sc.tumour_fraction))
        rows.push_back({"tumour fraction (2 \xC3\x97 VAF)", sc.tumour_fraction, sc.tumour_fraction_ci, true,
                        kUnknownFraction, true, nullptr});
    for (const auto& c : sc.clones)
        rows.push_back({clone_label(c) + (c.has_flag(kFlagTruncalReference) ? " (reference)" : ""),
                        c.fraction, c.fraction_ci, c.detected(), c.lod_fraction, false, &c});
    return rows;
}

std::vector<TierGroup> tier_groups(const ReportSample& s) {
    std::vector<TierGroup> groups;
    for (RegimenTier t : {RegimenTier::kClinical, RegimenTier::kInvestigational, RegimenTier::kHypothesis,
                          RegimenTier::kNoKnownActivity}) {
        TierGroup g{t, {}};
        for (std::size_t i = 0; i < s.regimens.size(); ++i)
            if (s.regimens[i].regimen && s.regimens[i].tier == t) g.rows.push_back(i);
        if (!g.rows.empty()) groups.push_back(std::move(g));
    }
    return groups;
}

TreatmentMap treatment_map(const ReportSample& s) {
    TreatmentMap t;
    t.best = report_detail::best_regimen(s);
    if (!t.best || !t.best->regimen) return t;
    for (const auto& r : s.regimens)
        for (const StandardOfCare* soc : r.standard) t.standards.push_back({r.regimen, soc});
    t.half_life_ranks = t.best->rank_half_life_low > 0 && t.best->rank_half_life_high > 0;
    if (t.half_life_ranks)
        for (const auto& r : s.regimens)
            if (r.regimen && r.rank <= 5 &&
                (r.rank_half_life_low != r.rank || r.rank_half_life_high != r.rank))
                t.moved.push_back(&r);
    return t;
}

std::vector<EvidenceRow> evidence_rows(const ReportModel& m) {
    const ActivityPanel& panel = *m.panel;
    std::vector<EvidenceRow> rows;
    std::set<std::string> seen;
    for (const auto& s : m.samples)
        for (const auto& c : s.clones.clones) {
            if (!c.detected()) continue;
            for (const auto& v : c.variants) {
                const AnnotatedVariant* src = report_detail::source_variant(s, v);
                if (!src) continue;
                for (std::size_t d = 0; d < panel.drugs().size() && d < src->match.calls.size(); ++d) {
                    const std::string key = v.gene + ":" + v.protein + "|" + to_string(src->variant.role) +
                                            "|" + (src->match.rule ? src->match.rule->id : "") + "|" +
                                            panel.drugs()[d].id;
                    if (seen.insert(key).second) rows.push_back({d, v, *src, src->match.calls[d]});
                }
            }
        }
    return rows;
}

std::vector<PatientTrajectories> patient_trajectories(const ReportModel& m) {
    std::vector<std::string> patients;
    for (const auto& t : m.trajectories)
        if (std::find(patients.begin(), patients.end(), t.patient) == patients.end())
            patients.push_back(t.patient);
    std::vector<PatientTrajectories> out;
    for (std::size_t n = 0; n < patients.size(); ++n) {
        PatientTrajectories p{patients[n], n + 1, {}};
        for (const auto& t : m.trajectories)
            if (t.patient == patients[n] && !t.points.empty()) p.clones.push_back(&t);
        if (!p.clones.empty()) out.push_back(std::move(p));
    }
    return out;
}

}  // namespace kitrx::report_html
