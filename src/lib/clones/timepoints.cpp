// SPDX-License-Identifier: MIT
// timepoints: the sample sheet that places samples in time (strict TSV) and the trajectory of
// each clone across a patient's timepoints (emerging, clearing, expanding, ...).
#include "kitrx/clones/timepoints.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <stdexcept>

#include "kitrx/common/limits.hpp"
#include "kitrx/common/text.hpp"

namespace kitrx {

std::string to_string(TrajectoryCall c) {
    switch (c) {
        case TrajectoryCall::kEmerging:
            return "emerging";
        case TrajectoryCall::kClearing:
            return "clearing";
        case TrajectoryCall::kExpanding:
            return "expanding";
        case TrajectoryCall::kContracting:
            return "contracting";
        case TrajectoryCall::kStable:
            return "stable";
        case TrajectoryCall::kAbsent:
            return "absent";
    }
    return "absent";
}

std::string to_string(TrajectoryMetric m) {
    return m == TrajectoryMetric::kCloneFraction ? "clone_fraction" : "vaf";
}

// ---------------------------------------------------------------------------------------------
// Sample sheet

namespace {

const std::vector<std::string> kSheetColumns = {"sample", "patient", "timepoint", "input"};

// What trim() strips from sheet fields: spaces and carriage returns, not tabs (tabs separate the
// fields, so a line of tabs alone is not blank).
constexpr std::string_view kBlanks = " \r";

bool is_number(const std::string& s, double& value) {
    if (s.empty()) return false;
    char* end = nullptr;
    value = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(value);
}

bool is_iso_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

std::string location(const std::string& file, int line) {
    return file + ":" + std::to_string(line);
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

[[noreturn]] void throw_problems(const std::vector<std::string>& problems) {
    std::string what;
    for (const auto& p : problems) what += (what.empty() ? "" : "\n") + p;
    throw InputError(SourceLocation{}, what);
}

void assign_orders(std::vector<SampleSheetRow>& rows) {
    std::map<std::string, std::vector<std::size_t>> by_patient;
    for (std::size_t i = 0; i < rows.size(); ++i) by_patient[rows[i].patient].push_back(i);
    for (auto& entry : by_patient) {
        // Not a structured binding: C++17 lambdas cannot capture one (clang rejects it).
        const std::vector<std::size_t>& idx = entry.second;
        bool numeric = true, dates = true;
        std::vector<double> values(idx.size());
        for (std::size_t k = 0; k < idx.size(); ++k) {
            numeric = numeric && is_number(rows[idx[k]].timepoint, values[k]);
            dates = dates && is_iso_date(rows[idx[k]].timepoint);
        }
        std::vector<std::size_t> order(idx.size());
        std::iota(order.begin(), order.end(), 0);
        if (numeric)
            std::stable_sort(order.begin(), order.end(),
                             [&](auto a, auto b) { return values[a] < values[b]; });
        else if (dates)
            std::stable_sort(order.begin(), order.end(),
                             [&](auto a, auto b) { return rows[idx[a]].timepoint < rows[idx[b]].timepoint; });
        for (std::size_t rank = 0; rank < order.size(); ++rank)
            rows[idx[order[rank]]].order = static_cast<int>(rank);
    }
}

}  // namespace

std::vector<SampleSheetRow> read_sample_sheet(std::istream& in, const std::string& source_name) {
    std::vector<std::string> problems;
    std::vector<SampleSheetRow> rows;
    std::vector<int> column_of(kSheetColumns.size(), -1);
    std::size_t n_columns = 0;
    bool header_seen = false;
    int prior_column = -1;
    std::map<std::pair<std::string, std::string>, int> timepoint_line, input_sample_line;
    const std::string dir = source_name == "-" ? std::string() : directory_of(source_name);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line, kBlanks).empty() || line[0] == '#') continue;
        const auto fields = split_tabs(line);
        if (!header_seen) {
            header_seen = true;
            n_columns = fields.size();
            for (std::size_t i = 0; i < fields.size(); ++i) {
                const std::string name = trim(fields[i], kBlanks);
                if (name == "prior") {  // optional: drugs failed before this sample, comma-separated
                    if (prior_column >= 0)
                        problems.push_back(location(source_name, line_no) + ": duplicate column 'prior'");
                    prior_column = static_cast<int>(i);
                    continue;
                }
                const auto it = std::find(kSheetColumns.begin(), kSheetColumns.end(), name);
                if (it == kSheetColumns.end()) {
                    problems.push_back(
                        location(source_name, line_no) + ": unknown column '" + name +
                        "'; expected the tab-separated columns sample, patient, timepoint, input");
                    continue;
                }
                auto& slot = column_of[static_cast<std::size_t>(it - kSheetColumns.begin())];
                if (slot >= 0)
                    problems.push_back(location(source_name, line_no) + ": duplicate column '" + name + "'");
                slot = static_cast<int>(i);
            }
            for (std::size_t c = 0; c < kSheetColumns.size(); ++c)
                if (column_of[c] < 0)
                    problems.push_back(location(source_name, line_no) + ": missing column '" +
                                       kSheetColumns[c] +
                                       "'; the header line must name sample, patient, timepoint, input");
            if (!problems.empty()) throw_problems(problems);
            continue;
        }
        if (fields.size() != n_columns) {
            problems.push_back(location(source_name, line_no) + ": expected " + std::to_string(n_columns) +
                               " tab-separated fields, found " + std::to_string(fields.size()));
            continue;
        }
        SampleSheetRow row;
        std::string* targets[] = {&row.sample, &row.patient, &row.timepoint, &row.input};
        bool ok = true;
        for (std::size_t c = 0; c < kSheetColumns.size(); ++c) {
            *targets[c] = trim(fields[static_cast<std::size_t>(column_of[c])], kBlanks);
            if (targets[c]->empty()) {
                problems.push_back(location(source_name, line_no) + ": empty '" + kSheetColumns[c] +
                                   "' field");
                ok = false;
            }
        }
        if (!ok) continue;
        if (prior_column >= 0) {
            // "", "." and "none" mean no failed drug (a treatment-naive sample).
            const std::string list = trim(fields[static_cast<std::size_t>(prior_column)], kBlanks);
            if (!list.empty() && list != "." && list != "none")
                for (const auto& item : split(list, ','))
                    if (auto d = trim(item, kBlanks); !d.empty()) row.prior.push_back(std::move(d));
        }
        row.where = SourceLocation{source_name, line_no, 0, ""};
        row.input_resolved =
            (row.input[0] == '/' || row.input == "-" || dir.empty()) ? row.input : dir + row.input;
        auto [tp, tp_new] = timepoint_line.emplace(std::make_pair(row.patient, row.timepoint), line_no);
        if (!tp_new)
            problems.push_back(location(source_name, line_no) + ": patient '" + row.patient +
                               "' has timepoint '" + row.timepoint + "' twice; first at line " +
                               std::to_string(tp->second));
        auto [is, is_new] = input_sample_line.emplace(std::make_pair(row.input, row.sample), line_no);
        if (!is_new)
            problems.push_back(location(source_name, line_no) + ": sample '" + row.sample + "' of '" +
                               row.input + "' is listed twice; first at line " + std::to_string(is->second));
        rows.push_back(std::move(row));
    }
    if (!header_seen)
        problems.push_back(source_name +
                           ": empty sample sheet; expected a header line: sample, patient, timepoint, input");
    else if (rows.empty() && problems.empty())
        problems.push_back(source_name + ": the sample sheet lists no samples");
    if (!problems.empty()) throw_problems(problems);
    assign_orders(rows);
    return rows;
}

