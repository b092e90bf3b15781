// SPDX-License-Identifier: MIT
// validation acceptance: the lab's acceptance criteria (strict YAML: a typo in a key or metric
// is an error, never a criterion silently skipped) and their pass/fail over the matched rows.
// Unlike the collecting loaders (panel, regimens) it stops at the first problem, with one
// InputError "file:line:col: what; hint", as it always has.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "kitrx/common/resources.hpp"
#include "kitrx/common/yaml_schema.hpp"
#include "kitrx/validation/validation.hpp"
#include "validation/validation_util.hpp"

namespace kitrx {

using namespace validation_detail;

bool CriterionFilter::accepts(const CallRow& row) const {
    if (row.is_truth()) {
        if (!std::isnan(min_expected_vaf) && !(row.expected_vaf >= min_expected_vaf - 1e-15)) return false;
        if (!std::isnan(max_expected_vaf) && !(row.expected_vaf <= max_expected_vaf + 1e-15)) return false;
    }
    if (!std::isnan(min_level) && !(row.level >= min_level - 1e-15)) return false;
    if (!std::isnan(max_level) && !(row.level <= max_level + 1e-15)) return false;
    if (!genes.empty() && std::find(genes.begin(), genes.end(), upper(row.gene)) == genes.end()) return false;
    if (!samples.empty() && std::find(samples.begin(), samples.end(), row.sample) == samples.end())
        return false;
    return true;
}

std::string CriterionFilter::describe() const {
    std::vector<std::string> parts;
    if (!std::isnan(min_expected_vaf)) parts.push_back("expected VAF >= " + short_number(min_expected_vaf));
    if (!std::isnan(max_expected_vaf)) parts.push_back("expected VAF <= " + short_number(max_expected_vaf));
    if (!std::isnan(min_level)) parts.push_back("level >= " + short_number(min_level));
    if (!std::isnan(max_level)) parts.push_back("level <= " + short_number(max_level));
    if (!genes.empty()) parts.push_back("genes " + join_names(genes, ","));
    if (!samples.empty()) parts.push_back("samples " + join_names(samples, ","));
    return parts.empty() ? "all" : join(parts, ", ");
}

namespace {

SourceLocation mark_of(const std::string& name, const yaml::Node& node) {
    const yaml::Mark m = node.Mark();
    return at(name, m.line + 1, m.column + 1);
}

// A mapping key as text: "null" for a null key (as yaml-cpp spelled it); a list or mapping used as
// a key is the user's mistake, reported where it stands.
std::string key_text(const std::string& name, const yaml::Node& key, const std::string& where) {
    if (key.IsNull()) return "null";
    if (!key.IsScalar())
        throw InputError(mark_of(name, key), where + ": a key must be a plain name, not a list or mapping");
    return key.Scalar();
}

void check_keys(const std::string& name,
                const yaml::Node& map,
                const std::string& where,
                const std::vector<std::string>& allowed) {
    if (!map.IsMap()) throw InputError(mark_of(name, map), where + ": expected a mapping");
    for (const auto& kv : map) {
        const std::string key = key_text(name, kv.first, where);
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            throw InputError(mark_of(name, kv.first), where + ": unknown key '" + key + "'",
                             "allowed keys: " + join(allowed, ", "));
    }
}

std::string scalar(const std::string& name, const yaml::Node& node, const std::string& where) {
    if (!node.IsScalar()) throw InputError(mark_of(name, node), where + ": expected a single value");
    return node.Scalar();
}

double number(const std::string& name, const yaml::Node& node, const std::string& where) {
    std::string text = trim_space(scalar(name, node, where));
    bool percent = false;
    if (!text.empty() && text.back() == '%') percent = true, text.pop_back();
    const auto v = parse_number(text);
    if (!v)
        throw InputError(mark_of(name, node), where + ": '" + node.Scalar() + "' is not a number",
                         "write 0.95 or 95%");
    return percent ? *v / 100.0 : *v;
}

std::vector<std::string> string_list(const std::string& name,
                                     const yaml::Node& node,
                                     const std::string& where) {
    std::vector<std::string> out;
    if (node.IsScalar()) return {trim_space(node.Scalar())};
    if (!node.IsSequence()) throw InputError(mark_of(name, node), where + ": expected a list");
    for (std::size_t i = 0; i < node.size(); ++i)
        out.push_back(trim_space(scalar(name, node[i], where + "[" + std::to_string(i) + "]")));
    return out;
}

}  // namespace

AcceptanceCriteria parse_acceptance(const std::string& text, const std::string& name) {
    yaml::Node root;
    try {
        root = yaml::load(text);
    } catch (const yaml::SyntaxError& e) {
        throw InputError(at(name, e.mark.line + 1, e.mark.column + 1), "YAML syntax error: " + e.msg);
    }
    AcceptanceCriteria ac;
    ac.source = name;
    if (!root || root.IsNull())
        throw InputError(at(name, 1, 1), "empty acceptance file", "expected 'criteria:'");
    check_keys(name, root, "acceptance", {"name", "version", "description", "criteria"});
    if (root["name"]) ac.name = scalar(name, root["name"], "name");
    if (root["version"]) ac.version = scalar(name, root["version"], "version");
    const yaml::Node list = root["criteria"];
    if (!list) throw InputError(mark_of(name, root), "acceptance: missing 'criteria'", "a list of criteria");
    if (!list.IsSequence()) throw InputError(mark_of(name, list), "criteria: expected a list");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const yaml::Node node = list[i];
        const std::string where = "criteria[" + std::to_string(i) + "]";
        check_keys(name, node, where, {"id", "description", "metric", "min", "max", "max_abs", "where"});
        Criterion c;
        const yaml::Mark m = node.Mark();
        c.line = m.line + 1;
        c.column = m.column + 1;
        if (!node["id"]) throw InputError(mark_of(name, node), where + ": missing 'id'");
        c.id = scalar(name, node["id"], where + ".id");
        if (!ids.insert(c.id).second)
            throw InputError(mark_of(name, node["id"]), where + ": duplicate id '" + c.id + "'");
        if (node["description"]) c.description = scalar(name, node["description"], where + ".description");
        if (!node["metric"]) throw InputError(mark_of(name, node), where + ": missing 'metric'");
        c.metric = scalar(name, node["metric"], where + ".metric");
        const auto known = std::find_if(std::begin(kAcceptanceMetrics), std::end(kAcceptanceMetrics),
                                        [&](const char* k) { return c.metric == k; });
        if (known == std::end(kAcceptanceMetrics)) {
            std::vector<std::string> all(std::begin(kAcceptanceMetrics), std::end(kAcceptanceMetrics));
            throw InputError(mark_of(name, node["metric"]),
                             where + ".metric: unknown metric '" + c.metric + "'",
                             "expected one of " + join(all, ", "));
        }
        if (node["min"]) c.min = number(name, node["min"], where + ".min");
        if (node["max"]) c.max = number(name, node["max"], where + ".max");
        if (node["max_abs"]) c.max_abs = number(name, node["max_abs"], where + ".max_abs");
        if (!c.min && !c.max && !c.max_abs)
            throw InputError(mark_of(name, node), where + ": no bound", "give min, max or max_abs");
        if (c.min && c.max && *c.min > *c.max)
            throw InputError(mark_of(name, node["min"]), where + ": min is greater than max");
        if (const yaml::Node w = node["where"]) {
            const std::string ww = where + ".where";
            check_keys(
                name, w, ww,
                {"min_expected_vaf", "max_expected_vaf", "min_level", "max_level", "genes", "samples"});
            if (w["min_expected_vaf"])
                c.where.min_expected_vaf = number(name, w["min_expected_vaf"], ww + ".min_expected_vaf");
            if (w["max_expected_vaf"])
                c.where.max_expected_vaf = number(name, w["max_expected_vaf"], ww + ".max_expected_vaf");
            if (w["min_level"]) c.where.min_level = number(name, w["min_level"], ww + ".min_level");
            if (w["max_level"]) c.where.max_level = number(name, w["max_level"], ww + ".max_level");
            if (w["genes"])
                for (auto& g : string_list(name, w["genes"], ww + ".genes"))
                    c.where.genes.push_back(upper(g));
            if (w["samples"]) c.where.samples = string_list(name, w["samples"], ww + ".samples");
        }
        ac.criteria.push_back(std::move(c));
    }
    return ac;
}

