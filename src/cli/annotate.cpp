// SPDX-License-Identifier: MIT
// kitrx annotate INPUT: KIT/PDGFRA variants of a VCF/BCF/BAM/CRAM with exact names, fractions and
// per-drug activity, as a TSV (default) or an annotated VCF (-O v|z|b).
#include "kitrx/panel/annotate.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <unistd.h>

#include "command.hpp"
#include "common_options.hpp"
#include "kitrx/common/output_file.hpp"
#include "kitrx/io/text_file.hpp"
#include "kitrx/report/tables.hpp"
#include "kitrx/report/vcf_writer.hpp"

namespace kitrx::cli {
namespace {

// Output formats: t TSV, g gzip TSV, j JSON, v VCF, z bgzip VCF, b BCF.
char format_from_extension(const std::string& path) {
    auto ends_with = [&](const std::string& suffix) {
        return path.size() >= suffix.size() &&
               path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".tsv.gz") || ends_with(".txt.gz")) return 'g';
    if (ends_with(".json")) return 'j';
    if (ends_with(".vcf.gz") || ends_with(".vcf.bgz")) return 'z';
    if (ends_with(".vcf")) return 'v';
    if (ends_with(".bcf")) return 'b';
    return 't';
}

// A VCF output re-reads the input to pass every record through, so stdin is first copied to a
// temporary file (removed at exit).
class StdinSpool {
public:
    StdinSpool() {
        const char* tmp = std::getenv("TMPDIR");
        path_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/kitrx-stdin-XXXXXX";
        const int fd = ::mkstemp(path_.data());
        if (fd < 0)
            throw IoError("cannot create a temporary file for stdin: " + std::string(std::strerror(errno)));
        ::close(fd);
        std::ofstream out(path_, std::ios::binary);
        out << std::cin.rdbuf();
        if (!out) throw IoError("cannot spool stdin to '" + path_ + "': " + std::strerror(errno));
    }
    ~StdinSpool() { std::remove(path_.c_str()); }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

ExitCode run_annotate(const std::vector<std::string>& args, Diagnostics& diag) {
    InputOptionValues input;
    AnnotateOptions annotate;
    std::string input_path, output = "-", panel_path, output_type;
    bool no_version = false, verbose = false, quiet = false;
    po::options_description desc("Options");
    desc.add_options()(
        "output,o", po::value(&output)->default_value("-"),
        "output file ('-' = stdout), written atomically; format from the extension: .tsv, .tsv.gz, .json, "
        ".vcf, .vcf.gz, .bcf")("output-type,O", po::value(&output_type),
                               "override the format: t TSV, g gzip TSV, j JSON, v VCF, z bgzip VCF, b BCF")(
        "panel", po::value(&panel_path), "activity panel YAML (default: the shipped GIST panel)")(
        "merge-cis", po::bool_switch(&annotate.merge_cis),
        "merge records of one sample that one event was split into (see README: distance, fraction "
        "agreement)")("merge-distance",
                      po::value(&annotate.merge_max_distance)->default_value(annotate.merge_max_distance),
                      "--merge-cis: maximum gap in bp between the two records")(
        "merge-vaf-ratio",
        po::value(&annotate.merge_max_vaf_ratio)->default_value(annotate.merge_max_vaf_ratio),
        "--merge-cis: maximum ratio of the larger to the smaller fraction")(
        "pass-only", po::bool_switch(&annotate.pass_only), "drop records whose FILTER is not PASS or '.'")(
        "no-version", po::bool_switch(&no_version), "omit the ## provenance lines")(
        "verbose,v", po::bool_switch(&verbose), "report notes on stderr")("quiet", po::bool_switch(&quiet),
                                                                          "no warnings on stderr");
    add_input_options(desc, input);
    add_count_options(desc, input.count);
    desc.add_options()("input", po::value(&input_path), "VCF/BCF/BAM/CRAM path or '-' for stdin");
    po::positional_options_description pos;
    pos.add("input", 1);
    po::variables_map vm;
    if (!parse_command_line(args, desc, pos, vm, "kitrx annotate [options] INPUT")) return ExitCode::kOk;
    if (input_path.empty()) throw UsageError("missing INPUT (a VCF/BCF/BAM/CRAM path or '-' for stdin)");
    diag.set_verbose(verbose);
    diag.set_quiet(quiet);

    // Check everything before the first output byte: panel, options, output folder, input header.
    // A user panel is checked before reading the input; the shipped one (validated by the tests)
    // is loaded on first use.
    const ActivityPanel loaded = panel_path.empty() ? ActivityPanel() : load_panel(panel_path);
    auto get_panel = [&]() -> const ActivityPanel& { return panel_path.empty() ? default_panel() : loaded; };
    const char format = output_type.empty() ? format_from_extension(output) : output_type[0];
    if (output_type.size() > 1 || std::string("tgjvzb").find(format) == std::string::npos)
        throw UsageError("unknown --output-type '" + output_type + "' (expected t, g, j, v, z or b)");
    const bool vcf_out = format == 'v' || format == 'z' || format == 'b';
    std::optional<StdinSpool> spool;
    if (vcf_out && input_path == "-") spool.emplace();
    SourceOptions source = to_source_options(spool ? spool->path() : input_path, input);
    check_not_input(output, {input_path, panel_path});
    OutputFile out(output, vcf_out ? OutputFile::Writer::kByPath : OutputFile::Writer::kStream);
    const AnnotationResult result = annotate_input(source, annotate, get_panel, diag);
    const ActivityPanel& panel = get_panel();
    if (vcf_out && (result.source.format != InputFormat::kVcf && result.source.format != InputFormat::kBcf))
        throw UsageError("VCF output (-O v|z|b) needs VCF/BCF input; for BAM/CRAM write TSV or JSON");
    const Provenance provenance = make_provenance(command_line("annotate", args), result.source, &panel);
    const Provenance none;

    if (vcf_out) {
        const std::string target = out.hand_over_path();  // stdout: a spool copied out by commit()
        try {
            write_annotated_vcf(source.path, result.variants, panel, target, format,
                                no_version ? none : provenance, source.threads);
        } catch (const IoError& e) {
            // htslib writes the hidden temporary; the user knows the target. The search goes on
            // after each replacement: a device target is its own "temporary" (`-o /dev/full`).
            std::string message = e.what();
            const std::string shown = out.is_stdout() ? "standard output" : out.path();
            if (shown != target)
                for (auto at = message.find(target); at != std::string::npos;
                     at = message.find(target, at + shown.size()))
                    message.replace(at, target.size(), shown);
            throw IoError(message);
        }
    } else if (format == 'j') {
        write_variants_json(out.stream(), result.variants, panel, provenance, result.hotspots);
    } else {
        std::ostringstream table;
        std::ostream& os = format == 'g' ? table : out.stream();
        if (!no_version) write_provenance(os, provenance);
        write_variants_header(os, panel);
        for (const auto& v : result.variants) write_variant_row(os, v, panel);
        for (const auto& h : result.hotspots) write_hotspot_row(os, h, panel, result.source.build);
        if (format == 'g') out.stream() << gzip_compress(table.str());
    }
    out.commit();
    diag.note(std::to_string(result.variants.size()) + " KIT/PDGFRA variant rows from " +
              std::to_string(result.source.records_read) + " records");
    return ExitCode::kOk;
}

const Registrar registrar({"annotate", "name KIT/PDGFRA variants and annotate per-TKI activity (TSV or VCF)",
                           run_annotate});

}  // namespace
}  // namespace kitrx::cli
