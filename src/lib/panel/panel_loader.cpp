// SPDX-License-Identifier: MIT
// Activity panel loading: the YAML schema of docs/panel_format.md read strictly (every problem
// collected with file:line:col, then one PanelError), and the shipped panel. The activity cells
// are read in panel_activity.cpp, the rule-pair check is panel_rule_checks.cpp.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include "kitrx/common/limits.hpp"
#include "kitrx/common/resources.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/genome/protein_change.hpp"
#include "kitrx/panel/panel.hpp"
#include "panel_internal.hpp"

namespace kitrx {

namespace {

using namespace panel_internal;
using yaml::Field;
using yaml::Fields;
using yaml::integer;
using yaml::node_kind;
using yaml::Problems;
using yaml::scalar;
using yaml::string_list;

// Where a problem of the whole file is reported (line 1, column 1).
constexpr yaml::Mark kStartOfFile{0, 0, 0};

bool is_drug_id(std::string_view id) {
    if (id.empty() || !std::islower(static_cast<unsigned char>(id[0]))) return false;
    return std::all_of(id.begin(), id.end(),
                       [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '_'; });
}

const std::vector<std::string> kTopKeys{"panel", "drugs", "citations", "rules", "compound"};
const std::vector<std::string> kCompoundKeys{"id", "gene", "all_of", "note", "activity"};
const std::vector<std::string> kMetaKeys{"name", "version", "date", "transcripts", "notice", "description"};
const std::vector<std::string> kDrugKeys{"id", "name", "aliases", "mechanism", "status"};
const std::vector<std::string> kCitationKeys{"authors", "title", "journal", "volume", "year",
                                             "doi",     "pmid",  "pmcid",   "url",    "note"};
const std::vector<std::string> kRuleKeys{"id",   "gene",  "variant", "codon", "codons",
                                         "exon", "class", "context", "note",  "activity"};
const std::vector<std::string> kGenes{"KIT", "PDGFRA"};

class Loader {
public:
    explicit Loader(const std::string& source) : problems_(source) {}

    ActivityPanel load(const yaml::Node& root) {
        ActivityPanel panel;
        if (!root.IsMap()) {
            problems_.add(root.IsDefined() && !root.IsNull() ? root.Mark() : kStartOfFile,
                          root.IsNull() || !root.IsDefined()
                              ? "the panel file is empty"
                              : "the panel must be a mapping with keys " + join(kTopKeys),
                          "see docs/panel_format.md");
            problems_.raise<PanelError>();
        }
        const Fields top(root, "the panel file", kTopKeys, problems_);
        if (const Field* f = top.require("panel", problems_)) load_meta(*f, panel);
        if (const Field* f = top.require("drugs", problems_)) load_drugs(*f, panel);
        if (const Field* f = top.require("citations", problems_)) load_citations(*f, panel);
        if (const Field* f = top.require("rules", problems_)) load_rules(*f, panel);
        if (const Field* f = top.get("compound")) load_compound(*f, panel);
        check_rule_pairs(panel, problems_);
        if (!problems_.empty()) problems_.raise<PanelError>();
        return panel;
    }

    Problems& problems() { return problems_; }

private:
    void load_meta(const Field& f, ActivityPanel& panel) {
        if (!expect_map(f, "'panel'", problems_)) return;
        const Fields m(f.value, "'panel'", kMetaKeys, problems_);
        panel.name = scalar(m.require("name", problems_), "panel", problems_).value_or("");
        panel.version = scalar(m.require("version", problems_), "panel", problems_).value_or("");
        panel.date = scalar(m.require("date", problems_), "panel", problems_).value_or("");
        panel.notice = scalar(m.require("notice", problems_), "panel", problems_).value_or("");
        panel.description = scalar(m.get("description"), "panel", problems_).value_or("");
        for (const auto& [t, mark] : string_list(m.require("transcripts", problems_), "panel", problems_)) {
            check_transcript(t, mark);
            panel.transcripts.push_back(t);
        }
    }

