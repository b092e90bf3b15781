// SPDX-License-Identifier: MIT
// kitrx annotate INPUT: the options of run_annotate() (run/run.hpp): KIT/PDGFRA variants of a
// VCF/BCF/BAM/CRAM with exact names, fractions and per-drug activity, as TSV, JSON or VCF.
#include "command.hpp"
#include "common_options.hpp"

namespace kitrx::cli {
namespace {

ExitCode annotate_command(const std::vector<std::string>& args, Diagnostics& diag) {
    AnnotateConfig config;
    Verbosity verbosity;
    po::options_description desc("Options");
    desc.add_options()(
        "output,o", po::value(&config.output)->default_value("-"),
        "output file ('-' = stdout), written atomically; format from the extension: .tsv, .tsv.gz, .json, "
        ".vcf, .vcf.gz, .bcf")("output-type,O", po::value(&config.output_type),
                               "override the format: t TSV, g gzip TSV, j JSON, v VCF, z bgzip VCF, b BCF")(
        "panel", po::value(&config.panel_path), "activity panel YAML (default: the shipped GIST panel)");
    add_merge_options(
        desc, config.annotate,
        "merge records of one sample that one event was split into (see docs/kitrx-annotate.md: distance, "
        "fraction agreement)");
    desc.add_options()("no-version", po::bool_switch(&config.no_version), "omit the ## provenance lines");
    add_verbosity_options(desc, verbosity);
    po::variables_map vm;
    if (!parse_input_command(
            args, desc, config.input,
            {"input", po::value(&config.input_path), "VCF/BCF/BAM/CRAM path or '-' for stdin", 1}, vm,
            "kitrx annotate [options] INPUT"))
        return ExitCode::kOk;
    apply_verbosity(verbosity, diag);
    config.command_line = command_line("annotate", args);
    return run_annotate(config, diag);
}

const Registrar registrar({"annotate", "name KIT/PDGFRA variants and annotate per-TKI activity (TSV or VCF)",
                           annotate_command});

}  // namespace
}  // namespace kitrx::cli
