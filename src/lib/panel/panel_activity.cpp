// SPDX-License-Identifier: MIT
// Loading the activity cells of panel rules (`activity:` -> per-drug calls, doses, evidence):
// the part of the panel schema that carries the citations, strict like the rest of the loader.
#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "kitrx/common/text.hpp"
#include "panel_internal.hpp"

namespace kitrx::panel_internal {

namespace {

using yaml::Field;
using yaml::Fields;
using yaml::node_kind;
using yaml::scalar;

const std::vector<std::string> kCallKeys{"call", "confidence", "reason", "evidence", "dose", "at_dose"};
const std::vector<std::string> kDoseCallKeys{"dose", "call", "confidence", "reason", "evidence"};
const std::vector<std::string> kEvidenceKeys{"cite",       "kind", "supports", "ic50",
                                             "ic50_units", "flag", "note"};
const std::vector<std::string> kEvidenceKinds{"clinical", "preclinical", "guideline", "knowledge-base",
                                              "class"};
const std::vector<std::string> kActivityWords{"sensitive", "intermediate", "resistant", "unknown"};
const std::vector<std::string> kIc50Units{"pM", "nM", "uM", "µM", "mM"};

// One rule's activity cells, checked against the panel's drugs and citations.
class CellReader {
public:
    CellReader(const ActivityPanel& panel, yaml::Problems& problems) : panel_(panel), problems_(problems) {}

    bool read(const Field& a, const std::string& what, std::map<std::string, DrugActivity>& activity) {
        if (!expect_map(a, "'activity' of " + what, problems_)) return false;
        bool ok = true;
        std::vector<std::string> ids;
        for (const auto& d : panel_.drugs_) ids.push_back(d.id);
        for (auto it = a.value.begin(); it != a.value.end(); ++it) {
            const yaml::Node key = it->first, value = it->second;
            const std::string id = key.IsScalar() ? key.Scalar() : "";
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                std::string hint;
                if (const Drug* d = panel_.drug(id)) {
                    hint = "'" + id + "' is an alias: write the drug id '" + d->id + "'";
                } else {
                    hint = suggestion(id, ids);
                    hint +=
                        (hint.empty() ? "" : " ") + std::string("drugs defined under 'drugs': ") + join(ids);
                }
                problems_.add(key.Mark(), "unknown drug id '" + id + "' in " + what, hint);
                ok = false;
                continue;
            }
            if (activity.count(id)) {
                problems_.add(key.Mark(), "duplicate key '" + id + "' in 'activity' of " + what);
                ok = false;
                continue;
            }
            const std::string cell = what + ", drug '" + id + "'";
            DrugActivity call;
            if (value.IsScalar()) {
                if (!parse_call(value.Scalar(), value.Mark(), cell, call)) ok = false;
            } else if (value.IsMap()) {
                if (!load_call(value, cell, call)) ok = false;
            } else {
                problems_.add(value.IsNull() ? key.Mark() : value.Mark(),
                              cell + " must be an activity level or a mapping with " + join(kCallKeys) +
                                  ", got " + node_kind(value));
                ok = false;
                continue;
            }
            if (call.activity != Activity::kUnknown && call.evidence.empty()) {
                problems_.add(key.Mark(), cell + ": a " + to_string(call.activity) + " call has no evidence",
                              "add evidence items (cite, kind) or make the call unknown");
                ok = false;
            }
            activity.emplace(id, std::move(call));
        }
        return ok;
    }

    bool parse_call(const std::string& text,
                    const yaml::Mark& mark,
                    const std::string& cell,
                    DrugActivity& call) {
        const auto act = parse_activity(text);
        if (!act) {
            std::string hint = suggestion(text, kActivityWords);
            hint += (hint.empty() ? "" : " ") + std::string("expected one of ") + join(kActivityWords);
            problems_.add(mark, "unknown activity level '" + text + "' in " + cell, hint);
            return false;
        }
        call.activity = *act;
        return true;
    }

