// SPDX-License-Identifier: MIT
// `kitrx count INPUT`: raw per-position, per-allele fragment counts over the target exons of a
// BAM/CRAM (bam-readcount-like TSV), optionally the allele statistics and the hotspot table.
#include <iostream>
#include <memory>
#include <optional>

#include <boost/program_options.hpp>

#include "command.hpp"
#include "count_options.hpp"
#include "kitrx/allele_calling.hpp"
#include "kitrx/bam_counts.hpp"
#include "kitrx/output_file.hpp"
#include "kitrx/version.hpp"

namespace po = boost::program_options;

namespace kitrx::cli {
namespace {

constexpr const char* kUsage =
    "Usage: kitrx count [options] INPUT\n\n"
    "Counts alleles over the KIT/PDGFRA target exons of a BAM, CRAM or SAM file ('-' = stdin;\n"
    "format from content). Each DNA fragment counts once: overlapping mates are merged. Uses the\n"
    "index when present (only the targets are read), else streams. Writes one row per target\n"
    "position: depth, A/C/G/T/N/deleted per strand, and the indels and MNVs starting there.\n"
    "Reference bases come from the sequence kitrx ships, so BAM input needs no FASTA; CRAM needs\n"
    "-f/--reference (kitrx never downloads references).\n\nOptions";

ExitCode run_count(const std::vector<std::string>& args, Diagnostics& diag) {
    SourceOptions options;
    std::string output = "-", alleles_path, hotspots_path, build_text;
    std::vector<std::string> genes, exons, samples;
    bool no_version = false, help = false, verbose = false;

    po::options_description desc(kUsage);
    desc.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "output,o", po::value<std::string>(&output)->value_name("FILE"), "counts TSV (default '-' = stdout)")(
        "alleles", po::value<std::string>(&alleles_path)->value_name("FILE"),
        "also write every non-reference allele with VAF, 95% CI, background p-value, strand test, called")(
        "hotspots", po::value<std::string>(&hotspots_path)->value_name("FILE"),
        "also write the secondary-resistance hotspots: detected / not detected, depth, limit of detection")(
        "reference,f", po::value<std::string>(&options.reference_fasta)->value_name("FASTA"),
        "reference FASTA for CRAM input")("build", po::value<std::string>(&build_text)->value_name("BUILD"),
                                          "GRCh37 or GRCh38 (default: from the header)")(
        "genes", po::value<std::vector<std::string>>(&genes)->value_name("LIST"),
        "genes to count (default KIT)")("exons",
                                        po::value<std::vector<std::string>>(&exons)->value_name("LIST"),
                                        "exon numbers (default KIT 9,11,13,14,17,18; PDGFRA 12,14,18)")(
        "samples", po::value<std::vector<std::string>>(&samples)->value_name("LIST"),
        "read-group SM values to count (default all)")(
        "threads,@", po::value<int>(&options.threads)->default_value(0), "extra decompression threads")(
        "no-version", po::bool_switch(&no_version), "leave the version and command lines out of the header")(
        "verbose,v", po::bool_switch(&verbose), "print read tallies to stderr");
    add_count_options(desc, options.count);
    po::options_description hidden;
    hidden.add_options()("input", po::value<std::string>(&options.path));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description positional;
    positional.add("input", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (help) {
        std::cout << desc << '\n';
        return ExitCode::kOk;
    }
    if (options.path.empty()) throw UsageError("missing INPUT (a BAM/CRAM path or '-')");
    check_count_options(options.count);
    if (!build_text.empty()) {
        options.build = parse_build(build_text);
        if (!options.build) throw UsageError("--build: expected GRCh37 or GRCh38, got '" + build_text + "'");
    }
    if (!genes.empty()) options.genes = split_list(genes);
    for (const auto& e : split_list(exons)) {
        try {
            std::size_t used = 0;
            const int n = std::stoi(e, &used);
            if (used != e.size() || n < 1) throw std::invalid_argument(e);
            options.exons.push_back(n);
        } catch (const std::exception&) {
            throw UsageError("--exons: expected exon numbers, got '" + e + "'");
        }
    }
    options.samples = split_list(samples);
    diag.set_verbose(verbose);

    // Outputs are opened (checked writable) before any reading.
    OutputFile counts_out(output);
    std::optional<OutputFile> alleles_out, hotspots_out;
    if (!alleles_path.empty()) alleles_out.emplace(alleles_path);
    if (!hotspots_path.empty()) hotspots_out.emplace(hotspots_path);
    // Header, build and the noise table are checked before any read is decoded.
    BamCounting input(options, diag);
    BackgroundModel background(options.count.background_error);
    if (!options.count.noise_table.empty())
        background = BackgroundModel::load(options.count.noise_table, options.count.background_error,
                                           GenomeModel::builtin(input.info().build).reference(), diag);
    const BamCountResult result = input.count();

    std::vector<std::string> header;
    if (!no_version) {
        header.push_back("kitrx_version=" KITRX_VERSION);
        std::string command = "kitrx count";
        for (const auto& a : args) command += " " + a;
        header.push_back("command=" + command);
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
