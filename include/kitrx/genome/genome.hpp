// SPDX-License-Identifier: MIT
// genome: builds, contig naming, the pinned KIT/PDGFRA transcript models and the shipped
// reference sequence (resources/genome/, compiled in). First stage after input: everything that
// turns a genomic position into exon / c. / codon lives here or in hgvs.hpp.
// Positions: 0-based, half-open intervals [begin, end) unless a name says `pos1` / `_c`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kitrx {

enum class Build { kGRCh37, kGRCh38 };

[[nodiscard]] std::string to_string(Build build);  // "GRCh37" / "GRCh38"
// Accepts GRCh37/hg19/b37/37 and GRCh38/hg38/38 (case-insensitive); nullopt otherwise.
[[nodiscard]] std::optional<Build> parse_build(std::string_view text);

// Length of chromosome 4 in each build, used to tell builds apart from ##contig lines.
inline constexpr std::int64_t kChr4LengthGRCh37 = 191154276;
inline constexpr std::int64_t kChr4LengthGRCh38 = 190214555;

// True for "chr4", "4", "CHR4", "NC_000004.11", "NC_000004.12".
[[nodiscard]] bool is_chr4_name(std::string_view contig);

struct Exon {
    int number = 0;              // exon number of the full transcript (KIT 1-21, PDGFRA 2-23)
    std::int64_t begin = 0;      // 0-based genomic start of the exon (incl. UTR)
    std::int64_t end = 0;        // 0-based exclusive end
    std::int64_t cds_begin = 0;  // 0-based genomic start of the coding part
    std::int64_t cds_end = 0;    // 0-based exclusive end of the coding part
    int cds_start_c = 0;         // c. number of the first coding base (1-based)
    int cds_end_c = 0;           // c. number of the last coding base (1-based, inclusive)
};

struct Transcript {
    std::string gene;       // "KIT" / "PDGFRA"
    std::string accession;  // "NM_000222.3"
    std::string ensembl;    // "ENST00000288135"
    Build build = Build::kGRCh38;
    char strand = '+';
    std::vector<Exon> exons;  // coding exons, 5' to 3'
    std::string cds;          // c.1 .. last base of the stop codon
    std::string protein;      // one-letter, without the stop

    [[nodiscard]] const Exon* exon(int number) const;
    // Coding exon containing the 0-based genomic position, or nullptr.
    [[nodiscard]] const Exon* exon_at(std::int64_t pos0) const;
};

// Domain label for an exon, e.g. KIT 11 -> "juxtamembrane"; "" for exons without a label.
[[nodiscard]] std::string domain_of(std::string_view gene, int exon);

// A region the tool looks at: one exon's coding bases plus its splice region.
struct TargetRegion {
    std::string gene;
    int exon = 0;
    std::int64_t begin = 0;  // 0-based, includes the intronic splice-region flank
    std::int64_t end = 0;    // 0-based exclusive
};

// Intronic bases on each side of a coding exon that count as its splice region (VEP/Ensembl:
// 3-8 bases into the intron).
inline constexpr int kSpliceRegionIntronic = 8;

// Reference bases of the shipped windows (not the whole chromosome).
class ReferenceSequence {
public:
    struct Segment {
        std::int64_t begin = 0;  // 0-based start on chr4
        std::string bases;       // upper case
    };
    ReferenceSequence() = default;
    explicit ReferenceSequence(std::vector<Segment> segments);

    // True when [begin, end) lies inside one shipped window.
    [[nodiscard]] bool covers(std::int64_t begin, std::int64_t end) const;
    // Bases of [begin, end); throws std::out_of_range when not covered.
    [[nodiscard]] std::string_view fetch(std::int64_t begin, std::int64_t end) const;
    [[nodiscard]] const std::vector<Segment>& segments() const { return segments_; }

private:
    std::vector<Segment> segments_;  // sorted, non-overlapping
};

// Transcripts + reference for one build, parsed once from the embedded resources.
class GenomeModel {
public:
    // The shipped model for `build` (parsed on first use, then cached; thread-safe).
    [[nodiscard]] static const GenomeModel& builtin(Build build);

    [[nodiscard]] Build build() const { return build_; }
    [[nodiscard]] const ReferenceSequence& reference() const { return reference_; }
    // "KIT" or "PDGFRA"; throws std::invalid_argument for other genes.
    [[nodiscard]] const Transcript& transcript(std::string_view gene) const;
    [[nodiscard]] const std::vector<Transcript>& transcripts() const { return transcripts_; }

    // Target regions for the given genes and exon numbers. An empty `exons` means the default
    // hotspot exons (KIT 9, 11, 13, 14, 17, 18; PDGFRA 12, 14, 18). Sorted by position.
    [[nodiscard]] std::vector<TargetRegion> targets(const std::vector<std::string>& genes,
                                                    const std::vector<int>& exons = {}) const;

    GenomeModel(Build build, std::vector<Transcript> transcripts, ReferenceSequence reference);

private:
    Build build_;
    std::vector<Transcript> transcripts_;
    ReferenceSequence reference_;
};

// Default target exons per gene.
[[nodiscard]] std::vector<int> default_exons(std::string_view gene);

}  // namespace kitrx
