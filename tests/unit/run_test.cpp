// SPDX-License-Identifier: MIT
// run_<command>() called directly with a Config, without a process: one test (at least) per
// subcommand. Each says where its expected values come from: the fixture's documentation
// (test-data/README.md), the generator's truth (bamgen), the help text, or worked out by hand.
#include "kitrx/run/run.hpp"

#include <iostream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "bam_fixtures.hpp"
#include "cli_runner.hpp"

namespace kitrx {
namespace {

using test::slurp;
using test::temp_dir;
using test::test_data;

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
    return out;
}

// Rows of a TSV (lines starting '#' other than the header skipped) as column -> value maps.
std::vector<std::map<std::string, std::string>> table_rows(const std::string& text) {
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::string> header;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("##", 0) == 0) continue;
        if (header.empty()) {
            header = fields(line[0] == '#' ? line.substr(1) : line);
            continue;
        }
        const auto f = fields(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

// Captures std::cout for the commands that print their result there.
class CoutCapture {
public:
    CoutCapture() : old_(std::cout.rdbuf(buffer_.rdbuf())) {}
    ~CoutCapture() { std::cout.rdbuf(old_); }
    CoutCapture(const CoutCapture&) = delete;
    CoutCapture& operator=(const CoutCapture&) = delete;
    [[nodiscard]] std::string text() const { return buffer_.str(); }

private:
    std::ostringstream buffer_;
    std::streambuf* old_;
};

// Expected values from test-data/README.md (the demo's documented KIT records and their AD).
TEST(RunAnnotate, DemoVcfGivesTheDocumentedVariantsAndFractions) {
    const std::string dir = temp_dir("run_annotate");
    AnnotateConfig config;
    config.input_path = test_data("vcf/demo_gist_plasma.vcf");
    config.output = dir + "/demo.tsv";
    config.no_version = true;
    Diagnostics diag(nullptr);
    EXPECT_EQ(run_annotate(config, diag), ExitCode::kOk);
    std::map<std::string, std::string> vaf;
    for (const auto& row : table_rows(slurp(config.output)))
        if (row.at("sample") == "PLASMA_T1" && row.count("protein") && row.at("vaf") != "NA")
            vaf[row.at("protein")] = row.at("vaf");
    EXPECT_EQ(vaf["W557_K558del"], "0.12");  // AD 1760,240
    EXPECT_EQ(vaf["V654A"], "0.02");         // AD 2205,45
    EXPECT_EQ(vaf["N822K"], "0.01");         // AD 2376,24
    EXPECT_EQ(vaf["D820Y"], "0.006");        // AD 2485,15
    EXPECT_EQ(vaf.size(), 4u);               // the intron-11 SNP and non-KIT records are not reported
}

// By hand: a usage error comes before any output is opened.
TEST(RunAnnotate, MissingInputIsAUsageErrorAndWritesNothing) {
    const std::string dir = temp_dir("run_annotate_usage");
    AnnotateConfig config;
    config.output = dir + "/never.tsv";
    Diagnostics diag(nullptr);
    EXPECT_THROW((void)run_annotate(config, diag), UsageError);
    EXPECT_FALSE(test::file_exists(config.output));
}

// Expected values from test-data/README.md: the demo's primary and secondary KIT variants.
TEST(RunReport, DemoVcfWritesEveryFileWithTheDocumentedClones) {
    const std::string dir = temp_dir("run_report");
    ReportConfig config;
    config.inputs = {test_data("vcf/demo_gist_plasma.vcf")};
    config.outdir = dir + "/out";
    config.no_version = true;
    Diagnostics diag(nullptr);
    EXPECT_EQ(run_report(config, diag), ExitCode::kOk);
    for (const char* suffix : {".variants.tsv", ".clones.tsv", ".coverage.tsv", ".regimens.tsv",
                               ".report.json", ".report.html", ".kitrx_mqc.tsv", ".kitrx_regimens_mqc.tsv"})
        EXPECT_TRUE(test::file_exists(dir + "/out/demo_gist_plasma" + suffix)) << suffix;
    std::map<std::string, std::string> role;
    for (const auto& row : table_rows(slurp(dir + "/out/demo_gist_plasma.clones.tsv")))
        role[row.at("clone")] = row.at("role");
    EXPECT_EQ(role["KIT:W557_K558del"], "primary");
    EXPECT_EQ(role["KIT:V654A"], "secondary");
    EXPECT_EQ(role["KIT:N822K"], "secondary");
    EXPECT_EQ(role["KIT:D820Y"], "secondary");
}

// By hand: the sample sheet's input is resolved against the sheet's folder, and a missing one is
// reported at its sheet line before any output exists.
TEST(RunReport, SampleSheetInputMissingNamesTheSheetLine) {
    const std::string dir = temp_dir("run_report_sheet");
    {
        std::ofstream sheet(dir + "/sheet.tsv");
        sheet << "sample\tpatient\ttimepoint\tinput\nPLASMA_T1\tP1\tbaseline\tmissing.vcf\n";
    }
    ReportConfig config;
    config.sheet_path = dir + "/sheet.tsv";
    config.outdir = dir + "/out";
    Diagnostics diag(nullptr);
    try {
        (void)run_report(config, diag);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(
            std::string(e.what()).find("input 'missing.vcf' cannot be opened (" + dir + "/missing.vcf)"),
            std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(test::file_exists(dir + "/out"));
}

// Expected values from the generator's truth (bamgen writes the reads and knows every fragment).
TEST(RunCount, CountsAndHotspotsAgreeWithTheGeneratedTruth) {
    const auto& g = test::standard_bam();
    const std::string dir = temp_dir("run_count");
    CountConfig config;
    config.input_path = g.path;
    config.input.exons = "11,13,17";
    config.output = dir + "/counts.tsv";
    config.hotspots_path = dir + "/hotspots.tsv";
    config.no_version = true;
    Diagnostics diag(nullptr);
    EXPECT_EQ(run_count(config, diag), ExitCode::kOk);
    const auto counts = table_rows(slurp(config.output));
    std::size_t d816v = 0;
    for (std::size_t i = 0; i < g.truth.variants.size(); ++i)
        if (g.truth.variants[i].pos0 == 54733154 && g.truth.variants[i].alt == "T") d816v = i;
    bool seen = false;
    for (const auto& row : counts)
        if (row.at("pos") == "54733155") {
            seen = true;
            EXPECT_EQ(row.at("depth"), std::to_string(g.truth.expected_depth(54733154)));
            EXPECT_EQ(row.at("T"), std::to_string(g.truth.expected_alt(d816v)));
        }
    EXPECT_TRUE(seen);
    // D816V (8% of fragments) and V654A (6%) were generated: both hotspots are detected.
    std::map<std::string, std::string> status;
    for (const auto& row : table_rows(slurp(config.hotspots_path)))
        status[row.at("hotspot")] = row.at("status");
    EXPECT_EQ(status["D816*"], "detected");
    EXPECT_EQ(status["V654A"], "detected");
}

// Hand-computed in tests/cli/validate_cli_test.cpp (PassingRunExitsZeroAndWritesEveryOutput):
// 10 TP and 2 FN over the small truth; the verdict line is printed on stdout.
TEST(RunValidate, SmallTruthPassesWithTheHandCountedTruePositives) {
    const std::string dir = temp_dir("run_validate");
    ValidateConfig config;
    config.truth_path = test_data("validation/small_truth.tsv");
    config.acceptance_path = test_data("validation/acceptance.yaml");
    config.outdir = dir + "/out";
    config.observed_paths = {test_data("validation/small_observed.tsv"),
                             test_data("validation/small_observed_wt.tsv")};
    Diagnostics diag(nullptr);
    CoutCapture out;
    EXPECT_EQ(run_validate(config, diag), ExitCode::kOk);
    EXPECT_NE(out.text().find("kitrx validate: PASS"), std::string::npos) << out.text();
    EXPECT_NE(out.text().find("TP 10, FN 2, FP 0"), std::string::npos) << out.text();
    EXPECT_TRUE(test::file_exists(dir + "/out/validation_summary.tsv"));
}

// Expected values from test-data/README.md (minimal.yaml: 2 drugs, 1 citation, 4 rules) and the
// fixture itself (name and version).
TEST(RunPanel, CheckPrintsTheDocumentedCounts) {
    PanelConfig config;
    config.action = "check";
    config.file = test_data("panels/minimal.yaml");
    Diagnostics diag(nullptr);
    CoutCapture out;
    EXPECT_EQ(run_panel(config, diag), ExitCode::kOk);
    EXPECT_EQ(out.text(), *config.file +
                              ": ok: minimal test panel 1.0, 2 drugs, 4 rules, 1 citations (1 cited by "
                              "rules)\n");
}

// By hand from the fixture: the D816V rule is resistant to both drugs; TSV has one column per drug.
TEST(RunPanel, ShowTsvHasOneColumnPerDrug) {
    const std::string dir = temp_dir("run_panel_show");
    PanelConfig config;
    config.action = "show";
    config.file = test_data("panels/minimal.yaml");
    config.format = "tsv";
    config.output = dir + "/matrix.tsv";
    Diagnostics diag(nullptr);
    EXPECT_EQ(run_panel(config, diag), ExitCode::kOk);
    // The four "#key\tvalue" panel lines come before the column header.
    std::string text = slurp(config.output);
    for (int i = 0; i < 4; ++i) text.erase(0, text.find('\n') + 1);
    bool seen = false;
    for (const auto& row : table_rows(text))
        if (row.at("rule_id") == "kit-d816v") {
            seen = true;
            EXPECT_EQ(row.at("imatinib"), "resistant");
            EXPECT_EQ(row.at("regorafenib"), "resistant");
        }
    EXPECT_TRUE(seen);
    config.format_or_output_given = true;
    config.action = "check";
    EXPECT_THROW((void)run_panel(config, diag), UsageError);
}

// Expected values from the --exons help text (PDGFRA defaults 12, 14, 18): KIT:9 limits KIT to
// exon 9 and leaves PDGFRA its default exons.
TEST(RunTargets, GeneQualifiedExonLimitsOnlyThatGene) {
    TargetsConfig config;
    config.genes = "KIT,PDGFRA";
    config.exons = "KIT:9";
    Diagnostics diag(nullptr);
    CoutCapture out;
    EXPECT_EQ(run_targets(config, diag), ExitCode::kOk);
    std::vector<std::string> names;
    for (const auto& line : table_rows("#c\tb\te\tname\n" + out.text())) names.push_back(line.at("name"));
    EXPECT_EQ(names,
              (std::vector<std::string>{"PDGFRA_exon12", "PDGFRA_exon14", "PDGFRA_exon18", "KIT_exon9"}));
}

// By hand: a gene-qualified exon of a gene outside --genes is a usage error, not ignored.
TEST(RunTargets, GeneQualifiedExonOfAnUnselectedGeneIsAUsageError) {
    TargetsConfig config;
    config.exons = "PDGFRA:12";
    Diagnostics diag(nullptr);
    EXPECT_THROW((void)run_targets(config, diag), UsageError);
}

}  // namespace
}  // namespace kitrx
