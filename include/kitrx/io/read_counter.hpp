// SPDX-License-Identifier: MIT
// read_counter: allele counting from aligned reads over the target exons (io module, BAM/CRAM
// side). Reads go in (ReadView, coordinate order), a CountTable comes out: per position the
// fragments showing A/C/G/T/N or a deletion, per strand, and every non-reference allele seen
// (SNV, MNV, insertion, deletion, delins) with its fragment count, per strand. No files here:
// bam_source.cpp feeds it from htslib, tests feed it hand-made reads.
// Positions are 0-based; alleles are VCF-style (REF/ALT, indels anchored at the preceding base).
//
// Counting rules (the contract; docs/count_format.md repeats them for users):
//  * Read filters (CountOptions, source.hpp): unmapped reads and reads without CIGAR are never
//    counted; secondary, supplementary, duplicate and QC-fail reads are skipped unless kept;
//    reads with MAPQ < min_mapq are skipped. No depth cap.
//  * A base counts when its quality >= min_baseq (missing qualities, 0xff, count as passing).
//    A deleted reference position (mpileup's '*') gets the lower quality of the two read bases
//    flanking the deletion.
//  * Fragment counting (default): the two primary mates of a pair that overlap on the reference
//    are one fragment and count once at each position they share. When mates disagree at a
//    position the base with the higher quality is counted; equal qualities count as N (the
//    fragment stays in the depth but supports neither allele). A base that fails min_baseq in
//    one mate is replaced by the other mate's base. Secondary/supplementary alignments (when
//    kept) always count as their own fragment.
//  * Strand of a fragment observation: the strand of the read whose base was counted; when both
//    mates agree, the strand of read 1 (flag 0x40), i.e. the fragment's orientation.
//  * Depth at a position = fragments counted there (A+C+G+T+N+deleted).
//  * Alleles: differences from the reference in one read (a base >= min_baseq that is not the
//    reference base and not N, a deletion, an insertion) separated by at most `merge_gap`
//    matching bases form one allele (so adjacent SNVs are one MNV, a deletion next to a mismatch
//    is one delins). Alleles are normalised (common prefix/suffix trimmed, pure indels shifted
//    left along the reference), so an indel placed differently by the aligner in a repeat is one
//    allele. An allele's quality is the lowest quality among its read bases (for indels including
//    the aligned bases on both sides); alleles below min_baseq are not counted. In an overlapping
//    pair an allele seen in both mates counts once; seen in one mate only (and covered by the
//    other) it counts when its quality is higher than the other mate's lowest quality over the
//    allele's span.
//  * An allele's depth is the depth at its first REF base (the anchor for indels), as in
//    mpileup and VCF.
//
// Memory: counts take O(target length); mates are held only while the mate can still overlap
// (the read's mate starts inside the read's own span and has not arrived yet). Such reads are
// released as soon as the mate arrives or the input passes the mate's start, so at most the
// reads starting within one read length of the current position are buffered: O(depth x read
// length / mean spacing), never O(file size).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/genome/genome.hpp"
#include "kitrx/io/source.hpp"

