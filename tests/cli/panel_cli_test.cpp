// SPDX-License-Identifier: MIT
// `kitrx panel check|show`: exit codes, stdout/stderr, one malformed-panel fixture per error kind.
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t')) out.push_back(field);
    return out;
}

struct BadPanel {
    std::string file;      // under test-data/panels/bad/
    std::string expected;  // "file:line:col: what" part of the first stderr line
};

// Lines and columns counted by hand from the fixtures (rules start on line 13 in each).
const std::vector<BadPanel> kBadPanels{
    {"unknown_key.yaml",
     "unknown_key.yaml:15:5: unknown key 'varaint' in rule 'kit-d816v'; did you mean 'variant'? allowed "
     "keys: id, "
     "gene, variant, codon, codons, exon, class, context, note, activity"},
    {"unknown_drug.yaml", "unknown_drug.yaml:18:7: unknown drug id 'regorafnib' in rule 'kit-d816v'"},
    {"unknown_activity.yaml",
     "unknown_activity.yaml:17:24: unknown activity level 'resistent' in rule 'kit-d816v', drug 'imatinib'"},
    {"malformed_variant.yaml", "malformed_variant.yaml:20:14: malformed variant 'D816' in rule 'kit-bad'"},
    {"duplicate_rule.yaml",
     "duplicate_rule.yaml:18:5: duplicate rule: 'kit-d816v-again' matches exactly what rule "
     "'kit-d816v' (line 13) matches"},
    {"undefined_citation.yaml", "undefined_citation.yaml:17:53: citation key 'S19' not defined"},
    {"contradictory_rules.yaml",
     "contradictory_rules.yaml:18:5: contradictory rules: 'kit-al-820-829' and rule "
     "'kit-al-816-823' (line 13)"},
    {"yaml_syntax.yaml", "yaml_syntax.yaml:15:13: YAML syntax error: "},
    {"missing_field.yaml", "missing_field.yaml:13:5: rule 'kit-d816v' is missing required key 'gene'"},
};

TEST(PanelCli, EachMalformedPanelFailsWithFileLineColAndExitCode1) {
    for (const auto& bad : kBadPanels) {
        const std::string dir = temp_dir("panel_bad_" + bad.file);
        const CliResult r = run_kitrx("panel check \"$SRC/test-data/panels/bad/" + bad.file + "\"", dir);
        EXPECT_EQ(r.exit_code, 1) << bad.file << "\n" << r.err;
        EXPECT_TRUE(r.out.empty()) << bad.file;
        const auto lines = lines_of(r.err);
        ASSERT_EQ(lines.size(), 1u) << bad.file << "\n" << r.err;
        const std::string prefix = "kitrx: error: " + source_path("test-data/panels/bad/");
        EXPECT_EQ(lines[0].rfind(prefix + bad.expected, 0), 0u) << lines[0];
    }
}

TEST(PanelCli, AllProblemsOfOnePanelAreReportedEachOnItsOwnPrefixedLine) {
    const std::string dir = temp_dir("panel_several");
    const CliResult r = run_kitrx("panel check \"$SRC/test-data/panels/bad/several_problems.yaml\"", dir);
    EXPECT_EQ(r.exit_code, 1);
    const auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 4u) << r.err;
    const std::string prefix = "kitrx: error: " + source_path("test-data/panels/bad/several_problems.yaml:");
    const std::vector<std::string> expected{
        "17:24: unknown activity level 'resistent'", "17:53: citation key 'S19' not defined",
        "21:5: unknown key 'contxt' in rule 'kit-v654a'; did you mean 'context'?",
        "23:7: unknown drug id 'sunitinib'"};
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(lines[i].rfind(prefix + expected[i], 0), 0u) << lines[i];
}

