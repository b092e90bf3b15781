// SPDX-License-Identifier: MIT
// regimen_loader: the regimen file's schema (regimens.hpp), read strictly: every problem of the
// file is collected with its line and column before one RegimenError is raised, and the panel's
// single agents are added to what the file lists.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "drug_calls.hpp"
#include "kitrx/common/resources.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/regimens/regimens.hpp"
#include "strict_yaml.hpp"

namespace kitrx {

using namespace regimen_yaml;
using regimen_detail::drug_index;
using regimen_detail::panel_drug_list;

namespace {

bool valid_id(const std::string& id) {
    if (id.empty()) return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' && c != '+')
            return false;
    return true;
}

const std::vector<std::string> kRegimenKeys = {"id",       "name",      "kind",         "drugs",
                                               "schedule", "citations", "notes",        "hypothetical",
                                               "approved", "dose",      "approved_for", "standard_of_care"};

// Parses one regimen entry. Returns nullopt when it has problems (recorded) or, in skip mode,
// uses a drug the panel lacks (id appended to `skipped`).
std::optional<Regimen> parse_regimen(const yaml::Node& node,
                                     std::size_t index,
                                     const ActivityPanel& panel,
                                     bool skip_unknown_drugs,
                                     Problems& problems,
                                     std::vector<std::string>& skipped) {
    const std::string what = "regimens[" + std::to_string(index) + "]";
    if (!check_map(node, what, kRegimenKeys, problems)) return std::nullopt;
    const std::size_t before = problems.size();
    Regimen r;
    r.where = SourceLocation{problems.file(), node.Mark().line + 1, node.Mark().column + 1, ""};
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
    auto resolve = [&](const std::string& id, const yaml::Mark& mark) -> std::string {
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
    const yaml::Node schedule = node["schedule"];
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
    if (const yaml::Node dose = node["dose"]) {
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
    auto selector = [&](const std::string& text, const yaml::Mark& mark, const std::string& what) {
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
    if (const yaml::Node soc = node["standard_of_care"]) {
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
    if (problems.size() != before) return std::nullopt;
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
    const yaml::Node root = parse(in, source_name);
    Problems problems = problems_for(source_name);
    RegimenSet set;
    set.source = source_name;
    if (!root || root.IsNull()) {
        problems.add(yaml::Mark::null_mark(), "empty regimen file", "expected keys name, version, regimens");
        problems.raise<RegimenError>();
    }
    if (check_map(root, "the regimen file", {"name", "version", "description", "regimens"}, problems)) {
        set.name = get_string(root, "name", "the regimen file", true, problems).value_or("");
        set.version = get_string(root, "version", "the regimen file", true, problems).value_or("");
        get_string(root, "description", "the regimen file", false, problems);
        const yaml::Node list = root["regimens"];
        if (!list) {
            problems.add(root.Mark(), "the regimen file: missing key 'regimens'");
        } else if (!list.IsSequence()) {
            problems.add(list.Mark(), "'regimens' must be a list");
        } else {
            std::map<std::string, yaml::Mark> ids;
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
    problems.raise_if_any<RegimenError>();

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
    std::ifstream in = open_file(path, "regimen", "regimen file");
    return parse_regimen_set(in, path, panel, false);
}

RegimenSet load_regimens(std::istream& in, const std::string& source_name, const ActivityPanel& panel) {
    return parse_regimen_set(in, source_name, panel, false);
}

RegimenSet default_regimens(const ActivityPanel& panel) {
    std::istringstream in{std::string(embedded_resource("regimens/default.yaml"))};
    return parse_regimen_set(in, "<builtin>:regimens/default.yaml", panel, true);
}

}  // namespace kitrx
