// SPDX-License-Identifier: MIT
// Regimen ranking on genotype scenarios (issue 14), with the shipped panel and regimen file.
// Kind of test: external expectations. Each scenario's expected order and tiers were written by
// hand from ../shared/evidence/activity_panel_sources.md (the cell, its evidence kind and the
// section cited in the comment) and the ranking rule of docs/report.md, then compared with the tool;
// none was produced by kitrx. Clone fractions are hand-computed from the records' AD counts.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

// One regimens.tsv row as column -> value.
using Row = std::map<std::string, std::string>;

std::vector<Row> regimen_rows(const std::string& text) {
    std::vector<Row> rows;
    std::vector<std::string> header;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("##", 0) == 0 || line.empty()) continue;
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
        if (header.empty()) {
            header = f;
            continue;
        }
        Row r;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) r[header[i]] = f[i];
        rows.push_back(r);
    }
    return rows;
}

// Mutect2-style GRCh38 VCF with one sample; records "pos ref alt alt_reads depth" at the
// positions of ../shared/reference/known_variants.tsv.
std::string vcf(const std::vector<std::string>& records) {
    std::string s =
        "##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
        "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n"
        "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
    for (const auto& r : records) {
        std::istringstream in(r);
        std::string pos, ref, alt;
        long alt_reads = 0, depth = 0;
        in >> pos >> ref >> alt >> alt_reads >> depth;
        s += "chr4\t" + pos + "\t.\t" + ref + "\t" + alt +
             "\t.\tPASS\t.\tGT:AD:DP\t0/1:" + std::to_string(depth - alt_reads) + "," +
             std::to_string(alt_reads) + ":" + std::to_string(depth) + "\n";
    }
    return s;
}

// Known variants (GRCh38, ../shared/reference/known_variants.tsv).
const std::string kW557_K558del = "54727434 CAGTGGA C";
const std::string kA502_Y503dup = "54726012 C CTGCCTA";
const std::string kV654A = "54728092 T C";
const std::string kD820Y = "54733166 G T";
const std::string kN822K = "54733174 T A";
const std::string kD816V = "54733155 A T";
const std::string kPdgfraD842V = "54285926 A T";

struct Scenario {
    std::vector<Row> rows;
    [[nodiscard]] const Row& of(const std::string& id) const {
        for (const auto& r : rows)
            if (r.at("regimen") == id) return r;
        throw std::out_of_range("no regimen " + id);
    }
    [[nodiscard]] std::vector<std::string> order(std::size_t n) const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < n && i < rows.size(); ++i) out.push_back(rows[i].at("regimen"));
        return out;
    }
    [[nodiscard]] std::vector<std::string> tier(const std::string& t) const {
        std::vector<std::string> out;
        for (const auto& r : rows)
            if (r.at("tier") == t) out.push_back(r.at("regimen"));
        return out;
    }
};

