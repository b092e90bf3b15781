// SPDX-License-Identifier: MIT
#include "kitrx/regimens.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "kitrx/limits.hpp"
#include "kitrx/resources.hpp"

namespace kitrx {

std::string to_string(RegimenKind k) {
    switch (k) {
        case RegimenKind::kSingle:
            return "single";
        case RegimenKind::kCombination:
            return "combination";
        case RegimenKind::kAlternation:
            return "alternation";
        case RegimenKind::kSequence:
            return "sequence";
    }
    return "single";
}

std::string to_string(CoverageStatus s) {
    switch (s) {
        case CoverageStatus::kCovered:
            return "covered";
        case CoverageStatus::kPartialTime:
            return "partial_time";
        case CoverageStatus::kPartial:
            return "partial";
        case CoverageStatus::kEscapingUnknown:
            return "escaping_unknown";
        case CoverageStatus::kEscapingResistant:
            return "escaping_resistant";
    }
    return "escaping_unknown";
}

bool is_escaping(CoverageStatus s) {
    return s == CoverageStatus::kEscapingUnknown || s == CoverageStatus::kEscapingResistant;
}

int Regimen::period_days() const {
    if (kind == RegimenKind::kSingle || kind == RegimenKind::kCombination) return 7;
    int total = 0;
    for (const auto& s : steps) total += s.days;
    return total;
}

static std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string Regimen::drugs_label() const {
    switch (kind) {
        case RegimenKind::kSingle:
        case RegimenKind::kCombination:
            return join(drugs, "+");
        case RegimenKind::kAlternation:
        case RegimenKind::kSequence: {
            std::vector<std::string> parts;
            for (const auto& s : steps)
                parts.push_back(kind == RegimenKind::kAlternation
                                    ? join(s.drugs, "+") + " " + std::to_string(s.days) + "d"
                                    : join(s.drugs, "+"));
            return join(parts, kind == RegimenKind::kAlternation ? " / " : " -> ");
        }
    }
    return join(drugs, "+");
}

const Regimen* RegimenSet::find(std::string_view id) const {
    for (const auto& r : regimens)
        if (r.id == id) return &r;
    return nullptr;
}

RegimenError::RegimenError(const std::string& file, std::vector<std::string> problems)
    : InputError(SourceLocation{}, join(problems, "\n")), problems_(std::move(problems)) {
    (void)file;  // every problem already names the file
}

// ---------------------------------------------------------------------------------------------
// Strict YAML reading

namespace {

struct Problems {
    std::string file;
    std::vector<std::string> list;

    void add(const YAML::Mark& mark, const std::string& what, const std::string& hint = "") {
        std::string msg = file;
        if (!mark.is_null())
            msg += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
        msg += ": " + what;
        if (!hint.empty()) msg += "; " + hint;
        list.push_back(std::move(msg));
    }
};

// Checks that `node` is a map whose keys are all in `allowed` and appear once; returns false
// (after recording the problem) when it is not a map.
bool check_map(const YAML::Node& node,
               const std::string& what,
               const std::vector<std::string>& allowed,
               Problems& problems) {
    if (!node.IsMap()) {
        problems.add(node.Mark(), what + " must be a mapping");
        return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : node) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            problems.add(kv.first.Mark(), "unknown key '" + key + "' in " + what,
                         "expected one of: " + join(allowed, ", "));
        else if (!seen.insert(key).second)
            problems.add(kv.first.Mark(), "duplicate key '" + key + "' in " + what);
    }
    return true;
}

std::optional<std::string> get_string(const YAML::Node& map,
                                      const std::string& key,
                                      const std::string& what,
                                      bool required,
                                      Problems& problems) {
    const YAML::Node node = map[key];
    if (!node) {
        if (required) problems.add(map.Mark(), what + ": missing key '" + key + "'");
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        problems.add(node.Mark(), what + "." + key + " must be a single value");
        return std::nullopt;
    }
    return node.Scalar();
}

std::vector<std::pair<std::string, YAML::Mark>> get_string_list(const YAML::Node& map,
                                                                const std::string& key,
                                                                const std::string& what,
                                                                Problems& problems) {
    std::vector<std::pair<std::string, YAML::Mark>> out;
    const YAML::Node node = map[key];
    if (!node) return out;
    if (!node.IsSequence()) {
        problems.add(node.Mark(), what + "." + key + " must be a list");
        return out;
    }
    for (const auto& item : node) {
        if (!item.IsScalar() || item.Scalar().empty())
            problems.add(item.Mark(), what + "." + key + ": items must be non-empty values");
        else
            out.emplace_back(item.Scalar(), item.Mark());
    }
    return out;
}

std::optional<bool> get_bool(const YAML::Node& map,
                             const std::string& key,
                             const std::string& what,
                             Problems& problems) {
    const YAML::Node node = map[key];
    if (!node) return std::nullopt;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
        problems.add(node.Mark(), what + "." + key + " must be true or false");
        return std::nullopt;
    }
    return value;
}

