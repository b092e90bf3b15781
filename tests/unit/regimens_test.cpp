// SPDX-License-Identifier: MIT
// Regimen coverage, ranking, minimal drug sets, loading and the growth projection. The activity
// calls come from the evidence file (tests/support/kit_builders.hpp), not from the shipped panel.
#include "kitrx/regimens/regimens.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "kit_builders.hpp"

namespace kitrx {
namespace {

using test::make_variant;
using test::primary;
using test::secondary;

Regimen single(const std::string& drug) {
    Regimen r;
    r.id = drug;
    r.kind = RegimenKind::kSingle;
    r.drugs = {drug};
    r.steps = {ScheduleStep{{drug}, 7}};
    return r;
}

Regimen combination(const std::string& id, const std::vector<std::string>& drugs) {
    Regimen r;
    r.id = id;
    r.kind = RegimenKind::kCombination;
    r.drugs = drugs;
    r.steps = {ScheduleStep{drugs, 7}};
    r.hypothetical = true;
    return r;
}

// Sunitinib 3 days / regorafenib 4 days each week (NCT02164240).
Regimen su_rego_alternation() {
    Regimen r;
    r.id = "sunitinib_regorafenib_alternation";
    r.kind = RegimenKind::kAlternation;
    r.drugs = {"sunitinib", "regorafenib"};
    r.steps = {ScheduleStep{{"sunitinib"}, 3}, ScheduleStep{{"regorafenib"}, 4}};
    return r;
}

const CloneCoverage& coverage_of(const RegimenCoverage& rc, const SampleClones& s, const std::string& id) {
    for (const auto& c : rc.clones)
        if (s.clones[c.clone].id == id) return c;
    throw std::logic_error("clone not covered: " + id);
}

SampleClones sample_of(const std::vector<test::VariantSpec>& specs, const ActivityPanel& panel) {
    std::vector<AnnotatedVariant> variants;
    for (const auto& spec : specs) variants.push_back(make_variant(spec, panel));
    auto samples = build_clones(variants, {});
    return samples.at(0);
}

// ---------------------------------------------------------------------------------------------
// The four scenarios of issue 6.

TEST(RegimenScience, Exon11PlusV654A_SunitinibCoversAll_RegorafenibLeavesV654AEscaping) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s =
        sample_of({primary("W557_K558del", 200, 1000), secondary("V654A", 13, 40, 1000)}, panel);
    const RegimenCoverage su = evaluate_regimen(s, single("sunitinib"), panel);
    EXPECT_EQ(su.n_covered, 2);
    EXPECT_EQ(coverage_of(su, s, "KIT:V654A").status, CoverageStatus::kCovered);
    EXPECT_EQ(coverage_of(su, s, "KIT:W557_K558del").status, CoverageStatus::kCovered);
    EXPECT_DOUBLE_EQ(su.covered_burden, 1.0);
    EXPECT_EQ(su.largest_escaping, -1);
    EXPECT_EQ(su.clone_list(s, {CoverageStatus::kCovered}), "W557_K558del,V654A");

    const RegimenCoverage rego = evaluate_regimen(s, single("regorafenib"), panel);
    EXPECT_EQ(coverage_of(rego, s, "KIT:V654A").status, CoverageStatus::kEscapingResistant);
    EXPECT_EQ(coverage_of(rego, s, "KIT:W557_K558del").status, CoverageStatus::kCovered);
    EXPECT_EQ(rego.n_escaping_resistant, 1);
    EXPECT_DOUBLE_EQ(rego.covered_burden, 0.0);
    EXPECT_DOUBLE_EQ(rego.resistant_burden, 1.0);
    ASSERT_GE(rego.largest_escaping, 0);
    EXPECT_EQ(s.clones[static_cast<std::size_t>(rego.largest_escaping)].id, "KIT:V654A");
    EXPECT_EQ(rego.clone_list(s, {CoverageStatus::kEscapingResistant}), "V654A");
}

TEST(RegimenScience, Exon11PlusN822KPlusD820Y_RegorafenibAndRipretinibCover_SunitinibLeavesBoth) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of(
        {primary("V559D", 300, 1000), secondary("N822K", 17, 30, 1000), secondary("D820Y", 17, 15, 1000)},
        panel);
    for (const std::string drug : {"regorafenib", "ripretinib"}) {
        const RegimenCoverage rc = evaluate_regimen(s, single(drug), panel);
        EXPECT_EQ(rc.n_covered, 3) << drug;
        EXPECT_EQ(rc.n_escaping_resistant + rc.n_escaping_unknown + rc.n_partial + rc.n_partial_time, 0)
            << drug;
        EXPECT_DOUBLE_EQ(rc.covered_burden, 1.0) << drug;
    }
    const RegimenCoverage su = evaluate_regimen(s, single("sunitinib"), panel);
    EXPECT_EQ(coverage_of(su, s, "KIT:N822K").status, CoverageStatus::kEscapingResistant);
    EXPECT_EQ(coverage_of(su, s, "KIT:D820Y").status, CoverageStatus::kEscapingResistant);
    EXPECT_EQ(su.n_escaping_resistant, 2);
    EXPECT_EQ(su.clone_list(s, {CoverageStatus::kEscapingResistant}), "N822K,D820Y");
    // Largest escaping clone: N822K (0.03 / 0.3 = 0.1) over D820Y (0.05).
    EXPECT_EQ(s.clones[static_cast<std::size_t>(su.largest_escaping)].id, "KIT:N822K");
}

