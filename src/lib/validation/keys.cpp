// SPDX-License-Identifier: MIT
// validation keys: how a truth row and an observed call are recognised as the same variant,
// whatever spelling each file uses (p. 3-letter or short, c., chrom:pos:ref:alt, RefSeq g.).
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "kitrx/genome/protein_change.hpp"
#include "kitrx/validation/validation.hpp"
#include "validation/validation_util.hpp"

namespace kitrx {

using namespace validation_detail;

namespace {

std::string remove_spaces(std::string_view s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

}  // namespace

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

// Three-letter residue -> one letter from the genome module's one table (0 when not a residue).
// "Xaa" (unknown residue) stays written out: as 'X' the key would read as a legacy stop below.
char amino_acid_code(std::string_view three) {
    return three == "Xaa" ? 0 : one_letter(three);
}

// Position just past a run of digits starting at i.
std::size_t skip_digits(const std::string& s, std::size_t i) {
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

std::string normalise_chrom(std::string_view chrom) {
    std::string c = trim_space(chrom);
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
    std::string gene = upper(trim_space(gene_in));
    std::string text = trim_space(text_in);
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

}  // namespace kitrx
