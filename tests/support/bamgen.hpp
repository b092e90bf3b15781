// SPDX-License-Identifier: MIT
// bamgen: deterministic synthetic BAMs from the shipped reference sequence, with known truth.
// Fragments (read pairs) are drawn over target regions from haplotypes carrying variants at
// given fractions; options add duplicates, low-quality bases, sequencing errors, low-MAPQ,
// QC-fail, secondary and supplementary records. Same spec + seed -> byte-identical BAM on any
// platform: only std::mt19937_64 (output fixed by the C++ standard) and our own integer-based
// draws are used, never std::*_distribution.
// Used by the tests (exact expected counts from the truth), the `bamgen` tool, and later the
// lab-validation mixtures (issue 8) and the deep benchmark BAM (issue 9).
//
// Spec: one directive per line, '#' starts a comment.
//   seed 42                        RNG seed
//   build GRCh38                   reference bases and @SQ length (GRCh37 or GRCh38)
//   contig chr4                    contig name written to @SQ
//   sample SIM                     @RG SM (and ID)
//   read_length 150
//   insert 180 400                 insert size, uniform on [min, max]; < 2 x read_length overlaps
//   region KIT:11 | chr4:54727400-54727560   fragments are drawn to overlap it (1-based, incl.)
//   fragments 500                  molecules per region   (or: fragment_depth 2000)
//   duplicates 0.1                 fraction of molecules with one extra PCR copy (flag 0x400)
//   low_quality 0.01 [5]           fraction of bases with quality 5 and a random base
//   base_quality 35
//   errors 0.001                   high-quality substitution errors per base
//   mapq 60
//   low_mapq 0.05 [5]              fraction of molecules with MAPQ 5
//   qcfail 0.02 | secondary 0.01 | supplementary 0.01   fractions of molecules
//   haplotype 0.05 54733155:A:T [more POS:REF:ALT ...]  one haplotype at a molecule fraction
//   variant 54733155 A T 0.05      a one-variant haplotype
// Positions in the spec are 1-based; variants are normalised (trimmed, indels left-shifted).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kitrx/genome/genome.hpp"
#include "kitrx/io/read_counter.hpp"

namespace kitrx::test {

struct SpecVariant {
    std::int64_t pos0 = 0;  // normalised VCF position, 0-based
    std::string ref;
    std::string alt;
    int haplotype = 0;  // index into BamSpec::haplotypes
};

struct SpecHaplotype {
    double fraction = 0;  // of molecules
    std::vector<SpecVariant> variants;
};

struct BamSpec {
    std::uint64_t seed = 1;
    Build build = Build::kGRCh38;
    std::string contig = "chr4";
    std::string sample = "SIM";
    int read_length = 150;
    int insert_min = 180;
    int insert_max = 400;
    std::vector<Interval> regions;  // 0-based half-open
    int fragments_per_region = 200;
    double fragment_depth = 0;  // when > 0, overrides fragments_per_region
    double duplicate_rate = 0;
    double low_quality_rate = 0;
    int low_quality = 5;
    int base_quality = 35;
    double error_rate = 0;
    int mapq = 60;
    double low_mapq_rate = 0;
    int low_mapq = 5;
    double qcfail_rate = 0;
    double secondary_rate = 0;
    double supplementary_rate = 0;
    std::vector<SpecHaplotype> haplotypes;
};

// Parses a spec; throws std::runtime_error("name:line: what").
[[nodiscard]] BamSpec parse_spec(std::string_view text, const std::string& name = "spec");

struct ReadTruth {
    std::int64_t begin = 0;  // aligned reference span [begin, end), 0-based
    std::int64_t end = 0;
    bool reverse = false;
    std::vector<std::int64_t> failing_positions;  // positions whose observation is below quality 20
    std::vector<std::int64_t> error_positions;    // high-quality substitution errors
    std::vector<int> shows;                       // indices of variants shown with quality >= 20
};

struct FragmentTruth {
    std::int64_t id = 0;
    int haplotype = -1;           // -1 = reference
    bool duplicate_copy = false;  // an extra copy exists (flagged); this record is the original
    bool low_mapq = false;
    bool qcfail = false;
    bool secondary_copy = false;      // read 1 also has a secondary record (flag 0x100)
    bool supplementary_copy = false;  // read 2 also has a supplementary record (flag 0x800)
    ReadTruth r1;
    ReadTruth r2;
};

struct BamTruth {
    std::vector<SpecVariant> variants;     // all haplotypes' variants, flattened
    std::vector<FragmentTruth> fragments;  // one per molecule (duplicates are copies of these)
    std::int64_t records = 0;              // BAM records written

    // Fragments that pass kitrx's default filters (not QC-fail, MAPQ >= 20).
    [[nodiscard]] static bool passes_default_filters(const FragmentTruth& f) {
        return !f.qcfail && !f.low_mapq;
    }
    // Expected fragment depth at pos0 under the default filters (some read observes pos0 at
    // quality >= 20).
    [[nodiscard]] std::int64_t expected_depth(std::int64_t pos0) const;
    // Expected alt fragments of variant `index` under the default filters.
    [[nodiscard]] std::int64_t expected_alt(std::size_t index) const;
};

// Writes a coordinate-sorted BAM (and its .bai when `index`), returns the truth.
// Throws std::runtime_error on I/O failure or a spec the reference cannot serve.
BamTruth write_bam(const BamSpec& spec, const std::string& path, bool index = true, bool keep_truth = true);

// Writes a FASTA with `contig` = N up to the shipped window and its bases after it (enough to
// decode a CRAM of generated reads), bgzip-compressed and faidx-indexed.
void write_reference_fasta(const BamSpec& spec, const std::string& path);

}  // namespace kitrx::test