// Exon 11 at 25%, V654A 2%, N822K 1%: clone fractions 0.08 and 0.04 (sum 0.12).
//   alternation: V654A sensitive 3/7 of the week (sunitinib), N822K 4/7 (regorafenib)
//   covered burden = (0.08 * 3/7 + 0.04 * 4/7) / 0.12 = (0.40 / 7) / 0.12 = 10/21
//   resistant burden = (0.08 * 4/7 + 0.04 * 3/7) / 0.12 = 11/21
TEST(RegimenScience, V654APlusN822K_NeitherAloneCovers_AlternationCoversPartOfEachWeek) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of(
        {primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000), secondary("N822K", 17, 10, 1000)},
        panel);
    const Regimen su_regimen = single("sunitinib"),
                  rego_regimen = single("regorafenib");  // outlive the coverages
    const RegimenCoverage su = evaluate_regimen(s, su_regimen, panel);
    const RegimenCoverage rego = evaluate_regimen(s, rego_regimen, panel);
    EXPECT_EQ(coverage_of(su, s, "KIT:N822K").status, CoverageStatus::kEscapingResistant);
    EXPECT_EQ(coverage_of(rego, s, "KIT:V654A").status, CoverageStatus::kEscapingResistant);
    EXPECT_GT(su.n_escaping_resistant, 0);
    EXPECT_GT(rego.n_escaping_resistant, 0);

    const Regimen alt = su_rego_alternation();
    EXPECT_EQ(alt.period_days(), 7);
    EXPECT_EQ(alt.drugs_label(), "sunitinib 3d / regorafenib 4d");
    const RegimenCoverage rc = evaluate_regimen(s, alt, panel);
    const CloneCoverage& v654a = coverage_of(rc, s, "KIT:V654A");
    const CloneCoverage& n822k = coverage_of(rc, s, "KIT:N822K");
    EXPECT_EQ(v654a.status, CoverageStatus::kPartialTime);
    EXPECT_EQ(n822k.status, CoverageStatus::kPartialTime);
    EXPECT_NEAR(v654a.time_sensitive, 3.0 / 7.0, 1e-12);
    EXPECT_NEAR(v654a.time_resistant, 4.0 / 7.0, 1e-12);
    EXPECT_NEAR(n822k.time_sensitive, 4.0 / 7.0, 1e-12);
    EXPECT_EQ(coverage_of(rc, s, "KIT:V559D").status, CoverageStatus::kCovered);
    EXPECT_EQ(rc.n_escaping_resistant + rc.n_escaping_unknown, 0);
    EXPECT_NEAR(rc.covered_burden, 10.0 / 21.0, 1e-12);
    EXPECT_NEAR(rc.resistant_burden, 11.0 / 21.0, 1e-12);
    EXPECT_NEAR(rc.covered_burden + rc.partial_burden + rc.unknown_burden + rc.resistant_burden, 1.0, 1e-12);
    EXPECT_EQ(rc.largest_escaping, -1);

    // Ranking (issue 14 rule) with evidence-free test calls (every regimen in one tier): by covered
    // burden, sunitinib (V654A 20/250 = 0.08 of 0.12: 2/3) > alternation (10/21) > regorafenib (1/3).
    std::vector<RegimenCoverage> ranked = {rego, rc, su};
    rank_regimens(ranked);
    EXPECT_EQ(ranked[0].regimen->id, "sunitinib");
    EXPECT_EQ(ranked[1].regimen->id, "sunitinib_regorafenib_alternation");
    EXPECT_EQ(ranked[2].regimen->id, "regorafenib");
    EXPECT_EQ(ranked[0].rank, 1);

    // Minimal drug set among the approved agents: sunitinib (only drug sensitive for V654A) plus
    // one of regorafenib, ripretinib, avapritinib (sensitive for N822K); all three ties listed.
    const DrugSetResult sets = minimal_drug_sets(s, panel);
    EXPECT_TRUE(sets.covers_all);
    EXPECT_EQ(sets.target_clones, 3u);
    EXPECT_EQ(sets.covered_clones, 3u);
    const std::vector<std::vector<std::string>> expected = {
        {"sunitinib", "regorafenib"}, {"sunitinib", "ripretinib"}, {"sunitinib", "avapritinib"}};
    EXPECT_EQ(sets.sets, expected);
    // Restricted to sunitinib and regorafenib the answer is exactly that pair.
    EXPECT_EQ(minimal_drug_sets(s, panel, {"regorafenib", "sunitinib"}).sets,
              (std::vector<std::vector<std::string>>{{"sunitinib", "regorafenib"}}));

    // A panel where one drug covers both (sorafenib: V654A S and N822K S, H12) gives that drug.
    const ActivityPanel wide = test::make_panel({"imatinib", "sunitinib", "regorafenib", "sorafenib"});
    const SampleClones s2 = sample_of(
        {primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000), secondary("N822K", 17, 10, 1000)},
        wide);
    EXPECT_EQ(minimal_drug_sets(s2, wide).sets, (std::vector<std::vector<std::string>>{{"sorafenib"}}));
}