    // "KIT:NM_000222.3": the panel's numbering must be the one kitrx names variants on.
    void check_transcript(const std::string& text, const yaml::Mark& mark) {
        const auto colon = text.find(':');
        if (colon == std::string::npos) {
            problems_.add(mark, "transcript '" + text + "' is not GENE:ACCESSION", "e.g. 'KIT:NM_000222.3'");
            return;
        }
        const std::string gene = text.substr(0, colon), acc = text.substr(colon + 1);
        const Transcript* t = transcript_for(gene);
        if (!t) {
            problems_.add(mark, "unknown gene '" + gene + "' in transcript '" + text + "'",
                          "kitrx names variants on " + join(kGenes));
            return;
        }
        auto base = [](const std::string& a) { return a.substr(0, a.find('.')); };
        if (base(acc) != base(t->accession) && base(acc) != t->ensembl)
            problems_.add(
                mark,
                "transcript '" + text + "' differs from the one kitrx numbers " + gene + " on (" +
                    t->accession + ")",
                "rewrite the panel's positions on " + t->accession + " (other isoforms shift codon numbers)");
    }

    void load_drugs(const Field& f, ActivityPanel& panel) {
        if (!expect_seq(f, "'drugs'", problems_)) return;
        std::map<std::string, int> names;  // lower-case id/alias -> line
        for (const auto& node : f.value) {
            if (!node.IsMap()) {
                problems_.add(node.Mark(), "each drug must be a mapping, got " + node_kind(node));
                continue;
            }
            const Fields d(node, "drug", kDrugKeys, problems_);
            Drug drug;
            const Field* id_field = d.require("id", problems_);
            drug.id = scalar(id_field, "drug", problems_).value_or("");
            if (!drug.id.empty() && !is_drug_id(drug.id)) {
                problems_.add(id_field->value.Mark(), "drug id '" + drug.id + "' is not a valid id",
                              "use lower-case letters, digits and '_' (it names the activity_<id> column)");
            }
            drug.name = scalar(d.require("name", problems_), "drug", problems_).value_or("");
            drug.mechanism = scalar(d.get("mechanism"), "drug", problems_).value_or("");
            drug.status = scalar(d.get("status"), "drug", problems_).value_or("");
            std::vector<std::pair<std::string, yaml::Mark>> all_names;
            if (!drug.id.empty()) all_names.emplace_back(drug.id, id_field->value.Mark());
            for (const auto& [alias, mark] : string_list(d.get("aliases"), "drug", problems_)) {
                drug.aliases.push_back(alias);
                all_names.emplace_back(alias, mark);
            }
            for (const auto& [n, mark] : all_names) {
                auto [it, inserted] = names.emplace(lower(n), mark.line + 1);
                if (!inserted)
                    problems_.add(mark, "duplicate drug id or alias '" + n + "'",
                                  "already used at line " + std::to_string(it->second));
            }
            panel.drugs_.push_back(std::move(drug));
        }
        if (panel.drugs_.empty()) problems_.add(f.key_mark, "'drugs' lists no drug");
    }

