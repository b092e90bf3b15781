// SPDX-License-Identifier: MIT
#include "kitrx/clones/timepoints.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "kit_builders.hpp"

namespace kitrx {
namespace {

using test::make_variant;
using test::primary;
using test::secondary;

SampleClones clones_of(const std::string& sample, const std::vector<test::VariantSpec>& specs) {
    const ActivityPanel panel = test::approved_panel();
    std::vector<AnnotatedVariant> variants;
    for (auto spec : specs) {
        spec.sample = sample;
        variants.push_back(make_variant(spec, panel));
    }
    return build_clones(variants, {}).at(0);
}

// Patient P1, four timepoints given out of order:
//   t0: exon 11 200/1000, V654A 0/800 (zero reads)     -> V654A not detected
//   t1: exon 11 200/1000, V654A 40/1000  fraction 0.2, 95% (0.1443, 0.2773)      -> emerging
//   t2: exon 11 100/1000, V654A 60/1000  fraction 0.6; MOVER-R with Wilson(60,1000) =
//       (0.0468965, 0.0764711) and Wilson(100,1000) = (0.0829094, 0.1201520):
//       low = 0.4416 > 0.2773 and 0.6 >= 2 x 0.2                                 -> expanding
//   t3: exon 11 100/1000, V654A absent                                         -> clearing
// The primary: VAF 0.2 -> 0.2 stable; 0.2 -> 0.1 contracting (Wilson high 0.1202 < low 0.1764).
TEST(Trajectories, EmergingExpandingClearing) {
    const SampleClones t0 = clones_of("t0", {primary("V559D", 200, 1000), secondary("V654A", 13, 0, 800)});
    const SampleClones t1 = clones_of("t1", {primary("V559D", 200, 1000), secondary("V654A", 13, 40, 1000)});
    const SampleClones t2 = clones_of("t2", {primary("V559D", 100, 1000), secondary("V654A", 13, 60, 1000)});
    const SampleClones t3 = clones_of("t3", {primary("V559D", 100, 1000)});
    const Clone* v2 = t2.find("KIT:V654A");
    ASSERT_NE(v2, nullptr);
    EXPECT_NEAR(v2->fraction, 0.6, 1e-12);
    EXPECT_GT(v2->fraction_ci.low, 0.2773288170);

    const std::vector<TimepointSample> samples = {
        {"P1", "56", 2, &t2}, {"P1", "0", 0, &t0}, {"P1", "84", 3, &t3}, {"P1", "28", 1, &t1}};
    const auto trajectories = build_trajectories(samples);
    ASSERT_EQ(trajectories.size(), 2u);
    const CloneTrajectory& p = trajectories[0];
    EXPECT_EQ(p.clone, "KIT:V559D");
    EXPECT_EQ(p.role, VariantRole::kPrimary);
    ASSERT_EQ(p.calls.size(), 3u);
    EXPECT_EQ(p.calls[0], TrajectoryCall::kStable);
    EXPECT_EQ(p.calls[1], TrajectoryCall::kContracting);
    EXPECT_EQ(p.metrics[1], TrajectoryMetric::kVaf);

    const CloneTrajectory& v = trajectories[1];
    EXPECT_EQ(v.clone, "KIT:V654A");
    EXPECT_EQ(v.variants, "V654A");
    ASSERT_EQ(v.points.size(), 4u);
    EXPECT_EQ(v.points[0].timepoint, "0");
    EXPECT_EQ(v.points[0].sample, "t0");
    EXPECT_TRUE(v.points[0].assessed);
    EXPECT_EQ(v.points[0].status, CloneStatus::kNotDetected);
    EXPECT_FALSE(v.points[3].assessed);
    EXPECT_EQ(v.calls, (std::vector<TrajectoryCall>{TrajectoryCall::kEmerging, TrajectoryCall::kExpanding,
                                                    TrajectoryCall::kClearing}));
    EXPECT_EQ(v.metrics[1], TrajectoryMetric::kCloneFraction);
    EXPECT_EQ(v.latest, TrajectoryCall::kClearing);
    EXPECT_EQ(to_string(v.calls[1]), "expanding");
}

TEST(Trajectories, FoldWithoutSeparatedIntervalsIsStable) {
    // 0.2 -> 0.45 is >= 2-fold, but with 5/100 vs 9/80 reads the intervals overlap.
    TrajectoryPoint a, b;
    a.status = b.status = CloneStatus::kDetected;
    a.primary_detected = b.primary_detected = true;
    a.fraction = 0.2;
    a.fraction_ci = {0.08, 0.45};
    b.fraction = 0.45;
    b.fraction_ci = {0.25, 0.7};
    TrajectoryMetric m = TrajectoryMetric::kVaf;
    EXPECT_EQ(call_change(a, b, VariantRole::kSecondary, {}, &m), TrajectoryCall::kStable);
    EXPECT_EQ(m, TrajectoryMetric::kCloneFraction);
    TrajectoryOptions loose;
    loose.require_ci_separation = false;
    EXPECT_EQ(call_change(a, b, VariantRole::kSecondary, loose), TrajectoryCall::kExpanding);
    // Without intervals (no counts) the fold alone decides.
    a.fraction_ci = b.fraction_ci = ConfidenceInterval{};
    EXPECT_EQ(call_change(a, b, VariantRole::kSecondary, {}), TrajectoryCall::kExpanding);
    // Primary missing at one timepoint: compare VAFs instead.
    b.primary_detected = false;
    a.vaf = 0.02;
    b.vaf = 0.021;
    EXPECT_EQ(call_change(a, b, VariantRole::kSecondary, {}, &m), TrajectoryCall::kStable);
    EXPECT_EQ(m, TrajectoryMetric::kVaf);
    a.status = b.status = CloneStatus::kNotDetected;
    EXPECT_EQ(call_change(a, b, VariantRole::kSecondary, {}), TrajectoryCall::kAbsent);
    EXPECT_THROW((void)build_trajectories({}, TrajectoryOptions{1.0, true}), std::invalid_argument);
}

TEST(Trajectories, PatientsKeptApartAndSingleTimepoint) {
    const SampleClones a = clones_of("a", {primary("V559D", 200, 1000), secondary("N822K", 17, 10, 1000)});
    const SampleClones b = clones_of("b", {primary("V559D", 300, 1000)});
    const auto t = build_trajectories({{"P1", "baseline", 0, &a}, {"P2", "baseline", 0, &b}});
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].patient, "P1");
    EXPECT_EQ(t[2].patient, "P2");
    EXPECT_TRUE(t[1].calls.empty());
    EXPECT_EQ(t[1].latest, TrajectoryCall::kStable);
}

