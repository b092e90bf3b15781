// SPDX-License-Identifier: MIT
// bam_counts: a BAM/CRAM file (or "-") -> fragment counts over the target exons, and the TSV
// writers of `kitrx count` (io module; the engine is read_counter.hpp, the statistics
// allele_calling.hpp). `kitrx annotate` reaches the same code through open_source().
// Output positions are 1-based (TSV edge); everything inside is 0-based.
#pragma once

#include <memory>
#include <ostream>
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

// Metadata lines ("##key=value") describing the run, shared by the TSV writers.
[[nodiscard]] std::vector<std::string> count_provenance(const BamCountResult& result,
                                                        const CountOptions& options);

// Per-position counts, one row per target position (see docs/count_format.md for the columns).
// `header` lines are written first, each prefixed with "##".
void write_count_tsv(std::ostream& out, const BamCountResult& result, const std::vector<std::string>& header);

// Every non-reference allele with its statistics (called or not).
void write_allele_tsv(std::ostream& out,
                      const BamCountResult& result,
                      const std::vector<AlleleCall>& calls,
                      const std::vector<std::string>& header);

// Hotspot status rows (detected / not detected with depth and limit of detection).
void write_hotspot_tsv(std::ostream& out,
                       const std::vector<HotspotStatus>& hotspots,
                       const std::vector<std::string>& header);

}  // namespace kitrx
