// SPDX-License-Identifier: MIT
// pharmacokinetics: drug exposure over time for schedule coverage (issue 18). A one-compartment,
// first-order-elimination model per active moiety turns a dosing calendar (which days a drug is
// given) into relative exposure curves, and those into the drugs that count as "given" at each
// moment. Part of the regimens module: the PK table's loader, the exposure timelines that
// coverage counts and the curves the report plots are declared here (src/lib/regimens/
// pharmacokinetics.cpp); reads only the PK table and prints nothing.
//
//   E_d(t) = sum_m share_m * k_m * tau * sum_{doses i, t_i <= t} exp(-k_m (t - t_i)),  k = ln 2 / t_half
//
// E = 1 is the average exposure under continuous dosing every tau hours at steady state (for a
// unit dose C = exp(-k t) the steady-state AUC over one interval is 1/k, so Cavg = 1/(k tau)).
// A drug counts as active while E_d(t) >= threshold.
#pragma once

#include <cmath>
#include <istream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/panel/panel.hpp"

namespace kitrx {

struct Regimen;     // regimens.hpp
struct RegimenSet;  // regimens.hpp

struct PkMoiety {
    std::string name;                                                 // "sunitinib", "SU12662"
    double half_life_hours = 0.0;                                     // point value used by default
    double half_life_low = std::numeric_limits<double>::quiet_NaN();  // published range; NaN unknown
    double half_life_high = std::numeric_limits<double>::quiet_NaN();
    double share = 1.0;  // part of the drug's exposure carried by this moiety (shares sum to 1)
    std::vector<std::string> citations;
};

struct DrugPk {
    std::string drug;                   // panel drug id
    double dosing_interval_hours = 24;  // tau
    std::vector<PkMoiety> moieties;
    std::string note;
};

struct PkCitation {
    std::string key, title, publisher, flag, note;
};

struct PkModel {
    std::string name, version, source;
    double threshold = 0.5;  // relative exposure at which a drug counts as active
    std::string threshold_note;
    std::vector<PkCitation> citations;
    std::vector<DrugPk> drugs;
    [[nodiscard]] const DrugPk* find(std::string_view drug) const;
};

// Which half-life of each moiety to use: the point value, or the low / high end of the published
// range (the point value when the range is unknown). For the sensitivity of the ranking.
enum class HalfLife { kPoint, kLow, kHigh };
[[nodiscard]] std::string to_string(HalfLife h);  // "point", "low", "high"

// The moiety's half-life for `which` (the point value when the range is unknown).
[[nodiscard]] double half_life(const PkMoiety& m, HalfLife which);
// The longest half-life (hours, range ends included) among the moieties of `drugs`; 0 when none has
// PK data. Sets how long a simulation must run to forget its start.
[[nodiscard]] double longest_half_life(const PkModel& pk, const std::vector<std::string>& drugs);

// How time on a schedule is counted: by calendar day (a drug acts exactly on its days) or from
// the exposure curves.
enum class ScheduleModel { kCalendar, kPk };
[[nodiscard]] std::string to_string(ScheduleModel m);  // "calendar", "pk"

// Relative exposure of `drug` at `t_hours` after doses at `dose_hours` (all <= t count).
[[nodiscard]] double relative_exposure(const DrugPk& drug,
                                       const std::vector<double>& dose_hours,
                                       double t_hours,
                                       HalfLife which = HalfLife::kPoint);

// A stretch of a regimen's period during which the same drugs are active (schedule model pk).
struct ExposureSlice {
    std::vector<std::string> drugs;  // panel ids active (relative exposure >= threshold)
    double hours = 0.0;
};

// PK table YAML schema (strict; file:line:col errors, raised as RegimenError):
//   name: str  version: str  threshold: number in (0, 1]  threshold_note: str
//   citations: {KEY: {title, publisher, flag: verified|unverified, note}}
//   drugs: [{drug: panel id, dosing_interval_hours: number > 0, note: str,
//            moieties: [{name, half_life_hours > 0, half_life_range: [low, high], share in (0,1],
//                        citations: [KEY...]}]}]      (shares of one drug sum to 1 +- 0.01)
[[nodiscard]] PkModel load_pk_model(const std::string& path, const ActivityPanel& panel);
[[nodiscard]] PkModel load_pk_model(std::istream& in,
                                    const std::string& source_name,
                                    const ActivityPanel& panel);
[[nodiscard]] PkModel default_pk_model(const ActivityPanel& panel);  // resources/models/pharmacokinetics.yaml

// Exposure timeline of a timed regimen: doses at the start of each scheduled day; alternations
// are simulated for enough cycles to reach their periodic steady state and the last cycle is
// read; sequences after a warm-up on their first step (steady state of the first drug at day 0, as single
// agents are counted). Sampled every `step_hours` (divides 24). Drugs without PK data are active exactly on
// their days.
[[nodiscard]] std::vector<ExposureSlice> exposure_timeline(const Regimen& regimen,
                                                           const PkModel& pk,
                                                           HalfLife which = HalfLife::kPoint,
                                                           double step_hours = 0.25);

// Relative exposure of every regimen drug with PK data over `cycles` periods (steady state for
// alternations), sampled every `step_hours`: for the report's exposure plot.
struct ExposureCurve {
    std::string drug;
    std::vector<double> exposure;  // one value per sample, from hour 0
};
[[nodiscard]] std::vector<ExposureCurve> exposure_curves(const Regimen& regimen,
                                                         const PkModel& pk,
                                                         int cycles,
                                                         double step_hours,
                                                         HalfLife which = HalfLife::kPoint);

// Sets the schedule model of every regimen of `set`: pk fills Regimen::exposure for timed
// regimens whose drugs have PK data (else schedule_note says why the calendar model is kept);
// calendar clears it. `pk` may be null for calendar.
void apply_schedule_model(RegimenSet& set,
                          ScheduleModel model,
                          const PkModel* pk,
                          HalfLife which = HalfLife::kPoint);

}  // namespace kitrx
