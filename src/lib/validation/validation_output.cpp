// SPDX-License-Identifier: MIT
// validation outputs: validation.tsv (per call), validation_summary.tsv (long metric table),
// validation.json and the MultiQC custom-content table; the HTML page is validation_html.cpp.
// Column meanings: docs/validation.md.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kitrx/report/tables.hpp"
#include "kitrx/validation/validation.hpp"
#include "kitrx/version.hpp"
#include "validation/output_format.hpp"

namespace kitrx {

using namespace validation_detail;

namespace {

nlohmann::ordered_json jnum(double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}
nlohmann::ordered_json jcount(std::int64_t v) {
    return v < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
}

// One line of the long summary table.
struct SummaryLine {
    std::string section, scope;
    double level = kNaN;
    std::string metric;
    double value = kNaN, low = kNaN, high = kNaN;
    std::int64_t n = -1;
    std::string note;
};

void add_group(std::vector<SummaryLine>& out, const GroupSummary& g) {
    const std::string section = g.kind;
    const std::string scope = g.kind == "sample"    ? g.group
                              : g.kind == "vaf_bin" ? g.group.substr(4)
                              : g.kind == "level"   ? "all"
                                                    : "all";
    const auto& c = g.counts;
    out.push_back({section, scope, g.level, "true_positives", static_cast<double>(c.tp), kNaN, kNaN, -1, ""});
    out.push_back(
        {section, scope, g.level, "false_negatives", static_cast<double>(c.fn), kNaN, kNaN, -1, ""});
    out.push_back(
        {section, scope, g.level, "false_positives", static_cast<double>(c.fp), kNaN, kNaN, -1, ""});
    out.push_back({section, scope, g.level, "sensitivity", c.sensitivity.value, c.sensitivity.low,
                   c.sensitivity.high, c.sensitivity.n, "Wilson 95% interval"});
    out.push_back({section, scope, g.level, "precision", c.precision.value, c.precision.low, c.precision.high,
                   c.precision.n, "Wilson 95% interval"});
    const auto n = static_cast<std::int64_t>(g.bias.n);
    out.push_back(
        {section, scope, g.level, "slope", g.bias.slope, kNaN, kNaN, n, "OLS observed ~ expected VAF (TP)"});
    out.push_back({section, scope, g.level, "intercept", g.bias.intercept, kNaN, kNaN, n, ""});
    out.push_back({section, scope, g.level, "pearson_r", g.bias.pearson_r, kNaN, kNaN, n, ""});
    out.push_back(
        {section, scope, g.level, "ccc", g.bias.ccc, kNaN, kNaN, n, "Lin's concordance correlation"});
    out.push_back({section, scope, g.level, "mean_relative_bias", g.bias.mean_relative_bias, kNaN, kNaN, n,
                   "mean (observed - expected) / expected"});
    out.push_back(
        {section, scope, g.level, "median_relative_bias", g.bias.median_relative_bias, kNaN, kNaN, n, ""});
}

void add_lod(std::vector<SummaryLine>& out, const LodEstimate& lod) {
    for (const auto& l : lod.levels)
        out.push_back({"detection", lod.scope, l.level, "detection_rate", l.rate, kNaN, kNaN, l.total,
                       std::to_string(l.detected) + "/" + std::to_string(l.total) +
                           " detected; mean expected VAF " + num(l.mean_expected_vaf)});
    const auto n = static_cast<std::int64_t>(lod.probit.n);
    out.push_back({"lod", lod.scope, kNaN, "lod_level", lod.lod_level, kNaN, kNaN, -1,
                   "lowest level with every level at or above it detected at the required rate"});
    out.push_back(
        {"lod", lod.scope, kNaN, "lod_vaf", lod.lod_vaf, kNaN, kNaN, -1, "mean expected VAF at lod_level"});
    out.push_back({"lod", lod.scope, kNaN, "lod_vaf_probit", lod.vaf_probit, lod.vaf_probit_low,
                   lod.vaf_probit_high, n,
                   lod.probit.estimable ? "probit ML fit on log10 expected VAF; delta-method 95% interval"
                                        : lod.probit.note});
    if (!std::isnan(lod.level_probit))
        out.push_back({"lod", lod.scope, kNaN, "lod_level_probit", lod.level_probit, kNaN, kNaN, n,
                       "lod_vaf_probit / (expected VAF per unit level)"});
}

std::vector<SummaryLine> summary_lines(const ValidationResult& r, const AcceptanceVerdict& verdict) {
    std::vector<SummaryLine> out;
    out.push_back({"acceptance", "all", kNaN, "verdict", verdict.pass ? 1.0 : 0.0, kNaN, kNaN,
                   static_cast<std::int64_t>(verdict.results.size()), verdict.pass ? "PASS" : "FAIL"});
    for (const auto& c : verdict.results)
        out.push_back({"acceptance", c.criterion.id, kNaN, c.criterion.metric, c.value, kNaN, kNaN, -1,
                       std::string(c.pass ? "PASS" : "FAIL") + ": " + c.detail});
    add_group(out, r.overall);
    for (const auto& g : r.per_level) add_group(out, g);
    for (const auto& g : r.per_vaf_bin) add_group(out, g);
    for (const auto& g : r.per_sample) add_group(out, g);
    add_lod(out, r.lod);
    for (const auto& lod : r.lod_per_variant) add_lod(out, lod);
    for (const auto& cv : r.replicate_cv)
        out.push_back({"replicate_cv", cv.key, cv.level, "cv", cv.cv, kNaN, kNaN,
                       static_cast<std::int64_t>(cv.detected),
                       std::to_string(cv.detected) + "/" + std::to_string(cv.replicates) +
                           " replicates detected; mean VAF " + num(cv.mean_vaf) + ", sd " + num(cv.sd_vaf)});
    out.push_back({"input", "all", kNaN, "ignored_calls", static_cast<double>(r.ignored_calls), kNaN, kNaN,
                   -1,
                   "observed records not scored (filters, unscored genes or samples, no supporting read)"});
    return out;
}

}  // namespace

void write_calls_tsv(std::ostream& out, const ValidationResult& r) {
    out << "sample\tlevel\treplicate\tgene\tvariant\tkey\texpected_vaf\tstatus\tobserved_vaf\talt_"
           "reads\tdepth\t"
           "observed_name\thgvs_c\tfilter\ttruth_line\tsource\tnote\n";
    for (const auto& c : r.calls)
        out << cell(c.sample) << '\t' << num(c.level) << '\t' << cell(c.replicate) << '\t' << cell(c.gene)
            << '\t' << cell(c.variant) << '\t' << cell(c.key) << '\t' << num(c.expected_vaf) << '\t'
            << to_string(c.status) << '\t' << num(c.observed_vaf) << '\t' << count(c.alt_reads) << '\t'
            << count(c.depth) << '\t' << cell(c.observed_name) << '\t' << cell(c.hgvs_c) << '\t'
            << cell(c.filter) << '\t' << (c.truth_line > 0 ? std::to_string(c.truth_line) : "NA") << '\t'
            << cell(c.source) << '\t' << cell(c.note) << '\n';
}

void write_summary_tsv(std::ostream& out, const ValidationResult& r, const AcceptanceVerdict& verdict) {
    out << "section\tscope\tlevel\tmetric\tvalue\tci_low\tci_high\tn\tnote\n";
    for (const auto& l : summary_lines(r, verdict))
        out << l.section << '\t' << cell(l.scope) << '\t' << num(l.level) << '\t' << l.metric << '\t'
            << num(l.value) << '\t' << num(l.low) << '\t' << num(l.high) << '\t' << count(l.n) << '\t'
            << cell(l.note) << '\n';
}

void write_validation_json(std::ostream& out,
                           const ValidationResult& r,
                           const AcceptanceCriteria& criteria,
                           const AcceptanceVerdict& verdict,
                           const ValidationRunInfo& info) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["kitrx_version"] = KITRX_VERSION;
    doc["notice"] = kResearchUseNotice;
    doc["command"] = info.command_line;
    doc["truth"] = info.truth_path;
    doc["observed"] = info.observed_paths;
    doc["verdict"] = verdict.pass ? "pass" : "fail";
    ordered_json acc;
    acc["name"] = criteria.name;
    acc["version"] = criteria.version;
    acc["source"] = criteria.source;
    ordered_json crit = ordered_json::array();
    for (const auto& c : verdict.results) {
        ordered_json j;
        j["id"] = c.criterion.id;
        j["description"] = c.criterion.description;
        j["metric"] = c.criterion.metric;
        j["subset"] = c.criterion.where.describe();
        j["min"] = c.criterion.min ? jnum(*c.criterion.min) : ordered_json(nullptr);
        j["max"] = c.criterion.max ? jnum(*c.criterion.max) : ordered_json(nullptr);
        j["max_abs"] = c.criterion.max_abs ? jnum(*c.criterion.max_abs) : ordered_json(nullptr);
        j["value"] = jnum(c.value);
        j["pass"] = c.pass;
        j["detail"] = c.detail;
        crit.push_back(j);
    }
    acc["criteria"] = crit;
    doc["acceptance"] = acc;
    auto group_json = [](const GroupSummary& g) {
        ordered_json j;
        j["group"] = g.group;
        j["kind"] = g.kind;
        j["level"] = jnum(g.level);
        if (g.kind == "sample") j["replicate"] = g.replicate;
        j["tp"] = g.counts.tp;
        j["fn"] = g.counts.fn;
        j["fp"] = g.counts.fp;
        auto prop = [](const Proportion& p) {
            return ordered_json{
                {"value", jnum(p.value)}, {"ci_low", jnum(p.low)}, {"ci_high", jnum(p.high)}, {"n", p.n}};
        };
        j["sensitivity"] = prop(g.counts.sensitivity);
        j["precision"] = prop(g.counts.precision);
        j["bias"] = {{"n", g.bias.n},
                     {"slope", jnum(g.bias.slope)},
                     {"intercept", jnum(g.bias.intercept)},
                     {"pearson_r", jnum(g.bias.pearson_r)},
                     {"ccc", jnum(g.bias.ccc)},
                     {"mean_relative_bias", jnum(g.bias.mean_relative_bias)},
                     {"median_relative_bias", jnum(g.bias.median_relative_bias)}};
        return j;
    };
    doc["overall"] = group_json(r.overall);
    for (const char* key : {"per_level", "per_vaf_bin", "per_sample"}) {
        const auto& groups = std::string(key) == "per_level"     ? r.per_level
                             : std::string(key) == "per_vaf_bin" ? r.per_vaf_bin
                                                                 : r.per_sample;
        ordered_json arr = ordered_json::array();
        for (const auto& g : groups) arr.push_back(group_json(g));
        doc[key] = arr;
    }
    auto lod_json = [](const LodEstimate& l) {
        ordered_json j;
        j["scope"] = l.scope;
        j["variant"] = l.variant;
        ordered_json levels = ordered_json::array();
        for (const auto& d : l.levels)
            levels.push_back({{"level", jnum(d.level)},
                              {"detected", d.detected},
                              {"total", d.total},
                              {"rate", jnum(d.rate)},
                              {"mean_expected_vaf", jnum(d.mean_expected_vaf)}});
        j["levels"] = levels;
        j["lod_level"] = jnum(l.lod_level);
        j["lod_vaf"] = jnum(l.lod_vaf);
        j["probit"] = {{"estimable", l.probit.estimable},
                       {"note", l.probit.note},
                       {"intercept", jnum(l.probit.intercept)},
                       {"slope", jnum(l.probit.slope)},
                       {"iterations", l.probit.iterations},
                       {"n", l.probit.n},
                       {"lod_vaf", jnum(l.vaf_probit)},
                       {"lod_vaf_ci_low", jnum(l.vaf_probit_low)},
                       {"lod_vaf_ci_high", jnum(l.vaf_probit_high)},
                       {"lod_level", jnum(l.level_probit)}};
        return j;
    };
    doc["lod"] = lod_json(r.lod);
    ordered_json per_variant = ordered_json::array();
    for (const auto& l : r.lod_per_variant) per_variant.push_back(lod_json(l));
    doc["lod_per_variant"] = per_variant;
    ordered_json cvs = ordered_json::array();
    for (const auto& cv : r.replicate_cv)
        cvs.push_back({{"level", jnum(cv.level)},
                       {"key", cv.key},
                       {"variant", cv.variant},
                       {"expected_vaf", jnum(cv.expected_vaf)},
                       {"replicates", cv.replicates},
                       {"detected", cv.detected},
                       {"mean_vaf", jnum(cv.mean_vaf)},
                       {"sd_vaf", jnum(cv.sd_vaf)},
                       {"cv", jnum(cv.cv)}});
    doc["replicate_cv"] = cvs;
    doc["ignored_calls"] = r.ignored_calls;
    ordered_json calls = ordered_json::array();
    for (const auto& c : r.calls)
        calls.push_back(
            {{"sample", c.sample},
             {"level", jnum(c.level)},
             {"replicate", c.replicate},
             {"gene", c.gene},
             {"variant", c.variant},
             {"key", c.key},
             {"expected_vaf", jnum(c.expected_vaf)},
             {"status", to_string(c.status)},
             {"observed_vaf", jnum(c.observed_vaf)},
             {"alt_reads", jcount(c.alt_reads)},
             {"depth", jcount(c.depth)},
             {"observed_name", c.observed_name},
             {"hgvs_c", c.hgvs_c},
             {"filter", c.filter},
             {"truth_line", c.truth_line > 0 ? ordered_json(c.truth_line) : ordered_json(nullptr)},
             {"source", c.source},
             {"note", c.note}});
    doc["calls"] = calls;
    out << doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

void write_validation_mqc(std::ostream& out, const ValidationResult& r) {
    out << "# id: 'kitrx_validation'\n"
           "# section_name: 'kitrx validation'\n"
           "# description: 'Analytical validation per run against the truth table: true/false positives, "
           "sensitivity and mean VAF bias. "
        << kResearchUseNotice
        << "'\n"
           "# plot_type: 'table'\n"
           "# pconfig:\n"
           "#     id: 'kitrx_validation_table'\n"
           "#     title: 'kitrx: validation per run'\n"
           "# headers:\n"
           "#     level:\n"
           "#         title: 'Level'\n"
           "#         description: 'Expected tumour fraction of the run, percent'\n"
           "#         suffix: '%'\n"
           "#     tp:\n"
           "#         title: 'TP'\n"
           "#         format: '{:,.0f}'\n"
           "#     fn:\n"
           "#         title: 'FN'\n"
           "#         format: '{:,.0f}'\n"
           "#     fp:\n"
           "#         title: 'FP'\n"
           "#         format: '{:,.0f}'\n"
           "#     sensitivity:\n"
           "#         title: 'Sensitivity'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     mean_relative_bias:\n"
           "#         title: 'VAF bias'\n"
           "#         description: 'Mean (observed - expected) / expected VAF over true positives, percent'\n"
           "#         suffix: '%'\n"
           "Sample\tlevel\treplicate\ttp\tfn\tfp\tsensitivity\tmean_relative_bias\n";
    auto pct = [](double v) { return std::isnan(v) ? std::string() : num(std::round(v * 1e6) / 1e4); };
    for (const auto& g : r.per_sample) {
        std::string name = g.group;
        for (char& c : name)
            if (c == '\t' || c == '\n' || c == '\r') c = ' ';
        out << name << '\t' << pct(g.level) << '\t' << g.replicate << '\t' << g.counts.tp << '\t'
            << g.counts.fn << '\t' << g.counts.fp << '\t' << pct(g.counts.sensitivity.value) << '\t'
            << pct(g.bias.mean_relative_bias) << '\n';
    }
}

}  // namespace kitrx
