// SPDX-License-Identifier: MIT
// count_tables: the TSV outputs of `kitrx count` (per-position counts, allele statistics, hotspot
// status) and their "##key=value" header lines. Writers belong with the other outputs, not in io.
// Positions are 1-based here (TSV edge); everything they are given is 0-based.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "kitrx/io/allele_calling.hpp"
#include "kitrx/io/bam_counts.hpp"
#include "kitrx/io/source.hpp"

namespace kitrx {

// Metadata lines ("key=value", without the "##") describing the run, shared by the TSV writers.
[[nodiscard]] std::vector<std::string> count_provenance(const BamCountResult& result,
                                                        const CountOptions& options);

// The "calling=..." line the allele and hotspot tables add: thresholds of the background test.
[[nodiscard]] std::string calling_provenance(const CountOptions& options);

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
