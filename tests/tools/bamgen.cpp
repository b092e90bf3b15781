// SPDX-License-Identifier: MIT
// bamgen --spec SPEC --out OUT.bam [--truth TRUTH.tsv] [--no-index] [--reference-fasta REF.fa.gz]
// Writes a deterministic synthetic BAM (spec format: tests/support/bamgen.hpp) and, optionally,
// the truth per variant (expected alt fragments and fragment depth under kitrx's defaults).
#include "bamgen.hpp"

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    std::string spec_path, out, truth_path, fasta;
    bool index = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "bamgen: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--spec")
            spec_path = value();
        else if (a == "--out")
            out = value();
        else if (a == "--truth")
            truth_path = value();
        else if (a == "--reference-fasta")
            fasta = value();
        else if (a == "--no-index")
            index = false;
        else {
            std::cerr << "usage: bamgen --spec SPEC --out OUT.bam [--truth TRUTH.tsv] [--no-index] "
                         "[--reference-fasta REF.fa.gz]\n";
            return 2;
        }
    }
    if (spec_path.empty() || out.empty()) {
        std::cerr << "usage: bamgen --spec SPEC --out OUT.bam [--truth TRUTH.tsv] [--no-index] "
                     "[--reference-fasta REF.fa.gz]\n";
        return 2;
    }
    try {
        std::ifstream in(spec_path);
        if (!in) throw std::runtime_error("cannot read " + spec_path);
        std::stringstream text;
        text << in.rdbuf();
        const auto spec = kitrx::test::parse_spec(text.str(), spec_path);
        const auto truth = kitrx::test::write_bam(spec, out, index, !truth_path.empty());
        if (!fasta.empty()) kitrx::test::write_reference_fasta(spec, fasta);
        if (!truth_path.empty()) {
            std::ofstream t(truth_path);
            t << "#chrom\tpos\tref\talt\thaplotype\tfraction\talt_fragments\tdepth_fragments\n";
            for (std::size_t i = 0; i < truth.variants.size(); ++i) {
                const auto& v = truth.variants[i];
                t << spec.contig << '\t' << v.pos0 + 1 << '\t' << v.ref << '\t' << v.alt << '\t'
                  << v.haplotype << '\t' << spec.haplotypes[static_cast<std::size_t>(v.haplotype)].fraction
                  << '\t' << truth.expected_alt(i) << '\t' << truth.expected_depth(v.pos0) << '\n';
            }
            if (!t) throw std::runtime_error("cannot write " + truth_path);
        }
        std::cerr << "bamgen: " << out << ": " << truth.records << " records\n";
    } catch (const std::exception& e) {
        std::cerr << "bamgen: error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
