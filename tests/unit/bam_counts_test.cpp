// SPDX-License-Identifier: MIT
// BAM/CRAM counting end to end: generated BAMs checked against the generator's truth (never
// against kitrx's own output), index vs streaming, CRAM, header errors, the ACCESS duplex BAM.
#include "kitrx/io/bam_counts.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <htslib/sam.h>

#include "bam_fixtures.hpp"
#include "cli_runner.hpp"
#include "kitrx/io/source.hpp"

namespace kitrx {
namespace {

using test::BamTruth;

SourceOptions options_for(const std::string& path) {
    SourceOptions o;
    o.path = path;
    o.exons = {11, 13, 17};
    return o;
}

const AlleleCount* find_allele(const CountTable& t,
                               std::int64_t pos0,
                               const std::string& ref,
                               const std::string& alt) {
    for (const auto& a : t.alleles())
        if (a.pos0 == pos0 && a.ref == ref && a.alt == alt) return &a;
    return nullptr;
}

TEST(BamCounts, GeneratedBam_AltCountsAndDepthsEqualTheTruth) {
    const auto& g = test::standard_bam();
    Diagnostics diag;
    const BamCountResult r = count_bam(options_for(g.path), diag);
    EXPECT_EQ(r.info.build, Build::kGRCh38);
    EXPECT_EQ(r.info.build_evidence, "@SQ SN:chr4 LN:190214555");
    EXPECT_TRUE(r.info.used_index);
    EXPECT_EQ(r.sample, "SIM1");
    ASSERT_EQ(g.truth.variants.size(), 6u);
    for (std::size_t i = 0; i < g.truth.variants.size(); ++i) {
        const auto& v = g.truth.variants[i];
        SCOPED_TRACE(std::to_string(v.pos0 + 1) + " " + v.ref + ">" + v.alt);
        const AlleleCount* a = find_allele(r.table, v.pos0, v.ref, v.alt);
        ASSERT_NE(a, nullptr);
        EXPECT_GT(g.truth.expected_alt(i), 5);
        EXPECT_EQ(a->total(), g.truth.expected_alt(i));
        EXPECT_EQ(r.table.depth_at(v.pos0), g.truth.expected_depth(v.pos0));
    }
}

TEST(BamCounts, GeneratedBam_DepthAtEveryTargetPositionEqualsTheTruth) {
    const auto& g = test::standard_bam();
    Diagnostics diag;
    const BamCountResult r = count_bam(options_for(g.path), diag);
    std::int64_t positions = 0, mismatches = 0;
    r.table.for_each_position([&](std::int64_t p, const PositionCounts& c) {
        ++positions;
        if (c.depth() != static_cast<std::uint32_t>(g.truth.expected_depth(p))) ++mismatches;
    });
    EXPECT_GT(positions, 300);
    EXPECT_EQ(mismatches, 0);
}

TEST(BamCounts, GeneratedBam_FiltersSkipWhatTheGeneratorFlagged) {
    const auto& g = test::standard_bam();
    Diagnostics diag;
    const BamCountResult r = count_bam(options_for(g.path), diag);
    // Expected tallies from the generator's flags, for records overlapping the targets. Filters
    // apply in this order: secondary, supplementary, QC-fail, duplicate, MAPQ.
    const auto targets = to_intervals(r.info.targets);
    auto in_targets = [&](const test::ReadTruth& t) {
        return std::any_of(targets.begin(), targets.end(),
                           [&](const Interval& iv) { return t.begin < iv.end && iv.begin < t.end; });
    };
    std::int64_t secondary = 0, supplementary = 0, qcfail = 0, duplicate = 0, mapq = 0, counted = 0;
    for (const auto& f : g.truth.fragments) {
        for (const test::ReadTruth* t : {&f.r1, &f.r2}) {
            if (!in_targets(*t)) continue;
            const int copies = f.duplicate_copy ? 2 : 1;  // the original and its flagged copy
            if (f.qcfail) {
                qcfail += copies;
            } else {
                duplicate += copies - 1;
                if (f.low_mapq)
                    mapq += 1;
                else
                    counted += 1;
            }
        }
        secondary += f.secondary_copy && in_targets(f.r1);
        supplementary += f.supplementary_copy && in_targets(f.r2);
    }
    EXPECT_EQ(r.stats.filtered_secondary, secondary);
    EXPECT_EQ(r.stats.filtered_supplementary, supplementary);
    EXPECT_EQ(r.stats.filtered_qcfail, qcfail);
    EXPECT_EQ(r.stats.filtered_duplicate, duplicate);
    EXPECT_EQ(r.stats.filtered_mapq, mapq);
    EXPECT_EQ(r.stats.reads_counted, counted);
    EXPECT_GT(secondary * supplementary * qcfail * duplicate * mapq, 0);
}

TEST(BamCounts, IndexedAndStreamed_GiveIdenticalCounts) {
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("bam_streamed");
    const std::string copy = dir + "/no_index.bam";
    std::filesystem::copy_file(g.path, copy);
    Diagnostics diag;
    const BamCountResult a = count_bam(options_for(g.path), diag);
    const BamCountResult b = count_bam(options_for(copy), diag);
    EXPECT_TRUE(a.info.used_index);
    EXPECT_FALSE(b.info.used_index);
    std::vector<std::uint32_t> da, db;
    a.table.for_each_position([&](std::int64_t, const PositionCounts& c) {
        for (int s = 0; s < kSlotCount; ++s) da.push_back(c.fwd[s]), da.push_back(c.rev[s]);
    });
    b.table.for_each_position([&](std::int64_t, const PositionCounts& c) {
        for (int s = 0; s < kSlotCount; ++s) db.push_back(c.fwd[s]), db.push_back(c.rev[s]);
    });
    EXPECT_EQ(da, db);
    ASSERT_EQ(a.table.alleles().size(), b.table.alleles().size());
    for (std::size_t i = 0; i < a.table.alleles().size(); ++i) {
        EXPECT_EQ(a.table.alleles()[i].ref, b.table.alleles()[i].ref);
        EXPECT_EQ(a.table.alleles()[i].fwd, b.table.alleles()[i].fwd);
        EXPECT_EQ(a.table.alleles()[i].rev, b.table.alleles()[i].rev);
    }
}

TEST(BamCounts, CountReadsMode_DepthIsReadsObservingThePosition) {
    const auto& g = test::standard_bam();
    SourceOptions o = options_for(g.path);
    o.count.count_overlapping_mates_once = false;
    Diagnostics diag;
    const BamCountResult r = count_bam(o, diag);
    auto observes = [](const test::ReadTruth& t, std::int64_t p) {
        return p >= t.begin && p < t.end &&
               std::find(t.failing_positions.begin(), t.failing_positions.end(), p) ==
                   t.failing_positions.end();
    };
    std::int64_t mismatches = 0, overlap_positions = 0;
    r.table.for_each_position([&](std::int64_t p, const PositionCounts& c) {
        std::int64_t reads = 0;
        for (const auto& f : g.truth.fragments) {
            if (!BamTruth::passes_default_filters(f)) continue;
            reads += observes(f.r1, p) + observes(f.r2, p);
            overlap_positions += observes(f.r1, p) && observes(f.r2, p);
        }
        if (c.depth() != static_cast<std::uint32_t>(reads)) ++mismatches;
    });
    EXPECT_EQ(mismatches, 0);
    EXPECT_GT(overlap_positions, 0);  // the mode differs from fragment counting on this BAM
}

TEST(BamCounts, MemoryBound_WaitingMatesNeverExceedFragmentsStartingWithinOneReadLength) {
    const auto& g = test::standard_bam();
    Diagnostics diag;
    const BamCountResult r = count_bam(options_for(g.path), diag);
    // Reads wait for a mate only while the mate can still overlap them, i.e. fragments whose
    // leftmost read started within the last read length (100 bp) of the current position.
    std::vector<std::int64_t> starts;
    for (const auto& f : g.truth.fragments) starts.push_back(std::min(f.r1.begin, f.r2.begin));
    std::sort(starts.begin(), starts.end());
    std::int64_t window_max = 0;
    for (std::size_t i = 0, j = 0; i < starts.size(); ++i) {
        while (starts[j] < starts[i] - 100) ++j;
        window_max = std::max<std::int64_t>(window_max, static_cast<std::int64_t>(i - j + 1));
    }
    EXPECT_GT(r.stats.max_pending_mates, 0);
    EXPECT_LE(r.stats.max_pending_mates, window_max);
    EXPECT_LT(r.stats.max_pending_mates * 5, static_cast<std::int64_t>(g.truth.fragments.size()));
}

TEST(BamSource, OpenSource_EmitsCalledVariantsAndHotspotStatus) {
    const auto& g = test::standard_bam();
    SourceOptions o;
    o.path = g.path;  // default exons: 9, 11, 13, 14, 17, 18
    Diagnostics diag;
    auto source = open_source(o, diag);
    EXPECT_EQ(source->info().format, InputFormat::kBam);
    std::vector<Observation> obs;
    source->run([&](Observation&& ob) { obs.push_back(std::move(ob)); });
    std::set<std::string> got, want;
    for (const auto& ob : obs) {
        got.insert(std::to_string(ob.pos0) + ob.ref + ">" + ob.alt);
        EXPECT_EQ(ob.sample, "SIM1");
        EXPECT_EQ(ob.chrom, "chr4");
        EXPECT_EQ(ob.af_source, "BAM:fragments");
        EXPECT_EQ(ob.alt_fwd + ob.alt_rev, ob.alt_reads);
        EXPECT_DOUBLE_EQ(ob.vaf, static_cast<double>(ob.alt_reads) / static_cast<double>(ob.depth));
        EXPECT_TRUE(ob.filter == "PASS" || ob.filter == "strand_bias");
    }
    for (const auto& v : g.truth.variants) want.insert(std::to_string(v.pos0) + v.ref + ">" + v.alt);
    EXPECT_EQ(got, want);
    std::map<std::string, HotspotStatus> hs;
    for (const auto& h : source->hotspot_status()) hs[h.label] = h;
    ASSERT_EQ(hs.size(), 7u);
    EXPECT_TRUE(hs["D816*"].detected);
    EXPECT_TRUE(hs["V654A"].detected);
    EXPECT_FALSE(hs["T670I"].detected);
    EXPECT_EQ(hs["T670I"].depth, 0);  // exon 14 targeted but no reads generated there
    EXPECT_TRUE(std::isnan(hs["T670I"].lod_vaf));
    EXPECT_FALSE(hs["Y823D"].detected);
    EXPECT_GT(hs["Y823D"].depth, 50);
    EXPECT_LT(hs["Y823D"].lod_vaf, 0.2);
    // Y823 = c.2467-2469 = GRCh38 chr4:54733175-54733177 (D816 = 54733154-6, 3 bases per codon).
    EXPECT_EQ(hs["Y823D"].depth, std::min({g.truth.expected_depth(54733174), g.truth.expected_depth(54733175),
                                           g.truth.expected_depth(54733176)}));
}

bool have_samtools() {
    return std::system("samtools --version > /dev/null 2>&1") == 0;
}

TEST(BamCounts, Cram_WithReferenceCountsLikeTheBam_WithoutReferenceIsAClearError) {
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed (needed to convert the test BAM to CRAM)";
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("cram");
    const std::string fasta = dir + "/chr4_window.fa.gz", cram = dir + "/standard.cram";
    test::write_reference_fasta(g.spec, fasta);
    // The CRAM header carries M5/UR tags, as real CRAMs do; -f must win over both.
    const auto res = test::run_shell(
        "samtools view -C -T " + fasta + " -o " + cram + " " + g.path + " && samtools index " + cram, dir);
    ASSERT_EQ(res.exit_code, 0) << res.err;
    SourceOptions o = options_for(cram);
    Diagnostics diag;
    try {
        (void)count_bam(o, diag);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("-f/--reference"), std::string::npos) << e.what();
    }
    o.reference_fasta = fasta;
    // The test FASTA stops after the KIT window and htslib takes @SQ LN from the reference, so
    // the length no longer tells the build here (a real chr4 FASTA would): name it.
    o.build = Build::kGRCh38;
    const BamCountResult c = count_bam(o, diag);
    const BamCountResult b = count_bam(options_for(g.path), diag);
    EXPECT_EQ(c.info.format, InputFormat::kCram);
    EXPECT_TRUE(c.info.used_index);
    std::vector<std::uint32_t> dc, db;
    c.table.for_each_position([&](std::int64_t, const PositionCounts& x) { dc.push_back(x.depth()); });
    b.table.for_each_position([&](std::int64_t, const PositionCounts& x) { db.push_back(x.depth()); });
    EXPECT_EQ(dc, db);
    EXPECT_EQ(c.table.alleles().size(), b.table.alleles().size());
}

// Writes a small SAM with the given header and body.
std::string write_sam(const std::string& name, const std::string& text) {
    const std::string dir = test::temp_dir("sam_" + name);
    const std::string path = dir + "/" + name + ".sam";
    std::ofstream(path) << text;
    return path;
}

std::string sam_read(const std::string& name,
                     std::int64_t pos1,
                     const std::string& contig = "chr4",
                     Build build = Build::kGRCh38) {
    const std::string seq = test::reference_bases(build, pos1 - 1, pos1 + 19);
    return name + "\t0\t" + contig + "\t" + std::to_string(pos1) + "\t60\t20M\t*\t0\t0\t" + seq + "\t" +
           std::string(20, 'I') + "\n";
}

template <typename F>
std::string input_error_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "no InputError";
}

