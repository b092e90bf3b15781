// SPDX-License-Identifier: MIT
// Schedules with pharmacology (issue 18). Kind of test: external expectations. Every expected
// value comes from the closed-form superposition of exponential decays written out here
// (E(t) = k tau sum_i exp(-k (t - t_i)), periodic sums as geometric series), evaluated
// independently of kitrx's recursive sampler; or from the schema's documented error messages.
#include "kitrx/regimens/pharmacokinetics.hpp"

#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "kit_builders.hpp"
#include "kitrx/regimens/regimens.hpp"

namespace kitrx {
namespace {

constexpr double kTau = 24.0;

DrugPk one_moiety(const std::string& drug, double half_life) {
    DrugPk d;
    d.drug = drug;
    d.moieties.push_back(PkMoiety{drug, half_life, half_life / 2, half_life * 2, 1.0, {"X"}});
    return d;
}

TEST(Pharmacokinetics, ContinuousDosingAveragesOneWithTheClosedFormTrough) {
    const DrugPk d = one_moiety("sunitinib", 50.0);
    std::vector<double> doses;
    for (int day = 0; day < 60; ++day) doses.push_back(kTau * day);
    const double k = std::log(2.0) / 50.0;
    // Trough just before the 60th-day dose (59 intervals of accumulation): k tau e^{-k tau} (1 -
    // e^{-60 k tau}) / (1 - e^{-k tau}); at steady state k tau e^{-k tau} / (1 - e^{-k tau}) = 0.332711 x
    // 0.716978 / 0.283022 = 0.8429.
    const double expected =
        k * kTau * std::exp(-k * kTau) * (1 - std::exp(-60 * k * kTau)) / (1 - std::exp(-k * kTau));
    EXPECT_NEAR(relative_exposure(d, doses, 60 * kTau - 1e-9), expected, 1e-9);
    EXPECT_NEAR(k * kTau * std::exp(-k * kTau) / (1 - std::exp(-k * kTau)), 0.8429, 1e-4);
    // Mean over the last interval: 1 at steady state (Cavg = 1 / (k tau) for a unit dose).
    double sum = 0;
    const int n = 2400;
    for (int i = 0; i < n; ++i) sum += relative_exposure(d, doses, 59 * kTau + kTau * (i + 0.5) / n);
    EXPECT_NEAR(sum / n, 1.0, 1e-3);
}

// Closed form at periodic steady state for a drug dosed on days `first`..`first + count - 1` of
// every 7-day week: current-week doses already given plus all earlier weeks as a geometric series.
double periodic_exposure(double half_life, int first, int count, double t) {
    const double k = std::log(2.0) / half_life, week = 7 * kTau, q = std::exp(-k * week);
    double now = 0, earlier = 0;
    for (int i = first; i < first + count; ++i) {
        const double td = kTau * i;
        if (td <= t) now += std::exp(-k * (t - td));
        earlier += std::exp(-k * (t - td + week));  // the same dose one week earlier
    }
    return k * kTau * (now + earlier / (1 - q));
}

// Fraction of the week with E >= threshold, by the closed form on a fine grid (0.01 h).
double active_fraction(double half_life, int first, int count, double threshold) {
    const int n = 16800;
    int above = 0;
    for (int i = 0; i < n; ++i)
        if (periodic_exposure(half_life, first, count, 7 * kTau * (i + 0.5) / n) >= threshold) ++above;
    return static_cast<double>(above) / n;
}

TEST(Pharmacokinetics, AlternationCoverageMatchesTheClosedForm) {
    const ActivityPanel panel = test::approved_panel();
    PkModel pk;
    pk.threshold = 0.5;
    pk.drugs = {one_moiety("sunitinib", 50.0), one_moiety("regorafenib", 28.0)};
    Regimen alt;
    alt.id = "alt";
    alt.kind = RegimenKind::kAlternation;
    alt.drugs = {"sunitinib", "regorafenib"};
    alt.steps = {ScheduleStep{{"sunitinib"}, 3}, ScheduleStep{{"regorafenib"}, 4}};
    const auto slices = exposure_timeline(alt, pk);
    double total = 0, su = 0, rego = 0;
    for (const auto& s : slices) {
        total += s.hours;
        for (const auto& d : s.drugs) (d == "sunitinib" ? su : rego) += s.hours;
    }
    EXPECT_NEAR(total, 168.0, 1e-9);
    const double su_expected = active_fraction(50.0, 0, 3, 0.5);
    const double rego_expected = active_fraction(28.0, 3, 4, 0.5);
    // Sampling every 0.25 h: at most one sample per crossing off.
    EXPECT_NEAR(su / total, su_expected, 0.25 * 4 / 168.0);
    EXPECT_NEAR(rego / total, rego_expected, 0.25 * 4 / 168.0);
    // Hand reading of the closed form: three doses a week reach 3/7 of continuous exposure on
    // average, so sunitinib is above half of it for less than the calendar's 3/7 of the week,
    // and regorafenib (shorter half-life, four doses) for about its 4 days plus a tail.
    EXPECT_LT(su_expected, 3.0 / 7.0);
    EXPECT_GT(rego_expected, 0.5);

    // Coverage of V654A (sunitinib S, regorafenib R) and N822K (the reverse) follows.
    using test::primary;
    using test::secondary;
    std::vector<AnnotatedVariant> variants;
    for (const auto& spec :
         {primary("V559D", 250, 1000), secondary("V654A", 13, 20, 1000), secondary("N822K", 17, 10, 1000)})
        variants.push_back(test::make_variant(spec, panel));
    const SampleClones s = build_clones(variants, {}).at(0);
    alt.exposure = slices;
    const RegimenCoverage rc = evaluate_regimen(s, alt, panel);
    for (const auto& c : rc.clones) {
        const std::string& id = s.clones[c.clone].id;
        if (id == "KIT:V654A") EXPECT_NEAR(c.time_sensitive, su / total, 1e-9) << "sunitinib active time";
        if (id == "KIT:N822K") EXPECT_NEAR(c.time_sensitive, rego / total, 1e-9) << "regorafenib active time";
    }
}

TEST(Pharmacokinetics, ShippedTableLoadsWithEveryNumberCited) {
    const ActivityPanel& panel = default_panel();
    const PkModel pk = default_pk_model(panel);
    ASSERT_NE(pk.find("sunitinib"), nullptr);
    ASSERT_NE(pk.find("regorafenib"), nullptr);
    // Label figures (issue 18): sunitinib 40-60 h, SU12662 80-110 h; regorafenib 28 h (14-58).
    EXPECT_EQ(pk.find("sunitinib")->moieties.at(0).half_life_low, 40);
    EXPECT_EQ(pk.find("sunitinib")->moieties.at(1).half_life_high, 110);
    EXPECT_EQ(pk.find("regorafenib")->moieties.at(0).half_life_hours, 28);
    for (const auto& d : pk.drugs)
        for (const auto& m : d.moieties) EXPECT_FALSE(m.citations.empty()) << d.drug << " " << m.name;
}

TEST(Pharmacokinetics, StrictLoadingNamesFileLineAndColumn) {
    const ActivityPanel panel = test::approved_panel();
    std::istringstream in(
        "name: t\n"                                                                // 1
        "version: '1'\n"                                                           // 2
        "threshold: 1.5\n"                                                         // 3
        "threshold_note: x\n"                                                      // 4
        "citations:\n"                                                             // 5
        "  L: {title: label}\n"                                                    // 6
        "drugs:\n"                                                                 // 7
        "  - drug: sunitinib\n"                                                    // 8
        "    dosing_interval_hours: 24\n"                                          // 9
        "    moieties:\n"                                                          // 10
        "      - {name: a, half_life_hours: 50, share: 0.5, citations: [L]}\n"     // 11
        "      - {name: b, half_life_hours: 90, share: 0.2, citations: [NOPE]}\n"  // 12
        "  - drug: nosuch\n"                                                       // 13
        "    dosing_interval_hours: 24\n"                                          // 14
        "    moieties:\n"                                                          // 15
        "      - {name: c, half_life_hours: 10, half_life_range: [20, 30]}\n");    // 16
    try {
        (void)load_pk_model(in, "pk.yaml", panel);
        FAIL() << "expected an error";
    } catch (const RegimenError& e) {
        const std::string all = e.what();
        EXPECT_NE(all.find("pk.yaml:3:12: threshold must be in (0, 1]"), std::string::npos) << all;
        EXPECT_NE(all.find("pk.yaml:12:"), std::string::npos) << all;
        EXPECT_NE(all.find("citation key 'NOPE' not defined"), std::string::npos) << all;
        EXPECT_NE(all.find("shares sum to 0.7"), std::string::npos) << all;
        EXPECT_NE(all.find("unknown drug 'nosuch'"), std::string::npos) << all;
        EXPECT_NE(all.find("half_life_range must enclose half_life_hours"), std::string::npos) << all;
        EXPECT_NE(all.find("every number needs a citation"), std::string::npos) << all;
    }
}

}  // namespace
}  // namespace kitrx
