// SPDX-License-Identifier: MIT
// `kitrx count INPUT`: raw per-position, per-allele fragment counts over the target exons of a
// BAM/CRAM (bam-readcount-like TSV), optionally the allele statistics and the hotspot table.
#include <iostream>
#include <memory>
#include <optional>

#include <boost/program_options.hpp>

#include "command.hpp"
#include "common_options.hpp"
#include "kitrx/common/output_file.hpp"
#include "kitrx/io/allele_calling.hpp"
#include "kitrx/io/bam_counts.hpp"
#include "kitrx/version.hpp"

namespace po = boost::program_options;

namespace kitrx::cli {
namespace {

constexpr const char* kAbout =
    "Counts alleles over the KIT/PDGFRA target exons of a BAM, CRAM or SAM file ('-' = stdin;\n"
    "format from content). Each DNA fragment counts once: overlapping mates are merged. Uses the\n"
    "index when present (only the targets are read), else streams. Writes one row per target\n"
    "position: depth, A/C/G/T/N/deleted per strand, and the indels and MNVs starting there.\n"
    "Reference bases come from the sequence kitrx ships, so BAM input needs no FASTA; CRAM needs\n"
    "-f/--reference (kitrx never downloads references).\n\nOptions";

// Ranges the shared option parser does not check.
void check_count_options(const CountOptions& c) {
    if (c.min_mapq < 0 || c.min_mapq > 255) throw UsageError("--min-mapq must be in 0..255");
    if (c.min_baseq < 0 || c.min_baseq > 93) throw UsageError("--min-baseq must be in 0..93");
    if (!(c.background_error > 0 && c.background_error < 1))
        throw UsageError("--background-error must be in (0, 1)");
    if (!(c.alpha > 0 && c.alpha < 1)) throw UsageError("--alpha must be in (0, 1)");
    if (c.min_alt_reads < 1) throw UsageError("--min-alt-reads must be at least 1");
    if (!(c.min_vaf >= 0 && c.min_vaf <= 1)) throw UsageError("--min-vaf must be in [0, 1]");
}

ExitCode run_count(const std::vector<std::string>& args, Diagnostics& diag) {
    InputOptionValues input;
    std::string input_path, output = "-", alleles_path, hotspots_path;
    bool no_version = false, verbose = false, count_reads = false;

    po::options_description desc(kAbout);
    desc.add_options()("output,o", po::value(&output)->default_value("-"),
                       "counts TSV ('-' = stdout), written atomically")(
        "alleles", po::value(&alleles_path)->value_name("FILE"),
        "also write every non-reference allele with VAF, 95% CI, background p-value, strand test, called")(
        "hotspots", po::value(&hotspots_path)->value_name("FILE"),
        "also write the secondary-resistance hotspots: detected / not detected, depth, limit of detection")(
        "count-reads", po::bool_switch(&count_reads),
        "count every read (overlapping mates twice, as samtools mpileup -x) instead of every fragment")(
        "no-version", po::bool_switch(&no_version), "leave the version and command lines out of the header")(
        "verbose,v", po::bool_switch(&verbose), "print read tallies to stderr");
    add_input_options(desc, input);
    add_count_options(desc, input.count);
    desc.add_options()("input", po::value(&input_path), "BAM/CRAM/SAM path or '-' for stdin");
    po::positional_options_description positional;
    positional.add("input", 1);
    po::variables_map vm;
    if (!parse_command_line(args, desc, positional, vm, "kitrx count [options] INPUT")) return ExitCode::kOk;
    if (input_path.empty()) throw UsageError("missing INPUT (a BAM/CRAM path or '-')");
    input.count.count_overlapping_mates_once = !count_reads;
    check_count_options(input.count);
    const SourceOptions options = to_source_options(input_path, input);
    diag.set_verbose(verbose);

    // Outputs are opened (checked writable) before any reading.
    OutputFile counts_out(output);
    std::optional<OutputFile> alleles_out, hotspots_out;
    if (!alleles_path.empty()) alleles_out.emplace(alleles_path);
    if (!hotspots_path.empty()) hotspots_out.emplace(hotspots_path);
    // Header, build and the noise table are checked before any read is decoded.
    BamCounting bam(options, diag);
    BackgroundModel background(options.count.background_error);
    if (!options.count.noise_table.empty())
        background = BackgroundModel::load(options.count.noise_table, options.count.background_error,
                                           GenomeModel::builtin(bam.info().build).reference(), diag);
    const BamCountResult result = bam.count();

    std::vector<std::string> header;
    if (!no_version) {
        header.push_back("kitrx_version=" KITRX_VERSION);
        header.push_back("command=" + command_line("count", args));
    }
    for (auto& line : count_provenance(result, options.count)) header.push_back(std::move(line));
    write_count_tsv(counts_out.stream(), result, header);
    if (alleles_out || hotspots_out) {
        const auto calls = evaluate_alleles(result.table, background, options.count);
        auto call_header = header;
        call_header.push_back(
            "calling=background_error=" + std::to_string(options.count.background_error) +
            (options.count.noise_table.empty() ? "" : ";noise_table=" + options.count.noise_table) +
            ";alpha=" + std::to_string(options.count.alpha) +
            ";min_alt_reads=" + std::to_string(options.count.min_alt_reads) +
            ";min_vaf=" + std::to_string(options.count.min_vaf) + ";lod_power=0.95");
        if (alleles_out) write_allele_tsv(alleles_out->stream(), result, calls, call_header);
        if (hotspots_out)
            write_hotspot_tsv(
                hotspots_out->stream(),
                evaluate_hotspots(builtin_hotspots(), options.genes, GenomeModel::builtin(result.info.build),
                                  result.table, calls, background, options.count, result.info.contig),
                call_header);
    }
    counts_out.commit();
    if (alleles_out) alleles_out->commit();
    if (hotspots_out) hotspots_out->commit();
    return ExitCode::kOk;
}

const Registrar kRegistrar({"count",
                            "allele counts per target position from a BAM/CRAM (bam-readcount-like TSV)",
                            run_count});

}  // namespace
}  // namespace kitrx::cli
