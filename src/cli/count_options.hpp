// SPDX-License-Identifier: MIT
// Command-line options of BAM/CRAM counting (read filters, calling thresholds, CRAM reference),
// shared by `kitrx count` and any subcommand that accepts BAM/CRAM input (`kitrx annotate`).
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "kitrx/source.hpp"

namespace kitrx::cli {

// Adds --min-mapq, --min-baseq, --keep-*, --count-reads, --background-error, --noise-table,
// --alpha, --min-alt-reads, --min-vaf bound to `count` (defaults from CountOptions).
void add_count_options(boost::program_options::options_description& desc, CountOptions& count);

// Checks ranges after parsing; throws UsageError naming the option.
void check_count_options(const CountOptions& count);

// Splits comma-separated values given once or repeated ("KIT,PDGFRA" or --genes KIT --genes PDGFRA).
std::vector<std::string> split_list(const std::vector<std::string>& values);

}  // namespace kitrx::cli
