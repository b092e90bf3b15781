// SPDX-License-Identifier: MIT
// kitrx report INPUT... --outdir DIR: variants, clones, regimens (TSV), report.json, report.html and
// MultiQC custom-content files for every sample of the inputs (or of a sample sheet). All files
// are written to temporaries and renamed together at the end; on any error none remain.
#include "kitrx/report/report.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <system_error>

#include <sys/stat.h>

#include "command.hpp"
#include "common_options.hpp"
#include "kitrx/common/output_file.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/report/tables.hpp"

namespace kitrx::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> parse_cis_groups(const std::vector<std::string>& values) {
    std::vector<std::vector<std::string>> groups;
    for (const auto& v : values) {
        std::vector<std::string> group = split_list(v);
        if (group.size() < 2)
            throw UsageError("--cis-group '" + v +
                             "' needs at least two variants, e.g. --cis-group V654A,D820Y");
        for (const auto& key : group) {
            const auto colon = key.find(':');
            if (colon != std::string::npos &&
                (colon == 0 || colon + 1 == key.size() || key.find(':', colon + 1) != std::string::npos))
                throw UsageError("bad variant '" + key + "' in --cis-group (expected V654A or KIT:V654A)");
        }
        groups.push_back(std::move(group));
    }
    return groups;
}

struct InputPlan {
    std::string path;
    std::vector<std::string> samples;  // from the sheet; empty = --samples / all
};

