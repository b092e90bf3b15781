// SPDX-License-Identifier: MIT
// Clone fractions and intervals against hand-computed values.
//
// Formulas (z = 1.959963984540054, z^2 = 3.841458820694124):
//   Wilson(x, n) = (x + z^2/2 -+ z sqrt(x (n - x) / n + z^2 / 4)) / (n + z^2)
//   MOVER-R for r = p2 / p1 (Donner & Zou 2012), a = p2 p1:
//     L = (a - sqrt(a^2 - l2 u1 (2 p2 - l2)(2 p1 - u1))) / (u1 (2 p1 - u1))
//     U = (a + sqrt(a^2 - u2 l1 (2 p2 - u2)(2 p1 - l1))) / (l1 (2 p1 - l1))
// The numbers below were worked out from these formulas by hand / a desk calculator (python3
// one-liners), not by running kitrx.
#include "kitrx/clones/clones.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "kit_builders.hpp"
#include "kitrx/common/stats.hpp"

namespace kitrx {
namespace {

using test::make_variant;
using test::primary;
using test::secondary;

constexpr double kTol = 1e-7;

TEST(Wilson, HandComputed) {
    // 200/1000: (200 + 1.920729 -+ 1.959964 * sqrt(160 + 0.960365)) / 1003.841459
    //         = (201.920729 -+ 24.866094) / 1003.841459 = 0.1763770904, 0.2259189646
    const ProportionInterval a = wilson_interval(200, 1000);
    EXPECT_NEAR(a.low, 0.1763770904, kTol);
    EXPECT_NEAR(a.high, 0.2259189646, kTol);
    // 40/1000: (41.920729 -+ 1.959964 * sqrt(38.4 + 0.960365)) / 1003.841459 = 0.0295109737, 0.0540096441
    const ProportionInterval b = wilson_interval(40, 1000);
    EXPECT_NEAR(b.low, 0.0295109737, kTol);
    EXPECT_NEAR(b.high, 0.0540096441, kTol);
    // 0/800: low exactly 0, high = z^2 / (800 + z^2) = 3.841459 / 803.841459 = 0.0047788762
    const ProportionInterval c = wilson_interval(0, 800);
    EXPECT_EQ(c.low, 0.0);
    EXPECT_NEAR(c.high, 0.0047788762, kTol);
    EXPECT_FALSE(wilson_interval(1, 0).known());
    EXPECT_FALSE(wilson_interval(5, 3).known());
}

TEST(MoverR, ExactDenominatorReducesToScaledNumeratorInterval) {
    // With a point-mass denominator (l1 = u1 = p1) MOVER-R gives [l2 / p1, u2 / p1].
    const ConfidenceInterval r = mover_r_ratio(0.04, {0.03, 0.05}, 0.2, {0.2, 0.2});
    EXPECT_NEAR(r.low, 0.15, 1e-12);
    EXPECT_NEAR(r.high, 0.25, 1e-12);
    EXPECT_FALSE(mover_r_ratio(0.04, {}, 0.2, {0.1, 0.3}).known());
    EXPECT_FALSE(mover_r_ratio(0.04, {0.03, 0.05}, 0.0, {0.0, 0.1}).known());
}

// Exon 11 primary 200/1000 reads, V654A 40/1000.
//   clone fraction = 0.04 / 0.2 = 0.2
//   a = 0.008; l2 = 0.0295109737, u2 = 0.0540096441, l1 = 0.1763770904, u1 = 0.2259189646
//   L = (0.008 - sqrt(6.4e-5 - l2 u1 (0.08 - l2)(0.4 - u1))) / (u1 (0.4 - u1))
//     = (0.008 - sqrt(6.4e-5 - 0.0295110*0.2259190*0.0504890*0.1740810)) / (0.2259190*0.1740810)
//     = (0.008 - sqrt(6.4e-5 - 5.85983e-5)) / 0.0393282 = (0.008 - 0.0023241) / 0.0393282 = 0.1443196876
//   U = (0.008 + sqrt(6.4e-5 - u2 l1 (0.08 - u2)(0.4 - l1))) / (l1 (0.4 - l1))
//     = (0.008 + sqrt(6.4e-5 - 0.0540096*0.1763771*0.0259904*0.2236229)) / (0.1763771*0.2236229)
//     = (0.008 + sqrt(6.4e-5 - 5.53659e-5)) / 0.0394420 = 0.2773288170
//   tumour fraction = 2 * 0.2 = 0.4, interval 2 * Wilson(200, 1000) = 0.3527541809, 0.4518379293
TEST(Clones, FractionAndIntervalHandComputed) {
    const ActivityPanel panel = test::approved_panel();
    const std::vector<AnnotatedVariant> variants = {make_variant(primary("W557_K558del", 200, 1000), panel),
                                                    make_variant(secondary("V654A", 13, 40, 1000), panel)};
    const auto samples = build_clones(variants, {});
    ASSERT_EQ(samples.size(), 1u);
    const SampleClones& s = samples[0];
    ASSERT_TRUE(s.primary_detected());
    EXPECT_NEAR(s.tumour_fraction, 0.4, 1e-12);
    EXPECT_NEAR(s.tumour_fraction_ci.low, 0.3527541809, kTol);
    EXPECT_NEAR(s.tumour_fraction_ci.high, 0.4518379293, kTol);
    ASSERT_EQ(s.clones.size(), 2u);
    const Clone& ref = s.clones[static_cast<std::size_t>(s.reference)];
    EXPECT_EQ(ref.id, "KIT:W557_K558del");
    EXPECT_EQ(ref.role, VariantRole::kPrimary);
    EXPECT_DOUBLE_EQ(ref.fraction, 1.0);
    EXPECT_TRUE(ref.has_flag(kFlagTruncalReference));
    const Clone* v654a = s.find("KIT:V654A");
    ASSERT_NE(v654a, nullptr);
    EXPECT_EQ(v654a->status, CloneStatus::kDetected);
    EXPECT_EQ(v654a->variant_names(), "V654A");
    EXPECT_NEAR(v654a->vaf, 0.04, 1e-12);
    EXPECT_NEAR(v654a->fraction, 0.2, 1e-12);
    EXPECT_NEAR(v654a->fraction_ci.low, 0.1443196876, kTol);
    EXPECT_NEAR(v654a->fraction_ci.high, 0.2773288170, kTol);
    EXPECT_TRUE(s.flags.empty());
    // Activity of the clone = the V654A calls (secondary context).
    ASSERT_EQ(v654a->activity.size(), 5u);
    EXPECT_EQ(v654a->activity[1], Activity::kSensitive);  // sunitinib
    EXPECT_EQ(v654a->activity[2], Activity::kResistant);  // regorafenib
}

// Hand-derived from the evidence file (10.7): a pocket (exon 13) and a loop (exon 17) secondary
// in one sample get the phase note naming both and the --cis-group rerun; one of them alone does not.
TEST(Clones, PhaseUnknownNoteForAPocketAndALoopSecondary) {
    const ActivityPanel panel = test::approved_panel();
    const auto both = build_clones({make_variant(primary("W557_K558del", 200, 1000), panel),
                                    make_variant(secondary("V654A", 13, 40, 1000), panel),
                                    make_variant(secondary("D816H", 17, 30, 1000), panel)},
                                   {});
    ASSERT_EQ(both.size(), 1u);
    const std::string note = phase_unknown_note(both[0]);
    EXPECT_NE(note.find("ATP-pocket (V654A) and activation-loop (D816H)"), std::string::npos) << note;
    EXPECT_NE(note.find("--cis-group V654A,D816H"), std::string::npos) << note;
    const auto pocket_only = build_clones({make_variant(primary("W557_K558del", 200, 1000), panel),
                                           make_variant(secondary("V654A", 13, 40, 1000), panel)},
                                          {});
    EXPECT_EQ(phase_unknown_note(pocket_only[0]), "");
}

// Primary 100/500 (0.2), secondary 90/600 (0.15): r = 0.75;
//   Wilson(100,500) = 0.1672854990, 0.2372891053; Wilson(90,600) = 0.1236595758, 0.1807936149
//   MOVER-R: L = 0.5796339067, U = 0.9712351924.
TEST(Clones, DifferentDepthsHandComputed) {
    const ActivityPanel panel = test::approved_panel();
    const auto s = build_clones({make_variant(primary("V559D", 100, 500), panel),
                                 make_variant(secondary("N822K", 17, 90, 600), panel)},
                                {})[0];
    const Clone* c = s.find("KIT:N822K");
    ASSERT_NE(c, nullptr);
    EXPECT_NEAR(c->fraction, 0.75, 1e-12);
    EXPECT_NEAR(c->fraction_ci.low, 0.5796339067, kTol);
    EXPECT_NEAR(c->fraction_ci.high, 0.9712351924, kTol);
}

TEST(Clones, FractionAboveOneIsCappedAndFlagged) {
    const ActivityPanel panel = test::approved_panel();
    const auto s = build_clones({make_variant(primary("V559D", 100, 1000), panel),
                                 make_variant(secondary("V654A", 13, 150, 1000), panel)},
                                {})[0];
    const Clone* c = s.find("KIT:V654A");
    ASSERT_NE(c, nullptr);
    EXPECT_DOUBLE_EQ(c->fraction, 1.0);
    EXPECT_NEAR(c->fraction_uncapped, 1.5, 1e-12);
    EXPECT_TRUE(c->has_flag(kFlagCapped));
    EXPECT_LE(c->fraction_ci.high, 1.0);
    EXPECT_LE(c->fraction_ci.low, 1.0);
}

TEST(Clones, WithoutCountsIntervalsAreUnknownAndFlagged) {
    const ActivityPanel panel = test::approved_panel();
    test::VariantSpec p = primary("V559D", -1, -1);
    p.vaf = 0.3;
    test::VariantSpec v = secondary("V654A", 13, -1, -1);
    v.vaf = 0.06;
    const auto s = build_clones({make_variant(p, panel), make_variant(v, panel)}, {})[0];
    const Clone* c = s.find("KIT:V654A");
    ASSERT_NE(c, nullptr);
    EXPECT_NEAR(c->fraction, 0.2, 1e-12);
    EXPECT_FALSE(c->fraction_ci.known());
    EXPECT_TRUE(c->has_flag(kFlagNoCounts));
    EXPECT_TRUE(s.has_flag(kFlagNoCounts));
    EXPECT_NEAR(s.tumour_fraction, 0.6, 1e-12);
    EXPECT_FALSE(s.tumour_fraction_ci.known());
}

// No primary detected: shares of the detected KIT burden 0.03 / (0.03 + 0.01) = 0.75 and 0.25.
// Issue 15: without a primary the clones keep their VAF (hand: 30/1000, 10/1000) and have no
// fraction; the old burden shares (0.75 / 0.25) read as clone fractions of a tumour nobody saw.
TEST(Clones, PrimaryNotDetectedReportsVafOnly) {
    const ActivityPanel panel = test::approved_panel();
    const auto s = build_clones({make_variant(secondary("V654A", 13, 30, 1000), panel),
                                 make_variant(secondary("N822K", 17, 10, 1000), panel)},
                                {})[0];
    EXPECT_FALSE(s.primary_detected());
    EXPECT_TRUE(s.has_flag(kFlagPrimaryNotDetected));
    EXPECT_TRUE(std::isnan(s.tumour_fraction));
    ASSERT_EQ(s.clones.size(), 2u);
    EXPECT_EQ(s.clones[0].id, "KIT:V654A");
    EXPECT_NEAR(s.clones[0].vaf, 0.03, 1e-12);
    EXPECT_NEAR(s.clones[1].vaf, 0.01, 1e-12);
    EXPECT_TRUE(std::isnan(s.clones[0].fraction));
    EXPECT_TRUE(std::isnan(s.clones[1].fraction));
    EXPECT_FALSE(s.clones[0].fraction_ci.known());
    EXPECT_TRUE(s.clones[0].has_flag(kFlagPrimaryNotDetected));
}

// A primary record with zero reads is not detected: the sample falls back as well.
TEST(Clones, PrimaryWithZeroReadsIsNotDetected) {
    const ActivityPanel panel = test::approved_panel();
    const auto s = build_clones({make_variant(primary("V559D", 0, 900), panel),
                                 make_variant(secondary("V654A", 13, 30, 1000), panel)},
                                {})[0];
    EXPECT_FALSE(s.primary_detected());
    EXPECT_TRUE(s.has_flag(kFlagPrimaryNotDetected));
    const Clone* p = s.find("KIT:V559D");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->status, CloneStatus::kNotDetected);
    EXPECT_TRUE(std::isnan(s.find("KIT:V654A")->fraction));
}

// Exon 11 at 0.2 and exon 9 at 0.1: exon 11 is the truncal reference, exon 9 gets 0.5.
TEST(Clones, HighestPrimaryIsTheReference) {
    const ActivityPanel panel = test::approved_panel();
    test::VariantSpec ex9 = primary("A502_Y503dup", 100, 1000);
    ex9.exon = 9;
    const auto s = build_clones({make_variant(ex9, panel), make_variant(primary("V559D", 200, 1000), panel),
                                 make_variant(secondary("V654A", 13, 40, 1000), panel)},
                                {})[0];
    EXPECT_TRUE(s.has_flag(kFlagMultiplePrimaries));
    EXPECT_EQ(s.reference, 0);
    EXPECT_EQ(s.clones[0].id, "KIT:V559D");
    EXPECT_EQ(s.clones[1].id, "KIT:A502_Y503dup");
    EXPECT_EQ(s.clones[1].role, VariantRole::kPrimary);
    EXPECT_NEAR(s.clones[1].fraction, 0.5, 1e-12);
    EXPECT_EQ(s.clones[2].id, "KIT:V654A");
    EXPECT_EQ(s.detected_secondaries().size(), 1u);
}

// Zero-count record and a BAM hotspot with nothing seen: not detected, fraction 0,
// interval [0, U] with U = u2 / sqrt(l1 (2 p1 - l1)) when x2 = 0:
//   0/800: u2 = 0.0047788762; l1 (0.4 - l1) = 0.1763771 * 0.2236229 = 0.0394420
//   U = 0.0047788762 / sqrt(0.0394420) = 0.0240628213. LoD fraction = 0.01 / 0.2 = 0.05.
TEST(Clones, NotDetectedRecordsAndHotspots) {
    const ActivityPanel panel = test::approved_panel();
    HotspotStatus h;
    h.sample = "S1";
    h.gene = "KIT";
    h.label = "D816*";
    h.codon = 816;
    h.depth = 800;
    h.detected = false;
    h.lod_vaf = 0.01;
    HotspotStatus seen = h;
    seen.label = "V654*";
    seen.detected = true;
    const auto s = build_clones({make_variant(primary("V559D", 200, 1000), panel),
                                 make_variant(secondary("N822K", 17, 0, 800), panel)},
                                {h, seen})[0];
    ASSERT_EQ(s.clones.size(), 3u);
    const Clone* n822k = s.find("KIT:N822K");
    ASSERT_NE(n822k, nullptr);
    EXPECT_EQ(n822k->status, CloneStatus::kNotDetected);
    EXPECT_DOUBLE_EQ(n822k->fraction, 0.0);
    EXPECT_DOUBLE_EQ(n822k->fraction_ci.low, 0.0);
    EXPECT_NEAR(n822k->fraction_ci.high, 0.0240628213, kTol);
    const Clone* d816 = s.find("KIT:D816*");
    ASSERT_NE(d816, nullptr);
    EXPECT_EQ(d816->status, CloneStatus::kNotDetected);
    EXPECT_TRUE(d816->has_flag(kFlagHotspot));
    EXPECT_NEAR(d816->lod_vaf, 0.01, 1e-12);
    EXPECT_NEAR(d816->lod_fraction, 0.05, 1e-12);
    EXPECT_NEAR(d816->fraction_ci.high, 0.0240628213, kTol);
    EXPECT_EQ(s.find("KIT:V654*"), nullptr);  // detected hotspots come as variants
    EXPECT_TRUE(s.detected_secondaries().empty());
    EXPECT_EQ(to_string(CloneStatus::kNotDetected), "not_detected");
}

// Cis grouping pools the counts (40 + 44) / (1000 + 1100) = 0.04 and takes the least
// favourable call per drug: sunitinib S (V654A) vs R (D820Y) -> R; ripretinib I vs S -> I;
// avapritinib U vs S -> U.
TEST(Clones, CisGroupPoolsCountsAndTakesLeastFavourableCall) {
    const ActivityPanel panel = test::approved_panel();
    const std::vector<AnnotatedVariant> variants = {make_variant(primary("V559D", 200, 1000), panel),
                                                    make_variant(secondary("V654A", 13, 40, 1000), panel),
                                                    make_variant(secondary("D820Y", 17, 44, 1100), panel)};
    CloneOptions options;
    options.cis_groups = {{"KIT:V654A", "D820Y"}};
    const auto polyclonal = build_clones(variants, {}, options)[0];  // group_cis off: two clones
    EXPECT_EQ(polyclonal.clones.size(), 3u);
    options.group_cis = true;
    const auto s = build_clones(variants, {}, options)[0];
    ASSERT_EQ(s.clones.size(), 2u);
    const Clone& c = s.clones[1];
    EXPECT_EQ(c.id, "KIT:V654A+D820Y");
    EXPECT_EQ(c.variant_names(), "V654A,D820Y");
    EXPECT_EQ(c.short_name(), "V654A+D820Y");
    EXPECT_TRUE(c.has_flag(kFlagCisGroup));
    EXPECT_EQ(c.alt_reads, 84);
    EXPECT_EQ(c.depth, 2100);
    EXPECT_NEAR(c.vaf, 0.04, 1e-12);
    EXPECT_NEAR(c.fraction, 0.2, 1e-12);
    EXPECT_EQ(c.activity[1], Activity::kResistant);     // sunitinib
    EXPECT_EQ(c.activity[2], Activity::kResistant);     // regorafenib
    EXPECT_EQ(c.activity[3], Activity::kIntermediate);  // ripretinib
    EXPECT_EQ(c.activity[4], Activity::kUnknown);       // avapritinib
    options.cis_groups = {{"KIT:"}};
    EXPECT_THROW((void)build_clones(variants, {}, options), std::invalid_argument);
}

TEST(Clones, SamplesKeptApartInFirstSeenOrderAndIneligibleVariantsIgnored) {
    const ActivityPanel panel = test::approved_panel();
    AnnotatedVariant syn = make_variant(secondary("V654=", 13, 50, 1000, "S2"), panel);
    syn.variant.name.consequence = Consequence::kSynonymous;
    AnnotatedVariant unknown_role = make_variant(secondary("K642E", 13, 50, 1000, "S2"), panel);
    unknown_role.variant.role = VariantRole::kUnknown;
    const auto samples = build_clones({make_variant(primary("V559D", 200, 1000, "S2"), panel), syn,
                                       unknown_role, make_variant(primary("V559D", 300, 1000, "S1"), panel)},
                                      {});
    ASSERT_EQ(samples.size(), 2u);
    EXPECT_EQ(samples[0].sample, "S2");
    EXPECT_EQ(samples[0].clones.size(), 1u);
    EXPECT_EQ(samples[1].sample, "S1");
    EXPECT_NEAR(samples[1].tumour_fraction, 0.6, 1e-12);
}

TEST(Clones, SecondariesOrderedByDecreasingFraction) {
    const ActivityPanel panel = test::approved_panel();
    const auto s = build_clones({make_variant(secondary("N822K", 17, 10, 1000), panel),
                                 make_variant(primary("V559D", 250, 1000), panel),
                                 make_variant(secondary("V654A", 13, 20, 1000), panel)},
                                {})[0];
    ASSERT_EQ(s.clones.size(), 3u);
    EXPECT_EQ(s.clones[0].id, "KIT:V559D");
    EXPECT_EQ(s.clones[1].id, "KIT:V654A");
    EXPECT_EQ(s.clones[2].id, "KIT:N822K");
    EXPECT_EQ(least_favourable(Activity::kUnknown, Activity::kIntermediate), Activity::kUnknown);
    EXPECT_EQ(least_favourable(Activity::kUnknown, Activity::kResistant), Activity::kResistant);
    EXPECT_EQ(most_favourable(Activity::kUnknown, Activity::kResistant), Activity::kUnknown);
    EXPECT_EQ(most_favourable(Activity::kIntermediate, Activity::kSensitive), Activity::kSensitive);
}

}  // namespace
}  // namespace kitrx
