// SPDX-License-Identifier: MIT
// protein_change (genome): the grammar of written protein changes, so that a change typed by a
// person (a panel rule, a regimen's gate) and one named by VariantNamer compare equal however they
// were spelled ("p.(Asp816Val)", "D816V"). Holds the one amino-acid table of the library (the
// namer prints three-letter codes from it, the grammar reads them back).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kitrx {

// The three-letter code of a one-letter residue ('*' -> "Ter"); "Xaa" for anything unknown.
[[nodiscard]] std::string three_letter(char aa);
// The one-letter code of a three-letter one ("Ter" -> '*', "Xaa" -> 'X'); 0 when unknown.
[[nodiscard]] char one_letter(std::string_view three);

// One residue letter or the stop ('*').
[[nodiscard]] inline bool is_amino_acid(char c) {
    return (c >= 'A' && c <= 'Z') || c == '*';
}

// Strips "p.", one pair of parentheses and blanks; converts three-letter codes to one letter
// ("p.(Trp557LeufsTer5)" -> "W557Lfs*5").
[[nodiscard]] std::string to_one_letter(std::string_view text);

// A protein change as read by parse_protein_change().
struct ParsedProteinChange {
    enum class Kind {
        kSubstitution,
        kSynonymous,
        kDeletion,
        kDuplication,
        kInsertion,
        kDelins,
        kFrameshift,
        kStartUnknown
    };
    Kind kind = Kind::kSubstitution;
    std::vector<std::pair<char, int>> residues;  // reference residue and 1-based position, 1 or 2
    std::string alt;                             // substituted / inserted residues
    std::string canonical;                       // as canonical_protein_change() gives it
};

// Reads D816V, W557_K558del, A502_Y503dup, Y503_F504insAY, K558delinsN, W557Lfs*5, D816=, M1?
// (one- or three-letter, with or without "p." and parentheses; X = stop); nullopt otherwise.
[[nodiscard]] std::optional<ParsedProteinChange> parse_protein_change(std::string_view text);

// Canonical short protein change used for exact matching: strips "p." and "(...)", turns
// three-letter codes into one-letter ones and Ter/X (stop) into '*', drops the length of a
// frameshift ("p.Trp557LeufsTer5" -> "W557Lfs"). "" when `text` is not a protein change.
[[nodiscard]] std::string canonical_protein_change(std::string_view text);

// "816", "D816", "Asp816" -> (reference residue or 0, position).
[[nodiscard]] std::optional<std::pair<char, int>> parse_codon_token(std::string_view text);

}  // namespace kitrx
