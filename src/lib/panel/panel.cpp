// SPDX-License-Identifier: MIT
// Activity panel: strict YAML loading (every problem collected, then one PanelError) and rule
// matching. The format is documented in docs/panel_format.md.
#include "kitrx/panel/panel.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "kitrx/common/limits.hpp"
#include "kitrx/common/resources.hpp"
#include "kitrx/genome/genome.hpp"

namespace kitrx {

// ---------------------------------------------------------------------------------------------
// Names of the enums

std::string to_string(Activity a) {
    switch (a) {
        case Activity::kSensitive:
            return "sensitive";
        case Activity::kIntermediate:
            return "intermediate";
        case Activity::kResistant:
            return "resistant";
        case Activity::kUnknown:
            return "unknown";
    }
    return "unknown";
}

static std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

static std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

std::optional<Activity> parse_activity(std::string_view text) {
    const std::string t = lower(text);
    if (t == "sensitive") return Activity::kSensitive;
    if (t == "intermediate") return Activity::kIntermediate;
    if (t == "resistant") return Activity::kResistant;
    if (t == "unknown") return Activity::kUnknown;
    return std::nullopt;
}

std::string to_string(MatchLevel l) {
    switch (l) {
        case MatchLevel::kExact:
            return "exact";
        case MatchLevel::kCodon:
            return "codon";
        case MatchLevel::kCodonRange:
            return "codon_range";
        case MatchLevel::kExonClass:
            return "exon_class";
        case MatchLevel::kGene:
            return "gene";
        case MatchLevel::kNone:
            return "none";
    }
    return "none";
}

std::string to_string(VariantRole r) {
    switch (r) {
        case VariantRole::kPrimary:
            return "primary";
        case VariantRole::kSecondary:
            return "secondary";
        case VariantRole::kUnknown:
            return "unknown";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Consequence classes. The panel keeps its own table keyed by the enum (rather than calling
// to_string(Consequence)) so that class names in panels stay stable whatever the namer prints.
// Duplications are a sub-class of in-frame insertions, told apart by the protein name.

namespace {

enum ClassBit : std::uint32_t {
    kBitMissense = 1u << 0,
    kBitSynonymous = 1u << 1,
    kBitStopGained = 1u << 2,
    kBitStopLost = 1u << 3,
    kBitStartLost = 1u << 4,
    kBitDeletion = 1u << 5,
    kBitInsertion = 1u << 6,    // in-frame insertion other than a duplication
    kBitDuplication = 1u << 7,  // in-frame insertion written as dup
    kBitDelins = 1u << 8,
    kBitFrameshift = 1u << 9,
    kBitSpliceSite = 1u << 10,
    kBitSpliceRegion = 1u << 11,
    kBitIntron = 1u << 12,
    kBitOther = 1u << 13,
};

// "any": every change that alters the protein (not synonymous, splice-region or intronic).
constexpr std::uint32_t kAnyMask = kBitMissense | kBitStopGained | kBitStopLost | kBitStartLost |
                                   kBitDeletion | kBitInsertion | kBitDuplication | kBitDelins |
                                   kBitFrameshift | kBitSpliceSite;

struct ClassName {
    const char* name;
    std::uint32_t mask;
};

// SO-style names first (as to_string(Consequence) prints them), then the friendly aliases.
constexpr std::array<ClassName, 25> kClassNames{{
    {"missense_variant", kBitMissense},
    {"synonymous_variant", kBitSynonymous},
    {"stop_gained", kBitStopGained},
    {"stop_lost", kBitStopLost},
    {"start_lost", kBitStartLost},
    {"inframe_deletion", kBitDeletion},
    {"inframe_insertion", kBitInsertion | kBitDuplication},
    {"protein_altering_variant", kBitDelins},
    {"frameshift_variant", kBitFrameshift},
    {"splice_site_variant", kBitSpliceSite},
    {"splice_region_variant", kBitSpliceRegion},
    {"intron_variant", kBitIntron},
    {"any", kAnyMask},
    {"missense", kBitMissense},
    {"synonymous", kBitSynonymous},
    {"nonsense", kBitStopGained},
    {"deletion", kBitDeletion},
    {"insertion", kBitInsertion | kBitDuplication},
    {"duplication", kBitDuplication},
    {"delins", kBitDelins},
    {"inframe", kBitDeletion | kBitInsertion | kBitDuplication | kBitDelins},
    {"frameshift", kBitFrameshift},
    {"splice_site", kBitSpliceSite},
    {"splice_region", kBitSpliceRegion},
    {"intron", kBitIntron},
}};

std::optional<std::uint32_t> class_mask_of(std::string_view name) {
    for (const auto& c : kClassNames)
        if (name == c.name) return c.mask;
    return std::nullopt;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::uint32_t variant_class_bit(const VariantName& v) {
    switch (v.consequence) {
        case Consequence::kMissense:
            return kBitMissense;
        case Consequence::kSynonymous:
            return kBitSynonymous;
        case Consequence::kNonsense:
            return kBitStopGained;
        case Consequence::kStopLost:
            return kBitStopLost;
        case Consequence::kStartLost:
            return kBitStartLost;
        case Consequence::kInframeDeletion:
            return kBitDeletion;
        case Consequence::kInframeInsertion:
            return ends_with(v.protein, "dup") || ends_with(v.hgvs_p, "dup") || ends_with(v.hgvs_p, "dup)")
                       ? kBitDuplication
                       : kBitInsertion;
        case Consequence::kInframeDelins:
            return kBitDelins;
        case Consequence::kFrameshift:
            return kBitFrameshift;
        case Consequence::kSpliceSite:
            return kBitSpliceSite;
        case Consequence::kSpliceRegion:
            return kBitSpliceRegion;
        case Consequence::kIntronic:
            return kBitIntron;
        case Consequence::kOther:
            return kBitOther;
    }
    return kBitOther;
}

// ---------------------------------------------------------------------------------------------
// Protein changes

constexpr std::array<std::pair<const char*, char>, 24> kThreeLetter{{
    {"Ala", 'A'}, {"Arg", 'R'}, {"Asn", 'N'}, {"Asp", 'D'}, {"Cys", 'C'}, {"Gln", 'Q'},
    {"Glu", 'E'}, {"Gly", 'G'}, {"His", 'H'}, {"Ile", 'I'}, {"Leu", 'L'}, {"Lys", 'K'},
    {"Met", 'M'}, {"Phe", 'F'}, {"Pro", 'P'}, {"Ser", 'S'}, {"Thr", 'T'}, {"Trp", 'W'},
    {"Tyr", 'Y'}, {"Val", 'V'}, {"Ter", '*'}, {"Sec", 'U'}, {"Pyl", 'O'}, {"Xaa", 'X'},
}};

bool is_amino_acid(char c) {
    return (c >= 'A' && c <= 'Z') || c == '*';
}

// Strips "p.", one pair of parentheses and blanks; converts three-letter codes to one letter.
std::string to_one_letter(std::string_view text) {
    std::string t;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) t += c;
    if (t.rfind("p.", 0) == 0) t.erase(0, 2);
    if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < t.size();) {
        bool converted = false;
        if (i + 3 <= t.size() && std::isupper(static_cast<unsigned char>(t[i]))) {
            for (const auto& [three, one] : kThreeLetter) {
                if (t.compare(i, 3, three) == 0) {
                    out += one;
                    i += 3;
                    converted = true;
                    break;
                }
            }
        }
        if (!converted) out += t[i++];
    }
    return out;
}

enum class ChangeKind {
    kSubstitution,
    kSynonymous,
    kDeletion,
    kDuplication,
    kInsertion,
    kDelins,
    kFrameshift,
    kStartUnknown
};

struct ProteinChange {
    ChangeKind kind = ChangeKind::kSubstitution;
    std::vector<std::pair<char, int>> residues;  // reference residue and 1-based position, 1 or 2
    std::string alt;                             // substituted / inserted residues
    std::string canonical;
};

bool read_residue(const std::string& s, std::size_t& i, std::pair<char, int>& out) {
    if (i >= s.size() || !is_amino_acid(s[i])) return false;
    const char aa = s[i] == 'X' ? '*' : s[i];
    std::size_t j = i + 1;
    int pos = 0;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && pos < 100000)
        pos = pos * 10 + (s[j++] - '0');
    if (j == i + 1 || pos <= 0) return false;
    out = {aa, pos};
    i = j;
    return true;
}

bool read_sequence(const std::string& s, std::size_t i, std::string& out) {
    if (i >= s.size()) return false;
    for (; i < s.size(); ++i) {
        if (!is_amino_acid(s[i])) return false;
        out += s[i];
    }
    return true;
}

std::optional<ProteinChange> parse_protein_change(std::string_view text) {
    const std::string s = to_one_letter(text);
    ProteinChange pc;
    std::size_t i = 0;
    std::pair<char, int> first;
    if (!read_residue(s, i, first)) return std::nullopt;
    pc.residues.push_back(first);
    if (i < s.size() && s[i] == '_') {
        ++i;
        std::pair<char, int> last;
        if (!read_residue(s, i, last) || last.second <= first.second) return std::nullopt;
        pc.residues.push_back(last);
    }
    const std::string rest = s.substr(i);
    const bool single = pc.residues.size() == 1;
    if (rest == "=" && single) {
        pc.kind = ChangeKind::kSynonymous;
    } else if (rest == "?" && single) {
        pc.kind = ChangeKind::kStartUnknown;
    } else if (rest == "del") {
        pc.kind = ChangeKind::kDeletion;
    } else if (rest == "dup") {
        pc.kind = ChangeKind::kDuplication;
    } else if (rest.rfind("delins", 0) == 0) {
        pc.kind = ChangeKind::kDelins;
        if (!read_sequence(rest, 6, pc.alt)) return std::nullopt;
    } else if (rest.rfind("ins", 0) == 0) {
        if (single || pc.residues[1].second != pc.residues[0].second + 1) return std::nullopt;
        pc.kind = ChangeKind::kInsertion;
        if (!read_sequence(rest, 3, pc.alt)) return std::nullopt;
    } else if (single && rest.find("fs") != std::string::npos) {
        // [alt]fs[*|X][length|?]; the length is not compared (callers print it differently).
        const std::size_t fs = rest.find("fs");
        if (fs > 1) return std::nullopt;
        if (fs == 1) {
            if (!is_amino_acid(rest[0])) return std::nullopt;
            pc.alt = std::string(1, rest[0]);
        }
        std::string tail = rest.substr(fs + 2);
        if (!tail.empty() && (tail[0] == '*' || tail[0] == 'X')) tail.erase(0, 1);
        if (!(tail.empty() || tail == "?" ||
              std::all_of(tail.begin(), tail.end(), [](unsigned char c) { return std::isdigit(c); })))
            return std::nullopt;
        pc.kind = ChangeKind::kFrameshift;
    } else if (single && rest.size() == 1 && is_amino_acid(rest[0])) {
        pc.kind = ChangeKind::kSubstitution;
        pc.alt = rest == "X" ? "*" : rest;
    } else {
        return std::nullopt;
    }
    std::string c;
    for (std::size_t k = 0; k < pc.residues.size(); ++k) {
        if (k) c += '_';
        c += pc.residues[k].first;
        c += std::to_string(pc.residues[k].second);
    }
    switch (pc.kind) {
        case ChangeKind::kSubstitution:
            c += pc.alt;
            break;
        case ChangeKind::kSynonymous:
            c += '=';
            break;
        case ChangeKind::kStartUnknown:
            c += '?';
            break;
        case ChangeKind::kDeletion:
            c += "del";
            break;
        case ChangeKind::kDuplication:
            c += "dup";
            break;
        case ChangeKind::kInsertion:
            c += "ins" + pc.alt;
            break;
        case ChangeKind::kDelins:
            c += "delins" + pc.alt;
            break;
        case ChangeKind::kFrameshift:
            c += pc.alt + "fs";
            break;
    }
    pc.canonical = c;
    return pc;
}

// "816", "D816", "Asp816" -> (reference residue or 0, position).
std::optional<std::pair<char, int>> parse_codon_token(std::string_view text) {
    const std::string s = to_one_letter(text);
    if (s.empty()) return std::nullopt;
    std::size_t i = 0;
    char aa = 0;
    if (is_amino_acid(s[0])) aa = s[i++] == 'X' ? '*' : s[0];
    if (i >= s.size()) return std::nullopt;
    int pos = 0;
    for (; i < s.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i])) || pos > 100000) return std::nullopt;
        pos = pos * 10 + (s[i] - '0');
    }
    if (pos <= 0) return std::nullopt;
    return std::make_pair(aa, pos);
}

}  // namespace