TEST(RegimenScience, D816V_SunitinibAndRegorafenibEscape_AvapritinibCovers) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of({primary("V559D", 200, 1000), secondary("D816V", 17, 20, 1000)}, panel);
    EXPECT_EQ(coverage_of(evaluate_regimen(s, single("sunitinib"), panel), s, "KIT:D816V").status,
              CoverageStatus::kEscapingResistant);
    EXPECT_EQ(coverage_of(evaluate_regimen(s, single("regorafenib"), panel), s, "KIT:D816V").status,
              CoverageStatus::kEscapingResistant);
    EXPECT_EQ(coverage_of(evaluate_regimen(s, su_rego_alternation(), panel), s, "KIT:D816V").status,
              CoverageStatus::kEscapingResistant);
    const RegimenCoverage ava = evaluate_regimen(s, single("avapritinib"), panel);
    EXPECT_EQ(coverage_of(ava, s, "KIT:D816V").status, CoverageStatus::kCovered);
    EXPECT_EQ(ava.n_covered, 2);
}

// ---------------------------------------------------------------------------------------------
// Coverage details

TEST(RegimenCoverage, CombinationTakesTheBestCallAndUnknownStaysApart) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of({primary("V559D", 200, 1000), secondary("V654A", 13, 40, 1000)}, panel);
    // V654A: ripretinib I -> partial; avapritinib U -> escaping_unknown; imatinib R + avapritinib U ->
    // unknown.
    EXPECT_EQ(coverage_of(evaluate_regimen(s, single("ripretinib"), panel), s, "KIT:V654A").status,
              CoverageStatus::kPartial);
    const RegimenCoverage ava = evaluate_regimen(s, single("avapritinib"), panel);
    EXPECT_EQ(coverage_of(ava, s, "KIT:V654A").status, CoverageStatus::kEscapingUnknown);
    EXPECT_EQ(ava.n_escaping_unknown, 1);
    EXPECT_EQ(ava.n_escaping_resistant, 0);
    EXPECT_DOUBLE_EQ(ava.unknown_burden, 1.0);
    EXPECT_DOUBLE_EQ(ava.escaping_burden, 1.0);
    EXPECT_EQ(ava.clone_list(s, {CoverageStatus::kEscapingUnknown}), "V654A");
    EXPECT_EQ(coverage_of(evaluate_regimen(s, combination("im+ava", {"imatinib", "avapritinib"}), panel), s,
                          "KIT:V654A")
                  .status,
              CoverageStatus::kEscapingUnknown);
    EXPECT_EQ(coverage_of(evaluate_regimen(s, combination("su+rego", {"sunitinib", "regorafenib"}), panel), s,
                          "KIT:V654A")
                  .status,
              CoverageStatus::kCovered);
}

// V654A and D820Y in one clone (cis): the clone needs one drug active on both changes, so the
// sunitinib + regorafenib combination that covers them as two clones leaves the cis clone escaping.
TEST(RegimenCoverage, CisGroupEscapesWhatCoversSeparateClones) {
    const ActivityPanel panel = test::approved_panel();
    const std::vector<AnnotatedVariant> variants = {make_variant(primary("V559D", 200, 1000), panel),
                                                    make_variant(secondary("V654A", 13, 40, 1000), panel),
                                                    make_variant(secondary("D820Y", 17, 40, 1000), panel)};
    const Regimen combo = combination("su+rego", {"sunitinib", "regorafenib"});
    const SampleClones poly = build_clones(variants, {})[0];
    EXPECT_EQ(evaluate_regimen(poly, combo, panel).n_covered, 3);
    CloneOptions options;
    options.group_cis = true;
    options.cis_groups = {{"V654A", "D820Y"}};
    const SampleClones cis = build_clones(variants, {}, options)[0];
    const RegimenCoverage rc = evaluate_regimen(cis, combo, panel);
    EXPECT_EQ(coverage_of(rc, cis, "KIT:V654A+D820Y").status, CoverageStatus::kEscapingResistant);
    EXPECT_EQ(rc.clone_list(cis, {CoverageStatus::kEscapingResistant}), "V654A+D820Y");
}

