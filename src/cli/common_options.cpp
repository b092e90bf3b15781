// SPDX-License-Identifier: MIT
// The options several subcommands share, declared once so that their help reads the same.
#include "common_options.hpp"

#include <iostream>

namespace kitrx::cli {

void add_input_options(po::options_description& desc, InputConfig& v) {
    desc.add_options()("build", po::value(&v.build),
                       "genome build GRCh37|GRCh38 (default: detected from the header)")(
        "genes", po::value(&v.genes)->default_value("KIT"), "genes to report: KIT, PDGFRA or KIT,PDGFRA")(
        "exons", po::value(&v.exons),
        "exons to target in every selected gene, e.g. 9,11,13; GENE:N limits that gene, e.g. KIT:9 "
        "(default KIT 9,11,13,14,17,18; PDGFRA 12,14,18)")(
        "samples,s", po::value(&v.samples), "comma-separated samples to report (default: all)")(
        "reference,f", po::value(&v.reference), "FASTA for CRAM decoding (never fetched from the network)")(
        "threads,@", po::value(&v.threads)->default_value(0), "extra decompression threads")(
        "strict", po::bool_switch(&v.strict), "make skippable input problems errors")(
        "input-format", po::value(&v.input_format)->default_value("auto"),
        "auto|vcf|bam|maf|tso500: reader to use (default: detected from the content, never the name)");
}

void add_count_options(po::options_description& desc, CountOptions& c) {
    desc.add_options()("min-mapq,q", po::value(&c.min_mapq)->default_value(c.min_mapq),
                       "BAM: minimum mapping quality")(
        "min-baseq,Q", po::value(&c.min_baseq)->default_value(c.min_baseq), "BAM: minimum base quality")(
        "keep-duplicates", po::bool_switch(&c.keep_duplicates), "BAM: count reads flagged as duplicates")(
        "keep-secondary", po::bool_switch(&c.keep_secondary), "BAM: count secondary alignments")(
        "keep-supplementary", po::bool_switch(&c.keep_supplementary), "BAM: count supplementary alignments")(
        "keep-qcfail", po::bool_switch(&c.keep_qcfail), "BAM: count QC-fail reads")(
        "background-error", po::value(&c.background_error)->default_value(c.background_error),
        "BAM: per-base background error rate for the calling test")(
        "noise-table", po::value(&c.noise_table), "BAM: per-position background table (TSV)")(
        "alpha", po::value(&c.alpha)->default_value(c.alpha),
        "BAM: significance level of the background test")(
        "min-alt-reads", po::value(&c.min_alt_reads)->default_value(c.min_alt_reads),
        "BAM: minimum supporting fragments to call")(
        "min-vaf", po::value(&c.min_vaf)->default_value(c.min_vaf), "BAM: minimum fraction to call")(
        "min-depth", po::value(&c.min_depth)->default_value(c.min_depth),
        "fragments below which a hotspot, exon base or zero-read record is not_covered instead of "
        "not_detected");
}

void add_merge_options(po::options_description& desc, AnnotateOptions& a, const char* merge_cis_help) {
    desc.add_options()("merge-cis", po::bool_switch(&a.merge_cis), merge_cis_help)(
        "merge-distance", po::value(&a.merge_max_distance)->default_value(a.merge_max_distance),
        "--merge-cis: maximum gap in bp between the two records")(
        "merge-vaf-ratio", po::value(&a.merge_max_vaf_ratio)->default_value(a.merge_max_vaf_ratio),
        "--merge-cis: maximum ratio of the larger to the smaller fraction")(
        "pass-only", po::bool_switch(&a.pass_only), "drop records whose FILTER is not PASS or '.'");
}

void add_verbosity_options(po::options_description& desc, Verbosity& v) {
    desc.add_options()("verbose,v", po::bool_switch(&v.verbose), "report notes on stderr")(
        "quiet", po::bool_switch(&v.quiet), "no warnings on stderr");
}

void apply_verbosity(const Verbosity& v, Diagnostics& diag) {
    diag.set_verbose(v.verbose);
    diag.set_quiet(v.quiet);
}

bool parse_command_line(const std::vector<std::string>& args,
                        const po::options_description& visible,
                        const po::positional_options_description& positional,
                        po::variables_map& vm,
                        const std::string& usage_line) {
    po::options_description all;
    all.add(visible);
    all.add_options()("help,h", "show this help");
    auto parsed = po::command_line_parser(args).options(all).positional(positional).run();
    po::store(parsed, vm);
    if (vm.count("help")) {
        std::cout << "Usage: " << usage_line << "\n\n" << all << '\n';
        return false;
    }
    po::notify(vm);
    return true;
}

bool parse_input_command(const std::vector<std::string>& args,
                         po::options_description& desc,
                         InputConfig& input,
                         const Positional& positional,
                         po::variables_map& vm,
                         const std::string& usage_line) {
    add_input_options(desc, input);
    add_count_options(desc, input.count);
    desc.add_options()(positional.name, positional.value, positional.help);
    po::positional_options_description pos;
    pos.add(positional.name, positional.max_count);
    return parse_command_line(args, desc, pos, vm, usage_line);
}

std::string command_line(const std::string& command, const std::vector<std::string>& args) {
    std::string s = "kitrx " + command;
    for (const auto& a : args) s += " " + a;
    return s;
}

}  // namespace kitrx::cli
