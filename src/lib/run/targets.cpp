// SPDX-License-Identifier: MIT
// kitrx targets: the regions kitrx looks at as BED (0-based, half-open), so that upstream tools
// can restrict to the same bases: `bcftools view -R`, `samtools view -L`, `mosdepth --by`.
#include <iostream>

#include "kitrx/genome/genome.hpp"
#include "kitrx/run/run.hpp"

namespace kitrx {

ExitCode run_targets(const TargetsConfig& config, Diagnostics& /*diag*/) {
    InputConfig input;
    input.build = config.build;
    input.genes = config.genes;
    input.exons = config.exons;
    const SourceOptions o = to_source_options("-", input);
    for (const auto& t : target_regions(o, GenomeModel::builtin(*o.build)))
        std::cout << config.chrom << '\t' << t.begin << '\t' << t.end << '\t' << t.gene << "_exon" << t.exon
                  << '\n';
    return ExitCode::kOk;
}

}  // namespace kitrx