std::string canonical_protein_change(std::string_view text) {
    const auto pc = parse_protein_change(text);
    return pc ? pc->canonical : std::string();
}

std::vector<std::string> panel_class_names() {
    std::vector<std::string> names;
    for (const auto& c : kClassNames) names.emplace_back(c.name);
    return names;
}

// ---------------------------------------------------------------------------------------------
// Labels

static const Transcript* transcript_for(std::string_view gene) {
    try {
        return &GenomeModel::builtin(Build::kGRCh38).transcript(gene);
    } catch (const std::invalid_argument&) {
        return nullptr;
    }
}

std::string rule_label(const PanelRule& rule) {
    std::string label = rule.gene;
    switch (rule.level) {
        case MatchLevel::kExact:
            label += " " + rule.protein;
            break;
        case MatchLevel::kCodon: {
            label += " ";
            const Transcript* t = transcript_for(rule.gene);
            if (t && rule.codon_begin >= 1 && rule.codon_begin <= static_cast<int>(t->protein.size()))
                label += t->protein[static_cast<std::size_t>(rule.codon_begin - 1)];
            label += std::to_string(rule.codon_begin) + "*";
            break;
        }
        case MatchLevel::kCodonRange:
            label += " codons " + std::to_string(rule.codon_begin) + "-" + std::to_string(rule.codon_end);
            break;
        case MatchLevel::kExonClass:
            label += " exon " + std::to_string(rule.exon) + " " + rule.variant_class;
            break;
        case MatchLevel::kGene:
        case MatchLevel::kNone:
            label += " " + (rule.variant_class.empty() ? "any" : rule.variant_class);
            break;
    }
    if (rule.context != VariantRole::kUnknown) label += " (" + to_string(rule.context) + ")";
    return label;
}

