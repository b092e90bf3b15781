// SPDX-License-Identifier: MIT
// `kitrx count INPUT`: the options of run_count() (run/run.hpp): raw per-position, per-allele
// fragment counts over the target exons of a BAM/CRAM, optionally allele statistics and hotspots.
#include "command.hpp"
#include "common_options.hpp"

namespace kitrx::cli {
namespace {

constexpr const char* kAbout =
    "Counts alleles over the KIT/PDGFRA target exons of a BAM, CRAM or SAM file ('-' = stdin;\n"
    "format from content). Each DNA fragment counts once: overlapping mates are merged. Uses the\n"
    "index when present (only the targets are read), else streams. Writes one row per target\n"
    "position: depth, A/C/G/T/N/deleted per strand, and the indels and MNVs starting there.\n"
    "Reference bases come from the sequence kitrx ships, so BAM input needs no FASTA; CRAM needs\n"
    "-f/--reference (kitrx never downloads references).\n\nOptions";

ExitCode count_command(const std::vector<std::string>& args, Diagnostics& diag) {
    CountConfig config;
    bool verbose = false;
    po::options_description desc(kAbout);
    desc.add_options()("output,o", po::value(&config.output)->default_value("-"),
                       "counts TSV ('-' = stdout), written atomically")(
        "alleles", po::value(&config.alleles_path)->value_name("FILE"),
        "also write every non-reference allele with VAF, 95% CI, background p-value, strand test, called")(
        "hotspots", po::value(&config.hotspots_path)->value_name("FILE"),
        "also write the secondary-resistance hotspots: detected / not detected, depth, limit of detection")(
        "count-reads", po::bool_switch(&config.count_reads),
        "count every read (overlapping mates twice, as samtools mpileup -x) instead of every fragment")(
        "no-version", po::bool_switch(&config.no_version),
        "leave the version and command lines out of the header")("verbose,v", po::bool_switch(&verbose),
                                                                 "print read tallies to stderr");
    po::variables_map vm;
    if (!parse_input_command(
            args, desc, config.input,
            {"input", po::value(&config.input_path), "BAM/CRAM/SAM path or '-' for stdin", 1}, vm,
            "kitrx count [options] INPUT"))
        return ExitCode::kOk;
    diag.set_verbose(verbose);
    config.command_line = command_line("count", args);
    return run_count(config, diag);
}

const Registrar kRegistrar({"count",
                            "allele counts per target position from a BAM/CRAM (bam-readcount-like TSV)",
                            count_command});

}  // namespace
}  // namespace kitrx::cli
