// SPDX-License-Identifier: MIT
// kitrx report INPUT... --outdir DIR: the options of run_report() (run/run.hpp): variants, clones,
// regimens, report.json, report.html and MultiQC files for every sample of the inputs or a sheet.
#include "command.hpp"
#include "common_options.hpp"

namespace kitrx::cli {
namespace {

ExitCode report_command(const std::vector<std::string>& args, Diagnostics& diag) {
    ReportConfig c;
    Verbosity verbosity;
    int simulate_weeks = -1;
    po::options_description desc("Options");
    // clang-format off
    desc.add_options()
        ("outdir,d", po::value(&c.outdir), "output folder (created when missing) [required]")
        ("prefix,p", po::value(&c.prefix), "file name prefix [stem of the first input, or of the sample sheet]")
        ("panel", po::value(&c.panel_path), "activity panel YAML [the shipped GIST panel]")
        ("regimens", po::value(&c.regimens_path), "regimen YAML [the shipped default regimens]")
        ("sample-sheet", po::value(&c.sheet_path),
         "TSV with header sample, patient, timepoint, input: the inputs to read and their timepoints; "
         "replaces INPUT")
        ("schedule-model", po::value(&c.schedule_model),
         "time on a schedule: pk (from drug exposure curves, the default) or calendar (a drug acts "
         "exactly on its days)")
        ("pk", po::value(&c.pk_path), "pharmacokinetic table YAML [the shipped table]")
        ("prior", po::value(&c.prior),
         "drugs the patient has failed, e.g. imatinib,sunitinib: shown as failed and ranked after "
         "untried options (a sheet column 'prior' sets it per sample)")
        ("group-cis", po::bool_switch(&c.group_cis), "treat the variants of each --cis-group as one clone")
        ("cis-group", po::value(&c.cis_groups)->composing(),
         "variants known to be in cis, e.g. V654A,D820Y or KIT:V654A,KIT:D820Y (repeatable; implies --group-cis)")
        ("simulate", po::value(&simulate_weeks),
         "project clone sizes for WEEKS weeks under the top regimens (hypothesis-generating model, not a "
         "prediction)")
        ("simulate-top", po::value(&c.simulate_top)->default_value(c.simulate_top), "--simulate: regimens per sample")
        ("simulate-regimens", po::value(&c.simulate_regimens), "--simulate: these regimen ids instead of the top ones")
        ("growth-model", po::value(&c.growth_path), "--simulate: growth-model YAML [the shipped model]")
        ("fold", po::value(&c.fold)->default_value(c.fold), "trajectories: fold change called expanding/contracting")
        ("no-trajectories", po::bool_switch(&c.no_trajectories),
         "do not treat the samples of a multi-sample input as timepoints of one patient")
        ("keep-normal", po::bool_switch(&c.keep_normal),
         "also report the normal sample of a tumour/normal VCF (##tumor_sample names the tumour)")
        ("stdout", po::value(&c.to_stdout), "also write one table to stdout: clones, regimens or variants")
        ("title", po::value(&c.title), "title of report.html [kitrx report: PREFIX]");
    add_merge_options(desc, c.annotate, "merge records of one sample that one event was split into (see docs/kitrx-annotate.md)");
    desc.add_options()
        ("primary", po::value(&c.primary)->composing(),
         "variant(s) to take as the truncal primary in every sample, e.g. KIT:K642E (repeatable or "
         "comma-separated); without it only KIT exon 9/11 and PDGFRA changes are primary")
        ("no-version", po::bool_switch(&c.no_version), "omit the ## provenance lines of the TSV files");
    // clang-format on
    add_verbosity_options(desc, verbosity);
    po::variables_map vm;
    if (!parse_input_command(args, desc, c.input,
                             {"input", po::value(&c.inputs), "VCF/BCF/BAM/CRAM paths or '-' for stdin", -1},
                             vm,
                             "kitrx report [options] --outdir DIR INPUT...\n"
                             "       kitrx report [options] --outdir DIR --sample-sheet SHEET"))
        return ExitCode::kOk;
    apply_verbosity(verbosity, diag);
    if (vm.count("simulate")) c.simulate_weeks = simulate_weeks;
    c.simulate_top_given = !vm["simulate-top"].defaulted();
    c.command_line = command_line("report", args);
    return run_report(c, diag);
}

const Registrar registrar({"report",
                           "clones, regimen coverage and a self-contained HTML/JSON report for every sample",
                           report_command});

}  // namespace
}  // namespace kitrx::cli