std::optional<double> get_number(const YAML::Node& node, const std::string& what, Problems& problems) {
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(value)) return value;
    }
    problems.add(node.Mark(), what + " must be a number");
    return std::nullopt;
}

std::optional<int> get_positive_int(const YAML::Node& node, const std::string& what, Problems& problems) {
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        char* end = nullptr;
        const long value = std::strtol(text.c_str(), &end, 10);
        if (!text.empty() && end == text.c_str() + text.size() && value > 0 && value <= 100000)
            return static_cast<int>(value);
    }
    problems.add(node.Mark(), what + " must be a whole number of days > 0");
    return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// Panel drug index of an id or alias (exact id first, then case-insensitive id or alias).
std::optional<std::size_t> drug_index(const ActivityPanel& panel, std::string_view id_or_alias) {
    const auto& drugs = panel.drugs();
    for (std::size_t i = 0; i < drugs.size(); ++i)
        if (drugs[i].id == id_or_alias) return i;
    for (std::size_t i = 0; i < drugs.size(); ++i) {
        if (iequals(drugs[i].id, id_or_alias)) return i;
        for (const auto& alias : drugs[i].aliases)
            if (iequals(alias, id_or_alias)) return i;
    }
    return std::nullopt;
}

std::string panel_drug_list(const ActivityPanel& panel) {
    std::vector<std::string> ids;
    for (const auto& d : panel.drugs()) ids.push_back(d.id);
    return ids.empty() ? std::string("(the panel has no drugs)") : join(ids, ", ");
}

bool valid_id(const std::string& id) {
    if (id.empty()) return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' && c != '+')
            return false;
    return true;
}

YAML::Node parse_yaml(std::istream& in, const std::string& source_name) {
    try {
        return YAML::Load(in);
    } catch (const YAML::ParserException& e) {
        Problems p{source_name, {}};
        p.add(e.mark, e.msg, "the file is not valid YAML");
        throw RegimenError(source_name, p.list);
    }
}

const std::vector<std::string> kRegimenKeys = {"id",        "name",  "kind",         "drugs",   "schedule",
                                               "citations", "notes", "hypothetical", "approved"};

