// SPDX-License-Identifier: MIT
#include "kitrx/regimens/regimens.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "kitrx/common/limits.hpp"
#include "kitrx/common/resources.hpp"

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

std::string to_string(RegimenTier t) {
    switch (t) {
        case RegimenTier::kClinical:
            return "clinical";
        case RegimenTier::kInvestigational:
            return "investigational";
        case RegimenTier::kHypothesis:
            return "hypothesis";
        case RegimenTier::kNoKnownActivity:
            return "no_known_activity";
    }
    return "no_known_activity";
}

std::string to_string(PriorStatus p) {
    switch (p) {
        case PriorStatus::kNone:
            return "";
        case PriorStatus::kIncludesFailed:
            return "includes_failed";
        case PriorStatus::kAllFailed:
            return "failed";
    }
    return "";
}

std::optional<GenotypeSelector> parse_genotype(std::string_view text) {
    GenotypeSelector g;
    g.text = std::string(text);
    std::istringstream in(g.text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty() || (words[0] != "KIT" && words[0] != "PDGFRA")) return std::nullopt;
    g.gene = words[0];
    if (words.size() == 1) return g;
    if (words.size() == 3 && words[1] == "exon") {
        char* end = nullptr;
        const long e = std::strtol(words[2].c_str(), &end, 10);
        if (end != words[2].c_str() + words[2].size() || e < 1 || e > 30) return std::nullopt;
        g.exon = static_cast<int>(e);
        return g;
    }
    if (words.size() == 2) {
        g.protein = canonical_protein_change(words[1]);
        if (g.protein.empty()) return std::nullopt;
        return g;
    }
    return std::nullopt;
}

bool GenotypeSelector::matches(const SampleClones& sample) const {
    for (const auto& c : sample.clones) {
        if (!c.detected()) continue;
        for (const auto& v : c.variants) {
            if (v.gene != gene) continue;
            if (exon != 0 && v.exon != exon) continue;
            if (!protein.empty() && canonical_protein_change(v.protein) != protein) continue;
            return true;
        }
    }
    return false;
}

std::string StandardOfCare::label() const {
    return genotype.text + (line > 0 ? ", line " + std::to_string(line) : std::string());
}

