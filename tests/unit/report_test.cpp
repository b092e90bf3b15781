// SPDX-License-Identifier: MIT
// Report writers on hand-built inputs: exact TSV columns and values (numbers derived by hand from
// the read counts), report.json keys and round trip, report.html structure and escaping, MultiQC
// headers as YAML. Activity calls come from tests/support/kit_builders.hpp, not the shipped panel.
#include "kitrx/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "kit_builders.hpp"
#include "kitrx/common/html.hpp"

namespace kitrx {
namespace {

using test::make_variant;
using test::primary;
using test::secondary;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::string f;
    std::istringstream in(line);
    while (std::getline(in, f, '\t')) out.push_back(f);
    if (!line.empty() && line.back() == '\t') out.emplace_back();
    return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
    return n;
}

// Panel: approved agents, with two citations and one rule so that evidence and citations show.
ActivityPanel test_panel() {
    ActivityPanel p = test::approved_panel();
    p.name = "unit panel";
    p.version = "9.9";
    p.date = "2026-01-01";
    Citation s19;
    s19.key = "S19";
    s19.authors = "Serrano C et al.";
    s19.title = "Complementary activity of tyrosine kinase inhibitors";
    s19.journal = "Br J Cancer";
    s19.year = 2019;
    s19.doi = "10.1038/s41416-019-0389-6";
    p.citations_["S19"] = s19;
    Citation unused;
    unused.key = "UNUSED";
    p.citations_["UNUSED"] = unused;
    PanelRule rule;
    rule.id = "kit-v654a";
    rule.gene = "KIT";
    rule.level = MatchLevel::kExact;
    rule.protein = "V654A";
    p.rules_.push_back(rule);
    return p;
}

Regimen single(const std::string& drug) {
    Regimen r;
    r.id = drug;
    r.name = drug;
    r.kind = RegimenKind::kSingle;
    r.drugs = {drug};
    r.steps = {ScheduleStep{{drug}, 7}};
    r.citations = {"S19"};
    return r;
}

RegimenSet test_regimens() {
    RegimenSet set;
    set.name = "unit regimens";
    set.version = "1";
    set.source = "<test>";
    for (const auto* d : {"imatinib", "sunitinib", "regorafenib", "ripretinib", "avapritinib"})
        set.regimens.push_back(single(d));
    Regimen alt;
    alt.id = "su_rego_alt";
    alt.name = "Sunitinib 3 d / regorafenib 4 d";
    alt.kind = RegimenKind::kAlternation;
    alt.drugs = {"sunitinib", "regorafenib"};
    alt.steps = {ScheduleStep{{"sunitinib"}, 3}, ScheduleStep{{"regorafenib"}, 4}};
    alt.citations = {"SR-ALT free text reference"};
    set.regimens.push_back(alt);
    return set;
}

AnnotatedVariant variant(const test::VariantSpec& spec, const ActivityPanel& panel) {
    AnnotatedVariant v = make_variant(spec, panel);
    v.variant.name.hgvs_c = "c.test" + spec.protein;
    if (spec.protein == "V654A") {
        v.match.rule = &panel.rules_.front();
        for (std::size_t d = 0; d < panel.drugs().size(); ++d) {
            Evidence e;
            e.citation = "S19";
            e.kind = "preclinical";
            e.note = "note for " + panel.drugs()[d].id;
            v.match.calls[d].evidence.push_back(e);
        }
    }
    return v;
}

// One input, sample S1: exon 11 primary 200/1000 (VAF 0.2), V654A 40/1000 (0.04, fraction 0.2),
// N822K 20/1000 (0.02, fraction 0.1).
AnnotationResult one_sample(const ActivityPanel& panel, const std::string& sample = "S1") {
    AnnotationResult r;
    r.source.path = "in/s1.vcf.gz";
    r.source.samples = {sample};
    r.source.caller = "Mutect2";
    r.variants.push_back(variant(primary("W557_K558del", 200, 1000, sample), panel));
    r.variants.push_back(variant(secondary("V654A", 13, 40, 1000, sample), panel));
    r.variants.push_back(variant(secondary("N822K", 17, 20, 1000, sample), panel));
    return r;
}

struct Fixture {
    ActivityPanel panel = test_panel();
    RegimenSet regimens = test_regimens();
    GrowthModel growth;
    Fixture() {
        growth.name = "unit model";
        growth.version = "1";
        growth.rate_untreated = std::log(2.0) / 40.0;
        growth.rate_unknown = growth.rate_untreated;
        growth.rate_sensitive = -std::log(2.0) / 20.0;
        growth.source = "<test>";
        growth.rationale = "test rates";
    }
    ReportModel build(const std::vector<AnnotationResult>& in, ReportOptions options = {}) {
        return build_report(in, panel, regimens, options.simulate_weeks >= 0 ? &growth : nullptr, options);
    }
};

template <typename F>
std::string render(F&& writer) {
    std::ostringstream out;
    writer(out);
    return out.str();
}

// ---------------------------------------------------------------------------------------------
// Helpers

TEST(ReportInputStem, StripsFolderCompressionAndFormat) {
    EXPECT_EQ(input_stem("/data/run1/patient7.vcf.gz"), "patient7");
    EXPECT_EQ(input_stem("x.bcf"), "x");
    EXPECT_EQ(input_stem("reads.cram"), "reads");
    EXPECT_EQ(input_stem("sheet.tsv"), "sheet");
    EXPECT_EQ(input_stem("name.with.dots.vcf"), "name.with.dots");
    EXPECT_EQ(input_stem("-"), "stdin");
}

TEST(ReportHtmlEscape, EscapesMarkupAndQuotes) {
    EXPECT_EQ(html_escape("<a href=\"x\">Tom & 'Jerry'</a>"),
              "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    EXPECT_EQ(html_escape("plain"), "plain");
}

// ---------------------------------------------------------------------------------------------
// clones.tsv

TEST(ReportClonesTsv, HeaderIsTheDocumentedColumnsThenOneActivityColumnPerDrug) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto lines = lines_of(render([&](std::ostream& o) { write_clones_tsv(o, m, false); }));
    ASSERT_FALSE(lines.empty());
    const std::vector<std::string> expected{"sample",
                                            "clone",
                                            "role",
                                            "variants",
                                            "vaf",
                                            "clone_fraction",
                                            "ci_low",
                                            "ci_high",
                                            "status",
                                            "alt_reads",
                                            "depth",
                                            "vaf_ci_low",
                                            "vaf_ci_high",
                                            "lod_vaf",
                                            "lod_fraction",
                                            "tumour_fraction",
                                            "flags",
                                            "activity_imatinib",
                                            "activity_sunitinib",
                                            "activity_regorafenib",
                                            "activity_ripretinib",
                                            "activity_avapritinib",
                                            "fraction_uncapped",
                                            "ratio_ci_low",
                                            "ratio_ci_high",
                                            "sample_warnings",
                                            "call_grades",
                                            "call_marks"};
    EXPECT_EQ(fields(lines[0]), expected);
    EXPECT_EQ(clone_columns(f.panel), expected);
}

TEST(ReportClonesTsv, RowsCarryFractionsComputedFromCounts) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto lines = lines_of(render([&](std::ostream& o) { write_clones_tsv(o, m, false); }));
    ASSERT_EQ(lines.size(), 4u);  // header + primary + 2 secondaries
    const auto cols = fields(lines[0]);
    auto col = [&](const std::vector<std::string>& row, const std::string& name) {
        return row.at(static_cast<std::size_t>(std::find(cols.begin(), cols.end(), name) - cols.begin()));
    };
    const auto primary_row = fields(lines[1]);
    EXPECT_EQ(col(primary_row, "clone"), "KIT:W557_K558del");
    EXPECT_EQ(col(primary_row, "role"), "primary");
    EXPECT_EQ(col(primary_row, "vaf"), "0.2");
    EXPECT_EQ(col(primary_row, "clone_fraction"), "1");
    EXPECT_EQ(col(primary_row, "tumour_fraction"), "0.4");  // 2 x 0.2
    // Secondaries by decreasing fraction: V654A 0.04/0.2 = 0.2, N822K 0.02/0.2 = 0.1.
    const auto v654a = fields(lines[2]);
    EXPECT_EQ(col(v654a, "sample"), "S1");
    EXPECT_EQ(col(v654a, "clone"), "KIT:V654A");
    EXPECT_EQ(col(v654a, "role"), "secondary");
    EXPECT_EQ(col(v654a, "variants"), "V654A");
    EXPECT_EQ(col(v654a, "vaf"), "0.04");
    EXPECT_EQ(col(v654a, "clone_fraction"), "0.2");
    EXPECT_EQ(col(v654a, "status"), "detected");
    EXPECT_EQ(col(v654a, "alt_reads"), "40");
    EXPECT_EQ(col(v654a, "depth"), "1000");
    EXPECT_EQ(col(v654a, "activity_sunitinib"), "sensitive");
    EXPECT_EQ(col(v654a, "activity_regorafenib"), "resistant");
    EXPECT_EQ(col(v654a, "flags"), "NA");
    // The interval brackets the estimate and stays inside [0, 1].
    const double lo = std::stod(col(v654a, "ci_low")), hi = std::stod(col(v654a, "ci_high"));
    EXPECT_LT(lo, 0.2);
    EXPECT_GT(hi, 0.2);
    EXPECT_GE(lo, 0.0);
    EXPECT_LE(hi, 1.0);
    EXPECT_EQ(col(fields(lines[3]), "clone_fraction"), "0.1");
}