// Parses one regimen entry. Returns nullopt when it has problems (recorded) or, in skip mode,
// uses a drug the panel lacks (id appended to `skipped`).
std::optional<Regimen> parse_regimen(const YAML::Node& node,
                                     std::size_t index,
                                     const ActivityPanel& panel,
                                     bool skip_unknown_drugs,
                                     Problems& problems,
                                     std::vector<std::string>& skipped) {
    const std::string what = "regimens[" + std::to_string(index) + "]";
    if (!check_map(node, what, kRegimenKeys, problems)) return std::nullopt;
    const std::size_t before = problems.list.size();
    Regimen r;
    r.where = SourceLocation{problems.file, node.Mark().line + 1, node.Mark().column + 1, ""};
    if (auto id = get_string(node, "id", what, true, problems)) {
        r.id = *id;
        if (!valid_id(r.id))
            problems.add(node["id"].Mark(), what + ".id '" + r.id + "' is not a valid id",
                         "use letters, digits, '_', '-', '.' or '+'");
    }
    const std::string label = r.id.empty() ? what : "regimen '" + r.id + "'";
    r.name = get_string(node, "name", label, false, problems).value_or(r.id);
    if (auto kind = get_string(node, "kind", label, true, problems)) {
        if (*kind == "single")
            r.kind = RegimenKind::kSingle;
        else if (*kind == "combination")
            r.kind = RegimenKind::kCombination;
        else if (*kind == "alternation")
            r.kind = RegimenKind::kAlternation;
        else if (*kind == "sequence")
            r.kind = RegimenKind::kSequence;
        else
            problems.add(node["kind"].Mark(), label + ": unknown kind '" + *kind + "'",
                         "expected one of: single, combination, alternation, sequence");
    }
    r.notes = get_string(node, "notes", label, false, problems).value_or("");
    for (auto& [c, mark] : get_string_list(node, "citations", label, problems)) r.citations.push_back(c);

    bool unknown_drug = false;
    auto resolve = [&](const std::string& id, const YAML::Mark& mark) -> std::string {
        if (auto i = drug_index(panel, id)) return panel.drugs()[*i].id;
        unknown_drug = true;
        if (!skip_unknown_drugs)
            problems.add(mark, label + ": unknown drug '" + id + "'",
                         "panel drugs: " + panel_drug_list(panel));
        return id;
    };
    std::vector<std::string> listed;
    for (auto& [d, mark] : get_string_list(node, "drugs", label, problems)) {
        const std::string id = resolve(d, mark);
        if (std::find(listed.begin(), listed.end(), id) != listed.end())
            problems.add(mark, label + ": drug '" + id + "' listed twice");
        else
            listed.push_back(id);
    }
    const YAML::Node schedule = node["schedule"];
    const bool timed = r.kind == RegimenKind::kAlternation || r.kind == RegimenKind::kSequence;
    if (timed) {
        if (!schedule) {
            problems.add(node.Mark(), label + ": missing key 'schedule'",
                         "an " + to_string(r.kind) + " needs a list of {drug, days} steps");
        } else if (!schedule.IsSequence()) {
            problems.add(schedule.Mark(), label + ".schedule must be a list of {drug, days} steps");
        } else {
            std::size_t k = 0;
            for (const auto& step_node : schedule) {
                const std::string step_what = label + ".schedule[" + std::to_string(k++) + "]";
                if (!check_map(step_node, step_what, {"drug", "drugs", "days"}, problems)) continue;
                ScheduleStep step;
                const bool one = static_cast<bool>(step_node["drug"]);
                const bool many = static_cast<bool>(step_node["drugs"]);
                if (one == many) {
                    problems.add(step_node.Mark(), step_what + ": give exactly one of 'drug' or 'drugs'");
                } else if (one) {
                    if (auto d = get_string(step_node, "drug", step_what, true, problems))
                        step.drugs.push_back(resolve(*d, step_node["drug"].Mark()));
                } else {
                    for (auto& [d, mark] : get_string_list(step_node, "drugs", step_what, problems))
                        step.drugs.push_back(resolve(d, mark));
                    if (step.drugs.empty()) problems.add(step_node.Mark(), step_what + ".drugs is empty");
                }
                if (!step_node["days"])
                    problems.add(step_node.Mark(), step_what + ": missing key 'days'");
                else if (auto days = get_positive_int(step_node["days"], step_what + ".days", problems))
                    step.days = *days;
                r.steps.push_back(std::move(step));
            }
            if (r.steps.size() < 2)
                problems.add(schedule.Mark(),
                             label + ": an " + to_string(r.kind) + " needs at least 2 steps");
        }
        for (const auto& s : r.steps)
            for (const auto& d : s.drugs)
                if (std::find(r.drugs.begin(), r.drugs.end(), d) == r.drugs.end()) r.drugs.push_back(d);
        if (!listed.empty() && std::set<std::string>(listed.begin(), listed.end()) !=
                                   std::set<std::string>(r.drugs.begin(), r.drugs.end()))
            problems.add(node["drugs"].Mark(), label + ": 'drugs' does not match the drugs of 'schedule'",
                         "schedule uses: " + join(r.drugs, ", ") + " (or leave 'drugs' out)");
    } else {
        if (schedule)
            problems.add(schedule.Mark(),
                         label + ": 'schedule' is only for alternation and sequence regimens");
        if (!node["drugs"]) problems.add(node.Mark(), label + ": missing key 'drugs'");
        r.drugs = listed;
        if (r.kind == RegimenKind::kSingle && node["drugs"] && listed.size() != 1)
            problems.add(node["drugs"].Mark(), label + ": a single-agent regimen has exactly one drug");
        if (r.kind == RegimenKind::kCombination && node["drugs"] && listed.size() < 2)
            problems.add(node["drugs"].Mark(), label + ": a combination has at least two drugs");
        r.steps.push_back(ScheduleStep{r.drugs, 7});
    }
    r.hypothetical =
        get_bool(node, "hypothetical", label, problems).value_or(r.kind == RegimenKind::kCombination);
    r.approved = get_bool(node, "approved", label, problems).value_or(false);
    if (r.approved && r.hypothetical)
        problems.add(node["approved"].Mark(), label + ": a regimen cannot be both approved and hypothetical",
                     "set 'hypothetical: false' or drop 'approved'");
    if (problems.list.size() != before) return std::nullopt;
    if (unknown_drug) {
        skipped.push_back(r.id);
        return std::nullopt;
    }
    return r;
}

