// SPDX-License-Identifier: MIT
// `kitrx report`: the files it writes for the demo VCFs (names, columns, values checked against the
// records' read counts), stdout tables, sample sheets and timepoints, cis groups, projections, and
// the failure paths (exit code, message, no file left behind).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

namespace fs = std::filesystem;

const char* const kDemo = "\"$SRC/test-data/vcf/demo_gist_plasma.vcf\"";
const char* const kLongitudinal = "\"$SRC/test-data/vcf/demo_gist_longitudinal.vcf\"";

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
    return out;
}

// Data rows (no "##" lines) of a TSV as maps column -> value; first element is the header.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    [[nodiscard]] std::string at(std::size_t row, const std::string& column) const {
        const auto it = std::find(header.begin(), header.end(), column);
        if (it == header.end()) throw std::out_of_range("no column " + column);
        return rows.at(row).at(static_cast<std::size_t>(it - header.begin()));
    }
    [[nodiscard]] std::vector<std::vector<std::string>> where(const std::string& column,
                                                              const std::string& value) const {
        std::vector<std::vector<std::string>> out;
        const auto c =
            static_cast<std::size_t>(std::find(header.begin(), header.end(), column) - header.begin());
        for (const auto& r : rows)
            if (c < r.size() && r[c] == value) out.push_back(r);
        return out;
    }
};

Table table(const std::string& text) {
    Table t;
    for (const auto& l : lines_of(text)) {
        if (l.rfind("##", 0) == 0) continue;
        if (t.header.empty())
            t.header = fields(l);
        else
            t.rows.push_back(fields(l));
    }
    return t;
}

const std::vector<std::string> kSuffixes{
    "variants.tsv", "clones.tsv",  "coverage.tsv",  "regimens.tsv",
    "report.json",  "report.html", "kitrx_mqc.tsv", "kitrx_regimens_mqc.tsv"};

TEST(ReportCli, DemoWritesEveryFileUnderTheInputStem) {
    const std::string dir = temp_dir("report_demo");
    const CliResult r = run_kitrx(std::string("report ") + kDemo + " --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    for (const auto& s : kSuffixes) EXPECT_TRUE(file_exists(dir + "/out/demo_gist_plasma." + s)) << s;
    // Nothing else (no temporaries) in the folder.
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir + "/out")) ++n;
    EXPECT_EQ(n, kSuffixes.size());
}

TEST(ReportCli, DemoClonesMatchTheRecordsReadCounts) {
    const std::string dir = temp_dir("report_demo_clones");
    const CliResult r = run_kitrx(std::string("report ") + kDemo + " --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Table t = table(slurp(dir + "/out/demo_gist_plasma.clones.tsv"));
    const std::vector<std::string> first{"sample",         "clone",  "role",    "variants", "vaf",
                                         "clone_fraction", "ci_low", "ci_high", "status"};
    ASSERT_GE(t.header.size(), first.size());
    EXPECT_EQ(std::vector<std::string>(t.header.begin(), t.header.begin() + 9), first);
    // The demo: exon 11 deletion 240/2000 (truncal), V654A 45/2250, N822K 24/2400, D820Y 15/2500,
    // then (issue 15) the hotspots of resources/genome/hotspots.tsv that no record names, which a
    // call-only VCF cannot speak for: T670I, D816*, Y823D, A829P, not_assessed with vaf NA.
    ASSERT_EQ(t.rows.size(), 8u);
    EXPECT_EQ(t.at(0, "sample"), "PLASMA_T1");
    EXPECT_EQ(t.at(0, "variants"), "W557_K558del");
    EXPECT_EQ(t.at(0, "role"), "primary");
    EXPECT_EQ(t.at(0, "vaf"), "0.12");
    EXPECT_EQ(t.at(0, "tumour_fraction"), "0.24");
    EXPECT_EQ(t.at(1, "variants"), "V654A");
    EXPECT_EQ(t.at(1, "clone_fraction"), "0.166667");  // 0.02 / 0.12
    EXPECT_EQ(t.at(2, "variants"), "N822K");
    EXPECT_EQ(t.at(2, "clone_fraction"), "0.083333");  // 0.01 / 0.12
    EXPECT_EQ(t.at(3, "variants"), "D820Y");
    EXPECT_EQ(t.at(3, "clone_fraction"), "0.05");  // 0.006 / 0.12
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(t.at(i, "status"), "detected");
        EXPECT_LT(std::stod(t.at(i, "ci_low")), std::stod(t.at(i, "clone_fraction")));
        EXPECT_GT(std::stod(t.at(i, "ci_high")), std::stod(t.at(i, "clone_fraction")));
    }
    const std::vector<std::string> unassessed{"T670I", "D816*", "Y823D", "A829P"};
    for (std::size_t i = 4; i < 8; ++i) {
        EXPECT_EQ(t.at(i, "variants"), unassessed[i - 4]);
        EXPECT_EQ(t.at(i, "status"), "not_assessed");
        EXPECT_EQ(t.at(i, "vaf"), "NA");
        EXPECT_EQ(t.at(i, "depth"), "NA");
    }
}