TEST(RegimenCoverage, SequenceWeighsStepsByTheirDays) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of({primary("V559D", 200, 1000), secondary("V654A", 13, 40, 1000)}, panel);
    Regimen seq;
    seq.id = "seq";
    seq.kind = RegimenKind::kSequence;
    seq.drugs = {"sunitinib", "regorafenib", "ripretinib"};
    seq.steps = {ScheduleStep{{"sunitinib"}, 84}, ScheduleStep{{"regorafenib"}, 42},
                 ScheduleStep{{"ripretinib"}, 42}};
    EXPECT_EQ(seq.period_days(), 168);
    EXPECT_EQ(seq.drugs_label(), "sunitinib -> regorafenib -> ripretinib");
    const RegimenCoverage rc = evaluate_regimen(s, seq, panel);
    const CloneCoverage& c = coverage_of(rc, s, "KIT:V654A");
    EXPECT_EQ(c.status, CoverageStatus::kPartialTime);
    EXPECT_NEAR(c.time_sensitive, 0.5, 1e-12);
    EXPECT_NEAR(c.time_resistant, 0.25, 1e-12);
    EXPECT_NEAR(c.time_intermediate, 0.25, 1e-12);
    ASSERT_EQ(c.per_step.size(), 3u);
    EXPECT_EQ(c.per_step[1], Activity::kResistant);
}

TEST(RegimenCoverage, MismatchedPanelOrUnknownDrugThrows) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of({primary("V559D", 200, 1000)}, panel);
    EXPECT_THROW((void)evaluate_regimen(s, single("nilotinib"), panel), std::invalid_argument);
    const ActivityPanel other = test::make_panel({"imatinib", "sunitinib"});
    EXPECT_THROW((void)evaluate_regimen(s, single("sunitinib"), other), std::invalid_argument);
    EXPECT_THROW((void)minimal_drug_sets(s, panel, {"nilotinib"}), std::invalid_argument);
}

TEST(MinimalDrugSets, ReportsTheBestPartialCoverWhenNoSetCoversAll) {
    const ActivityPanel panel = test::make_panel({"imatinib", "regorafenib"});
    const SampleClones s = sample_of({primary("V559D", 200, 1000), secondary("V654A", 13, 40, 1000)}, panel);
    const DrugSetResult r = minimal_drug_sets(s, panel);
    EXPECT_FALSE(r.covers_all);
    EXPECT_EQ(r.covered_clones, 1u);
    EXPECT_EQ(r.sets, (std::vector<std::vector<std::string>>{{"imatinib"}, {"regorafenib"}}));
    ASSERT_EQ(r.uncovered.size(), 1u);
    EXPECT_EQ(s.clones[r.uncovered[0]].id, "KIT:V654A");
}

// ---------------------------------------------------------------------------------------------
// Ranking with the shipped regimen file (scenario 3 of the issue).
//   escaping_resistant clones: su+rego 0, su+ripretinib 0, ripretinib 0 (V654A intermediate),
//   sequence 0, alternation 0, avapritinib 0 (V654A unknown), sunitinib 1, regorafenib 1, imatinib 2.
//   escaping burden: combinations 0, ripretinib 0, sequence (0.08/3 + 0.04/3)/0.12 = 1/3,
//   alternation 11/21, avapritinib 0.08/0.12 = 2/3; sunitinib 1/3 < regorafenib 2/3.
//   su+rego vs su+ripretinib tie on everything up to the id ("sunitinib+re" < "sunitinib+ri").
TEST(RegimenRanking, DefaultRegimensInDocumentedOrder) {
    const ActivityPanel panel = test::approved_panel();
    const RegimenSet set = default_regimens(panel);
    EXPECT_EQ(set.skipped, std::vector<std::string>{"bezuclastinib+sunitinib"});
    const Regimen* alt = set.find("sunitinib_regorafenib_alternation");
    ASSERT_NE(alt, nullptr);
    ASSERT_EQ(alt->steps.size(), 2u);
    EXPECT_EQ(alt->steps[0].drugs, std::vector<std::string>{"sunitinib"});
    EXPECT_EQ(alt->steps[0].days, 3);
    EXPECT_EQ(alt->steps[1].days, 4);
    EXPECT_NE(std::find(alt->citations.begin(), alt->citations.end(), "SR-ALT"), alt->citations.end());
    EXPECT_TRUE(set.find("sunitinib+regorafenib")->hypothetical);
    EXPECT_TRUE(set.find("sunitinib")->approved);
    EXPECT_FALSE(set.find("sunitinib_regorafenib_alternation")->approved);

    // The ranking order with the shipped panel is checked on hand-derived scenarios in
    // tests/cli/ranking_scenarios_test.cpp; here only that every regimen is ranked.
    const SampleClones s = sample_of(
        {primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000), secondary("N822K", 17, 10, 1000)},
        panel);
    const auto ranked = evaluate_regimens(s, set, panel);
    EXPECT_EQ(ranked.size(), set.regimens.size());
    EXPECT_EQ(ranked.front().rank, 1);
}