std::vector<SampleSheetRow> read_sample_sheet(const std::string& path) {
    check_file_size(path, kMaxYamlBytes, "sample sheet");
    std::ifstream in(path);
    if (!in) throw IoError("cannot open sample sheet '" + path + "': " + std::strerror(errno));
    return read_sample_sheet(in, path);
}

// ---------------------------------------------------------------------------------------------
// Trajectories

TrajectoryCall call_change(const TrajectoryPoint& a,
                           const TrajectoryPoint& b,
                           VariantRole role,
                           const TrajectoryOptions& options,
                           TrajectoryMetric* metric) {
    const bool use_fraction = role != VariantRole::kPrimary && a.primary_detected && b.primary_detected;
    if (metric) *metric = use_fraction ? TrajectoryMetric::kCloneFraction : TrajectoryMetric::kVaf;
    const bool da = a.status == CloneStatus::kDetected, db = b.status == CloneStatus::kDetected;
    if (!da && !db) return TrajectoryCall::kAbsent;
    if (!da) return TrajectoryCall::kEmerging;
    if (!db) return TrajectoryCall::kClearing;
    const double va = use_fraction ? a.fraction : a.vaf;
    const double vb = use_fraction ? b.fraction : b.vaf;
    const ConfidenceInterval ca = use_fraction ? a.fraction_ci : a.vaf_ci;
    const ConfidenceInterval cb = use_fraction ? b.fraction_ci : b.vaf_ci;
    if (std::isnan(va) || std::isnan(vb)) return TrajectoryCall::kStable;
    const bool check_ci = options.require_ci_separation && ca.known() && cb.known();
    if (vb >= options.fold * va && (!check_ci || cb.low > ca.high)) return TrajectoryCall::kExpanding;
    if (vb * options.fold <= va && (!check_ci || cb.high < ca.low)) return TrajectoryCall::kContracting;
    return TrajectoryCall::kStable;
}