    void load_citations(const Field& f, ActivityPanel& panel) {
        if (f.value.IsMap() && f.value.size() == 0) return;
        if (!expect_map(f, "'citations'", problems_)) return;
        for (auto it = f.value.begin(); it != f.value.end(); ++it) {
            const yaml::Node key = it->first, value = it->second;
            if (!key.IsScalar() || key.Scalar().empty()) {
                problems_.add(key.Mark(), "citation keys must be plain names");
                continue;
            }
            Citation c;
            c.key = key.Scalar();
            if (panel.citations_.count(c.key)) {
                problems_.add(key.Mark(), "duplicate citation key '" + c.key + "'");
                continue;
            }
            if (!value.IsMap()) {
                problems_.add(value.IsNull() ? key.Mark() : value.Mark(),
                              "citation '" + c.key + "' must be a mapping, got " + node_kind(value),
                              "keys: " + join(kCitationKeys));
                continue;
            }
            const std::string what = "citation '" + c.key + "'";
            const Fields cf(value, what, kCitationKeys, problems_);
            c.title = scalar(cf.require("title", problems_), what, problems_).value_or("");
            c.authors = scalar(cf.get("authors"), what, problems_).value_or("");
            c.journal = scalar(cf.get("journal"), what, problems_).value_or("");
            c.volume = scalar(cf.get("volume"), what, problems_).value_or("");
            c.url = scalar(cf.get("url"), what, problems_).value_or("");
            c.note = scalar(cf.get("note"), what, problems_).value_or("");
            c.pmcid = scalar(cf.get("pmcid"), what, problems_).value_or("");
            if (const Field* y = cf.get("year")) {
                const auto year = integer(y, what, problems_);
                if (year && (*year < 1900 || *year > 2100))
                    problems_.add(y->value.Mark(),
                                  what + " has an implausible year " + std::to_string(*year));
                c.year = year.value_or(0);
            }
            if (const Field* d = cf.get("doi")) {
                c.doi = scalar(d, what, problems_).value_or("");
                if (!c.doi.empty() && c.doi.rfind("10.", 0) != 0)
                    problems_.add(d->value.Mark(), what + " doi '" + c.doi + "' does not start with '10.'",
                                  "write the bare DOI, e.g. 10.1038/s41416-019-0389-6");
            }
            if (const Field* p = cf.get("pmid")) {
                c.pmid = scalar(p, what, problems_).value_or("");
                if (!c.pmid.empty() && !std::all_of(c.pmid.begin(), c.pmid.end(),
                                                    [](unsigned char ch) { return std::isdigit(ch); }))
                    problems_.add(p->value.Mark(), what + " pmid '" + c.pmid + "' is not a number");
            }
            panel.citations_.emplace(c.key, std::move(c));
        }
    }

    void load_compound(const Field& f, ActivityPanel& panel) {
        if (!expect_seq(f, "'compound'", problems_)) return;
        std::size_t index = 0;
        for (const auto& node : f.value) {
            const std::string what = "compound[" + std::to_string(index++) + "]";
            if (!node.IsMap()) {
                problems_.add(node.Mark(), "each compound rule must be a mapping, got " + node_kind(node));
                continue;
            }
            const Fields r(node, what, kCompoundKeys, problems_);
            CompoundRule rule;
            rule.where = SourceLocation{problems_.file(), node.Mark().line + 1, node.Mark().column + 1, ""};
            bool ok = true;
            rule.id = scalar(r.require("id", problems_), what, problems_).value_or("");
            rule.gene = scalar(r.require("gene", problems_), what, problems_).value_or("");
            if (rule.id.empty() || rule.gene.empty()) ok = false;
            if (!rule.gene.empty() && std::find(kGenes.begin(), kGenes.end(), rule.gene) == kGenes.end()) {
                problems_.add(node.Mark(), "unknown gene '" + rule.gene + "' in " + what,
                              "kitrx names variants on " + join(kGenes));
                ok = false;
            }
            for (const auto& other : panel.compound_rules_)
                if (other.id == rule.id) {
                    problems_.add(node.Mark(), "duplicate compound rule id '" + rule.id + "'");
                    ok = false;
                }
            if (const Field* all = r.require("all_of", problems_)) {
                if (!all->value.IsSequence() || all->value.size() < 2) {
                    problems_.add(all->value.Mark(), what + ": 'all_of' must list at least two components",
                                  "e.g. all_of: [{exons: [13, 14]}, {exons: [17, 18]}]");
                    ok = false;
                } else {
                    for (const auto& comp : all->value) {
                        std::vector<int> exons;
                        const yaml::Node e = comp.IsMap() ? comp["exons"] : yaml::Node();
                        if (!comp.IsMap() || comp.size() != 1 || !e || !e.IsSequence() || e.size() == 0) {
                            problems_.add(comp.Mark(),
                                          what + ": each 'all_of' component is {exons: [N, ...]}");
                            ok = false;
                            continue;
                        }
                        for (const auto& x : e) {
                            int v = 0;
                            if (!x.IsScalar() || !x.decode_int(v) || v < 1 || v > 30) {
                                problems_.add(x.Mark(), what + ": exon numbers are whole numbers 1-30");
                                ok = false;
                            } else {
                                exons.push_back(v);
                            }
                        }
                        rule.all_of.push_back(std::move(exons));
                    }
                }
            } else {
                ok = false;
            }
            rule.note = scalar(r.get("note"), what, problems_).value_or("");
            if (const Field* a = r.require("activity", problems_)) {
                if (!load_activity(*a, "compound rule '" + rule.id + "'", panel, rule.activity, problems_))
                    ok = false;
            } else {
                ok = false;
            }
            if (ok) panel.compound_rules_.push_back(std::move(rule));
        }
    }

