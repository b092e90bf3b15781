// SPDX-License-Identifier: MIT
// validation: keys, truth and observed tables, matching, statistics, acceptance criteria.
// Output writers are in validation_output.cpp.
#include "kitrx/validation/validation.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include <yaml-cpp/yaml.h>

#include "kitrx/common/resources.hpp"
#include "kitrx/io/text_file.hpp"

namespace kitrx {

// ---------------------------------------------------------------------------------------------
// Small text helpers.
namespace {

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string remove_spaces(std::string_view s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(),
                                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_bases(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return c == 'A' || c == 'C' || c == 'G' || c == 'T' || c == 'N';
    });
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t p = s.find(sep, start);
        out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

bool is_missing(std::string_view s) {
    const std::string t = trim(s);
    return t.empty() || t == "NA" || t == "." || t == "na" || t == "N/A";
}

// Strict number: the whole text must be consumed.
std::optional<double> parse_number(std::string_view text) {
    const std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (errno != 0 || end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// "0.075", "7.5%" -> 0.075; nullopt when malformed or outside [0, 1].
std::optional<double> parse_fraction(std::string_view text) {
    std::string t = trim(text);
    bool percent = false;
    if (!t.empty() && t.back() == '%') {
        percent = true;
        t.pop_back();
    }
    auto v = parse_number(t);
    if (!v) return std::nullopt;
    if (percent) *v /= 100.0;
    if (*v < 0.0 || *v > 1.0) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_count(std::string_view text) {
    const std::string t = trim(text);
    if (!is_digits(t)) return std::nullopt;
    errno = 0;
    const long long v = std::strtoll(t.c_str(), nullptr, 10);
    if (errno != 0) return std::nullopt;
    return static_cast<std::int64_t>(v);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
    return out;
}

// Fields of a tab-separated line with the 1-based column of each field start.
struct Fields {
    std::vector<std::string> values;
    std::vector<int> columns;
};

Fields split_tabs(const std::string& line) {
    Fields f;
    std::size_t start = 0;
    while (true) {
        const std::size_t p = line.find('\t', start);
        f.values.push_back(line.substr(start, p == std::string::npos ? std::string::npos : p - start));
        f.columns.push_back(static_cast<int>(start) + 1);
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return f;
}

void chomp(std::string& line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
}

std::string short_number(double v) {
    if (std::isnan(v)) return "NA";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Keys.

std::string VariantKey::str() const {
    switch (kind) {
        case KeyKind::kProtein:
            return gene + ":p." + text;
        case KeyKind::kCoding:
            return gene + ":" + text;
        case KeyKind::kGenomic:
            return "g." + text;
    }
    return text;
}

namespace {

char amino_acid_code(std::string_view three) {
    static const std::pair<const char*, char> kCodes[] = {
        {"Ala", 'A'}, {"Arg", 'R'}, {"Asn", 'N'}, {"Asp", 'D'}, {"Cys", 'C'}, {"Gln", 'Q'},
        {"Glu", 'E'}, {"Gly", 'G'}, {"His", 'H'}, {"Ile", 'I'}, {"Leu", 'L'}, {"Lys", 'K'},
        {"Met", 'M'}, {"Phe", 'F'}, {"Pro", 'P'}, {"Ser", 'S'}, {"Thr", 'T'}, {"Trp", 'W'},
        {"Tyr", 'Y'}, {"Val", 'V'}, {"Ter", '*'}, {"Sec", 'U'}, {"Pyl", 'O'}};
    for (const auto& [name, code] : kCodes)
        if (three == name) return code;
    return 0;
}

// Position just past a run of digits starting at i.
std::size_t skip_digits(const std::string& s, std::size_t i) {
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

std::string normalise_chrom(std::string_view chrom) {
    std::string c = trim(chrom);
    if (starts_with(upper(c), "CHR")) c = c.substr(3);
    if (starts_with(upper(c), "NC_")) {
        // RefSeq chromosome accession NC_0000NN.V -> NN
        const std::size_t dot = c.find('.');
        std::string digits = c.substr(3, dot == std::string::npos ? std::string::npos : dot - 3);
        while (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
        if (digits == "23") return "X";
        if (digits == "24") return "Y";
        return digits;
    }
    if (c == "M") return "MT";
    return upper(c);
}

// Genomic forms: CHROM:POS:REF:ALT (separators : - _ / and > between alleles) or CHROM:POSREF>ALT
// or CHROM:g.POSREF>ALT.
std::optional<std::string> parse_genomic(std::string_view text) {
    const std::string t = remove_spaces(text);
    if (starts_with(upper(t), "NC_")) {
        // RefSeq accession (NC_000004.11:g.55599321A>T): its '_' is not a separator.
        const std::size_t colon = t.find(':');
        if (colon == std::string::npos) return std::nullopt;
        return parse_genomic("chr" + normalise_chrom(t.substr(0, colon)) + t.substr(colon));
    }
    // Separate the chromosome at the first ':', '-' or '_'.
    const std::size_t sep = t.find_first_of(":-_");
    if (sep == std::string::npos || sep == 0) return std::nullopt;
    const std::string chrom = t.substr(0, sep);
    const std::string uc = upper(chrom);
    const bool chrom_like =
        starts_with(uc, "CHR") || is_digits(chrom) || uc == "X" || uc == "Y" || uc == "MT" || uc == "M";
    if (!chrom_like) return std::nullopt;
    std::string rest = t.substr(sep + 1);
    if (starts_with(rest, "g.")) rest = rest.substr(2);
    const std::size_t digits_end = skip_digits(rest, 0);
    if (digits_end == 0) return std::nullopt;
    const auto pos1 = parse_count(rest.substr(0, digits_end));
    if (!pos1 || *pos1 <= 0) return std::nullopt;
    std::string alleles = rest.substr(digits_end);
    if (!alleles.empty() && (alleles[0] == ':' || alleles[0] == '-' || alleles[0] == '_'))
        alleles.erase(0, 1);
    const std::size_t mid = alleles.find_first_of(":-_/>");
    if (mid == std::string::npos) return std::nullopt;
    const std::string ref = upper(alleles.substr(0, mid)), alt = upper(alleles.substr(mid + 1));
    if (!is_bases(ref) || !is_bases(alt)) return std::nullopt;
    return genomic_key_text(chrom, *pos1, ref, alt);
}

}  // namespace

std::string normalise_protein(std::string_view text) {
    std::string s = remove_spaces(text);
    if (starts_with(s, "p.")) s = s.substr(2);
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
    // Three-letter residues to one letter ("Asp816Val" -> "D816V").
    std::string one;
    for (std::size_t i = 0; i < s.size();) {
        if (i + 2 < s.size() && std::isupper(static_cast<unsigned char>(s[i])) &&
            std::islower(static_cast<unsigned char>(s[i + 1])) &&
            std::islower(static_cast<unsigned char>(s[i + 2]))) {
            if (const char code = amino_acid_code(std::string_view(s).substr(i, 3))) {
                one += code;
                i += 3;
                continue;
            }
        }
        one += s[i++];
    }
    s = one;
    // Frameshift: keep the first residue and position only ("E561Gfs*19" -> "E561fs").
    if (const std::size_t fs = s.find("fs"); fs != std::string::npos && fs > 0) {
        std::size_t end = skip_digits(s, 1);
        if (end > 1 && end <= fs) return s.substr(0, end) + "fs";
    }
    // Deleted/duplicated residues listed after del/dup are redundant ("E746_A750delELREA").
    for (const char* op : {"del", "dup"}) {
        const std::size_t p = s.rfind(op);
        if (p != std::string::npos && p + 3 < s.size() && s.compare(p, 6, "delins") != 0) {
            const std::string tail = s.substr(p + 3);
            if (std::all_of(tail.begin(), tail.end(),
                            [](char c) { return std::isupper(static_cast<unsigned char>(c)) || c == '*'; }))
                s = s.substr(0, p + 3);
        }
    }
    // Simple substitution X123Y: legacy stop 'X' -> '*', synonymous X123X -> X123=.
    if (s.size() >= 3 && (std::isupper(static_cast<unsigned char>(s[0])) || s[0] == '*')) {
        const std::size_t end = skip_digits(s, 1);
        if (end > 1 && end + 1 == s.size()) {
            char alt = s[end];
            if (alt == 'X') alt = '*';
            if (alt == s[0]) return s.substr(0, end) + "=";
            return s.substr(0, end) + alt;
        }
    }
    return s;
}

std::string normalise_coding(std::string_view text) {
    std::string s = remove_spaces(text);
    if (const std::size_t colon = s.find(':'); colon != std::string::npos)
        s = s.substr(colon + 1);  // NM_...:c.
    if (!starts_with(s, "c.")) s = "c." + s;
    for (const char* op : {"del", "dup"}) {
        const std::size_t p = s.rfind(op);
        if (p != std::string::npos && p + 3 < s.size() && s.compare(p, 6, "delins") != 0) {
            const std::string tail = s.substr(p + 3);
            if (is_bases(upper(tail)) || is_digits(tail)) s = s.substr(0, p + 3);
        }
    }
    return s;
}

std::string genomic_key_text(std::string_view chrom,
                             std::int64_t pos1,
                             std::string_view ref_in,
                             std::string_view alt_in) {
    std::string ref = upper(ref_in), alt = upper(alt_in);
    if (!is_bases(ref) || !is_bases(alt) || pos1 <= 0) return "";
    while (ref.size() > 1 && alt.size() > 1 && ref.back() == alt.back()) {
        ref.pop_back();
        alt.pop_back();
    }
    while (ref.size() > 1 && alt.size() > 1 && ref.front() == alt.front()) {
        ref.erase(0, 1);
        alt.erase(0, 1);
        ++pos1;
    }
    return normalise_chrom(chrom) + ":" + std::to_string(pos1) + ":" + ref + ":" + alt;
}

VariantKey parse_variant_key(std::string_view gene_in, std::string_view text_in) {
    std::string gene = upper(trim(gene_in));
    std::string text = trim(text_in);
    if (text.empty()) throw std::invalid_argument("empty variant");
    if (auto g = parse_genomic(text)) return VariantKey{KeyKind::kGenomic, "", *g};
    // Optional "GENE:" or "NM_...:" prefix.
    if (const std::size_t colon = text.find(':'); colon != std::string::npos) {
        const std::string prefix = text.substr(0, colon);
        if (!starts_with(prefix, "NM_") && !starts_with(prefix, "ENST")) {
            const std::string prefix_gene = upper(prefix);
            if (!gene.empty() && prefix_gene != gene)
                throw std::invalid_argument("gene prefix '" + prefix + "' disagrees with gene '" + gene +
                                            "'");
            gene = prefix_gene;
        }
        text = text.substr(colon + 1);
    }
    if (gene.empty())
        throw std::invalid_argument("no gene for '" + text + "' (give the gene column or 'KIT:')");
    if (starts_with(text, "c.")) {
        const std::string c = normalise_coding(text);
        if (c.size() < 4 || !std::isdigit(static_cast<unsigned char>(c[2])))
            throw std::invalid_argument("malformed c. change '" + text + "'");
        return VariantKey{KeyKind::kCoding, gene, c};
    }
    const std::string p = normalise_protein(text);
    const bool ok = p.size() >= 2 && (std::isupper(static_cast<unsigned char>(p[0])) || p[0] == '*') &&
                    std::isdigit(static_cast<unsigned char>(p[1]));
    if (!ok)
        throw std::invalid_argument("'" + std::string(text_in) +
                                    "' is not a protein change (D816V, p.Asp816Val), a c. change (c.2447A>T) "
                                    "or a genomic allele (chr4:55599321:A:T)");
    return VariantKey{KeyKind::kProtein, gene, p};
}

// ---------------------------------------------------------------------------------------------
// Truth.

namespace {

SourceLocation at(const std::string& name, int line, int column = 0) {
    SourceLocation loc;
    loc.file = name;
    loc.line = line;
    loc.column = column;
    return loc;
}

bool same_level(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

}  // namespace

TruthSet read_truth_tsv(std::istream& in, const std::string& name) {
    static const std::vector<std::string> kAllowed{"sample",  "level",        "replicate", "gene",
                                                   "variant", "expected_vaf", "note"};
    TruthSet truth;
    truth.path = name;
    std::map<std::string, int> column;  // name -> index
    std::string line;
    int line_no = 0;
    bool have_header = false;
    struct RunInfo {
        double level;
        std::string replicate;
        int line;
    };
    std::map<std::string, RunInfo> runs;
    std::set<std::pair<std::string, std::string>> seen_keys;
    while (std::getline(in, line)) {
        ++line_no;
        chomp(line);
        if (trim(line).empty() || line[0] == '#') continue;
        const Fields f = split_tabs(line);
        if (!have_header) {
            for (std::size_t i = 0; i < f.values.size(); ++i) {
                const std::string col = lower(trim(f.values[i]));
                if (std::find(kAllowed.begin(), kAllowed.end(), col) == kAllowed.end())
                    throw InputError(at(name, line_no, f.columns[i]),
                                     "unknown truth column '" + f.values[i] + "'",
                                     "allowed columns: " + join(kAllowed, ", "));
                if (column.count(col))
                    throw InputError(at(name, line_no, f.columns[i]), "duplicate truth column '" + col + "'");
                column[col] = static_cast<int>(i);
            }
            for (const char* required : {"variant", "expected_vaf"})
                if (!column.count(required))
                    throw InputError(
                        at(name, line_no, 1), std::string("missing truth column '") + required + "'",
                        "header needs at least: variant, expected_vaf (and usually sample, level, "
                        "replicate, gene)");
            have_header = true;
            continue;
        }
        if (f.values.size() != column.size())
            throw InputError(at(name, line_no, 1), "expected " + std::to_string(column.size()) +
                                                       " tab-separated fields, found " +
                                                       std::to_string(f.values.size()));
        auto field = [&](const char* col) -> std::string {
            auto it = column.find(col);
            return it == column.end() ? std::string() : trim(f.values[static_cast<std::size_t>(it->second)]);
        };
        auto col_of = [&](const char* col) {
            auto it = column.find(col);
            return it == column.end() ? 1 : f.columns[static_cast<std::size_t>(it->second)];
        };
        TruthEntry e;
        e.line = line_no;
        e.sample = column.count("sample") ? field("sample") : "*";
        if (e.sample.empty())
            throw InputError(at(name, line_no, col_of("sample")), "empty sample", "use '*' for every sample");
        const std::string level_text = field("level");
        if (!is_missing(level_text)) {
            const auto v = parse_fraction(level_text);
            if (!v)
                throw InputError(at(name, line_no, col_of("level")),
                                 "level '" + level_text + "' is not a fraction in [0,1]",
                                 "write 0.005 or 0.5%");
            e.level = *v;
        }
        e.replicate = field("replicate");
        if (e.replicate == "NA" || e.replicate == ".") e.replicate.clear();
        e.gene = upper(field("gene"));
        e.variant = field("variant");
        e.note = field("note");
        const std::string lv = lower(e.variant);
        const bool negative = e.variant.empty() || lv == "." || lv == "none" || lv == "-";
        if (!negative) {
            try {
                e.key = parse_variant_key(e.gene, e.variant);
            } catch (const std::invalid_argument& ex) {
                throw InputError(at(name, line_no, col_of("variant")), ex.what());
            }
            if (e.gene.empty()) e.gene = e.key->gene;
            const std::string vaf_text = field("expected_vaf");
            const auto vaf = parse_fraction(vaf_text);
            if (!vaf)
                throw InputError(at(name, line_no, col_of("expected_vaf")),
                                 "expected_vaf '" + vaf_text + "' is not a fraction in [0,1]",
                                 "write 0.075 or 7.5%");
            e.expected_vaf = *vaf;
            if (!seen_keys.insert({e.sample, e.key->str()}).second)
                throw InputError(at(name, line_no, col_of("variant")),
                                 "variant '" + e.variant + "' (" + e.key->str() +
                                     ") listed twice for sample '" + e.sample + "'");
        } else {
            e.variant = ".";
        }
        if (e.sample != "*") {
            auto [it, inserted] = runs.emplace(e.sample, RunInfo{e.level, e.replicate, line_no});
            if (!inserted && (!same_level(it->second.level, e.level) || it->second.replicate != e.replicate))
                throw InputError(at(name, line_no, col_of("level")),
                                 "sample '" + e.sample + "' has level/replicate '" + short_number(e.level) +
                                     "/" + e.replicate + "' but '" + short_number(it->second.level) + "/" +
                                     it->second.replicate + "' on line " + std::to_string(it->second.line),
                                 "a run has one level and one replicate label");
        }
        truth.entries.push_back(std::move(e));
    }
    if (!have_header) throw InputError(at(name, line_no), "empty truth table", "expected a header line");
    if (truth.entries.empty()) throw InputError(at(name, line_no), "truth table has no rows");
    return truth;
}

TruthSet read_truth_vcf(std::istream& in, const std::string& name) {
    TruthSet truth;
    truth.path = name;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        chomp(line);
        if (line.empty() || line[0] == '#') continue;
        const Fields f = split_tabs(line);
        if (f.values.size() < 8)
            throw InputError(at(name, line_no, 1),
                             "VCF record with " + std::to_string(f.values.size()) + " fields",
                             "expected at least 8 tab-separated fields");
        const auto pos1 = parse_count(f.values[1]);
        if (!pos1 || *pos1 <= 0)
            throw InputError(at(name, line_no, f.columns[1]), "malformed POS '" + f.values[1] + "'");
        std::map<std::string, std::string> info;
        for (const auto& item : split(f.values[7], ';')) {
            const std::size_t eq = item.find('=');
            info[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
        }
        const char* vaf_field = info.count("EXPECTED_VAF") ? "EXPECTED_VAF"
                                : info.count("VAF")        ? "VAF"
                                                           : "AF";
        if (!info.count(vaf_field))
            throw InputError(at(name, line_no, f.columns[7]), "no INFO/EXPECTED_VAF, INFO/VAF or INFO/AF",
                             "a truth VCF states the expected fraction of each ALT");
        const auto alts = split(f.values[4], ',');
        const auto vafs = split(info[vaf_field], ',');
        for (std::size_t i = 0; i < alts.size(); ++i) {
            TruthEntry e;
            e.line = line_no;
            e.sample = "*";
            e.gene = info.count("GENE") ? upper(info["GENE"]) : "";
            const std::string text = genomic_key_text(f.values[0], *pos1, f.values[3], alts[i]);
            if (text.empty())
                throw InputError(at(name, line_no, f.columns[4]),
                                 "ALT '" + alts[i] + "' is not a sequence allele");
            e.key = VariantKey{KeyKind::kGenomic, "", text};
            e.variant = f.values[0] + ":" + f.values[1] + ":" + f.values[3] + ":" + alts[i];
            const auto vaf = parse_fraction(vafs.size() == alts.size() ? vafs[i] : vafs[0]);
            if (!vaf)
                throw InputError(at(name, line_no, f.columns[7]), std::string("INFO/") + vaf_field + " '" +
                                                                      info[vaf_field] +
                                                                      "' is not a fraction in [0,1]");
            e.expected_vaf = *vaf;
            truth.entries.push_back(std::move(e));
        }
    }
    if (truth.entries.empty()) throw InputError(at(name, line_no), "truth VCF has no records");
    return truth;
}

TruthSet load_truth(const std::string& path) {
    const std::string text = read_text_file(path, "truth");
    if (starts_with(text, "BCF"))
        throw InputError(at(path, 0), "a BCF truth file is not supported",
                         "convert it with 'bcftools view -Ov' or write the truth TSV");
    std::istringstream in(text);
    if (starts_with(text, "##fileformat=VCF")) return read_truth_vcf(in, path);
    return read_truth_tsv(in, path);
}

// ---------------------------------------------------------------------------------------------
// Observed.

std::vector<VariantKey> ObservedVariant::keys() const {
    std::vector<VariantKey> out;
    const std::string g = upper(gene);
    if (!g.empty() && !is_missing(protein)) out.push_back({KeyKind::kProtein, g, normalise_protein(protein)});
    if (!g.empty() && !is_missing(hgvs_c)) out.push_back({KeyKind::kCoding, g, normalise_coding(hgvs_c)});
    const std::string gk = genomic_key_text(chrom, pos1, ref, alt);
    if (!gk.empty()) out.push_back({KeyKind::kGenomic, "", gk});
    if (!norm_key.empty() && norm_key != gk) out.push_back({KeyKind::kGenomic, "", norm_key});
    return out;
}

bool ObservedVariant::has_evidence() const {
    if (alt_reads >= 0) return alt_reads > 0;
    return !std::isnan(vaf) && vaf > 0.0;
}

void ObservedSet::merge(ObservedSet other) {
    for (const auto& s : other.samples) {
        if (std::find(samples.begin(), samples.end(), s) != samples.end())
            throw InputError(
                at(other.sources.empty() ? "" : other.sources.front(), 0),
                "sample '" + s + "' was already read from another OBSERVED file",
                "each run must come from exactly one file (rename the read group or the VCF sample)");
        samples.push_back(s);
    }
    for (auto& v : other.variants) variants.push_back(std::move(v));
    for (auto& s : other.sources) sources.push_back(std::move(s));
}

bool looks_like_variants_table(std::string_view first_line) {
    return starts_with(first_line, "##kitrx") || starts_with(first_line, "sample\tchrom\tpos");
}

ObservedSet read_variants_table(std::istream& in, const std::string& name) {
    ObservedSet set;
    set.sources.push_back(name);
    std::map<std::string, std::size_t> column;
    std::string line;
    int line_no = 0;
    bool have_header = false;
    while (std::getline(in, line)) {
        ++line_no;
        chomp(line);
        if (line.empty() || starts_with(line, "##")) continue;
        const Fields f = split_tabs(line);
        if (!have_header) {
            for (std::size_t i = 0; i < f.values.size(); ++i) {
                std::string col = trim(f.values[i]);
                if (i == 0 && !col.empty() && col[0] == '#') col.erase(0, 1);
                column[col] = i;
            }
            for (const char* required : {"sample", "chrom", "pos", "ref", "alt", "gene"})
                if (!column.count(required))
                    throw InputError(
                        at(name, line_no, 1), std::string("variants table has no column '") + required + "'",
                        "OBSERVED tables are the TSV written by 'kitrx annotate' or 'kitrx report'");
            have_header = true;
            continue;
        }
        if (f.values.size() != column.size())
            throw InputError(at(name, line_no, 1), "expected " + std::to_string(column.size()) +
                                                       " tab-separated fields, found " +
                                                       std::to_string(f.values.size()));
        auto get = [&](const char* col) -> std::string {
            auto it = column.find(col);
            return it == column.end() ? std::string() : f.values[it->second];
        };
        auto col_of = [&](const char* col) { return f.columns[column.at(col)]; };
        ObservedVariant v;
        v.sample = get("sample");
        v.chrom = get("chrom");
        const auto pos1 = parse_count(get("pos"));
        if (!pos1 || *pos1 <= 0)
            throw InputError(at(name, line_no, col_of("pos")), "malformed pos '" + get("pos") + "'");
        v.pos1 = *pos1;
        v.ref = get("ref");
        v.alt = get("alt");
        v.gene = get("gene");
        v.protein = is_missing(get("protein")) ? "" : get("protein");
        v.hgvs_c = is_missing(get("hgvs_c")) ? "" : get("hgvs_c");
        v.consequence = get("consequence");
        v.filter = column.count("filter") ? get("filter") : ".";
        if (column.count("vaf") && !is_missing(get("vaf"))) {
            const auto vaf = parse_number(get("vaf"));
            if (!vaf || *vaf < 0 || *vaf > 1)
                throw InputError(at(name, line_no, col_of("vaf")),
                                 "vaf '" + get("vaf") + "' is not a fraction in [0,1]");
            v.vaf = *vaf;
        }
        for (const char* col : {"alt_reads", "depth"}) {
            if (!column.count(col) || is_missing(get(col))) continue;
            const auto n = parse_count(get(col));
            if (!n)
                throw InputError(at(name, line_no, col_of(col)),
                                 std::string(col) + " '" + get(col) + "' is not a count");
            (std::string(col) == "alt_reads" ? v.alt_reads : v.depth) = *n;
        }
        if (std::isnan(v.vaf) && v.alt_reads >= 0 && v.depth > 0)
            v.vaf = static_cast<double>(v.alt_reads) / static_cast<double>(v.depth);
        v.source = name + ":" + std::to_string(line_no);
        if (std::find(set.samples.begin(), set.samples.end(), v.sample) == set.samples.end())
            set.samples.push_back(v.sample);
        set.variants.push_back(std::move(v));
    }
    if (!have_header) throw InputError(at(name, line_no), "empty variants table", "expected a header line");
    return set;
}

// ---------------------------------------------------------------------------------------------
// Statistics.

Proportion proportion(std::int64_t x, std::int64_t n) {
    Proportion p;
    p.x = x;
    p.n = n;
    if (n <= 0) return p;
    const double z = 1.959963984540054;
    const double nn = static_cast<double>(n), ph = static_cast<double>(x) / nn;
    const double denom = 1.0 + z * z / nn;
    const double centre = (ph + z * z / (2.0 * nn)) / denom;
    const double half = z * std::sqrt(ph * (1.0 - ph) / nn + z * z / (4.0 * nn * nn)) / denom;
    p.value = ph;
    p.low = std::max(0.0, centre - half);
    p.high = std::min(1.0, centre + half);
    return p;
}

double normal_cdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) return kNaN;
    // Acklam's algorithm.
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double plow = 0.02425;
    double x = 0;
    if (p < plow) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - plow) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // One Halley step on the exact CDF.
    const double e = normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

BiasFit fit_bias(const std::vector<double>& expected, const std::vector<double>& observed) {
    BiasFit fit;
    const std::size_t n = std::min(expected.size(), observed.size());
    fit.n = n;
    std::vector<double> rel;
    for (std::size_t i = 0; i < n; ++i)
        if (expected[i] > 0) rel.push_back((observed[i] - expected[i]) / expected[i]);
    if (!rel.empty()) {
        fit.mean_relative_bias =
            std::accumulate(rel.begin(), rel.end(), 0.0) / static_cast<double>(rel.size());
        std::sort(rel.begin(), rel.end());
        const std::size_t m = rel.size() / 2;
        fit.median_relative_bias = rel.size() % 2 ? rel[m] : 0.5 * (rel[m - 1] + rel[m]);
    }
    if (n < 2) return fit;
    const double nn = static_cast<double>(n);
    const double mx = std::accumulate(expected.begin(), expected.begin() + static_cast<long>(n), 0.0) / nn;
    const double my = std::accumulate(observed.begin(), observed.begin() + static_cast<long>(n), 0.0) / nn;
    double sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (expected[i] - mx) * (expected[i] - mx);
        syy += (observed[i] - my) * (observed[i] - my);
        sxy += (expected[i] - mx) * (observed[i] - my);
    }
    if (sxx > 0) {
        fit.slope = sxy / sxx;
        fit.intercept = my - fit.slope * mx;
        if (syy > 0) fit.pearson_r = sxy / std::sqrt(sxx * syy);
    }
    // Lin (1989): population (1/n) moments.
    const double denom = sxx / nn + syy / nn + (mx - my) * (mx - my);
    if (denom > 0) fit.ccc = 2.0 * (sxy / nn) / denom;
    return fit;
}

double coefficient_of_variation(const std::vector<double>& values) {
    if (values.size() < 2) return kNaN;
    const double n = static_cast<double>(values.size());
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    if (!(mean > 0)) return kNaN;
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return std::sqrt(ss / (n - 1.0)) / mean;
}

namespace {

struct BinomialPoint {
    double x;
    double successes;
    double trials;
};

double normal_pdf(double z) {
    return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
}

double probit_loglik(const std::vector<BinomialPoint>& pts, double a, double b) {
    double ll = 0;
    for (const auto& p : pts) {
        const double eta = a + b * p.x;
        // log Phi and log(1 - Phi) through erfc keep precision in the tails.
        const double log_p = std::log(std::max(normal_cdf(eta), 1e-300));
        const double log_q = std::log(std::max(normal_cdf(-eta), 1e-300));
        ll += p.successes * log_p + (p.trials - p.successes) * log_q;
    }
    return ll;
}

}  // namespace

ProbitFit fit_probit(const std::vector<double>& x, const std::vector<int>& detected, double target) {
    ProbitFit fit;
    fit.n = std::min(x.size(), detected.size());
    std::map<double, BinomialPoint> grouped;
    for (std::size_t i = 0; i < fit.n; ++i) {
        if (!std::isfinite(x[i])) continue;
        auto& g = grouped.try_emplace(x[i], BinomialPoint{x[i], 0, 0}).first->second;
        g.trials += 1;
        g.successes += detected[i] ? 1 : 0;
    }
    std::vector<BinomialPoint> pts;
    for (const auto& [key, p] : grouped) pts.push_back(p);
    double total = 0, hits = 0;
    for (const auto& p : pts) {
        total += p.trials;
        hits += p.successes;
    }
    if (pts.size() < 2) {
        fit.note = "fewer than 2 distinct levels";
        return fit;
    }
    if (hits == 0) {
        fit.note = "nothing detected";
        return fit;
    }
    if (hits == total) {
        fit.note = "every replicate detected at every level";
        return fit;
    }
    // Separation: the likelihood has no finite maximum when detections and misses do not overlap.
    double miss_max = -INFINITY, hit_min = INFINITY, hit_max = -INFINITY, miss_min = INFINITY;
    for (const auto& p : pts) {
        if (p.successes > 0) hit_min = std::min(hit_min, p.x), hit_max = std::max(hit_max, p.x);
        if (p.successes < p.trials) miss_max = std::max(miss_max, p.x), miss_min = std::min(miss_min, p.x);
    }
    if (miss_max <= hit_min || hit_max <= miss_min) {
        fit.note = "not estimable: complete separation (no overlap of detected and missed fractions)";
        return fit;
    }
    double a = 0, b = 0;
    double ll = probit_loglik(pts, a, b);
    double i00 = 0, i01 = 0, i11 = 0;
    bool converged = false;
    for (int it = 1; it <= 200; ++it) {
        fit.iterations = it;
        double u0 = 0, u1 = 0;
        i00 = i01 = i11 = 0;
        for (const auto& p : pts) {
            const double eta = a + b * p.x;
            const double mu = std::clamp(normal_cdf(eta), 1e-15, 1 - 1e-15);
            const double phi = std::max(normal_pdf(eta), 1e-300);
            const double v = mu * (1 - mu);
            const double s = (p.successes - p.trials * mu) * phi / v;
            const double w = p.trials * phi * phi / v;
            u0 += s;
            u1 += s * p.x;
            i00 += w;
            i01 += w * p.x;
            i11 += w * p.x * p.x;
        }
        const double det = i00 * i11 - i01 * i01;
        if (!(det > 0)) break;
        double da = (i11 * u0 - i01 * u1) / det, db = (i00 * u1 - i01 * u0) / det;
        double na = a + da, nb = b + db, nll = probit_loglik(pts, na, nb);
        for (int half = 0; half < 40 && nll < ll - 1e-12; ++half) {
            da /= 2;
            db /= 2;
            na = a + da;
            nb = b + db;
            nll = probit_loglik(pts, na, nb);
        }
        const double change = std::abs(nll - ll);
        a = na;
        b = nb;
        ll = nll;
        if (change < 1e-11 * (1 + std::abs(ll)) && std::abs(da) < 1e-9 * (1 + std::abs(a)) &&
            std::abs(db) < 1e-9 * (1 + std::abs(b))) {
            converged = true;
            break;
        }
    }
    if (!converged) {
        fit.note = "probit fit did not converge";
        return fit;
    }
    // Information at the estimate.
    i00 = i01 = i11 = 0;
    for (const auto& p : pts) {
        const double eta = a + b * p.x;
        const double mu = std::clamp(normal_cdf(eta), 1e-15, 1 - 1e-15);
        const double phi = normal_pdf(eta);
        const double w = p.trials * phi * phi / (mu * (1 - mu));
        i00 += w;
        i01 += w * p.x;
        i11 += w * p.x * p.x;
    }
    const double det = i00 * i11 - i01 * i01;
    fit.intercept = a;
    fit.slope = b;
    if (det > 0) {
        fit.var_intercept = i11 / det;
        fit.var_slope = i00 / det;
        fit.cov = -i01 / det;
    }
    if (!(b > 0)) {
        fit.note = "detection does not increase with the fraction (slope <= 0)";
        return fit;
    }
    fit.estimable = true;
    const double q = normal_quantile(target);
    fit.x_target = (q - a) / b;
    // Delta method: gradient of (q - a)/b w.r.t. (a, b) is (-1/b, -x/b).
    const double ga = -1.0 / b, gb = -fit.x_target / b;
    const double var = ga * ga * fit.var_intercept + gb * gb * fit.var_slope + 2 * ga * gb * fit.cov;
    if (var >= 0) {
        const double half = 1.959963984540054 * std::sqrt(var);
        fit.x_low = fit.x_target - half;
        fit.x_high = fit.x_target + half;
    }
    return fit;
}

// ---------------------------------------------------------------------------------------------
// Matching.

std::string to_string(CallStatus s) {
    switch (s) {
        case CallStatus::kTruePositive:
            return "TP";
        case CallStatus::kFalseNegative:
            return "FN";
        case CallStatus::kFalsePositive:
            return "FP";
    }
    return "?";
}

namespace {

double effective_vaf(const ObservedVariant& v) {
    if (v.alt_reads >= 0 && v.depth > 0)
        return static_cast<double>(v.alt_reads) / static_cast<double>(v.depth);
    return v.vaf;
}

// Why a record does not count as a call ("" when it does).
std::string not_a_call_reason(const ObservedVariant& v, const ValidationOptions& options) {
    if (!v.has_evidence()) return "no supporting read";
    if (options.pass_only && !(v.filter == "PASS" || v.filter == "." || v.filter.empty()))
        return "FILTER " + v.filter;
    const double vaf = effective_vaf(v);
    if (options.min_vaf > 0 && !(vaf >= options.min_vaf)) return "VAF " + short_number(vaf) + " < --min-vaf";
    return "";
}

std::string display_name(const ObservedVariant& v) {
    if (!v.protein.empty()) return v.protein;
    if (!v.hgvs_c.empty()) return v.hgvs_c;
    return v.chrom + ":" + std::to_string(v.pos1) + ":" + v.ref + ":" + v.alt;
}

std::vector<const CallRow*> pointers(const std::vector<CallRow>& rows) {
    std::vector<const CallRow*> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(&r);
    return out;
}

template <typename Pred>
std::vector<const CallRow*> select_rows(const std::vector<const CallRow*>& rows, Pred pred) {
    std::vector<const CallRow*> out;
    for (const CallRow* r : rows)
        if (pred(*r)) out.push_back(r);
    return out;
}

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

ValidationResult validate(const TruthSet& truth,
                          const ObservedSet& observed,
                          const ValidationOptions& options,
                          Diagnostics& diag) {
    ValidationResult result;
    result.detection_rate = options.detection_rate;
    // Runs to score: explicit truth samples (truth order), then every observed sample when the
    // truth has rows for "*".
    bool any_star = false;
    for (const auto& e : truth.entries) {
        if (e.sample == "*") {
            any_star = true;
        } else if (std::find(result.samples.begin(), result.samples.end(), e.sample) ==
                   result.samples.end()) {
            result.samples.push_back(e.sample);
        }
    }
    auto observed_has = [&](const std::string& s) {
        return std::find(observed.samples.begin(), observed.samples.end(), s) != observed.samples.end();
    };
    bool any_found = false;
    for (const auto& s : result.samples) any_found = any_found || observed_has(s);
    if (!any_star && !any_found) {
        const int line = truth.entries.empty() ? 0 : truth.entries.front().line;
        throw InputError(
            at(truth.path, line),
            "no truth sample is in OBSERVED (truth: " + join(result.samples, ", ") +
                "; observed: " + (observed.samples.empty() ? "none" : join(observed.samples, ", ")) + ")",
            "sample names must equal the VCF sample column, the BAM read-group SM or the sample "
            "column of the kitrx table; '*' matches every sample");
    }
    for (const auto& s : result.samples)
        if (!observed_has(s))
            diag.warn("truth_sample_missing",
                      truth.path + ": truth sample '" + s +
                          "' is not in OBSERVED; its variants count as false negatives");
    if (any_star)
        for (const auto& s : observed.samples)
            if (std::find(result.samples.begin(), result.samples.end(), s) == result.samples.end())
                result.samples.push_back(s);
    for (const auto& s : observed.samples)
        if (std::find(result.samples.begin(), result.samples.end(), s) == result.samples.end())
            diag.warn("unscored_sample", "observed sample '" + s + "' is not in the truth table; not scored");

    std::map<std::string, std::vector<const ObservedVariant*>> by_sample;
    for (const auto& v : observed.variants) by_sample[v.sample].push_back(&v);
    for (const auto& v : observed.variants)
        if (std::find(result.samples.begin(), result.samples.end(), v.sample) == result.samples.end())
            ++result.ignored_calls;

    std::vector<CallRow> fps;
    for (const auto& sample : result.samples) {
        // The run's level/replicate and its truth rows (explicit rows beat "*" rows of the same key).
        double level = kNaN;
        std::string replicate;
        bool have_run_info = false;
        std::vector<const TruthEntry*> rows;
        std::set<std::string> explicit_keys;
        for (const auto& e : truth.entries)
            if (e.sample == sample) {
                if (!have_run_info) level = e.level, replicate = e.replicate, have_run_info = true;
                if (e.key) {
                    rows.push_back(&e);
                    explicit_keys.insert(e.key->str());
                }
            }
        for (const auto& e : truth.entries)
            if (e.sample == "*") {
                if (!have_run_info && !std::isnan(e.level)) level = e.level, have_run_info = true;
                if (e.key && !explicit_keys.count(e.key->str())) rows.push_back(&e);
            }
        std::sort(rows.begin(), rows.end(),
                  [](const TruthEntry* a, const TruthEntry* b) { return a->line < b->line; });

        const auto& calls = by_sample[sample];
        std::vector<std::vector<VariantKey>> call_keys;
        for (const auto* c : calls) call_keys.push_back(c->keys());
        std::vector<bool> used(calls.size(), false);
        for (const TruthEntry* e : rows) {
            CallRow row;
            row.sample = sample;
            row.level = level;
            row.replicate = replicate;
            row.gene = e->gene;
            row.variant = e->variant;
            row.key = e->key->str();
            row.expected_vaf = e->expected_vaf;
            row.truth_line = e->line;
            const ObservedVariant* best = nullptr;
            const ObservedVariant* rejected = nullptr;
            for (std::size_t i = 0; i < calls.size(); ++i) {
                if (std::find(call_keys[i].begin(), call_keys[i].end(), *e->key) == call_keys[i].end())
                    continue;
                used[i] = true;
                if (!not_a_call_reason(*calls[i], options).empty()) {
                    if (!rejected) rejected = calls[i];
                    continue;
                }
                if (!best || effective_vaf(*calls[i]) > effective_vaf(*best)) best = calls[i];
            }
            if (best) {
                row.status = CallStatus::kTruePositive;
                row.observed_vaf = effective_vaf(*best);
                row.alt_reads = best->alt_reads;
                row.depth = best->depth;
                row.observed_name = display_name(*best);
                row.hgvs_c = best->hgvs_c;
                row.filter = best->filter;
                row.source = best->source;
                if (row.gene.empty()) row.gene = best->gene;
            } else {
                row.status = CallStatus::kFalseNegative;
                if (rejected) {
                    row.note = not_a_call_reason(*rejected, options);
                    row.depth = rejected->depth;
                    row.alt_reads = rejected->alt_reads;
                    row.filter = rejected->filter;
                    row.source = rejected->source;
                    row.observed_name = display_name(*rejected);
                }
            }
            result.calls.push_back(std::move(row));
        }
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const ObservedVariant& c = *calls[i];
            const bool scored_gene =
                options.genes.empty() ||
                std::find(options.genes.begin(), options.genes.end(), upper(c.gene)) != options.genes.end();
            if (used[i] || !scored_gene || !not_a_call_reason(c, options).empty()) {
                if (!used[i]) ++result.ignored_calls;
                continue;
            }
            CallRow row;
            row.sample = sample;
            row.level = level;
            row.replicate = replicate;
            row.gene = c.gene;
            row.variant = display_name(c);
            const auto keys = call_keys[i];
            row.key = keys.empty() ? row.variant : keys.front().str();
            row.status = CallStatus::kFalsePositive;
            row.observed_vaf = effective_vaf(c);
            row.alt_reads = c.alt_reads;
            row.depth = c.depth;
            row.observed_name = display_name(c);
            row.hgvs_c = c.hgvs_c;
            row.filter = c.filter;
            row.source = c.source;
            fps.push_back(std::move(row));
        }
    }
    for (auto& r : fps) result.calls.push_back(std::move(r));

    // Summaries.
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
    return result;
}

// ---------------------------------------------------------------------------------------------
// Acceptance.

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
    if (!genes.empty()) parts.push_back("genes " + join(genes, ","));
    if (!samples.empty()) parts.push_back("samples " + join(samples, ","));
    return parts.empty() ? "all" : join(parts, ", ");
}

namespace {

SourceLocation mark_of(const std::string& name, const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    return at(name, m.line + 1, m.column + 1);
}

void check_keys(const std::string& name,
                const YAML::Node& map,
                const std::string& where,
                const std::vector<std::string>& allowed) {
    if (!map.IsMap()) throw InputError(mark_of(name, map), where + ": expected a mapping");
    for (const auto& kv : map) {
        const std::string key = kv.first.as<std::string>();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            throw InputError(mark_of(name, kv.first), where + ": unknown key '" + key + "'",
                             "allowed keys: " + join(allowed, ", "));
    }
}

std::string scalar(const std::string& name, const YAML::Node& node, const std::string& where) {
    if (!node.IsScalar()) throw InputError(mark_of(name, node), where + ": expected a single value");
    return node.Scalar();
}

double number(const std::string& name, const YAML::Node& node, const std::string& where) {
    std::string text = trim(scalar(name, node, where));
    bool percent = false;
    if (!text.empty() && text.back() == '%') percent = true, text.pop_back();
    const auto v = parse_number(text);
    if (!v)
        throw InputError(mark_of(name, node), where + ": '" + node.Scalar() + "' is not a number",
                         "write 0.95 or 95%");
    return percent ? *v / 100.0 : *v;
}

std::vector<std::string> string_list(const std::string& name,
                                     const YAML::Node& node,
                                     const std::string& where) {
    std::vector<std::string> out;
    if (node.IsScalar()) return {trim(node.Scalar())};
    if (!node.IsSequence()) throw InputError(mark_of(name, node), where + ": expected a list");
    for (std::size_t i = 0; i < node.size(); ++i)
        out.push_back(trim(scalar(name, node[i], where + "[" + std::to_string(i) + "]")));
    return out;
}

}  // namespace

AcceptanceCriteria parse_acceptance(const std::string& text, const std::string& name) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw InputError(at(name, e.mark.line + 1, e.mark.column + 1), "YAML syntax error: " + e.msg);
    }
    AcceptanceCriteria ac;
    ac.source = name;
    if (!root || root.IsNull())
        throw InputError(at(name, 1, 1), "empty acceptance file", "expected 'criteria:'");
    check_keys(name, root, "acceptance", {"name", "version", "description", "criteria"});
    if (root["name"]) ac.name = scalar(name, root["name"], "name");
    if (root["version"]) ac.version = scalar(name, root["version"], "version");
    const YAML::Node list = root["criteria"];
    if (!list) throw InputError(mark_of(name, root), "acceptance: missing 'criteria'", "a list of criteria");
    if (!list.IsSequence()) throw InputError(mark_of(name, list), "criteria: expected a list");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        const std::string where = "criteria[" + std::to_string(i) + "]";
        check_keys(name, node, where, {"id", "description", "metric", "min", "max", "max_abs", "where"});
        Criterion c;
        const YAML::Mark m = node.Mark();
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
        if (const YAML::Node w = node["where"]) {
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
