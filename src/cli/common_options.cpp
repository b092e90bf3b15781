// SPDX-License-Identifier: MIT
#include "common_options.hpp"

#include <algorithm>
#include <iostream>

#include "kitrx/genome/genome.hpp"

namespace kitrx::cli {

std::vector<std::string> split_list(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == sep) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

void add_input_options(po::options_description& desc, InputOptionValues& v) {
    desc.add_options()("build", po::value(&v.build),
                       "genome build GRCh37|GRCh38 (default: detected from the header)")(
        "genes", po::value(&v.genes)->default_value("KIT"), "genes to report: KIT, PDGFRA or KIT,PDGFRA")(
        "exons", po::value(&v.exons),
        "exons to target in every selected gene, e.g. 9,11,13 "
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

SourceOptions to_source_options(const std::string& path, const InputOptionValues& v) {
    SourceOptions o;
    o.path = path;
    if (!v.build.empty()) {
        o.build = parse_build(v.build);
        if (!o.build) throw UsageError("unknown build '" + v.build + "' (expected GRCh37 or GRCh38)");
    }
    o.genes = split_list(v.genes);
    if (o.genes.empty()) throw UsageError("--genes is empty (expected KIT, PDGFRA or KIT,PDGFRA)");
    for (auto& g : o.genes) {
        std::transform(g.begin(), g.end(), g.begin(), [](unsigned char c) { return std::toupper(c); });
        if (g != "KIT" && g != "PDGFRA")
            throw UsageError("unknown gene '" + g + "' in --genes (known: KIT, PDGFRA)");
    }
    // --exons applies to every selected gene unless written gene:exon; exons without a coding
    // part in the gene are a usage error.
    for (const auto& item : split_list(v.exons)) {
        std::string text = item;
        const auto colon = text.find(':');
        if (colon != std::string::npos) text = text.substr(colon + 1);
        try {
            std::size_t used = 0;
            const int exon = std::stoi(text, &used);
            if (used != text.size() || exon < 1) throw std::invalid_argument(text);
            o.exons.push_back(exon);
        } catch (const std::exception&) {
            throw UsageError("bad exon '" + item + "' in --exons (expected numbers like 9,11,13)");
        }
    }
    o.samples = split_list(v.samples);
    o.reference_fasta = v.reference;
    if (v.threads < 0) throw UsageError("--threads must be >= 0");
    o.threads = v.threads;
    o.strict = v.strict;
    if (v.count.min_depth < 1) throw UsageError("--min-depth must be at least 1");
    const auto format = parse_input_format(v.input_format);
    if (!format)
        throw UsageError("unknown --input-format '" + v.input_format +
                         "' (expected auto, vcf, bam, maf or tso500)");
    o.input_format = *format;
    o.count = v.count;
    return o;
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

std::string command_line(const std::string& command, const std::vector<std::string>& args) {
    std::string s = "kitrx " + command;
    for (const auto& a : args) s += " " + a;
    return s;
}

}  // namespace kitrx::cli