// assess_regimens is the module's steps in one call: the same ranking, half-life ranks, drug sets
// and projections as calling them one by one.
TEST(RegimenAssessment, OneCallMatchesTheStepsOneByOne) {
    const ActivityPanel panel = test::approved_panel();
    RegimenSet set = default_regimens(panel);
    const PkModel pk = default_pk_model(panel);
    apply_schedule_model(set, ScheduleModel::kPk, &pk);
    const auto half_lives = half_life_sensitivity(set, &pk);
    ASSERT_TRUE(half_lives.has_value());
    EXPECT_FALSE(half_life_sensitivity(set, nullptr).has_value());
    EXPECT_FALSE(half_life_sensitivity(default_regimens(panel), &pk).has_value());

    const SampleClones s = sample_of(
        {primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000), secondary("N822K", 17, 10, 1000)},
        panel);
    const TreatmentHistory history{{"imatinib"}};
    const GrowthModel growth = default_growth_model();
    AssessmentOptions options;
    options.half_lives = &*half_lives;
    options.growth_model = &growth;
    options.simulate_weeks = 4;
    options.simulate_top = 2;
    const RegimenAssessment a = assess_regimens(s, set, panel, history, options);

    EXPECT_EQ(a.next_line, next_line(s, set, history));
    const auto ranked = evaluate_regimens(s, set, panel, history);
    const auto low = evaluate_regimens(s, half_lives->low, panel, history);
    ASSERT_EQ(a.regimens.size(), ranked.size());
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        EXPECT_EQ(a.regimens[i].regimen, ranked[i].regimen);
        EXPECT_EQ(a.regimens[i].rank, ranked[i].rank);
        EXPECT_GT(a.regimens[i].rank_half_life_low, 0);
        EXPECT_GT(a.regimens[i].rank_half_life_high, 0);
    }
    for (const auto& r : low) {
        const auto it = std::find_if(a.regimens.begin(), a.regimens.end(), [&](const RegimenCoverage& c) {
            return c.regimen->id == r.regimen->id;
        });
        ASSERT_NE(it, a.regimens.end());
        EXPECT_EQ(it->rank_half_life_low, r.rank);
    }
    EXPECT_EQ(a.drug_sets.sets, minimal_drug_sets(s, panel).sets);
    EXPECT_EQ(a.drug_sets_skipped, "");
    ASSERT_EQ(a.projections.size(), 2u);
    EXPECT_EQ(a.projections[0].regimen, ranked[0].regimen);
    EXPECT_EQ(a.projections[1].regimen, ranked[1].regimen);
    EXPECT_EQ(a.projections[0].weeks.size(), 5u);

    options.simulate_regimens = {"sunitinib", "no_such_regimen"};
    const RegimenAssessment chosen = assess_regimens(s, set, panel, history, options);
    ASSERT_EQ(chosen.projections.size(), 1u);
    EXPECT_EQ(chosen.projections[0].regimen, set.find("sunitinib"));
    EXPECT_TRUE(assess_regimens(s, set, panel).projections.empty());
}

// The ordering keys of rank_regimens on hand-set coverages (hand-computed expectations: each pair
// differs in exactly one criterion).
RegimenCoverage coverage(const Regimen& r, RegimenTier tier, double clinical, double covered) {
    RegimenCoverage c;
    c.regimen = &r;
    c.tier = tier;
    c.covered_burden_clinical = clinical;
    c.covered_burden = covered;
    c.partial_burden = 0;
    c.resistant_burden = 1 - covered;
    return c;
}