TEST(ReportCli, DemoRegimensHaveTheIssueColumnsAndConsecutiveRanks) {
    const std::string dir = temp_dir("report_demo_regimens");
    const CliResult r = run_kitrx(std::string("report ") + kDemo + " --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Table t = table(slurp(dir + "/out/demo_gist_plasma.regimens.tsv"));
    for (const char* c : {"sample", "regimen", "drugs", "covered_clones", "partial_clones", "escaping_clones",
                          "covered_burden", "rank"})
        EXPECT_NE(std::find(t.header.begin(), t.header.end(), c), t.header.end()) << c;
    ASSERT_FALSE(t.rows.empty());
    // Competition ranking: ties share a rank (1, 2, 2, 4), otherwise the row number.
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const std::string rank = t.at(i, "rank");
        EXPECT_TRUE(rank == std::to_string(i + 1) || (i > 0 && rank == t.at(i - 1, "rank"))) << i;
    }
    // Imatinib cannot cover the three resistance mutations (all resistant to imatinib).
    const auto imatinib = t.where("regimen", "imatinib");
    ASSERT_EQ(imatinib.size(), 1u);
    Table im{t.header, imatinib};
    EXPECT_EQ(im.at(0, "escaping_clones"), "V654A,N822K,D820Y");
    EXPECT_EQ(im.at(0, "covered_burden"), "0");
    // Sunitinib covers V654A (fraction 1/6) but not N822K (1/12) and D820Y (1/20):
    // covered burden = (1/6) / (1/6 + 1/12 + 1/20) = 0.555556.
    Table su{t.header, t.where("regimen", "sunitinib")};
    ASSERT_EQ(su.rows.size(), 1u);
    EXPECT_EQ(su.at(0, "covered_clones"), "W557_K558del,V654A");
    EXPECT_EQ(su.at(0, "escaping_clones"), "N822K,D820Y");
    EXPECT_NEAR(std::stod(su.at(0, "covered_burden")), (1.0 / 6) / (1.0 / 6 + 1.0 / 12 + 1.0 / 20), 1e-6);
}

TEST(ReportCli, DemoJsonAndHtmlCarryTheSameSample) {
    const std::string dir = temp_dir("report_demo_json");
    const CliResult r = run_kitrx(std::string("report ") + kDemo + " --outdir out --prefix p", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(slurp(dir + "/out/p.report.json"));
    EXPECT_EQ(j.at("schema_version"), "1.1");
    ASSERT_EQ(j.at("samples").size(), 1u);
    EXPECT_EQ(j.at("samples")[0].at("sample"), "PLASMA_T1");
    EXPECT_EQ(j.at("samples")[0].at("clones").size(), 8u);  // 4 records + 4 not_assessed hotspots
    EXPECT_NEAR(j.at("samples")[0].at("tumour_fraction").get<double>(), 0.24, 1e-12);
    EXPECT_TRUE(j.at("trajectories").empty());
    const std::string html = slurp(dir + "/out/p.report.html");
    EXPECT_NE(html.find("id=\"heatmap\""), std::string::npos);
    EXPECT_NE(html.find("Research use only"), std::string::npos);
    const std::size_t drugs = j.at("panel").at("drugs").size();
    std::size_t cells = 0;
    for (auto p = html.find("class=\"hm-cell\""); p != std::string::npos;
         p = html.find("class=\"hm-cell\"", p + 1))
        ++cells;
    EXPECT_EQ(cells, 4 * drugs);
}

TEST(ReportCli, StdoutOptionPrintsTheSameTableAsTheFile) {
    const std::string dir = temp_dir("report_stdout");
    for (const std::string which : {"clones", "regimens", "variants"}) {
        const CliResult r =
            run_kitrx(std::string("report ") + kDemo + " --outdir out --stdout " + which, dir);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out, slurp(dir + "/out/demo_gist_plasma." + which + ".tsv")) << which;
    }
}

TEST(ReportCli, NoVersionDropsTheProvenanceLines) {
    const std::string dir = temp_dir("report_noversion");
    const CliResult r =
        run_kitrx(std::string("report ") + kDemo + " --outdir out --no-version --stdout clones", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("sample\tclone\trole\tvariants\t", 0), 0u);
    const std::string with = slurp(dir + "/out/demo_gist_plasma.report.json");
    EXPECT_NE(with.find("\"provenance\""), std::string::npos);
}

