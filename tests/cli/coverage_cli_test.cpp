// SPDX-License-Identifier: MIT
// Issue 15, "say only what the sample can show", through `kitrx report`: hotspot statuses
// (detected / not_detected / not_covered / not_assessed) with depth and LoD in every output,
// primary assignment that never promotes a secondary, the clone-model warnings, and the PDGFRA
// note. Each test says where its expected values come from.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_paths.hpp"

namespace kitrx::test {
namespace {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& name) {
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp/coverage_cli/" + name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Rows of a TSV (## lines skipped) as column -> value maps.
std::vector<std::map<std::string, std::string>> rows(const std::string& text) {
    std::vector<std::map<std::string, std::string>> out;
    std::vector<std::string> header;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.rfind("##", 0) == 0 || line[0] == '#') continue;
        std::vector<std::string> f;
        std::istringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, '\t')) f.push_back(cell);
        if (header.empty()) {
            header = f;
            continue;
        }
        std::map<std::string, std::string> r;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) r[header[i]] = f[i];
        out.push_back(r);
    }
    return out;
}

std::map<std::string, std::string> row_of(const std::vector<std::map<std::string, std::string>>& t,
                                          const std::string& column,
                                          const std::string& value) {
    for (const auto& r : t)
        if (r.count(column) && r.at(column) == value) return r;
    return {};
}

// The header of the shipped demo VCF (GRCh38, one sample PLASMA_T1) plus the given records.
void write_vcf(const std::string& path, const std::vector<std::string>& records) {
    std::ifstream in(source_path("test-data/vcf/demo_gist_plasma.vcf"));
    std::ofstream out(path);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && line[0] == '#') out << line << '\n';
    for (const auto& r : records) out << r << '\n';
}

// chr4 POS REF ALT with FORMAT AD/AF/DP: alt of depth.
std::string rec(long pos, const std::string& ref, const std::string& alt, long alt_n, long depth) {
    std::ostringstream s;
    s << "chr4\t" << pos << "\t.\t" << ref << '\t' << alt << "\t.\tPASS\tDP=" << depth
      << "\tGT:AD:AF:DP\t0/1:" << depth - alt_n << ',' << alt_n << ':'
      << static_cast<double>(alt_n) / static_cast<double>(depth) << ':' << depth;
    return s.str();
}

// GRCh38 positions, from the coculture design (test-data/validation/coculture/lines.tsv) and the
// shipped exon table (PDGFRA exon 18 starts at c.2440 = 54285841, so c.2525 = 54285926).
const std::string kV560D = rec(54727447, "T", "A", 100, 1000);