TEST(ReportClonesTsv, CisGroupListsItsVariantsCommaSeparated) {
    Fixture f;
    ReportOptions options;
    options.clones.group_cis = true;
    options.clones.cis_groups = {{"V654A", "N822K"}};
    const ReportModel m = f.build({one_sample(f.panel)}, options);
    const auto lines = lines_of(render([&](std::ostream& o) { write_clones_tsv(o, m, false); }));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(fields(lines[2])[3], "V654A,N822K");
    EXPECT_EQ(fields(lines[2])[1], "KIT:V654A+N822K");
}

TEST(ReportClonesTsv, ProvenanceLinesComeFirstAndCarryTheNotice) {
    Fixture f;
    ReportOptions options;
    options.command_line = "kitrx report x.vcf --outdir o";
    const ReportModel m = f.build({one_sample(f.panel)}, options);
    const auto lines = lines_of(render([&](std::ostream& o) { write_clones_tsv(o, m); }));
    ASSERT_GT(lines.size(), 3u);
    std::size_t n_meta = 0;
    while (n_meta < lines.size() && lines[n_meta].rfind("##", 0) == 0) ++n_meta;
    ASSERT_GT(n_meta, 0u);
    EXPECT_EQ(lines[n_meta].rfind("sample\tclone\t", 0), 0u);
    const std::string meta = render([&](std::ostream& o) { write_provenance(o, m.provenance); });
    EXPECT_NE(meta.find("##notice=" + std::string(kResearchUseNotice)), std::string::npos);
    EXPECT_NE(meta.find("##kitrx_command=kitrx report x.vcf --outdir o"), std::string::npos);
    EXPECT_NE(meta.find("##regimens=unit regimens 1"), std::string::npos);
    EXPECT_EQ(meta.find("hypothesis-generating"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// regimens.tsv

TEST(ReportRegimensTsv, ColumnsAndOneRowPerRegimenInRankOrder) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto lines = lines_of(render([&](std::ostream& o) { write_regimens_tsv(o, m, false); }));
    const std::vector<std::string> expected{"sample",
                                            "regimen",
                                            "drugs",
                                            "covered_clones",
                                            "partial_clones",
                                            "escaping_clones",
                                            "unknown_clones",
                                            "covered_burden",
                                            "rank",
                                            "partial_burden",
                                            "unknown_burden",
                                            "resistant_burden",
                                            "kind",
                                            "hypothetical",
                                            "approved",
                                            "name",
                                            "tier",
                                            "evidence_grade",
                                            "covered_burden_clinical",
                                            "low_confidence_clones",
                                            "conflicting_clones",
                                            "approved_for_sample",
                                            "standard_of_care",
                                            "prior",
                                            "burden_basis",
                                            "rank_half_life_low",
                                            "rank_half_life_high",
                                            "untreated_burden"};
    ASSERT_EQ(lines.size(), 1 + f.regimens.regimens.size());
    EXPECT_EQ(fields(lines[0]), expected);
    int previous = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto row = fields(lines[i]);
        ASSERT_EQ(row.size(), expected.size()) << lines[i];
        // Competition ranking: the row number, or the previous rank for a tie.
        const int rank = std::stoi(row[8]);
        EXPECT_TRUE(rank == static_cast<int>(i) || rank == previous) << lines[i];
        previous = rank;
    }
}

TEST(ReportRegimensTsv, SunitinibRowListsCoveredAndEscapingClonesWithBurden) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto lines = lines_of(render([&](std::ostream& o) { write_regimens_tsv(o, m, false); }));
    std::vector<std::string> su, rego, alt;
    for (const auto& l : lines) {
        const auto row = fields(l);
        if (row[1] == "sunitinib") su = row;
        if (row[1] == "regorafenib") rego = row;
        if (row[1] == "su_rego_alt") alt = row;
    }
    ASSERT_FALSE(su.empty());
    // Sunitinib: V654A sensitive, N822K resistant; burden = 0.2 / (0.2 + 0.1).
    EXPECT_EQ(su[2], "sunitinib");
    EXPECT_EQ(su[3], "W557_K558del,V654A");
    EXPECT_EQ(su[4], "NA");
    EXPECT_EQ(su[5], "N822K");
    EXPECT_EQ(su[6], "NA");
    EXPECT_NEAR(std::stod(su[7]), 2.0 / 3.0, 1e-6);
    EXPECT_EQ(su[12], "single");
    EXPECT_EQ(su[13], "false");
    // Regorafenib is the mirror image: 0.1 / 0.3.
    EXPECT_EQ(rego[5], "V654A");
    EXPECT_NEAR(std::stod(rego[7]), 1.0 / 3.0, 1e-6);
    // Alternation: each secondary covered part of the week -> partial; burden (3*0.2 + 4*0.1)/7/0.3.
    ASSERT_FALSE(alt.empty());
    EXPECT_EQ(alt[2], "sunitinib 3d / regorafenib 4d");
    EXPECT_EQ(alt[4], "V654A,N822K");
    EXPECT_NEAR(std::stod(alt[7]), (3.0 / 7.0 * 0.2 + 4.0 / 7.0 * 0.1) / 0.3, 1e-6);
    EXPECT_EQ(alt[12], "alternation");
}