RegimenSet parse_regimen_set(std::istream& in,
                             const std::string& source_name,
                             const ActivityPanel& panel,
                             bool skip_unknown_drugs) {
    const YAML::Node root = parse_yaml(in, source_name);
    Problems problems{source_name, {}};
    RegimenSet set;
    set.source = source_name;
    if (!root || root.IsNull()) {
        problems.add(YAML::Mark::null_mark(), "empty regimen file", "expected keys name, version, regimens");
        throw RegimenError(source_name, problems.list);
    }
    if (check_map(root, "the regimen file", {"name", "version", "description", "regimens"}, problems)) {
        set.name = get_string(root, "name", "the regimen file", true, problems).value_or("");
        set.version = get_string(root, "version", "the regimen file", true, problems).value_or("");
        get_string(root, "description", "the regimen file", false, problems);
        const YAML::Node list = root["regimens"];
        if (!list) {
            problems.add(root.Mark(), "the regimen file: missing key 'regimens'");
        } else if (!list.IsSequence()) {
            problems.add(list.Mark(), "'regimens' must be a list");
        } else {
            std::map<std::string, YAML::Mark> ids;
            std::size_t i = 0;
            for (const auto& entry : list) {
                auto r = parse_regimen(entry, i++, panel, skip_unknown_drugs, problems, set.skipped);
                if (!r) continue;
                auto [it, inserted] = ids.emplace(r->id, entry.Mark());
                if (!inserted) {
                    problems.add(entry["id"].Mark(), "duplicate regimen id '" + r->id + "'",
                                 "first defined at line " + std::to_string(it->second.line + 1));
                    continue;
                }
                set.regimens.push_back(std::move(*r));
            }
        }
    }
    if (!problems.list.empty()) throw RegimenError(source_name, problems.list);

    // Every panel drug is available as a single agent.
    for (const auto& drug : panel.drugs()) {
        bool listed = false;
        for (const auto& r : set.regimens)
            listed = listed || (r.kind == RegimenKind::kSingle && r.drugs.front() == drug.id);
        if (listed) continue;
        Regimen r;
        r.id = drug.id;
        while (set.find(r.id)) r.id += "_single";
        r.name = drug.name.empty() ? drug.id : drug.name;
        r.kind = RegimenKind::kSingle;
        r.drugs = {drug.id};
        r.steps = {ScheduleStep{{drug.id}, 7}};
        r.notes = "single agent generated from the activity panel";
        r.generated = true;
        r.where = SourceLocation{source_name, 0, 0, ""};
        set.regimens.push_back(std::move(r));
    }
    return set;
}

}  // namespace

