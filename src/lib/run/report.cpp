// SPDX-License-Identifier: MIT
// kitrx report: the inputs (or a sample sheet's) to variants, clones, coverage and regimens TSVs,
// report.json, report.html and MultiQC files. Every file is written to a temporary and all are
// renamed together at the end; on any error none remain.
#include "kitrx/report/report.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include <sys/stat.h>

#include "kitrx/common/output_file.hpp"
#include "kitrx/report/tables.hpp"
#include "kitrx/run/run.hpp"

namespace kitrx {
namespace {

namespace fs = std::filesystem;

// "V654A" or "KIT:V654A": at most one colon, with text on both sides.
bool bad_variant_key(const std::string& key) {
    const auto colon = key.find(':');
    return colon != std::string::npos &&
           (colon == 0 || colon + 1 == key.size() || key.find(':', colon + 1) != std::string::npos);
}

std::vector<std::vector<std::string>> parse_cis_groups(const std::vector<std::string>& values) {
    std::vector<std::vector<std::string>> groups;
    for (const auto& v : values) {
        std::vector<std::string> group = split_list(v);
        if (group.size() < 2)
            throw UsageError("--cis-group '" + v +
                             "' needs at least two variants, e.g. --cis-group V654A,D820Y");
        for (const auto& key : group)
            if (bad_variant_key(key))
                throw UsageError("bad variant '" + key + "' in --cis-group (expected V654A or KIT:V654A)");
        groups.push_back(std::move(group));
    }
    return groups;
}

void check_options(const ReportConfig& c) {
    if (c.outdir.empty()) throw UsageError("missing --outdir DIR");
    if (c.inputs.empty() && c.sheet_path.empty())
        throw UsageError("missing INPUT (VCF/BCF/BAM/CRAM paths or '-') or --sample-sheet");
    if (!c.inputs.empty() && !c.sheet_path.empty())
        throw UsageError("give either INPUT files or --sample-sheet (the sheet lists the inputs), not both");
    if (!c.sheet_path.empty() && !c.input.samples.empty())
        throw UsageError("--samples cannot be combined with --sample-sheet (the sheet names the samples)");
    if (std::count(c.inputs.begin(), c.inputs.end(), "-") > 1)
        throw UsageError("'-' (stdin) can be given only once");
    if (!c.to_stdout.empty() && c.to_stdout != "clones" && c.to_stdout != "regimens" &&
        c.to_stdout != "variants")
        throw UsageError("--stdout '" + c.to_stdout + "': expected clones, regimens or variants");
    if (c.simulate_weeks && *c.simulate_weeks < 0) throw UsageError("--simulate WEEKS must be >= 0");
    if (c.simulate_weeks && *c.simulate_weeks > 520)
        throw UsageError("--simulate WEEKS must be <= 520 (10 years)");
    if (c.simulate_top < 1) throw UsageError("--simulate-top must be >= 1");
    if (!c.simulate_weeks && (!c.growth_path.empty() || !c.simulate_regimens.empty() || c.simulate_top_given))
        throw UsageError("--growth-model, --simulate-regimens and --simulate-top need --simulate WEEKS");
    if (!(c.fold > 1.0)) throw UsageError("--fold must be > 1");
    if (c.prefix.find('/') != std::string::npos) throw UsageError("--prefix must be a file name, not a path");
}

std::vector<std::string> primary_keys(const std::vector<std::string>& values) {
    std::vector<std::string> keys;
    for (const auto& v : values)
        for (const auto& key : split_list(v)) {
            if (key.empty() || bad_variant_key(key))
                throw UsageError("bad variant '" + key + "' in --primary (expected K642E or KIT:K642E)");
            keys.push_back(key);
        }
    return keys;
}

struct InputPlan {
    std::string path;
    std::vector<std::string> samples;  // from the sheet; empty = --samples / all
};

// The sheet's inputs in first-seen order, each with its samples; every row becomes a timepoint.
std::vector<InputPlan> plan_from_sheet(const std::string& sheet_path,
                                       const ActivityPanel& panel,
                                       ReportOptions& options) {
    std::vector<InputPlan> plan;
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
                throw InputError(r.where, "prior treatment '" + d + "' is not a drug of the activity panel",
                                 "write panel drug ids or aliases separated by commas (imatinib,sunitinib)");
        it->samples.push_back(r.sample);
        options.timepoints.push_back({r.input_resolved, r.sample, r.patient, r.timepoint, r.order, r.prior});
    }
    return plan;
}

// The report's files, opened (checked writable) before any input is read.
struct ReportFiles {
    explicit ReportFiles(const std::string& base)
        : variants(base + ".variants.tsv"),
          clones(base + ".clones.tsv"),
          regimens(base + ".regimens.tsv"),
          json(base + ".report.json"),
          html(base + ".report.html"),
          coverage(base + ".coverage.tsv"),
          mqc(base + ".kitrx_mqc.tsv"),
          mqc_regimens(base + ".kitrx_regimens_mqc.tsv") {}
    OutputFile variants, clones, regimens, json, html, coverage, mqc, mqc_regimens;
    [[nodiscard]] std::vector<OutputFile*> all() {
        return {&variants, &clones, &coverage, &regimens, &json, &html, &mqc, &mqc_regimens};
    }
};

// The --stdout table is a write like the others: `> /dev/full` must leave no report behind. A
// closed pipe (`| head`) is not a failure: returns true and the files are still committed.
bool write_stdout_table(const std::string& table, const ReportModel& model, bool provenance) {
    try {
        OutputFile out("-");
        if (table == "clones") write_clones_tsv(out.stream(), model, provenance);
        if (table == "regimens") write_regimens_tsv(out.stream(), model, provenance);
        if (table == "variants") write_variants_tsv(out.stream(), model, provenance);
        out.commit();
    } catch (const BrokenPipe&) {
        return true;
    }
    return false;
}

}  // namespace