TEST(ReportVariantsTsv, OneRowPerVariantWithTheTablesHeader) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto lines = lines_of(render([&](std::ostream& o) { write_variants_tsv(o, m, false); }));
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(fields(lines[0]), variant_columns(f.panel));
    EXPECT_EQ(fields(lines[2])[11], "V654A");
}

// ---------------------------------------------------------------------------------------------
// Model assembly

TEST(ReportModelBuild, SameSampleNameInTwoInputsIsMadeUnique) {
    Fixture f;
    AnnotationResult a = one_sample(f.panel, "TUMOR");
    AnnotationResult b = one_sample(f.panel, "TUMOR");
    a.source.path = "run/p1_t0.vcf.gz";
    b.source.path = "run/p1_t1.vcf.gz";
    const ReportModel m = f.build({a, b});
    ASSERT_EQ(m.samples.size(), 2u);
    EXPECT_EQ(m.samples[0].name, "p1_t0:TUMOR");
    EXPECT_EQ(m.samples[1].name, "p1_t1:TUMOR");
    EXPECT_EQ(m.samples[1].clones.sample, "p1_t1:TUMOR");
    EXPECT_EQ(m.samples[1].variants[0].variant.observation.sample, "p1_t1:TUMOR");
}

TEST(ReportModelBuild, SampleWithoutVariantsIsKeptWithNoClones) {
    Fixture f;
    AnnotationResult r = one_sample(f.panel);
    r.source.samples.push_back("EMPTY");
    const ReportModel m = f.build({r}, [] {
        ReportOptions o;
        o.columns_as_timepoints = false;
        return o;
    }());
    ASSERT_EQ(m.samples.size(), 2u);
    EXPECT_EQ(m.samples[1].name, "EMPTY");
    EXPECT_TRUE(m.samples[1].clones.clones.empty());
    EXPECT_EQ(m.samples[1].regimens.size(), f.regimens.regimens.size());
    EXPECT_TRUE(m.trajectories.empty());
}

