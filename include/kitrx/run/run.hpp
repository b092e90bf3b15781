// SPDX-License-Identifier: MIT
// run: one function per subcommand, from a Config (everything the command-line options decide) to
// the command's outputs, so that each command can be run and tested without a process. src/cli
// only maps Boost.ProgramOptions values to a Config and exceptions to exit codes.
// Every run_<command>() checks its Config in the order the options were always checked (usage
// errors before any file is read, every file read before the first output byte), throws
// UsageError / InputError / IoError / BrokenPipe, and returns the exit code of a finished run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kitrx/common/errors.hpp"
#include "kitrx/io/source.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/validation/validation.hpp"

namespace kitrx {

// --- Input options shared by annotate, report, count, validate and targets ---------------------

// The input options as typed; checked and converted by to_source_options().
struct InputConfig {
    std::string build;                  // --build; "" = detected from the header
    std::string genes = "KIT";          // --genes: KIT, PDGFRA or KIT,PDGFRA
    std::string exons;                  // --exons: 9,11 (every selected gene) or KIT:9 (that gene only)
    std::string samples;                // -s/--samples, comma-separated
    std::string reference;              // -f/--reference
    int threads = 0;                    // -@/--threads
    bool strict = false;                // --strict
    std::string input_format = "auto";  // --input-format
    CountOptions count;                 // BAM counting and calling options
};

// Throws UsageError on bad values (unknown build or gene, bad exon, gene of GENE:EXON not selected).
[[nodiscard]] SourceOptions to_source_options(const std::string& path, const InputConfig& input);

// "a, b,,c" -> {a, b, c}: items of a comma-separated option value, blanks removed.
[[nodiscard]] std::vector<std::string> split_list(const std::string& text, char sep = ',');

// --- kitrx annotate ----------------------------------------------------------------------------

struct AnnotateConfig {
    InputConfig input;
    AnnotateOptions annotate;  // --merge-cis, --merge-distance, --merge-vaf-ratio, --pass-only
    std::string input_path;    // INPUT; "-" = stdin
    std::string output = "-";  // -o; format from the extension unless output_type is set
    std::string output_type;   // -O: t, g, j, v, z or b
    std::string panel_path;    // --panel; "" = the shipped panel
    bool no_version = false;   // --no-version
    std::string command_line;  // "kitrx annotate ..." for the provenance lines
};
ExitCode run_annotate(const AnnotateConfig& config, Diagnostics& diag);

// --- kitrx report ------------------------------------------------------------------------------

struct ReportConfig {
    InputConfig input;
    AnnotateOptions annotate;               // merge and --pass-only options (primary: below)
    std::vector<std::string> inputs;        // INPUT...
    std::string sheet_path;                 // --sample-sheet (replaces INPUT)
    std::string outdir, prefix, title;      // --outdir, --prefix, --title
    std::string panel_path, regimens_path;  // --panel, --regimens
    std::string schedule_model = "pk";      // --schedule-model pk|calendar
    std::string pk_path;                    // --pk
    std::string prior;                      // --prior, comma-separated drugs
    bool group_cis = false;                 // --group-cis
    std::vector<std::string> cis_groups;    // --cis-group values as given
    std::vector<std::string> primary;       // --primary values as given (comma-separated each)
    std::optional<int> simulate_weeks;      // --simulate WEEKS
    int simulate_top = 3;                   // --simulate-top
    bool simulate_top_given = false;        // --simulate-top given explicitly
    std::string simulate_regimens;          // --simulate-regimens, comma-separated
    std::string growth_path;                // --growth-model
    double fold = 2.0;                      // --fold
    bool no_trajectories = false;           // --no-trajectories
    bool keep_normal = false;               // --keep-normal
    std::string to_stdout;                  // --stdout clones|regimens|variants
    bool no_version = false;                // --no-version
    std::string command_line;               // for the provenance lines
};
ExitCode run_report(const ReportConfig& config, Diagnostics& diag);

// --- kitrx count -------------------------------------------------------------------------------

struct CountConfig {
    InputConfig input;
    std::string input_path;     // INPUT; "-" = stdin
    std::string output = "-";   // -o: the counts TSV
    std::string alleles_path;   // --alleles FILE
    std::string hotspots_path;  // --hotspots FILE
    bool count_reads = false;   // --count-reads: overlapping mates count twice
    bool no_version = false;    // --no-version
    std::string command_line;   // for the header
};
ExitCode run_count(const CountConfig& config, Diagnostics& diag);

// --- kitrx validate ----------------------------------------------------------------------------

struct ValidateConfig {
    InputConfig input;
    AnnotateOptions annotate;                 // --merge-cis for raw inputs
    ValidationOptions options;                // --detection-rate, --pass-only, --min-observed-vaf
    std::string truth_path;                   // --truth
    std::string acceptance_path;              // --acceptance; "" = the shipped criteria
    std::string outdir = "validation";        // --outdir
    std::string prefix = "validation";        // --prefix
    std::string vaf_bins;                     // --vaf-bins as given; "" = the defaults
    std::string title;                        // --title
    std::vector<std::string> observed_paths;  // OBSERVED...
    std::string command_line;                 // for the outputs
};
// kOk when the acceptance criteria are met, kValidationFailed when not; prints a summary to stdout.
ExitCode run_validate(const ValidateConfig& config, Diagnostics& diag);

// --- kitrx panel -------------------------------------------------------------------------------

struct PanelConfig {
    std::optional<std::string> action;    // check or show
    std::optional<std::string> file;      // FILE; show without it: the shipped panel
    std::string format = "text";          // --format text|tsv (show)
    std::string output = "-";             // -o (show)
    bool format_or_output_given = false;  // --format or -o given explicitly (check refuses them)
};
// check: one summary line on stdout; show: the drug x variant matrix to config.output.
ExitCode run_panel(const PanelConfig& config, Diagnostics& diag);

// --- kitrx targets -----------------------------------------------------------------------------

struct TargetsConfig {
    std::string build = "GRCh38";  // --build
    std::string genes = "KIT";     // --genes
    std::string exons;             // --exons
    std::string chrom = "chr4";    // --chrom: contig name written
};
// The target regions as BED on stdout.
ExitCode run_targets(const TargetsConfig& config, Diagnostics& diag);

}  // namespace kitrx