TEST(RegimenRanking, TierBeforeBurdenThenClinicalBurdenThenTiesShareARank) {
    const Regimen a = single("sunitinib"), b = single("regorafenib"), c = single("dasatinib"),
                  d = single("pazopanib"), e = single("masitinib");
    // A hypothesis-tier regimen covering everything ranks after a clinical one covering a third.
    std::vector<RegimenCoverage> v = {coverage(c, RegimenTier::kHypothesis, 0, 1),
                                      coverage(a, RegimenTier::kClinical, 0.33, 0.33)};
    rank_regimens(v);
    EXPECT_EQ(v[0].regimen->id, "sunitinib");
    // Within a tier: clinical-evidence burden before total burden.
    v = {coverage(b, RegimenTier::kClinical, 0.1, 0.9), coverage(a, RegimenTier::kClinical, 0.5, 0.5)};
    rank_regimens(v);
    EXPECT_EQ(v[0].regimen->id, "sunitinib");
    // A known intermediate call beats an unknown one at equal covered burden.
    RegimenCoverage pi = coverage(b, RegimenTier::kInvestigational, 0, 0.2),
                    un = coverage(a, RegimenTier::kInvestigational, 0, 0.2);
    pi.partial_burden = 0.5;
    pi.resistant_burden = 0.3;
    un.resistant_burden = 0.3;
    v = {un, pi};
    rank_regimens(v);
    EXPECT_EQ(v[0].regimen->id, "regorafenib");
    // Equal on every criterion: same rank, file order kept (no name order: "pazopanib" first here).
    v = {coverage(d, RegimenTier::kNoKnownActivity, 0, 0), coverage(e, RegimenTier::kNoKnownActivity, 0, 0),
         coverage(c, RegimenTier::kHypothesis, 0, 0.1)};
    rank_regimens(v);
    EXPECT_EQ(v[0].regimen->id, "dasatinib");
    EXPECT_EQ(v[1].regimen->id, "pazopanib");
    EXPECT_EQ(v[1].rank, 2);
    EXPECT_EQ(v[2].rank, 2);
    // Only failed drugs: after the others of the tier.
    RegimenCoverage failed = coverage(a, RegimenTier::kClinical, 0.9, 0.9);
    failed.prior = PriorStatus::kAllFailed;
    v = {failed, coverage(b, RegimenTier::kClinical, 0.1, 0.1)};
    rank_regimens(v);
    EXPECT_EQ(v[0].regimen->id, "regorafenib");
}

// ---------------------------------------------------------------------------------------------
// Loading

TEST(RegimenLoading, GeneratesSingleAgentsAndResolvesAliases) {
    const ActivityPanel panel = test::make_panel({"imatinib", "sunitinib", "regorafenib"});
    std::istringstream in(
        "name: t\nversion: '1'\nregimens:\n"
        "  - id: alt\n    kind: alternation\n    schedule:\n"
        "      - drug: SUNITINIB\n        days: 3\n      - drugs: [regorafenib]\n        days: 4\n");
    const RegimenSet set = load_regimens(in, "r.yaml", panel);
    ASSERT_EQ(set.regimens.size(), 4u);
    EXPECT_EQ(set.regimens[0].drugs, (std::vector<std::string>{"sunitinib", "regorafenib"}));
    EXPECT_FALSE(set.regimens[0].hypothetical);
    EXPECT_EQ(set.regimens[0].where.line, 4);
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_TRUE(set.regimens[i].generated);
        EXPECT_EQ(set.regimens[i].kind, RegimenKind::kSingle);
        EXPECT_EQ(set.regimens[i].id, panel.drugs()[i - 1].id);
    }
}

TEST(RegimenLoading, CollectsEveryProblemWithLineAndColumn) {
    const ActivityPanel panel = test::approved_panel();
    std::istringstream in(
        "name: t\n"                   // 1
        "version: \"1\"\n"            // 2
        "regimens:\n"                 // 3
        "  - id: a\n"                 // 4
        "    kind: single\n"          // 5
        "    drugs: [sunitinib]\n"    // 6
        "    colour: red\n"           // 7
        "  - id: b\n"                 // 8
        "    kind: alternation\n"     // 9
        "    schedule:\n"             // 10
        "      - drug: sunitinib\n"   // 11
        "        days: 0\n"           // 12
        "      - drug: nosuchdrug\n"  // 13
        "        days: 4\n"           // 14
        "  - id: c\n"                 // 15
        "    kind: pill\n"            // 16
        "    drugs: [imatinib]\n"     // 17
        "  - id: d\n"                 // 18
        "    kind: combination\n"     // 19
        "    drugs: [sunitinib]\n"    // 20
        "  - id: e\n"                 // 21
        "    kind: single\n"          // 22
        "    drugs: [imatinib]\n"     // 23
        "    hypothetical: true\n"    // 24
        "    approved: yes\n");       // 25
    try {
        (void)load_regimens(in, "bad.yaml", panel);
        FAIL() << "expected RegimenError";
    } catch (const RegimenError& e) {
        const auto& p = e.problems();
        ASSERT_EQ(p.size(), 6u) << e.what();
        EXPECT_EQ(p[0].rfind("bad.yaml:7:5: unknown key 'colour' in regimens[0]", 0), 0u) << p[0];
        EXPECT_EQ(p[1].rfind("bad.yaml:12:15: regimen 'b'.schedule[0].days must be", 0), 0u) << p[1];
        EXPECT_EQ(
            p[2].rfind("bad.yaml:13:15: regimen 'b': unknown drug 'nosuchdrug'; panel drugs: imatinib,", 0),
            0u)
            << p[2];
        EXPECT_EQ(p[3].rfind("bad.yaml:16:11: regimen 'c': unknown kind 'pill'", 0), 0u) << p[3];
        EXPECT_EQ(p[4].rfind("bad.yaml:20:12: regimen 'd': a combination has at least two drugs", 0), 0u)
            << p[4];
        EXPECT_EQ(
            p[5].rfind("bad.yaml:25:15: regimen 'e': a regimen cannot be both approved and hypothetical", 0),
            0u)
            << p[5];
        // what(): one problem per line.
        const std::string what = e.what();
        EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 5);
    }
}