AnnotationResult two_timepoints(const ActivityPanel& panel) {
    AnnotationResult r;
    r.source.path = "p7.vcf";
    r.source.samples = {"T0", "T1"};
    r.variants.push_back(variant(primary("W557_K558del", 200, 1000, "T0"), panel));
    r.variants.push_back(variant(secondary("V654A", 13, 10, 1000, "T0"), panel));
    r.variants.push_back(variant(primary("W557_K558del", 200, 1000, "T1"), panel));
    r.variants.push_back(variant(secondary("V654A", 13, 80, 1000, "T1"), panel));
    return r;
}

TEST(ReportModelBuild, MultiSampleInputWithoutPairingBecomesOnePatientsTimepoints) {
    Fixture f;
    const ReportModel m = f.build({two_timepoints(f.panel)});
    EXPECT_EQ(m.samples[0].patient, "p7");
    EXPECT_EQ(m.samples[1].timepoint, "T1");
    ASSERT_EQ(m.trajectories.size(), 2u);
    const CloneTrajectory& v = m.trajectories[1];
    EXPECT_EQ(v.clone, "KIT:V654A");
    ASSERT_EQ(v.points.size(), 2u);
    EXPECT_EQ(v.points[0].timepoint, "T0");
    EXPECT_EQ(v.latest, TrajectoryCall::kExpanding);  // 0.05 -> 0.4 of the tumour, eight-fold
}