ExitCode run_report(const ReportConfig& config, Diagnostics& diag) {
    // Options first, then every file we read, then the outputs: nothing is written on a usage error.
    check_options(config);
    AnnotateOptions annotate = config.annotate;
    annotate.primary = primary_keys(config.primary);

    ReportOptions options;
    options.clones.min_depth = config.input.count.min_depth;
    options.clones.calling = config.input.count;
    options.clones.cis_groups = parse_cis_groups(config.cis_groups);
    options.clones.group_cis = config.group_cis || !options.clones.cis_groups.empty();
    if (config.group_cis && options.clones.cis_groups.empty())
        diag.warn("group_cis_without_groups",
                  "--group-cis given without --cis-group: no variants are grouped");
    options.trajectory.fold = config.fold;
    options.simulate_weeks = config.simulate_weeks ? *config.simulate_weeks : -1;
    options.simulate_top = config.simulate_top;
    options.simulate_regimens = split_list(config.simulate_regimens);
    options.columns_as_timepoints = !config.no_trajectories;
    options.tumour_only = !config.keep_normal;
    options.command_line = config.command_line;

    const ActivityPanel loaded = config.panel_path.empty() ? ActivityPanel() : load_panel(config.panel_path);
    const ActivityPanel& panel = config.panel_path.empty() ? default_panel() : loaded;
    RegimenSet regimens =
        config.regimens_path.empty() ? default_regimens(panel) : load_regimens(config.regimens_path, panel);
    if (config.schedule_model != "pk" && config.schedule_model != "calendar")
        throw UsageError("--schedule-model must be pk or calendar, not '" + config.schedule_model + "'");
    if (config.schedule_model == "calendar" && !config.pk_path.empty())
        throw UsageError("--pk applies to --schedule-model pk only");
    std::optional<PkModel> pk;
    if (config.schedule_model == "pk") {
        pk = config.pk_path.empty() ? default_pk_model(panel) : load_pk_model(config.pk_path, panel);
        apply_schedule_model(regimens, ScheduleModel::kPk, &*pk);
        options.pk = &*pk;
    }
    for (const auto& id : options.simulate_regimens)
        if (!regimens.find(id)) throw UsageError("--simulate-regimens: unknown regimen '" + id + "'");
    for (const auto& d : split_list(config.prior)) {
        if (!panel.drug(d)) throw UsageError("--prior: '" + d + "' is not a drug of the activity panel");
        options.prior.push_back(d);
    }
    std::unique_ptr<GrowthModel> growth;
    if (options.simulate_weeks >= 0)
        growth = std::make_unique<GrowthModel>(
            config.growth_path.empty() ? default_growth_model() : load_growth_model(config.growth_path));

    // Inputs: the command line, or the sheet's inputs (first-seen order) with their samples.
    std::vector<InputPlan> plan;
    if (!config.sheet_path.empty())
        plan = plan_from_sheet(config.sheet_path, panel, options);
    else
        for (const auto& p : config.inputs) plan.push_back({p, {}});
    const std::string prefix = !config.prefix.empty()      ? config.prefix
                               : config.sheet_path.empty() ? input_stem(plan.front().path)
                                                           : input_stem(config.sheet_path);
    options.title = config.title.empty() ? "kitrx report: " + prefix : config.title;
    std::vector<SourceOptions> sources;
    for (const auto& p : plan) {
        SourceOptions s = to_source_options(p.path, config.input);
        if (!p.samples.empty()) s.samples = p.samples;
        sources.push_back(std::move(s));
    }

    const std::string base = (fs::path(config.outdir) / prefix).string();
    std::vector<std::string> read_files{config.panel_path, config.regimens_path, config.growth_path,
                                        config.sheet_path};
    for (const auto& p : plan) read_files.push_back(p.path);
    for (const char* suffix : {".variants.tsv", ".clones.tsv", ".regimens.tsv", ".report.json",
                               ".report.html", ".kitrx_mqc.tsv", ".kitrx_regimens_mqc.tsv"})
        check_not_input(base + suffix, read_files);
    CreatedDirectories dir_guard(config.outdir);
    ReportFiles files(base);

    std::vector<AnnotationResult> results;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        AnnotationResult r = annotate_input(sources[i], annotate, panel, diag);
        r.source.path = plan[i].path;  // the key the sample sheet rows refer to
        results.push_back(std::move(r));
    }
    const ReportModel model = build_report(results, panel, regimens, growth.get(), options);

    const bool provenance = !config.no_version;
    write_variants_tsv(files.variants.stream(), model, provenance);
    write_clones_tsv(files.clones.stream(), model, provenance);
    write_coverage_tsv(files.coverage.stream(), model, provenance);
    write_regimens_tsv(files.regimens.stream(), model, provenance);
    write_report_json(files.json.stream(), model);
    write_report_html(files.html.stream(), model);
    write_multiqc_general(files.mqc.stream(), model);
    write_multiqc_regimens(files.mqc_regimens.stream(), model);
    // Two phases: every file is written out and checked first, so that a full disk leaves no
    // report half-renamed (some files new, some missing).
    for (OutputFile* f : files.all()) f->finish();
    const bool broken_pipe =
        !config.to_stdout.empty() && write_stdout_table(config.to_stdout, model, provenance);
    for (OutputFile* f : files.all()) f->commit();
    dir_guard.keep();
    if (broken_pipe) throw BrokenPipe();
    for (const auto& skipped : model.skipped_samples) diag.note("not reported: " + skipped);
    std::size_t n_clones = 0;
    for (const auto& s : model.samples) n_clones += s.clones.clones.size();
    diag.note(std::to_string(model.samples.size()) + " samples, " + std::to_string(n_clones) + " clones, " +
              std::to_string(model.trajectories.size()) + " trajectories; files " + base + ".*");
    return ExitCode::kOk;
}

}  // namespace kitrx
