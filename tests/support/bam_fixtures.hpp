// SPDX-License-Identifier: MIT
// Generated test BAMs (written once per test binary into the build tree, never committed) and the
// truth they were generated from.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <unistd.h>

#include "bamgen.hpp"
#include "test_paths.hpp"

namespace kitrx::test {

inline std::string reference_bases(Build build, std::int64_t begin0, std::int64_t end0) {
    return std::string(GenomeModel::builtin(build).reference().fetch(begin0, end0));
}

// The standard spec: KIT exons 11, 13 and 17 on GRCh38 with D816V, V654A, an MNV, a 60 bp exon 11
// deletion, an insertion and a 6 bp duplication, overlapping 2x100 pairs (inserts 110-300), 10%
// PCR duplicates, 2% low-quality bases, low-MAPQ / QC-fail / secondary / supplementary records.
inline std::string standard_spec(int fragments = 400, std::uint64_t seed = 11) {
    const Build b = Build::kGRCh38;
    const std::string del = reference_bases(b, 54727439, 54727500);  // 1-based 54727440: anchor + 60 bp
    const std::string ins_anchor = reference_bases(b, 54727499, 54727500);
    const std::string dup_anchor = reference_bases(b, 54727469, 54727470);  // dup of 54727465-54727470
    const std::string dup = reference_bases(b, 54727464, 54727470);
    return "seed " + std::to_string(seed) +
           "\nbuild GRCh38\nsample SIM1\nread_length 100\ninsert 110 300\n"
           "region KIT:11\nregion KIT:13\nregion KIT:17\nfragments " +
           std::to_string(fragments) +
           "\nduplicates 0.1\nlow_quality 0.02\nlow_mapq 0.03\nqcfail 0.02\nsecondary 0.02\nsupplementary "
           "0.02\n"
           "variant 54733155 A T 0.08\n"      // KIT D816V
           "variant 54728092 T C 0.06\n"      // KIT V654A
           "haplotype 0.05 54733160:AA:TG\n"  // MNV in exon 17
           "variant 54727440 " +
           del + " " + del.substr(0, 1) +
           " 0.07\n"  // 60 bp exon 11 deletion
           "variant 54727500 " +
           ins_anchor + " " + ins_anchor + "GGG 0.05\n" + "variant 54727470 " + dup_anchor + " " +
           dup_anchor + dup + " 0.05\n";
}

struct GeneratedBam {
    std::string path;
    BamSpec spec;
    BamTruth truth;
};

// Generates (once per process and name) build/test-tmp/bams/<name>.bam with its index.
inline const GeneratedBam& generated_bam(const std::string& name, const std::string& spec_text) {
    static std::map<std::string, GeneratedBam> cache;
    auto it = cache.find(name);
    if (it != cache.end()) return it->second;
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp/bams";
    std::filesystem::create_directories(dir);
    GeneratedBam g;
    g.path = dir + "/" + name + ".bam";
    g.spec = parse_spec(spec_text, name);
    // ctest runs tests in parallel processes: each writes its own copy and renames it into
    // place (atomic; every copy has the same bytes), so no process reads a half-written file.
    const std::string tmp = dir + "/" + name + "." + std::to_string(::getpid()) + ".tmp.bam";
    g.truth = write_bam(g.spec, tmp, true);
    std::filesystem::rename(tmp + ".bai", g.path + ".bai");
    std::filesystem::rename(tmp, g.path);
    return cache.emplace(name, std::move(g)).first->second;
}

inline const GeneratedBam& standard_bam() {
    return generated_bam("standard", standard_spec());
}

}  // namespace kitrx::test
