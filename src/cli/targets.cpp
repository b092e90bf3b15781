// SPDX-License-Identifier: MIT
// kitrx targets: the options of run_targets() (run/run.hpp): the target regions as BED.
#include "command.hpp"
#include "common_options.hpp"

namespace kitrx::cli {
namespace {

ExitCode targets_command(const std::vector<std::string>& args, Diagnostics& diag) {
    TargetsConfig config;
    po::options_description desc("Options");
    desc.add_options()("build", po::value(&config.build)->default_value("GRCh38"), "GRCh37 or GRCh38")(
        "genes", po::value(&config.genes)->default_value("KIT"), "KIT, PDGFRA or KIT,PDGFRA")(
        "exons", po::value(&config.exons),
        "exons (default: the hotspot exons of each gene); GENE:N limits that gene, e.g. KIT:9")(
        "chrom", po::value(&config.chrom)->default_value("chr4"), "contig name to write (chr4 or 4)");
    po::positional_options_description pos;
    po::variables_map vm;
    if (!parse_command_line(args, desc, pos, vm, "kitrx targets [options]")) return ExitCode::kOk;
    return run_targets(config, diag);
}

const Registrar registrar({"targets", "print the target regions (exons + splice regions) as BED",
                           targets_command});

}  // namespace
}  // namespace kitrx::cli
