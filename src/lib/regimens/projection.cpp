// SPDX-License-Identifier: MIT
// projection: the growth model (strict YAML, like the regimen file) and the day-by-day clone
// growth it drives under a regimen, a hypothesis-generating model, not a prediction.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "drug_calls.hpp"
#include "kitrx/common/resources.hpp"
#include "kitrx/regimens/regimens.hpp"
#include "strict_yaml.hpp"

namespace kitrx {

using namespace regimen_yaml;
using namespace regimen_detail;

namespace {

double parse_rate(const yaml::Node& node, const std::string& what, Problems& problems) {
    if (!check_map(node, what, {"doubling_days", "halving_days", "rate_per_day"}, problems)) return 0.0;
    if (node.size() != 1) {
        problems.add(node.Mark(), what + ": give exactly one of doubling_days, halving_days, rate_per_day");
        return 0.0;
    }
    const double ln2 = std::log(2.0);
    if (node["doubling_days"]) {
        auto v = get_number(node["doubling_days"], what + ".doubling_days", problems);
        if (v && *v <= 0.0) problems.add(node["doubling_days"].Mark(), what + ".doubling_days must be > 0");
        return v && *v > 0.0 ? ln2 / *v : 0.0;
    }
    if (node["halving_days"]) {
        auto v = get_number(node["halving_days"], what + ".halving_days", problems);
        if (v && *v <= 0.0) problems.add(node["halving_days"].Mark(), what + ".halving_days must be > 0");
        return v && *v > 0.0 ? -ln2 / *v : 0.0;
    }
    auto v = get_number(node["rate_per_day"], what + ".rate_per_day", problems);
    if (v && std::fabs(*v) > 1.0)
        problems.add(node["rate_per_day"].Mark(), what + ".rate_per_day must be in [-1, 1]");
    return v.value_or(0.0);
}

}  // namespace

GrowthModel load_growth_model(std::istream& in, const std::string& source_name) {
    const yaml::Node root = parse(in, source_name);
    Problems problems = problems_for(source_name);
    GrowthModel model;
    model.source = source_name;
    const std::string what = "the growth model";
    if (!root || root.IsNull()) {
        problems.add(yaml::Mark::null_mark(), "empty growth-model file");
    } else if (check_map(root, what, {"name", "version", "description", "rates", "rationale", "citations"},
                         problems)) {
        model.name = get_string(root, "name", what, true, problems).value_or("");
        model.version = get_string(root, "version", what, true, problems).value_or("");
        get_string(root, "description", what, false, problems);
        model.rationale = get_string(root, "rationale", what, true, problems).value_or("");
        for (auto& [c, mark] : get_string_list(root, "citations", what, problems))
            model.citations.push_back(c);
        const yaml::Node rates = root["rates"];
        if (!rates) {
            problems.add(root.Mark(), what + ": missing key 'rates'");
        } else if (check_map(rates, "rates", {"resistant", "unknown", "intermediate", "sensitive"},
                             problems)) {
            const std::pair<const char*, double*> fields[] = {{"resistant", &model.rate_untreated},
                                                              {"unknown", &model.rate_unknown},
                                                              {"intermediate", &model.rate_intermediate},
                                                              {"sensitive", &model.rate_sensitive}};
            for (const auto& [key, target] : fields) {
                if (!rates[key])
                    problems.add(rates.Mark(), "rates: missing key '" + std::string(key) + "'");
                else
                    *target = parse_rate(rates[key], std::string("rates.") + key, problems);
            }
        }
    }
    problems.raise_if_any<RegimenError>();
    return model;
}

GrowthModel load_growth_model(const std::string& path) {
    std::ifstream in = open_file(path, "growth-model", "growth-model file");
    return load_growth_model(in, path);
}

GrowthModel default_growth_model() {
    std::istringstream in{std::string(embedded_resource("models/growth.yaml"))};
    return load_growth_model(in, "<builtin>:models/growth.yaml");
}

Projection simulate(const SampleClones& sample,
                    const Regimen& regimen,
                    const ActivityPanel& panel,
                    const GrowthModel& model,
                    int weeks) {
    if (weeks < 0) throw std::invalid_argument("simulate: weeks must be >= 0");
    const auto steps = step_drug_indices(regimen, panel);
    Projection out;
    out.sample = sample.sample;
    out.regimen = &regimen;
    out.label = kModelLabel;

    std::vector<double> size;
    double secondary_sum = 0.0;
    for (std::size_t i = 0; i < sample.clones.size(); ++i) {
        const Clone& c = sample.clones[i];
        if (c.detected() && c.role == VariantRole::kSecondary) secondary_sum += nan_as_zero(c.fraction);
    }
    if (sample.primary_detected()) {
        const auto ref = static_cast<std::size_t>(sample.reference);
        check_activity(sample.clones[ref], panel);
        out.populations.push_back(sample.clones[ref].id);
        out.clone_index.push_back(ref);
        size.push_back(std::max(0.0, 1.0 - secondary_sum));
    }
    for (std::size_t i = 0; i < sample.clones.size(); ++i) {
        const Clone& c = sample.clones[i];
        if (!c.detected() || c.role != VariantRole::kSecondary) continue;
        check_activity(c, panel);
        out.populations.push_back(c.id);
        out.clone_index.push_back(i);
        size.push_back(nan_as_zero(c.fraction));
    }
    // No truncal reference (fractions NA): start the secondaries at their shares of the detected
    // VAF, so that the projection shows relative growth instead of a flat zero.
    if (!sample.primary_detected()) {
        double vaf_sum = 0.0;
        for (auto ci : out.clone_index) vaf_sum += nan_as_zero(sample.clones[ci].vaf);
        for (std::size_t p = 0; p < size.size(); ++p)
            if (std::isnan(sample.clones[out.clone_index[p]].fraction) && vaf_sum > 0)
                size[p] = nan_as_zero(sample.clones[out.clone_index[p]].vaf) / vaf_sum;
    }

    auto rate_of = [&](Activity a) {
        switch (a) {
            case Activity::kSensitive:
                return model.rate_sensitive;
            case Activity::kIntermediate:
                return model.rate_intermediate;
            case Activity::kUnknown:
                return model.rate_unknown;
            case Activity::kResistant:
                return model.rate_untreated;
        }
        return model.rate_unknown;
    };
    // Daily growth factor per step and population.
    std::vector<std::vector<double>> factor(steps.size());
    for (std::size_t k = 0; k < steps.size(); ++k)
        for (auto ci : out.clone_index)
            factor[k].push_back(
                std::exp(rate_of(best_call(sample.clones[ci], steps[k], regimen, panel).activity)));

    // Schedule model pk: a daily factor per day of the period from the exposure slices of that
    // day (each slice's rate weighted by its hours), so the projection uses the same curves as
    // the coverage. Alternations use the periodic steady state from day 0.
    std::vector<std::vector<double>> day_factor;
    if (!regimen.exposure.empty()) {
        const int days = regimen.period_days();
        day_factor.assign(static_cast<std::size_t>(days), std::vector<double>(out.clone_index.size(), 0.0));
        double start = 0.0;
        for (const auto& slice : regimen.exposure) {
            std::vector<std::size_t> idx;
            for (const auto& d : slice.drugs)
                if (auto i = drug_index(panel, d)) idx.push_back(*i);
            double t = start;
            const double end = start + slice.hours;
            while (t < end - 1e-9) {
                const auto day = static_cast<std::size_t>(std::floor(t / 24.0 + 1e-9));
                const double part = std::min(end, (static_cast<double>(day) + 1) * 24.0) - t;
                if (day < day_factor.size())
                    for (std::size_t p = 0; p < out.clone_index.size(); ++p)
                        day_factor[day][p] +=
                            rate_of(
                                best_call(sample.clones[out.clone_index[p]], idx, regimen, panel).activity) *
                            part / 24.0;
                t += part;
            }
            start = end;
        }
        for (auto& d : day_factor)
            for (auto& f : d) f = std::exp(f);
    }

    const bool single_step = steps.size() == 1;
    const int period = regimen.period_days();
    auto step_at = [&](int day) -> std::size_t {
        if (single_step) return 0;
        int pos = regimen.kind == RegimenKind::kAlternation ? day % period : day;
        for (std::size_t k = 0; k < regimen.steps.size(); ++k) {
            if (pos < regimen.steps[k].days) return k;
            pos -= regimen.steps[k].days;
        }
        return regimen.steps.size() - 1;  // a sequence continues its last step
    };
    auto record = [&](int week) {
        ProjectionWeek w;
        w.week = week;
        w.size = size;
        for (double s : size) w.total += s;
        for (double s : size) w.share.push_back(w.total > 0.0 ? s / w.total : kUnknownFraction);
        out.weeks.push_back(std::move(w));
    };
    record(0);
    for (int week = 1; week <= weeks; ++week) {
        for (int day = (week - 1) * 7; day < week * 7; ++day) {
            if (!day_factor.empty()) {
                const int pos =
                    regimen.kind == RegimenKind::kAlternation ? day % period : std::min(day, period - 1);
                for (std::size_t p = 0; p < size.size(); ++p)
                    size[p] *= day_factor[static_cast<std::size_t>(pos)][p];
                continue;
            }
            const auto k = step_at(day);
            for (std::size_t p = 0; p < size.size(); ++p) size[p] *= factor[k][p];
        }
        record(week);
    }
    return out;
}

}  // namespace kitrx