ExitCode run_report(const std::vector<std::string>& args, Diagnostics& diag) {
    InputOptionValues input;
    AnnotateOptions annotate;
    std::vector<std::string> inputs, cis_group_values, primary_values;
    std::string outdir, prefix, panel_path, regimens_path, growth_path, sheet_path, to_stdout,
        simulate_regimens, title, prior, schedule_model = "pk", pk_path;
    int simulate_weeks = -1, simulate_top = 3;
    double fold = 2.0;
    bool group_cis = false, keep_normal = false, no_version = false, verbose = false, quiet = false,
         no_trajectories = false;
    po::options_description desc("Options");
    // clang-format off
    desc.add_options()
        ("outdir,d", po::value(&outdir), "output folder (created when missing) [required]")
        ("prefix,p", po::value(&prefix), "file name prefix [stem of the first input, or of the sample sheet]")
        ("panel", po::value(&panel_path), "activity panel YAML [the shipped GIST panel]")
        ("regimens", po::value(&regimens_path), "regimen YAML [the shipped default regimens]")
        ("sample-sheet", po::value(&sheet_path),
         "TSV with header sample, patient, timepoint, input: the inputs to read and their timepoints; "
         "replaces INPUT")
        ("schedule-model", po::value(&schedule_model),
         "time on a schedule: pk (from drug exposure curves, the default) or calendar (a drug acts "
         "exactly on its days)")
        ("pk", po::value(&pk_path), "pharmacokinetic table YAML [the shipped table]")
        ("prior", po::value(&prior),
         "drugs the patient has failed, e.g. imatinib,sunitinib: shown as failed and ranked after "
         "untried options (a sheet column 'prior' sets it per sample)")
        ("group-cis", po::bool_switch(&group_cis), "treat the variants of each --cis-group as one clone")
        ("cis-group", po::value(&cis_group_values)->composing(),
         "variants known to be in cis, e.g. V654A,D820Y or KIT:V654A,KIT:D820Y (repeatable; implies --group-cis)")
        ("simulate", po::value(&simulate_weeks),
         "project clone sizes for WEEKS weeks under the top regimens (hypothesis-generating model, not a "
         "prediction)")
        ("simulate-top", po::value(&simulate_top)->default_value(simulate_top), "--simulate: regimens per sample")
        ("simulate-regimens", po::value(&simulate_regimens), "--simulate: these regimen ids instead of the top ones")
        ("growth-model", po::value(&growth_path), "--simulate: growth-model YAML [the shipped model]")
        ("fold", po::value(&fold)->default_value(fold), "trajectories: fold change called expanding/contracting")
        ("no-trajectories", po::bool_switch(&no_trajectories),
         "do not treat the samples of a multi-sample input as timepoints of one patient")
        ("keep-normal", po::bool_switch(&keep_normal),
         "also report the normal sample of a tumour/normal VCF (##tumor_sample names the tumour)")
        ("stdout", po::value(&to_stdout), "also write one table to stdout: clones, regimens or variants")
        ("title", po::value(&title), "title of report.html [kitrx report: PREFIX]")
        ("merge-cis", po::bool_switch(&annotate.merge_cis),
         "merge records of one sample that one event was split into (see README)")
        ("merge-distance", po::value(&annotate.merge_max_distance)->default_value(annotate.merge_max_distance),
         "--merge-cis: maximum gap in bp between the two records")
        ("merge-vaf-ratio", po::value(&annotate.merge_max_vaf_ratio)->default_value(annotate.merge_max_vaf_ratio),
         "--merge-cis: maximum ratio of the larger to the smaller fraction")
        ("pass-only", po::bool_switch(&annotate.pass_only), "drop records whose FILTER is not PASS or '.'")
        ("primary", po::value(&primary_values)->composing(),
         "variant(s) to take as the truncal primary in every sample, e.g. KIT:K642E (repeatable or "
         "comma-separated); without it only KIT exon 9/11 and PDGFRA changes are primary")
        ("no-version", po::bool_switch(&no_version), "omit the ## provenance lines of the TSV files")
        ("verbose,v", po::bool_switch(&verbose), "report notes on stderr")
        ("quiet", po::bool_switch(&quiet), "no warnings on stderr");
    // clang-format on
    add_input_options(desc, input);
    add_count_options(desc, input.count);
    desc.add_options()("input", po::value(&inputs), "VCF/BCF/BAM/CRAM paths or '-' for stdin");
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    if (!parse_command_line(args, desc, pos, vm,
                            "kitrx report [options] --outdir DIR INPUT...\n"
                            "       kitrx report [options] --outdir DIR --sample-sheet SHEET"))
        return ExitCode::kOk;
    diag.set_verbose(verbose);
    diag.set_quiet(quiet);

    // Options first, then every file we read, then the outputs: nothing is written on a usage error.
    if (outdir.empty()) throw UsageError("missing --outdir DIR");
    if (inputs.empty() && sheet_path.empty())
        throw UsageError("missing INPUT (VCF/BCF/BAM/CRAM paths or '-') or --sample-sheet");
    if (!inputs.empty() && !sheet_path.empty())
        throw UsageError("give either INPUT files or --sample-sheet (the sheet lists the inputs), not both");
    if (!sheet_path.empty() && !input.samples.empty())
        throw UsageError("--samples cannot be combined with --sample-sheet (the sheet names the samples)");
    if (std::count(inputs.begin(), inputs.end(), "-") > 1)
        throw UsageError("'-' (stdin) can be given only once");
    if (!to_stdout.empty() && to_stdout != "clones" && to_stdout != "regimens" && to_stdout != "variants")
        throw UsageError("--stdout '" + to_stdout + "': expected clones, regimens or variants");
    if (vm.count("simulate") && simulate_weeks < 0) throw UsageError("--simulate WEEKS must be >= 0");
    if (vm.count("simulate") && simulate_weeks > 520)
        throw UsageError("--simulate WEEKS must be <= 520 (10 years)");
    if (simulate_top < 1) throw UsageError("--simulate-top must be >= 1");
    if (!vm.count("simulate") &&
        (!growth_path.empty() || !simulate_regimens.empty() || !vm["simulate-top"].defaulted()))
        throw UsageError("--growth-model, --simulate-regimens and --simulate-top need --simulate WEEKS");
    if (!(fold > 1.0)) throw UsageError("--fold must be > 1");
    if (prefix.find('/') != std::string::npos) throw UsageError("--prefix must be a file name, not a path");

    for (const auto& v : primary_values)
        for (const auto& key : split_list(v)) {
            const auto colon = key.find(':');
            if (key.empty() ||
                (colon != std::string::npos &&
                 (colon == 0 || colon + 1 == key.size() || key.find(':', colon + 1) != std::string::npos)))
                throw UsageError("bad variant '" + key + "' in --primary (expected K642E or KIT:K642E)");
            annotate.primary.push_back(key);
        }

    ReportOptions options;
    options.clones.min_depth = input.count.min_depth;
    options.clones.calling = input.count;
    options.clones.cis_groups = parse_cis_groups(cis_group_values);
    options.clones.group_cis = group_cis || !options.clones.cis_groups.empty();
    if (group_cis && options.clones.cis_groups.empty())
        diag.warn("group_cis_without_groups",
                  "--group-cis given without --cis-group: no variants are grouped");
    options.trajectory.fold = fold;
    options.simulate_weeks = vm.count("simulate") ? simulate_weeks : -1;
    options.simulate_top = simulate_top;
    options.simulate_regimens = split_list(simulate_regimens);
    options.columns_as_timepoints = !no_trajectories;
    options.tumour_only = !keep_normal;
    options.command_line = command_line("report", args);

    const ActivityPanel loaded = panel_path.empty() ? ActivityPanel() : load_panel(panel_path);
    const ActivityPanel& panel = panel_path.empty() ? default_panel() : loaded;
    RegimenSet regimens =
        regimens_path.empty() ? default_regimens(panel) : load_regimens(regimens_path, panel);
    if (schedule_model != "pk" && schedule_model != "calendar")
        throw UsageError("--schedule-model must be pk or calendar, not '" + schedule_model + "'");
    if (schedule_model == "calendar" && !pk_path.empty())
        throw UsageError("--pk applies to --schedule-model pk only");
    std::optional<PkModel> pk;
    if (schedule_model == "pk") {
        pk = pk_path.empty() ? default_pk_model(panel) : load_pk_model(pk_path, panel);
        apply_schedule_model(regimens, ScheduleModel::kPk, &*pk);
        options.pk = &*pk;
    }
    for (const auto& id : options.simulate_regimens)
        if (!regimens.find(id)) throw UsageError("--simulate-regimens: unknown regimen '" + id + "'");
    for (const auto& d : split_list(prior)) {
        if (!panel.drug(d)) throw UsageError("--prior: '" + d + "' is not a drug of the activity panel");
        options.prior.push_back(d);
    }
    std::unique_ptr<GrowthModel> growth;
    if (options.simulate_weeks >= 0)
        growth = std::make_unique<GrowthModel>(growth_path.empty() ? default_growth_model()
                                                                   : load_growth_model(growth_path));

    // Inputs: the command line, or the sheet's inputs (first-seen order) with their samples.
    std::vector<InputPlan> plan;
    if (!sheet_path.empty()) {
        const std::vector<SampleSheetRow> rows = read_sample_sheet(sheet_path);
        if (rows.empty())
            throw InputError({sheet_path, 0, 0, ""}, "sample sheet has no rows", "add one row per sample");
        for (const auto& r : rows) {
            auto it = std::find_if(plan.begin(), plan.end(),
                                   [&](const InputPlan& p) { return p.path == r.input_resolved; });
            if (it == plan.end()) {
                // Name the sheet line when an input is missing, not only the path it resolves to.
                struct stat st {};
                if (r.input_resolved != "-" && ::stat(r.input_resolved.c_str(), &st) != 0)
                    throw InputError(r.where,
                                     "input '" + r.input + "' cannot be opened (" + r.input_resolved +
                                         "): " + std::strerror(errno),
                                     "paths in a sample sheet are relative to the sheet's folder");
                plan.push_back({r.input_resolved, {}});
                it = plan.end() - 1;
            }
            for (const auto& d : r.prior)
                if (!panel.drug(d))
                    throw InputError(
                        r.where, "prior treatment '" + d + "' is not a drug of the activity panel",
                        "write panel drug ids or aliases separated by commas (imatinib,sunitinib)");
            it->samples.push_back(r.sample);
            options.timepoints.push_back(
                {r.input_resolved, r.sample, r.patient, r.timepoint, r.order, r.prior});
        }
    } else {
        for (const auto& p : inputs) plan.push_back({p, {}});
    }
    if (prefix.empty()) prefix = sheet_path.empty() ? input_stem(plan.front().path) : input_stem(sheet_path);
    options.title = title.empty() ? "kitrx report: " + prefix : title;
    std::vector<SourceOptions> sources;
    for (const auto& p : plan) {
        SourceOptions s = to_source_options(p.path, input);
        if (!p.samples.empty()) s.samples = p.samples;
        sources.push_back(std::move(s));
    }

    const std::string base = (fs::path(outdir) / prefix).string();
    std::vector<std::string> read_files{panel_path, regimens_path, growth_path, sheet_path};
    for (const auto& p : plan) read_files.push_back(p.path);
    for (const char* suffix : {".variants.tsv", ".clones.tsv", ".regimens.tsv", ".report.json",
                               ".report.html", ".kitrx_mqc.tsv", ".kitrx_regimens_mqc.tsv"})
        check_not_input(base + suffix, read_files);
    CreatedDirectories dir_guard(outdir);
    OutputFile variants_out(base + ".variants.tsv"), clones_out(base + ".clones.tsv"),
        regimens_out(base + ".regimens.tsv"), json_out(base + ".report.json"),
        html_out(base + ".report.html"), coverage_out(base + ".coverage.tsv"),
        mqc_out(base + ".kitrx_mqc.tsv"), mqc_regimens_out(base + ".kitrx_regimens_mqc.tsv");

    std::vector<AnnotationResult> results;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        AnnotationResult r = annotate_input(sources[i], annotate, panel, diag);
        r.source.path = plan[i].path;  // the key the sample sheet rows refer to
        results.push_back(std::move(r));
    }
    const ReportModel model = build_report(results, panel, regimens, growth.get(), options);

    write_variants_tsv(variants_out.stream(), model, !no_version);
    write_clones_tsv(clones_out.stream(), model, !no_version);
    write_coverage_tsv(coverage_out.stream(), model, !no_version);
    write_regimens_tsv(regimens_out.stream(), model, !no_version);
    write_report_json(json_out.stream(), model);
    write_report_html(html_out.stream(), model);
    write_multiqc_general(mqc_out.stream(), model);
    write_multiqc_regimens(mqc_regimens_out.stream(), model);
    // Two phases: every file is written out and checked first, so that a full disk leaves no
    // report half-renamed (some files new, some missing).
    const std::vector<OutputFile*> outputs{&variants_out, &clones_out, &coverage_out, &regimens_out,
                                           &json_out,     &html_out,   &mqc_out,      &mqc_regimens_out};
    for (OutputFile* f : outputs) f->finish();
    // The --stdout table is a write like the others: `> /dev/full` must leave no report behind.
    // A closed pipe (`| head`) is not a failure: the files are still committed, then the run ends
    // quietly.
    bool broken_pipe = false;
    if (!to_stdout.empty()) {
        try {
            OutputFile out("-");
            if (to_stdout == "clones") write_clones_tsv(out.stream(), model, !no_version);
            if (to_stdout == "regimens") write_regimens_tsv(out.stream(), model, !no_version);
            if (to_stdout == "variants") write_variants_tsv(out.stream(), model, !no_version);
            out.commit();
        } catch (const BrokenPipe&) {
            broken_pipe = true;
        }
    }
    for (OutputFile* f : outputs) f->commit();
    dir_guard.keep();
    if (broken_pipe) throw BrokenPipe();
    for (const auto& skipped : model.skipped_samples) diag.note("not reported: " + skipped);
    std::size_t n_clones = 0;
    for (const auto& s : model.samples) n_clones += s.clones.clones.size();
    diag.note(std::to_string(model.samples.size()) + " samples, " + std::to_string(n_clones) + " clones, " +
              std::to_string(model.trajectories.size()) + " trajectories; files " + base + ".*");
    return ExitCode::kOk;
}

const Registrar registrar({"report",
                           "clones, regimen coverage and a self-contained HTML/JSON report for every sample",
                           run_report});

}  // namespace
}  // namespace kitrx::cli
