// SPDX-License-Identifier: MIT
#include "kitrx/validation/validation.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <zlib.h>

namespace kitrx {
namespace {

// ---------------------------------------------------------------------------------------------
// Keys

TEST(VariantKeys, ProteinFormsReduceToTheShortOneLetterName) {
    EXPECT_EQ(normalise_protein("p.Asp816Val"), "D816V");
    EXPECT_EQ(normalise_protein("p.(Asp816Val)"), "D816V");
    EXPECT_EQ(normalise_protein("D816V"), "D816V");
    EXPECT_EQ(normalise_protein("p.Val560_Tyr578del"), "V560_Y578del");
    // Horizon writes the deleted residues and a space; kitrx does not.
    EXPECT_EQ(normalise_protein("p.E746_A750 delELREA"), "E746_A750del");
    EXPECT_EQ(normalise_protein("p.Q556_K558delinsVE"), "Q556_K558delinsVE");
}

TEST(VariantKeys, SynonymousStopAndFrameshiftSpellingsAgree) {
    EXPECT_EQ(normalise_protein("p.L862L"), "L862=");
    EXPECT_EQ(normalise_protein("p.Leu862="), "L862=");
    EXPECT_EQ(normalise_protein("R888X"), "R888*");
    EXPECT_EQ(normalise_protein("p.Arg888Ter"), "R888*");
    EXPECT_EQ(normalise_protein("p.L238fs*25"), "L238fs");
    EXPECT_EQ(normalise_protein("p.Glu561GlyfsTer19"), "E561fs");
    EXPECT_EQ(normalise_protein("E561Gfs*19"), "E561fs");
}

TEST(VariantKeys, CodingDropsDeletedBases) {
    EXPECT_EQ(normalise_coding("c.1679_1681delTTG"), "c.1679_1681del");
    EXPECT_EQ(normalise_coding("1504_1509dupGCCTAT"), "c.1504_1509dup");
    EXPECT_EQ(normalise_coding("NM_000222.3:c.2447A>T"), "c.2447A>T");
    EXPECT_EQ(normalise_coding("c.1666_1672delinsGTGG"), "c.1666_1672delinsGTGG");
}

TEST(VariantKeys, GenomicSpellingsGiveOneKeyAndTrimSharedBases) {
    const VariantKey a = parse_variant_key("", "chr4:55599321:A:T");
    EXPECT_EQ(a.kind, KeyKind::kGenomic);
    EXPECT_EQ(a.text, "4:55599321:A:T");
    EXPECT_EQ(parse_variant_key("KIT", "4-55599321-A-T"), a);
    EXPECT_EQ(parse_variant_key("KIT", "chr4:g.55599321A>T"), a);
    EXPECT_EQ(parse_variant_key("KIT", "NC_000004.11:g.55599321A>T"), a);
    // ACGT>AGT: shared suffix T, then G: the deletion of C after the anchor A.
    EXPECT_EQ(genomic_key_text("chr4", 100, "ACGT", "AGT"), "4:100:AC:A");
    // MNV written with a shared first base moves right.
    EXPECT_EQ(genomic_key_text("4", 100, "GAT", "GCT"), "4:101:A:C");
    EXPECT_EQ(genomic_key_text("4", 100, "<DEL>", "A"), "");
}

TEST(VariantKeys, GenePrefixAndColumnAreUsedForProteinAndCodingKeys) {
    EXPECT_EQ(parse_variant_key("KIT", "D816V").str(), "KIT:p.D816V");
    EXPECT_EQ(parse_variant_key("", "KIT:p.D816V").str(), "KIT:p.D816V");
    EXPECT_EQ(parse_variant_key("kit", "c.2447A>T").str(), "KIT:c.2447A>T");
    EXPECT_THROW((void)parse_variant_key("", "D816V"), std::invalid_argument);
    EXPECT_THROW((void)parse_variant_key("PDGFRA", "KIT:D816V"), std::invalid_argument);
    EXPECT_THROW((void)parse_variant_key("KIT", "hotspot"), std::invalid_argument);
}

TEST(VariantKeys, ObservedCallAnswersToProteinCodingAndGenomicKeys) {
    ObservedVariant v;
    v.gene = "KIT";
    v.protein = "D816V";
    v.hgvs_c = "c.2447A>T";
    v.chrom = "chr4";
    v.pos1 = 55599321;
    v.ref = "A";
    v.alt = "T";
    const auto keys = v.keys();
    for (const char* text : {"p.Asp816Val", "c.2447A>T", "4:55599321:A:T"}) {
        const VariantKey k = parse_variant_key("KIT", text);
        EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << text;
    }
    EXPECT_EQ(std::find(keys.begin(), keys.end(), parse_variant_key("KIT", "D816H")), keys.end());
}

// ---------------------------------------------------------------------------------------------
// Truth table

TruthSet truth_from(const std::string& text) {
    std::istringstream in(text);
    return read_truth_tsv(in, "truth.tsv");
}

std::string error_of(const std::string& text) {
    try {
        (void)truth_from(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

TEST(TruthTable, ReadsLevelsPercentagesNegativeRunsAndComments) {
    const TruthSet t = truth_from(
        "# co-culture mixture\n"
        "sample\tlevel\treplicate\tgene\tvariant\texpected_vaf\n"
        "mixA_1pct_r1\t1%\tr1\tKIT\tV560_Y578del\t0.0035\n"
        "mixA_1pct_r1\t0.01\tr1\tKIT\tp.Thr670Ile\t0.075%\n"
        "wt_r1\t0\tr1\t\t.\t\n");
    ASSERT_EQ(t.entries.size(), 3u);
    EXPECT_DOUBLE_EQ(t.entries[0].level, 0.01);
    EXPECT_EQ(t.entries[1].key->str(), "KIT:p.T670I");
    EXPECT_DOUBLE_EQ(t.entries[1].expected_vaf, 0.00075);
    EXPECT_EQ(t.entries[1].line, 4);
    EXPECT_FALSE(t.entries[2].key.has_value());
    EXPECT_EQ(t.entries[2].sample, "wt_r1");
}

TEST(TruthTable, UnknownColumnNamesFileLineColumnAndAllowedColumns) {
    const std::string e = error_of("sample\tgene\tvariant\texpeced_vaf\n");
    EXPECT_NE(e.find("truth.tsv:1:21"), std::string::npos) << e;
    EXPECT_NE(e.find("expeced_vaf"), std::string::npos) << e;
    EXPECT_NE(e.find("allowed columns: sample, level"), std::string::npos) << e;
}

TEST(TruthTable, FractionAboveOneWithoutPercentIsRejectedAtItsColumn) {
    const std::string e = error_of("sample\tgene\tvariant\texpected_vaf\nS1\tKIT\tD816V\t10\n");
    EXPECT_NE(e.find("truth.tsv:2:14"), std::string::npos) << e;
    EXPECT_NE(e.find("7.5%"), std::string::npos) << e;
}

TEST(TruthTable, RunWithTwoLevelsIsRejected) {
    const std::string e = error_of(
        "sample\tlevel\tgene\tvariant\texpected_vaf\n"
        "S1\t0.01\tKIT\tD816V\t0.005\n"
        "S1\t0.05\tKIT\tT670I\t0.005\n");
    EXPECT_NE(e.find("truth.tsv:3:4"), std::string::npos) << e;
    EXPECT_NE(e.find("line 2"), std::string::npos) << e;
}

TEST(TruthTable, MalformedVariantAndDuplicateKeyAreRejected) {
    EXPECT_NE(error_of("gene\tvariant\texpected_vaf\nKIT\texon11\t0.1\n").find("truth.tsv:2:5"),
              std::string::npos);
    const std::string dup = error_of("gene\tvariant\texpected_vaf\nKIT\tD816V\t0.1\nKIT\tp.Asp816Val\t0.1\n");
    EXPECT_NE(dup.find("truth.tsv:3:5"), std::string::npos) << dup;
    EXPECT_NE(dup.find("listed twice"), std::string::npos) << dup;
}

TEST(TruthTable, VcfTruthUsesExpectedVafPerAltForEverySample) {
    std::istringstream in(
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "chr4\t55599321\t.\tA\tT\t.\t.\tVAF=0.10;GENE=KIT\n"
        "chr4\t55602765\t.\tG\tC,T\t.\t.\tEXPECTED_VAF=0.075,0.01;VAF=0.5\n");
    const TruthSet t = read_truth_vcf(in, "truth.vcf");
    ASSERT_EQ(t.entries.size(), 3u);
    EXPECT_EQ(t.entries[0].sample, "*");
    EXPECT_EQ(t.entries[0].key->text, "4:55599321:A:T");
    EXPECT_EQ(t.entries[0].gene, "KIT");
    EXPECT_DOUBLE_EQ(t.entries[1].expected_vaf, 0.075);
    EXPECT_DOUBLE_EQ(t.entries[2].expected_vaf, 0.01);
}

TEST(TruthTable, LoadTruthReadsGzipAndRejectsBcf) {
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp";
    std::filesystem::create_directories(dir);
    const std::string gz = dir + "/truth_unit.tsv.gz", bcf = dir + "/truth_unit.bcf";
    {
        gzFile f = gzopen(gz.c_str(), "wb");
        const std::string text = "gene\tvariant\texpected_vaf\nKIT\tD816V\t0.1\n";
        gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
        gzclose(f);
        std::ofstream b(bcf, std::ios::binary);
        b << "BCF\2\2";
    }
    const TruthSet t = load_truth(gz);
    ASSERT_EQ(t.entries.size(), 1u);
    EXPECT_EQ(t.entries[0].key->str(), "KIT:p.D816V");
    EXPECT_THROW((void)load_truth(bcf), InputError);
    EXPECT_THROW((void)load_truth(dir + "/absent.tsv"), IoError);
}

// ---------------------------------------------------------------------------------------------
// Observed table

TEST(ObservedTable, ReadsKitrxVariantsTsvByColumnName) {
    std::istringstream in(
        "##kitrx_version=0.1.0\n"
        "sample\tchrom\tpos\tref\talt\tgene\ttranscript\texon\tcodon\thgvs_c\thgvs_p\tprotein\tconsequence\t"
        "domain\trole\tvaf\talt_reads\tdepth\taf_source\tfilter\n"
        "S1\tchr4\t55599321\tA\tT\tKIT\tNM_000222.3\t17\t816\tc.2447A>T\tp.Asp816Val\tD816V\tmissense_"
        "variant\t"
        "activation loop\tsecondary\t0.0784\t49\t625\tFORMAT/AD\tPASS\n"
        "S2\tchr4\t55595519\tC\tT\tKIT\tNM_000222.3\t14\t670\tc.2009C>T\tp.Thr670Ile\tT670I\tmissense_"
        "variant\t"
        "kinase\tsecondary\tNA\tNA\tNA\tNA\t.\n");
    const ObservedSet s = read_variants_table(in, "calls.tsv");
    ASSERT_EQ(s.variants.size(), 2u);
    EXPECT_EQ(s.samples, (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(s.variants[0].alt_reads, 49);
    EXPECT_DOUBLE_EQ(s.variants[0].vaf, 0.0784);
    EXPECT_EQ(s.variants[0].source, "calls.tsv:3");
    EXPECT_TRUE(std::isnan(s.variants[1].vaf));
    EXPECT_FALSE(s.variants[1].has_evidence());  // neither counts nor VAF
}

TEST(ObservedTable, MissingColumnAndBadCountAreInputErrors) {
    std::istringstream no_gene("sample\tchrom\tpos\tref\talt\n");
    EXPECT_THROW((void)read_variants_table(no_gene, "x.tsv"), InputError);
    std::istringstream bad("sample\tchrom\tpos\tref\talt\tgene\talt_reads\nS\tchr4\t1\tA\tT\tKIT\tmany\n");
    try {
        (void)read_variants_table(bad, "x.tsv");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("x.tsv:2:18"), std::string::npos) << e.what();
    }
}

TEST(ObservedSet, SameSampleFromTwoFilesIsAnError) {
    ObservedSet a, b;
    a.samples = {"S1"};
    a.sources = {"a.vcf"};
    b.samples = {"S1"};
    b.sources = {"b.vcf"};
    ObservedSet all;
    all.merge(a);
    EXPECT_THROW(all.merge(b), InputError);
}

// ---------------------------------------------------------------------------------------------
// Statistics

TEST(Statistics, WilsonIntervalMatchesPublishedValue) {
    // 19/20: Wilson 95% interval 0.7639-0.9911 (Newcombe 1998, method 3).
    const Proportion p = proportion(19, 20);
    EXPECT_DOUBLE_EQ(p.value, 0.95);
    EXPECT_NEAR(p.low, 0.7639, 5e-5);
    EXPECT_NEAR(p.high, 0.9911, 5e-5);
    EXPECT_TRUE(std::isnan(proportion(0, 0).value));
    EXPECT_DOUBLE_EQ(proportion(0, 10).low, 0.0);
    // The Wilson bounds at x = 0 and x = n are exactly 0 and 1 (algebra); validation_summary.tsv
    // printed 5.55112e-17 for 0/3 before it used the common interval.
    EXPECT_EQ(proportion(0, 3).low, 0.0);
    EXPECT_EQ(proportion(3, 3).high, 1.0);
}

TEST(Statistics, NormalQuantileInvertsTheCdf) {
    EXPECT_NEAR(normal_quantile(0.95), 1.6448536269514722, 1e-12);
    EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
    EXPECT_NEAR(normal_quantile(0.001), -3.090232306167813, 1e-10);
    EXPECT_TRUE(std::isnan(normal_quantile(1.0)));
    EXPECT_NEAR(normal_cdf(normal_quantile(0.3)), 0.3, 1e-14);
}

TEST(Statistics, BiasFitByHand) {
    // x = 1,2,3; y = 2,4,6.5: xbar 2, ybar 25/6, Sxx 2, Sxy 4.5 -> slope 2.25, intercept 25/6 - 4.5.
    const BiasFit f = fit_bias({1, 2, 3}, {2, 4, 6.5});
    EXPECT_NEAR(f.slope, 2.25, 1e-12);
    EXPECT_NEAR(f.intercept, 25.0 / 6.0 - 4.5, 1e-12);
    // Relative biases 1, 1, 7/6: mean 19/18, median 1.
    EXPECT_NEAR(f.mean_relative_bias, 19.0 / 18.0, 1e-12);
    EXPECT_NEAR(f.median_relative_bias, 1.0, 1e-12);
}

TEST(Statistics, LinConcordancePenalisesScaleAndShift) {
    EXPECT_NEAR(fit_bias({1, 2, 3}, {1, 2, 3}).ccc, 1.0, 1e-12);
    // y = 2x: sx2 = 2/3, sy2 = 8/3, sxy = 4/3, (xbar - ybar)^2 = 4 -> 2(4/3) / (2/3 + 8/3 + 4) = 8/22.
    const BiasFit f = fit_bias({1, 2, 3}, {2, 4, 6});
    EXPECT_NEAR(f.ccc, 8.0 / 22.0, 1e-12);
    EXPECT_NEAR(f.pearson_r, 1.0, 1e-12);
    EXPECT_TRUE(std::isnan(fit_bias({1}, {1}).slope));
}

TEST(Statistics, CoefficientOfVariationUsesSampleSd) {
    EXPECT_NEAR(coefficient_of_variation({1, 2, 3}), 0.5, 1e-12);
    EXPECT_TRUE(std::isnan(coefficient_of_variation({1})));
}

std::pair<std::vector<double>, std::vector<int>> dilution(const std::vector<double>& x,
                                                          const std::vector<int>& hits,
                                                          int n) {
    std::vector<double> xs;
    std::vector<int> ys;
    for (std::size_t i = 0; i < x.size(); ++i)
        for (int j = 0; j < n; ++j) {
            xs.push_back(x[i]);
            ys.push_back(j < hits[i] ? 1 : 0);
        }
    return {xs, ys};
}

TEST(Statistics, ProbitMaximumLikelihoodMatchesAnIndependentOptimiser) {
    // 10 replicates at log10 fractions -4..-2, detected 1,3,6,9,10. Reference estimate from a
    // Nelder-Mead maximisation of the same likelihood (python, math.erfc): a = 5.75057, b = 1.79033.
    const auto [x, y] = dilution({-4, -3.5, -3, -2.5, -2}, {1, 3, 6, 9, 10}, 10);
    const ProbitFit f = fit_probit(x, y, 0.95);
    ASSERT_TRUE(f.estimable) << f.note;
    EXPECT_NEAR(f.intercept, 5.75057, 2e-4);
    EXPECT_NEAR(f.slope, 1.79033, 1e-4);
    EXPECT_NEAR(f.x_target, -2.29327, 2e-4);  // 10^x = 0.00509
    EXPECT_LT(f.x_low, f.x_target);
    EXPECT_GT(f.x_high, f.x_target);
    // The score is zero at the maximum.
    double u0 = 0, u1 = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double eta = f.intercept + f.slope * x[i], mu = normal_cdf(eta);
        const double phi = std::exp(-0.5 * eta * eta) / std::sqrt(2 * M_PI);
        u0 += (y[i] - mu) * phi / (mu * (1 - mu));
        u1 += x[i] * (y[i] - mu) * phi / (mu * (1 - mu));
    }
    EXPECT_NEAR(u0, 0, 1e-6);
    EXPECT_NEAR(u1, 0, 1e-6);
}

TEST(Statistics, ProbitReportsSeparationAndDegenerateData) {
    const auto [x, y] = dilution({-4, -3, -2}, {0, 10, 10}, 10);
    const ProbitFit f = fit_probit(x, y);
    EXPECT_FALSE(f.estimable);
    EXPECT_NE(f.note.find("separation"), std::string::npos);
    EXPECT_FALSE(fit_probit({-3, -2}, {1, 1}).estimable);
    EXPECT_FALSE(fit_probit({-3, -3}, {0, 1}).estimable);
}

// ---------------------------------------------------------------------------------------------
// Matching and metrics

ObservedVariant call(const std::string& sample,
                     const std::string& protein,
                     std::int64_t alt,
                     std::int64_t depth,
                     const std::string& filter = "PASS") {
    ObservedVariant v;
    v.sample = sample;
    v.gene = "KIT";
    v.protein = protein;
    v.chrom = "chr4";
    v.pos1 = 1000 + static_cast<std::int64_t>(protein.size());
    v.ref = "A";
    v.alt = "T";
    v.alt_reads = alt;
    v.depth = depth;
    v.vaf = static_cast<double>(alt) / static_cast<double>(depth);
    v.filter = filter;
    v.source = "calls.tsv";
    return v;
}

ObservedSet observed_of(std::vector<ObservedVariant> calls, std::vector<std::string> samples) {
    ObservedSet s;
    s.variants = std::move(calls);
    s.samples = std::move(samples);
    return s;
}

const char* kDilutionTruth =
    "sample\tlevel\treplicate\tgene\tvariant\texpected_vaf\n"
    "hi_r1\t0.02\tr1\tKIT\tD816V\t0.01\n"
    "hi_r1\t0.02\tr1\tKIT\tT670I\t0.005\n"
    "hi_r2\t0.02\tr2\tKIT\tD816V\t0.01\n"
    "hi_r2\t0.02\tr2\tKIT\tT670I\t0.005\n"
    "lo_r1\t0.002\tr1\tKIT\tD816V\t0.001\n"
    "lo_r1\t0.002\tr1\tKIT\tT670I\t0.0005\n"
    "wt_r1\t0\tr1\t\t.\t\n";

TEST(Validate, CountsTruePositivesMissesAndUnexpectedCallsPerRun) {
    const TruthSet truth = truth_from(kDilutionTruth);
    const ObservedSet obs = observed_of(
        {call("hi_r1", "D816V", 12, 1000), call("hi_r1", "T670I", 6, 1000), call("hi_r2", "D816V", 8, 1000),
         call("hi_r2", "T670I", 4, 1000), call("lo_r1", "D816V", 1, 1000), call("wt_r1", "N822K", 2, 1000),
         call("hi_r1", "V654A", 0, 1000)},  // zero reads: not a call, not a FP
        {"hi_r1", "hi_r2", "lo_r1", "wt_r1"});
    Diagnostics diag;
    const ValidationResult r = validate(truth, obs, ValidationOptions{}, diag);
    EXPECT_EQ(r.overall.counts.tp, 5);
    EXPECT_EQ(r.overall.counts.fn, 1);
    EXPECT_EQ(r.overall.counts.fp, 1);
    EXPECT_NEAR(r.overall.counts.sensitivity.value, 5.0 / 6.0, 1e-12);
    EXPECT_NEAR(r.overall.counts.precision.value, 5.0 / 6.0, 1e-12);
    EXPECT_EQ(r.calls.back().status, CallStatus::kFalsePositive);
    EXPECT_EQ(r.calls.back().sample, "wt_r1");
    EXPECT_EQ(r.calls.back().variant, "N822K");
    // Levels 0, 0.002, 0.02 in ascending order.
    ASSERT_EQ(r.per_level.size(), 3u);
    EXPECT_EQ(r.per_level[0].counts.fp, 1);
    EXPECT_NEAR(r.per_level[1].counts.sensitivity.value, 0.5, 1e-12);
    EXPECT_NEAR(r.per_level[2].counts.sensitivity.value, 1.0, 1e-12);
    // Bias over the 5 TPs by hand: relative biases 0.2, 0.2, -0.2, -0.2, 0 -> mean 0.
    EXPECT_NEAR(r.overall.bias.mean_relative_bias, 0.0, 1e-12);
    // Replicate CV of D816V at 0.02: 0.012 and 0.008 -> sd 0.002828, mean 0.01.
    ASSERT_FALSE(r.replicate_cv.empty());
    const ReplicateCv& cv = r.replicate_cv.front();
    EXPECT_EQ(cv.key, "KIT:p.D816V");
    EXPECT_NEAR(cv.cv, std::sqrt(2.0) * 0.002 / 0.01, 1e-9);
    // Pooled LoD: level 0.02 detected 4/4, level 0.002 1/2 -> 0.02.
    EXPECT_DOUBLE_EQ(r.lod.lod_level, 0.02);
    EXPECT_NEAR(r.lod.lod_vaf, 0.0075, 1e-12);
    ASSERT_EQ(r.lod_per_variant.size(), 2u);
    EXPECT_DOUBLE_EQ(r.lod_per_variant[0].lod_level, 0.002);  // D816V found at both levels
}

TEST(Validate, ReplicateCvSeparatesMaterialsAtTheSameLevel) {
    // Two mixtures at level 0.2 carry T670I at different expected fractions: not replicates.
    const TruthSet truth = truth_from(
        "sample\tlevel\treplicate\tgene\tvariant\texpected_vaf\n"
        "A_r1\t0.2\tr1\tKIT\tT670I\t0.015\nA_r2\t0.2\tr2\tKIT\tT670I\t0.015\n"
        "B_r1\t0.2\tr1\tKIT\tT670I\t0.04\nB_r2\t0.2\tr2\tKIT\tT670I\t0.04\n");
    const ObservedSet obs = observed_of({call("A_r1", "T670I", 14, 1000), call("A_r2", "T670I", 16, 1000),
                                         call("B_r1", "T670I", 38, 1000), call("B_r2", "T670I", 42, 1000)},
                                        {"A_r1", "A_r2", "B_r1", "B_r2"});
    Diagnostics diag;
    const ValidationResult r = validate(truth, obs, ValidationOptions{}, diag);
    ASSERT_EQ(r.replicate_cv.size(), 2u);
    EXPECT_NEAR(r.replicate_cv[0].cv, std::sqrt(2.0) * 0.001 / 0.015, 1e-9);
    EXPECT_NEAR(r.replicate_cv[1].cv, std::sqrt(2.0) * 0.002 / 0.04, 1e-9);
}

TEST(Validate, FilteredMatchIsAMissWithTheReason) {
    const TruthSet truth = truth_from("sample\tgene\tvariant\texpected_vaf\nS1\tKIT\tD816V\t0.01\n");
    const ObservedSet obs = observed_of({call("S1", "D816V", 9, 1000, "weak_evidence")}, {"S1"});
    ValidationOptions options;
    options.pass_only = true;
    Diagnostics diag;
    const ValidationResult r = validate(truth, obs, options, diag);
    ASSERT_EQ(r.calls.size(), 1u);
    EXPECT_EQ(r.calls[0].status, CallStatus::kFalseNegative);
    EXPECT_EQ(r.calls[0].note, "FILTER weak_evidence");
    EXPECT_EQ(r.overall.counts.fp, 0);  // the filtered record is not a FP either
}

TEST(Validate, StarSampleAppliesToEveryObservedSample) {
    const TruthSet truth = truth_from("gene\tvariant\texpected_vaf\nKIT\tc.2447A>T\t0.1\n");
    ObservedVariant v = call("OncoSpan", "D816V", 49, 625);
    v.hgvs_c = "c.2447A>T";
    Diagnostics diag;
    const ValidationResult r =
        validate(truth, observed_of({v}, {"OncoSpan", "Other"}), ValidationOptions{}, diag);
    EXPECT_EQ(r.samples, (std::vector<std::string>{"OncoSpan", "Other"}));
    EXPECT_EQ(r.overall.counts.tp, 1);
    EXPECT_EQ(r.overall.counts.fn, 1);
}

TEST(Validate, NoTruthSampleInObservedIsAnInputErrorNamingBoth) {
    const TruthSet truth = truth_from("sample\tgene\tvariant\texpected_vaf\nS1\tKIT\tD816V\t0.01\n");
    Diagnostics diag;
    try {
        (void)validate(truth, observed_of({}, {"tumor"}), ValidationOptions{}, diag);
        FAIL() << "no error";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("truth.tsv:2"), std::string::npos) << m;
        EXPECT_NE(m.find("truth: S1"), std::string::npos) << m;
        EXPECT_NE(m.find("observed: tumor"), std::string::npos) << m;
    }
}

TEST(Validate, VafBinsFollowTheEdges) {
    const TruthSet truth = truth_from(kDilutionTruth);
    Diagnostics diag;
    ValidationOptions options;
    options.vaf_bins = {0.001, 0.01};
    const ValidationResult r =
        validate(truth, observed_of({}, {"hi_r1", "hi_r2", "lo_r1", "wt_r1"}), options, diag);
    ASSERT_EQ(r.per_vaf_bin.size(), 3u);
    EXPECT_EQ(r.per_vaf_bin[0].group, "vaf=[0,0.001)");  // 0.0005
    EXPECT_EQ(r.per_vaf_bin[0].counts.fn, 1);
    EXPECT_EQ(r.per_vaf_bin[1].group, "vaf=[0.001,0.01)");  // 0.005 x2, 0.001
    EXPECT_EQ(r.per_vaf_bin[1].counts.fn, 3);
    EXPECT_EQ(r.per_vaf_bin[2].group, "vaf=[0.01,1]");  // 0.01 x2
    EXPECT_EQ(r.per_vaf_bin[2].counts.fn, 2);
}

// ---------------------------------------------------------------------------------------------
// Acceptance

std::string acceptance_error(const std::string& yaml) {
    try {
        (void)parse_acceptance(yaml, "acc.yaml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

TEST(Acceptance, DefaultFileLoadsWithTheIssueCriteria) {
    const AcceptanceCriteria ac = default_acceptance();
    ASSERT_EQ(ac.criteria.size(), 3u);
    EXPECT_EQ(ac.criteria[0].metric, "sensitivity");
    EXPECT_DOUBLE_EQ(*ac.criteria[0].min, 0.95);
    EXPECT_DOUBLE_EQ(ac.criteria[0].where.min_expected_vaf, 0.005);
    EXPECT_EQ(ac.criteria[1].where.genes, (std::vector<std::string>{"KIT"}));
    EXPECT_DOUBLE_EQ(*ac.criteria[2].max_abs, 0.2);
}

TEST(Acceptance, UnknownKeyIsReportedAtItsLineAndColumnWithAllowedKeys) {
    const std::string e = acceptance_error(
        "criteria:\n"
        "  - id: s\n"
        "    metric: sensitivity\n"
        "    minimum: 0.95\n");
    EXPECT_NE(e.find("acc.yaml:4:5"), std::string::npos) << e;
    EXPECT_NE(e.find("unknown key 'minimum'"), std::string::npos) << e;
    EXPECT_NE(e.find("allowed keys: id, description, metric, min"), std::string::npos) << e;
}

// A list used as a key was an "internal error ... please report" (yaml-cpp's bad conversion);
// it is the user's file that is wrong: one input error at the key (line 2, column 7 by hand).
TEST(Acceptance, AListAsKeyIsAnInputErrorAtTheKey) {
    const std::string e = acceptance_error(
        "criteria:\n"
        "  - ? [a]\n"
        "    : 1\n");
    EXPECT_NE(e.find("acc.yaml:2:7"), std::string::npos) << e;
    EXPECT_NE(e.find("a key must be a plain name"), std::string::npos) << e;
}

TEST(Acceptance, UnknownMetricMissingBoundSyntaxAndDuplicateIdAreErrors) {
    EXPECT_NE(
        acceptance_error("criteria:\n  - id: s\n    metric: sensitivty\n    min: 1\n").find("acc.yaml:3:13"),
        std::string::npos);
    EXPECT_NE(acceptance_error("criteria:\n  - id: s\n    metric: precision\n").find("no bound"),
              std::string::npos);
    EXPECT_NE(acceptance_error("criteria: [\n").find("acc.yaml:"), std::string::npos);
    EXPECT_NE(acceptance_error(
                  "criteria:\n  - {id: a, metric: ccc, min: 0.9}\n  - {id: a, metric: ccc, min: 0.8}\n")
                  .find("duplicate id 'a'"),
              std::string::npos);
    EXPECT_NE(acceptance_error("criteria:\n  - {id: a, metric: ccc, min: high}\n").find("acc.yaml:2:31"),
              std::string::npos);
}

TEST(Acceptance, PercentagesAndFiltersDecideThePassAndFail) {
    const TruthSet truth = truth_from(kDilutionTruth);
    const ObservedSet obs = observed_of(
        {call("hi_r1", "D816V", 10, 1000), call("hi_r1", "T670I", 5, 1000), call("hi_r2", "D816V", 10, 1000),
         call("hi_r2", "T670I", 5, 1000), call("wt_r1", "N822K", 2, 1000)},
        {"hi_r1", "hi_r2", "lo_r1", "wt_r1"});
    Diagnostics diag;
    const ValidationResult r = validate(truth, obs, ValidationOptions{}, diag);
    const AcceptanceCriteria ac = parse_acceptance(
        "name: test\ncriteria:\n"
        "  - {id: sens_high, metric: sensitivity, min: 95%, where: {min_expected_vaf: 0.005}}\n"
        "  - {id: sens_all, metric: sensitivity, min: 95%}\n"
        "  - {id: fp, metric: false_positives, max: 0, where: {genes: [kit]}}\n"
        "  - {id: fp_pdgfra, metric: false_positives, max: 0, where: {genes: [PDGFRA]}}\n"
        "  - {id: bias, metric: mean_relative_bias, max_abs: 0.2}\n"
        "  - {id: cv, metric: max_cv, max: 0.1, where: {min_level: 0.5}}\n",
        "acc.yaml");
    const AcceptanceVerdict v = evaluate_acceptance(ac, r);
    ASSERT_EQ(v.results.size(), 6u);
    EXPECT_TRUE(v.results[0].pass);   // 4/4 at >= 0.005
    EXPECT_FALSE(v.results[1].pass);  // 4/6 overall
    EXPECT_NEAR(v.results[1].value, 4.0 / 6.0, 1e-12);
    EXPECT_FALSE(v.results[2].pass);  // N822K in KIT
    EXPECT_DOUBLE_EQ(v.results[2].value, 1.0);
    EXPECT_TRUE(v.results[3].pass);   // no PDGFRA call
    EXPECT_TRUE(v.results[4].pass);   // observed == expected
    EXPECT_FALSE(v.results[5].pass);  // no run at level >= 0.5: not evaluable
    EXPECT_NE(v.results[5].detail.find("not evaluable"), std::string::npos);
    EXPECT_FALSE(v.pass);
}

}  // namespace
}  // namespace kitrx