TEST(ReportCli, MultiSampleVcfColumnsBecomeTimepointsWithTrajectories) {
    const std::string dir = temp_dir("report_longitudinal");
    const CliResult r = run_kitrx(std::string("report ") + kLongitudinal + " --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(slurp(dir + "/out/demo_gist_longitudinal.report.json"));
    ASSERT_EQ(j.at("samples").size(), 3u);
    EXPECT_EQ(j.at("samples")[2].at("timepoint"), "week16");
    EXPECT_EQ(j.at("samples")[2].at("patient"), "demo_gist_longitudinal");
    std::map<std::string, std::string> latest;
    for (const auto& t : j.at("trajectories")) {
        EXPECT_EQ(t.at("points").size(), 3u);
        latest[t.at("variants").get<std::string>()] = t.at("latest").get<std::string>();
    }
    // week8 -> week16 from the records: D820Y 5/2500 -> 30/2500 (VAF x6, fraction 0.033 -> 0.12);
    // T670I 4/2100 -> 0/2190; V654A 16/2000 -> 9/2250 (fraction 0.133 -> 0.04, x3.3 down).
    EXPECT_EQ(latest["D820Y"], "expanding");
    EXPECT_EQ(latest["T670I"], "clearing");
    EXPECT_EQ(latest["V654A"], "contracting");
    const std::string html = slurp(dir + "/out/demo_gist_longitudinal.report.html");
    EXPECT_NE(html.find("<svg class=\"trajectory\""), std::string::npos);
}

TEST(ReportCli, NoTrajectoriesKeepsColumnsAsSeparateSamples) {
    const std::string dir = temp_dir("report_no_traj");
    const CliResult r =
        run_kitrx(std::string("report ") + kLongitudinal + " --outdir out --no-trajectories", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(slurp(dir + "/out/demo_gist_longitudinal.report.json"));
    EXPECT_TRUE(j.at("trajectories").empty());
    EXPECT_TRUE(j.at("samples")[0].at("patient").is_null());
}

TEST(ReportCli, TumourNormalVcfReportsTheTumourUnlessKeepNormal) {
    const std::string dir = temp_dir("report_tumour_normal");
    const std::string input = "\"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf\"";
    CliResult r = run_kitrx("report " + input + " --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(slurp(dir + "/out/kit_grch38.tumor_normal.report.json"));
    ASSERT_EQ(j.at("samples").size(), 1u);
    EXPECT_EQ(j.at("samples")[0].at("sample"), "TUMOR");
    ASSERT_EQ(j.at("skipped_samples").size(), 1u);
    EXPECT_NE(j.at("skipped_samples")[0].get<std::string>().find("NORMAL"), std::string::npos);
    r = run_kitrx("report " + input + " --outdir out --keep-normal", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(slurp(dir + "/out/kit_grch38.tumor_normal.report.json"));
    EXPECT_EQ(j.at("samples").size(), 2u);
    EXPECT_TRUE(j.at("trajectories").empty());
}

TEST(ReportCli, SampleSheetOrdersTimepointsAndNamesThePatient) {
    const std::string dir = temp_dir("report_sheet");
    // Two columns of the longitudinal demo, listed out of order; days give the order.
    {
        std::ofstream sheet(dir + "/sheet.tsv");
        sheet << "sample\tpatient\ttimepoint\tinput\n"
              << "week16\tPT-1\t112\t" << source_path("test-data/vcf/demo_gist_longitudinal.vcf") << "\n"
              << "baseline\tPT-1\t0\t" << source_path("test-data/vcf/demo_gist_longitudinal.vcf") << "\n";
    }
    const CliResult r = run_kitrx("report --sample-sheet sheet.tsv --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(file_exists(dir + "/out/sheet.report.html"));
    const auto j = nlohmann::json::parse(slurp(dir + "/out/sheet.report.json"));
    ASSERT_EQ(j.at("samples").size(), 2u);  // only the samples the sheet names
    ASSERT_FALSE(j.at("trajectories").empty());
    for (const auto& t : j.at("trajectories")) {
        EXPECT_EQ(t.at("patient"), "PT-1");
        ASSERT_EQ(t.at("points").size(), 2u);
        EXPECT_EQ(t.at("points")[0].at("timepoint"), "0");
        EXPECT_EQ(t.at("points")[1].at("timepoint"), "112");
    }
}

TEST(ReportCli, CisGroupMakesOneCloneOfItsVariants) {
    const std::string dir = temp_dir("report_cis");
    const CliResult r = run_kitrx(
        std::string("report ") + kDemo + " --outdir out --cis-group N822K,D820Y --stdout clones", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Table t = table(r.out);
    ASSERT_EQ(t.where("status", "detected").size(), 3u);
    // Members in input (genomic) order: D820Y (54733166) before N822K (54733174).
    EXPECT_EQ(t.where("variants", "D820Y,N822K").size(), 1u);
    EXPECT_EQ(t.where("clone", "KIT:D820Y+N822K").size(), 1u);
}

TEST(ReportCli, SimulateLabelsEveryOutputAsAHypothesisGeneratingModel) {
    const std::string dir = temp_dir("report_simulate");
    const CliResult r = run_kitrx(std::string("report ") + kDemo + " --outdir out --simulate 12", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string label = "hypothesis-generating model, not a prediction";
    for (const auto& s : {"clones.tsv", "regimens.tsv", "variants.tsv", "report.json", "report.html",
                          "kitrx_mqc.tsv", "kitrx_regimens_mqc.tsv"})
        EXPECT_NE(slurp(dir + "/out/demo_gist_plasma." + std::string(s)).find(label), std::string::npos) << s;
    const auto j = nlohmann::json::parse(slurp(dir + "/out/demo_gist_plasma.report.json"));
    ASSERT_EQ(j.at("samples")[0].at("projections").size(), 3u);
    EXPECT_EQ(j.at("samples")[0].at("projections")[0].at("weeks").size(), 13u);
}

TEST(ReportCli, DuplicateSampleNamesAcrossInputsArePrefixedWithTheInputStem) {
    const std::string dir = temp_dir("report_dupnames");
    fs::copy_file(source_path("test-data/vcf/demo_gist_plasma.vcf"), dir + "/second.vcf");
    const CliResult r =
        run_kitrx(std::string("report ") + kDemo + " second.vcf --outdir out --stdout clones", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Table t = table(r.out);
    // 4 records + 4 not_assessed hotspots each (see DemoClonesMatchTheRecordsReadCounts).
    EXPECT_EQ(t.where("sample", "demo_gist_plasma:PLASMA_T1").size(), 8u);
    EXPECT_EQ(t.where("sample", "second:PLASMA_T1").size(), 8u);
}

// ---------------------------------------------------------------------------------------------
// Failures

TEST(ReportCli, MissingOutdirIsAUsageError) {
    const std::string dir = temp_dir("report_no_outdir");
    const CliResult r = run_kitrx(std::string("report ") + kDemo, dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing --outdir"), std::string::npos) << r.err;
}

TEST(ReportCli, BadOptionValuesAreUsageErrorsAndWriteNothing) {
    const std::string dir = temp_dir("report_bad_options");
    for (const std::string opt : {"--stdout tables", "--cis-group V654A", "--simulate -3",
                                  "--simulate 4 --simulate-regimens nonexistent", "--growth-model x.yaml"}) {
        const CliResult r = run_kitrx(std::string("report ") + kDemo + " --outdir out " + opt, dir);
        EXPECT_EQ(r.exit_code, 2) << opt << "\n" << r.err;
        EXPECT_FALSE(fs::exists(dir + "/out")) << opt;
    }
}

TEST(ReportCli, BadInputFailsWithExit1AndLeavesNoFile) {
    const std::string dir = temp_dir("report_bad_input");
    {
        std::ofstream bad(dir + "/broken.vcf");
        bad << "this is not a VCF\n";
    }
    fs::create_directories(dir + "/out");
    const CliResult r = run_kitrx(std::string("report ") + kDemo + " broken.vcf --outdir out", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("broken.vcf"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(dir + "/out")) << "partial outputs left behind";
}

TEST(ReportCli, CreatedOutdirIsRemovedAgainOnFailure) {
    const std::string dir = temp_dir("report_bad_input_newdir");
    const CliResult r = run_kitrx("report missing.vcf --outdir fresh/out", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("missing.vcf"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir + "/fresh/out"));
}

TEST(ReportCli, HelpListsTheReportOptions) {
    const std::string dir = temp_dir("report_help");
    const CliResult r = run_kitrx("report --help", dir);
    EXPECT_EQ(r.exit_code, 0);
    for (const char* o : {"--outdir", "--prefix", "--panel", "--regimens", "--simulate", "--group-cis",
                          "--cis-group", "--sample-sheet", "--stdout", "--merge-cis"})
        EXPECT_NE(r.out.find(o), std::string::npos) << o;
}

// A sample without any KIT/PDGFRA clone has no best-supported regimen (review finding: it read
// "imatinib", although wild-type GIST is imatinib-insensitive).
TEST(ReportCli, NoCloneMeansNoBestSupportedRegimen) {
    const std::string dir = temp_dir("report_no_clone");
    std::ofstream(dir + "/in.vcf") << "##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n"
                                      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
                                      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
    const CliResult r = run_kitrx("report in.vcf --outdir out", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = slurp(dir + "/out/in.report.html");
    EXPECT_NE(html.find("Best-supported regimen:</strong> none"), std::string::npos);
}

}  // namespace
}  // namespace kitrx::test
