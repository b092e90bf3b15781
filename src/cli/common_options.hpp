// SPDX-License-Identifier: MIT
// Options shared by the subcommands that read an input (annotate, report, count, validate).
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "kitrx/common/errors.hpp"
#include "kitrx/io/source.hpp"

namespace kitrx::cli {

namespace po = boost::program_options;

// Raw option values as typed; converted and checked by to_source_options().
struct InputOptionValues {
    std::string build;
    std::string genes = "KIT";
    std::string exons;
    std::string samples;
    std::string reference;
    int threads = 0;
    bool strict = false;
    std::string input_format = "auto";
    CountOptions count;
};

void add_input_options(po::options_description& desc, InputOptionValues& values);
void add_count_options(po::options_description& desc, CountOptions& values);

// Throws UsageError on bad values (unknown build, gene, exon not in the gene).
[[nodiscard]] SourceOptions to_source_options(const std::string& path, const InputOptionValues& values);

// Parses args with one positional argument list; throws UsageError for unknown/missing options.
// Returns false when --help was given (help already printed to stdout).
bool parse_command_line(const std::vector<std::string>& args,
                        const po::options_description& visible,
                        const po::positional_options_description& positional,
                        po::variables_map& vm,
                        const std::string& usage_line);

// "kitrx annotate a.vcf -o x" for provenance lines.
[[nodiscard]] std::string command_line(const std::string& command, const std::vector<std::string>& args);

[[nodiscard]] std::vector<std::string> split_list(const std::string& text, char sep = ',');

}  // namespace kitrx::cli
