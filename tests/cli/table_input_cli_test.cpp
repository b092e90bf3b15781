// SPDX-License-Identifier: MIT
// MAF and TSO500 CombinedVariantOutput inputs (issue 16), end to end through the binary: the real
// files of ../shared/realdata (skipped with a message when absent) and the hand-written fixtures of
// test-data/maf and test-data/tables. Each test says where its expected values come from.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows data_rows(const std::string& tsv) {
    Rows rows;
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

std::size_t col(const Rows& rows, const std::string& name) {
    for (std::size_t i = 0; i < rows.at(0).size(); ++i)
        if (rows[0][i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return 0;
}

// Rows whose `column` equals `value`.
Rows where(const Rows& rows, const std::string& column, const std::string& value) {
    Rows out;
    const auto c = col(rows, column);
    for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i].size() > c && rows[i][c] == value) out.push_back(rows[i]);
    return out;
}

const char* const kMskMaf = "realdata/maf/mskaccess_seracare_ctdna.combined_variants.vep_hotspots.maf";
const char* const kMskFillout = "realdata/maf/mskaccess_seracare_ctdna.fillout.maf";
const char* const kMskBam = "realdata/bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam";
const char* const kTso500 = "realdata/tables/tso500_localapp_31AP_DNA_CombinedVariantOutput.tsv";
const char* const kLaml = "realdata/maf/maftools_tcga_laml.maf.gz";

// Expected: the MAF's own columns (t_alt_count 58, t_depth 1179, row of 4:55599321 A>T); names and
// activity: whatever the BAM of the same sample gives (the BAM path is the reference here).
TEST(TableInputCli, MskAccessMafGivesD816VWithItsCountsAndTheSameNamesAsTheBam) {
    KITRX_REQUIRE_SHARED(kMskMaf);
    KITRX_REQUIRE_SHARED(kMskBam);
    const auto dir = temp_dir("table_msk_maf");
    const auto maf = run_kitrx(std::string("annotate \"$SHARED/") + kMskMaf + "\"", dir);
    ASSERT_EQ(maf.exit_code, 0) << maf.err;
    const auto bam = run_kitrx(std::string("annotate \"$SHARED/") + kMskBam + "\"", dir);
    ASSERT_EQ(bam.exit_code, 0) << bam.err;
    const Rows m = data_rows(maf.out), b = data_rows(bam.out);
    const Rows md = where(m, "protein", "D816V"), bd = where(b, "protein", "D816V");
    ASSERT_EQ(md.size(), 1u) << maf.out;
    ASSERT_EQ(bd.size(), 1u) << bam.out;
    EXPECT_EQ(md[0][col(m, "pos")], "55599321");
    EXPECT_EQ(md[0][col(m, "alt_reads")], "58");
    EXPECT_EQ(md[0][col(m, "depth")], "1179");
    EXPECT_EQ(md[0][col(m, "vaf")], "0.049194");  // 58 / 1179
    EXPECT_EQ(md[0][col(m, "af_source")], "MAF:t_alt_count/t_depth");
    EXPECT_EQ(md[0][col(m, "filter")], "PASS");
    EXPECT_EQ(md[0][col(m, "source_hgvs")], "ENST00000288135:c.2447A>T p.D816V");  // HGVSc, HGVSp_Short
    for (const auto& name : m[0]) {
        if (name != "hgvs_c" && name != "hgvs_p" && name != "exon" && name != "transcript" &&
            name != "role" && name != "evidence" && name != "panel_rule" && name.rfind("activity_", 0) != 0)
            continue;
        EXPECT_EQ(md[0][col(m, name)], bd[0][col(b, name)]) << name;
    }
    // 96 lines = header + 95 rows; the KIT rows are D816V and F811L (awk on Hugo_Symbol), so 93 others.
    EXPECT_NE(maf.out.find("##input_skipped=93 rows of other genes\n"), std::string::npos) << maf.out;
    EXPECT_NE(maf.err.find("MAF rows skipped: 93 rows of other genes"), std::string::npos) << maf.err;
}

