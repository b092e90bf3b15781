// SPDX-License-Identifier: MIT
#include "kitrx/pharmacokinetics.hpp"

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

double relative_exposure(const DrugPk& drug,
                         const std::vector<double>& dose_hours,
                         double t_hours,
                         HalfLife which) {
    double e = 0.0;
    for (const auto& m : drug.moieties) {
        double h = m.half_life_hours;
        if (which == HalfLife::kLow && !std::isnan(m.half_life_low)) h = m.half_life_low;
        if (which == HalfLife::kHigh && !std::isnan(m.half_life_high)) h = m.half_life_high;
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
