// SPDX-License-Identifier: MIT
// panel: the TKI activity panel (YAML, user-editable, every entry cited): schema, strict loading
// with file:line:col errors, and rule matching. Flow: KitVariant (VariantName + role) ->
// ActivityPanel::match -> per-drug Activity + evidence. Knows no files other than the panel.
//
// Matching: the most specific rule wins, in this order: exact protein change (D816V) > codon
// (D816*) > codon range (816-823) > exon + variant class (exon 11 inframe_deletion) > gene.
// A rule with a context (primary / secondary) only matches a variant of that role, and beats a
// context-free rule of the same level. Two rules of the same level and context that match the
// same variant with different activity for a drug are rejected at load time.
//
//   const ActivityPanel panel = load_panel("resources/panels/gist_default.yaml");
//   const PanelMatch m = panel.match(name, VariantRole::kSecondary);
//   for (size_t i = 0; i < panel.drugs().size(); ++i) use(panel.drugs()[i].id, m.calls[i].activity);
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/common/errors.hpp"
#include "kitrx/genome/hgvs.hpp"
#include "kitrx/genome/protein_change.hpp"  // canonical_protein_change(), used with match()

namespace kitrx {

enum class Activity { kSensitive, kIntermediate, kResistant, kUnknown };
[[nodiscard]] std::string to_string(Activity a);  // "sensitive", ...
[[nodiscard]] std::optional<Activity> parse_activity(std::string_view text);

// Rule specificity, most specific first. kNone: no rule matched.
enum class MatchLevel { kExact, kCodon, kCodonRange, kExonClass, kGene, kNone };
[[nodiscard]] std::string to_string(MatchLevel l);  // "exact", "codon", ...

// Role of a variant in its sample: the truncal primary driver or a secondary (resistance) one.
enum class VariantRole { kUnknown, kPrimary, kSecondary };
[[nodiscard]] std::string to_string(VariantRole r);  // "primary", "secondary", "unknown"

struct Drug {
    std::string id;    // "sunitinib" (used in column names: activity_<id>)
    std::string name;  // display name
    std::vector<std::string> aliases;
    std::string mechanism;  // "type I", "type II", "switch-control", ...
    std::string status;     // approval status / line of therapy in GIST, "" if unknown
};

struct Citation {
    std::string key;
    std::string authors;
    std::string title;
    std::string journal;
    int year = 0;
    std::string doi;
    std::string pmid;
    std::string url;
    std::string volume;  // "120(6):612-620"
    std::string pmcid;   // "PMC6462042"
    std::string note;    // e.g. which bibliographic details are unverified
};

struct Evidence {
    std::string citation;        // key into ActivityPanel::citations()
    std::string kind;            // clinical | preclinical | guideline | knowledge-base | class
    std::optional<double> ic50;  // set only when the source gives one number
    std::string ic50_units;      // "nM"
    std::string note;
    std::string ic50_text;             // the value as the source gives it: "200-250", ">5-10"
    std::string flag;                  // "verified" | "unverified" | "" (not stated)
    std::optional<Activity> supports;  // direction of this item when it differs from the call
};

struct DrugActivity {
    Activity activity = Activity::kUnknown;
    std::vector<Evidence> evidence;
    std::string reason;           // why this call was chosen (disputed cells)
    bool low_confidence = false;  // the "S?" cells of the evidence file
    std::string dose;             // dose the call refers to ("400 mg/day"); "" = the usual dose
    // Dose-qualified calls (YAML `at_dose:`), each with its own `dose`; a regimen that gives the
    // drug at one of these doses uses that call (imatinib on KIT exon 9: I at 400, S at 800 mg).
    std::vector<DrugActivity> at_dose;
};

// Strength of the evidence behind a call, strongest first (house rule: clinical trial and
// label/guideline above knowledge-base above preclinical above class extrapolation).
enum class EvidenceGrade { kClinical, kGuideline, kKnowledgeBase, kPreclinical, kClass, kNone };
[[nodiscard]] std::string to_string(EvidenceGrade g);  // "clinical", "guideline", "knowledge-base", ...
// Clinical trial or label/guideline: the grades that count as clinical evidence in rankings.
[[nodiscard]] inline bool is_clinical(EvidenceGrade g) {
    return g == EvidenceGrade::kClinical || g == EvidenceGrade::kGuideline;
}
// Grade of an evidence kind string ("clinical", "knowledge-base", ...); kNone when unknown.
[[nodiscard]] EvidenceGrade grade_of_kind(std::string_view kind);
// Strongest grade among the evidence items that support the call (items whose `supports`
// points the other way do not count); when no item supports it (a call more cautious than all
// of its evidence), the strongest of all items; kNone without evidence.
[[nodiscard]] EvidenceGrade evidence_grade(const DrugActivity& call);
// Some evidence item points the other way than the call (a disputed cell).
[[nodiscard]] bool is_conflicting(const DrugActivity& call);
// The call at `dose` when the cell has one for it, else the cell's own call.
[[nodiscard]] const DrugActivity& call_at_dose(const DrugActivity& call, std::string_view dose);

struct PanelRule {
    std::string id;    // unique rule id, reported in outputs
    std::string gene;  // "KIT" / "PDGFRA"
    MatchLevel level = MatchLevel::kGene;
    std::string protein;  // kExact: "D816V", "W557_K558del"
    int codon_begin = 0;  // kCodon / kCodonRange (1-based, inclusive)
    int codon_end = 0;
    int exon = 0;                                  // kExonClass
    std::string variant_class;                     // kExonClass / kGene: class names as written, ", "-joined
    std::vector<std::string> variant_classes;      // the same, one per entry ("any" when none given)
    std::uint32_t class_mask = 0;                  // internal: consequence classes the rule accepts
    VariantRole context = VariantRole::kUnknown;   // kUnknown = any role
    std::map<std::string, DrugActivity> activity;  // by drug id; absent drug = unknown
    std::string note;
    SourceLocation where;  // where the rule starts in the YAML
};

// A rule for a combination of variants on one allele (YAML `compound:`), e.g. a KIT exon 13/14
// (ATP-binding pocket) plus an exon 17/18 (activation loop) mutation in cis: ripretinib
// resistant [M24], other drugs unknown unless cited. Applies only to clones the user declared in
// cis (--cis-group): short ctDNA reads rarely phase exon 13 with exon 17. Its calls replace the
// members' calls; a drug it does not list is unknown.
struct CompoundRule {
    std::string id;
    std::string gene;
    std::vector<std::vector<int>> all_of;  // one exon set per component; each needs its own variant
    std::map<std::string, DrugActivity> activity;
    std::string note;
    SourceLocation where;
};

struct PanelMatch {
    const PanelRule* rule = nullptr;  // nullptr when nothing matched
    MatchLevel level = MatchLevel::kNone;
    std::vector<DrugActivity> calls;  // one per ActivityPanel::drugs(), same order
};

class ActivityPanel {
public:
    std::string name, version, date, notice;
    std::string description;
    std::vector<std::string> transcripts;  // e.g. "KIT:NM_000222.3"
    std::string source;                    // path it was loaded from, or "<builtin>"