    void load_rules(const Field& f, ActivityPanel& panel) {
        if (!expect_seq(f, "'rules'", problems_)) return;
        std::map<std::string, int> ids;
        std::size_t index = 0;
        if (f.value.size() > kMaxPanelRules) {
            problems_.add(f.key_mark,
                          "the panel has " + std::to_string(f.value.size()) + " rules, more than the " +
                              std::to_string(kMaxPanelRules) + " kitrx loads",
                          "is this the right file? (bounds: docs/hardening.md)");
            return;
        }
        for (const auto& node : f.value) {
            const std::string fallback = "rules[" + std::to_string(index++) + "]";
            if (!node.IsMap()) {
                problems_.add(node.Mark(), "each rule must be a mapping, got " + node_kind(node));
                continue;
            }
            PanelRule rule;
            rule.where = SourceLocation{problems_.file(), node.Mark().line + 1, node.Mark().column + 1, ""};
            // The id first, so that later messages can name the rule.
            std::string what = "rule";
            for (auto it = node.begin(); it != node.end(); ++it)
                if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar())
                    what = "rule '" + it->second.Scalar() + "'";
            if (what == "rule") what = "rule " + fallback;
            const Fields r(node, what, kRuleKeys, problems_);
            const Field* id_field = r.require("id", problems_);
            rule.id = scalar(id_field, what, problems_).value_or("");
            if (!rule.id.empty()) {
                auto [it, inserted] = ids.emplace(rule.id, id_field->value.Mark().line + 1);
                if (!inserted)
                    problems_.add(id_field->value.Mark(), "duplicate rule id '" + rule.id + "'",
                                  "first used at line " + std::to_string(it->second));
            }
            bool ok = load_selector(r, what, rule);
            if (const Field* c = r.get("context")) {
                const auto text = scalar(c, what, problems_);
                if (text) {
                    if (*text == "primary")
                        rule.context = VariantRole::kPrimary;
                    else if (*text == "secondary")
                        rule.context = VariantRole::kSecondary;
                    else if (*text != "any") {
                        problems_.add(c->value.Mark(), "unknown context '" + *text + "' in " + what,
                                      "expected one of primary, secondary, any");
                        ok = false;
                    }
                }
            }
            rule.note = scalar(r.get("note"), what, problems_).value_or("");
            if (const Field* a = r.require("activity", problems_)) {
                if (!load_activity(*a, what, panel, rule.activity, problems_)) ok = false;
            } else {
                ok = false;
            }
            if (ok) panel.rules_.push_back(std::move(rule));
        }
    }