std::string to_string(EvidenceGrade g) {
    switch (g) {
        case EvidenceGrade::kClinical:
            return "clinical";
        case EvidenceGrade::kGuideline:
            return "guideline";
        case EvidenceGrade::kKnowledgeBase:
            return "knowledge-base";
        case EvidenceGrade::kPreclinical:
            return "preclinical";
        case EvidenceGrade::kClass:
            return "class";
        case EvidenceGrade::kNone:
            return "none";
    }
    return "none";
}

EvidenceGrade grade_of_kind(std::string_view kind) {
    if (kind == "clinical") return EvidenceGrade::kClinical;
    if (kind == "guideline") return EvidenceGrade::kGuideline;
    if (kind == "knowledge-base") return EvidenceGrade::kKnowledgeBase;
    if (kind == "preclinical") return EvidenceGrade::kPreclinical;
    if (kind == "class") return EvidenceGrade::kClass;
    return EvidenceGrade::kNone;
}

EvidenceGrade evidence_grade(const DrugActivity& call) {
    EvidenceGrade best = EvidenceGrade::kNone, any = EvidenceGrade::kNone;
    for (const auto& e : call.evidence) {
        any = std::min(any, grade_of_kind(e.kind));
        if (e.supports && *e.supports != call.activity) continue;
        best = std::min(best, grade_of_kind(e.kind));
    }
    // A call written more cautiously than all of its evidence (A829P regorafenib: "likely"
    // sensitive, called intermediate) rests on that evidence; is_conflicting() marks it.
    return best == EvidenceGrade::kNone ? any : best;
}

