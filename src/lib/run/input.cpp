// SPDX-License-Identifier: MIT
// The input options every reading command shares, checked and turned into SourceOptions in one
// place, so that annotate, report, count, validate and targets reject a bad value alike.
#include <algorithm>
#include <stdexcept>

#include "kitrx/common/text.hpp"
#include "kitrx/run/run.hpp"

namespace kitrx {

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

SourceOptions to_source_options(const std::string& path, const InputConfig& v) {
    SourceOptions o;
    o.path = path;
    if (!v.build.empty()) {
        o.build = parse_build(v.build);
        if (!o.build) throw UsageError("unknown build '" + v.build + "' (expected GRCh37 or GRCh38)");
    }
    o.genes = split_list(v.genes);
    if (o.genes.empty()) throw UsageError("--genes is empty (expected KIT, PDGFRA or KIT,PDGFRA)");
    for (auto& g : o.genes) {
        g = upper(g);
        if (g != "KIT" && g != "PDGFRA")
            throw UsageError("unknown gene '" + g + "' in --genes (known: KIT, PDGFRA)");
    }
    // --exons applies to every selected gene unless written gene:exon, which limits it to that
    // gene; exons without a coding part in the gene are a usage error (reported by the sources).
    for (const auto& item : split_list(v.exons)) {
        std::string text = item;
        std::string gene;
        const auto colon = text.find(':');
        if (colon != std::string::npos) {
            gene = upper(text.substr(0, colon));
            text = text.substr(colon + 1);
        }
        int exon = 0;
        try {
            std::size_t used = 0;
            exon = std::stoi(text, &used);
            if (used != text.size() || exon < 1) throw std::invalid_argument(text);
        } catch (const std::exception&) {
            throw UsageError("bad exon '" + item + "' in --exons (expected numbers like 9,11,13)");
        }
        if (colon == std::string::npos) {
            o.exons.push_back(exon);
        } else if (std::find(o.genes.begin(), o.genes.end(), gene) == o.genes.end()) {
            throw UsageError("exon '" + item + "' in --exons names a gene not in --genes (" + join(o.genes) +
                             ")");
        } else {
            o.gene_exons[gene].push_back(exon);
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

}  // namespace kitrx