TEST(ReportModelBuild, TumourNormalPairReportsTheTumourOnly) {
    Fixture f;
    AnnotationResult r = two_timepoints(f.panel);
    r.source.tumor_sample = "T1";
    const ReportModel m = f.build({r});
    ASSERT_EQ(m.samples.size(), 1u);
    EXPECT_EQ(m.samples[0].name, "T1");
    EXPECT_TRUE(m.samples[0].patient.empty());
    EXPECT_TRUE(m.trajectories.empty());
    ASSERT_EQ(m.skipped_samples.size(), 1u);
    EXPECT_NE(m.skipped_samples[0].find("p7.vcf: T0"), std::string::npos);
}

TEST(ReportModelBuild, TumourNormalPairKeptOnRequestIsStillNotReadAsTimepoints) {
    Fixture f;
    AnnotationResult r = two_timepoints(f.panel);
    r.source.tumor_sample = "T1";
    ReportOptions options;
    options.tumour_only = false;
    const ReportModel m = f.build({r}, options);
    ASSERT_EQ(m.samples.size(), 2u);
    EXPECT_TRUE(m.samples[0].patient.empty());
    EXPECT_TRUE(m.trajectories.empty());
    EXPECT_TRUE(m.skipped_samples.empty());
}

TEST(ReportModelBuild, SheetTimepointsOrderTheTrajectory) {
    Fixture f;
    ReportOptions options;
    // The sheet says T1 came first.
    options.timepoints = {{"p7.vcf", "T0", "P", "day 30", 1}, {"p7.vcf", "T1", "P", "day 0", 0}};
    const ReportModel m = f.build({two_timepoints(f.panel)}, options);
    EXPECT_EQ(m.samples[0].patient, "P");
    EXPECT_EQ(m.samples[0].timepoint, "day 30");
    ASSERT_FALSE(m.trajectories.empty());
    EXPECT_EQ(m.trajectories[1].points[0].timepoint, "day 0");
    EXPECT_EQ(m.trajectories[1].latest, TrajectoryCall::kContracting);
}

TEST(ReportModelBuild, ProjectionNeedsAModelAndKnownRegimens) {
    Fixture f;
    ReportOptions options;
    options.simulate_weeks = 4;
    EXPECT_THROW((void)build_report({one_sample(f.panel)}, f.panel, f.regimens, nullptr, options),
                 std::invalid_argument);
    options.simulate_regimens = {"no_such_regimen"};
    EXPECT_THROW((void)build_report({one_sample(f.panel)}, f.panel, f.regimens, &f.growth, options),
                 std::invalid_argument);
}

TEST(ReportModelBuild, ProjectionsFollowTheRankingAndTheTopCount) {
    Fixture f;
    ReportOptions options;
    options.simulate_weeks = 6;
    options.simulate_top = 2;
    const ReportModel m = f.build({one_sample(f.panel)}, options);
    ASSERT_EQ(m.samples[0].projections.size(), 2u);
    EXPECT_EQ(m.samples[0].projections[0].regimen, m.samples[0].regimens[0].regimen);
    EXPECT_EQ(m.samples[0].projections[1].regimen, m.samples[0].regimens[1].regimen);
    EXPECT_EQ(m.samples[0].projections[0].weeks.size(), 7u);  // weeks 0..6
}

TEST(ReportModelBuild, CitationsUsedAreThePanelKeysReferencedByCellsAndRegimens) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    EXPECT_EQ(m.citations_used(), std::vector<std::string>{"S19"});
    EXPECT_EQ(m.free_references(), std::vector<std::string>{"SR-ALT free text reference"});
}

// ---------------------------------------------------------------------------------------------
// report.json

TEST(ReportJson, HasSchemaVersionAndTheDocumentedTopLevelKeys) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto j = nlohmann::json::parse(render([&](std::ostream& o) { write_report_json(o, m); }));
    EXPECT_EQ(j.at("schema_version"), kReportSchemaVersion);
    for (const char* key : {"schema_version", "kitrx_version", "title", "notice", "model_notice",
                            "provenance", "panel", "regimen_set", "growth_model", "inputs", "skipped_samples",
                            "samples", "trajectories", "citations", "references"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j.at("notice"), kResearchUseNotice);
    EXPECT_TRUE(j.at("model_notice").is_null());
    EXPECT_TRUE(j.at("growth_model").is_null());
    EXPECT_EQ(j.at("panel").at("drugs").size(), f.panel.drugs().size());
    ASSERT_EQ(j.at("citations").size(), 1u);
    EXPECT_EQ(j.at("citations")[0].at("doi"), "10.1038/s41416-019-0389-6");
}