    bool load_selector(const Fields& r, const std::string& what, PanelRule& rule) {
        const Field* gene = r.require("gene", problems_);
        bool ok = gene != nullptr;
        const Transcript* transcript = nullptr;
        if (gene) {
            const auto g = scalar(gene, what, problems_);
            if (!g) return false;
            rule.gene = *g;
            transcript =
                std::find(kGenes.begin(), kGenes.end(), *g) == kGenes.end() ? nullptr : transcript_for(*g);
            if (!transcript) {
                problems_.add(gene->value.Mark(), "unknown gene '" + *g + "' in " + what,
                              "kitrx names variants on " + join(kGenes));
                return false;
            }
        }
        std::vector<const Field*> selectors;
        for (const char* key : {"variant", "codon", "codons", "exon"})
            if (const Field* f = r.get(key)) selectors.push_back(f);
        if (selectors.size() > 1) {
            problems_.add(selectors[1]->key_mark,
                          what + " has both '" + selectors[0]->key + "' and '" + selectors[1]->key + "'",
                          "give one of variant, codon, codons or exon (none: a gene-level rule)");
            return false;
        }
        const Field* cls = r.get("class");
        const Field* sel = selectors.empty() ? nullptr : selectors[0];
        if (cls && sel && sel->key != "exon") {
            problems_.add(cls->key_mark, what + ": 'class' applies only to exon and gene-level rules",
                          "remove 'class' or match by 'exon'");
            ok = false;
        }
        if (!transcript) return false;
        const int length = static_cast<int>(transcript->protein.size());
        auto check_residue = [&](char aa, int pos, const yaml::Mark& mark) {
            if (pos < 1 || pos > length + 1) {
                problems_.add(
                    mark,
                    "malformed variant in " + what + ": " + rule.gene + " has no codon " +
                        std::to_string(pos),
                    rule.gene + " " + transcript->accession + " has " + std::to_string(length) + " codons");
                return false;
            }
            const char ref = pos == length + 1 ? '*' : transcript->protein[static_cast<std::size_t>(pos - 1)];
            if (aa != 0 && aa != ref) {
                problems_.add(
                    mark,
                    "malformed variant in " + what + ": " + rule.gene + " codon " + std::to_string(pos) +
                        " is '" + std::string(1, ref) + "' on " + transcript->accession + ", not '" +
                        std::string(1, aa) + "'",
                    "check the residue and the transcript (positions are on " + transcript->accession + ")");
                return false;
            }
            return true;
        };
        const std::string syntax_hint =
            "write an exact change (D816V, W557_K558del, A502_Y503dup, K558delinsN), a codon wildcard "
            "(D816*), 'codon: 816', 'codons: 816-823' or 'exon: 11' with 'class'";
        if (!sel) {
            rule.level = MatchLevel::kGene;
        } else if (sel->key == "variant") {
            const auto text = scalar(sel, what, problems_);
            if (!text) return false;
            const yaml::Mark mark = sel->value.Mark();
            const char last = text->back();
            if (last == '*' || last == '.') {
                const auto codon = parse_codon_token(text->substr(0, text->size() - 1));
                if (!codon || codon->first == 0) {
                    problems_.add(mark, "malformed variant '" + *text + "' in " + what, syntax_hint);
                    return false;
                }
                rule.level = MatchLevel::kCodon;
                rule.codon_begin = rule.codon_end = codon->second;
                ok = check_residue(codon->first, codon->second, mark) && ok;
            } else {
                const auto pc = parse_protein_change(*text);
                if (!pc) {
                    problems_.add(mark, "malformed variant '" + *text + "' in " + what, syntax_hint);
                    return false;
                }
                rule.level = MatchLevel::kExact;
                rule.protein = pc->canonical;
                rule.codon_begin = pc->residues.front().second;
                rule.codon_end = pc->residues.back().second;
                for (const auto& [aa, pos] : pc->residues) ok = check_residue(aa, pos, mark) && ok;
            }
        } else if (sel->key == "codon") {
            const auto text = scalar(sel, what, problems_);
            if (!text) return false;
            const auto codon = parse_codon_token(*text);
            if (!codon) {
                problems_.add(sel->value.Mark(), "malformed codon '" + *text + "' in " + what,
                              "write 816 or D816");
                return false;
            }
            rule.level = MatchLevel::kCodon;
            rule.codon_begin = rule.codon_end = codon->second;
            ok = check_residue(codon->first, codon->second, sel->value.Mark()) && ok;
        } else if (sel->key == "codons") {
            const auto text = scalar(sel, what, problems_);
            if (!text) return false;
            const auto dash = text->find_first_of("-_");
            const auto a =
                dash == std::string::npos ? std::nullopt : parse_codon_token(text->substr(0, dash));
            const auto b =
                dash == std::string::npos ? std::nullopt : parse_codon_token(text->substr(dash + 1));
            if (!a || !b || b->second <= a->second) {
                problems_.add(
                    sel->value.Mark(), "malformed codon range '" + *text + "' in " + what,
                    "write FIRST-LAST with FIRST < LAST, e.g. 816-823 (a single codon: 'codon: 816')");
                return false;
            }
            rule.level = MatchLevel::kCodonRange;
            rule.codon_begin = a->second;
            rule.codon_end = b->second;
            ok = check_residue(a->first, a->second, sel->value.Mark()) && ok;
            ok = check_residue(b->first, b->second, sel->value.Mark()) && ok;
        } else {  // exon
            const auto exon = integer(sel, what, problems_);
            if (!exon) return false;
            if (!transcript->exon(*exon)) {
                problems_.add(sel->value.Mark(),
                              "malformed variant in " + what + ": " + rule.gene + " has no coding exon " +
                                  std::to_string(*exon),
                              rule.gene + " coding exons on " + transcript->accession + " are " +
                                  std::to_string(transcript->exons.front().number) + "-" +
                                  std::to_string(transcript->exons.back().number));
                return false;
            }
            rule.level = MatchLevel::kExonClass;
            rule.exon = *exon;
        }
        if (rule.level == MatchLevel::kExonClass || rule.level == MatchLevel::kGene) {
            const auto classes = string_list(cls, what, problems_);
            if (classes.empty()) {
                rule.variant_classes = {"any"};
                rule.class_mask = kAnyMask;
            }
            for (const auto& [name, mark] : classes) {
                const auto mask = class_mask_of(name);
                if (!mask) {
                    std::string hint = suggestion(name, panel_class_names());
                    hint += (hint.empty() ? "" : " ") + std::string("classes: ") + join(panel_class_names());
                    problems_.add(mark, "unknown variant class '" + name + "' in " + what, hint);
                    ok = false;
                    continue;
                }
                rule.variant_classes.push_back(name);
                rule.class_mask |= *mask;
            }
            rule.variant_class = join(rule.variant_classes);
        }
        return ok;
    }

