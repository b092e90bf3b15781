// SPDX-License-Identifier: MIT
// kitrx validate: observed calls (kitrx variants tables, or raw inputs run through the annotation
// pipeline) scored against a truth set and judged by acceptance criteria; five output files and a
// summary on stdout. Criteria not met is a result (exit 3), not an error.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <system_error>

#include "kitrx/common/output_file.hpp"
#include "kitrx/common/stats.hpp"
#include "kitrx/io/text_file.hpp"
#include "kitrx/run/run.hpp"

namespace kitrx {
namespace {

// First bytes decide: a kitrx variants table is text starting "##kitrx" or with its header; any
// other input (VCF/BCF/BAM/CRAM) goes through the annotation pipeline.
bool is_variants_table(const std::string& path) {
    const std::string head = read_text_prefix(path, 63);
    if (head.empty()) return false;
    return looks_like_variants_table(head);
}

ObservedVariant observed_variant(const AnnotatedVariant& a, const std::string& path) {
    const Observation& o = a.variant.observation;
    const VariantName& n = a.variant.name;
    ObservedVariant v;
    v.sample = o.sample;
    v.chrom = o.chrom;
    v.pos1 = o.pos0 + 1;
    v.ref = o.ref;
    v.alt = o.alt;
    if (n.norm_pos0 >= 0) v.norm_key = genomic_key_text(o.chrom, n.norm_pos0 + 1, n.norm_ref, n.norm_alt);
    v.gene = n.gene;
    v.protein = n.protein;
    v.hgvs_c = n.hgvs_c;
    v.consequence = to_string(n.consequence);
    v.filter = o.filter;
    v.alt_reads = o.alt_reads;
    v.depth = o.depth;
    v.vaf = o.has_counts() ? read_fraction(o.alt_reads, o.depth) : o.vaf;
    v.source = path + ": " + o.record_id;
    return v;
}

ObservedSet observed_from_pipeline(const SourceOptions& source,
                                   const AnnotateOptions& annotate,
                                   Diagnostics& diag) {
    const AnnotationResult result = annotate_input(source, annotate, default_panel(), diag);
    ObservedSet set;
    set.sources.push_back(source.path);
    set.samples = result.source.samples;
    for (const auto& a : result.variants) {
        ObservedVariant v = observed_variant(a, source.path);
        if (std::find(set.samples.begin(), set.samples.end(), v.sample) == set.samples.end())
            set.samples.push_back(v.sample);
        set.variants.push_back(std::move(v));
    }
    return set;
}

std::vector<double> parse_bins(const std::string& text) {
    std::vector<double> edges;
    for (const auto& item : split_list(text)) {
        std::string t = item;
        bool percent = false;
        if (!t.empty() && t.back() == '%') percent = true, t.pop_back();
        char* end = nullptr;
        double v = std::strtod(t.c_str(), &end);
        if (t.empty() || end != t.c_str() + t.size()) throw UsageError("bad --vaf-bins value '" + item + "'");
        if (percent) v /= 100.0;
        if (!(v > 0 && v < 1)) throw UsageError("--vaf-bins edge '" + item + "' is not a fraction in (0,1)");
        if (!edges.empty() && !(v > edges.back())) throw UsageError("--vaf-bins must be strictly increasing");
        edges.push_back(v);
    }
    return edges;
}

void check_options(const ValidateConfig& c) {
    if (c.truth_path.empty()) throw UsageError("missing --truth (the expected-variant table)");
    if (c.observed_paths.empty())
        throw UsageError("missing OBSERVED (kitrx variants TSV or VCF/BCF/BAM/CRAM files)");
    if (!(c.options.detection_rate > 0 && c.options.detection_rate < 1))
        throw UsageError("--detection-rate must be in (0,1)");
    if (c.options.min_vaf < 0 || c.options.min_vaf > 1)
        throw UsageError("--min-observed-vaf must be in [0,1]");
}

std::string fmt(double v) {
    if (std::isnan(v)) return "NA";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

void print_summary(const ValidationResult& result,
                   const AcceptanceVerdict& verdict,
                   const std::string& stem) {
    const auto& c = result.overall.counts;
    std::cout << "kitrx validate: " << (verdict.pass ? "PASS" : "FAIL") << " (" << result.samples.size()
              << " runs; TP " << c.tp << ", FN " << c.fn << ", FP " << c.fp << "; sensitivity "
              << fmt(c.sensitivity.value) << ", precision " << fmt(c.precision.value) << "; LoD level "
              << fmt(result.lod.lod_level) << ", probit LoD VAF " << fmt(result.lod.vaf_probit) << ")\n";
    for (const auto& r : verdict.results)
        std::cout << "  " << (r.pass ? "pass" : "FAIL") << "  " << r.criterion.id << ": " << r.detail << '\n';
    std::cout << "outputs: " << stem << "{.tsv,_summary.tsv,.json,.html,_mqc.tsv}\n";
    std::cout.flush();
}

}  // namespace

ExitCode run_validate(const ValidateConfig& config, Diagnostics& diag) {
    check_options(config);
    ValidationOptions options = config.options;
    if (!config.vaf_bins.empty()) options.vaf_bins = parse_bins(config.vaf_bins);
    if (config.prefix.empty() || config.prefix.find('/') != std::string::npos)
        throw UsageError("--prefix must be a plain file name");
    for (const auto& p : config.observed_paths)
        if (p == "-") throw UsageError("OBSERVED cannot be '-' (several files are read by name)");

    // Check everything before the first output byte.
    const SourceOptions base = to_source_options("", config.input);
    for (const auto& g : base.genes) options.genes.push_back(g);
    const TruthSet truth = load_truth(config.truth_path);
    const AcceptanceCriteria criteria =
        config.acceptance_path.empty() ? default_acceptance() : load_acceptance(config.acceptance_path);
    std::error_code ec;
    std::filesystem::create_directories(config.outdir, ec);
    if (ec) throw IoError("cannot create --outdir '" + config.outdir + "': " + ec.message());
    const std::string stem = config.outdir + "/" + config.prefix;
    OutputFile calls_out(stem + ".tsv"), summary_out(stem + "_summary.tsv"), json_out(stem + ".json"),
        html_out(stem + ".html"), mqc_out(stem + "_mqc.tsv");

    ObservedSet observed;
    for (const auto& path : config.observed_paths) {
        if (is_variants_table(path)) {
            std::istringstream in(read_text_file(path));
            observed.merge(read_variants_table(in, path));
        } else {
            SourceOptions source = base;
            source.path = path;
            observed.merge(observed_from_pipeline(source, config.annotate, diag));
        }
    }
    const ValidationResult result = validate(truth, observed, options, diag);
    const AcceptanceVerdict verdict = evaluate_acceptance(criteria, result, options.detection_rate);

    ValidationRunInfo info;
    info.command_line = config.command_line;
    info.truth_path = config.truth_path;
    info.observed_paths = config.observed_paths;
    if (!config.title.empty()) info.title = config.title;
    write_calls_tsv(calls_out.stream(), result);
    write_summary_tsv(summary_out.stream(), result, verdict);
    write_validation_json(json_out.stream(), result, criteria, verdict, info);
    write_validation_html(html_out.stream(), result, criteria, verdict, info);
    write_validation_mqc(mqc_out.stream(), result);
    for (OutputFile* f : {&calls_out, &summary_out, &json_out, &html_out, &mqc_out}) f->commit();
    print_summary(result, verdict, stem);
    return verdict.pass ? ExitCode::kOk : ExitCode::kValidationFailed;
}

}  // namespace kitrx
