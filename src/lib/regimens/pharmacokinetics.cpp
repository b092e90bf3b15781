// SPDX-License-Identifier: MIT
#include "kitrx/regimens/pharmacokinetics.hpp"

#include <algorithm>

namespace kitrx {

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

}  // namespace kitrx
