// SPDX-License-Identifier: MIT
// `kitrx annotate` end to end: tables, pipes, output formats, errors (stdout, stderr, exit code).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

std::vector<std::vector<std::string>> data_rows(const std::string& tsv) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(tsv);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("##", 0) == 0 || line.empty()) continue;
        std::vector<std::string> f;
        std::istringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, '\t')) f.push_back(cell);
        rows.push_back(f);
    }
    return rows;
}

std::size_t col(const std::vector<std::vector<std::string>>& rows, const std::string& name) {
    for (std::size_t i = 0; i < rows.at(0).size(); ++i)
        if (rows[0][i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return 0;
}

TEST(AnnotateCli, DemoNamesEveryKitVariantWithCountsFromAd) {
    const auto dir = temp_dir("annotate_demo");
    const auto r = run_kitrx("annotate \"$SRC/test-data/vcf/demo_gist_plasma.vcf\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = data_rows(r.out);
    ASSERT_EQ(rows.size(), 5u) << r.out;  // header + 4 KIT target records (the intron-11 SNP is outside)
    // Expected names from reference/known_variants.tsv (GRCh38 rows); counts from the demo's AD:
    // W557_K558del AD 1760,240 -> 240/2000 = 0.12; V654A 2205,45 -> 45/2250 = 0.02.
    const auto c_protein = col(rows, "protein"), c_hgvsc = col(rows, "hgvs_c"), c_vaf = col(rows, "vaf");
    EXPECT_EQ(rows[1][c_protein], "W557_K558del");
    EXPECT_EQ(rows[1][c_hgvsc], "c.1669_1674del");
    EXPECT_EQ(rows[1][col(rows, "role")], "primary");
    EXPECT_EQ(rows[1][c_vaf], "0.12");
    EXPECT_EQ(rows[1][col(rows, "alt_reads")], "240");
    EXPECT_EQ(rows[1][col(rows, "depth")], "2000");
    EXPECT_EQ(rows[1][col(rows, "af_source")], "FORMAT/AD");
    EXPECT_EQ(rows[2][c_protein], "V654A");
    EXPECT_EQ(rows[2][col(rows, "hgvs_p")], "p.Val654Ala");
    EXPECT_EQ(rows[2][col(rows, "domain")], "ATP-binding pocket");
    EXPECT_EQ(rows[2][c_vaf], "0.02");
    EXPECT_EQ(rows[2][col(rows, "activity_sunitinib")], "sensitive");
    EXPECT_EQ(rows[2][col(rows, "activity_regorafenib")], "resistant");
    EXPECT_NE(r.out.find("##notice=Research use only"), std::string::npos);
}

TEST(AnnotateCli, MatchesGoldenTable) {
    const auto dir = temp_dir("annotate_golden");
    const auto r = run_kitrx("annotate --no-version \"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string golden = test_data("expected/kit_grch38.tumor_normal.annotate.tsv");
    if (std::getenv("KITRX_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << r.out;
    if (!file_exists(golden)) {
        std::ofstream(golden + ".new", std::ios::binary) << r.out;
        FAIL() << "missing golden file " << golden << " (wrote .new; review and rename)";
    }
    EXPECT_EQ(r.out, slurp(golden)) << "regenerate with KITRX_UPDATE_GOLDEN=1 and review git diff";
}

TEST(AnnotateCli, PipeFromBcftoolsGivesTheSameTableAsTheFile) {
    const auto dir = temp_dir("annotate_pipe");
    const auto file =
        run_kitrx("annotate --no-version \"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf.gz\"", dir);
    const auto pipe = run_shell(
        "bcftools view \"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf.gz\" | \"$KITRX\" annotate "
        "--no-version -",
        dir);
    ASSERT_EQ(file.exit_code, 0) << file.err;
    ASSERT_EQ(pipe.exit_code, 0) << pipe.err;
    EXPECT_GT(data_rows(file.out).size(), 5u);
    EXPECT_EQ(pipe.out, file.out);
    const auto bcf = run_shell(
        "bcftools view -Ob \"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf.gz\" | \"$KITRX\" annotate "
        "--no-version -",
        dir);
    EXPECT_EQ(bcf.out, file.out) << bcf.err;
}

TEST(AnnotateCli, ClosedStdoutDownstreamEndsQuietlyAndDrainsStdin) {
    const auto dir = temp_dir("annotate_head");
    const auto r = run_shell(
        "bcftools view \"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf.gz\" | \"$KITRX\" annotate - | head "
        "-n 2",
        dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
}

TEST(AnnotateCli, NoKitVariantGivesHeaderOnlyAndExitZero) {
    const auto dir = temp_dir("annotate_empty");
    const auto r = run_shell(
        "bcftools view -t chr1 \"$SRC/test-data/vcf/kit_grch38.tumor_normal.vcf.gz\" | \"$KITRX\" annotate "
        "--no-version -",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = data_rows(r.out);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][0], "sample");
}

TEST(AnnotateCli, Grch37MergedMutect2FindsD816VWithItsFraction) {
    KITRX_REQUIRE_SHARED("realdata/vcf/gencardio_horizon_mutect2_lancet_manta.hg19.vcf");
    const auto dir = temp_dir("annotate_gencardio");
    const auto r =
        run_kitrx("annotate \"$SHARED/realdata/vcf/gencardio_horizon_mutect2_lancet_manta.hg19.vcf\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = data_rows(r.out);
    bool found = false;
    for (const auto& row : rows)
        if (row[col(rows, "protein")] == "D816V") {
            found = true;
            EXPECT_EQ(row[col(rows, "pos")], "55599321");
            EXPECT_EQ(row[col(rows, "hgvs_c")], "c.2447A>T");
            // AD 576,49 -> 49/625 = 0.0784 (Mutect2's own AF is 0.077)
            EXPECT_EQ(row[col(rows, "vaf")], "0.0784");
            EXPECT_EQ(row[col(rows, "activity_avapritinib")], "sensitive");
        }
    EXPECT_TRUE(found) << r.out;
    EXPECT_NE(r.out.find("##build=GRCh37"), std::string::npos);
}

TEST(AnnotateCli, SplitExon11EventMergesIntoOneDelinsWithMergeCis) {
    KITRX_REQUIRE_SHARED("realdata/tables/tso500_localapp_31AP_DNA_CombinedVariantOutput.tsv");
    const auto dir = temp_dir("annotate_merge_cis");
    // The two records as the TSO500 app reports them (GRCh37; Allele Frequency and Depth columns),
    // written as a one-sample VCF with AD = round(AF x Depth): 0.3273 x 1491 -> 488, 0.3241 x 1515 -> 491.
    {
        std::ifstream tsv(shared_path("realdata/tables/tso500_localapp_31AP_DNA_CombinedVariantOutput.tsv"));
        std::ofstream vcf(dir + "/tso500.vcf");
        vcf << "##fileformat=VCFv4.2\n##reference=hg19\n##contig=<ID=chr4,length=191154276>\n"
               "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS31AP\n";
        std::string line;
        int written = 0;
        while (std::getline(tsv, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::vector<std::string> f;
            std::istringstream ls(line);
            std::string cell;
            while (std::getline(ls, cell, '\t')) f.push_back(cell);
            if (f.size() < 7 || f[0] != "KIT" || (f[2] != "55593603" && f[2] != "55593620")) continue;
            const long depth = std::stol(f[6]);
            const long alt = std::lround(std::stod(f[5]) * static_cast<double>(depth));
            vcf << f[1] << '\t' << f[2] << "\t.\t" << f[3] << '\t' << f[4] << "\t.\tPASS\t.\tAD\t"
                << depth - alt << ',' << alt << '\n';
            ++written;
        }
        ASSERT_EQ(written, 2);
    }
    const auto split = run_kitrx("annotate --no-version tso500.vcf", dir);
    ASSERT_EQ(split.exit_code, 0) << split.err;
    EXPECT_NE(split.out.find("c.1670_1684del"), std::string::npos) << split.out;
    EXPECT_NE(split.out.find("c.1686_1688delinsCAC"), std::string::npos);
    const auto merged = run_kitrx("annotate --no-version --merge-cis tso500.vcf", dir);
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    const auto rows = data_rows(merged.out);
    ASSERT_EQ(rows.size(), 2u) << merged.out;
    EXPECT_EQ(rows[1][col(rows, "hgvs_c")], "c.1670_1688delinsACAC");
    EXPECT_EQ(rows[1][col(rows, "protein")], "W557_I563delinsYT");
    EXPECT_EQ(rows[1][col(rows, "role")], "primary");
}

TEST(AnnotateCli, OutputFormatFollowsTheExtension) {
    const auto dir = temp_dir("annotate_formats");
    const std::string in = "\"$SRC/test-data/vcf/demo_gist_plasma.vcf\"";
    ASSERT_EQ(run_kitrx("annotate " + in + " -o out.tsv.gz", dir).exit_code, 0);
    const auto gz = run_shell("gzip -dc out.tsv.gz | grep -c V654A", dir);
    EXPECT_EQ(gz.out, "1\n");
    ASSERT_EQ(run_kitrx("annotate " + in + " -o out.json", dir).exit_code, 0);
    const auto doc = nlohmann::json::parse(slurp(dir + "/out.json"));
    ASSERT_EQ(doc["variants"].size(), 4u);
    EXPECT_EQ(doc["variants"][1]["protein"], "V654A");
    EXPECT_EQ(doc["variants"][1]["activity"]["sunitinib"], "sensitive");
    ASSERT_EQ(run_kitrx("annotate " + in + " -o out.vcf.gz", dir).exit_code, 0);
    const auto vcf = run_shell("bcftools query -f '%POS %KITRX_PROTEIN %KITRX_HGVSC\\n' out.vcf.gz", dir);
    EXPECT_EQ(vcf.exit_code, 0) << vcf.err;
    EXPECT_NE(vcf.out.find("54728092 V654A c.1961T>C"), std::string::npos) << vcf.out;
    // Every input record passes through, KIT or not.
    const auto n_in = run_shell("grep -vc '^#' \"$SRC/test-data/vcf/demo_gist_plasma.vcf\"", dir);
    const auto n_out = run_shell("bcftools view -H out.vcf.gz | wc -l", dir);
    EXPECT_EQ(std::stoi(n_in.out), std::stoi(n_out.out));
    ASSERT_EQ(run_kitrx("annotate " + in + " -O t -o forced.json", dir).exit_code, 0);
    EXPECT_EQ(slurp(dir + "/forced.json").rfind("##kitrx_version", 0), 0u);
}

TEST(AnnotateCli, MissingFileIsOneErrorLineAndExitOne) {
    const auto dir = temp_dir("annotate_missing");
    const auto r = run_kitrx("annotate nope.vcf -o out.tsv", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("kitrx: error: cannot open 'nope.vcf'"), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(dir + "/out.tsv"));
}

TEST(AnnotateCli, NotAVcfIsAnError) {
    const auto dir = temp_dir("annotate_notvcf");
    { std::ofstream(dir + "/x.txt") << "hello\nworld\n"; }
    const auto r = run_kitrx("annotate x.txt -o out.tsv", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("x.txt"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not a VCF"), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(dir + "/out.tsv"));
}

TEST(AnnotateCli, TruncatedBgzipLeavesNoPartialOutput) {
    const auto dir = temp_dir("annotate_truncated");
    const auto r = run_kitrx("annotate \"$SRC/test-data/vcf/bad/truncated.vcf.gz\" -o out.tsv", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("truncated.vcf.gz"), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(dir + "/out.tsv"));
    EXPECT_EQ(run_shell("ls -A | grep -c kitrx-tmp || true", dir).out, "0\n");
}

TEST(AnnotateCli, RefMismatchNamesRecordAndSuggestsTheOtherBuild) {
    const auto dir = temp_dir("annotate_refmismatch");
    // GRCh37 55599321 is the A of D816 (c.2447); a record claiming REF C there cannot be GRCh37.
    {
        std::ofstream vcf(dir + "/mismatch.vcf");
        vcf << "##fileformat=VCFv4.2\n##contig=<ID=4,length=191154276>\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
               "4\t55599321\t.\tC\tT\t.\tPASS\t.\n";
    }
    const auto r = run_kitrx("annotate mismatch.vcf -o out.tsv", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("mismatch.vcf: 4:55599321: REF 'C' does not match the GRCh37 reference 'A'"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("try --build GRCh38"), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(dir + "/out.tsv"));
}

TEST(AnnotateCli, UnknownBuildIsAUsageError) {
    const auto dir = temp_dir("annotate_badbuild");
    const auto r = run_kitrx("annotate --build hg18 \"$SRC/test-data/vcf/demo_gist_plasma.vcf\"", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown build 'hg18'"), std::string::npos) << r.err;
}

TEST(AnnotateCli, BuildThatCannotBeToldIsAnErrorWithHint) {
    const auto dir = temp_dir("annotate_nobuild");
    const auto r = run_kitrx("annotate \"$SRC/test-data/vcf/bad/no_build.vcf\"", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--build"), std::string::npos) << r.err;
}

TEST(AnnotateCli, UnknownOptionAndMissingInputAreUsageErrors) {
    const auto dir = temp_dir("annotate_usage");
    EXPECT_EQ(run_kitrx("annotate --frobnicate x.vcf", dir).exit_code, 2);
    EXPECT_EQ(run_kitrx("annotate", dir).exit_code, 2);
    EXPECT_EQ(run_kitrx("nosuchcommand", dir).exit_code, 2);
}

TEST(AnnotateCli, BamInputNamesD816VAndReportsUndetectedHotspotsWithTheirLimitOfDetection) {
    const auto dir = temp_dir("annotate_bam");
    const auto r = run_kitrx(
        "annotate --no-version \"$SRC/test-data/bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = data_rows(r.out);
    const auto c_protein = col(rows, "protein"), c_status = col(rows, "status"), c_lod = col(rows, "lod_vaf");
    int detected = 0, not_detected = 0, not_covered = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        if (row[c_status] == "detected") {
            ++detected;
            EXPECT_EQ(row[c_protein], "D816V");
            EXPECT_EQ(row[col(rows, "af_source")], "BAM:fragments");
        } else if (row[c_status] == "not_detected") {
            // The slice covers exon 17 only: D820/N822/Y823 have depth and a finite LoD.
            ++not_detected;
            EXPECT_GT(std::stoi(row[col(rows, "depth")]), 900);
            EXPECT_GT(std::stod(row[c_lod]), 0.0);
            EXPECT_LT(std::stod(row[c_lod]), 0.02);
        } else {
            EXPECT_EQ(row[c_status], "not_covered");
            EXPECT_EQ(row[col(rows, "depth")], "0");
            ++not_covered;
        }
    }
    EXPECT_EQ(detected, 1);
    EXPECT_EQ(not_detected, 3);  // D820*, N822*, Y823D
    EXPECT_EQ(not_covered, 3);   // V654A, T670I (exons 13/14), A829P (exon 18) are outside the slice
}

TEST(AnnotateCli, OutputIsByteIdenticalWhateverTheThreadCount) {
    const auto dir = temp_dir("annotate_threads");
    const char* inputs[] = {"test-data/vcf/kit_grch38.tumor_normal.vcf.gz",
                            "test-data/vcf/kit_grch38.tumor_normal.noindex.vcf.gz",
                            "test-data/vcf/kit_grch38.tumor_normal.bcf",
                            "test-data/bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam"};
    for (const char* input : inputs) {
        const auto one = run_kitrx(std::string("annotate --no-version \"$SRC/") + input + "\"", dir);
        ASSERT_EQ(one.exit_code, 0) << one.err;
        EXPECT_GT(data_rows(one.out).size(), 1u) << input;
        for (int threads : {1, 2, 4}) {
            const auto many = run_kitrx(
                "annotate --no-version -@ " + std::to_string(threads) + " \"$SRC/" + input + "\"", dir);
            EXPECT_EQ(many.out, one.out) << input << " with -@ " << threads;
        }
        const auto vcf1 =
            run_kitrx(std::string("annotate --no-version -O z -o one.vcf.gz \"$SRC/") + input + "\"", dir);
        const auto vcf2 = run_kitrx(
            std::string("annotate --no-version -@ 2 -O z -o two.vcf.gz \"$SRC/") + input + "\"", dir);
        if (vcf1.exit_code == 0) {  // BAM input cannot be written as VCF
            ASSERT_EQ(vcf2.exit_code, 0) << vcf2.err;
            EXPECT_EQ(run_shell("zcat one.vcf.gz | grep -v kitrx_command", dir).out,
                      run_shell("zcat two.vcf.gz | grep -v kitrx_command", dir).out)
                << input;
        }
    }
}

TEST(AnnotateCli, VersionPrintsNameAndSemverOnStdout) {
    const auto dir = temp_dir("version");
    const auto r = run_kitrx("--version", dir);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("kitrx ", 0), 0u);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '.'), 2) << r.out;
}

}  // namespace
}  // namespace kitrx::test
