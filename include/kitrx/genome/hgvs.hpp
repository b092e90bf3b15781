// SPDX-License-Identifier: MIT
// hgvs: names a genomic change on the pinned transcript: exon, codon, HGVS c. and p. (3-letter
// and short one-letter form), consequence class and domain. Input indels are first normalised
// against the shipped reference (left-trim, then 3'-shift along the transcript, HGVS rule).
// Positions in: 0-based genomic (VCF POS - 1). Positions out: HGVS 1-based c. numbering.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kitrx/genome/genome.hpp"

namespace kitrx {

// Sequence Ontology-style consequence classes used in outputs and panel rules.
enum class Consequence {
    kMissense,
    kSynonymous,
    kNonsense,  // stop gained
    kStopLost,
    kStartLost,
    kInframeDeletion,
    kInframeInsertion,  // includes duplications
    kInframeDelins,     // in-frame deletion-insertion / MNV changing >1 amino acid
    kFrameshift,
    kSpliceSite,    // intronic +1/+2/-1/-2
    kSpliceRegion,  // other intronic bases of the splice region
    kIntronic,
    kOther
};
[[nodiscard]] std::string to_string(Consequence c);  // "missense_variant", ...

struct VariantName {
    std::string gene;        // "KIT"
    std::string transcript;  // "NM_000222.3"
    int exon = 0;            // exon the change affects; for splice site/region changes the exon
                             // whose boundary they are at; 0 deeper in an intron
    int intron = 0;          // intron number when intronic (intron k follows exon k)
    int codon_begin = 0;     // first affected codon (1-based), 0 when none; the residues the
    int codon_end = 0;       // p. name spans (last, inclusive; ins: both flanking residues)
    std::string hgvs_c;      // "c.2447A>T", "c.1679_1681del", "c.1648-2A>G"
    std::string hgvs_p;      // "p.Asp816Val", "p.Val560del", "p.?" for splice, "p.(=)"
    std::string protein;     // short one-letter form without "p.": "D816V", "V560del"
    Consequence consequence = Consequence::kOther;
    std::string domain;  // "activation loop", ...
    bool is_indel = false;
    // Normalised genomic representation (VCF style, left-anchored, after the 3' shift the
    // anchor precedes the shifted event): what the name was computed from.
    std::int64_t norm_pos0 = -1;
    std::string norm_ref;
    std::string norm_alt;
};

class VariantNamer {
public:
    explicit VariantNamer(const GenomeModel& model) : model_(model) {}

    // Names the change REF>ALT at 0-based `pos0` against the transcript of `gene`.
    // Throws InputError-free std::invalid_argument when REF/ALT are empty or contain non-ACGT
    // bases, REF equals ALT, the change is outside the shipped reference windows or more than
    // 50 kb from the gene, or the gene is unknown; callers wrap it with file/record context.
    // REF is not checked here (the reference bases are used); see check_ref().
    // Naming rules (3' shifting, splice boundaries, protein comparison): src/lib/hgvs.cpp.
    [[nodiscard]] VariantName name(std::string_view gene,
                                   std::int64_t pos0,
                                   const std::string& ref,
                                   const std::string& alt) const;

    // Gene whose target regions (any exon, with splice flanks) overlap the change; "" if none.
    [[nodiscard]] std::string gene_at(std::int64_t pos0, std::size_t ref_length) const;

    // Empty string when REF matches the shipped reference at pos0 (case-insensitive), else the
    // reference bases. Throws std::invalid_argument when REF lies outside the shipped windows.
    [[nodiscard]] std::string check_ref(std::int64_t pos0, const std::string& ref) const;

private:
    const GenomeModel& model_;
};

// Merges two observations of one sample that a caller split from one event into a single
// REF/ALT (filling the reference between them). The alleles may come in either order. Returns
// false when they cannot be combined: REF alleles overlap, a REF differs from the reference, an
// allele is not plain ACGT, or the span leaves the shipped windows. Whether two records are in
// cis (read support, similar VAF) is the caller's decision; this only builds the allele.
struct MergedAllele {
    std::int64_t pos0 = -1;
    std::string ref;
    std::string alt;
};
[[nodiscard]] bool merge_alleles(const ReferenceSequence& reference,
                                 std::int64_t pos0_a,
                                 const std::string& ref_a,
                                 const std::string& alt_a,
                                 std::int64_t pos0_b,
                                 const std::string& ref_b,
                                 const std::string& alt_b,
                                 MergedAllele& out);

}  // namespace kitrx
