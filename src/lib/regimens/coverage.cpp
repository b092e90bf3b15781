// SPDX-License-Identifier: MIT
// coverage: one regimen over one sample's clones. Turns the best call of each step (or exposure
// slice) into the time each clone spends sensitive, intermediate, unknown, resistant or
// untreated, the burdens over the target clones, the evidence grade and the ranking tier.
#include <algorithm>
#include <cmath>

#include "drug_calls.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/regimens/regimens.hpp"

namespace kitrx {

using namespace regimen_detail;

namespace {

bool covers(Activity a) {
    return a == Activity::kSensitive || a == Activity::kIntermediate;
}

}  // namespace

std::string RegimenCoverage::clone_list(const SampleClones& sample_clones,
                                        std::initializer_list<CoverageStatus> statuses) const {
    std::vector<std::string> names;
    for (const auto& c : clones)
        if (std::find(statuses.begin(), statuses.end(), c.status) != statuses.end())
            names.push_back(sample_clones.clones[c.clone].short_name());
    return join(names, ",");
}

RegimenCoverage evaluate_regimen(const SampleClones& sample,
                                 const Regimen& regimen,
                                 const ActivityPanel& panel) {
    auto steps = step_drug_indices(regimen, panel);
    RegimenCoverage out;
    out.sample = sample.sample;
    out.regimen = &regimen;
    // Single agents and combinations are one step covering the whole period. Under the pk
    // schedule model the steps are the exposure slices and the weights their hours.
    std::vector<double> days;
    if (!regimen.exposure.empty()) {
        steps.clear();
        for (const auto& slice : regimen.exposure) {
            std::vector<std::size_t> idx;
            for (const auto& d : slice.drugs)
                if (auto i = drug_index(panel, d)) idx.push_back(*i);
            steps.push_back(std::move(idx));
            days.push_back(slice.hours);
        }
    } else {
        for (const auto& s : regimen.steps) days.push_back(steps.size() == 1 ? 1.0 : s.days);
    }
    double period = 0;
    for (double d : days) period += d;
    // Burdens are over the detected secondary clones (the resistance the regimen must suppress);
    // a sample without one is judged on its primary clones (the "what first" question).
    bool any_secondary = false, any_primary = false;
    for (const auto& c : sample.clones) {
        if (!c.detected()) continue;
        any_secondary = any_secondary || c.role == VariantRole::kSecondary;
        any_primary = any_primary || c.role == VariantRole::kPrimary;
    }
    const VariantRole target_role = any_secondary ? VariantRole::kSecondary : VariantRole::kPrimary;
    out.burden_basis = any_secondary ? "secondary" : any_primary ? "primary" : "";

    out.approved_for_sample = regimen.approved;
    if (regimen.approved && !regimen.approved_for.empty()) {
        out.approved_for_sample = false;
        for (const auto& g : regimen.approved_for)
            out.approved_for_sample = out.approved_for_sample || g.matches(sample);
    }
    // A label or guideline speaks for the genotypes it was approved for: outside them (the FDA
    // avapritinib label, PDGFRA exon 18, cited for KIT PDX models) it is a record of the label,
    // graded as knowledge-base (evidence file section 5.1 and 10.4).
    auto effective = [&](const CloneCall& call) {
        return call.grade == EvidenceGrade::kGuideline && !out.approved_for_sample
                   ? EvidenceGrade::kKnowledgeBase
                   : call.grade;
    };

    double sum_f = 0.0, covered = 0.0, covered_clinical = 0.0, partial = 0.0, unknown = 0.0, resistant = 0.0,
           untreated = 0.0;
    bool any_target = false, any_covering = false, any_nonpreclinical = false, any_active_clinical = false;
    EvidenceGrade weakest = EvidenceGrade::kClinical;
    double largest = -1.0;
    for (std::size_t ci = 0; ci < sample.clones.size(); ++ci) {
        const Clone& clone = sample.clones[ci];
        if (!clone.detected()) continue;
        check_activity(clone, panel);
        CloneCoverage cov;
        cov.clone = ci;
        double d_s = 0, d_i = 0, d_u = 0, d_r = 0, d_sc = 0, d_n = 0;
        bool covered_once = false;
        EvidenceGrade clone_weakest = EvidenceGrade::kClinical;
        for (std::size_t k = 0; k < steps.size(); ++k) {
            CloneCall call = best_call(clone, steps[k], regimen, panel);
            call.grade = effective(call);
            cov.per_step.push_back(call.activity);
            cov.per_step_grade.push_back(call.grade);
            if (steps[k].empty()) {  // pk model: no drug above its threshold (not a resistant call)
                d_n += days[k];
                continue;
            }
            switch (call.activity) {
                case Activity::kSensitive:
                    d_s += days[k];
                    if (is_clinical(call.grade) && !call.low_confidence) d_sc += days[k];
                    break;
                case Activity::kIntermediate:
                    d_i += days[k];
                    break;
                case Activity::kUnknown:
                    d_u += days[k];
                    break;
                case Activity::kResistant:
                    d_r += days[k];
                    break;
            }
            if (covers(call.activity)) {
                covered_once = true;
                cov.active_clinical =
                    cov.active_clinical || (is_clinical(call.grade) && !call.low_confidence);
                // A low-confidence call counts as class extrapolation when grading.
                const EvidenceGrade g =
                    call.low_confidence ? std::max(call.grade, EvidenceGrade::kClass) : call.grade;
                clone_weakest = std::max(clone_weakest, g);
                cov.low_confidence = cov.low_confidence || call.low_confidence;
                cov.conflicting = cov.conflicting || call.conflicting;
            }
        }
        cov.grade = covered_once ? clone_weakest : EvidenceGrade::kNone;
        const double p = period;
        cov.time_sensitive = d_s / p;
        cov.time_intermediate = d_i / p;
        cov.time_unknown = d_u / p;
        cov.time_resistant = d_r / p;
        cov.time_sensitive_clinical = d_sc / p;
        cov.time_untreated = d_n / p;
        if (d_s >= period * (1 - 1e-12))
            cov.status = CoverageStatus::kCovered;
        else if (d_s > 0)
            cov.status = CoverageStatus::kPartialTime;
        else if (d_i > 0)
            cov.status = CoverageStatus::kPartial;
        else if (d_u > 0)
            cov.status = CoverageStatus::kEscapingUnknown;
        else
            cov.status = CoverageStatus::kEscapingResistant;
        switch (cov.status) {
            case CoverageStatus::kCovered:
                ++out.n_covered;
                break;
            case CoverageStatus::kPartialTime:
                ++out.n_partial_time;
                break;
            case CoverageStatus::kPartial:
                ++out.n_partial;
                break;
            case CoverageStatus::kEscapingUnknown:
                ++out.n_escaping_unknown;
                break;
            case CoverageStatus::kEscapingResistant:
                ++out.n_escaping_resistant;
                break;
        }
        // Without a truncal reference fractions are NA: compare the clones by VAF instead.
        const double weight = std::isnan(clone.fraction) ? nan_as_zero(clone.vaf) : clone.fraction;
        if (is_escaping(cov.status) && weight > largest) {
            largest = weight;
            out.largest_escaping = static_cast<int>(ci);
        }
        if (clone.role == target_role) {
            any_target = true;
            // No truncal reference (issue 15): fractions are NA, the burden is weighted by VAF.
            const double f = std::isnan(clone.fraction) ? clone.vaf : clone.fraction;
            sum_f += f;
            covered += f * cov.time_sensitive;
            covered_clinical += f * cov.time_sensitive_clinical;
            partial += f * cov.time_intermediate;
            unknown += f * cov.time_unknown;
            resistant += f * cov.time_resistant;
            untreated += f * cov.time_untreated;
            if (covered_once) {
                any_covering = true;
                weakest = std::max(weakest, cov.grade);
                any_nonpreclinical = any_nonpreclinical || cov.grade <= EvidenceGrade::kKnowledgeBase;
                // Counted even when the burdens are NaN (fractions unknown).
                any_active_clinical = any_active_clinical || cov.active_clinical;
                if (cov.low_confidence) ++out.n_low_confidence;
                if (cov.conflicting) ++out.n_conflicting;
            }
        }
        out.clones.push_back(std::move(cov));
    }
    if (any_target && sum_f > 0.0) {  // NaN fails the comparison and leaves the burdens NaN
        out.covered_burden = covered / sum_f;
        out.covered_burden_clinical = covered_clinical / sum_f;
        out.partial_burden = partial / sum_f;
        out.unknown_burden = unknown / sum_f;
        out.resistant_burden = resistant / sum_f;
        out.untreated_burden = untreated / sum_f;
        out.escaping_burden = (unknown + resistant + untreated) / sum_f;
    }
    out.grade = any_covering ? weakest : EvidenceGrade::kNone;
    for (const auto& soc : regimen.standard_of_care)
        if (soc.genotype.matches(sample)) out.standard.push_back(&soc);
    if (!any_covering)
        out.tier = RegimenTier::kNoKnownActivity;
    else if (!regimen.hypothetical && out.approved_for_sample && any_active_clinical)
        out.tier = RegimenTier::kClinical;
    else if (!regimen.hypothetical && any_nonpreclinical)
        out.tier = RegimenTier::kInvestigational;
    else
        out.tier = RegimenTier::kHypothesis;
    return out;
}

}  // namespace kitrx
