// SPDX-License-Identifier: MIT
// Observation: one ALT allele in one sample, as read from a VCF/BCF record or counted from reads.
// This is the value every input source produces and every later stage consumes. Positions are
// 0-based (`pos0`), as in htslib; REF/ALT are VCF-style (anchored indels allowed).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace kitrx {

inline constexpr double kUnknownFraction = std::numeric_limits<double>::quiet_NaN();

struct Observation {
    std::string sample;              // sample name (VCF column / BAM read group SM / "-" if none)
    std::string chrom;               // contig as spelled in the input ("chr4" or "4")
    std::int64_t pos0 = -1;          // 0-based position of the first REF base
    std::string ref;                 // upper-case ACGTN
    std::string alt;                 // upper-case ACGTN (symbolic alleles never reach here)
    std::int64_t alt_reads = -1;     // reads (or fragments) supporting ALT; -1 = unknown
    std::int64_t depth = -1;         // reads at the locus used as denominator; -1 = unknown
    double vaf = kUnknownFraction;   // alt fraction in [0,1]; NaN = unknown
    std::string af_source;           // fields used, e.g. "FORMAT/AD", "FORMAT/AF", "INFO/DP4"
    std::int64_t alt_fwd = -1;       // ALT reads on the forward strand; -1 = unknown
    std::int64_t alt_rev = -1;       // ALT reads on the reverse strand; -1 = unknown
    std::string filter = ".";        // FILTER column ("PASS", "weak_evidence;...", ".")
    std::string record_id;           // "CHROM:POS" of the input record (1-based), for messages
    std::int64_t record_index = -1;  // 0-based order of the record in the input, for stable sorting
    // The input's own HGVS (MAF HGVSc/HGVSp_Short, TSO500 C-Dot/P-Dot), kept verbatim beside
    // kitrx's name: "ENST00000288135:c.2447A>T p.D816V"; "" when the input names nothing.
    std::string source_hgvs;

    [[nodiscard]] bool has_counts() const { return alt_reads >= 0 && depth > 0; }
    [[nodiscard]] bool has_vaf() const { return !std::isnan(vaf); }
};

}  // namespace kitrx