TEST(RegimenLoading, RejectsDuplicatesSyntaxErrorsAndEmptyFiles) {
    const ActivityPanel panel = test::approved_panel();
    std::istringstream dup(
        "name: t\nversion: '1'\nregimens:\n  - {id: a, kind: single, drugs: [imatinib]}\n"
        "  - {id: a, kind: single, drugs: [sunitinib]}\n");
    EXPECT_THROW((void)load_regimens(dup, "d.yaml", panel), RegimenError);
    std::istringstream syntax("name: [unclosed\n");
    try {
        (void)load_regimens(syntax, "s.yaml", panel);
        FAIL();
    } catch (const RegimenError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("s.yaml:", 0), 0u) << e.what();
    }
    std::istringstream empty("");
    EXPECT_THROW((void)load_regimens(empty, "e.yaml", panel), RegimenError);
    EXPECT_THROW((void)load_regimens("/nonexistent/regimens.yaml", panel), IoError);
}

// ---------------------------------------------------------------------------------------------
// Growth model and projection

TEST(GrowthModel, DefaultParametersAndLabel) {
    const GrowthModel m = default_growth_model();
    EXPECT_NEAR(m.rate_untreated, std::log(2.0) / 40.0, 1e-15);
    EXPECT_NEAR(m.rate_unknown, std::log(2.0) / 40.0, 1e-15);
    EXPECT_DOUBLE_EQ(m.rate_intermediate, 0.0);
    EXPECT_NEAR(m.rate_sensitive, -std::log(2.0) / 20.0, 1e-15);
    EXPECT_FALSE(m.rationale.empty());
    EXPECT_NE(m.label.find("hypothesis-generating"), std::string::npos);
    std::istringstream bad("name: m\nversion: '1'\nrationale: r\nrates:\n  resistant: {doubling_days: -3}\n");
    try {
        (void)load_growth_model(bad, "g.yaml");
        FAIL();
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("g.yaml:5:"), std::string::npos) << what;
        EXPECT_NE(what.find("missing key 'unknown'"), std::string::npos) << what;
    }
}

// Exon 11 25%, V654A 0.08, N822K 0.04: primary-only cells 1 - 0.12 = 0.88.
// Alternation, per week (rates: sensitive -ln2/20, resistant +ln2/40 per day):
//   primary only: sensitive 7 days      -> x 2^(-7/20)
//   V654A: 3 days S, 4 days R           -> x 2^(-3/20 + 4/40) = 2^(-0.05)
//   N822K: 3 days R, 4 days S           -> x 2^(3/40 - 4/20)  = 2^(-0.125)
TEST(Projection, AlternationHandComputed) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of(
        {primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000), secondary("N822K", 17, 10, 1000)},
        panel);
    const Regimen alt = su_rego_alternation();
    const Projection p = simulate(s, alt, panel, default_growth_model(), 2);
    EXPECT_EQ(p.label, std::string(kModelLabel));
    ASSERT_EQ(p.populations, (std::vector<std::string>{"KIT:V559D", "KIT:V654A", "KIT:N822K"}));
    ASSERT_EQ(p.weeks.size(), 3u);
    EXPECT_NEAR(p.weeks[0].size[0], 0.88, 1e-12);
    EXPECT_NEAR(p.weeks[0].total, 1.0, 1e-12);
    EXPECT_NEAR(p.weeks[1].size[0], 0.88 * std::pow(2.0, -0.35), 1e-12);
    EXPECT_NEAR(p.weeks[1].size[1], 0.08 * std::pow(2.0, -0.05), 1e-12);
    EXPECT_NEAR(p.weeks[1].size[2], 0.04 * std::pow(2.0, -0.125), 1e-12);
    EXPECT_NEAR(p.weeks[2].size[1], 0.08 * std::pow(2.0, -0.10), 1e-12);
    const double total = p.weeks[2].size[0] + p.weeks[2].size[1] + p.weeks[2].size[2];
    EXPECT_NEAR(p.weeks[2].total, total, 1e-12);
    EXPECT_NEAR(p.weeks[2].share[2], p.weeks[2].size[2] / total, 1e-12);

    // Sunitinib alone: N822K resistant all week -> 0.04 * 2^(7/40).
    const Projection su = simulate(s, single("sunitinib"), panel, default_growth_model(), 1);
    EXPECT_NEAR(su.weeks[1].size[2], 0.04 * std::pow(2.0, 7.0 / 40.0), 1e-12);
    EXPECT_THROW((void)simulate(s, alt, panel, default_growth_model(), -1), std::invalid_argument);
}