TEST(PanelCli, CheckValidPanelsPrintsASummary) {
    const std::string dir = temp_dir("panel_check_ok");
    CliResult r = run_kitrx("panel check \"$SRC/test-data/panels/minimal.yaml\"", dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("minimal.yaml: ok: minimal test panel 1.0, 2 drugs, 4 rules, 1 citations"),
              std::string::npos)
        << r.out;
    r = run_kitrx("panel check \"$SRC/resources/panels/gist_default.yaml\"", dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("gist_default.yaml: ok: "), std::string::npos) << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(PanelCli, ShowTextHasNoticeMatrixSymbolsAndLegend) {
    const std::string dir = temp_dir("panel_show_text");
    const CliResult r = run_kitrx("panel show \"$SRC/test-data/panels/minimal.yaml\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 9u);
    EXPECT_EQ(lines[0], "minimal test panel, version 1.0 (2026-11-26)");
    EXPECT_EQ(lines[2], "Notice: Research use only; test fixture.");
    // Columns: imatinib then regorafenib, abbreviated to four letters.
    EXPECT_NE(lines[4].find("imat  rego"), std::string::npos) << lines[4];
    auto row = [&](const std::string& id) {
        for (const auto& l : lines)
            if (l.rfind(id + " ", 0) == 0) return l;
        return std::string();
    };
    EXPECT_EQ(row("kit-d816v").substr(row("kit-d816v").size() - 7), "R     R");
    EXPECT_EQ(row("kit-d816").substr(row("kit-d816").size() - 8), "?     S*");  // low confidence
    EXPECT_EQ(row("kit-any").substr(row("kit-any").size() - 1), "?");
    EXPECT_NE(row("kit-exon11").find("KIT exon 11 missense, inframe"), std::string::npos);
    EXPECT_NE(r.out.find("Legend: S sensitive, I intermediate, R resistant, ? unknown"), std::string::npos);
    EXPECT_NE(r.out.find("kit-d816 / regorafenib (sensitive): D816E/H"), std::string::npos) << r.out;
}

TEST(PanelCli, ShowTsvOfTheDefaultPanelHasFullWordsPerDrugColumn) {
    const std::string dir = temp_dir("panel_show_tsv");
    const CliResult r = run_kitrx("panel show --format tsv", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_GT(lines.size(), 10u);
    EXPECT_EQ(lines[0].rfind("#panel\t", 0), 0u);
    EXPECT_NE(r.out.find("#notice\tResearch use only"), std::string::npos);
    std::size_t header = 0;
    while (header < lines.size() && lines[header][0] == '#') ++header;
    const auto columns = split_tabs(lines.at(header));
    ASSERT_GE(columns.size(), 10u);
    EXPECT_EQ(columns[0], "rule_id");
    auto column = [&](const std::string& name) {
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (columns[i] == name) return i;
        ADD_FAILURE() << "no column " << name;
        return std::size_t{0};
    };
    auto cell = [&](const std::string& rule, const std::string& drug) {
        for (std::size_t i = header + 1; i < lines.size(); ++i) {
            const auto f = split_tabs(lines[i]);
            EXPECT_EQ(f.size(), columns.size()) << lines[i];
            if (f[0] == rule) return f.at(column(drug));
        }
        return std::string("<no row>");
    };
    EXPECT_EQ(cell("kit-v654a", "regorafenib"), "resistant");
    EXPECT_EQ(cell("kit-v654a", "sunitinib"), "sensitive");
    EXPECT_EQ(cell("kit-v654a", "ripretinib"), "intermediate");
    EXPECT_EQ(cell("kit-d816v", "avapritinib"), "sensitive");
    EXPECT_EQ(cell("kit-v654a", "avapritinib"), "unknown");
    EXPECT_EQ(cell("pdgfra-d842v", "imatinib"), "resistant");
}

TEST(PanelCli, ShowWritesAnOutputFile) {
    const std::string dir = temp_dir("panel_show_out");
    const CliResult r =
        run_kitrx("panel show --format tsv -o matrix.tsv \"$SRC/test-data/panels/minimal.yaml\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    const std::string content = slurp(dir + "/matrix.tsv");
    EXPECT_NE(content.find("kit-d816v\tKIT\tD816V\texact\tany\tresistant\tresistant\n"), std::string::npos)
        << content;
    EXPECT_NE(content.find("kit-d816\tKIT\tcodon 816\tcodon\tany\tunknown\tsensitive\n"), std::string::npos);
}

TEST(PanelCli, UsageErrorsExit2AndMissingFilesExit1) {
    const std::string dir = temp_dir("panel_usage");
    CliResult r = run_kitrx("panel", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing action"), std::string::npos) << r.err;
    r = run_kitrx("panel check", dir);
    EXPECT_EQ(r.exit_code, 2);
    r = run_kitrx("panel frobnicate", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown action 'frobnicate'"), std::string::npos) << r.err;
    r = run_kitrx("panel show --format html", dir);
    EXPECT_EQ(r.exit_code, 2);
    r = run_kitrx("panel show --bogus", dir);
    EXPECT_EQ(r.exit_code, 2);
    r = run_kitrx("panel check nonexistent.yaml", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("kitrx: error: cannot open panel 'nonexistent.yaml'"), std::string::npos) << r.err;
}

TEST(PanelCli, HelpGoesToStdout) {
    const std::string dir = temp_dir("panel_help");
    const CliResult r = run_kitrx("panel --help", dir);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Usage:   kitrx panel check FILE"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--format"), std::string::npos);
    EXPECT_TRUE(r.err.empty());
}

}  // namespace
}  // namespace kitrx::test