    bool load_call(const yaml::Node& node,
                   const std::string& cell,
                   DrugActivity& call,
                   bool dose_item = false) {
        const Fields c(node, cell, dose_item ? kDoseCallKeys : kCallKeys, problems_);
        bool ok = true;
        const Field* cf = c.require("call", problems_);
        if (const auto text = scalar(cf, cell, problems_))
            ok = parse_call(*text, cf->value.Mark(), cell, call);
        else
            ok = false;
        if (const Field* conf = c.get("confidence")) {
            const auto text = scalar(conf, cell, problems_);
            if (text && *text == "low")
                call.low_confidence = true;
            else if (text && *text != "normal") {
                problems_.add(conf->value.Mark(), "unknown confidence '" + *text + "' in " + cell,
                              "expected low or normal");
                ok = false;
            }
        }
        call.reason = scalar(c.get("reason"), cell, problems_).value_or("");
        if (dose_item) {
            const Field* d = c.require("dose", problems_);
            call.dose = scalar(d, cell, problems_).value_or("");
            if (!d || call.dose.empty()) ok = false;
        } else {
            call.dose = scalar(c.get("dose"), cell, problems_).value_or("");
        }
        if (const Field* doses = c.get("at_dose")) {
            if (!expect_seq(*doses, "'at_dose' of " + cell, problems_)) return false;
            std::size_t k = 0;
            for (const auto& item : doses->value) {
                const std::string what = cell + " at_dose[" + std::to_string(k++) + "]";
                if (!item.IsMap()) {
                    problems_.add(item.Mark(), what + " must be a mapping, got " + node_kind(item));
                    ok = false;
                    continue;
                }
                DrugActivity at;
                if (!load_call(item, what, at, true)) ok = false;
                if (at.activity != Activity::kUnknown && at.evidence.empty()) {
                    problems_.add(
                        item.Mark(), what + ": a " + to_string(at.activity) + " call has no evidence",
                        "add evidence items (cite, kind): a dose-qualified call is cited like any other");
                    ok = false;
                }
                for (const auto& other : call.at_dose)
                    if (other.dose == at.dose) {
                        problems_.add(item.Mark(), "dose '" + at.dose + "' given twice in " + cell);
                        ok = false;
                    }
                call.at_dose.push_back(std::move(at));
            }
        }
        if (const Field* ev = c.get("evidence")) {
            if (!expect_seq(*ev, "'evidence' of " + cell, problems_)) return false;
            for (const auto& item : ev->value) {
                if (!item.IsMap()) {
                    problems_.add(item.Mark(), "each evidence item of " + cell + " must be a mapping, got " +
                                                   node_kind(item));
                    ok = false;
                    continue;
                }
                // Kept even when invalid, so that one bad item does not also read as "no evidence".
                Evidence e;
                if (!load_evidence(item, cell, e)) ok = false;
                call.evidence.push_back(std::move(e));
            }
        }
        return ok;
    }