bool is_conflicting(const DrugActivity& call) {
    for (const auto& e : call.evidence)
        if (e.supports && *e.supports != call.activity) return true;
    return false;
}

const DrugActivity& call_at_dose(const DrugActivity& call, std::string_view dose) {
    if (dose.empty()) return call;
    for (const auto& d : call.at_dose)
        if (d.dose == dose) return d;
    return call;
}

const CompoundRule* ActivityPanel::match_compound(
    const std::vector<std::pair<std::string, int>>& members) const {
    for (const auto& rule : compound_rules_) {
        if (members.size() < rule.all_of.size()) continue;
        // Small sets (a cis group is a handful of variants): try every assignment greedily by
        // component, each member used once; components are exon sets, usually disjoint.
        std::vector<bool> used(members.size(), false);
        bool all = true;
        for (const auto& exons : rule.all_of) {
            bool met = false;
            for (std::size_t i = 0; i < members.size() && !met; ++i) {
                if (used[i] || members[i].first != rule.gene) continue;
                if (std::find(exons.begin(), exons.end(), members[i].second) != exons.end()) {
                    used[i] = true;
                    met = true;
                }
            }
            all = all && met;
        }
        if (all) return &rule;
    }
    return nullptr;
}

std::string evidence_keys(const DrugActivity& call, std::string_view separator) {
    std::string out;
    std::set<std::string> seen;
    for (const auto& e : call.evidence) {
        if (!seen.insert(e.citation).second) continue;
        if (!out.empty()) out += separator;
        out += e.citation;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Errors

// ---------------------------------------------------------------------------------------------
// Loader

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// "did you mean 'x'?" for the closest candidate within a small edit distance, else "".
std::string suggestion(std::string_view got, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, got.size() / 3) + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(got, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best.empty() ? "" : "did you mean '" + best + "'?";
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

struct Problem {
    int line = 0;
    int column = 0;
    std::string text;
};

class Problems {
public:
    explicit Problems(std::string file) : file_(std::move(file)) {}

    // At most kMaxProblems are kept (a generated panel can hold millions of duplicate pairs);
    // raise() says how many more there were.
    static constexpr std::size_t kMaxProblems = 100;

    void add(const YAML::Mark& mark, const std::string& what, const std::string& hint = "") {
        if (items_.size() >= kMaxProblems) {
            ++dropped_;
            return;
        }
        SourceLocation where{file_, mark.line >= 0 ? mark.line + 1 : 0,
                             mark.column >= 0 ? mark.column + 1 : 0, ""};
        std::string text = where.to_string() + ": " + what;
        if (!hint.empty()) text += "; " + hint;
        items_.push_back({where.line, where.column, std::move(text)});
    }
    [[nodiscard]] bool empty() const { return items_.empty(); }
    [[nodiscard]] bool full() const { return items_.size() >= kMaxProblems; }
    [[nodiscard]] std::size_t size() const { return items_.size(); }
    [[noreturn]] void raise() {
        std::stable_sort(items_.begin(), items_.end(), [](const Problem& a, const Problem& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        std::vector<std::string> lines;
        for (auto& p : items_) lines.push_back(std::move(p.text));
        if (dropped_ > 0 || full())
            lines.push_back(file_ + ": " +
                            (dropped_ > 0 ? std::to_string(dropped_) + " more problems not listed"
                                          : "further problems not searched") +
                            " (the first " + std::to_string(kMaxProblems) + " are shown)");
        throw PanelError(file_, std::move(lines));
    }
    [[nodiscard]] const std::string& file() const { return file_; }

private:
    std::string file_;
    std::vector<Problem> items_;
    std::size_t dropped_ = 0;
};

struct Field {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
};

// Mapping entries with keys in `allowed`; reports unknown and repeated keys.
class Fields {
public:
    Fields(const YAML::Node& node,
           const std::string& what,
           const std::vector<std::string>& allowed,
           Problems& problems)
        : mark_(node.Mark()), what_(what) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key = it->first;
            if (!key.IsScalar()) {
                problems.add(key.Mark(), "a key of " + what + " is not a plain name");
                continue;
            }
            const std::string k = key.Scalar();
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
                std::string hint = suggestion(k, allowed);
                hint += (hint.empty() ? "" : " ") + std::string("allowed keys: ") + join(allowed);
                problems.add(key.Mark(), "unknown key '" + k + "' in " + what, hint);
                continue;
            }
            if (get(k)) {
                problems.add(key.Mark(), "duplicate key '" + k + "' in " + what,
                             "first given at line " + std::to_string(get(k)->key_mark.line + 1));
                continue;
            }
            fields_.push_back({k, key.Mark(), it->second});
        }
    }

    [[nodiscard]] const Field* get(std::string_view key) const {
        for (const auto& f : fields_)
            if (f.key == key) return &f;
        return nullptr;
    }
    // The field, or nullptr after reporting it missing.
    const Field* require(std::string_view key, Problems& problems) const {
        const Field* f = get(key);
        if (!f) problems.add(mark_, what_ + " is missing required key '" + std::string(key) + "'");
        return f;
    }
    [[nodiscard]] const YAML::Mark& mark() const { return mark_; }

private:
    YAML::Mark mark_;
    std::string what_;
    std::vector<Field> fields_;
};

std::string node_kind(const YAML::Node& n) {
    if (n.IsNull()) return "nothing";
    if (n.IsScalar()) return "'" + n.Scalar() + "'";
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    return "an invalid node";
}

std::optional<std::string> scalar(const Field* f, const std::string& what, Problems& problems) {
    if (!f) return std::nullopt;
    if (!f->value.IsScalar() || f->value.Scalar().empty()) {
        problems.add(f->value.IsNull() ? f->key_mark : f->value.Mark(),
                     what + ": '" + f->key + "' must be a text value, got " + node_kind(f->value));
        return std::nullopt;
    }
    return f->value.Scalar();
}

std::optional<int> integer(const Field* f, const std::string& what, Problems& problems) {
    const auto s = scalar(f, what, problems);
    if (!s) return std::nullopt;
    int v = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || end != s->data() + s->size()) {
        problems.add(f->value.Mark(), what + ": '" + f->key + "' must be a whole number, got '" + *s + "'");
        return std::nullopt;
    }
    return v;
}

// A string or a list of strings.
std::vector<std::pair<std::string, YAML::Mark>> string_list(const Field* f,
                                                            const std::string& what,
                                                            Problems& problems) {
    std::vector<std::pair<std::string, YAML::Mark>> out;
    if (!f) return out;
    if (f->value.IsScalar()) {
        out.emplace_back(f->value.Scalar(), f->value.Mark());
    } else if (f->value.IsSequence()) {
        for (const auto& item : f->value) {
            if (item.IsScalar() && !item.Scalar().empty())
                out.emplace_back(item.Scalar(), item.Mark());
            else
                problems.add(item.Mark(),
                             what + ": '" + f->key + "' items must be text values, got " + node_kind(item));
        }
    } else {
        problems.add(f->key_mark, what + ": '" + f->key + "' must be a text value or a list of them, got " +
                                      node_kind(f->value));
    }
    return out;
}

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
const std::vector<std::string> kCallKeys{"call", "confidence", "reason", "evidence", "dose", "at_dose"};
const std::vector<std::string> kDoseCallKeys{"dose", "call", "confidence", "reason", "evidence"};
const std::vector<std::string> kEvidenceKeys{"cite",       "kind", "supports", "ic50",
                                             "ic50_units", "flag", "note"};
const std::vector<std::string> kEvidenceKinds{"clinical", "preclinical", "guideline", "knowledge-base",
                                              "class"};
const std::vector<std::string> kActivityWords{"sensitive", "intermediate", "resistant", "unknown"};
const std::vector<std::string> kIc50Units{"pM", "nM", "uM", "µM", "mM"};
const std::vector<std::string> kGenes{"KIT", "PDGFRA"};

class Loader {
public:
    explicit Loader(const std::string& source) : problems_(source) {}

    ActivityPanel load(const YAML::Node& root) {
        ActivityPanel panel;
        if (!root.IsMap()) {
            problems_.add(root.IsDefined() && !root.IsNull() ? root.Mark() : YAML::Mark(),
                          root.IsNull() || !root.IsDefined()
                              ? "the panel file is empty"
                              : "the panel must be a mapping with keys " + join(kTopKeys),
                          "see docs/panel_format.md");
            problems_.raise();
        }
        const Fields top(root, "the panel file", kTopKeys, problems_);
        if (const Field* f = top.require("panel", problems_)) load_meta(*f, panel);
        if (const Field* f = top.require("drugs", problems_)) load_drugs(*f, panel);
        if (const Field* f = top.require("citations", problems_)) load_citations(*f, panel);
        if (const Field* f = top.require("rules", problems_)) load_rules(*f, panel);
        if (const Field* f = top.get("compound")) load_compound(*f, panel);
        check_rule_pairs(panel);
        if (!problems_.empty()) problems_.raise();
        return panel;
    }

    Problems& problems() { return problems_; }

private:
    bool expect_map(const Field& f, const std::string& what) {
        if (f.value.IsMap()) return true;
        problems_.add(f.value.IsNull() ? f.key_mark : f.value.Mark(),
                      what + " must be a mapping, got " + node_kind(f.value));
        return false;
    }
    bool expect_seq(const Field& f, const std::string& what) {
        if (f.value.IsSequence()) return true;
        problems_.add(f.value.IsNull() ? f.key_mark : f.value.Mark(),
                      what + " must be a list, got " + node_kind(f.value));
        return false;
    }

    void load_meta(const Field& f, ActivityPanel& panel) {
        if (!expect_map(f, "'panel'")) return;
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
    void check_transcript(const std::string& text, const YAML::Mark& mark) {
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
        if (!expect_seq(f, "'drugs'")) return;
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
            std::vector<std::pair<std::string, YAML::Mark>> all_names;
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
        if (!expect_map(f, "'citations'")) return;
        for (auto it = f.value.begin(); it != f.value.end(); ++it) {
            const YAML::Node key = it->first, value = it->second;
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

    std::vector<std::string> drug_ids(const ActivityPanel& panel) const {
        std::vector<std::string> ids;
        for (const auto& d : panel.drugs_) ids.push_back(d.id);
        return ids;
    }

    void load_compound(const Field& f, ActivityPanel& panel) {
        if (!expect_seq(f, "'compound'")) return;
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
                        const YAML::Node e = comp.IsMap() ? comp["exons"] : YAML::Node();
                        if (!comp.IsMap() || comp.size() != 1 || !e || !e.IsSequence() || e.size() == 0) {
                            problems_.add(comp.Mark(),
                                          what + ": each 'all_of' component is {exons: [N, ...]}");
                            ok = false;
                            continue;
                        }
                        for (const auto& x : e) {
                            int v = 0;
                            if (!x.IsScalar() || !YAML::convert<int>::decode(x, v) || v < 1 || v > 30) {
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
                if (!load_activity(*a, "compound rule '" + rule.id + "'", panel, rule.activity)) ok = false;
            } else {
                ok = false;
            }
            if (ok) panel.compound_rules_.push_back(std::move(rule));
        }
    }

    void load_rules(const Field& f, ActivityPanel& panel) {
        if (!expect_seq(f, "'rules'")) return;
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
                if (!load_activity(*a, what, panel, rule.activity)) ok = false;
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
        auto check_residue = [&](char aa, int pos, const YAML::Mark& mark) {
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
            const YAML::Mark mark = sel->value.Mark();
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

    bool load_activity(const Field& a,
                       const std::string& what,
                       const ActivityPanel& panel,
                       std::map<std::string, DrugActivity>& activity) {
        if (!expect_map(a, "'activity' of " + what)) return false;
        bool ok = true;
        const auto ids = drug_ids(panel);
        for (auto it = a.value.begin(); it != a.value.end(); ++it) {
            const YAML::Node key = it->first, value = it->second;
            const std::string id = key.IsScalar() ? key.Scalar() : "";
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                std::string hint;
                if (const Drug* d = panel.drug(id)) {
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
                if (!load_call(value, cell, panel, call)) ok = false;
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
                    const YAML::Mark& mark,
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

    bool load_call(const YAML::Node& node,
                   const std::string& cell,
                   const ActivityPanel& panel,
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
            if (!expect_seq(*doses, "'at_dose' of " + cell)) return false;
            std::size_t k = 0;
            for (const auto& item : doses->value) {
                const std::string what = cell + " at_dose[" + std::to_string(k++) + "]";
                if (!item.IsMap()) {
                    problems_.add(item.Mark(), what + " must be a mapping, got " + node_kind(item));
                    ok = false;
                    continue;
                }
                DrugActivity at;
                if (!load_call(item, what, panel, at, true)) ok = false;
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
            if (!expect_seq(*ev, "'evidence' of " + cell)) return false;
            for (const auto& item : ev->value) {
                if (!item.IsMap()) {
                    problems_.add(item.Mark(), "each evidence item of " + cell + " must be a mapping, got " +
                                                   node_kind(item));
                    ok = false;
                    continue;
                }
                // Kept even when invalid, so that one bad item does not also read as "no evidence".
                Evidence e;
                if (!load_evidence(item, cell, panel, e)) ok = false;
                call.evidence.push_back(std::move(e));
            }
        }
        return ok;
    }

    bool load_evidence(const YAML::Node& node,
                       const std::string& cell,
                       const ActivityPanel& panel,
                       Evidence& e) {
        const std::string what = "evidence of " + cell;
        const Fields f(node, what, kEvidenceKeys, problems_);
        bool ok = true;
        const Field* cite = f.require("cite", problems_);
        if (const auto key = scalar(cite, what, problems_)) {
            e.citation = *key;
            if (!panel.citations_.count(*key)) {
                std::vector<std::string> keys;
                for (const auto& [k, c] : panel.citations_) keys.push_back(k);
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

    // Duplicate selectors and contradictions between rules of the same level and context. Near
    // linear (a 16,000-rule panel took 30 s and 24 GB of messages when every rule was compared with
    // every other): duplicates are found by hashing the selector and are left out of the pair
    // checks; exact rules only overlap their duplicates; codon rules are swept in order of their
    // first codon, so only ranges that do overlap are compared; exon/class and gene rules have few
    // distinct selectors. Stops once Problems is full.
    void check_rule_pairs(const ActivityPanel& panel) {
        const auto& rules = panel.rules_;
        std::map<std::string, std::vector<const PanelRule*>> groups;  // gene, level, context
        std::unordered_map<std::string, const PanelRule*> first_with_selector;
        for (const PanelRule& b : rules) {
            const std::string group = b.gene + '|' + std::to_string(static_cast<int>(b.level)) + '|' +
                                      std::to_string(static_cast<int>(b.context));
            const auto [it, inserted] = first_with_selector.emplace(group + '|' + selector_key(b), &b);
            if (!inserted) {
                const PanelRule& a = *it->second;
                problems_.add(mark_of(b),
                              "duplicate rule: '" + b.id + "' matches exactly what rule '" + a.id +
                                  "' (line " + std::to_string(a.where.line) + ") matches (" + rule_label(b) +
                                  ")",
                              "merge the two rules");
                if (problems_.full()) return;
                continue;
            }
            if (b.level != MatchLevel::kExact) groups[group].push_back(&b);
        }
        for (auto& [group, list] : groups) {
            const bool codons =
                list.front()->level == MatchLevel::kCodon || list.front()->level == MatchLevel::kCodonRange;
            if (codons)
                std::stable_sort(list.begin(), list.end(), [](const PanelRule* x, const PanelRule* y) {
                    return x->codon_begin < y->codon_begin;
                });
            for (std::size_t j = 0; j < list.size(); ++j) {
                for (std::size_t i = 0; i < j; ++i) {
                    if (codons && list[i]->codon_end < list[j]->codon_begin) continue;
                    // Report against the rule that comes first in the file, as a reader expects.
                    const bool in_order = list[i]->where.line <= list[j]->where.line;
                    const PanelRule& a = in_order ? *list[i] : *list[j];
                    const PanelRule& b = in_order ? *list[j] : *list[i];
                    if (!overlap(a, b)) continue;
                    std::vector<std::string> differ;
                    for (const auto& d : panel.drugs_) {
                        const Activity x = call_of(a, d.id), y = call_of(b, d.id);
                        if (x != y) differ.push_back(d.id + " " + to_string(x) + " vs " + to_string(y));
                    }
                    if (differ.empty()) continue;
                    const std::string first =
                        "rule '" + a.id + "' (line " + std::to_string(a.where.line) + ")";
                    problems_.add(mark_of(b),
                                  "contradictory rules: '" + b.id + "' and " + first + " are both " +
                                      to_string(a.level) +
                                      " rules that can match the same variant but differ for " +
                                      join(differ, "; "),
                                  "make one rule more specific or give both the same calls");
                    if (problems_.full()) return;
                }
            }
        }
    }

    // Equal for two rules of one level exactly when same_selector() is true.
    static std::string selector_key(const PanelRule& r) {
        switch (r.level) {
            case MatchLevel::kExact:
                return r.protein;
            case MatchLevel::kCodon:
            case MatchLevel::kCodonRange:
                return std::to_string(r.codon_begin) + '-' + std::to_string(r.codon_end);
            case MatchLevel::kExonClass:
                return std::to_string(r.exon) + ':' + std::to_string(r.class_mask);
            case MatchLevel::kGene:
            case MatchLevel::kNone:
                return std::to_string(r.class_mask);
        }
        return "";
    }

    static YAML::Mark mark_of(const PanelRule& r) {
        YAML::Mark m;
        m.line = r.where.line - 1;
        m.column = r.where.column - 1;
        return m;
    }

    static Activity call_of(const PanelRule& r, const std::string& drug) {
        const auto it = r.activity.find(drug);
        return it == r.activity.end() ? Activity::kUnknown : it->second.activity;
    }

    static bool overlap(const PanelRule& a, const PanelRule& b) {
        switch (a.level) {
            case MatchLevel::kExact:
                return a.protein == b.protein;
            case MatchLevel::kCodon:
            case MatchLevel::kCodonRange:
                return a.codon_begin <= b.codon_end && b.codon_begin <= a.codon_end;
            case MatchLevel::kExonClass:
                return a.exon == b.exon && (a.class_mask & b.class_mask) != 0;
            case MatchLevel::kGene:
            case MatchLevel::kNone:
                return (a.class_mask & b.class_mask) != 0;
        }
        return false;
    }

    Problems problems_;
};

}  // namespace

ActivityPanel load_panel(std::istream& in, const std::string& source_name) {
    Loader loader(source_name);
    YAML::Node root;
    try {
        // YAML::Load() silently stops after the first document. YAML::LoadAll() is not used: on
        // some malformed input (found by fuzz_panel) yaml-cpp 0.7 loops in it forever. A `---`
        // line (document markers sit at column 0, where no scalar content of a document can)
        // after the first content line starts another document.
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        int line_number = 0;
        bool content = false;
        for (std::size_t begin = 0; begin < text.size();) {
            const std::size_t end = std::min(text.find('\n', begin), text.size());
            const std::string_view line(text.data() + begin, end - begin);
            ++line_number;
            begin = end + 1;
            const bool marker = line.rfind("---", 0) == 0 &&
                                (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
            if (marker && content) {
                YAML::Mark mark;
                mark.line = line_number - 1;
                mark.column = 0;
                loader.problems().add(mark,
                                      "the panel file holds more than one YAML document (a second one starts "
                                      "here with '---'); kitrx reads exactly one",
                                      "merge them into one document or split them into several panel files");
                loader.problems().raise();
            }
            const auto first = line.find_first_not_of(" \t\r");
            if (!marker && first != std::string_view::npos && line[first] != '#' && line[first] != '%')
                content = true;
        }
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        loader.problems().add(e.mark, "YAML syntax error: " + e.msg,
                              "check indentation, quotes and ':' near here");
        loader.problems().raise();
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

namespace {

// The build converts resources/panels/gist_default.yaml to JSON with every scalar as a string
// (tools/yaml_to_json.cpp); rebuilding the same node tree from it skips yaml-cpp's parser, the
// largest start-up cost of `kitrx annotate` (an indexed query is otherwise slower than bcftools).
YAML::Node node_from_json(const nlohmann::json& j) {
    if (j.is_object()) {
        YAML::Node map(YAML::NodeType::Map);
        for (const auto& [key, value] : j.items()) map[key] = node_from_json(value);
        return map;
    }
    if (j.is_array()) {
        YAML::Node seq(YAML::NodeType::Sequence);
        for (const auto& item : j) seq.push_back(node_from_json(item));
        return seq;
    }
    if (j.is_string()) return YAML::Node(j.get<std::string>());
    return YAML::Node(YAML::NodeType::Null);
}

}  // namespace

ActivityPanel load_builtin_panel_from_yaml() {
    std::istringstream in{std::string(embedded_resource("panels/gist_default.yaml"))};
    ActivityPanel p = load_panel(in, "resources/panels/gist_default.yaml");
    p.source = "<builtin>";
    return p;
}

const ActivityPanel& default_panel() {
    static const ActivityPanel panel = [] {
        try {
            const auto json = nlohmann::json::parse(embedded_resource("panels/gist_default.json"));
            Loader loader("resources/panels/gist_default.yaml");
            ActivityPanel p = loader.load(node_from_json(json));
            p.source = "<builtin>";
            return p;
        } catch (const PanelError& e) {
            throw std::logic_error(std::string("internal error: the shipped panel does not load: ") +
                                   e.what());
        }
    }();
    return panel;
}

// ---------------------------------------------------------------------------------------------
// Lookup and matching

const Drug* ActivityPanel::drug(std::string_view id_or_alias) const {
    const std::string key = lower(id_or_alias);
    for (const auto& d : drugs_) {
        if (lower(d.id) == key) return &d;
        for (const auto& a : d.aliases)
            if (lower(a) == key) return &d;
    }
    return nullptr;
}

namespace {

bool rule_matches(const PanelRule& r,
                  const VariantName& v,
                  const std::string& protein,
                  std::uint32_t class_bit) {
    const bool protein_altering = (class_bit & kAnyMask) != 0;
    const int first = v.codon_begin;
    const int last = std::max(v.codon_begin, v.codon_end);
    switch (r.level) {
        case MatchLevel::kExact:
            return !protein.empty() && protein == r.protein;
        case MatchLevel::kCodon:
        case MatchLevel::kCodonRange:
            return protein_altering && first > 0 && first <= r.codon_end && r.codon_begin <= last;
        case MatchLevel::kExonClass:
            return v.exon > 0 && v.exon == r.exon && (class_bit & r.class_mask) != 0;
        case MatchLevel::kGene:
        case MatchLevel::kNone:
            return (class_bit & r.class_mask) != 0;
    }
    return false;
}

}  // namespace

PanelMatch ActivityPanel::match(const VariantName& variant, VariantRole role) const {
    PanelMatch result;
    result.calls.resize(drugs_.size());
    const std::string gene = upper(variant.gene);
    std::string protein = canonical_protein_change(variant.protein);
    if (protein.empty()) protein = canonical_protein_change(variant.hgvs_p);
    const std::uint32_t class_bit = variant_class_bit(variant);

    constexpr MatchLevel kOrder[] = {MatchLevel::kExact, MatchLevel::kCodon, MatchLevel::kCodonRange,
                                     MatchLevel::kExonClass, MatchLevel::kGene};
    std::vector<const PanelRule*> hits;
    auto collect = [&](MatchLevel level, VariantRole context) {
        for (const auto& r : rules_)
            if (r.level == level && r.context == context && upper(r.gene) == gene &&
                rule_matches(r, variant, protein, class_bit))
                hits.push_back(&r);
        return !hits.empty();
    };
    for (const MatchLevel level : kOrder) {
        // A rule written for the variant's role beats a context-free rule of the same level.
        if (role != VariantRole::kUnknown && collect(level, role)) break;
        if (collect(level, VariantRole::kUnknown)) break;
    }
    if (hits.empty()) return result;

    result.rule = hits.front();
    result.level = hits.front()->level;
    for (std::size_t i = 0; i < drugs_.size(); ++i) {
        const std::string& id = drugs_[i].id;
        auto call_in = [&](const PanelRule* r) {
            const auto it = r->activity.find(id);
            return it == r->activity.end() ? DrugActivity{} : it->second;
        };
        DrugActivity call = call_in(hits.front());
        // Several rules of one level match only a change spanning several codons (e.g. a
        // deletion over two codon rules); their calls are combined when they agree, else unknown.
        for (std::size_t h = 1; h < hits.size(); ++h) {
            const DrugActivity other = call_in(hits[h]);
            if (other.activity != call.activity) {
                call = DrugActivity{};
                call.reason = "rules '" + hits.front()->id + "' and '" + hits[h]->id +
                              "' both match this change and disagree";
                break;
            }
            call.evidence.insert(call.evidence.end(), other.evidence.begin(), other.evidence.end());
            call.low_confidence = call.low_confidence || other.low_confidence;
        }
        result.calls[i] = std::move(call);
    }
    return result;
}

}  // namespace kitrx