namespace kitrx {

// SAM FLAG bits (values as in the SAM specification).
inline constexpr std::uint16_t kFlagPaired = 0x1;
inline constexpr std::uint16_t kFlagUnmapped = 0x4;
inline constexpr std::uint16_t kFlagMateUnmapped = 0x8;
inline constexpr std::uint16_t kFlagReverse = 0x10;
inline constexpr std::uint16_t kFlagRead1 = 0x40;
inline constexpr std::uint16_t kFlagRead2 = 0x80;
inline constexpr std::uint16_t kFlagSecondary = 0x100;
inline constexpr std::uint16_t kFlagQcFail = 0x200;
inline constexpr std::uint16_t kFlagDuplicate = 0x400;
inline constexpr std::uint16_t kFlagSupplementary = 0x800;

// One aligned read, borrowed (nothing is copied unless the read must wait for its mate).
// Encodings are those of BAM, so htslib records map onto it without conversion.
struct ReadView {
    std::string_view name;   // QNAME; mates share it
    std::uint16_t flag = 0;  // SAM FLAG
    std::int64_t pos0 = -1;  // 0-based leftmost aligned reference position
    int mapq = 0;
    std::int64_t mate_pos0 = -1;  // 0-based mate position; -1 = unknown / other contig
    const std::uint32_t* cigar =
        nullptr;  // BAM CIGAR: length << 4 | op (M=0 I=1 D=2 N=3 S=4 H=5 P=6 ==7 X=8)
    std::size_t cigar_ops = 0;
    const std::uint8_t* seq = nullptr;  // BAM 4-bit bases ("=ACMGRSVTWYHKDBN"), 2 per byte, high nibble first
    const std::uint8_t* qual = nullptr;  // Phred per base; qual[0] == 0xff means absent
    std::int32_t length = 0;             // bases in seq/qual
};

// Slot of a base in PositionCounts.
enum BaseSlot : int { kSlotA = 0, kSlotC, kSlotG, kSlotT, kSlotN, kSlotDeleted, kSlotCount };

struct PositionCounts {
    std::array<std::uint32_t, kSlotCount> fwd{};  // fragments per slot, forward strand
    std::array<std::uint32_t, kSlotCount> rev{};  // reverse strand
    [[nodiscard]] std::uint32_t total(int slot) const { return fwd[slot] + rev[slot]; }
    [[nodiscard]] std::uint32_t depth() const;  // all slots, both strands
};

// A non-reference allele and the fragments that show it.
struct AlleleCount {
    std::int64_t pos0 = -1;  // 0-based position of REF's first base
    std::string ref;         // VCF REF (anchor base included for indels)
    std::string alt;         // VCF ALT
    std::uint32_t fwd = 0;   // fragments, forward strand
    std::uint32_t rev = 0;   // fragments, reverse strand
    [[nodiscard]] std::uint32_t total() const { return fwd + rev; }
    [[nodiscard]] bool is_snv() const { return ref.size() == 1 && alt.size() == 1; }
    // Pure insertion / deletion: one allele is the other's first base.
    [[nodiscard]] bool is_insertion() const { return ref.size() == 1 && alt.size() > 1 && alt[0] == ref[0]; }
    [[nodiscard]] bool is_deletion() const { return alt.size() == 1 && ref.size() > 1 && ref[0] == alt[0]; }
};

// Half-open interval [begin, end) on chr4, 0-based.
struct Interval {
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

// Read-level tallies, for the run summary.
struct CountStats {
    std::int64_t reads_seen = 0;          // reads given to add()
    std::int64_t unmapped = 0;            // unmapped or without CIGAR (never counted)
    std::int64_t reads_in_targets = 0;    // mapped reads overlapping the regions
    std::int64_t reads_counted = 0;       // ... that passed the filters below
    std::int64_t filtered_secondary = 0;  // filters: counted among reads_in_targets only
    std::int64_t filtered_supplementary = 0;
    std::int64_t filtered_duplicate = 0;
    std::int64_t filtered_qcfail = 0;
    std::int64_t filtered_mapq = 0;
    std::int64_t fragments = 0;           // fragments committed (pairs merged count once)
    std::int64_t overlapping_pairs = 0;   // pairs whose mates were merged
    std::int64_t mate_disagreements = 0;  // positions where overlapping mates showed different bases
    std::int64_t mate_ties_masked = 0;    // ... of which counted as N (equal qualities)
    std::int64_t max_pending_mates = 0;   // peak number of reads waiting for their mate
};

// Counts over a set of regions of one contig, with the reference bases of the shipped windows.
class CountTable {
public:
    CountTable() = default;
    CountTable(std::vector<Interval> regions, std::string reference_bases_by_region);

    // Merged, sorted regions counted.
    [[nodiscard]] const std::vector<Interval>& regions() const { return regions_; }
    // Counts at pos0, or nullptr outside the regions.
    [[nodiscard]] const PositionCounts* at(std::int64_t pos0) const;
    [[nodiscard]] PositionCounts* mutable_at(std::int64_t pos0);
    // Depth at pos0 (0 outside the regions).
    [[nodiscard]] std::uint32_t depth_at(std::int64_t pos0) const;
    // Reference base (upper case) at pos0 inside the regions, 'N' outside.
    [[nodiscard]] char reference_at(std::int64_t pos0) const;
    // Every non-reference allele seen, sorted by position, then REF, then ALT.
    [[nodiscard]] const std::vector<AlleleCount>& alleles() const { return alleles_; }
    void set_alleles(std::vector<AlleleCount> alleles) { alleles_ = std::move(alleles); }
    // Calls f(pos0, counts) for every position of every region, in order.
    void for_each_position(const std::function<void(std::int64_t, const PositionCounts&)>& f) const;

private:
    [[nodiscard]] std::int64_t index_of(std::int64_t pos0) const;  // -1 outside
    std::vector<Interval> regions_;
    std::vector<std::int64_t> offsets_;  // start of each region in counts_
    std::vector<PositionCounts> counts_;
    std::string reference_;  // bases of the regions, concatenated
    std::vector<AlleleCount> alleles_;
};

// Merges overlapping/adjacent intervals and sorts them.
[[nodiscard]] std::vector<Interval> merge_intervals(std::vector<Interval> intervals);
[[nodiscard]] std::vector<Interval> to_intervals(const std::vector<TargetRegion>& targets);

// Settings of the counting engine beyond CountOptions.
struct CounterSettings {
    CountOptions filters;  // read filters (min_mapq, min_baseq, keep_*, count_overlapping_mates_once)
    int merge_gap = 1;     // matching bases allowed inside one allele (0 = strictly adjacent)
};

// The counting engine. Usage:
//   ReadCounter counter(regions, GenomeModel::builtin(Build::kGRCh38).reference(), settings);
//   for (const ReadView& r : reads_in_coordinate_order) counter.add(r);
//   CountTable table = counter.finish();
class ReadCounter {
public:
    // `regions` on chr4 (merged here); `reference` must cover them and supplies the bases that
    // define "non-reference" (events outside the shipped windows are ignored).
    ReadCounter(std::vector<Interval> regions, const ReferenceSequence& reference, CounterSettings settings);
    ~ReadCounter();
    ReadCounter(const ReadCounter&) = delete;
    ReadCounter& operator=(const ReadCounter&) = delete;

    // Adds one read. Reads must come in non-decreasing pos0 order; throws std::invalid_argument
    // otherwise (the BAM source checks the order first and reports the record).
    void add(const ReadView& read);
    // Flushes reads still waiting for a mate and returns the table. Call once.
    [[nodiscard]] CountTable finish();
    [[nodiscard]] const CountStats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kitrx