TEST(BamCounts, UnsortedInput_ReportsTheRecordAndHowToSort) {
    const std::string sam = write_sam("unsorted", "@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr4\tLN:190214555\n" +
                                                      sam_read("b", 54733120) + sam_read("a", 54733100));
    Diagnostics diag;
    const std::string msg = input_error_of([&] { (void)count_bam(options_for(sam), diag); });
    EXPECT_NE(msg.find("chr4:54733100"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not sorted"), std::string::npos) << msg;
    EXPECT_NE(msg.find("samtools sort"), std::string::npos) << msg;
}

TEST(BamCounts, NameSortedHeader_IsRejectedBeforeReading) {
    const std::string sam = write_sam(
        "qname", "@HD\tVN:1.6\tSO:queryname\n@SQ\tSN:chr4\tLN:190214555\n" + sam_read("a", 54733100));
    Diagnostics diag;
    const std::string msg = input_error_of([&] { (void)count_bam(options_for(sam), diag); });
    EXPECT_NE(msg.find("SO:queryname"), std::string::npos) << msg;
}

TEST(BamCounts, NoChromosome4_ListsTheContigs) {
    const std::string sam = write_sam("nochr4", "@SQ\tSN:chr1\tLN:1000\n@SQ\tSN:chr2\tLN:1000\n");
    Diagnostics diag;
    const std::string msg = input_error_of([&] { (void)count_bam(options_for(sam), diag); });
    EXPECT_NE(msg.find("no chromosome 4 contig"), std::string::npos) << msg;
    EXPECT_NE(msg.find("chr1, chr2"), std::string::npos) << msg;
}

TEST(BamCounts, UnknownChr4Length_AsksForBuild_AndBuildOptionOverrides) {
    const std::string sam = write_sam("nobuild", "@SQ\tSN:chr4\tLN:60000000\n" + sam_read("a", 54733100));
    Diagnostics diag;
    const std::string msg = input_error_of([&] { (void)count_bam(options_for(sam), diag); });
    EXPECT_NE(msg.find("cannot tell the genome build"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--build"), std::string::npos) << msg;
    SourceOptions o = options_for(sam);
    o.build = Build::kGRCh38;
    const BamCountResult r = count_bam(o, diag);
    EXPECT_EQ(r.info.build_evidence, "--build");
    EXPECT_EQ(r.table.depth_at(54733105), 1u);
}

TEST(BamCounts, BuildFromAssemblyTag_WhenLengthIsUnusual) {
    const std::string sam =
        write_sam("as", "@SQ\tSN:4\tLN:60000000\tAS:GRCh37\n" + sam_read("a", 55599300, "4", Build::kGRCh37));
    Diagnostics diag;
    const BamCountResult r = count_bam(options_for(sam), diag);
    EXPECT_EQ(r.info.build, Build::kGRCh37);
    EXPECT_EQ(r.info.contig, "4");
}

TEST(BamCounts, VcfGivenToCount_SaysItIsNotABam) {
    const std::string dir = test::temp_dir("vcf_to_count");
    std::ofstream(dir + "/x.vcf") << "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    Diagnostics diag;
    const std::string msg = input_error_of([&] { (void)count_bam(options_for(dir + "/x.vcf"), diag); });
    EXPECT_NE(msg.find("not a BAM, CRAM or SAM"), std::string::npos) << msg;
}

// --- real data: MSK-ACCESS SeraCare duplex / simplex consensus BAMs (MIT) --------------------

struct PileupCounts {
    std::map<char, int> reads;      // bases with quality >= min_q, per read
    std::map<char, int> fragments;  // per QNAME: agreeing mates once, disagreeing: higher quality
};

// Independent derivation: samtools mpileup with read names, grouped by fragment here.
PileupCounts mpileup_counts(const std::string& bam, const std::string& region, int min_q, int min_mapq) {
    const std::string dir = test::temp_dir("mpileup_access");
    const auto res = test::run_shell("samtools mpileup -A -x -B -d 0 -Q 0 -q " + std::to_string(min_mapq) +
                                         " --ff UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY --output-QNAME -r " +
                                         region + " " + bam,
                                     dir);
    EXPECT_EQ(res.exit_code, 0) << res.err;
    std::istringstream line(res.out);
    std::vector<std::string> f;
    for (std::string x; std::getline(line, x, '\t');) f.push_back(x);
    PileupCounts out{};
    if (f.size() < 7) return out;
    std::string bases;
    for (std::size_t i = 0; i < f[4].size(); ++i) {
        const char c = f[4][i];
        if (c == '^')
            ++i;
        else if (c == '$')
            continue;
        else if (c == '+' || c == '-') {
            std::size_t j = i + 1, n = 0;
            while (j < f[4].size() && std::isdigit(static_cast<unsigned char>(f[4][j])))
                n = n * 10 + static_cast<std::size_t>(f[4][j++] - '0');
            i = j + n - 1;
        } else
            bases.push_back(
                static_cast<char>(std::toupper(static_cast<unsigned char>(c))));  // no -f: bases as letters
    }
    std::vector<std::string> names;
    std::istringstream ns(f[6].substr(0, f[6].find('\n')));
    for (std::string n; std::getline(ns, n, ',');) names.push_back(n);
    std::map<std::string, std::vector<std::pair<char, int>>> by_name;
    for (std::size_t i = 0; i < bases.size() && i < names.size(); ++i) {
        const int q = f[5][i] - 33;
        if (q < min_q) continue;
        ++out.reads[bases[i]];
        by_name[names[i]].emplace_back(bases[i], q);
    }
    for (const auto& [name, v] : by_name) {
        if (v.size() == 1 || v[0].first == v[1].first)
            ++out.fragments[v[0].first];
        else if (v[0].second != v[1].second)
            ++out.fragments[v[0].second > v[1].second ? v[0].first : v[1].first];
        else
            ++out.fragments['N'];
    }
    return out;
}

TEST(BamCounts, AccessDuplex_D816V_FragmentsAndReadsAgreeWithMpileupGroupedByName) {
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed (independent derivation)";
    const std::string bam = test::test_data("bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam");
    SourceOptions o;
    o.path = bam;
    o.exons = {17};
    Diagnostics diag;
    const BamCountResult r = count_bam(o, diag);
    EXPECT_EQ(r.info.build, Build::kGRCh37);
    EXPECT_EQ(r.sample, "TD-seracare-5per_IGO_05500_EZ_29");
    const std::int64_t d816 = 55599320;  // 1-based 55599321, A>T
    const PositionCounts* c = r.table.at(d816);
    ASSERT_NE(c, nullptr);
    PileupCounts want = mpileup_counts(bam, "4:55599321-55599321", 20, 20);
    EXPECT_EQ(static_cast<int>(c->total(kSlotT)), want.fragments['T']);
    EXPECT_EQ(static_cast<int>(c->total(kSlotA)), want.fragments['A']);
    const AlleleCount* v = find_allele(r.table, d816, "A", "T");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(static_cast<int>(v->total()), want.fragments['T']);
    // The numbers this test pins (documented in docs/count_format.md): 58 of 1174 fragments.
    EXPECT_EQ(v->total(), 58u);
    EXPECT_EQ(c->depth(), 1174u);

    // Read counting without quality filters reproduces mpileup -A (the realdata README's
    // A=1339 T=62 N=4 is mpileup without -A, which drops 37 reads of non-proper pairs here).
    o.count.count_overlapping_mates_once = false;
    o.count.min_baseq = 0;
    o.count.min_mapq = 0;
    const BamCountResult reads = count_bam(o, diag);
    PileupCounts raw = mpileup_counts(bam, "4:55599321-55599321", 0, 0);
    const PositionCounts* rc = reads.table.at(d816);
    EXPECT_EQ(static_cast<int>(rc->total(kSlotT)), raw.reads['T']);
    EXPECT_EQ(static_cast<int>(rc->total(kSlotA)), raw.reads['A']);
    EXPECT_EQ(static_cast<int>(rc->total(kSlotN)), raw.reads['N']);
    EXPECT_EQ(rc->total(kSlotT), 65u);  // A 1372, T 65, N 5 = samtools mpileup -A -Q0
}

TEST(BamCounts, AccessSimplex_D816V_CalledAt30Of515Fragments) {
    KITRX_REQUIRE_SHARED("realdata/bam/mskaccess_seracare_ctdna_simplex.KIT.GRCh37.bam");
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed (independent derivation)";
    const std::string bam = test::shared_path("realdata/bam/mskaccess_seracare_ctdna_simplex.KIT.GRCh37.bam");
    SourceOptions o;
    o.path = bam;
    o.exons = {17};
    Diagnostics diag;
    const BamCountResult r = count_bam(o, diag);
    PileupCounts want = mpileup_counts(bam, "4:55599321-55599321", 20, 20);
    const AlleleCount* v = find_allele(r.table, 55599320, "A", "T");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(static_cast<int>(v->total()), want.fragments['T']);
    EXPECT_EQ(v->total(), 30u);
    EXPECT_EQ(r.table.depth_at(55599320), 515u);
}

}  // namespace
}  // namespace kitrx
