// SPDX-License-Identifier: MIT
// `kitrx report --schedule-model pk|calendar` and `--pk FILE` (issue 18): the model is named in
// every output, a bad table is one error per problem with file:line:col, a bad value is a usage
// error. Kind of test: documented behaviour; the calendar alternation value 0.492063 is the
// hand computation (1/6 x 3/7 + (1/12 + 1/20) x 4/7) / 0.3 of docs/clones_and_regimens.md.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

const char* const kDemo = "\"$SRC/test-data/vcf/demo_gist_plasma.vcf\"";

std::string slurp_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string field_of(const std::string& tsv, const std::string& regimen, const std::string& column) {
    std::istringstream in(tsv);
    std::vector<std::string> header;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("##", 0) == 0) continue;
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
        if (header.empty()) {
            header = f;
            continue;
        }
        if (f.size() > 1 && f[1] == regimen)
            for (std::size_t i = 0; i < header.size(); ++i)
                if (header[i] == column) return f[i];
    }
    return "";
}

TEST(ScheduleCli, ModelIsNamedEverywhereAndCalendarKeepsTheDayCount) {
    const std::string dir = temp_dir("schedule_models");
    const auto pk = run_kitrx(std::string("report ") + kDemo + " -d pk --stdout regimens", dir);
    ASSERT_EQ(pk.exit_code, 0) << pk.err;
    EXPECT_NE(pk.out.find("##schedule_model=pk ("), std::string::npos);
    const auto cal = run_kitrx(
        std::string("report ") + kDemo + " -d cal --schedule-model calendar --stdout regimens", dir);
    ASSERT_EQ(cal.exit_code, 0) << cal.err;
    EXPECT_NE(cal.out.find("##schedule_model=calendar"), std::string::npos);
    EXPECT_EQ(field_of(cal.out, "sunitinib_regorafenib_alternation", "covered_burden"), "0.492063");
    EXPECT_EQ(field_of(cal.out, "sunitinib_regorafenib_alternation", "rank_half_life_low"), "NA");
    EXPECT_NE(field_of(pk.out, "sunitinib_regorafenib_alternation", "covered_burden"), "0.492063");
    EXPECT_NE(field_of(pk.out, "sunitinib_regorafenib_alternation", "rank_half_life_low"), "NA");
    const std::string json = slurp_file(dir + "/pk/demo_gist_plasma.report.json");
    EXPECT_NE(json.find("\"schedule_model\""), std::string::npos);
    const std::string html = slurp_file(dir + "/pk/demo_gist_plasma.report.html");
    EXPECT_NE(html.find("id=\"schedules\""), std::string::npos);
    EXPECT_NE(html.find("<svg class=\"exposure\""), std::string::npos);
    EXPECT_NE(slurp_file(dir + "/pk/demo_gist_plasma.kitrx_mqc.tsv").find("kitrx_schedule_model: 'pk'"),
              std::string::npos);
}

TEST(ScheduleCli, BadModelIsAUsageErrorAndABadTableNamesItsLines) {
    const std::string dir = temp_dir("schedule_bad");
    auto r = run_kitrx(std::string("report ") + kDemo + " -d o --schedule-model hourly", dir);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--schedule-model must be pk or calendar"), std::string::npos) << r.err;
    std::ofstream(dir + "/pk.yaml") << "name: t\nversion: '1'\nthreshold: 0.5\nthreshold_note: x\n"
                                       "citations: {L: {title: label}}\ndrugs:\n  - drug: sunitinib\n"
                                       "    dosing_interval_hours: 24\n    moieties:\n"
                                       "      - {name: a, half_life_hours: -3, citations: [L]}\n";
    r = run_kitrx(std::string("report ") + kDemo + " -d o2 --pk pk.yaml", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("pk.yaml:10:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("half_life_hours must be in (0, 10000]"), std::string::npos) << r.err;
    std::ifstream gone(dir + "/o2/demo_gist_plasma.regimens.tsv");
    EXPECT_FALSE(gone.good()) << "no output after an error";
}

// Exon 11 alone under the alternation: the primary is sensitive to both drugs, so no hour is
// resistant; the hours when neither drug is above threshold are untreated, not resistance.
TEST(ScheduleCli, SubThresholdHoursAreUntreatedNotResistant) {
    const std::string dir = temp_dir("schedule_untreated");
    std::ofstream(dir + "/in.vcf")
        << "##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n"
           "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
           "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"a\">\n"
           "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n"
           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
           "chr4\t54727434\t.\tCAGTGGA\tC\t.\tPASS\t.\tGT:AD:DP\t0/1:700,300:1000\n";
    const auto r = run_kitrx("report in.vcf -d o --stdout regimens", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(field_of(r.out, "sunitinib_regorafenib_alternation", "resistant_burden"), "0");
    EXPECT_NE(field_of(r.out, "sunitinib_regorafenib_alternation", "untreated_burden"), "0");
    // A sequence starts at its first drug's steady state: no untreated loading days (a cold start
    // left ~2 of 252 days = 0.8% below threshold); only a few hours at a drug switch remain.
    EXPECT_LT(std::stod(field_of(r.out, "standard_sequence", "untreated_burden")), 0.001);
}

}  // namespace
}  // namespace kitrx::test