std::string Regimen::dose_of(const std::string& drug) const {
    const auto it = doses.find(drug);
    return it == doses.end() ? std::string() : it->second;
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

std::optional<int> get_positive_int(const YAML::Node& node,
                                    const std::string& what,
                                    Problems& problems,
                                    const char* unit = " of days") {
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        char* end = nullptr;
        const long value = std::strtol(text.c_str(), &end, 10);
        if (!text.empty() && end == text.c_str() + text.size() && value > 0 && value <= 100000)
            return static_cast<int>(value);
    }
    problems.add(node.Mark(), what + " must be a whole number" + unit + " > 0");
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

const std::vector<std::string> kRegimenKeys = {"id",       "name",      "kind",         "drugs",
                                               "schedule", "citations", "notes",        "hypothetical",
                                               "approved", "dose",      "approved_for", "standard_of_care"};

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
    if (const YAML::Node dose = node["dose"]) {
        if (!dose.IsMap()) {
            problems.add(dose.Mark(), label + ".dose must be a mapping of drug to dose",
                         "e.g. dose: {imatinib: \"800 mg/day\"}");
        } else {
            for (const auto& kv : dose) {
                const std::string d = kv.first.IsScalar() ? kv.first.Scalar() : "";
                const std::string id = resolve(d, kv.first.Mark());
                if (std::find(r.drugs.begin(), r.drugs.end(), id) == r.drugs.end() && !unknown_drug)
                    problems.add(kv.first.Mark(),
                                 label + ".dose: drug '" + d + "' is not given in this regimen");
                if (!kv.second.IsScalar() || kv.second.Scalar().empty())
                    problems.add(kv.second.Mark(),
                                 label + ".dose." + d + " must be a dose text such as 800 mg/day");
                else
                    r.doses[id] = kv.second.Scalar();
            }
        }
    }
    auto selector = [&](const std::string& text, const YAML::Mark& mark, const std::string& what) {
        auto g = parse_genotype(text);
        if (!g)
            problems.add(mark, what + ": malformed genotype '" + text + "'",
                         "write GENE, GENE exon N or GENE CHANGE (KIT, KIT exon 9, PDGFRA D842V)");
        return g;
    };
    for (auto& [text, mark] : get_string_list(node, "approved_for", label, problems))
        if (auto g = selector(text, mark, label + ".approved_for")) r.approved_for.push_back(*g);
    if (!r.approved_for.empty() && !r.approved)
        problems.add(node["approved_for"].Mark(), label + ": 'approved_for' needs 'approved: true'");
    if (const YAML::Node soc = node["standard_of_care"]) {
        if (!soc.IsSequence()) {
            problems.add(soc.Mark(),
                         label + ".standard_of_care must be a list of {genotype, line, citations}");
        } else {
            std::size_t k = 0;
            for (const auto& item : soc) {
                const std::string what = label + ".standard_of_care[" + std::to_string(k++) + "]";
                if (!check_map(item, what, {"genotype", "line", "citations", "note"}, problems)) continue;
                StandardOfCare e;
                if (auto text = get_string(item, "genotype", what, true, problems))
                    if (auto g = selector(*text, item["genotype"].Mark(), what)) e.genotype = *g;
                if (item["line"]) {
                    if (auto line = get_positive_int(item["line"], what + ".line", problems, ""))
                        e.line = *line;
                }
                for (auto& [c, mark] : get_string_list(item, "citations", what, problems))
                    e.citations.push_back(c);
                if (e.citations.empty())
                    problems.add(item.Mark(), what + ": a standard of care needs its citations");
                e.note = get_string(item, "note", what, false, problems).value_or("");
                r.standard_of_care.push_back(std::move(e));
            }
        }
    }
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

// The most favourable call among the drugs of one step; among drugs tied on the call, the one
// with the strongest evidence decides the grade and the confidence marks.
CloneCall best_call(const Clone& clone,
                    const std::vector<std::size_t>& drugs,
                    const Regimen& regimen,
                    const ActivityPanel& panel) {
    CloneCall best;
    best.activity = Activity::kResistant;
    bool any = false;
    for (auto i : drugs) {
        CloneCall c = clone_drug_call(clone, i, regimen.dose_of(panel.drugs()[i].id));
        const bool better = !any || most_favourable(best.activity, c.activity) != best.activity;
        const bool tie_stronger = any && c.activity == best.activity &&
                                  (c.grade < best.grade || (c.grade == best.grade && !c.low_confidence));
        if (better || tie_stronger) best = std::move(c);
        any = true;
    }
    return best;
}

bool covers(Activity a) {
    return a == Activity::kSensitive || a == Activity::kIntermediate;
}

double nan_as_zero(double v) {
    return std::isnan(v) ? 0.0 : v;
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
    auto steps = step_drug_indices(regimen, panel);
    RegimenCoverage out;
    out.sample = sample.sample;
    out.regimen = &regimen;
    // Single agents and combinations are one step covering the whole period. Under the pk
    // schedule model the steps are the exposure slices and the weights their hours.
    std::vector<double> days;
    if (!regimen.exposure.empty()) {
        steps.clear();
        for (const auto& slice : regimen.exposure) {
            std::vector<std::size_t> idx;
            for (const auto& d : slice.drugs)
                if (auto i = drug_index(panel, d)) idx.push_back(*i);
            steps.push_back(std::move(idx));
            days.push_back(slice.hours);
        }
    } else {
        for (const auto& s : regimen.steps) days.push_back(steps.size() == 1 ? 1.0 : s.days);
    }
    double period = 0;
    for (double d : days) period += d;
    // Burdens are over the detected secondary clones (the resistance the regimen must suppress);
    // a sample without one is judged on its primary clones (the "what first" question).
    bool any_secondary = false, any_primary = false;
    for (const auto& c : sample.clones) {
        if (!c.detected()) continue;
        any_secondary = any_secondary || c.role == VariantRole::kSecondary;
        any_primary = any_primary || c.role == VariantRole::kPrimary;
    }
    const VariantRole target_role = any_secondary ? VariantRole::kSecondary : VariantRole::kPrimary;
    out.burden_basis = any_secondary ? "secondary" : any_primary ? "primary" : "";

    out.approved_for_sample = regimen.approved;
    if (regimen.approved && !regimen.approved_for.empty()) {
        out.approved_for_sample = false;
        for (const auto& g : regimen.approved_for)
            out.approved_for_sample = out.approved_for_sample || g.matches(sample);
    }
    // A label or guideline speaks for the genotypes it was approved for: outside them (the FDA
    // avapritinib label, PDGFRA exon 18, cited for KIT PDX models) it is a record of the label,
    // graded as knowledge-base (evidence file section 5.1 and 10.4).
    auto effective = [&](const CloneCall& call) {
        return call.grade == EvidenceGrade::kGuideline && !out.approved_for_sample
                   ? EvidenceGrade::kKnowledgeBase
                   : call.grade;
    };

    double sum_f = 0.0, covered = 0.0, covered_clinical = 0.0, partial = 0.0, unknown = 0.0, resistant = 0.0,
           untreated = 0.0;
    bool any_target = false, any_covering = false, any_nonpreclinical = false, any_active_clinical = false;
    EvidenceGrade weakest = EvidenceGrade::kClinical;
    double largest = -1.0;
    for (std::size_t ci = 0; ci < sample.clones.size(); ++ci) {
        const Clone& clone = sample.clones[ci];
        if (!clone.detected()) continue;
        check_activity(clone, panel);
        CloneCoverage cov;
        cov.clone = ci;
        double d_s = 0, d_i = 0, d_u = 0, d_r = 0, d_sc = 0, d_n = 0;
        bool covered_once = false;
        EvidenceGrade clone_weakest = EvidenceGrade::kClinical;
        for (std::size_t k = 0; k < steps.size(); ++k) {
            CloneCall call = best_call(clone, steps[k], regimen, panel);
            call.grade = effective(call);
            cov.per_step.push_back(call.activity);
            cov.per_step_grade.push_back(call.grade);
            if (steps[k].empty()) {  // pk model: no drug above its threshold (not a resistant call)
                d_n += days[k];
                continue;
            }
            switch (call.activity) {
                case Activity::kSensitive:
                    d_s += days[k];
                    if (is_clinical(call.grade) && !call.low_confidence) d_sc += days[k];
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
            if (covers(call.activity)) {
                covered_once = true;
                cov.active_clinical =
                    cov.active_clinical || (is_clinical(call.grade) && !call.low_confidence);
                // A low-confidence call counts as class extrapolation when grading.
                const EvidenceGrade g =
                    call.low_confidence ? std::max(call.grade, EvidenceGrade::kClass) : call.grade;
                clone_weakest = std::max(clone_weakest, g);
                cov.low_confidence = cov.low_confidence || call.low_confidence;
                cov.conflicting = cov.conflicting || call.conflicting;
            }
        }
        cov.grade = covered_once ? clone_weakest : EvidenceGrade::kNone;
        const double p = period;
        cov.time_sensitive = d_s / p;
        cov.time_intermediate = d_i / p;
        cov.time_unknown = d_u / p;
        cov.time_resistant = d_r / p;
        cov.time_sensitive_clinical = d_sc / p;
        cov.time_untreated = d_n / p;
        if (d_s >= period * (1 - 1e-12))
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
        // Without a truncal reference fractions are NA: compare the clones by VAF instead.
        const double weight = std::isnan(clone.fraction) ? nan_as_zero(clone.vaf) : clone.fraction;
        if (is_escaping(cov.status) && weight > largest) {
            largest = weight;
            out.largest_escaping = static_cast<int>(ci);
        }
        if (clone.role == target_role) {
            any_target = true;
            // No truncal reference (issue 15): fractions are NA, the burden is weighted by VAF.
            const double f = std::isnan(clone.fraction) ? clone.vaf : clone.fraction;
            sum_f += f;
            covered += f * cov.time_sensitive;
            covered_clinical += f * cov.time_sensitive_clinical;
            partial += f * cov.time_intermediate;
            unknown += f * cov.time_unknown;
            resistant += f * cov.time_resistant;
            untreated += f * cov.time_untreated;
            if (covered_once) {
                any_covering = true;
                weakest = std::max(weakest, cov.grade);
                any_nonpreclinical = any_nonpreclinical || cov.grade <= EvidenceGrade::kKnowledgeBase;
                // Counted even when the burdens are NaN (fractions unknown).
                any_active_clinical = any_active_clinical || cov.active_clinical;
                if (cov.low_confidence) ++out.n_low_confidence;
                if (cov.conflicting) ++out.n_conflicting;
            }
        }
        out.clones.push_back(std::move(cov));
    }
    if (any_target && sum_f > 0.0) {  // NaN fails the comparison and leaves the burdens NaN
        out.covered_burden = covered / sum_f;
        out.covered_burden_clinical = covered_clinical / sum_f;
        out.partial_burden = partial / sum_f;
        out.unknown_burden = unknown / sum_f;
        out.resistant_burden = resistant / sum_f;
        out.untreated_burden = untreated / sum_f;
        out.escaping_burden = (unknown + resistant + untreated) / sum_f;
    }
    out.grade = any_covering ? weakest : EvidenceGrade::kNone;
    for (const auto& soc : regimen.standard_of_care)
        if (soc.genotype.matches(sample)) out.standard.push_back(&soc);
    if (!any_covering)
        out.tier = RegimenTier::kNoKnownActivity;
    else if (!regimen.hypothetical && out.approved_for_sample && any_active_clinical)
        out.tier = RegimenTier::kClinical;
    else if (!regimen.hypothetical && any_nonpreclinical)
        out.tier = RegimenTier::kInvestigational;
    else
        out.tier = RegimenTier::kHypothesis;
    return out;
}

namespace {

// The ranking rule of regimens.hpp: true when `a` ranks before `b`.
bool ranks_before(const RegimenCoverage& a, const RegimenCoverage& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.prior != b.prior) return a.prior < b.prior;  // untried, then partly, then all failed
    // Among regimens with no known activity approval means nothing: known resistance must not
    // rank above unknown because the drug is approved.
    if (a.tier != RegimenTier::kNoKnownActivity && a.approved_for_sample != b.approved_for_sample)
        return a.approved_for_sample;
    const double ka = nan_as_zero(a.covered_burden_clinical), kb = nan_as_zero(b.covered_burden_clinical);
    if (ka != kb) return ka > kb;
    const double ca = nan_as_zero(a.covered_burden), cb = nan_as_zero(b.covered_burden);
    if (ca != cb) return ca > cb;
    const double pa = nan_as_zero(a.partial_burden), pb = nan_as_zero(b.partial_burden);
    if (pa != pb) return pa > pb;
    const double ra = nan_as_zero(a.resistant_burden) + nan_as_zero(a.untreated_burden),
                 rb = nan_as_zero(b.resistant_burden) + nan_as_zero(b.untreated_burden);
    if (ra != rb) return ra < rb;
    if (a.standard_line_rank != b.standard_line_rank) return a.standard_line_rank < b.standard_line_rank;
    return a.regimen->drugs.size() < b.regimen->drugs.size();
}

}  // namespace

void rank_regimens(std::vector<RegimenCoverage>& coverages) {
    std::stable_sort(coverages.begin(), coverages.end(), ranks_before);
    // Equal on every criterion (neither ranks before the other): the same rank.
    for (std::size_t i = 0; i < coverages.size(); ++i)
        coverages[i].rank = i > 0 && !ranks_before(coverages[i - 1], coverages[i]) ? coverages[i - 1].rank
                                                                                   : static_cast<int>(i) + 1;
}

int next_line(const SampleClones& sample, const RegimenSet& set, const TreatmentHistory& history) {
    if (!history.known()) return 0;
    int highest = 0;
    for (const auto& r : set.regimens) {
        if (r.kind != RegimenKind::kSingle || r.drugs.size() != 1) continue;
        if (std::find(history.failed.begin(), history.failed.end(), r.drugs.front()) == history.failed.end())
            continue;
        for (const auto& soc : r.standard_of_care)
            if (soc.genotype.matches(sample)) highest = std::max(highest, soc.line);
    }
    return highest + 1;
}

std::vector<RegimenCoverage> evaluate_regimens(const SampleClones& sample,
                                               const RegimenSet& set,
                                               const ActivityPanel& panel,
                                               const TreatmentHistory& history) {
    const int next = next_line(sample, set, history);
    std::vector<RegimenCoverage> out;
    out.reserve(set.regimens.size());
    for (const auto& r : set.regimens) {
        RegimenCoverage c = evaluate_regimen(sample, r, panel);
        int failed = 0;
        for (const auto& d : r.drugs)
            failed += std::find(history.failed.begin(), history.failed.end(), d) != history.failed.end();
        c.prior = failed == 0                                  ? PriorStatus::kNone
                  : failed == static_cast<int>(r.drugs.size()) ? PriorStatus::kAllFailed
                                                               : PriorStatus::kIncludesFailed;
        // Standard of care: at the next line first (or the earliest line without a history), then
        // later lines, then lines already passed; regimens that are no standard for the genotype last.
        for (const StandardOfCare* soc : c.standard) {
            const int line = soc->line > 0 ? soc->line : 1;
            const int from = next > 0 ? next : 1;
            const int key = line >= from ? line - from : 100 + (from - line);
            c.standard_line_rank = std::min(c.standard_line_rank, key);
        }
        out.push_back(std::move(c));
    }
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
// Pharmacokinetic table and exposure timelines

namespace {

// skip_unknown_drugs (the shipped table with a narrower user panel): entries for drugs the panel
// lacks are dropped instead of rejected, as default_regimens() does.
PkModel parse_pk_model(std::istream& in,
                       const std::string& source_name,
                       const ActivityPanel& panel,
                       bool skip_unknown_drugs) {
    const YAML::Node root = parse_yaml(in, source_name);
    Problems problems{source_name, {}};
    PkModel model;
    model.source = source_name;
    const std::string what = "the pharmacokinetic table";
    std::set<std::string> keys;
    if (!root || root.IsNull()) {
        problems.add(YAML::Mark::null_mark(), "empty pharmacokinetic table");
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
        const YAML::Node cites = root["citations"];
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
        const YAML::Node drugs = root["drugs"];
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
                const YAML::Node ms = dn["moieties"];
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
                        if (const YAML::Node r = mn["half_life_range"]) {
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
    if (!problems.list.empty()) throw RegimenError(source_name, problems.list);
    return model;
}

}  // namespace

PkModel load_pk_model(std::istream& in, const std::string& source_name, const ActivityPanel& panel) {
    return parse_pk_model(in, source_name, panel, false);
}

PkModel load_pk_model(const std::string& path, const ActivityPanel& panel) {
    check_file_size(path, kMaxYamlBytes, "pharmacokinetic");
    std::ifstream in(path);
    if (!in) throw IoError("cannot open pharmacokinetic table '" + path + "': " + std::strerror(errno));
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