TEST(ReportJson, SampleCarriesVariantsClonesRegimensAndDrugSets) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const auto j = nlohmann::json::parse(render([&](std::ostream& o) { write_report_json(o, m); }));
    const auto& s = j.at("samples").at(0);
    for (const char* key :
         {"sample", "input", "patient", "timepoint", "tumour_fraction", "tumour_fraction_ci", "median_depth",
          "flags", "notes", "variants", "hotspots", "clones", "regimens", "minimal_drug_sets", "projections"})
        EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_EQ(s.at("sample"), "S1");
    EXPECT_DOUBLE_EQ(s.at("tumour_fraction").get<double>(), 0.4);
    EXPECT_DOUBLE_EQ(s.at("median_depth").get<double>(), 1000.0);
    EXPECT_EQ(s.at("variants").size(), 3u);
    EXPECT_EQ(s.at("variants")[1].at("activity").at("sunitinib"), "sensitive");
    EXPECT_EQ(s.at("variants")[1].at("evidence").at("sunitinib")[0].at("citation"), "S19");
    const auto& clone = s.at("clones").at(1);
    EXPECT_EQ(clone.at("id"), "KIT:V654A");
    EXPECT_DOUBLE_EQ(clone.at("fraction").get<double>(), 0.2);
    ASSERT_TRUE(clone.at("fraction_ci").is_array());
    EXPECT_LT(clone.at("fraction_ci")[0].get<double>(), 0.2);
    EXPECT_EQ(clone.at("activity").at("regorafenib"), "resistant");
    EXPECT_EQ(s.at("regimens").size(), f.regimens.regimens.size());
    EXPECT_EQ(s.at("regimens")[0].at("rank"), 1);
    // Avapritinib is sensitive for the primary and N822K, unknown for V654A; sunitinib covers V654A.
    EXPECT_TRUE(s.at("minimal_drug_sets").at("covers_all").get<bool>());
    EXPECT_EQ(s.at("minimal_drug_sets").at("sets")[0].size(), 2u);
}

TEST(ReportJson, UnknownNumbersAreNullNotNaN) {
    Fixture f;
    AnnotationResult r;
    r.source.path = "af_only.vcf";
    r.source.samples = {"S1"};
    test::VariantSpec p = primary("W557_K558del", -1, -1);
    p.vaf = 0.2;
    test::VariantSpec s = secondary("V654A", 13, -1, -1);
    s.vaf = 0.05;
    r.variants.push_back(variant(p, f.panel));
    r.variants.push_back(variant(s, f.panel));
    const ReportModel m = f.build({r});
    const std::string text = render([&](std::ostream& o) { write_report_json(o, m); });
    EXPECT_FALSE(std::regex_search(text, std::regex("[:\\[,]\\s*-?(NaN|nan|inf|Infinity)\\b")));
    const auto j = nlohmann::json::parse(text);
    const auto& clone = j.at("samples")[0].at("clones")[1];
    EXPECT_TRUE(clone.at("fraction_ci").is_null());
    EXPECT_TRUE(clone.at("alt_reads").is_null());
    EXPECT_DOUBLE_EQ(clone.at("fraction").get<double>(), 0.25);  // 0.05 / 0.2
}

TEST(ReportJson, RoundTripsThroughTheParser) {
    Fixture f;
    ReportOptions options;
    options.simulate_weeks = 2;
    const ReportModel m = f.build({two_timepoints(f.panel)}, options);
    const std::string text = render([&](std::ostream& o) { write_report_json(o, m); });
    const auto j = nlohmann::ordered_json::parse(text);
    EXPECT_EQ(j.dump(2) + "\n", text);
    EXPECT_EQ(j.at("model_notice"), kModelLabel);
    EXPECT_EQ(j.at("growth_model").at("weeks"), 2);
    EXPECT_EQ(j.at("trajectories").size(), 2u);
    EXPECT_EQ(j.at("trajectories")[1].at("latest"), "expanding");
    EXPECT_EQ(j.at("samples")[0].at("projections")[0].at("weeks").size(), 3u);
}