RegimenSet load_regimens(const std::string& path, const ActivityPanel& panel) {
    check_file_size(path, kMaxYamlBytes, "regimen");
    std::ifstream in(path);
    if (!in) throw IoError("cannot open regimen file '" + path + "': " + std::strerror(errno));
    return parse_regimen_set(in, path, panel, false);
}

RegimenSet load_regimens(std::istream& in, const std::string& source_name, const ActivityPanel& panel) {
    return parse_regimen_set(in, source_name, panel, false);
}

RegimenSet default_regimens(const ActivityPanel& panel) {
    std::istringstream in{std::string(embedded_resource("regimens/default.yaml"))};
    return parse_regimen_set(in, "<builtin>:regimens/default.yaml", panel, true);
}

// ---------------------------------------------------------------------------------------------
// Coverage

namespace {

std::vector<std::vector<std::size_t>> step_drug_indices(const Regimen& regimen, const ActivityPanel& panel) {
    std::vector<std::vector<std::size_t>> out;
    for (const auto& step : regimen.steps) {
        std::vector<std::size_t> idx;
        for (const auto& d : step.drugs) {
            auto i = drug_index(panel, d);
            if (!i)
                throw std::invalid_argument("regimen '" + regimen.id + "' uses drug '" + d +
                                            "' that is not in the activity panel");
            idx.push_back(*i);
        }
        out.push_back(std::move(idx));
    }
    if (out.empty()) throw std::invalid_argument("regimen '" + regimen.id + "' has no steps");
    return out;
}

void check_activity(const Clone& clone, const ActivityPanel& panel) {
    if (clone.activity.size() != panel.drugs().size())
        throw std::invalid_argument("clone '" + clone.id + "' has " + std::to_string(clone.activity.size()) +
                                    " drug calls but the panel has " + std::to_string(panel.drugs().size()) +
                                    " drugs (clones annotated with another panel?)");
}

Activity best_call(const Clone& clone, const std::vector<std::size_t>& drugs) {
    Activity best = Activity::kResistant;
    bool any = false;
    for (auto i : drugs) {
        best = any ? most_favourable(best, clone.activity[i]) : clone.activity[i];
        any = true;
    }
    return any ? best : Activity::kResistant;
}

double nan_as_zero(double v) {
    return std::isnan(v) ? 0.0 : v;
}

// Ranking tie-break: approved, then other non-hypothetical, then hypothetical regimens.
int evidence_tier(const Regimen& r) {
    return r.approved ? 0 : r.hypothetical ? 2 : 1;
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
    const auto steps = step_drug_indices(regimen, panel);
    RegimenCoverage out;
    out.sample = sample.sample;
    out.regimen = &regimen;
    // Single agents and combinations are one step covering the whole period.
    std::vector<int> days;
    for (const auto& s : regimen.steps) days.push_back(steps.size() == 1 ? 1 : s.days);
    int period = 0;
    for (int d : days) period += d;

    double sum_f = 0.0, covered = 0.0, partial = 0.0, unknown = 0.0, resistant = 0.0;
    bool any_secondary = false;
    double largest = -1.0;
    for (std::size_t ci = 0; ci < sample.clones.size(); ++ci) {
        const Clone& clone = sample.clones[ci];
        if (!clone.detected()) continue;
        check_activity(clone, panel);
        CloneCoverage cov;
        cov.clone = ci;
        int d_s = 0, d_i = 0, d_u = 0, d_r = 0;
        for (std::size_t k = 0; k < steps.size(); ++k) {
            const Activity a = best_call(clone, steps[k]);
            cov.per_step.push_back(a);
            switch (a) {
                case Activity::kSensitive:
                    d_s += days[k];
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
        }
        const double p = static_cast<double>(period);
        cov.time_sensitive = d_s / p;
        cov.time_intermediate = d_i / p;
        cov.time_unknown = d_u / p;
        cov.time_resistant = d_r / p;
        if (d_s == period)
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
        if (is_escaping(cov.status) && nan_as_zero(clone.fraction) > largest) {
            largest = nan_as_zero(clone.fraction);
            out.largest_escaping = static_cast<int>(ci);
        }
        if (clone.role == VariantRole::kSecondary) {
            any_secondary = true;
            // No truncal reference (issue 15): fractions are NA, the burden is weighted by VAF.
            const double f = std::isnan(clone.fraction) ? clone.vaf : clone.fraction;
            sum_f += f;
            covered += f * cov.time_sensitive;
            partial += f * cov.time_intermediate;
            unknown += f * cov.time_unknown;
            resistant += f * cov.time_resistant;
        }
        out.clones.push_back(std::move(cov));
    }
    if (any_secondary && sum_f > 0.0) {  // NaN fails the comparison and leaves the burdens NaN
        out.covered_burden = covered / sum_f;
        out.partial_burden = partial / sum_f;
        out.unknown_burden = unknown / sum_f;
        out.resistant_burden = resistant / sum_f;
        out.escaping_burden = (unknown + resistant) / sum_f;
    }
    return out;
}

void rank_regimens(std::vector<RegimenCoverage>& coverages) {
    std::stable_sort(
        coverages.begin(), coverages.end(), [](const RegimenCoverage& a, const RegimenCoverage& b) {
            if (a.n_escaping_resistant != b.n_escaping_resistant)
                return a.n_escaping_resistant < b.n_escaping_resistant;
            const double ra = nan_as_zero(a.escaping_burden), rb = nan_as_zero(b.escaping_burden);
            if (ra != rb) return ra < rb;
            if (a.n_escaping_unknown != b.n_escaping_unknown)
                return a.n_escaping_unknown < b.n_escaping_unknown;
            const double ca = nan_as_zero(a.covered_burden), cb = nan_as_zero(b.covered_burden);
            if (ca != cb) return ca > cb;
            if (a.n_covered != b.n_covered) return a.n_covered > b.n_covered;
            if (evidence_tier(*a.regimen) != evidence_tier(*b.regimen))
                return evidence_tier(*a.regimen) < evidence_tier(*b.regimen);
            if (a.regimen->drugs.size() != b.regimen->drugs.size())
                return a.regimen->drugs.size() < b.regimen->drugs.size();
            return a.regimen->id < b.regimen->id;
        });
    for (std::size_t i = 0; i < coverages.size(); ++i) coverages[i].rank = static_cast<int>(i) + 1;
}

std::vector<RegimenCoverage> evaluate_regimens(const SampleClones& sample,
                                               const RegimenSet& set,
                                               const ActivityPanel& panel) {
    std::vector<RegimenCoverage> out;
    out.reserve(set.regimens.size());
    for (const auto& r : set.regimens) out.push_back(evaluate_regimen(sample, r, panel));
    rank_regimens(out);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Minimal drug sets

DrugSetResult minimal_drug_sets(const SampleClones& sample,
                                const ActivityPanel& panel,
                                const std::vector<std::string>& candidate_drugs) {
    std::vector<std::size_t> candidates;
    if (candidate_drugs.empty()) {
        for (std::size_t i = 0; i < panel.drugs().size(); ++i) candidates.push_back(i);
    } else {
        for (const auto& d : candidate_drugs) {
            auto i = drug_index(panel, d);
            if (!i)
                throw std::invalid_argument("unknown drug '" + d +
                                            "'; panel drugs: " + panel_drug_list(panel));
            if (std::find(candidates.begin(), candidates.end(), *i) == candidates.end())
                candidates.push_back(*i);
        }
        std::sort(candidates.begin(), candidates.end());
    }
    if (candidates.size() > 24)
        throw std::invalid_argument("exact drug-set search is limited to 24 candidate drugs; got " +
                                    std::to_string(candidates.size()));
    DrugSetResult out;
    out.sample = sample.sample;
    std::vector<std::size_t> targets;
    for (std::size_t i = 0; i < sample.clones.size(); ++i)
        if (sample.clones[i].detected()) targets.push_back(i);
    if (targets.size() > 64)
        throw std::invalid_argument("exact drug-set search is limited to 64 detected clones; got " +
                                    std::to_string(targets.size()));
    out.target_clones = targets.size();
    std::vector<std::uint64_t> mask(candidates.size(), 0);
    for (std::size_t t = 0; t < targets.size(); ++t) {
        const Clone& c = sample.clones[targets[t]];
        check_activity(c, panel);
        for (std::size_t k = 0; k < candidates.size(); ++k)
            if (c.activity[candidates[k]] == Activity::kSensitive) mask[k] |= std::uint64_t{1} << t;
    }
    std::uint64_t reachable = 0;
    for (auto m : mask) reachable |= m;
    const std::uint64_t all =
        targets.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << targets.size()) - 1;
    out.covers_all = reachable == all;
    for (std::size_t t = 0; t < targets.size(); ++t)
        if (!(reachable >> t & 1U)) out.uncovered.push_back(targets[t]);
    out.covered_clones = static_cast<std::size_t>(__builtin_popcountll(reachable));
    if (reachable == 0) return out;

    // Combinations of size k in lexicographic order; the first k reaching `reachable` is minimal.
    const std::size_t n = candidates.size();
    for (std::size_t k = 1; k <= n && out.sets.empty(); ++k) {
        std::vector<std::size_t> pick(k);
        for (std::size_t i = 0; i < k; ++i) pick[i] = i;
        while (true) {
            std::uint64_t covered = 0;
            for (auto i : pick) covered |= mask[i];
            if (covered == reachable) {
                std::vector<std::string> ids;
                for (auto i : pick) ids.push_back(panel.drugs()[candidates[i]].id);
                out.sets.push_back(std::move(ids));
            }
            std::size_t i = k;
            while (i > 0 && pick[i - 1] == n - k + i - 1) --i;
            if (i == 0) break;
            ++pick[i - 1];
            for (std::size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Growth model and projection

namespace {

double parse_rate(const YAML::Node& node, const std::string& what, Problems& problems) {
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
    const YAML::Node root = parse_yaml(in, source_name);
    Problems problems{source_name, {}};
    GrowthModel model;
    model.source = source_name;
    const std::string what = "the growth model";
    if (!root || root.IsNull()) {
        problems.add(YAML::Mark::null_mark(), "empty growth-model file");
    } else if (check_map(root, what, {"name", "version", "description", "rates", "rationale", "citations"},
                         problems)) {
        model.name = get_string(root, "name", what, true, problems).value_or("");
        model.version = get_string(root, "version", what, true, problems).value_or("");
        get_string(root, "description", what, false, problems);
        model.rationale = get_string(root, "rationale", what, true, problems).value_or("");
        for (auto& [c, mark] : get_string_list(root, "citations", what, problems))
            model.citations.push_back(c);
        const YAML::Node rates = root["rates"];
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
    if (!problems.list.empty()) throw RegimenError(source_name, problems.list);
    return model;
}

GrowthModel load_growth_model(const std::string& path) {
    check_file_size(path, kMaxYamlBytes, "growth-model");
    std::ifstream in(path);
    if (!in) throw IoError("cannot open growth-model file '" + path + "': " + std::strerror(errno));
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
            factor[k].push_back(std::exp(rate_of(best_call(sample.clones[ci], steps[k]))));

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
            const auto k = step_at(day);
            for (std::size_t p = 0; p < size.size(); ++p) size[p] *= factor[k][p];
        }
        record(week);
    }
    return out;
}

}  // namespace kitrx
