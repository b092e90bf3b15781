// SPDX-License-Identifier: MIT
// kitrx validate --truth TRUTH OBSERVED...: sensitivity, precision, fraction bias, replicate CV
// and limit of detection against reference material of known composition, judged by acceptance
// criteria. Exit 0 = criteria met, 3 = not met (not an error), 1 = bad input, 2 = usage.
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "common_options.hpp"
#include "kitrx/common/output_file.hpp"
#include "kitrx/io/text_file.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/validation/validation.hpp"

namespace kitrx::cli {
namespace {

// First bytes decide: a kitrx variants table is text starting "##kitrx" or with its header; any
// other input (VCF/BCF/BAM/CRAM) goes through the annotation pipeline.
bool is_variants_table(const std::string& path) {
    const std::string head = read_text_prefix(path, 63);
    if (head.empty()) return false;
    return looks_like_variants_table(head);
}

ObservedSet observed_from_pipeline(const SourceOptions& source,
                                   const AnnotateOptions& annotate,
                                   Diagnostics& diag) {
    const AnnotationResult result = annotate_input(source, annotate, default_panel(), diag);
    ObservedSet set;
    set.sources.push_back(source.path);
    set.samples = result.source.samples;
    for (const auto& a : result.variants) {
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
        v.vaf = o.has_counts() ? static_cast<double>(o.alt_reads) / static_cast<double>(o.depth) : o.vaf;
        v.source = source.path + ": " + o.record_id;
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

std::string fmt(double v) {
    if (std::isnan(v)) return "NA";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

ExitCode run_validate(const std::vector<std::string>& args, Diagnostics& diag) {
    InputOptionValues input;
    AnnotateOptions annotate;
    ValidationOptions options;
    std::string truth_path, acceptance_path, outdir = "validation", prefix = "validation", bins, title;
    std::vector<std::string> observed_paths;
    bool verbose = false, quiet = false;
    po::options_description desc("Options");
    desc.add_options()("truth,t", po::value(&truth_path),
                       "truth table (TSV or VCF; format in docs/validation.md) [required]")(
        "acceptance,a", po::value(&acceptance_path),
        "acceptance criteria YAML [default: shipped resources/models/acceptance_default.yaml]")(
        "outdir,o", po::value(&outdir)->default_value(outdir), "output folder (created if missing)")(
        "prefix", po::value(&prefix)->default_value(prefix),
        "output file prefix: PREFIX.tsv, PREFIX_summary.tsv, PREFIX.json, PREFIX.html, PREFIX_mqc.tsv")(
        "vaf-bins", po::value(&bins),
        "expected-VAF bin edges for sensitivity [0.001,0.0025,0.005,0.01,0.02,0.05,0.1]")(
        "detection-rate", po::value(&options.detection_rate)->default_value(options.detection_rate, "0.95"),
        "LoD: detection rate a level must reach")("pass-only", po::bool_switch(&options.pass_only),
                                                  "records whose FILTER is not PASS or '.' are not calls")(
        "min-observed-vaf", po::value(&options.min_vaf)->default_value(0.0, "0"),
        "records below this observed VAF are not calls (a reporting threshold)")(
        "merge-cis", po::bool_switch(&annotate.merge_cis), "raw inputs: merge records split from one event")(
        "title", po::value(&title), "title of validation.html")(
        "verbose,v", po::bool_switch(&verbose), "report notes on stderr")("quiet", po::bool_switch(&quiet),
                                                                          "no warnings on stderr");
    add_input_options(desc, input);
    add_count_options(desc, input.count);
    desc.add_options()("observed", po::value(&observed_paths)->multitoken(),
                       "kitrx variants TSV (annotate/report) or raw VCF/BCF/BAM/CRAM");
    po::positional_options_description pos;
    pos.add("observed", -1);
    po::variables_map vm;
    if (!parse_command_line(args, desc, pos, vm,
                            "kitrx validate --truth TRUTH [options] OBSERVED...\n\n"
                            "Scores kitrx calls against reference material of known composition.\n"
                            "Exit codes: 0 acceptance criteria met, 3 not met, 1 bad input or I/O error, "
                            "2 usage error."))
        return ExitCode::kOk;
    if (truth_path.empty()) throw UsageError("missing --truth (the expected-variant table)");
    if (observed_paths.empty())
        throw UsageError("missing OBSERVED (kitrx variants TSV or VCF/BCF/BAM/CRAM files)");
    if (!(options.detection_rate > 0 && options.detection_rate < 1))
        throw UsageError("--detection-rate must be in (0,1)");
    if (options.min_vaf < 0 || options.min_vaf > 1) throw UsageError("--min-observed-vaf must be in [0,1]");
    if (!bins.empty()) options.vaf_bins = parse_bins(bins);
    if (prefix.empty() || prefix.find('/') != std::string::npos)
        throw UsageError("--prefix must be a plain file name");
    for (const auto& p : observed_paths)
        if (p == "-") throw UsageError("OBSERVED cannot be '-' (several files are read by name)");
    diag.set_verbose(verbose);
    diag.set_quiet(quiet);

    // Check everything before the first output byte.
    const SourceOptions base = to_source_options("", input);
    for (auto g : base.genes) options.genes.push_back(g);
    const TruthSet truth = load_truth(truth_path);
    const AcceptanceCriteria criteria =
        acceptance_path.empty() ? default_acceptance() : load_acceptance(acceptance_path);
    std::error_code ec;
    std::filesystem::create_directories(outdir, ec);
    if (ec) throw IoError("cannot create --outdir '" + outdir + "': " + ec.message());
    const std::string stem = outdir + "/" + prefix;
    OutputFile calls_out(stem + ".tsv"), summary_out(stem + "_summary.tsv"), json_out(stem + ".json"),
        html_out(stem + ".html"), mqc_out(stem + "_mqc.tsv");

    ObservedSet observed;
    for (const auto& path : observed_paths) {
        if (is_variants_table(path)) {
            std::istringstream in(read_text_file(path));
            observed.merge(read_variants_table(in, path));
        } else {
            SourceOptions source = base;
            source.path = path;
            observed.merge(observed_from_pipeline(source, annotate, diag));
        }
    }
    const ValidationResult result = validate(truth, observed, options, diag);
    const AcceptanceVerdict verdict = evaluate_acceptance(criteria, result, options.detection_rate);

    ValidationRunInfo info;
    info.command_line = command_line("validate", args);
    info.truth_path = truth_path;
    info.observed_paths = observed_paths;
    if (!title.empty()) info.title = title;
    write_calls_tsv(calls_out.stream(), result);
    write_summary_tsv(summary_out.stream(), result, verdict);
    write_validation_json(json_out.stream(), result, criteria, verdict, info);
    write_validation_html(html_out.stream(), result, criteria, verdict, info);
    write_validation_mqc(mqc_out.stream(), result);
    for (OutputFile* f : {&calls_out, &summary_out, &json_out, &html_out, &mqc_out}) f->commit();

    const auto& c = result.overall.counts;
    std::cout << "kitrx validate: " << (verdict.pass ? "PASS" : "FAIL") << " (" << result.samples.size()
              << " runs; TP " << c.tp << ", FN " << c.fn << ", FP " << c.fp << "; sensitivity "
              << fmt(c.sensitivity.value) << ", precision " << fmt(c.precision.value) << "; LoD level "
              << fmt(result.lod.lod_level) << ", probit LoD VAF " << fmt(result.lod.vaf_probit) << ")\n";
    for (const auto& r : verdict.results)
        std::cout << "  " << (r.pass ? "pass" : "FAIL") << "  " << r.criterion.id << ": " << r.detail << '\n';
    std::cout << "outputs: " << stem << "{.tsv,_summary.tsv,.json,.html,_mqc.tsv}\n";
    std::cout.flush();
    return verdict.pass ? ExitCode::kOk : ExitCode::kValidationFailed;
}

const Registrar registrar(
    {"validate", "score calls against reference material: sensitivity, precision, bias, LoD, acceptance",
     run_validate});

}  // namespace
}  // namespace kitrx::cli
