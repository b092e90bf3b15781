// SPDX-License-Identifier: MIT
// kitrx targets: the regions kitrx looks at, as BED (0-based, half-open), so that upstream tools
// can restrict to the same bases: `bcftools view -R`, `samtools view -L`, `mosdepth --by`.
#include <iostream>

#include "command.hpp"
#include "common_options.hpp"
#include "kitrx/genome/genome.hpp"

namespace kitrx::cli {
namespace {

ExitCode run_targets(const std::vector<std::string>& args, Diagnostics&) {
    std::string build_text = "GRCh38", genes = "KIT", exons, chrom = "chr4";
    po::options_description desc("Options");
    desc.add_options()("build", po::value(&build_text)->default_value("GRCh38"), "GRCh37 or GRCh38")(
        "genes", po::value(&genes)->default_value("KIT"), "KIT, PDGFRA or KIT,PDGFRA")(
        "exons", po::value(&exons), "exons (default: the hotspot exons of each gene)")(
        "chrom", po::value(&chrom)->default_value("chr4"), "contig name to write (chr4 or 4)");
    po::positional_options_description pos;
    po::variables_map vm;
    if (!parse_command_line(args, desc, pos, vm, "kitrx targets [options]")) return ExitCode::kOk;
    InputOptionValues values;
    values.build = build_text;
    values.genes = genes;
    values.exons = exons;
    const SourceOptions o = to_source_options("-", values);
    for (const auto& t : GenomeModel::builtin(*o.build).targets(o.genes, o.exons))
        std::cout << chrom << '\t' << t.begin << '\t' << t.end << '\t' << t.gene << "_exon" << t.exon << '\n';
    return ExitCode::kOk;
}

const Registrar registrar({"targets", "print the target regions (exons + splice regions) as BED",
                           run_targets});

}  // namespace
}  // namespace kitrx::cli
