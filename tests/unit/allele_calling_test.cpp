// SPDX-License-Identifier: MIT
// Statistics against published or exactly computed values; calls and hotspots on hand-made reads.
#include "kitrx/io/allele_calling.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "read_builder.hpp"
#include "test_paths.hpp"

namespace kitrx {
namespace {

TEST(WilsonInterval, MatchesNewcombe1998TableI) {
    // Newcombe RG, Stat Med 1998;17:857-872, Table I, method 3 (score interval without CC).
    struct Case {
        int k, n;
        double low, high;
    };
    for (const Case c : {Case{81, 263, 0.2553, 0.3662}, Case{15, 148, 0.0624, 0.1605},
                         Case{0, 20, 0.0, 0.1611}, Case{1, 29, 0.0061, 0.1718}}) {
        const auto ci = wilson_interval(c.k, c.n);
        EXPECT_NEAR(ci.low, c.low, 6e-5) << c.k << "/" << c.n;
        EXPECT_NEAR(ci.high, c.high, 6e-5) << c.k << "/" << c.n;
    }
    EXPECT_TRUE(std::isnan(wilson_interval(0, 0).low));
}

TEST(BinomialUpperTail, MatchesExactRationalSums) {
    // Values computed with exact fractions: 1 - sum_{j<k} C(n,j) p^j (1-p)^(n-j).
    EXPECT_NEAR(binomial_upper_tail(1, 10, 0.1), 1 - std::pow(0.9, 10), 1e-12);
    EXPECT_NEAR(binomial_upper_tail(3, 1000, 0.001), 0.08020934284020105, 1e-12);
    EXPECT_NEAR(binomial_upper_tail(4, 1000, 0.001), 0.01892683345036041, 1e-12);
    EXPECT_NEAR(binomial_upper_tail(5, 1000, 0.001), 0.00363687802952179, 1e-13);
    EXPECT_NEAR(binomial_upper_tail(58, 1174, 0.001) / 3.7259523272265496e-76, 1.0, 1e-9);
    EXPECT_EQ(binomial_upper_tail(0, 10, 0.5), 1.0);
    EXPECT_EQ(binomial_upper_tail(11, 10, 0.5), 0.0);
}

TEST(FisherExact, MatchesTextbookTables) {
    EXPECT_NEAR(fisher_exact_two_sided(3, 1, 1, 3), 34.0 / 70.0, 1e-12);  // lady tasting tea
    EXPECT_NEAR(fisher_exact_two_sided(1, 9, 11, 3), 0.002759, 1e-6);     // Wikipedia example
    EXPECT_NEAR(fisher_exact_two_sided(10, 10, 10, 10), 1.0, 1e-12);
}

TEST(LimitOfDetection, CriticalCountAndPowerAtDepth1000) {
    const CountOptions o;  // alpha 0.01, min_alt_reads 3, min_vaf 0
    // P(X>=4 | 1000, 0.001) = 0.0189 >= 0.01, P(X>=5) = 0.0036 < 0.01 (values above).
    EXPECT_EQ(critical_alt_count(1000, 0.001, o), 5);
    const double lod = limit_of_detection(1000, 0.001, o);
    EXPECT_NEAR(lod, 0.0091299526, 1e-8);  // bisection on the exact binomial, computed independently
    EXPECT_GE(binomial_upper_tail(5, 1000, lod), 0.95);
    EXPECT_LT(binomial_upper_tail(5, 1000, lod - 1e-6), 0.95);
    CountOptions vaf = o;
    vaf.min_vaf = 0.01;
    EXPECT_EQ(critical_alt_count(1000, 0.001, vaf), 10);
    EXPECT_TRUE(std::isnan(limit_of_detection(0, 0.001, o)));
    EXPECT_TRUE(std::isnan(limit_of_detection(2, 0.001, o)));  // 3 alt reads cannot occur
}

TEST(BackgroundModel, KitrxTable_ExactAlleleRatesElseGlobal) {
    const std::string dir = test::temp_dir("background_kitrx");
    const auto& ref = GenomeModel::builtin(Build::kGRCh38).reference();
    const char base = ref.fetch(54733154, 54733155)[0];
    {
        std::ofstream f(dir + "/noise.tsv");
        f << "#chrom\tpos\tref\talt\trate\nchr4\t54733155\t" << base << "\tT\t0.004\nchr4\t54733155\t" << base
          << "\tG\t0\nchr4\t54733156\tN\tT\t0.5\n";
    }
    Diagnostics diag;
    const auto m = BackgroundModel::load(dir + "/noise.tsv", 0.001, ref, diag);
    EXPECT_DOUBLE_EQ(m.rate(54733154, std::string(1, base), "T"), 0.004);
    EXPECT_DOUBLE_EQ(m.rate(54733154, std::string(1, base), "G"), 0.001);  // listed as 0: global
    EXPECT_DOUBLE_EQ(m.rate(54733154, std::string(1, base), "C"), 0.001);  // not listed
    EXPECT_EQ(diag.warnings("noise_table_ref"), 1);                        // the 'N' row
}

TEST(BackgroundModel, MalformedRate_ReportsFileLineAndColumn) {
    const std::string dir = test::temp_dir("background_bad");
    const auto& ref = GenomeModel::builtin(Build::kGRCh38).reference();
    const char base = ref.fetch(54733154, 54733155)[0];
    {
        std::ofstream f(dir + "/noise.tsv");
        f << "chrom\tpos\tref\talt\trate\nchr4\t54733155\t" << base << "\tT\tlots\n";
    }
    Diagnostics diag;
    try {
        (void)BackgroundModel::load(dir + "/noise.tsv", 0.001, ref, diag);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("noise.tsv:2:5"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'lots'"), std::string::npos) << e.what();
    }
}

TEST(BackgroundModel, SequenceQcNoiseTable_RatePerBaseFromCounts) {
    KITRX_REQUIRE_SHARED("realdata/tables/mskaccess_seracare_noise_positions.KIT.GRCh37.tsv");
    Diagnostics diag;
    const auto m = BackgroundModel::load(
        test::shared_path("realdata/tables/mskaccess_seracare_noise_positions.KIT.GRCh37.tsv"), 0.001,
        GenomeModel::builtin(Build::kGRCh37).reference(), diag);
    // First row: 4 55589780 C ... A=1 ... total_acgt=709; sequence_qc positions are 0-based
    // (the reference has C at 1-based 55589781).
    EXPECT_DOUBLE_EQ(m.rate(55589780, "C", "A"), 1.0 / 709.0);
    EXPECT_DOUBLE_EQ(m.rate(55589780, "C", "T"), 0.001);  // count 0: global rate
    EXPECT_EQ(diag.warnings("noise_table_ref"), 0);
}

TEST(BackgroundModel, TableForTheOtherBuild_IsRejected) {
    KITRX_REQUIRE_SHARED("realdata/tables/mskaccess_seracare_noise_positions.KIT.GRCh37.tsv");
    Diagnostics diag;
    EXPECT_THROW((void)BackgroundModel::load(
                     test::shared_path("realdata/tables/mskaccess_seracare_noise_positions.KIT.GRCh37.tsv"),
                     0.001, GenomeModel::builtin(Build::kGRCh38).reference(), diag),
                 InputError);
}

// 100 forward/reverse alternating reads over KIT D816 (GRCh38), `alt` of them with A>T at
// 54733155 (1-based); alt reads forward only when `alt_forward_only`.
CountTable d816_table(int alt, bool alt_forward_only = false) {
    const auto& ref = GenomeModel::builtin(Build::kGRCh38).reference();
    const std::int64_t p = 54733130, x = 54733154;
    std::vector<test::ReadBuilder> reads;
    for (int i = 0; i < 100; ++i) {
        std::string s(ref.fetch(p, p + 50));
        if (i < alt) s[static_cast<std::size_t>(x - p)] = 'T';
        const bool reverse = i < alt ? (!alt_forward_only && i % 2) : i % 2;
        reads.emplace_back("r" + std::to_string(i));
        reads.back().pos0(p).cigar("50M").seq(s).flag(reverse ? kFlagReverse : 0);
    }
    ReadCounter counter(to_intervals(GenomeModel::builtin(Build::kGRCh38).targets({"KIT"}, {17})), ref,
                        CounterSettings{});
    for (auto& r : reads) counter.add(r.view());
    return counter.finish();
}

TEST(EvaluateAlleles, FiveOfHundred_CalledWithExactStatistics) {
    const CountTable t = d816_table(5);
    const auto calls = evaluate_alleles(t, BackgroundModel(0.001), CountOptions{});
    ASSERT_EQ(calls.size(), 1u);
    const AlleleCall& c = calls[0];
    EXPECT_EQ(c.allele.pos0, 54733154);
    EXPECT_EQ(c.depth, 100);
    EXPECT_DOUBLE_EQ(c.vaf, 0.05);
    EXPECT_DOUBLE_EQ(c.pvalue, binomial_upper_tail(5, 100, 0.001));
    EXPECT_TRUE(c.called);
    EXPECT_FALSE(c.strand_bias);
    EXPECT_EQ(c.ref_fwd + c.ref_rev, 95);
}

TEST(EvaluateAlleles, TwoAltReads_BelowMinAltReads_NotCalled) {
    const auto calls = evaluate_alleles(d816_table(2), BackgroundModel(0.001), CountOptions{});
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_LT(calls[0].pvalue, 0.01);
    EXPECT_FALSE(calls[0].called);
}

TEST(EvaluateAlleles, AltOnOneStrandOnly_FlaggedStrandBias) {
    const auto calls = evaluate_alleles(d816_table(30, true), BackgroundModel(0.001), CountOptions{});
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].allele.rev, 0u);
    EXPECT_LT(calls[0].strand_pvalue, kStrandBiasAlpha);
    EXPECT_TRUE(calls[0].strand_bias);
    EXPECT_TRUE(calls[0].called);
}

TEST(Hotspots, ShippedListMatchesTheKitProtein) {
    const auto& list = builtin_hotspots();
    ASSERT_EQ(list.size(), 7u);
    const Transcript& kit = GenomeModel::builtin(Build::kGRCh38).transcript("KIT");
    for (const auto& h : list) {
        EXPECT_EQ(h.gene, "KIT");
        EXPECT_EQ(kit.protein.at(static_cast<std::size_t>(h.codon - 1)), h.ref_aa) << h.label;
        EXPECT_EQ(h.label.substr(0, 1), std::string(1, h.ref_aa));
        EXPECT_FALSE(h.source.empty());
    }
}

TEST(Hotspots, CodonAfter_D816VAndSynonymous) {
    // D816V = c.2447A>T = GRCh38 chr4:54733155; codon 816 = GAC (c.2446-2448).
    const Transcript& kit = GenomeModel::builtin(Build::kGRCh38).transcript("KIT");
    EXPECT_EQ(codon_after(kit, 816, 54733154, "A", "T"), 'V');
    EXPECT_EQ(codon_after(kit, 816, 54733155, "C", "T"), 'D');  // GAT: synonymous
    EXPECT_EQ(codon_after(kit, 816, 54733000, "A", "T"), 'D');  // elsewhere
    EXPECT_EQ(codon_after(kit, 816, 54733154, "AC", "A"), '\0');
}

TEST(Hotspots, D816Detected_OtherExon17HotspotsNotDetectedWithDepthAndLod) {
    const CountTable t = d816_table(5);
    const CountOptions o;
    const BackgroundModel bg(0.001);
    const auto calls = evaluate_alleles(t, bg, o);
    const auto status = evaluate_hotspots(builtin_hotspots(), {"KIT"}, GenomeModel::builtin(Build::kGRCh38),
                                          t, calls, bg, o, "chr4");
    // Only exon 17 is counted: D816*, D820*, N822*, Y823D.
    ASSERT_EQ(status.size(), 4u);
    EXPECT_EQ(status[0].label, "D816*");
    EXPECT_TRUE(status[0].detected);
    EXPECT_EQ(status[0].best_alt_reads, 5);
    EXPECT_EQ(status[0].best_allele, "54733155 A>T");
    EXPECT_EQ(status[0].depth, 100);
    for (std::size_t i = 1; i < status.size(); ++i) {
        EXPECT_FALSE(status[i].detected) << status[i].label;
        EXPECT_EQ(status[i].best_allele, "");
        // Reads cover 54733131-54733180: D820 (54733164-6) to Y823 (54733173-5) at depth 100.
        EXPECT_EQ(status[i].depth, 100) << status[i].label;
        EXPECT_DOUBLE_EQ(status[i].lod_vaf, limit_of_detection(100, 0.001, o));
    }
}

}  // namespace
}  // namespace kitrx
