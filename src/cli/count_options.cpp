// SPDX-License-Identifier: MIT
#include "count_options.hpp"

#include <cmath>
#include <sstream>

#include "kitrx/errors.hpp"

namespace po = boost::program_options;

namespace kitrx::cli {

void add_count_options(po::options_description& desc, CountOptions& c) {
    // Flags are stored through a notifier so that "--keep-duplicates" needs no value.
    desc.add_options()("min-mapq", po::value<int>(&c.min_mapq)->default_value(c.min_mapq),
                       "skip reads with mapping quality below this")(
        "min-baseq", po::value<int>(&c.min_baseq)->default_value(c.min_baseq),
        "skip bases with quality below this")("keep-duplicates", po::bool_switch(&c.keep_duplicates),
                                              "count reads flagged duplicate (0x400)")(
        "keep-secondary", po::bool_switch(&c.keep_secondary), "count secondary alignments (0x100)")(
        "keep-supplementary", po::bool_switch(&c.keep_supplementary),
        "count supplementary alignments (0x800)")("keep-qcfail", po::bool_switch(&c.keep_qcfail),
                                                  "count reads flagged QC-fail (0x200)")(
        "count-reads", po::bool_switch()->notifier([&c](bool v) { c.count_overlapping_mates_once = !v; }),
        "count every read (overlapping mates twice, as samtools mpileup -x) instead of every fragment")(
        "background-error", po::value<double>(&c.background_error)->default_value(c.background_error),
        "per-allele background error rate for the binomial test")(
        "noise-table", po::value<std::string>(&c.noise_table)->value_name("FILE"),
        "per-position background rates (kitrx 'chrom pos ref alt rate' or sequence_qc noise_positions TSV)")(
        "alpha", po::value<double>(&c.alpha)->default_value(c.alpha), "significance of the background test")(
        "min-alt-reads", po::value<int>(&c.min_alt_reads)->default_value(c.min_alt_reads),
        "fewest alt fragments to call")("min-vaf", po::value<double>(&c.min_vaf)->default_value(c.min_vaf),
                                        "lowest alt fraction to call");
}

void check_count_options(const CountOptions& c) {
    if (c.min_mapq < 0 || c.min_mapq > 255) throw UsageError("--min-mapq must be in 0..255");
    if (c.min_baseq < 0 || c.min_baseq > 93) throw UsageError("--min-baseq must be in 0..93");
    if (!(c.background_error > 0 && c.background_error < 1))
        throw UsageError("--background-error must be in (0, 1)");
    if (!(c.alpha > 0 && c.alpha < 1)) throw UsageError("--alpha must be in (0, 1)");
    if (c.min_alt_reads < 1) throw UsageError("--min-alt-reads must be at least 1");
    if (!(c.min_vaf >= 0 && c.min_vaf <= 1)) throw UsageError("--min-vaf must be in [0, 1]");
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::istringstream in(v);
        std::string item;
        while (std::getline(in, item, ','))
            if (!item.empty()) out.push_back(item);
    }
    return out;
}

}  // namespace kitrx::cli
