// SPDX-License-Identifier: MIT
// Options shared by the subcommands: the input and counting options (annotate, report, count,
// validate), the merge and verbosity options, and the one parser every command goes through.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "kitrx/run/run.hpp"

namespace kitrx::cli {

namespace po = boost::program_options;

void add_input_options(po::options_description& desc, InputConfig& values);
void add_count_options(po::options_description& desc, CountOptions& values);
// --merge-cis (with its command's help text), --merge-distance, --merge-vaf-ratio, --pass-only.
void add_merge_options(po::options_description& desc, AnnotateOptions& values, const char* merge_cis_help);
// -v/--verbose and --quiet, applied to `diag` by apply_verbosity() after parsing.
struct Verbosity {
    bool verbose = false;
    bool quiet = false;
};
void add_verbosity_options(po::options_description& desc, Verbosity& values);
void apply_verbosity(const Verbosity& values, Diagnostics& diag);

// Parses args with one positional argument list; throws UsageError for unknown/missing options.
// Returns false when --help was given (help already printed to stdout).
bool parse_command_line(const std::vector<std::string>& args,
                        const po::options_description& visible,
                        const po::positional_options_description& positional,
                        po::variables_map& vm,
                        const std::string& usage_line);

// The input and counting options, then the positional `name` (at most max_count of them, -1 =
// any number) stored by `value`, then parse_command_line().
struct Positional {
    const char* name;
    po::value_semantic* value;
    const char* help;
    int max_count;
};
bool parse_input_command(const std::vector<std::string>& args,
                         po::options_description& desc,
                         InputConfig& input,
                         const Positional& positional,
                         po::variables_map& vm,
                         const std::string& usage_line);

// "kitrx annotate a.vcf -o x" for provenance lines.
[[nodiscard]] std::string command_line(const std::string& command, const std::vector<std::string>& args);

}  // namespace kitrx::cli