AcceptanceCriteria load_acceptance(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open acceptance criteria '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw IoError("cannot read '" + path + "': " + std::strerror(errno));
    return parse_acceptance(text.str(), path);
}

AcceptanceCriteria default_acceptance() {
    const std::string rel = "models/acceptance_default.yaml";
    AcceptanceCriteria ac = parse_acceptance(std::string(embedded_resource(rel)), "builtin:" + rel);
    return ac;
}

double metric_value(const std::string& metric,
                    const std::vector<const CallRow*>& rows,
                    double detection_rate) {
    auto counts = [&] { return count_calls(rows); };
    if (metric == "sensitivity") return counts().sensitivity.value;
    if (metric == "precision") return counts().precision.value;
    if (metric == "true_positives") return static_cast<double>(counts().tp);
    if (metric == "false_negatives") return static_cast<double>(counts().fn);
    if (metric == "false_positives") return static_cast<double>(counts().fp);
    if (metric == "slope") return bias_of(rows).slope;
    if (metric == "intercept") return bias_of(rows).intercept;
    if (metric == "pearson_r") return bias_of(rows).pearson_r;
    if (metric == "ccc") return bias_of(rows).ccc;
    if (metric == "mean_relative_bias") return bias_of(rows).mean_relative_bias;
    if (metric == "median_relative_bias") return bias_of(rows).median_relative_bias;
    if (metric == "max_cv" || metric == "median_cv") {
        std::vector<double> cvs;
        for (const auto& cv : replicate_cv_of(rows))
            if (!std::isnan(cv.cv)) cvs.push_back(cv.cv);
        if (cvs.empty()) return kNaN;
        std::sort(cvs.begin(), cvs.end());
        if (metric == "max_cv") return cvs.back();
        const std::size_t m = cvs.size() / 2;
        return cvs.size() % 2 ? cvs[m] : 0.5 * (cvs[m - 1] + cvs[m]);
    }
    if (metric == "lod_level") return lod_of(rows, "subset", detection_rate).lod_level;
    if (metric == "lod_vaf") return lod_of(rows, "subset", detection_rate).lod_vaf;
    if (metric == "lod_vaf_probit") return lod_of(rows, "subset", detection_rate).vaf_probit;
    throw std::invalid_argument("unknown metric '" + metric + "'");
}