    bool load_evidence(const yaml::Node& node, const std::string& cell, Evidence& e) {
        const std::string what = "evidence of " + cell;
        const Fields f(node, what, kEvidenceKeys, problems_);
        bool ok = true;
        const Field* cite = f.require("cite", problems_);
        if (const auto key = scalar(cite, what, problems_)) {
            e.citation = *key;
            if (!panel_.citations_.count(*key)) {
                std::vector<std::string> keys;
                for (const auto& [k, c] : panel_.citations_) keys.push_back(k);
                std::string hint = suggestion(*key, keys);
                hint += (hint.empty() ? "" : " ") + std::string("add it under 'citations:'");
                problems_.add(cite->value.Mark(), "citation key '" + *key + "' not defined (" + what + ")",
                              hint);
                ok = false;
            }
        } else {
            ok = false;
        }
        const Field* kind = f.require("kind", problems_);
        if (const auto k = scalar(kind, what, problems_)) {
            e.kind = *k;
            if (std::find(kEvidenceKinds.begin(), kEvidenceKinds.end(), *k) == kEvidenceKinds.end()) {
                std::string hint = suggestion(*k, kEvidenceKinds);
                hint += (hint.empty() ? "" : " ") + std::string("expected one of ") + join(kEvidenceKinds);
                problems_.add(kind->value.Mark(), "unknown evidence kind '" + *k + "' in " + what, hint);
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const Field* s = f.get("supports")) {
            if (const auto text = scalar(s, what, problems_)) {
                DrugActivity tmp;
                if (parse_call(*text, s->value.Mark(), what, tmp))
                    e.supports = tmp.activity;
                else
                    ok = false;
            }
        }
        if (const Field* fl = f.get("flag")) {
            e.flag = scalar(fl, what, problems_).value_or("");
            if (!e.flag.empty() && e.flag != "verified" && e.flag != "unverified") {
                problems_.add(fl->value.Mark(), "unknown flag '" + e.flag + "' in " + what,
                              "expected verified or unverified");
                ok = false;
            }
        }
        e.note = scalar(f.get("note"), what, problems_).value_or("");
        const Field* ic50 = f.get("ic50");
        const Field* units = f.get("ic50_units");
        if (ic50) {
            e.ic50_text = scalar(ic50, what, problems_).value_or("");
            if (!parse_ic50(e)) {
                problems_.add(ic50->value.Mark(), "malformed ic50 '" + e.ic50_text + "' in " + what,
                              "write a number, a range (200-250) or a bound (>5000)");
                ok = false;
            }
            if (!units) {
                problems_.add(ic50->key_mark, "ic50 without 'ic50_units' in " + what,
                              "units: " + join(kIc50Units));
                ok = false;
            }
        }
        if (units) {
            e.ic50_units = scalar(units, what, problems_).value_or("");
            if (std::find(kIc50Units.begin(), kIc50Units.end(), e.ic50_units) == kIc50Units.end()) {
                problems_.add(units->value.Mark(), "unknown ic50 unit '" + e.ic50_units + "' in " + what,
                              "units: " + join(kIc50Units));
                ok = false;
            }
            if (!ic50) {
                problems_.add(units->key_mark, "'ic50_units' without 'ic50' in " + what);
                ok = false;
            }
        }
        return ok;
    }

    // Accepts "12.5", "200-250", ">5", "<10", "~100"; ic50 is set only for a plain number.
    static bool parse_ic50(Evidence& e) {
        std::string t = e.ic50_text;
        if (t.empty()) return false;
        bool bound = false;
        if (t[0] == '<' || t[0] == '>' || t[0] == '~') {
            bound = true;
            t.erase(0, 1);
        }
        auto number = [](const std::string& s, double& out) {
            if (s.empty()) return false;
            char* end = nullptr;
            errno = 0;
            out = std::strtod(s.c_str(), &end);
            return errno == 0 && end == s.c_str() + s.size() && out >= 0;
        };
        double lo = 0, hi = 0;
        const auto dash = t.find('-', 1);
        if (dash != std::string::npos)
            return number(t.substr(0, dash), lo) && number(t.substr(dash + 1), hi) && lo < hi;
        if (!number(t, lo)) return false;
        if (!bound) e.ic50 = lo;
        return true;
    }

private:
    const ActivityPanel& panel_;
    yaml::Problems& problems_;
};

}  // namespace

bool expect_map(const yaml::Field& f, const std::string& what, yaml::Problems& problems) {
    if (f.value.IsMap()) return true;
    problems.add(f.value.IsNull() ? f.key_mark : f.value.Mark(),
                 what + " must be a mapping, got " + node_kind(f.value));
    return false;
}

bool expect_seq(const yaml::Field& f, const std::string& what, yaml::Problems& problems) {
    if (f.value.IsSequence()) return true;
    problems.add(f.value.IsNull() ? f.key_mark : f.value.Mark(),
                 what + " must be a list, got " + node_kind(f.value));
    return false;
}

bool load_activity(const yaml::Field& a,
                   const std::string& what,
                   const ActivityPanel& panel,
                   std::map<std::string, DrugActivity>& activity,
                   yaml::Problems& problems) {
    return CellReader(panel, problems).read(a, what, activity);
}

}  // namespace kitrx::panel_internal
