// SPDX-License-Identifier: MIT
// Protein-change grammar: written changes in, one canonical short spelling out, so that exact
// matching does not depend on how a person or a tool spelled the change.
#include "kitrx/genome/protein_change.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace kitrx {

namespace {

constexpr std::array<std::pair<const char*, char>, 24> kThreeLetter{{
    {"Ala", 'A'}, {"Arg", 'R'}, {"Asn", 'N'}, {"Asp", 'D'}, {"Cys", 'C'}, {"Gln", 'Q'},
    {"Glu", 'E'}, {"Gly", 'G'}, {"His", 'H'}, {"Ile", 'I'}, {"Leu", 'L'}, {"Lys", 'K'},
    {"Met", 'M'}, {"Phe", 'F'}, {"Pro", 'P'}, {"Ser", 'S'}, {"Thr", 'T'}, {"Trp", 'W'},
    {"Tyr", 'Y'}, {"Val", 'V'}, {"Ter", '*'}, {"Sec", 'U'}, {"Pyl", 'O'}, {"Xaa", 'X'},
}};

using Kind = ParsedProteinChange::Kind;

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

}  // namespace

std::string three_letter(char aa) {
    for (const auto& [three, one] : kThreeLetter)
        if (one == aa) return three;
    return "Xaa";
}

char one_letter(std::string_view three) {
    for (const auto& [name, one] : kThreeLetter)
        if (three == name) return one;
    return 0;
}

std::string to_one_letter(std::string_view text) {
    std::string t;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) t += c;
    if (t.rfind("p.", 0) == 0) t.erase(0, 2);
    if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < t.size();) {
        const char one = i + 3 <= t.size() && std::isupper(static_cast<unsigned char>(t[i]))
                             ? one_letter(std::string_view(t).substr(i, 3))
                             : 0;
        if (one) {
            out += one;
            i += 3;
        } else {
            out += t[i++];
        }
    }
    return out;
}

std::optional<ParsedProteinChange> parse_protein_change(std::string_view text) {
    const std::string s = to_one_letter(text);
    ParsedProteinChange pc;
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
        pc.kind = Kind::kSynonymous;
    } else if (rest == "?" && single) {
        pc.kind = Kind::kStartUnknown;
    } else if (rest == "del") {
        pc.kind = Kind::kDeletion;
    } else if (rest == "dup") {
        pc.kind = Kind::kDuplication;
    } else if (rest.rfind("delins", 0) == 0) {
        pc.kind = Kind::kDelins;
        if (!read_sequence(rest, 6, pc.alt)) return std::nullopt;
    } else if (rest.rfind("ins", 0) == 0) {
        if (single || pc.residues[1].second != pc.residues[0].second + 1) return std::nullopt;
        pc.kind = Kind::kInsertion;
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
        pc.kind = Kind::kFrameshift;
    } else if (single && rest.size() == 1 && is_amino_acid(rest[0])) {
        pc.kind = Kind::kSubstitution;
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
        case Kind::kSubstitution:
            c += pc.alt;
            break;
        case Kind::kSynonymous:
            c += '=';
            break;
        case Kind::kStartUnknown:
            c += '?';
            break;
        case Kind::kDeletion:
            c += "del";
            break;
        case Kind::kDuplication:
            c += "dup";
            break;
        case Kind::kInsertion:
            c += "ins" + pc.alt;
            break;
        case Kind::kDelins:
            c += "delins" + pc.alt;
            break;
        case Kind::kFrameshift:
            c += pc.alt + "fs";
            break;
    }
    pc.canonical = c;
    return pc;
}

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

std::string canonical_protein_change(std::string_view text) {
    const auto pc = parse_protein_change(text);
    return pc ? pc->canonical : std::string();
}

}  // namespace kitrx