std::vector<CloneTrajectory> build_trajectories(const std::vector<TimepointSample>& samples,
                                                const TrajectoryOptions& options) {
    if (!(options.fold > 1.0)) throw std::invalid_argument("trajectory fold must be > 1");
    std::vector<std::string> patients;
    std::map<std::string, std::vector<const TimepointSample*>> by_patient;
    for (const auto& s : samples) {
        if (!s.clones) throw std::invalid_argument("timepoint '" + s.timepoint + "' has no clones");
        if (!by_patient.count(s.patient)) patients.push_back(s.patient);
        by_patient[s.patient].push_back(&s);
    }
    std::vector<CloneTrajectory> out;
    for (const auto& patient : patients) {
        auto& tps = by_patient[patient];
        std::stable_sort(tps.begin(), tps.end(), [](auto* a, auto* b) { return a->order < b->order; });
        std::vector<std::string> ids;
        std::map<std::string, const Clone*> first;
        for (const auto* tp : tps)
            for (const auto& c : tp->clones->clones)
                if (first.emplace(c.id, &c).second) ids.push_back(c.id);
        for (const auto& id : ids) {
            CloneTrajectory t;
            t.patient = patient;
            t.clone = id;
            t.variants = first[id]->variant_names();
            t.role = first[id]->role;
            for (const auto* tp : tps) {
                TrajectoryPoint p;
                p.timepoint = tp->timepoint;
                p.sample = tp->clones->sample;
                p.primary_detected = tp->clones->primary_detected();
                if (const Clone* c = tp->clones->find(id)) {
                    p.assessed = true;
                    p.status = c->status;
                    p.vaf = c->vaf;
                    p.vaf_ci = c->vaf_ci;
                    p.fraction = c->fraction;
                    p.fraction_ci = c->fraction_ci;
                }
                t.points.push_back(std::move(p));
            }
            for (std::size_t k = 1; k < t.points.size(); ++k) {
                TrajectoryMetric m = TrajectoryMetric::kVaf;
                t.calls.push_back(call_change(t.points[k - 1], t.points[k], t.role, options, &m));
                t.metrics.push_back(m);
            }
            if (!t.calls.empty())
                t.latest = t.calls.back();
            else
                t.latest = t.points.front().status == CloneStatus::kDetected ? TrajectoryCall::kStable
                                                                             : TrajectoryCall::kAbsent;
            out.push_back(std::move(t));
        }
    }
    return out;
}

}  // namespace kitrx
