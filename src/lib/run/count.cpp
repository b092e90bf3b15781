// SPDX-License-Identifier: MIT
// kitrx count: raw per-position, per-allele fragment counts over the target exons of a BAM/CRAM,
// optionally with the allele statistics and the hotspot table, called by the same route as
// annotate and report (call_bam).
#include <optional>

#include "kitrx/common/output_file.hpp"
#include "kitrx/io/bam_counts.hpp"
#include "kitrx/report/count_tables.hpp"
#include "kitrx/run/run.hpp"
#include "kitrx/version.hpp"

namespace kitrx {
namespace {

// Ranges the shared input options do not check.
void check_count_options(const CountOptions& c) {
    if (c.min_mapq < 0 || c.min_mapq > 255) throw UsageError("--min-mapq must be in 0..255");
    if (c.min_baseq < 0 || c.min_baseq > 93) throw UsageError("--min-baseq must be in 0..93");
    if (!(c.background_error > 0 && c.background_error < 1))
        throw UsageError("--background-error must be in (0, 1)");
    if (!(c.alpha > 0 && c.alpha < 1)) throw UsageError("--alpha must be in (0, 1)");
    if (c.min_alt_reads < 1) throw UsageError("--min-alt-reads must be at least 1");
    if (!(c.min_vaf >= 0 && c.min_vaf <= 1)) throw UsageError("--min-vaf must be in [0, 1]");
}

}  // namespace

ExitCode run_count(const CountConfig& config, Diagnostics& diag) {
    if (config.input_path.empty()) throw UsageError("missing INPUT (a BAM/CRAM path or '-')");
    InputConfig input = config.input;
    input.count.count_overlapping_mates_once = !config.count_reads;
    check_count_options(input.count);
    const SourceOptions options = to_source_options(config.input_path, input);

    // Outputs are opened (checked writable) before any reading.
    OutputFile counts_out(config.output);
    std::optional<OutputFile> alleles_out, hotspots_out;
    if (!config.alleles_path.empty()) alleles_out.emplace(config.alleles_path);
    if (!config.hotspots_path.empty()) hotspots_out.emplace(config.hotspots_path);
    // Header, build and the noise table are checked before any read is decoded.
    BamCounting bam(options, diag);
    const BackgroundModel background = load_background(options.count, bam.info().build, diag);
    const BamCountResult result = bam.count();

    std::vector<std::string> header;
    if (!config.no_version) {
        header.push_back("kitrx_version=" KITRX_VERSION);
        header.push_back("command=" + config.command_line);
    }
    for (auto& line : count_provenance(result, options.count)) header.push_back(std::move(line));
    write_count_tsv(counts_out.stream(), result, header);
    if (alleles_out || hotspots_out) {
        const BamCalls calls = call_bam(result, background, options);
        auto call_header = header;
        call_header.push_back(calling_provenance(options.count));
        if (alleles_out) write_allele_tsv(alleles_out->stream(), result, calls.alleles, call_header);
        if (hotspots_out) write_hotspot_tsv(hotspots_out->stream(), calls.hotspots, call_header);
    }
    counts_out.commit();
    if (alleles_out) alleles_out->commit();
    if (hotspots_out) hotspots_out->commit();
    return ExitCode::kOk;
}

}  // namespace kitrx
