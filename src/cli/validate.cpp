// SPDX-License-Identifier: MIT
// kitrx validate --truth TRUTH OBSERVED...: the options of run_validate() (run/run.hpp): calls
// scored against reference material of known composition and judged by acceptance criteria.
#include "command.hpp"
#include "common_options.hpp"

namespace kitrx::cli {
namespace {

ExitCode validate_command(const std::vector<std::string>& args, Diagnostics& diag) {
    ValidateConfig c;
    Verbosity verbosity;
    ValidationOptions& o = c.options;
    po::options_description desc("Options");
    desc.add_options()("truth,t", po::value(&c.truth_path),
                       "truth table (TSV or VCF; format in docs/validation.md) [required]")(
        "acceptance,a", po::value(&c.acceptance_path),
        "acceptance criteria YAML [default: shipped resources/models/acceptance_default.yaml]")(
        "outdir,o", po::value(&c.outdir)->default_value(c.outdir), "output folder (created if missing)")(
        "prefix", po::value(&c.prefix)->default_value(c.prefix),
        "output file prefix: PREFIX.tsv, PREFIX_summary.tsv, PREFIX.json, PREFIX.html, PREFIX_mqc.tsv")(
        "vaf-bins", po::value(&c.vaf_bins),
        "expected-VAF bin edges for sensitivity [0.001,0.0025,0.005,0.01,0.02,0.05,0.1]")(
        "detection-rate", po::value(&o.detection_rate)->default_value(o.detection_rate, "0.95"),
        "LoD: detection rate a level must reach")("pass-only", po::bool_switch(&o.pass_only),
                                                  "records whose FILTER is not PASS or '.' are not calls")(
        "min-observed-vaf", po::value(&o.min_vaf)->default_value(0.0, "0"),
        "records below this observed VAF are not calls (a reporting threshold)")(
        "merge-cis", po::bool_switch(&c.annotate.merge_cis),
        "raw inputs: merge records split from one event")("title", po::value(&c.title),
                                                          "title of validation.html");
    add_verbosity_options(desc, verbosity);
    po::variables_map vm;
    if (!parse_input_command(args, desc, c.input,
                             {"observed", po::value(&c.observed_paths)->multitoken(),
                              "kitrx variants TSV (annotate/report) or raw VCF/BCF/BAM/CRAM", -1},
                             vm,
                             "kitrx validate --truth TRUTH [options] OBSERVED...\n\n"
                             "Scores kitrx calls against reference material of known composition.\n"
                             "Exit codes: 0 acceptance criteria met, 3 not met, 1 bad input or I/O error, "
                             "2 usage error."))
        return ExitCode::kOk;
    apply_verbosity(verbosity, diag);
    c.command_line = command_line("validate", args);
    return run_validate(c, diag);
}

const Registrar registrar(
    {"validate", "score calls against reference material: sensitivity, precision, bias, LoD, acceptance",
     validate_command});

}  // namespace
}  // namespace kitrx::cli