// A sequence uses each step for its days, then continues the last: sunitinib 3 days then
// regorafenib: week 1 of V654A = 3 days S, 4 days R; week 2 = 7 days R.
TEST(Projection, SequenceContinuesItsLastStep) {
    const ActivityPanel panel = test::approved_panel();
    const SampleClones s = sample_of({primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000)}, panel);
    Regimen seq;
    seq.id = "seq";
    seq.kind = RegimenKind::kSequence;
    seq.drugs = {"sunitinib", "regorafenib"};
    seq.steps = {ScheduleStep{{"sunitinib"}, 3}, ScheduleStep{{"regorafenib"}, 2}};
    const Projection p = simulate(s, seq, panel, default_growth_model(), 2);
    EXPECT_NEAR(p.weeks[1].size[1], 0.08 * std::pow(2.0, -0.05), 1e-12);
    EXPECT_NEAR(p.weeks[2].size[1], 0.08 * std::pow(2.0, -0.05 + 7.0 / 40.0), 1e-12);
}

// Issue 14 schema: dose, approved_for, standard_of_care (strict, file:line:col). Expected messages
// written by hand from the documented schema.
TEST(RegimenLoading, StandardOfCareApprovedForAndDoseAreCheckedStrictly) {
    const ActivityPanel panel = test::approved_panel();
    std::istringstream ok(
        "name: t\nversion: '1'\nregimens:\n"
        "  - id: ava\n    kind: single\n    drugs: [avapritinib]\n    approved: true\n"
        "    approved_for: [PDGFRA exon 18]\n"
        "    standard_of_care:\n      - {genotype: PDGFRA D842V, line: 1, citations: [NAV]}\n"
        "  - id: im800\n    kind: single\n    drugs: [imatinib]\n    dose: {imatinib: 800 mg/day}\n");
    const RegimenSet set = load_regimens(ok, "ok.yaml", panel);
    const Regimen* ava = set.find("ava");
    ASSERT_NE(ava, nullptr);
    ASSERT_EQ(ava->approved_for.size(), 1u);
    EXPECT_EQ(ava->approved_for[0].gene, "PDGFRA");
    EXPECT_EQ(ava->approved_for[0].exon, 18);
    ASSERT_EQ(ava->standard_of_care.size(), 1u);
    EXPECT_EQ(ava->standard_of_care[0].genotype.protein, "D842V");
    EXPECT_EQ(ava->standard_of_care[0].label(), "PDGFRA D842V, line 1");
    EXPECT_EQ(set.find("im800")->dose_of("imatinib"), "800 mg/day");

    std::istringstream bad(
        "name: t\nversion: '1'\nregimens:\n"                                                // 1-3
        "  - id: a\n    kind: single\n    drugs: [avapritinib]\n"                           // 4-6
        "    approved_for: [PDGFRA exon 18]\n"                                              // 7
        "  - id: b\n    kind: single\n    drugs: [imatinib]\n"                              // 8-10
        "    standard_of_care:\n      - {genotype: BRAF V600E, line: 1, citations: [X]}\n"  // 11-12
        "      - {genotype: KIT exon 9, line: 0}\n"                                         // 13
        "    dose: {sunitinib: 50 mg}\n");                                                  // 14
    try {
        (void)load_regimens(bad, "bad.yaml", panel);
        FAIL() << "expected RegimenError";
    } catch (const RegimenError& e) {
        const std::string all = e.what();
        EXPECT_NE(all.find("bad.yaml:7:"), std::string::npos) << all;
        EXPECT_NE(all.find("'approved_for' needs 'approved: true'"), std::string::npos) << all;
        EXPECT_NE(all.find("malformed genotype 'BRAF V600E'"), std::string::npos) << all;
        EXPECT_NE(all.find("line must be a whole number > 0"), std::string::npos) << all;
        EXPECT_NE(all.find("a standard of care needs its citations"), std::string::npos) << all;
        EXPECT_NE(all.find("drug 'sunitinib' is not given in this regimen"), std::string::npos) << all;
    }
}

TEST(RegimenLoading, GenotypeSelectorGrammar) {
    EXPECT_TRUE(parse_genotype("KIT").has_value());
    EXPECT_EQ(parse_genotype("KIT exon 9")->exon, 9);
    EXPECT_EQ(parse_genotype("PDGFRA p.Asp842Val")->protein, "D842V");
    EXPECT_FALSE(parse_genotype("KIT exon nine").has_value());
    EXPECT_FALSE(parse_genotype("EGFR").has_value());
    EXPECT_FALSE(parse_genotype("").has_value());
}

}  // namespace
}  // namespace kitrx