    Problems problems_;
};

}  // namespace

ActivityPanel load_panel(std::istream& in, const std::string& source_name) {
    Loader loader(source_name);
    yaml::Node root;
    try {
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (const int line = yaml::second_document_line(text)) {
            loader.problems().add(yaml::Mark{0, line - 1, 0},
                                  "the panel file holds more than one YAML document (a second one starts "
                                  "here with '---'); kitrx reads exactly one",
                                  "merge them into one document or split them into several panel files");
            loader.problems().raise<PanelError>();
        }
        root = yaml::load(text);
    } catch (const yaml::SyntaxError& e) {
        loader.problems().add(e.mark, "YAML syntax error: " + e.msg,
                              "check indentation, quotes and ':' near here");
        loader.problems().raise<PanelError>();
    }
    ActivityPanel panel = loader.load(root);
    panel.source = source_name;
    return panel;
}

ActivityPanel load_panel(const std::string& path) {
    check_file_size(path, kMaxYamlBytes, "panel");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open panel '" + path + "': " + std::strerror(errno));
    return load_panel(in, path);
}

// Parsed from the embedded YAML on first use, on the calling thread. The build used to embed a
// JSON copy of it, rebuilt into a yaml-cpp tree on a second thread; dropped because it did not pay
// (issue 17, 2-core shared machine, `kitrx annotate test-data/vcf/demo_gist_plasma.vcf`):
// hyperfine, 30 runs, 27.2 +- 11.4 ms now against 55.9 +- 17.7 ms with the JSON copy; perf stat,
// 40 runs, 24.0 +- 0.3 ms elapsed (23.1 ms CPU) against 28.4 +- 0.4 ms (25.9 ms CPU). Loading the
// panel takes 97 M instructions (callgrind) against 62 M through the JSON copy, yet the process
// as a whole is faster without the copy and its thread.
const ActivityPanel& default_panel() {
    static const ActivityPanel panel = [] {
        try {
            std::istringstream in{std::string(embedded_resource("panels/gist_default.yaml"))};
            ActivityPanel p = load_panel(in, "resources/panels/gist_default.yaml");
            p.source = "<builtin>";
            return p;
        } catch (const PanelError& e) {
            throw std::logic_error(std::string("internal error: the shipped panel does not load: ") +
                                   e.what());
        }
    }();
    return panel;
}

}  // namespace kitrx