// Checks one real SeraCare BAM through every output. Expected values (not kitrx's): the realdata
// README says the slice holds reads at 4:55599230-55599412 only (exon 17), and `samtools depth -a`
// gives 0 at V654A (55594257-9), T670I (55595518-20) and A829P (55602664-6) and >1000 reads at
// D820 (55599332-4); the MSK-ACCESS MAF gives D816V 58/1179 (duplex) and the fill-out 34/622
// (simplex).
void check_seracare(const std::string& bam, double maf_vaf, const std::string& name) {
    const std::string dir = temp_dir(name);
    const CliResult r = run_kitrx("report '" + bam + "' --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto clones = rows(read(dir + "/out/s.clones.tsv"));
    const auto coverage = rows(read(dir + "/out/s.coverage.tsv"));
    for (const char* uncovered : {"V654A", "T670I", "A829P"}) {
        EXPECT_EQ(row_of(clones, "variants", uncovered)["status"], "not_covered") << uncovered;
        EXPECT_EQ(row_of(clones, "variants", uncovered)["vaf"], "NA") << uncovered;
        EXPECT_EQ(row_of(coverage, "item", uncovered)["status"], "not_covered") << uncovered;
        EXPECT_EQ(row_of(coverage, "item", uncovered)["depth"], "0") << uncovered;
    }
    for (const char* covered : {"D820*", "N822*", "Y823D"}) {
        auto c = row_of(clones, "variants", covered);
        EXPECT_EQ(c["status"], "not_detected") << covered;
        ASSERT_NE(c["lod_vaf"], "NA") << covered;
        // Hand bound: 3 alt fragments (the calling minimum) out of at most 1480 reads.
        EXPECT_GT(std::stod(c["lod_vaf"]), 3.0 / 1480) << covered;
        EXPECT_LT(std::stod(c["lod_vaf"]), 0.05) << covered;
    }
    auto d816 = row_of(clones, "variants", "D816V");
    EXPECT_EQ(d816["role"], "secondary");
    EXPECT_EQ(d816["status"], "detected");
    EXPECT_NEAR(std::stod(d816["vaf"]), maf_vaf, 0.01);
    EXPECT_EQ(d816["clone_fraction"], "NA");
    EXPECT_EQ(d816["tumour_fraction"], "NA");
    EXPECT_NE(d816["sample_warnings"].find("primary_not_detected"), std::string::npos);
    // Exon table: exon 17 has reads, the others none (README: exon 17 only).
    EXPECT_NE(row_of(coverage, "item", "exon 17")["status"], "not_covered");
    for (const char* exon : {"exon 9", "exon 11", "exon 13", "exon 14", "exon 18"})
        EXPECT_EQ(row_of(coverage, "item", exon)["status"], "not_covered") << exon;

    const auto j = nlohmann::json::parse(read(dir + "/out/s.report.json"));
    const auto& s = j.at("samples")[0];
    for (const auto& c : s.at("clones"))
        if (c.at("id") == "KIT:V654A" || c.at("id") == "KIT:T670I" || c.at("id") == "KIT:A829P")
            EXPECT_EQ(c.at("status"), "not_covered") << c.at("id");
    for (const auto& h : s.at("hotspots"))
        if (h.at("depth") == 0) EXPECT_EQ(h.at("status"), "not_covered") << h.at("label");
    EXPECT_EQ(s.at("exons").size(), 6u);
    EXPECT_EQ(s.at("warnings")[0].at("flag"), "primary_not_detected");

    const std::string html = read(dir + "/out/s.report.html");
    const auto p = html.find("neg-not-detected");
    ASSERT_NE(p, std::string::npos);
    const std::string negative = html.substr(p, html.find("</p>", p) - p);
    EXPECT_EQ(negative.find("V654A"), std::string::npos) << negative;
    EXPECT_NE(negative.find("D820"), std::string::npos) << negative;
    const auto q = html.find("neg-not-covered");
    ASSERT_NE(q, std::string::npos);
    EXPECT_NE(html.substr(q, html.find("</p>", q) - q).find("V654A"), std::string::npos);
    EXPECT_NE(html.find("class=\"exon-coverage\""), std::string::npos);

    const auto mqc = rows(read(dir + "/out/s.kitrx_mqc.tsv"));
    ASSERT_EQ(mqc.size(), 1u);
    EXPECT_EQ(mqc[0].at("hotspots_not_covered"), "3");
    EXPECT_EQ(mqc[0].at("hotspots_not_detected"), "3");
    EXPECT_EQ(mqc[0].at("tumour_fraction"), "");
}

// Real data: the bundled duplex slice (test-data/bam) and the simplex one (../shared/realdata).
TEST(CoverageCli, SeraCareDuplexBamNeverCallsAnUncoveredHotspotNotDetected) {
    check_seracare(source_path("test-data/bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam"), 58.0 / 1179,
                   "duplex");
}

TEST(CoverageCli, SeraCareSimplexBamNeverCallsAnUncoveredHotspotNotDetected) {
    KITRX_REQUIRE_SHARED("realdata/bam/mskaccess_seracare_ctdna_simplex.KIT.GRCh37.bam");
    check_seracare(shared_path("realdata/bam/mskaccess_seracare_ctdna_simplex.KIT.GRCh37.bam"), 34.0 / 622,
                   "simplex");
}

// External bound: the duplex slice has 1,480 reads in all (README), so no locus reaches 1,500:
// with --min-depth 1500 every hotspot without a call is not_covered, none not_detected.
TEST(CoverageCli, MinDepthAboveEveryDepthLeavesNoNegativeResult) {
    const std::string dir = temp_dir("floor");
    const CliResult r =
        run_kitrx("report '" + source_path("test-data/bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam") +
                      "' --min-depth 1500 --outdir out -p s",
                  dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& c : rows(read(dir + "/out/s.clones.tsv"))) {
        EXPECT_NE(c.at("status"), "not_detected") << c.at("clone");
        if (c.at("clone") != "KIT:D816V") EXPECT_EQ(c.at("status"), "not_covered") << c.at("clone");
    }
    for (const auto& e : rows(read(dir + "/out/s.coverage.tsv")))
        if (e.at("kind") == "exon") EXPECT_EQ(e.at("status"), "not_covered") << e.at("item");
}

// Small VCF, hand-made: zero-read records are negative results only at depth >= the floor
// (default 20): D816V 0/1000 not_detected with a LoD, N822K 0/10 not_covered; every hotspot no
// record names (hotspots.tsv: T670I, D820*, Y823D, A829P; V654A is named by no record either)
// is not_assessed, since a call list cannot show wild type.
TEST(CoverageCli, VcfStatusesFollowDepthAndNeverClaimUnlistedHotspotsAbsent) {
    const std::string dir = temp_dir("vcf_statuses");
    write_vcf(dir + "/in.vcf", {kV560D, rec(54733155, "A", "T", 0, 1000), rec(54733174, "T", "A", 0, 10)});
    const CliResult r = run_kitrx("report in.vcf --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto clones = rows(read(dir + "/out/s.clones.tsv"));
    auto d816 = row_of(clones, "variants", "D816V");
    EXPECT_EQ(d816["status"], "not_detected");
    ASSERT_NE(d816["lod_vaf"], "NA");
    // Hand bound: at least 3 of 1000 fragments, and well under 2% at that depth.
    EXPECT_GT(std::stod(d816["lod_vaf"]), 0.003);
    EXPECT_LT(std::stod(d816["lod_vaf"]), 0.02);
    EXPECT_EQ(row_of(clones, "variants", "N822K")["status"], "not_covered");
    for (const char* h : {"V654A", "T670I", "D820*", "Y823D", "A829P"})
        EXPECT_EQ(row_of(clones, "variants", h)["status"], "not_assessed") << h;
    // D816* and N822* are named by the records, not listed twice.
    EXPECT_TRUE(row_of(clones, "variants", "D816*").empty());
    EXPECT_TRUE(row_of(clones, "variants", "N822*").empty());
    const auto coverage = rows(read(dir + "/out/s.coverage.tsv"));
    for (const auto& c : coverage) EXPECT_EQ(c.at("status"), "not_assessed") << c.at("item");
    EXPECT_EQ(coverage.size(), 7u + 6u);  // 7 hotspots, 6 target exons (resources/genome)
    const std::string html = read(dir + "/out/s.report.html");
    EXPECT_NE(html.find("neg-not-assessed"), std::string::npos);
}

// Issue 15 case: D816V alone. Hand: no exon 9/11 variant -> D816V stays secondary, no fraction,
// no tumour fraction; the sample says primary_not_detected.
TEST(CoverageCli, SecondaryAloneIsNeverPromotedToPrimary) {
    const std::string dir = temp_dir("d816v_alone");
    write_vcf(dir + "/in.vcf", {rec(54733155, "A", "T", 50, 1000)});
    const CliResult r = run_kitrx("report in.vcf --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto c = row_of(rows(read(dir + "/out/s.clones.tsv")), "variants", "D816V");
    EXPECT_EQ(c["role"], "secondary");
    EXPECT_EQ(c["vaf"], "0.05");
    EXPECT_EQ(c["clone_fraction"], "NA");
    EXPECT_EQ(c["tumour_fraction"], "NA");
    EXPECT_NE(c["flags"].find("primary_not_detected"), std::string::npos);
    const std::string html = read(dir + "/out/s.report.html");
    EXPECT_NE(html.find("NA (no primary detected)"), std::string::npos);
}

// Issue 15 case: V654A + N822K. N822K has a primary-context panel rule, but V654A beside it says
// resistance: both secondary, fractions NA (the old output: V654A primary, N822K 0.5).
TEST(CoverageCli, TwoSecondariesStaySecondaryWithoutFractions) {
    const std::string dir = temp_dir("v654a_n822k");
    write_vcf(dir + "/in.vcf", {rec(54728092, "T", "C", 40, 1000), rec(54733174, "T", "A", 20, 1000)});
    const CliResult r = run_kitrx("report in.vcf --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto clones = rows(read(dir + "/out/s.clones.tsv"));
    for (const char* v : {"V654A", "N822K"}) {
        EXPECT_EQ(row_of(clones, "variants", v)["role"], "secondary") << v;
        EXPECT_EQ(row_of(clones, "variants", v)["clone_fraction"], "NA") << v;
    }
}

// K642E alone: the panel's context-primary rule (GIST882-like) makes it a primary candidate, the
// reference, flagged; --primary KIT:K642E confirms it and clears primary_not_detected. Hand:
// V654A 20/1000 over K642E 100/1000 = 0.2.
TEST(CoverageCli, PrimaryCandidateIsFlaggedAndPrimaryOptionConfirmsIt) {
    const std::string dir = temp_dir("k642e");
    write_vcf(dir + "/alone.vcf", {rec(54728055, "A", "G", 100, 1000)});
    CliResult r = run_kitrx("report alone.vcf --outdir a -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto k = row_of(rows(read(dir + "/a/s.clones.tsv")), "variants", "K642E");
    EXPECT_EQ(k["role"], "primary");
    EXPECT_NE(k["flags"].find("primary_candidate"), std::string::npos);
    EXPECT_NE(k["sample_warnings"].find("primary_not_detected"), std::string::npos);

    write_vcf(dir + "/pair.vcf", {rec(54728055, "A", "G", 100, 1000), rec(54728092, "T", "C", 20, 1000)});
    r = run_kitrx("report pair.vcf --outdir b -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto t = rows(read(dir + "/b/s.clones.tsv"));
    EXPECT_EQ(row_of(t, "variants", "K642E")["role"], "secondary");  // V654A beside it: not guessed
    EXPECT_EQ(row_of(t, "variants", "V654A")["clone_fraction"], "NA");

    r = run_kitrx("report pair.vcf --primary KIT:K642E --outdir c -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    t = rows(read(dir + "/c/s.clones.tsv"));
    EXPECT_EQ(row_of(t, "variants", "K642E")["role"], "primary");
    EXPECT_EQ(row_of(t, "variants", "V654A")["role"], "secondary");
    EXPECT_EQ(row_of(t, "variants", "V654A")["clone_fraction"], "0.2");
    EXPECT_EQ(row_of(t, "variants", "V654A")["sample_warnings"], "NA");
}

// Hand: V654A 150/1000 over V560D 100/1000 -> ratio 1.5 (> 1): fraction shown as 1 but flagged
// vaf_above_primary with the uncapped ratio and an interval around 1.5, not [1, 1].
TEST(CoverageCli, VafAbovePrimaryIsFlaggedWithTheUncappedRatio) {
    const std::string dir = temp_dir("above");
    write_vcf(dir + "/in.vcf", {kV560D, rec(54728092, "T", "C", 150, 1000)});
    const CliResult r = run_kitrx("report in.vcf --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto c = row_of(rows(read(dir + "/out/s.clones.tsv")), "variants", "V654A");
    EXPECT_EQ(c.at("clone_fraction"), "1");
    EXPECT_NE(c.at("flags").find("vaf_above_primary"), std::string::npos);
    EXPECT_NE(c.at("sample_warnings").find("vaf_above_primary"), std::string::npos);
    EXPECT_NEAR(std::stod(c.at("fraction_uncapped")), 1.5, 1e-9);
    EXPECT_LT(std::stod(c.at("ratio_ci_low")), 1.5);
    EXPECT_GT(std::stod(c.at("ratio_ci_high")), 1.5);
    const auto j = nlohmann::json::parse(read(dir + "/out/s.report.json"));
    bool found = false;
    for (const auto& w : j.at("samples")[0].at("warnings"))
        found = found || w.at("flag") == "vaf_above_primary";
    EXPECT_TRUE(found);
    EXPECT_NE(read(dir + "/out/s.report.html").find("data-flag=\"vaf_above_primary\""), std::string::npos);
}

// Hand: V654A 70/1000 and N822K 60/1000 over V560D 100/1000 -> 0.7 + 0.6 = 1.3 > 1, each below 1:
// clones_exceed_tumour without vaf_above_primary.
TEST(CoverageCli, SecondaryFractionsBeyondOneAreFlagged) {
    const std::string dir = temp_dir("exceed");
    write_vcf(dir + "/in.vcf",
              {kV560D, rec(54728092, "T", "C", 70, 1000), rec(54733174, "T", "A", 60, 1000)});
    const CliResult r = run_kitrx("report in.vcf --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto c = row_of(rows(read(dir + "/out/s.clones.tsv")), "variants", "V654A");
    EXPECT_EQ(c.at("sample_warnings"), "clones_exceed_tumour");
}

// Hand: V560D (exon 11) and K642E given as --primary: two primaries.
TEST(CoverageCli, TwoPrimariesAreFlagged) {
    const std::string dir = temp_dir("two_primaries");
    write_vcf(dir + "/in.vcf", {kV560D, rec(54728055, "A", "G", 50, 1000)});
    const CliResult r = run_kitrx("report in.vcf --primary K642E --outdir out -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto c = row_of(rows(read(dir + "/out/s.clones.tsv")), "variants", "K642E");
    EXPECT_EQ(c.at("role"), "primary");
    EXPECT_EQ(c.at("clone_fraction"), "0.5");
    EXPECT_NE(c.at("sample_warnings").find("multiple_primaries"), std::string::npos);
}

// PDGFRA D842V (c.2525A>T, GRCh38 54285926 from the shipped exon table) with the default --genes:
// exit 0, a stderr note, counted in the JSON; with --genes KIT,PDGFRA it is a primary clone.
TEST(CoverageCli, PdgfraRecordsWithDefaultGenesAreNotedAndCounted) {
    const std::string dir = temp_dir("pdgfra");
    write_vcf(dir + "/in.vcf", {rec(54285926, "A", "T", 80, 1000)});
    CliResult r = run_kitrx("report in.vcf --outdir a -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("add --genes KIT,PDGFRA"), std::string::npos) << r.err;
    const auto j = nlohmann::json::parse(read(dir + "/a/s.report.json"));
    EXPECT_EQ(j.at("samples")[0].at("pdgfra_records_ignored"), 1);
    EXPECT_NE(read(dir + "/a/s.report.html").find("PDGFRA variants present"), std::string::npos);

    r = run_kitrx("report in.vcf --genes KIT,PDGFRA --outdir b -p s", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("add --genes"), std::string::npos) << r.err;
    auto c = row_of(rows(read(dir + "/b/s.clones.tsv")), "variants", "D842V");
    EXPECT_EQ(c["role"], "primary");
}

// Hand: a floor of 0 and an empty protein are meaningless; one line, usage exit code.
TEST(CoverageCli, BadMinDepthOrPrimaryIsOneErrorLine) {
    const std::string dir = temp_dir("bad");
    for (const char* args : {"--min-depth 0", "--primary KIT:"}) {
        const CliResult r = run_kitrx(
            std::string("report \"$SRC/test-data/vcf/demo_gist_plasma.vcf\" --outdir out ") + args, dir);
        EXPECT_EQ(r.exit_code, 2) << args;  // option errors are usage errors (exit 2, as every command)
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    }
}

}  // namespace
}  // namespace kitrx::test
