// SPDX-License-Identifier: MIT
// validation metrics: what the matched rows say about the assay (detection, precision, fraction
// bias, replicate CV, limit of detection), overall and per sample, level and expected-VAF bin.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "kitrx/validation/validation.hpp"
#include "validation/validation_util.hpp"

namespace kitrx {

using namespace validation_detail;

namespace {

std::string bin_label(const std::vector<double>& edges, std::size_t bin) {
    if (edges.empty()) return "[0,1]";
    if (bin == 0) return "[0," + short_number(edges[0]) + ")";
    if (bin == edges.size()) return "[" + short_number(edges.back()) + ",1]";
    return "[" + short_number(edges[bin - 1]) + "," + short_number(edges[bin]) + ")";
}

std::size_t bin_of(const std::vector<double>& edges, double v) {
    return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
}

GroupSummary summarise(const std::string& group,
                       const std::string& kind,
                       const std::vector<const CallRow*>& rows) {
    GroupSummary g;
    g.group = group;
    g.kind = kind;
    g.counts = count_calls(rows);
    g.bias = bias_of(rows);
    return g;
}

}  // namespace

DetectionCounts count_calls(const std::vector<const CallRow*>& rows) {
    DetectionCounts c;
    for (const CallRow* r : rows) {
        if (r->status == CallStatus::kTruePositive) ++c.tp;
        if (r->status == CallStatus::kFalseNegative) ++c.fn;
        if (r->status == CallStatus::kFalsePositive) ++c.fp;
    }
    c.sensitivity = proportion(c.tp, c.tp + c.fn);
    c.precision = proportion(c.tp, c.tp + c.fp);
    return c;
}

BiasFit bias_of(const std::vector<const CallRow*>& rows) {
    std::vector<double> x, y;
    for (const CallRow* r : rows)
        if (r->status == CallStatus::kTruePositive && !std::isnan(r->expected_vaf) &&
            !std::isnan(r->observed_vaf)) {
            x.push_back(r->expected_vaf);
            y.push_back(r->observed_vaf);
        }
    return fit_bias(x, y);
}

std::vector<ReplicateCv> replicate_cv_of(const std::vector<const CallRow*>& rows) {
    std::vector<ReplicateCv> out;
    // Replicates = runs of the same material: same level, variant and expected VAF (two mixtures
    // at one level are different materials).
    std::map<std::tuple<double, std::string, double>, std::size_t> index;
    std::vector<std::vector<double>> values;
    for (const CallRow* r : rows) {
        if (!r->is_truth() || std::isnan(r->level)) continue;
        auto [it, inserted] = index.try_emplace({r->level, r->key, r->expected_vaf}, out.size());
        if (inserted) {
            ReplicateCv cv;
            cv.level = r->level;
            cv.key = r->key;
            cv.variant = r->variant;
            cv.expected_vaf = r->expected_vaf;
            out.push_back(cv);
            values.emplace_back();
        }
        ReplicateCv& cv = out[it->second];
        ++cv.replicates;
        if (r->detected() && !std::isnan(r->observed_vaf)) {
            ++cv.detected;
            values[it->second].push_back(r->observed_vaf);
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto& v = values[i];
        if (!v.empty())
            out[i].mean_vaf = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
        if (v.size() >= 2) {
            double ss = 0;
            for (double x : v) ss += (x - out[i].mean_vaf) * (x - out[i].mean_vaf);
            out[i].sd_vaf = std::sqrt(ss / static_cast<double>(v.size() - 1));
        }
        out[i].cv = coefficient_of_variation(v);
    }
    std::vector<std::size_t> order(out.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return out[a].level < out[b].level; });
    std::vector<ReplicateCv> sorted;
    for (std::size_t i : order)
        if (out[i].replicates >= 2) sorted.push_back(out[i]);
    return sorted;
}

LodEstimate lod_of(const std::vector<const CallRow*>& rows, const std::string& scope, double detection_rate) {
    LodEstimate lod;
    lod.scope = scope;
    lod.variant = scope;
    std::map<double, LevelDetection> levels;
    std::map<double, double> vaf_sum;
    std::vector<double> x;
    std::vector<int> hit;
    double ratio_sum = 0;
    std::size_t ratio_n = 0;
    for (const CallRow* r : rows) {
        if (!r->is_truth() || !(r->expected_vaf > 0)) continue;
        x.push_back(std::log10(r->expected_vaf));
        hit.push_back(r->detected() ? 1 : 0);
        if (!(r->level > 0)) continue;
        auto& l = levels.try_emplace(r->level, LevelDetection{}).first->second;
        l.level = r->level;
        ++l.total;
        if (r->detected()) ++l.detected;
        vaf_sum[r->level] += r->expected_vaf;
        ratio_sum += r->expected_vaf / r->level;
        ++ratio_n;
    }
    for (auto& [level, l] : levels) {
        l.rate = static_cast<double>(l.detected) / static_cast<double>(l.total);
        l.mean_expected_vaf = vaf_sum[level] / static_cast<double>(l.total);
        lod.levels.push_back(l);
    }
    for (auto it = lod.levels.rbegin(); it != lod.levels.rend(); ++it) {
        if (!(it->rate >= detection_rate - 1e-12)) break;
        lod.lod_level = it->level;
        lod.lod_vaf = it->mean_expected_vaf;
    }
    lod.probit = fit_probit(x, hit, detection_rate);
    if (lod.probit.estimable) {
        lod.vaf_probit = std::pow(10.0, lod.probit.x_target);
        if (!std::isnan(lod.probit.x_low)) {
            lod.vaf_probit_low = std::pow(10.0, lod.probit.x_low);
            lod.vaf_probit_high = std::pow(10.0, lod.probit.x_high);
        }
        if (ratio_n > 0 && scope != "all")
            lod.level_probit = lod.vaf_probit / (ratio_sum / static_cast<double>(ratio_n));
    }
    return lod;
}

namespace validation_detail {

void summarise_result(ValidationResult& result, const TruthSet& truth, const ValidationOptions& options) {
    const auto all = pointers(result.calls);
    result.overall = summarise("all", "overall", all);
    for (const auto& sample : result.samples) {
        auto rows = select_rows(all, [&](const CallRow& r) { return r.sample == sample; });
        GroupSummary g = summarise(sample, "sample", rows);
        // Level/replicate of the run, also when it has no row.
        for (const auto& e : truth.entries)
            if (e.sample == sample) {
                g.level = e.level;
                g.replicate = e.replicate;
                break;
            }
        if (!rows.empty()) g.level = rows.front()->level, g.replicate = rows.front()->replicate;
        result.per_sample.push_back(std::move(g));
    }
    std::set<double> levels;
    for (const auto& r : result.calls)
        if (!std::isnan(r.level)) levels.insert(r.level);
    for (const auto& s : result.per_sample)
        if (!std::isnan(s.level)) levels.insert(s.level);
    for (double level : levels) {
        GroupSummary g = summarise("level=" + short_number(level), "level",
                                   select_rows(all, [&](const CallRow& r) { return r.level == level; }));
        g.level = level;
        result.per_level.push_back(std::move(g));
    }
    for (std::size_t bin = 0; bin <= options.vaf_bins.size(); ++bin) {
        auto rows = select_rows(all, [&](const CallRow& r) {
            return r.is_truth() && bin_of(options.vaf_bins, r.expected_vaf) == bin;
        });
        if (rows.empty()) continue;
        result.per_vaf_bin.push_back(summarise("vaf=" + bin_label(options.vaf_bins, bin), "vaf_bin", rows));
    }
    result.replicate_cv = replicate_cv_of(all);
    result.lod = lod_of(all, "all", options.detection_rate);
    result.lod.variant = "all";
    std::vector<std::string> keys;
    std::map<std::string, std::string> names;
    for (const auto& r : result.calls)
        if (r.is_truth() && !names.count(r.key)) {
            keys.push_back(r.key);
            names[r.key] = (r.gene.empty() ? "" : r.gene + " ") + r.variant;
        }
    for (const auto& key : keys) {
        auto rows = select_rows(all, [&](const CallRow& r) { return r.is_truth() && r.key == key; });
        bool any_level = false;
        for (const CallRow* r : rows) any_level = any_level || r->level > 0;
        if (!any_level) continue;
        LodEstimate lod = lod_of(rows, key, options.detection_rate);
        lod.variant = names[key];
        result.lod_per_variant.push_back(std::move(lod));
    }
}

}  // namespace validation_detail

}  // namespace kitrx
