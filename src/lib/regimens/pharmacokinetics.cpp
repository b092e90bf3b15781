// SPDX-License-Identifier: MIT
// pharmacokinetics (issue 18): the PK table's strict loader, the one-compartment exposure model
// and what timed regimens make of it (exposure timelines for coverage, curves for the report's
// plot, the schedule model of a regimen set). Model in pharmacokinetics.hpp.
#include "kitrx/regimens/pharmacokinetics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>

#include "drug_calls.hpp"
#include "kitrx/common/resources.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/regimens/regimens.hpp"
#include "strict_yaml.hpp"

namespace kitrx {

using namespace regimen_yaml;
using regimen_detail::drug_index;
using regimen_detail::panel_drug_list;

const DrugPk* PkModel::find(std::string_view drug) const {
    for (const auto& d : drugs)
        if (d.drug == drug) return &d;
    return nullptr;
}

std::string to_string(HalfLife h) {
    switch (h) {
        case HalfLife::kPoint:
            return "point";
        case HalfLife::kLow:
            return "low";
        case HalfLife::kHigh:
            return "high";
    }
    return "point";
}

std::string to_string(ScheduleModel m) {
    return m == ScheduleModel::kPk ? "pk" : "calendar";
}

double half_life(const PkMoiety& m, HalfLife which) {
    if (which == HalfLife::kLow && !std::isnan(m.half_life_low)) return m.half_life_low;
    if (which == HalfLife::kHigh && !std::isnan(m.half_life_high)) return m.half_life_high;
    return m.half_life_hours;
}

double longest_half_life(const PkModel& pk, const std::vector<std::string>& drugs) {
    double longest = 0.0;
    for (const auto& d : drugs)
        if (const DrugPk* p = pk.find(d))
            for (const auto& m : p->moieties) longest = std::max(longest, half_life(m, HalfLife::kHigh));
    return longest;
}

double relative_exposure(const DrugPk& drug,
                         const std::vector<double>& dose_hours,
                         double t_hours,
                         HalfLife which) {
    double e = 0.0;
    for (const auto& m : drug.moieties) {
        const double h = half_life(m, which);
        if (!(h > 0.0)) continue;
        const double k = std::log(2.0) / h;
        double sum = 0.0;
        for (double td : dose_hours)
            if (td <= t_hours) sum += std::exp(-k * (t_hours - td));
        e += m.share * k * drug.dosing_interval_hours * sum;
    }
    return e;
}

// ---------------------------------------------------------------------------------------------
// Pharmacokinetic table and exposure timelines

namespace {

// skip_unknown_drugs (the shipped table with a narrower user panel): entries for drugs the panel
// lacks are dropped instead of rejected, as default_regimens() does.
PkModel parse_pk_model(std::istream& in,
                       const std::string& source_name,
                       const ActivityPanel& panel,
                       bool skip_unknown_drugs) {
    const yaml::Node root = parse(in, source_name);
    Problems problems = problems_for(source_name);
    PkModel model;
    model.source = source_name;
    const std::string what = "the pharmacokinetic table";
    std::set<std::string> keys;
    if (!root || root.IsNull()) {
        problems.add(yaml::Mark::null_mark(), "empty pharmacokinetic table");
    } else if (check_map(root, what, {"name", "version", "threshold", "threshold_note", "citations", "drugs"},
                         problems)) {
        model.name = get_string(root, "name", what, true, problems).value_or("");
        model.version = get_string(root, "version", what, true, problems).value_or("");
        model.threshold_note = get_string(root, "threshold_note", what, true, problems).value_or("");
        if (!root["threshold"]) {
            problems.add(root.Mark(), what + ": missing key 'threshold'");
        } else if (auto t = get_number(root["threshold"], "threshold", problems)) {
            if (*t <= 0.0 || *t > 1.0) problems.add(root["threshold"].Mark(), "threshold must be in (0, 1]");
            model.threshold = *t;
        }
        const yaml::Node cites = root["citations"];
        if (!cites || !cites.IsMap()) {
            problems.add(cites ? cites.Mark() : root.Mark(),
                         what + ": 'citations' must be a mapping of keys");
        } else {
            for (const auto& kv : cites) {
                PkCitation c;
                c.key = kv.first.Scalar();
                const std::string cw = "citation '" + c.key + "'";
                if (!check_map(kv.second, cw, {"title", "publisher", "flag", "note"}, problems)) continue;
                c.title = get_string(kv.second, "title", cw, true, problems).value_or("");
                c.publisher = get_string(kv.second, "publisher", cw, false, problems).value_or("");
                c.flag = get_string(kv.second, "flag", cw, false, problems).value_or("");
                if (!c.flag.empty() && c.flag != "verified" && c.flag != "unverified")
                    problems.add(kv.second["flag"].Mark(), cw + ".flag must be verified or unverified");
                c.note = get_string(kv.second, "note", cw, false, problems).value_or("");
                keys.insert(c.key);
                model.citations.push_back(std::move(c));
            }
        }
        const yaml::Node drugs = root["drugs"];
        if (!drugs || !drugs.IsSequence()) {
            problems.add(drugs ? drugs.Mark() : root.Mark(), what + ": 'drugs' must be a list");
        } else {
            std::size_t i = 0;
            for (const auto& dn : drugs) {
                const std::string dw = "drugs[" + std::to_string(i++) + "]";
                if (!check_map(dn, dw, {"drug", "dosing_interval_hours", "moieties", "note"}, problems))
                    continue;
                DrugPk d;
                if (auto id = get_string(dn, "drug", dw, true, problems)) {
                    if (auto k = drug_index(panel, *id))
                        d.drug = panel.drugs()[*k].id;
                    else if (!skip_unknown_drugs)
                        problems.add(dn["drug"].Mark(), dw + ": unknown drug '" + *id + "'",
                                     "panel drugs: " + panel_drug_list(panel));
                    if (!d.drug.empty() && model.find(d.drug))
                        problems.add(dn["drug"].Mark(), dw + ": drug '" + *id + "' listed twice");
                }
                if (!dn["dosing_interval_hours"]) {
                    problems.add(dn.Mark(), dw + ": missing key 'dosing_interval_hours'");
                } else if (auto tau = get_number(dn["dosing_interval_hours"], dw + ".dosing_interval_hours",
                                                 problems)) {
                    if (*tau != 24.0)
                        problems.add(dn["dosing_interval_hours"].Mark(),
                                     dw + ".dosing_interval_hours: only once-daily dosing (24) is modelled");
                    d.dosing_interval_hours = *tau;
                }
                d.note = get_string(dn, "note", dw, false, problems).value_or("");
                const yaml::Node ms = dn["moieties"];
                double share_sum = 0.0;
                if (!ms || !ms.IsSequence() || ms.size() == 0) {
                    problems.add(ms ? ms.Mark() : dn.Mark(), dw + ": 'moieties' must be a non-empty list");
                } else {
                    std::size_t j = 0;
                    for (const auto& mn : ms) {
                        const std::string mw = dw + ".moieties[" + std::to_string(j++) + "]";
                        if (!check_map(mn, mw,
                                       {"name", "half_life_hours", "half_life_range", "share", "citations"},
                                       problems))
                            continue;
                        PkMoiety m;
                        m.name = get_string(mn, "name", mw, true, problems).value_or("");
                        if (!mn["half_life_hours"]) {
                            problems.add(mn.Mark(), mw + ": missing key 'half_life_hours'");
                        } else if (auto h =
                                       get_number(mn["half_life_hours"], mw + ".half_life_hours", problems)) {
                            if (*h <= 0.0 || *h > 10000.0)
                                problems.add(mn["half_life_hours"].Mark(),
                                             mw + ".half_life_hours must be in (0, 10000]");
                            m.half_life_hours = *h;
                        }
                        if (const yaml::Node r = mn["half_life_range"]) {
                            if (!r.IsSequence() || r.size() != 2) {
                                problems.add(r.Mark(), mw + ".half_life_range must be [low, high]");
                            } else {
                                auto lo = get_number(r[0], mw + ".half_life_range[0]", problems);
                                auto hi = get_number(r[1], mw + ".half_life_range[1]", problems);
                                if (lo && hi &&
                                    (*lo <= 0.0 || *lo > m.half_life_hours || *hi < m.half_life_hours))
                                    problems.add(r.Mark(),
                                                 mw + ".half_life_range must enclose half_life_hours");
                                if (lo) m.half_life_low = *lo;
                                if (hi) m.half_life_high = *hi;
                            }
                        }
                        m.share = 1.0;
                        if (mn["share"])
                            if (auto sh = get_number(mn["share"], mw + ".share", problems)) {
                                if (*sh <= 0.0 || *sh > 1.0)
                                    problems.add(mn["share"].Mark(), mw + ".share must be in (0, 1]");
                                m.share = *sh;
                            }
                        share_sum += m.share;
                        for (auto& [c, mark] : get_string_list(mn, "citations", mw, problems)) {
                            if (!keys.count(c))
                                problems.add(mark, mw + ": citation key '" + c + "' not defined",
                                             "add it under 'citations:'");
                            m.citations.push_back(c);
                        }
                        if (m.citations.empty())
                            problems.add(mn.Mark(),
                                         mw + ": every number needs a citation (citations: [KEY])");
                        d.moieties.push_back(std::move(m));
                    }
                    if (std::fabs(share_sum - 1.0) > 0.01)
                        problems.add(ms.Mark(), dw + ": the moieties' shares sum to " +
                                                    std::to_string(share_sum) + ", expected 1");
                }
                if (!d.drug.empty()) model.drugs.push_back(std::move(d));
            }
        }
    }
    problems.raise_if_any<RegimenError>();
    return model;
}

}  // namespace

PkModel load_pk_model(std::istream& in, const std::string& source_name, const ActivityPanel& panel) {
    return parse_pk_model(in, source_name, panel, false);
}

PkModel load_pk_model(const std::string& path, const ActivityPanel& panel) {
    std::ifstream in = open_file(path, "pharmacokinetic", "pharmacokinetic table");
    return load_pk_model(in, path, panel);
}

PkModel default_pk_model(const ActivityPanel& panel) {
    std::istringstream in{std::string(embedded_resource("models/pharmacokinetics.yaml"))};
    return parse_pk_model(in, "<builtin>:models/pharmacokinetics.yaml", panel, true);
}

namespace {

// Dose hours and on-days of each drug of a timed regimen over `cycles` periods.
struct DosingPlan {
    std::vector<std::string> drugs;
    std::vector<std::vector<bool>> on_day;  // per drug, per day of the simulated span
    int days = 0;
};

// `warm_days` > 0 (sequences): the first step is given for that many days before day 0, so that a
// sequence starts at the steady state of its first drug, as single agents are counted.
DosingPlan dosing_plan(const Regimen& r, int cycles, int warm_days = 0) {
    DosingPlan plan;
    plan.drugs = r.drugs;
    const int period = r.period_days();
    plan.days = period * cycles + warm_days;
    plan.on_day.assign(plan.drugs.size(), std::vector<bool>(static_cast<std::size_t>(plan.days), false));
    for (int d = 0; d < warm_days; ++d)
        for (const auto& drug : r.steps.front().drugs) {
            const auto it = std::find(plan.drugs.begin(), plan.drugs.end(), drug);
            plan.on_day[static_cast<std::size_t>(it - plan.drugs.begin())][static_cast<std::size_t>(d)] =
                true;
        }
    for (int c = 0; c < cycles; ++c) {
        int day = warm_days + c * period;
        for (std::size_t k = 0; k < r.steps.size(); ++k) {
            const bool last = k + 1 == r.steps.size();
            // A sequence continues its last step beyond the period.
            const int len = r.kind == RegimenKind::kSequence && last ? plan.days - day : r.steps[k].days;
            for (int d = day; d < day + len && d < plan.days; ++d)
                for (const auto& drug : r.steps[k].drugs) {
                    const auto it = std::find(plan.drugs.begin(), plan.drugs.end(), drug);
                    plan.on_day[static_cast<std::size_t>(it - plan.drugs.begin())]
                               [static_cast<std::size_t>(d)] = true;
                }
            day += r.steps[k].days;
        }
        if (r.kind == RegimenKind::kSequence) break;  // one pass
    }
    return plan;
}

int warm_up_days(const Regimen& r, const PkModel& pk) {
    if (r.kind != RegimenKind::kSequence) return 0;
    return static_cast<int>(std::ceil(10.0 * longest_half_life(pk, r.steps.front().drugs) / 24.0));
}

int cycles_for_steady_state(const Regimen& r, const PkModel& pk) {
    if (r.kind != RegimenKind::kAlternation) return 1;
    // Ten half-lives leave < 0.1% of the first cycle's doses; plus the cycle that is read.
    return 1 + static_cast<int>(std::ceil(10.0 * longest_half_life(pk, r.drugs) / (24.0 * r.period_days())));
}

// Relative exposure per drug (PK data) or on/off (calendar) per sample over the simulated span,
// advanced by exact exponential decay between samples (doses fall on sample times).
std::vector<std::vector<double>> simulate_exposure(
    const PkModel& pk, const DosingPlan& plan, double step_hours, HalfLife which, std::vector<bool>& has_pk) {
    const auto per_day = static_cast<std::size_t>(std::llround(24.0 / step_hours));
    const std::size_t n = per_day * static_cast<std::size_t>(plan.days);
    std::vector<std::vector<double>> e(plan.drugs.size(), std::vector<double>(n, 0.0));
    has_pk.assign(plan.drugs.size(), false);
    for (std::size_t d = 0; d < plan.drugs.size(); ++d) {
        const DrugPk* p = pk.find(plan.drugs[d]);
        if (!p) {
            for (std::size_t i = 0; i < n; ++i) e[d][i] = plan.on_day[d][i / per_day] ? 1.0 : 0.0;
            continue;
        }
        has_pk[d] = true;
        for (const auto& m : p->moieties) {
            const double k = std::log(2.0) / half_life(m, which);
            const double decay = std::exp(-k * step_hours);
            const double scale = m.share * k * p->dosing_interval_hours;
            double x = 0.0;
            double* out = e[d].data();
            for (std::size_t day = 0; day < static_cast<std::size_t>(plan.days); ++day) {
                if (plan.on_day[d][day]) x += 1.0;  // the dose at the day's start
                for (std::size_t j = 0; j < per_day; ++j, ++out) {
                    *out += scale * x;
                    x *= decay;
                }
            }
        }
    }
    return e;
}

}  // namespace

std::vector<ExposureSlice> exposure_timeline(const Regimen& regimen,
                                             const PkModel& pk,
                                             HalfLife which,
                                             double step_hours) {
    const int cycles = cycles_for_steady_state(regimen, pk);
    const int warm = warm_up_days(regimen, pk);
    const DosingPlan plan = dosing_plan(regimen, cycles, warm);
    std::vector<bool> has_pk;
    const auto e = simulate_exposure(pk, plan, step_hours, which, has_pk);
    const auto per_day = static_cast<std::size_t>(std::llround(24.0 / step_hours));
    const std::size_t n = per_day * static_cast<std::size_t>(plan.days);
    // Alternations: the last (periodic) cycle; sequences: the period after the warm-up.
    const std::size_t from = n - per_day * static_cast<std::size_t>(regimen.period_days());
    const std::size_t to = n;
    // The active set of each sample as a bit mask; a slice's drug list is built only when it
    // changes (tens of thousands of samples for a sequence, a handful of slices).
    std::vector<ExposureSlice> out;
    std::uint64_t previous = ~std::uint64_t{0};
    for (std::size_t i = from; i < to; ++i) {
        std::uint64_t mask = 0;
        for (std::size_t d = 0; d < plan.drugs.size() && d < 64; ++d)
            if (has_pk[d] ? e[d][i] >= pk.threshold : e[d][i] > 0.5) mask |= std::uint64_t{1} << d;
        if (!out.empty() && mask == previous) {
            out.back().hours += step_hours;
            continue;
        }
        ExposureSlice slice{{}, step_hours};
        for (std::size_t d = 0; d < plan.drugs.size() && d < 64; ++d)
            if (mask >> d & 1U) slice.drugs.push_back(plan.drugs[d]);
        out.push_back(std::move(slice));
        previous = mask;
    }
    return out;
}

std::vector<ExposureCurve> exposure_curves(
    const Regimen& regimen, const PkModel& pk, int cycles, double step_hours, HalfLife which) {
    const int warm = cycles_for_steady_state(regimen, pk);
    const int total = regimen.kind == RegimenKind::kAlternation ? warm - 1 + cycles : 1;
    const DosingPlan plan = dosing_plan(regimen, total, warm_up_days(regimen, pk));
    std::vector<bool> has_pk;
    const auto e = simulate_exposure(pk, plan, step_hours, which, has_pk);
    const auto per_day = static_cast<std::size_t>(std::llround(24.0 / step_hours));
    const std::size_t shown =
        per_day * static_cast<std::size_t>(regimen.period_days()) *
        static_cast<std::size_t>(regimen.kind == RegimenKind::kAlternation ? cycles : 1);
    const std::size_t from = e.empty() ? 0 : e.front().size() - std::min(shown, e.front().size());
    std::vector<ExposureCurve> out;
    for (std::size_t d = 0; d < plan.drugs.size(); ++d) {
        if (!has_pk[d]) continue;
        out.push_back({plan.drugs[d],
                       std::vector<double>(e[d].begin() + static_cast<std::ptrdiff_t>(from), e[d].end())});
    }
    return out;
}

void apply_schedule_model(RegimenSet& set, ScheduleModel model, const PkModel* pk, HalfLife which) {
    set.schedule_model = model;
    set.half_life = which;
    for (auto& r : set.regimens) {
        r.exposure.clear();
        r.schedule_note.clear();
        if (model != ScheduleModel::kPk || !pk) continue;
        if (r.kind != RegimenKind::kAlternation && r.kind != RegimenKind::kSequence) continue;
        if (r.drugs.size() > 64) {  // exposure_timeline keeps the active set in a 64-bit mask
            r.schedule_note = "calendar model: more than 64 drugs in one schedule";
            continue;
        }
        std::vector<std::string> missing;
        for (const auto& d : r.drugs)
            if (!pk->find(d)) missing.push_back(d);
        if (missing.size() == r.drugs.size()) {
            r.schedule_note = "calendar model: no pharmacokinetic data for " + join(missing, ", ");
            continue;
        }
        if (!missing.empty())
            r.schedule_note = "no pharmacokinetic data for " + join(missing, ", ") + ": on its days only";
        r.exposure = exposure_timeline(r, *pk, which);
    }
}

}  // namespace kitrx
