// SPDX-License-Identifier: MIT
// kitrx annotate: one input to its KIT/PDGFRA variants with names, fractions and per-drug activity,
// written as TSV (plain or gzip), JSON or an annotated VCF/BCF chosen by extension or -O.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <unistd.h>

#include "kitrx/common/output_file.hpp"
#include "kitrx/io/text_file.hpp"
#include "kitrx/report/tables.hpp"
#include "kitrx/report/vcf_writer.hpp"
#include "kitrx/run/run.hpp"

namespace kitrx {
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
    StdinSpool(const StdinSpool&) = delete;
    StdinSpool& operator=(const StdinSpool&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

// htslib writes the hidden temporary; the user knows the target. The search goes on after each
// replacement: a device target is its own "temporary" (`-o /dev/full`).
void write_vcf_output(OutputFile& out,
                      const SourceOptions& source,
                      const AnnotationResult& result,
                      const ActivityPanel& panel,
                      char format,
                      const Provenance& provenance) {
    const std::string target = out.hand_over_path();  // stdout: a spool copied out by commit()
    try {
        write_annotated_vcf(source.path, result.variants, panel, target, format, provenance, source.threads);
    } catch (const IoError& e) {
        std::string message = e.what();
        const std::string shown = out.is_stdout() ? "standard output" : out.path();
        if (shown != target)
            for (auto at = message.find(target); at != std::string::npos;
                 at = message.find(target, at + shown.size()))
                message.replace(at, target.size(), shown);
        throw IoError(message);
    }
}

}  // namespace

ExitCode run_annotate(const AnnotateConfig& config, Diagnostics& diag) {
    if (config.input_path.empty())
        throw UsageError("missing INPUT (a VCF/BCF/BAM/CRAM path or '-' for stdin)");
    // Check everything before the first output byte: panel, options, output folder, input header.
    // A user panel is checked before reading the input; the shipped one (validated by the tests)
    // is loaded on first use.
    const std::string& panel_path = config.panel_path;
    const ActivityPanel loaded = panel_path.empty() ? ActivityPanel() : load_panel(panel_path);
    auto get_panel = [&]() -> const ActivityPanel& { return panel_path.empty() ? default_panel() : loaded; };
    const std::string& output_type = config.output_type;
    const char format = output_type.empty() ? format_from_extension(config.output) : output_type[0];
    if (output_type.size() > 1 || std::string("tgjvzb").find(format) == std::string::npos)
        throw UsageError("unknown --output-type '" + output_type + "' (expected t, g, j, v, z or b)");
    const bool vcf_out = format == 'v' || format == 'z' || format == 'b';
    std::optional<StdinSpool> spool;
    if (vcf_out && config.input_path == "-") spool.emplace();
    const SourceOptions source = to_source_options(spool ? spool->path() : config.input_path, config.input);
    check_not_input(config.output, {config.input_path, panel_path});
    OutputFile out(config.output, vcf_out ? OutputFile::Writer::kByPath : OutputFile::Writer::kStream);
    const AnnotationResult result = annotate_input(source, config.annotate, get_panel, diag);
    const ActivityPanel& panel = get_panel();
    if (vcf_out && (result.source.format != InputFormat::kVcf && result.source.format != InputFormat::kBcf))
        throw UsageError("VCF output (-O v|z|b) needs VCF/BCF input; for BAM/CRAM write TSV or JSON");
    const Provenance provenance = make_provenance(config.command_line, result.source, &panel);

    if (vcf_out) {
        write_vcf_output(out, source, result, panel, format, config.no_version ? Provenance() : provenance);
    } else if (format == 'j') {
        write_variants_json(out.stream(), result.variants, panel, provenance, result.hotspots);
    } else {
        std::ostringstream table;
        std::ostream& os = format == 'g' ? table : out.stream();
        if (!config.no_version) write_provenance(os, provenance);
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

}  // namespace kitrx