AcceptanceVerdict evaluate_acceptance(const AcceptanceCriteria& criteria,
                                      const ValidationResult& result,
                                      double detection_rate) {
    AcceptanceVerdict verdict;
    verdict.pass = true;
    const auto all = pointers(result.calls);
    for (const auto& c : criteria.criteria) {
        CriterionResult r;
        r.criterion = c;
        const auto rows = select_rows(all, [&](const CallRow& row) { return c.where.accepts(row); });
        r.value = metric_value(c.metric, rows, detection_rate);
        std::vector<std::string> bounds;
        if (c.min) bounds.push_back(">= " + short_number(*c.min));
        if (c.max) bounds.push_back("<= " + short_number(*c.max));
        if (c.max_abs) bounds.push_back("|value| <= " + short_number(*c.max_abs));
        const double eps = 1e-12;
        if (std::isnan(r.value)) {
            r.pass = false;
            r.detail = "not evaluable on " + c.where.describe() + " (" + std::to_string(rows.size()) +
                       " rows); required " + join(bounds, " and ");
        } else {
            r.pass = (!c.min || r.value >= *c.min - eps) && (!c.max || r.value <= *c.max + eps) &&
                     (!c.max_abs || std::abs(r.value) <= *c.max_abs + eps);
            r.detail = c.metric + " = " + short_number(r.value) + " on " + c.where.describe() +
                       "; required " + join(bounds, " and ");
        }
        verdict.pass = verdict.pass && r.pass;
        verdict.results.push_back(std::move(r));
    }
    return verdict;
}

}  // namespace kitrx
