// SPDX-License-Identifier: MIT
// bam_counts: a BAM/CRAM file (or "-") -> fragment counts over the target exons, and from them
// the allele calls and hotspot status (io module; the engine is read_counter.hpp, the statistics
// allele_calling.hpp). `kitrx annotate` reaches the same code through open_source(); the TSV
// writers of `kitrx count` are in report/count_tables.hpp. Everything here is 0-based.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kitrx/io/allele_calling.hpp"
#include "kitrx/io/read_counter.hpp"
#include "kitrx/io/source.hpp"

namespace kitrx {

struct BamCountResult {
    SourceInfo info;     // format, build (+ evidence), contig, targets, index use, read tallies
    std::string sample;  // read-group SM (several joined by ','), else the file stem
    CountTable table;
    CountStats stats;
};

// A BAM/CRAM opened for counting: the constructor reads the header and resolves build, contig,
// targets and sample (so problems surface before any read is decoded); count() reads.
class BamCounting {
public:
    // Same errors as count_bam() below, except read-level ones.
    BamCounting(const SourceOptions& options, Diagnostics& diag);
    ~BamCounting();
    BamCounting(const BamCounting&) = delete;
    BamCounting& operator=(const BamCounting&) = delete;
    [[nodiscard]] const SourceInfo& info() const;
    [[nodiscard]] const std::string& sample() const;
    // Reads and counts; call once. Throws InputError on unsorted or corrupt records.
    [[nodiscard]] BamCountResult count();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Opens options.path (BAM, CRAM, SAM or "-"; format from content), resolves the build (@SQ
// chr4 length, then @SQ AS/UR; --build overrides) and the targets, and counts. Uses the index
// when one is found next to the file (only the target regions are read), else streams.
// CRAM needs options.reference_fasta; kitrx never fetches a reference from the network.
// Throws IoError (unreadable), InputError (not BAM/CRAM, unsorted, no chr4, unknown build,
// corrupt record: `file: CHROM:POS: what; hint`), UsageError (unknown gene / no targets).
[[nodiscard]] BamCountResult count_bam(const SourceOptions& options, Diagnostics& diag);

// The background error model of options: --noise-table (read now, checked against the
// reference of `build`) or the global --background-error rate.
[[nodiscard]] BackgroundModel load_background(const CountOptions& options, Build build, Diagnostics& diag);

// Counted fragments -> calls: every non-reference allele judged against the background, and the
// hotspots of options.genes inside the counted regions. The one route from counts to calls, taken
// by the observation source (annotate, report, validate) and by `kitrx count`.
struct BamCalls {
    std::vector<AlleleCall> alleles;      // called or not, in position order
    std::vector<HotspotStatus> hotspots;  // sample = counts.sample
};
[[nodiscard]] BamCalls call_bam(const BamCountResult& counts,
                                const BackgroundModel& background,
                                const SourceOptions& options);

}  // namespace kitrx