// Expected: the fill-out MAF's t_ref_count + t_alt_count per sample (it has no t_depth column):
// SeraCare duplex 1372 + 65 = 1437, simplex 588 + 34 = 622; six Tumor_Sample_Barcode values.
TEST(TableInputCli, FilloutMafGivesEverySampleWithRefPlusAltAsDepth) {
    KITRX_REQUIRE_SHARED(kMskFillout);
    const auto dir = temp_dir("table_msk_fillout");
    const auto r = run_kitrx(std::string("annotate -O j \"$SHARED/") + kMskFillout + "\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    std::map<std::string, std::pair<long, long>> d816v;
    for (const auto& v : j.at("variants"))
        if (v.at("protein") == "D816V") d816v[v.at("sample")] = {v.at("alt_reads"), v.at("depth")};
    EXPECT_EQ(d816v.size(), 6u);
    EXPECT_EQ(d816v["SeraCare_0-5"], (std::pair<long, long>{65, 1437}));
    EXPECT_EQ(d816v["SeraCare_0-5-SIMPLEX"], (std::pair<long, long>{34, 622}));
    EXPECT_EQ(d816v["M15-CURATED-DUPLEX"].first, 0);
}

// Expected: the table's own Allele Frequency and Depth columns (lines 327-329 of the file); the
// merged event by hand: c.1670_1684del and c.1686_1688delinsCAC with c.1685 (A) kept in between
// replace c.1670..1688 (19 bases) by A + CAC, a 15-base net deletion (in frame).
TEST(TableInputCli, Tso500TableGivesItsExon11EventsAndOneInFrameEventWithMergeCis) {
    KITRX_REQUIRE_SHARED(kTso500);
    const auto dir = temp_dir("table_tso500");
    const auto r = run_kitrx(std::string("annotate \"$SHARED/") + kTso500 + "\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Rows rows = data_rows(r.out);
    const Rows exon11 = where(rows, "exon", "11");
    ASSERT_EQ(exon11.size(), 3u) << r.out;
    EXPECT_EQ(exon11[0][col(rows, "pos")], "55593603");
    EXPECT_EQ(exon11[0][col(rows, "vaf")], "0.3273");
    EXPECT_EQ(exon11[0][col(rows, "depth")], "1491");
    EXPECT_EQ(exon11[0][col(rows, "alt_reads")], "NA");     // the table has no read count
    EXPECT_EQ(exon11[0][col(rows, "sample")], "31AP_DNA");  // Pair ID
    EXPECT_EQ(exon11[0][col(rows, "source_hgvs")], "NM_000222.2:c.1670_1684del NP_000213.1:p.(Trp557Ter)");
    EXPECT_EQ(exon11[1][col(rows, "pos")], "55593620");
    EXPECT_EQ(exon11[1][col(rows, "vaf")], "0.3241");
    EXPECT_EQ(exon11[1][col(rows, "depth")], "1515");
    EXPECT_EQ(exon11[2][col(rows, "protein")], "I563T");
    EXPECT_EQ(exon11[2][col(rows, "vaf")], "0.0157");
    // awk on the [Small Variants] rows: 1223 rows, 6 on KIT of which 2 intronic (55573693, 55580904).
    EXPECT_NE(
        r.out.find("##input_skipped=2 rows of KIT outside the target exons; 1217 rows of other genes\n"),
        std::string::npos);
    // The table names KIT on NM_000222.2; kitrx on NM_000222.3 (MANE): counted, c. numbers agree.
    EXPECT_NE(r.out.find("##input_note=source HGVS differs from kitrx's name for 0 of 4 variants; the file "
                         "names them on NM_000222.2"),
              std::string::npos);

    const auto merged = run_kitrx(std::string("annotate --merge-cis \"$SHARED/") + kTso500 + "\"", dir);
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    const Rows mrows = data_rows(merged.out);
    const Rows m11 = where(mrows, "exon", "11");
    ASSERT_EQ(m11.size(), 2u) << merged.out;
    EXPECT_EQ(m11[0][col(mrows, "hgvs_c")], "c.1670_1688delinsACAC");
    EXPECT_NE(m11[0][col(mrows, "consequence")], "frameshift_variant");
    EXPECT_EQ(m11[0][col(mrows, "vaf")], "0.3257");  // (0.3273 + 0.3241) / 2
}

// Expected: the maftools LAML MAF's own rows (zcat | awk '$1=="KIT"'): 10 KIT rows, 5 at D816
// (4 x D816V, 1 x D816Y) in the default target exons, 5 elsewhere (exon 8 x 4, S197L); VAF is
// i_TumorVAF_WU / 100 (51.02 -> 0.5102); 2207 data lines in all.
TEST(TableInputCli, TcgaLamlMafRunsCleanWithItsKitRowsAndCountsTheRest) {
    KITRX_REQUIRE_SHARED(kLaml);
    const auto dir = temp_dir("table_laml");
    const auto r = run_kitrx(std::string("annotate \"$SHARED/") + kLaml + "\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Rows rows = data_rows(r.out);
    ASSERT_EQ(rows.size(), 6u) << r.out;
    EXPECT_EQ(where(rows, "protein", "D816V").size(), 4u);
    const Rows y = where(rows, "protein", "D816Y");
    ASSERT_EQ(y.size(), 1u);
    EXPECT_EQ(y[0][col(rows, "sample")], "TCGA-AB-2881");
    EXPECT_EQ(y[0][col(rows, "vaf")], "0.2632");
    EXPECT_EQ(y[0][col(rows, "af_source")], "MAF:i_TumorVAF_WU(%)");
    EXPECT_NE(r.out.find("##build=GRCh37 (NCBI_Build 37)"), std::string::npos);
    EXPECT_NE(
        r.out.find("##input_skipped=5 rows of KIT outside the target exons; 2197 rows of other genes\n"),
        std::string::npos);
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
}

// Expected: the GRCh37 VCF forms of reference/known_variants.tsv, converted to MAF by hand in the
// fixture (W557_K558del: VCF 55593600 CAGTGGA>C = MAF 55593601-55593606 AGTGGA>-; A502_Y503dup:
// VCF 55592178 C>CTGCCTA = MAF INS 55592178-55592179 ->TGCCTA); depth of PLASMA_T2 = 855 + 45.
TEST(TableInputCli, HandMafAllelesAreAnchoredAsInVcf) {
    const auto dir = temp_dir("table_hand_maf");
    const auto r = run_kitrx("annotate \"$SRC/test-data/maf/kit_hand.maf\"", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Rows rows = data_rows(r.out);
    ASSERT_EQ(rows.size(), 4u) << r.out;
    const auto del = where(rows, "protein", "W557_K558del");
    ASSERT_EQ(del.size(), 1u);
    EXPECT_EQ(del[0][col(rows, "pos")], "55593600");
    EXPECT_EQ(del[0][col(rows, "ref")], "CAGTGGA");
    EXPECT_EQ(del[0][col(rows, "alt")], "C");
    EXPECT_EQ(del[0][col(rows, "hgvs_c")], "c.1669_1674del");
    const auto dup = where(rows, "protein", "A502_Y503dup");
    ASSERT_EQ(dup.size(), 1u);
    EXPECT_EQ(dup[0][col(rows, "pos")], "55592178");
    EXPECT_EQ(dup[0][col(rows, "ref")], "C");
    EXPECT_EQ(dup[0][col(rows, "alt")], "CTGCCTA");
    EXPECT_EQ(dup[0][col(rows, "hgvs_c")], "c.1504_1509dup");
    EXPECT_EQ(dup[0][col(rows, "depth")], "900");
    EXPECT_EQ(dup[0][col(rows, "sample")], "PLASMA_T2");
    // The fixture writes the dup in its 5' insertion form (c.1509_1510insGCCTAT, as the source of
    // known_variants.tsv does): the one disagreement, warned about and counted.
    EXPECT_NE(r.err.find("the file names it c.1509_1510insGCCTAT vs c.1504_1509dup"), std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("##input_note=source HGVS differs from kitrx's name for 1 of 3 variants"),
              std::string::npos);
    EXPECT_NE(r.out.find("##input_skipped=1 rows of KIT outside the target exons; 1 rows of other genes"),
              std::string::npos);
}

// Expected: the same table as from the named file (the plain run above is the reference).
TEST(TableInputCli, DetectionNeedsNoExtensionAndReadsGzipAndStdin) {
    const auto dir = temp_dir("table_detect");
    const auto plain = run_kitrx("annotate --no-version \"$SRC/test-data/maf/kit_hand.maf\"", dir);
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    const auto r = run_shell(
        "cp \"$SRC/test-data/maf/kit_hand.maf\" labfile && gzip -c labfile > labfile2 && "
        "\"$KITRX\" annotate --no-version labfile > a.tsv && \"$KITRX\" annotate --no-version labfile2 > "
        "b.tsv && "
        "cat labfile2 | \"$KITRX\" annotate --no-version - > c.tsv && "
        "cp \"$SRC/test-data/tables/tso500_gist_kit_amp.CombinedVariantOutput.tsv\" vendor && "
        "\"$KITRX\" annotate --no-version vendor | cut -f 1,3 | tail -n +2",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(dir + "/a.tsv"), plain.out);
    EXPECT_EQ(slurp(dir + "/b.tsv"), plain.out);
    EXPECT_EQ(slurp(dir + "/c.tsv"), plain.out);
    EXPECT_EQ(r.out, "GIST_T1\t55593608\nGIST_T1\t55599321\n");
    // --input-format insists on one reader.
    const auto forced = run_kitrx("annotate --input-format tso500 \"$SRC/test-data/maf/kit_hand.maf\"", dir);
    EXPECT_EQ(forced.exit_code, 1);
    EXPECT_NE(forced.err.find("no [Small Variants] section"), std::string::npos) << forced.err;
    const auto bad = run_kitrx("annotate --input-format xls \"$SRC/test-data/maf/kit_hand.maf\"", dir);
    EXPECT_EQ(bad.exit_code, 2);
}

// Expected: the fixture's [Gene Amplifications] (KIT 4.2, MYC 2.1) and [Small Variants] columns.
TEST(TableInputCli, Tso500KitAmplificationIsNotedInTheTableJsonAndReport) {
    const auto dir = temp_dir("table_tso500_amp");
    const std::string file = "\"$SRC/test-data/tables/tso500_gist_kit_amp.CombinedVariantOutput.tsv\"";
    const auto r = run_kitrx("annotate " + file, dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string note = "KIT amplification reported by the TSO500 table (fold change 4.2)";
    EXPECT_NE(r.out.find("##input_note=" + note), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("warning: "), std::string::npos);
    EXPECT_NE(r.out.find("##input_skipped=1 amplifications of other genes; 1 rows of other genes"),
              std::string::npos);
    const auto j = run_kitrx("annotate -O j " + file, dir);
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto json = nlohmann::json::parse(j.out);
    EXPECT_EQ(json.at("variants").at(0).at("source_hgvs"),
              "NM_000222.2:c.1679_1681del NP_000213.1:p.(Val560del)");
    EXPECT_EQ(json.at("variants").at(0).at("vaf"), 0.25);
    const auto rep = run_kitrx("report " + file + " --outdir rep", dir);
    ASSERT_EQ(rep.exit_code, 0) << rep.err;
    const auto rep_json = run_shell("cat rep/*.json", dir);
    EXPECT_NE(rep_json.out.find(note), std::string::npos);
    EXPECT_NE(rep_json.out.find("\"source_hgvs\""), std::string::npos);
}

// Expected: the MSK MAF's D816V row (58/1179); report and a sample sheet accept the MAF like a VCF.
TEST(TableInputCli, ReportAndSampleSheetAcceptAMaf) {
    const auto dir = temp_dir("table_report_sheet");
    const auto r = run_shell(
        "printf 'sample\\tpatient\\ttimepoint\\tinput\\nPLASMA_T1\\tP1\\tT1\\t%s\\n' "
        "\"$SRC/test-data/maf/kit_hand.maf\" > sheet.tsv && "
        "\"$KITRX\" report --sample-sheet sheet.tsv --outdir rep && ls rep",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto variants = run_shell("cat rep/*variants.tsv", dir);
    EXPECT_NE(variants.out.find("W557_K558del"), std::string::npos) << r.out << variants.out;
}

// `kitrx validate` reads a MAF as OBSERVED like any other input. Expected values from the MAF's own
// columns: D816V t_alt_count 58 / t_depth 1179 in sample SeraCare_0-5; the truth (hand-written
// here) says D816V is present, so it is a true positive with that VAF.
TEST(TableInputCli, ValidateScoresAMafAgainstATruthTable) {
    KITRX_REQUIRE_SHARED(kMskMaf);
    const std::string dir = temp_dir("table_validate_maf");
    std::ofstream(dir + "/truth.tsv") << "sample\tlevel\treplicate\tgene\tvariant\texpected_vaf\n"
                                         "SeraCare_0-5\t0.5%\tr1\tKIT\tD816V\t0.05\n";
    const auto r = run_kitrx(std::string("validate -t truth.tsv -o v \"$SHARED/") + kMskMaf + "\"", dir);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;  // 3: acceptance not met (an F811L read)
    std::ifstream in(dir + "/v/validation.tsv");
    std::string line, d816v;
    while (std::getline(in, line))
        if (line.find("\tD816V\t") != std::string::npos && line.find("\tTP\t") != std::string::npos)
            d816v = line;
    ASSERT_FALSE(d816v.empty()) << r.err;
    EXPECT_NE(d816v.find("\t58\t1179\t"), std::string::npos) << d816v;
}

}  // namespace
}  // namespace kitrx::test