// ---------------------------------------------------------------------------------------------
// report.html

TEST(ReportHtml, HeatmapHasOneCellPerDetectedCloneAndDrug) {
    Fixture f;
    AnnotationResult r = one_sample(f.panel);
    AnnotationResult second = one_sample(f.panel, "S2");
    second.source.path = "other.vcf";
    second.variants.pop_back();  // S2: primary + V654A
    const ReportModel m = f.build({r, second});
    const std::string html = render([&](std::ostream& o) { write_report_html(o, m); });
    EXPECT_NE(html.find("id=\"heatmap\""), std::string::npos);
    EXPECT_EQ(count_of(html, "<svg class=\"heatmap\""), 2u);
    EXPECT_EQ(count_of(html, "class=\"hm-cell\""), (3u + 2u) * f.panel.drugs().size());
    // V654A x regorafenib is resistant, drawn red with the letter R; its tooltip names the evidence.
    const std::regex cell(
        "<g class=\"hm-cell\" data-clone=\"KIT:V654A\" data-drug=\"regorafenib\" "
        "data-call=\"resistant\"[^>]*><title>([^<]*)</title><rect[^>]*fill=\"#d73027\"/><text[^>]*>R</text>");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(html, match, cell));
    EXPECT_NE(match[1].str().find("[S19] preclinical: note for regorafenib"), std::string::npos);
    EXPECT_NE(match[1].str().find("rule kit-v654a (exact, secondary)"), std::string::npos);
    EXPECT_GT(count_of(html, "data-call=\"sensitive\""), 0u);
}

TEST(ReportHtml, EscapesSampleNamesEverywhere) {
    Fixture f;
    const std::string evil = "<script>alert('x')</script>&\"";
    const ReportModel m = f.build({one_sample(f.panel, evil)});
    const std::string html = render([&](std::ostream& o) { write_report_html(o, m); });
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find(evil), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"), std::string::npos);
}