TEST(SampleSheet, ReadsAndOrdersTimepoints) {
    std::istringstream in(
        "# comment\n"
        "patient\tsample\ttimepoint\tinput\n"
        "P1\tS3\t56\tp1.vcf.gz\n"
        "P1\tS1\t0\tp1.vcf.gz\n"
        "P2\tX\tbaseline\t/abs/x.bam\n"
        "P2\tY\tprogression\ty.bam\r\n"
        "P1\tS2\t28\tp1.vcf.gz\n"
        "\n");
    const auto rows = read_sample_sheet(in, "sheets/s.tsv");
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0].sample, "S3");
    EXPECT_EQ(rows[0].order, 2);  // numeric: 0 < 28 < 56
    EXPECT_EQ(rows[1].order, 0);
    EXPECT_EQ(rows[4].order, 1);
    EXPECT_EQ(rows[2].order, 0);  // labels: sheet order
    EXPECT_EQ(rows[3].order, 1);
    EXPECT_EQ(rows[3].input, "y.bam");
    EXPECT_EQ(rows[0].input_resolved, "sheets/p1.vcf.gz");
    EXPECT_EQ(rows[2].input_resolved, "/abs/x.bam");
    EXPECT_EQ(rows[0].where.to_string(), "sheets/s.tsv:3");
}

TEST(SampleSheet, IsoDatesSortChronologically) {
    std::istringstream in("sample\tpatient\ttimepoint\tinput\nb\tP\t2024-03-01\tx\na\tP\t2023-12-24\tx\n");
    const auto rows = read_sample_sheet(in, "s.tsv");
    EXPECT_EQ(rows[0].order, 1);
    EXPECT_EQ(rows[1].order, 0);
}

TEST(SampleSheet, CollectsRowProblemsWithLineNumbers) {
    std::istringstream in(
        "sample\tpatient\ttimepoint\tinput\n"  // 1
        "S1\tP1\t0\ta.vcf\n"                   // 2
        "S2\tP1\t0\ta.vcf\n"                   // 3 duplicate timepoint
        "S3\tP1\n"                             // 4 too few fields
        "S4\tP1\t\ta.vcf\n"                    // 5 empty timepoint
        "S1\tP1\t9\ta.vcf\n");                 // 6 duplicate (input, sample)
    try {
        (void)read_sample_sheet(in, "s.tsv");
        FAIL();
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("s.tsv:3: patient 'P1' has timepoint '0' twice; first at line 2"),
                  std::string::npos)
            << what;
        EXPECT_NE(what.find("s.tsv:4: expected 4 tab-separated fields, found 2"), std::string::npos) << what;
        EXPECT_NE(what.find("s.tsv:5: empty 'timepoint' field"), std::string::npos) << what;
        EXPECT_NE(what.find("s.tsv:6: sample 'S1' of 'a.vcf' is listed twice; first at line 2"),
                  std::string::npos)
            << what;
        EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 3);
    }
}

TEST(SampleSheet, RejectsBadHeaderAndEmptySheet) {
    std::istringstream bad("sample\tpatient\twhen\tinput\n");
    try {
        (void)read_sample_sheet(bad, "h.tsv");
        FAIL();
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("h.tsv:1: unknown column 'when'"), std::string::npos) << what;
        EXPECT_NE(what.find("h.tsv:1: missing column 'timepoint'"), std::string::npos) << what;
    }
    std::istringstream empty("# nothing\n");
    EXPECT_THROW((void)read_sample_sheet(empty, "e.tsv"), InputError);
    std::istringstream header_only("sample\tpatient\ttimepoint\tinput\n");
    EXPECT_THROW((void)read_sample_sheet(header_only, "e.tsv"), InputError);
    EXPECT_THROW((void)read_sample_sheet("/nonexistent/sheet.tsv"), IoError);
}

}  // namespace
}  // namespace kitrx