Scenario run(const std::string& name, const std::string& vcf_text, const std::string& options = "") {
    const std::string dir = temp_dir("ranking_" + name);
    std::ofstream(dir + "/in.vcf") << vcf_text;
    const CliResult r =
        run_kitrx("report in.vcf --outdir out --no-version --stdout regimens " + options, dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Scenario{regimen_rows(r.out)};
}

// Ranks share a value only for regimens equal on every criterion; otherwise rank = row + 1.
void expect_competition_ranks(const Scenario& s) {
    for (std::size_t i = 0; i < s.rows.size(); ++i) {
        const int rank = std::stoi(s.rows[i].at("rank"));
        if (i == 0)
            EXPECT_EQ(rank, 1);
        else
            EXPECT_TRUE(rank == static_cast<int>(i) + 1 || rank == std::stoi(s.rows[i - 1].at("rank")))
                << s.rows[i].at("regimen") << " rank " << rank << " at row " << i;
    }
}

// 1. The demo genotype: exon 11 primary (vaf 0.12) + V654A (0.02) + N822K (0.01) + D820Y (0.006).
// Fractions 1/6, 1/12, 1/20 of the primary (sum 0.3). Approved agents with clinical evidence
// (section 2.1): sunitinib S on V654A [H24 ctDNA, c]; ripretinib S on D820Y [H24, c], N822K only
// p,x; so clinical burden: sunitinib (1/6)/0.3 = 0.5556; ripretinib 0.05/0.3 = 0.1667; the
// standard sequence (84 d each) 1/3 of each: (1/6 + 0.05)/3/0.3 = 0.2407. Regorafenib covers the
// exon 17 clones on preclinical [SEED] and knowledge-base [OKB18] evidence only: investigational.
// Dasatinib/sorafenib/ponatinib: preclinical + knowledge-base, not approved: never above rank 3.
// The hand values of the sequence assume the calendar schedule model (84 days per line exactly);
// the order is then checked again under the default pk model.
TEST(RankingScenarios, Exon11PlusApAndAlClones_ClinicalTierSunitinibSequenceRipretinib) {
    const std::string demo =
        vcf({kW557_K558del + " 240 2000", kV654A + " 45 2250", kN822K + " 24 2400", kD820Y + " 15 2500"});
    const Scenario pk = run("demo_pk", demo);
    EXPECT_EQ(pk.order(3), (std::vector<std::string>{"sunitinib", "standard_sequence", "ripretinib"}));
    const Scenario s = run("demo", demo, "--schedule-model calendar");
    ASSERT_FALSE(s.rows.empty());
    EXPECT_EQ(s.order(3), (std::vector<std::string>{"sunitinib", "standard_sequence", "ripretinib"}));
    EXPECT_EQ(s.tier("clinical"), (std::vector<std::string>{"sunitinib", "standard_sequence", "ripretinib"}));
    EXPECT_NEAR(std::stod(s.of("sunitinib").at("covered_burden_clinical")), (1.0 / 6) / 0.3, 1e-5);
    EXPECT_NEAR(std::stod(s.of("ripretinib").at("covered_burden_clinical")), 0.05 / 0.3, 1e-5);
    EXPECT_NEAR(std::stod(s.of("standard_sequence").at("covered_burden_clinical")),
                (1.0 / 6 + 0.05) / 3 / 0.3, 1e-5);
    EXPECT_EQ(s.of("sunitinib").at("evidence_grade"), "clinical");
    // V654A (exon 13) and N822K/D820Y (exon 17) together: the phase is unknown and the report says so.
    {
        const std::string dir = temp_dir("ranking_demo_phase");
        std::ofstream(dir + "/in.vcf") << demo;
        ASSERT_EQ(run_kitrx("report in.vcf --outdir out", dir).exit_code, 0);
        std::ifstream in(dir + "/out/in.report.html");
        const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_NE(html.find("phase unknown: ATP-pocket (V654A)"), std::string::npos);
    }
    EXPECT_EQ(s.of("regorafenib").at("tier"), "investigational");
    // Preclinical-only regimens are hypothesis-generating; all-unknown drugs rank last.
    EXPECT_EQ(s.of("sunitinib+regorafenib").at("tier"), "hypothesis");
    for (const char* u : {"pazopanib", "masitinib", "nilotinib", "crenolanib"}) {
        EXPECT_EQ(s.of(u).at("tier"), "no_known_activity") << u;
        EXPECT_GT(std::stoi(s.of(u).at("rank")), std::stoi(s.of("regorafenib").at("rank"))) << u;
    }
    expect_competition_ranks(s);
}

// 2. PDGFRA D842V alone (--genes KIT,PDGFRA): avapritinib S c,g [NAV: ORR 89%, FDA], approved for
// PDGFRA exon 18, standard of choice [ONK]; imatinib, sunitinib, regorafenib R (NCCN, ACTR);
// ripretinib S p only [SM19] -> hypothesis tier; dasatinib p,k and crenolanib k -> investigational.
TEST(RankingScenarios, PdgfraD842V_AvapritinibFirstWithItsStandard) {
    const Scenario s = run("d842v", vcf({kPdgfraD842V + " 300 1000"}), "--genes KIT,PDGFRA");
    ASSERT_FALSE(s.rows.empty());
    EXPECT_EQ(s.rows[0].at("regimen"), "avapritinib");
    EXPECT_EQ(s.rows[0].at("rank"), "1");
    EXPECT_EQ(s.rows[0].at("tier"), "clinical");
    EXPECT_EQ(s.rows[0].at("approved_for_sample"), "true");
    EXPECT_EQ(s.rows[0].at("standard_of_care"), "PDGFRA D842V, line 1");
    EXPECT_EQ(s.tier("clinical"), std::vector<std::string>{"avapritinib"});
    EXPECT_EQ(s.of("ripretinib").at("tier"), "hypothesis");
    EXPECT_EQ(s.of("crenolanib").at("tier"), "investigational");
    for (const char* r : {"imatinib", "sunitinib", "regorafenib"})
        EXPECT_EQ(s.of(r).at("tier"), "no_known_activity") << r;
    expect_competition_ranks(s);
}

// 3. KIT exon 9 A502_Y503dup without secondaries: the burden is the primary clone. Imatinib is
// dose-qualified (section 5 item 8): S at 800 mg/day [MG10 c, NCCN g], I at 400 mg/day.
// Sunitinib S c [REV7-T7]. Imatinib 800 and sunitinib tie on coverage; the stated clinical
// criterion (standard of care at the earliest line) puts imatinib 800 (KIT exon 9, line 1) before
// sunitinib (line 2). Imatinib 400 mg/day: clinical but intermediate only, after both.
TEST(RankingScenarios, Exon9Alone_Imatinib800ThenSunitinib) {
    const Scenario s = run("exon9", vcf({kA502_Y503dup + " 200 1000"}));
    ASSERT_FALSE(s.rows.empty());
    EXPECT_EQ(s.order(2), (std::vector<std::string>{"imatinib_800", "sunitinib"}));
    EXPECT_EQ(s.of("imatinib_800").at("standard_of_care"), "KIT exon 9, line 1");
    EXPECT_EQ(s.of("imatinib_800").at("burden_basis"), "primary");
    EXPECT_EQ(s.of("imatinib_800").at("covered_burden_clinical"), "1");
    EXPECT_EQ(s.of("imatinib").at("covered_burden"), "0");
    EXPECT_EQ(s.of("imatinib").at("partial_burden"), "1");
    EXPECT_LT(std::stoi(s.of("sunitinib").at("rank")), std::stoi(s.of("imatinib").at("rank")));
    // Ripretinib on exon 9 is "S?" (low confidence, SM19 preclinical): hypothesis tier.
    EXPECT_EQ(s.of("ripretinib").at("tier"), "hypothesis");

    // After imatinib failure the next standard line is 2: sunitinib first, both imatinib
    // regimens (every drug failed) after the other clinical-tier regimens.
    const Scenario p = run("exon9_prior", vcf({kA502_Y503dup + " 200 1000"}), "--prior imatinib");
    ASSERT_FALSE(p.rows.empty());
    EXPECT_EQ(p.rows[0].at("regimen"), "sunitinib");
    EXPECT_EQ(p.of("imatinib_800").at("prior"), "failed");
    EXPECT_GT(std::stoi(p.of("imatinib_800").at("rank")), std::stoi(p.of("standard_sequence").at("rank")));
}

// 4. Exon 11 + V654A only: sunitinib S [S19 p; H24 c] covers the whole secondary burden;
// regorafenib R (SEED/S19, N3: the label-derived KB rows do not count) -> no known activity;
// ripretinib I with low confidence (N4) -> never clinical.
TEST(RankingScenarios, Exon11PlusV654A_SunitinibFirstRegorafenibNotCovering) {
    const Scenario s = run("v654a", vcf({kW557_K558del + " 300 1000", kV654A + " 50 1000"}));
    ASSERT_FALSE(s.rows.empty());
    EXPECT_EQ(s.rows[0].at("regimen"), "sunitinib");
    EXPECT_EQ(s.rows[0].at("covered_burden_clinical"), "1");
    EXPECT_EQ(s.of("regorafenib").at("escaping_clones"), "V654A");
    EXPECT_EQ(s.of("regorafenib").at("tier"), "no_known_activity");
    EXPECT_NE(s.of("ripretinib").at("tier"), "clinical");
    EXPECT_EQ(s.of("ripretinib").at("low_confidence_clones"), "1");

    // clones.tsv marks the same cells the evidence file marks: regorafenib on V654A disputed (N3),
    // ripretinib "I ?" low confidence and disputed (N4); sunitinib backed by clinical evidence.
    const std::string dir = temp_dir("ranking_v654a_marks");
    std::ofstream(dir + "/in.vcf") << vcf({kW557_K558del + " 300 1000", kV654A + " 50 1000"});
    const CliResult c = run_kitrx("report in.vcf --outdir out --no-version --stdout clones", dir);
    ASSERT_EQ(c.exit_code, 0) << c.err;
    std::istringstream in(c.out);
    std::string header, line, v654a;
    std::getline(in, header);
    while (std::getline(in, line))
        if (line.find("KIT:V654A\t") != std::string::npos) v654a = line;
    ASSERT_FALSE(v654a.empty()) << c.out;
    EXPECT_NE(v654a.find("sunitinib:clinical"), std::string::npos) << v654a;
    EXPECT_NE(v654a.find("regorafenib:disputed"), std::string::npos) << v654a;
    EXPECT_NE(v654a.find("ripretinib:low_confidence"), std::string::npos) << v654a;
}

// 5. Exon 11 + D816V: no approved GIST agent has clinical evidence on D816V (section 2.1:
// ripretinib S p [SM19]; avapritinib S p [E17] and label-level, but approved for PDGFRA exon 18
// only). The clinical tier is empty: rank 1 is not presented as clinical, and sunitinib and
// regorafenib (R) have no known activity.
TEST(RankingScenarios, Exon11PlusD816V_NoClinicalTier) {
    const Scenario s = run("d816v", vcf({kW557_K558del + " 300 1000", kD816V + " 40 1000"}));
    ASSERT_FALSE(s.rows.empty());
    EXPECT_TRUE(s.tier("clinical").empty());
    EXPECT_NE(s.rows[0].at("tier"), "clinical");
    EXPECT_EQ(s.of("avapritinib").at("approved_for_sample"), "false");
    // The FDA label item (PDGFRA exon 18 label, PDX mention) is not clinical evidence in KIT GIST.
    EXPECT_EQ(s.of("avapritinib").at("evidence_grade"), "knowledge-base");
    EXPECT_EQ(s.of("avapritinib").at("covered_burden_clinical"), "0");
    EXPECT_EQ(s.of("ripretinib").at("tier"), "hypothesis");
    for (const char* r : {"sunitinib", "regorafenib", "imatinib"}) {
        EXPECT_EQ(s.of(r).at("tier"), "no_known_activity") << r;
        // Known resistance never ranks above an unknown call, approved or not (ponatinib: D816V U).
        EXPECT_GT(std::stoi(s.of(r).at("rank")), std::stoi(s.of("ponatinib").at("rank"))) << r;
    }
}

// 6. Exon 11 + V654A and D820Y declared in cis: the compound rule of the evidence file (row "KIT
// AP + AL compound in cis") makes ripretinib R [M24] and imatinib R, every other agent unknown.
// No regimen has a known activity on the only resistant clone: all share the last tier, and the
// two resistant ones rank after the unknown ones (unknown is not known resistance).
TEST(RankingScenarios, CompoundInCis_RipretinibResistantOthersUnknown) {
    const Scenario s =
        run("cis", vcf({kW557_K558del + " 300 1000", kV654A + " 50 1000", kD820Y + " 50 1000"}),
            "--cis-group V654A,D820Y");
    ASSERT_FALSE(s.rows.empty());
    for (const auto& r : s.rows) EXPECT_EQ(r.at("tier"), "no_known_activity") << r.at("regimen");
    EXPECT_EQ(s.of("ripretinib").at("escaping_clones"), "V654A+D820Y");
    EXPECT_EQ(s.of("sunitinib").at("unknown_clones"), "V654A+D820Y");
    EXPECT_GT(std::stoi(s.of("ripretinib").at("rank")), std::stoi(s.of("sunitinib").at("rank")));
    // Sunitinib before regorafenib: equal coverage, so the stated clinical criterion (standard line
    // 2 before line 3) decides. Pazopanib and masitinib are equal on every criterion (single drugs,
    // no standard, every call unknown): they share a rank, whatever their names.
    EXPECT_LT(std::stoi(s.of("sunitinib").at("rank")), std::stoi(s.of("regorafenib").at("rank")));
    EXPECT_EQ(s.of("pazopanib").at("rank"), s.of("masitinib").at("rank"));
    expect_competition_ranks(s);
}

// 7. Treatment history on the demo genotype: after imatinib and sunitinib the next standard line is
// 3. Within the clinical tier the untried ripretinib comes first, then the standard sequence
// (it starts with the failed sunitinib: includes_failed), then sunitinib itself (failed).
TEST(RankingScenarios, PriorSunitinib_FailedDrugRankedAfterUntriedOnes) {
    const Scenario s =
        run("prior",
            vcf({kW557_K558del + " 240 2000", kV654A + " 45 2250", kN822K + " 24 2400", kD820Y + " 15 2500"}),
            "--prior imatinib,Sutent");
    ASSERT_FALSE(s.rows.empty());
    EXPECT_EQ(s.of("sunitinib").at("prior"), "failed");
    EXPECT_EQ(s.of("standard_sequence").at("prior"), "includes_failed");
    EXPECT_EQ(s.order(3), (std::vector<std::string>{"ripretinib", "standard_sequence", "sunitinib"}));
}

// Bad treatment history: an unknown drug in --prior is a usage error (exit 2); in a sample sheet's
// prior column it is an input error naming the sheet line (exit 1). Both leave no output.
TEST(RankingScenarios, UnknownPriorDrugIsRejected) {
    const std::string dir = temp_dir("ranking_bad_prior");
    std::ofstream(dir + "/in.vcf") << vcf({kW557_K558del + " 300 1000", kV654A + " 50 1000"});
    auto r = run_kitrx("report in.vcf --outdir o1 --prior imatinib,aspirin", dir);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--prior: 'aspirin' is not a drug of the activity panel"), std::string::npos)
        << r.err;
    std::ofstream(dir + "/sheet.tsv") << "sample\tpatient\ttimepoint\tinput\tprior\n"
                                         "S1\tP1\tT1\tin.vcf\tGleevec,aspirin\n";
    r = run_kitrx("report --sample-sheet sheet.tsv --outdir o2", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("sheet.tsv:2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("prior treatment 'aspirin' is not a drug of the activity panel"), std::string::npos)
        << r.err;
    std::ifstream none(dir + "/o2/sheet.regimens.tsv");
    EXPECT_FALSE(none.good());
    // The alias Gleevec alone is accepted and resolved to imatinib.
    std::ofstream(dir + "/sheet_ok.tsv") << "sample\tpatient\ttimepoint\tinput\tprior\n"
                                            "S1\tP1\tT1\tin.vcf\tGleevec\n";
    r = run_kitrx("report --sample-sheet sheet_ok.tsv --outdir o3 --stdout regimens", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Scenario{regimen_rows(r.out)}.of("imatinib").at("prior"), "failed");
}

}  // namespace
}  // namespace kitrx::test