TEST(ReportHtml, SelfContainedWithNoScriptOrExternalResource) {
    Fixture f;
    ReportOptions options;
    options.simulate_weeks = 4;
    const ReportModel m = f.build({two_timepoints(f.panel)}, options);
    const std::string html = render([&](std::ostream& o) { write_report_html(o, m); });
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
    EXPECT_EQ(html.find(" src="), std::string::npos);
    // Every href is an in-page anchor.
    const std::regex href("href=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it)
        EXPECT_EQ((*it)[1].str().front(), '#') << (*it)[1].str();
}

TEST(ReportHtml, NoticeFirstAndModelLabelOnlyWhenSimulated) {
    Fixture f;
    const ReportModel plain = f.build({two_timepoints(f.panel)});
    const std::string html = render([&](std::ostream& o) { write_report_html(o, plain); });
    const auto body = html.find("<body>");
    const auto notice = html.find(kResearchUseNotice);
    ASSERT_NE(notice, std::string::npos);
    EXPECT_LT(body, notice);
    EXPECT_LT(notice, html.find("id=\"summary\""));
    // The projection's model label (the regimen tier "hypothesis-generating" is another matter).
    EXPECT_EQ(html.find(kModelLabel), std::string::npos);
    EXPECT_NE(html.find("id=\"trajectories\""), std::string::npos);
    EXPECT_EQ(count_of(html, "<svg class=\"trajectory\""), 1u);
    EXPECT_NE(html.find("unit panel 9.9"), std::string::npos);

    ReportOptions options;
    options.simulate_weeks = 4;
    const ReportModel sim = f.build({two_timepoints(f.panel)}, options);
    const std::string html2 = render([&](std::ostream& o) { write_report_html(o, sim); });
    EXPECT_NE(html2.find(kModelLabel), std::string::npos);
    EXPECT_EQ(count_of(html2, "<svg class=\"projection\""), 2u * 3u);  // 2 samples x top 3
}

TEST(ReportHtml, RegimenBarsSayWhyTheBurdenIsMissing) {
    Fixture f;
    AnnotationResult only_primary;
    only_primary.source.path = "p.vcf";
    only_primary.source.samples = {"S1"};
    only_primary.variants.push_back(variant(primary("W557_K558del", 200, 1000), f.panel));
    const std::string a = render([&](std::ostream& o) { write_report_html(o, f.build({only_primary})); });
    // Without a secondary clone the bars measure the primary clone (issue 14: "what first").
    EXPECT_NE(a.find("(primary clone: no secondary detected)"), std::string::npos);
    EXPECT_EQ(a.find("burden unknown"), std::string::npos);

    AnnotationResult no_fraction = one_sample(f.panel);
    no_fraction.variants.push_back(variant(secondary("D820Y", 17, -1, -1), f.panel));  // no counts, no AF
    const std::string b = render([&](std::ostream& o) { write_report_html(o, f.build({no_fraction})); });
    EXPECT_NE(b.find("burden unknown: a clone fraction is unknown"), std::string::npos);
    EXPECT_EQ(b.find("(primary clone: no secondary detected)"), std::string::npos);
}

TEST(ReportHtml, EvidenceTableAndCitationsListTheSupportingKeys) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const std::string html = render([&](std::ostream& o) { write_report_html(o, m); });
    const auto evidence = html.find("id=\"evidence\"");
    ASSERT_NE(evidence, std::string::npos);
    EXPECT_NE(html.find("<a href=\"#cite-S19\">S19</a>", evidence), std::string::npos);
    EXPECT_NE(html.find("<li id=\"cite-S19\"><strong>[S19]</strong> Serrano C et al."), std::string::npos);
    EXPECT_NE(html.find("doi:10.1038/s41416-019-0389-6"), std::string::npos);
    EXPECT_EQ(html.find("cite-UNUSED"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// MultiQC

// The '#' lines of a custom-content file, without the '# ' prefix, parsed as one YAML document.
YAML::Node mqc_header(const std::string& text) {
    std::string yaml;
    for (const auto& line : lines_of(text)) {
        if (line.rfind("#", 0) != 0) break;
        EXPECT_NE(line.rfind("##", 0), 0u) << "MultiQC rejects ## lines: " << line;
        yaml += line.substr(line.size() > 1 && line[1] == ' ' ? 2 : 1) + "\n";
    }
    return YAML::Load(yaml);
}

TEST(ReportMultiqc, GeneralStatsHeaderIsYamlAndRowsMatchTheModel) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const std::string text = render([&](std::ostream& o) { write_multiqc_general(o, m); });
    const YAML::Node h = mqc_header(text);
    EXPECT_EQ(h["id"].as<std::string>(), "kitrx_general");
    EXPECT_EQ(h["plot_type"].as<std::string>(), "generalstats");
    ASSERT_TRUE(h["pconfig"].IsSequence());
    std::vector<std::string> keys;
    for (const auto& item : h["pconfig"]) keys.push_back(item.begin()->first.as<std::string>());
    const std::vector<std::string> expected{
        "kit_variants",         "secondary_clones",      "tumour_fraction",     "best_regimen",
        "best_covered_burden",  "median_depth",          "best_tier",           "best_evidence_grade",
        "best_clinical_burden", "hotspots_not_detected", "hotspots_not_covered"};
    EXPECT_EQ(keys, expected);
    std::vector<std::string> data;
    for (const auto& l : lines_of(text))
        if (l.rfind("#", 0) != 0) data.push_back(l);
    ASSERT_EQ(data.size(), 2u);
    EXPECT_EQ(fields(data[0])[0], "Sample");
    const auto row = fields(data[1]);
    EXPECT_EQ(row[0], "S1");
    EXPECT_EQ(row[1], "3");
    EXPECT_EQ(row[2], "2");
    EXPECT_EQ(row[3], "40");  // percent
    EXPECT_EQ(row[4], m.samples[0].regimens[0].regimen->id);
    EXPECT_EQ(row[6], "1000");
}

TEST(ReportMultiqc, RegimenTableHasOneColumnPerRegimen) {
    Fixture f;
    const ReportModel m = f.build({one_sample(f.panel)});
    const std::string text = render([&](std::ostream& o) { write_multiqc_regimens(o, m); });
    const YAML::Node h = mqc_header(text);
    EXPECT_EQ(h["plot_type"].as<std::string>(), "table");
    EXPECT_TRUE(h["headers"]["sunitinib"]);
    std::vector<std::string> data;
    for (const auto& l : lines_of(text))
        if (l.rfind("#", 0) != 0) data.push_back(l);
    ASSERT_EQ(data.size(), 2u);
    const auto header = fields(data[0]);
    ASSERT_EQ(header.size(), 1 + f.regimens.regimens.size());
    const auto row = fields(data[1]);
    const auto su =
        static_cast<std::size_t>(std::find(header.begin(), header.end(), "sunitinib") - header.begin());
    EXPECT_NEAR(std::stod(row.at(su)), 66.67, 1e-9);
}

}  // namespace
}  // namespace kitrx