    [[nodiscard]] const std::vector<Drug>& drugs() const { return drugs_; }
    [[nodiscard]] const Drug* drug(std::string_view id_or_alias) const;
    [[nodiscard]] const std::map<std::string, Citation>& citations() const { return citations_; }
    [[nodiscard]] const std::vector<PanelRule>& rules() const { return rules_; }
    [[nodiscard]] const std::vector<CompoundRule>& compound_rules() const { return compound_rules_; }
    // The first compound rule matched by these (gene, exon) members, or nullptr: each component
    // of all_of is met by a different member of the rule's gene.
    [[nodiscard]] const CompoundRule* match_compound(
        const std::vector<std::pair<std::string, int>>& members) const;

    // Never throws; unmatched variants get kNone and every drug unknown.
    [[nodiscard]] PanelMatch match(const VariantName& variant, VariantRole role) const;

    // Filled only by the loader.
    std::vector<Drug> drugs_;
    std::map<std::string, Citation> citations_;
    std::vector<PanelRule> rules_;
    std::vector<CompoundRule> compound_rules_;
};

// Every problem found in one pass, one message per line ("file:line:col: what; hint").
class PanelError : public ProblemListError {
public:
    using ProblemListError::ProblemListError;
};

// Short label of a rule's selector: "KIT D816V", "KIT D816*", "KIT codons 816-823",
// "KIT exon 11 inframe_deletion", "PDGFRA any", plus " (primary)" / " (secondary)" for a context.
[[nodiscard]] std::string rule_label(const PanelRule& rule);
// Citation keys of a call's evidence, in order, without repeats, joined by `separator`.
[[nodiscard]] std::string evidence_keys(const DrugActivity& call, std::string_view separator = ",");
// Class names accepted by `class:` in panel rules (SO names, then aliases), for help texts.
[[nodiscard]] std::vector<std::string> panel_class_names();

// Throws IoError when unreadable, PanelError listing every problem.
[[nodiscard]] ActivityPanel load_panel(const std::string& path);
[[nodiscard]] ActivityPanel load_panel(std::istream& in, const std::string& source_name);
// The shipped panel (resources/panels/gist_default.yaml, compiled in), loaded once on first use.
// Throws std::logic_error ("internal error: ...") should it not load.
[[nodiscard]] const ActivityPanel& default_panel();

// Ordering of calls, for combining them (src/lib/panel/activity_order.cpp): a clone of several
// variants takes the least favourable of their calls, a step of several drugs the most favourable.
// Least favourable of two calls (resistant > unknown > intermediate > sensitive).
[[nodiscard]] Activity least_favourable(Activity a, Activity b);
// Most favourable of two calls (sensitive > intermediate > unknown > resistant).
[[nodiscard]] Activity most_favourable(Activity a, Activity b);

}  // namespace kitrx
