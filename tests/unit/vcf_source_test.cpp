// SPDX-License-Identifier: MIT
// VCF/BCF input: open_source() on committed fixtures and shared real files, and the per-record
// allele-count parsing for each caller convention (observations_from_record on records outside
// the KIT targets). Every expected fraction is worked out by hand in the comment next to it.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <htslib/vcf.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/hts_util.hpp"
#include "io/vcf_record.hpp"
#include "kitrx/io/source.hpp"
#include "test_paths.hpp"

namespace kitrx {
namespace {

using test::shared_path;
using test::test_data;

// ---------------------------------------------------------------------------------------------
// Helpers

struct Captured {
    std::ostringstream log;
    Diagnostics diag{&log, 100};
    SourceInfo info;
    std::vector<Observation> obs;
};

SourceOptions options_for(const std::string& path, std::optional<Build> build = std::nullopt) {
    SourceOptions o;
    o.path = path;
    o.build = build;
    return o;
}

std::unique_ptr<Captured> read_all(const SourceOptions& options) {
    auto c = std::make_unique<Captured>();
    auto source = open_source(options, c->diag);
    source->run([&](Observation&& o) { c->obs.push_back(std::move(o)); });
    c->info = source->info();
    return c;
}

std::unique_ptr<Captured> read_all(const std::string& path, std::optional<Build> build = std::nullopt) {
    return read_all(options_for(path, build));
}

// The observation of `sample` at 1-based `pos1` (and `alt`, when given); fails the test if absent.
const Observation& find(const std::vector<Observation>& obs,
                        const std::string& sample,
                        std::int64_t pos1,
                        const std::string& alt = "") {
    for (const auto& o : obs)
        if (o.sample == sample && o.pos0 + 1 == pos1 && (alt.empty() || o.alt == alt)) return o;
    ADD_FAILURE() << "no observation for sample '" << sample << "' at " << pos1 << " " << alt;
    static const Observation none;
    return none;
}

// All observations of the record at CHROM:POS of `path`, read with htslib directly, so that caller
// files on non-KIT contigs (the 'tiny' genome, other GRCh37 chromosomes) can be checked.
std::vector<Observation> record_observations(const std::string& path,
                                             const std::string& chrom,
                                             std::int64_t pos1,
                                             Diagnostics& diag,
                                             bool strict = false) {
    detail::HtsFilePtr file(hts_open(path.c_str(), "r"));
    if (!file) {
        ADD_FAILURE() << "cannot open " << path;
        return {};
    }
    detail::BcfHdrPtr hdr(bcf_hdr_read(file.get()));
    detail::Bcf1Ptr rec(bcf_init());
    const detail::FieldPlan plan = detail::make_field_plan(hdr.get(), path, strict);
    for (std::int64_t index = 0; bcf_read(file.get(), hdr.get(), rec.get()) == 0; ++index) {
        if (chrom == bcf_seqname_safe(hdr.get(), rec.get()) && rec->pos + 1 == pos1)
            return detail::observations_from_record(hdr.get(), rec.get(), plan, diag, index);
    }
    ADD_FAILURE() << "no record " << chrom << ":" << pos1 << " in " << path;
    return {};
}

std::vector<Observation> record_observations(const std::string& path,
                                             const std::string& chrom,
                                             std::int64_t pos1) {
    Diagnostics diag;
    return record_observations(path, chrom, pos1, diag);
}

// Writes `text` to a fresh file under the build tree and returns its path.
std::string write_temp(const std::string& name, const std::string& text) {
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp/vcf_source";
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string copy_temp(const std::string& from, const std::string& name) {
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp/vcf_source";
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + name;
    std::filesystem::copy_file(from, path, std::filesystem::copy_options::overwrite_existing);
    return path;
}

const std::string kM2Header = R"VCF(##fileformat=VCFv4.2
##contig=<ID=chr4,length=190214555>
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">
)VCF";

std::string expect_input_error(const SourceOptions& options) {
    Diagnostics diag;
    try {
        auto source = open_source(options, diag);
        source->run([](Observation&&) {});
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no InputError for " << options.path;
    return "";
}

// ---------------------------------------------------------------------------------------------
// Caller conventions, one record each (observations_from_record, no target filter)

TEST(CallerFormats, Mutect2_CountsFromAdPreferredOverModelAf) {
    // somaticseq MuTect2 (Mutect2 + FilterMutectCalls), record 1:9113 T>A, NORMAL then TUMOR.
    const auto obs =
        record_observations(test_data("vcf/callers/somaticseq_paired.MuTect2.vcf.gz"), "1", 9113);
    ASSERT_EQ(obs.size(), 2u);
    // TUMOR AD=31,32 -> 32/(31+32) = 0.5079 (Mutect2's own AF 0.505 is a model estimate);
    // SB=17,14,16,16 (ref fwd, ref rev, alt fwd, alt rev) -> alt 16 forward, 16 reverse.
    const auto& t = find(obs, "TUMOR", 9113);
    EXPECT_EQ(t.alt_reads, 32);
    EXPECT_EQ(t.depth, 63);
    EXPECT_NEAR(t.vaf, 32.0 / 63.0, 1e-9);
    EXPECT_EQ(t.af_source, "FORMAT/AD");
    EXPECT_EQ(t.alt_fwd, 16);
    EXPECT_EQ(t.alt_rev, 16);
    EXPECT_EQ(t.ref, "T");
    EXPECT_EQ(t.alt, "A");
    EXPECT_EQ(t.filter, "PASS");
    // NORMAL AD=23,0 -> 0/23 = 0, although its FORMAT/AF says 0.039.
    const auto& n = find(obs, "NORMAL", 9113);
    EXPECT_EQ(n.alt_reads, 0);
    EXPECT_EQ(n.depth, 23);
    EXPECT_EQ(n.vaf, 0.0);
}

TEST(CallerFormats, VarDict_VdOverDpWithAldStrand) {
    // somaticseq VarDict (sample order TUMOR, NORMAL), record 1:9113 T>A.
    const auto obs =
        record_observations(test_data("vcf/callers/somaticseq_paired.VarDict.vcf.gz"), "1", 9113);
    // TUMOR DP=63 VD=32 -> 32/63 = 0.5079 (= its AF 0.5079); ALD=16,16 -> 16 fwd, 16 rev.
    const auto& t = find(obs, "TUMOR", 9113);
    EXPECT_EQ(t.alt_reads, 32);
    EXPECT_EQ(t.depth, 63);
    EXPECT_NEAR(t.vaf, 0.5079, 1e-4);
    EXPECT_EQ(t.af_source, "FORMAT/VD,DP");
    EXPECT_EQ(t.alt_fwd, 16);
    EXPECT_EQ(t.alt_rev, 16);
    // NORMAL DP=24 VD=0 -> 0/24.
    const auto& n = find(obs, "NORMAL", 9113);
    EXPECT_EQ(n.alt_reads, 0);
    EXPECT_EQ(n.depth, 24);
}

TEST(CallerFormats, VarDict_WithoutAnyFormatOrInfoHeaderLines) {
    // Same records with every ##INFO/##FORMAT line removed: htslib types the keys as strings,
    // the numbers are still read. TUMOR 1:9113 DP=63 VD=32 -> 32/63; ALD=16,16.
    Diagnostics diag;
    const auto obs =
        record_observations(test_data("vcf/callers/vardict_no_format_lines.vcf"), "1", 9113, diag);
    const auto& t = find(obs, "TUMOR", 9113);
    EXPECT_EQ(t.alt_reads, 32);
    EXPECT_EQ(t.depth, 63);
    EXPECT_EQ(t.af_source, "FORMAT/VD,DP");
    EXPECT_EQ(t.alt_fwd, 16);
    EXPECT_EQ(t.alt_rev, 16);
}

TEST(CallerFormats, Strelka2SomaticSnv_Tier1BaseCounts) {
    // somaticseq Strelka 2.9.5 SNV, record 1:947 G>A, NORMAL then TUMOR.
    const auto obs =
        record_observations(test_data("vcf/callers/somaticseq_paired.Strelka.snv.vcf.gz"), "1", 947);
    // TUMOR AU=1,1 GU=45,45 (tier1, tier2): tier 1 -> 1/(45+1) = 0.0217; no strand counts.
    const auto& t = find(obs, "TUMOR", 947);
    EXPECT_EQ(t.alt_reads, 1);
    EXPECT_EQ(t.depth, 46);
    EXPECT_NEAR(t.vaf, 1.0 / 46.0, 1e-9);
    EXPECT_EQ(t.af_source, "FORMAT/AU,GU");
    EXPECT_EQ(t.alt_fwd, -1);
    EXPECT_EQ(t.filter, "LowEVS");
    // NORMAL AU=0 GU=36 -> 0/36.
    const auto& n = find(obs, "NORMAL", 947);
    EXPECT_EQ(n.alt_reads, 0);
    EXPECT_EQ(n.depth, 36);
}

TEST(CallerFormats, Strelka2SomaticIndel_TirTar) {
    // somaticseq Strelka indel, record 1:22129 A>ATAGCTGAC: TUMOR TIR=27,27 TAR=23,23 ->
    // 27/(27+23) = 0.54; NORMAL TIR=0 TAR=35 -> 0/35.
    const auto obs =
        record_observations(test_data("vcf/callers/somaticseq_paired.Strelka.indel.vcf.gz"), "1", 22129);
    const auto& t = find(obs, "TUMOR", 22129);
    EXPECT_EQ(t.alt, "ATAGCTGAC");
    EXPECT_EQ(t.alt_reads, 27);
    EXPECT_EQ(t.depth, 50);
    EXPECT_NEAR(t.vaf, 0.54, 1e-9);
    EXPECT_EQ(t.af_source, "FORMAT/TIR,TAR");
    const auto& n = find(obs, "NORMAL", 22129);
    EXPECT_EQ(n.alt_reads, 0);
    EXPECT_EQ(n.depth, 35);
}

TEST(CallerFormats, Strelka1Somatic_Tier1BaseCounts) {
    // vcf2maf test_strelka.vcf (Strelka 1), record 1:118166116 C>A: TUMOR CU=39,39 AU=25,27 ->
    // tier 1: 25/(39+25) = 0.3906.
    const auto obs =
        record_observations(test_data("vcf/callers/vcf2maf_tcga_strelka.GRCh37.vcf"), "1", 118166116);
    const auto& t = find(obs, "TUMOR", 118166116);
    EXPECT_EQ(t.alt_reads, 25);
    EXPECT_EQ(t.depth, 64);
    EXPECT_NEAR(t.vaf, 25.0 / 64.0, 1e-9);
    EXPECT_EQ(t.af_source, "FORMAT/AU,CU");
}

TEST(CallerFormats, Strelka2Germline_AdWithAdfAdrStrand) {
    // somaticseq tumour-only Strelka germline, record 1:9113: AD=28,28 -> 28/56 = 0.5;
    // ADF=16,13 ADR=12,15 -> alt 13 forward, 15 reverse.
    const auto obs = record_observations(
        test_data("vcf/callers/somaticseq_tumor_only.Strelka_germline.vcf.gz"), "1", 9113);
    const auto& t = find(obs, "TUMOR", 9113);
    EXPECT_EQ(t.alt_reads, 28);
    EXPECT_EQ(t.depth, 56);
    EXPECT_EQ(t.af_source, "FORMAT/AD");
    EXPECT_EQ(t.alt_fwd, 13);
    EXPECT_EQ(t.alt_rev, 15);
}

TEST(CallerFormats, LoFreq_SitesOnlyInfoDp4) {
    // somaticseq LoFreq SNV (no sample columns), record 1:9113: DP4=17,14,16,16 ->
    // (16+16)/(17+14+16+16) = 32/63 = 0.5079 (its INFO/AF 0.507937 agrees).
    const std::string path = test_data("vcf/callers/somaticseq_paired.LoFreq.snv.vcf.gz");
    const auto obs = record_observations(path, "1", 9113);
    ASSERT_EQ(obs.size(), 1u);
    // Sites-only files have no sample name: the file name without .vcf.gz stands in for it.
    EXPECT_EQ(obs[0].sample, "somaticseq_paired.LoFreq.snv");
    EXPECT_EQ(obs[0].alt_reads, 32);
    EXPECT_EQ(obs[0].depth, 63);
    EXPECT_EQ(obs[0].af_source, "INFO/DP4");
    EXPECT_EQ(obs[0].alt_fwd, 16);
    EXPECT_EQ(obs[0].alt_rev, 16);
}

TEST(CallerFormats, LoFreq_InfoAfWhenNoDp4) {
    // LoFreq's INFO/AF is a read fraction, used when DP4 is absent: AF=0.0123, DP=4000.
    const std::string path = write_temp("lofreq_af_only.vcf", R"VCF(##fileformat=VCFv4.0
##source=lofreq call -f ref.fa in.bam
##INFO=<ID=DP,Number=1,Type=Integer,Description="Raw Depth">
##INFO=<ID=AF,Number=1,Type=Float,Description="Allele Frequency">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO
1	100	.	A	G	50	PASS	DP=4000;AF=0.0123
)VCF");
    const auto obs = record_observations(path, "1", 100);
    ASSERT_EQ(obs.size(), 1u);
    EXPECT_NEAR(obs[0].vaf, 0.0123, 1e-6);
    EXPECT_EQ(obs[0].depth, 4000);
    EXPECT_EQ(obs[0].alt_reads, -1);
    EXPECT_EQ(obs[0].af_source, "INFO/AF");
}

TEST(CallerFormats, VarScan2_RdAdCountsAndPercentFreq) {
    // vcf2maf test_varscan.vcf (VarScan2 somatic: NORMAL, TUMOR), record 1:1991014 A>G.
    const auto obs =
        record_observations(test_data("vcf/callers/vcf2maf_tcga_varscan.GRCh37.vcf"), "1", 1991014);
    // TUMOR RD=56 AD=35 -> 35/(56+35) = 0.3846 (FREQ "38.46%"); DP4 "31,25,16,19" -> 16 fwd, 19 rev.
    const auto& t = find(obs, "TUMOR", 1991014);
    EXPECT_EQ(t.alt_reads, 35);
    EXPECT_EQ(t.depth, 91);
    EXPECT_NEAR(t.vaf, 0.3846, 1e-4);
    EXPECT_EQ(t.af_source, "FORMAT/RD,AD");
    EXPECT_EQ(t.alt_fwd, 16);
    EXPECT_EQ(t.alt_rev, 19);
    // NORMAL RD=59 AD=56 -> 56/115 = 0.4870 (FREQ "48.7%").
    const auto& n = find(obs, "NORMAL", 1991014);
    EXPECT_EQ(n.alt_reads, 56);
    EXPECT_EQ(n.depth, 115);
    EXPECT_NEAR(n.vaf, 0.487, 1e-3);
}

TEST(CallerFormats, VarScan2_FreqPercentWhenCountsMissing) {
    // RD and AD missing: FREQ "12.5%" -> 0.125, depth from DP=80, ALT count unknown.
    const std::string path = write_temp("varscan_freq_only.vcf", R"VCF(##fileformat=VCFv4.1
##source=VarScan2
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read Depth">
##FORMAT=<ID=RD,Number=1,Type=Integer,Description="Depth of reference-supporting bases (reads1)">
##FORMAT=<ID=AD,Number=1,Type=Integer,Description="Depth of variant-supporting bases (reads2)">
##FORMAT=<ID=FREQ,Number=1,Type=String,Description="Variant allele frequency">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	TUMOR
1	100	.	A	G	.	PASS	.	GT:DP:RD:AD:FREQ	0/1:80:.:.:12.5%
)VCF");
    const auto obs = record_observations(path, "1", 100);
    ASSERT_EQ(obs.size(), 1u);
    EXPECT_NEAR(obs[0].vaf, 0.125, 1e-9);
    EXPECT_EQ(obs[0].af_source, "FORMAT/FREQ");
    EXPECT_EQ(obs[0].depth, 80);
    EXPECT_EQ(obs[0].alt_reads, -1);
}

TEST(CallerFormats, MuTect1_AdWithNumberDot) {
    // vcf2maf test_mutect.vcf (MuTect 1; AD declared Number=.; haploid GT '0' in NORMAL),
    // record 1:2587467 T>A: TUMOR AD=11,3 -> 3/14 = 0.2143 (its FA 0.214); NORMAL AD=4,0 -> 0/4.
    const auto obs =
        record_observations(test_data("vcf/callers/vcf2maf_tcga_mutect.GRCh37.vcf"), "1", 2587467);
    const auto& t = find(obs, "TUMOR", 2587467);
    EXPECT_EQ(t.alt_reads, 3);
    EXPECT_EQ(t.depth, 14);
    EXPECT_EQ(t.af_source, "FORMAT/AD");
    EXPECT_EQ(t.filter, "REJECT");
    EXPECT_EQ(find(obs, "NORMAL", 2587467).depth, 4);
}

TEST(CallerFormats, SomaticSniper_FormatDp4) {
    // somaticseq SomaticSniper, record 1:9113: TUMOR DP4=17,14,16,16 -> 32/63; NORMAL 9,15,0,0 -> 0/24.
    const auto obs =
        record_observations(test_data("vcf/callers/somaticseq_paired.SomaticSniper.vcf.gz"), "1", 9113);
    const auto& t = find(obs, "TUMOR", 9113);
    EXPECT_EQ(t.alt_reads, 32);
    EXPECT_EQ(t.depth, 63);
    EXPECT_EQ(t.af_source, "FORMAT/DP4");
    EXPECT_EQ(t.alt_fwd, 16);
    EXPECT_EQ(find(obs, "NORMAL", 9113).depth, 24);
}

TEST(CallerFormats, PcgrAdtStringCounts) {
    // PCGR T001-COAD (ADT declared Number=. Type=String), record 1:1042010 G>A: ADT "21,8" ->
    // 8/(21+8) = 0.2759, which is its INFO/TVAF 0.275862.
    const auto obs = record_observations(test_data("vcf/callers/pcgr_T001-COAD_tcga_4callers.grch38.vcf.gz"),
                                         "1", 1042010);
    ASSERT_EQ(obs.size(), 1u);
    EXPECT_EQ(obs[0].alt_reads, 8);
    EXPECT_EQ(obs[0].depth, 29);
    EXPECT_NEAR(obs[0].vaf, 0.275862068966, 1e-9);
    EXPECT_EQ(obs[0].af_source, "FORMAT/ADT");
}

TEST(CallerFormats, FreeBayes_InfoAfIsNeverUsed) {
    // FreeBayes' INFO/AF is AC/AN (0.5 for a het call), not a read fraction: with the sample
    // column empty the fraction stays unknown.
    const std::string path = write_temp("freebayes_missing.vcf", R"VCF(##fileformat=VCFv4.2
##source=freeBayes v1.3.6
##INFO=<ID=AF,Number=A,Type=Float,Description="Estimated allele frequency in the range (0,1]">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=RO,Number=1,Type=Integer,Description="Reference allele observation count">
##FORMAT=<ID=AO,Number=A,Type=Integer,Description="Alternate allele observation count">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	plasma
1	100	.	A	G	30	.	AF=0.5	GT:RO:AO	.:.:.
)VCF");
    const auto obs = record_observations(path, "1", 100);
    ASSERT_EQ(obs.size(), 1u);
    EXPECT_TRUE(std::isnan(obs[0].vaf));
    EXPECT_EQ(obs[0].alt_reads, -1);
    EXPECT_EQ(obs[0].af_source, "");
}

TEST(CallerFormats, FormatColumnMissing_CountsUnknown) {
    // htslib test/formatmissing.vcf: FORMAT '.' and every sample '.': three samples, nothing known.
    const auto obs = record_observations(test_data("vcf/callers/htslib_formatmissing.vcf"), "1", 100);
    ASSERT_EQ(obs.size(), 3u);
    for (const auto& o : obs) {
        EXPECT_EQ(o.alt_reads, -1);
        EXPECT_EQ(o.depth, -1);
        EXPECT_TRUE(std::isnan(o.vaf));
        EXPECT_EQ(o.af_source, "");
    }
    EXPECT_EQ(obs[2].sample, "S3");
}

TEST(CallerFormats, VarDict_VdAboveDpWarnsAndFallsBack) {
    // VD=12 > DP=10 would be a fraction of 1.2: warned, and AD=8,2 (2/10 = 0.2) is used instead.
    const std::string path = write_temp("vardict_vd_above_dp.vcf", R"VCF(##fileformat=VCFv4.3
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Total Depth">
##FORMAT=<ID=VD,Number=1,Type=Integer,Description="Variant Depth">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	TUMOR
1	100	.	A	G	.	PASS	.	GT:DP:VD:AD	0/1:10:12:8,2
)VCF");
    Diagnostics diag;
    const auto obs = record_observations(path, "1", 100, diag);
    ASSERT_EQ(obs.size(), 1u);
    EXPECT_EQ(diag.warnings("af_out_of_range"), 1);
    EXPECT_EQ(obs[0].af_source, "FORMAT/AD");
    EXPECT_NEAR(obs[0].vaf, 0.2, 1e-9);
    // Strict mode: the same value is an error naming the record.
    Diagnostics strict_diag;
    EXPECT_THROW(record_observations(path, "1", 100, strict_diag, true), InputError);
}

// KIT-position fixtures of callers without a real file (hand-made, or bcftools run on a real BAM).

TEST(CallerFormats, FreeBayes_AoRoOnKitRecords) {
    const auto c = read_all(test_data("vcf/callers/freebayes.grch38.vcf"));
    EXPECT_EQ(c->info.caller, "FreeBayes");
    // D816V chr4:54733155: AO=24 RO=976 -> 24/(976+24) = 0.024; INFO/AF=0.5 (AC/AN) is not used.
    const auto& d816v = find(c->obs, "plasma", 54733155);
    EXPECT_EQ(d816v.alt_reads, 24);
    EXPECT_EQ(d816v.depth, 1000);
    EXPECT_EQ(d816v.af_source, "FORMAT/AO,RO");
    // N822K/N822? chr4:54733174 T>A,G: AO=12,3 RO=485 -> 12/(485+12+3) = 0.024 and 3/500 = 0.006.
    EXPECT_NEAR(find(c->obs, "plasma", 54733174, "A").vaf, 0.024, 1e-9);
    EXPECT_NEAR(find(c->obs, "plasma", 54733174, "G").vaf, 0.006, 1e-9);
    EXPECT_EQ(find(c->obs, "plasma", 54733174, "G").depth, 500);
}

TEST(CallerFormats, BcftoolsCall_FormatAdAndAdfAdr) {
    // bcftools mpileup -a AD,ADF,ADR,DP | call -m -A on the MSK-ACCESS SeraCare simplex BAM.
    // D816V 4:55599321: AD=464,28 -> 28/(464+28) = 0.0569; ADF=227,12 ADR=237,16 -> 12 fwd, 16 rev.
    // (INFO/DP4 says 13+17 = 30 ALT reads: bcftools' AD and DP4 count differently, AD is preferred.)
    const auto c = read_all(test_data("vcf/callers/bcftools_call_AD.GRCh37.vcf"));
    EXPECT_EQ(c->info.caller, "bcftools");
    EXPECT_EQ(c->info.build, Build::kGRCh37);
    const auto& o = find(c->obs, "TD-seracare-5per_IGO_05500_EZ_29", 55599321);
    EXPECT_EQ(o.alt_reads, 28);
    EXPECT_EQ(o.depth, 492);
    EXPECT_NEAR(o.vaf, 28.0 / 492.0, 1e-9);
    EXPECT_EQ(o.af_source, "FORMAT/AD");
    EXPECT_EQ(o.alt_fwd, 12);
    EXPECT_EQ(o.alt_rev, 16);
}

TEST(CallerFormats, BcftoolsCall_InfoDp4WhenNoFormatCounts) {
    // The same call without -a: only INFO/DP4=227,237,13,17 -> (13+17)/(227+237+13+17) = 30/494.
    const auto c = read_all(test_data("vcf/callers/bcftools_call_DP4.GRCh37.vcf"));
    const auto& o = find(c->obs, "TD-seracare-5per_IGO_05500_EZ_29", 55599321);
    EXPECT_EQ(o.alt_reads, 30);
    EXPECT_EQ(o.depth, 494);
    EXPECT_EQ(o.af_source, "INFO/DP4");
    EXPECT_EQ(o.alt_fwd, 13);
    EXPECT_EQ(o.alt_rev, 17);
}

TEST(CallerFormats, Dragen_AdAndSb) {
    const auto c = read_all(test_data("vcf/callers/dragen.grch38.vcf"));
    EXPECT_EQ(c->info.caller, "DRAGEN");
    // W557_K558del chr4:54727434: AD=1368,152 -> 152/1520 = 0.1; SB=700,668,80,72 -> 80 fwd, 72 rev.
    const auto& del = find(c->obs, "TSO_PLASMA_01", 54727434);
    EXPECT_EQ(del.alt_reads, 152);
    EXPECT_EQ(del.depth, 1520);
    EXPECT_NEAR(del.vaf, 0.1, 1e-9);
    EXPECT_EQ(del.alt_fwd, 80);
    EXPECT_EQ(del.alt_rev, 72);
    // D816V chr4:54733155: AD=1490,10 -> 10/1500 = 0.00667, FILTER weak_evidence kept as data.
    const auto& d816v = find(c->obs, "TSO_PLASMA_01", 54733155);
    EXPECT_NEAR(d816v.vaf, 10.0 / 1500.0, 1e-9);
    EXPECT_EQ(d816v.filter, "weak_evidence");
}

// ---------------------------------------------------------------------------------------------
// Header analysis: build, caller, samples, contig naming

TEST(VcfHeader, BuildFromNameMatchesWholeTokens) {
    using detail::build_from_name;
    EXPECT_EQ(build_from_name("file:///ref_dir/ucsc.hg19.fasta"), Build::kGRCh37);
    EXPECT_EQ(build_from_name("/ref/human_g1k_v37.fasta"), Build::kGRCh37);
    EXPECT_EQ(build_from_name("Homo_sapiens.GRCh37.74.dna.primary_assembly.fa"), Build::kGRCh37);
    EXPECT_EQ(build_from_name("/ref/hs37d5.fa"), Build::kGRCh37);
    EXPECT_EQ(build_from_name("/projects/ref/Homo_sapiens_assembly38.fasta"), Build::kGRCh38);
    EXPECT_EQ(build_from_name("GRCh38_full_analysis_set_plus_decoy_hla.fa"), Build::kGRCh38);
    EXPECT_EQ(build_from_name("/staging/hg38_alt_masked_graph_v2/reference.bin"), Build::kGRCh38);
    // A hash that happens to contain "b37" inside a token is not a build name.
    EXPECT_EQ(build_from_name("file:///3e0e4b37584c/tiny.fa"), std::nullopt);
    EXPECT_EQ(build_from_name("hg38ToHg19.over.chain"), std::nullopt);
}

TEST(VcfHeader, FileStemDropsDirectoriesAndVcfExtensions) {
    EXPECT_EQ(detail::file_stem("results/arm_c/lofreq.vcf.gz"), "lofreq");
    EXPECT_EQ(detail::file_stem("a.b.BCF"), "a.b");
    EXPECT_EQ(detail::file_stem("sample.vcf.bgz"), "sample");
    EXPECT_EQ(detail::file_stem("-"), "-");
}

TEST(VcfSource, Grch38TumourNormal_EverySampleAndAllele) {
    const auto c = read_all(test_data("vcf/kit_grch38.tumor_normal.vcf"));
    EXPECT_EQ(c->info.format, InputFormat::kVcf);
    EXPECT_EQ(c->info.build, Build::kGRCh38);
    EXPECT_EQ(c->info.build_evidence, "##contig chr4 length=190214555");
    EXPECT_EQ(c->info.caller, "Mutect2");
    EXPECT_EQ(c->info.samples, (std::vector<std::string>{"NORMAL", "TUMOR"}));
    EXPECT_EQ(c->info.tumor_sample, "TUMOR");
    EXPECT_EQ(c->info.contig, "chr4");
    EXPECT_FALSE(c->info.used_index);
    // 11 records; in the default KIT exons: A502_Y503dup, W557_K558del, V654A, T670I, D816V,
    // N822K (2 ALTs), A829P = 7 records. Not: chr1, chr7, chr4:54100000, intron 11 54727600.
    EXPECT_EQ(c->info.records_read, 11);
    EXPECT_EQ(c->info.records_in_targets, 7);
    // 2 samples x (6 bi-allelic + 2 ALTs of N822) = 16.
    EXPECT_EQ(c->obs.size(), 16u);
    // D816V: TUMOR AD=990,10 -> 10/1000; NORMAL AD=801,0 -> 0/801.
    EXPECT_NEAR(find(c->obs, "TUMOR", 54733155).vaf, 0.01, 1e-12);
    EXPECT_EQ(find(c->obs, "NORMAL", 54733155).depth, 801);
    // N822 T>A,G: TUMOR AD=970,20,10 -> 20/1000 and 10/1000; each ALT has its own count.
    EXPECT_EQ(find(c->obs, "TUMOR", 54733174, "A").alt_reads, 20);
    EXPECT_EQ(find(c->obs, "TUMOR", 54733174, "G").alt_reads, 10);
    EXPECT_EQ(find(c->obs, "TUMOR", 54733174, "G").depth, 1000);
    EXPECT_EQ(c->diag.warnings("multiallelic_split"), 1);
    // W557_K558del as written in the VCF (anchored), 300/1000.
    const auto& del = find(c->obs, "TUMOR", 54727434);
    EXPECT_EQ(del.ref, "CAGTGGA");
    EXPECT_EQ(del.alt, "C");
    EXPECT_EQ(del.record_id, "chr4:54727434");
    EXPECT_EQ(find(c->obs, "TUMOR", 54736498).filter, "weak_evidence");
}

TEST(VcfSource, SamplesOptionKeepsOnlyNamedSamples) {
    for (const char* file : {"vcf/kit_grch38.tumor_normal.vcf", "vcf/kit_grch38.tumor_normal.vcf.gz",
                             "vcf/kit_grch38.tumor_normal.bcf"}) {
        SourceOptions o = options_for(test_data(file));
        o.samples = {"TUMOR", "TUMOR"};
        const auto c = read_all(o);
        EXPECT_EQ(c->info.samples, std::vector<std::string>{"TUMOR"}) << file;
        EXPECT_EQ(c->obs.size(), 8u) << file;
        for (const auto& obs : c->obs) EXPECT_EQ(obs.sample, "TUMOR") << file;
        EXPECT_EQ(find(c->obs, "TUMOR", 54728092).alt_reads, 40) << file;  // V654A AD=960,40
    }
}

TEST(VcfSource, UnknownSampleIsAnErrorListingTheSamples) {
    SourceOptions o = options_for(test_data("vcf/kit_grch38.tumor_normal.vcf"));
    o.samples = {"PLASMA"};
    const std::string msg = expect_input_error(o);
    EXPECT_NE(msg.find("sample 'PLASMA' is not in the file"), std::string::npos) << msg;
    EXPECT_NE(msg.find("NORMAL, TUMOR"), std::string::npos) << msg;
}

// The same records through every container: plain text, bgzip+tbi, BCF+csi, uncompressed BCF,
// bgzip without index, gzip; names that lie about the format do not matter.
TEST(VcfSource, SameObservationsFromEveryContainer) {
    auto key = [](const std::vector<Observation>& obs) {
        std::vector<std::string> out;
        for (const auto& o : obs)
            out.push_back(o.sample + " " + o.chrom + ":" + std::to_string(o.pos0) + o.ref + ">" + o.alt +
                          " " + std::to_string(o.alt_reads) + "/" + std::to_string(o.depth) + " " +
                          o.af_source + " " + std::to_string(o.alt_fwd) + "," + std::to_string(o.alt_rev) +
                          " " + o.filter);
        return out;
    };
    const auto text = read_all(test_data("vcf/kit_grch38.tumor_normal.vcf"));
    struct Case {
        std::string path;
        InputFormat format;
        bool indexed;
    };
    const std::vector<Case> cases = {
        {test_data("vcf/kit_grch38.tumor_normal.vcf.gz"), InputFormat::kVcf, true},
        {test_data("vcf/kit_grch38.tumor_normal.bcf"), InputFormat::kBcf, true},
        {test_data("vcf/kit_grch38.tumor_normal.ubcf"), InputFormat::kBcf, false},
        {test_data("vcf/kit_grch38.tumor_normal.noindex.vcf.gz"), InputFormat::kVcf, false},
        {copy_temp(test_data("vcf/kit_grch38.tumor_normal.bcf"), "named_like_text.vcf"), InputFormat::kBcf,
         false},
        {copy_temp(test_data("vcf/kit_grch38.tumor_normal.vcf.gz"), "named_like_bcf.bcf"), InputFormat::kVcf,
         false},
    };
    for (const auto& cs : cases) {
        const auto c = read_all(cs.path);
        EXPECT_EQ(key(c->obs), key(text->obs)) << cs.path;
        EXPECT_EQ(c->info.format, cs.format) << cs.path;
        EXPECT_EQ(c->info.used_index, cs.indexed) << cs.path;
        EXPECT_EQ(c->info.records_in_targets, 7) << cs.path;
        if (cs.indexed) EXPECT_EQ(c->info.records_read, 7) << cs.path;  // only the KIT regions were read
    }
    const auto gz37 = read_all(test_data("vcf/kit_grch37.b37.gzip.vcf.gz"));
    const auto plain37 = read_all(test_data("vcf/kit_grch37.b37.vcf"));
    EXPECT_EQ(key(gz37->obs), key(plain37->obs));
    EXPECT_FALSE(gz37->info.used_index);
}

TEST(VcfSource, Grch37B37NamingAndIndexedBcf) {
    const auto c = read_all(test_data("vcf/kit_grch37.b37.bcf"));
    EXPECT_EQ(c->info.build, Build::kGRCh37);
    EXPECT_EQ(c->info.build_evidence, "##contig 4 length=191154276");
    EXPECT_EQ(c->info.contig, "4");
    EXPECT_TRUE(c->info.used_index);
    // W557_K558del GRCh37 4:55593600 CAGTGGA>C, AD=700,300 -> 0.3.
    const auto& del = find(c->obs, "PATIENT1", 55593600);
    EXPECT_EQ(del.chrom, "4");
    EXPECT_EQ(del.ref, "CAGTGGA");
    EXPECT_NEAR(del.vaf, 0.3, 1e-12);
}

TEST(VcfSource, NoContigLines_BuildFromReferenceAndContigFromRecords) {
    const auto c = read_all(test_data("vcf/kit_grch37.no_contigs.vcf"));
    EXPECT_EQ(c->info.build, Build::kGRCh37);
    EXPECT_EQ(c->info.build_evidence, "##reference=file:///ref/hs37d5.fa");
    EXPECT_EQ(c->info.contig, "4");
    ASSERT_EQ(c->obs.size(), 2u);  // W557_K558del and D816V; the chr1 record is not KIT
    EXPECT_EQ(c->obs[1].pos0 + 1, 55599321);
    EXPECT_EQ(c->diag.warnings("no_kit_contig"), 0);
}

TEST(VcfSource, NoContigLinesWithTabixIndex_ContigFromIndex) {
    // PCGR: contigs named 4 with no ##contig lines and no build in the header; --build given.
    // Its only KIT call (54738455, exon 21) lies outside the default exons: nothing is reported.
    const auto c =
        read_all(test_data("vcf/callers/pcgr_T001-COAD_tcga_4callers.grch38.vcf.gz"), Build::kGRCh38);
    EXPECT_TRUE(c->info.used_index);
    EXPECT_EQ(c->info.build_evidence, "--build");
    EXPECT_EQ(c->info.contig, "4");
    EXPECT_TRUE(c->obs.empty());
    EXPECT_EQ(c->diag.total_warnings(), 0) << c->log.str();
}

TEST(VcfSource, NoBuildInHeader_ErrorNamesFileAndHint) {
    const std::string msg = expect_input_error(options_for(test_data("vcf/bad/no_build.vcf")));
    EXPECT_NE(msg.find("no_build.vcf: cannot tell the genome build"), std::string::npos) << msg;
    EXPECT_NE(msg.find("use --build GRCh37|GRCh38"), std::string::npos) << msg;
    // With --build the file is read.
    const auto c = read_all(test_data("vcf/bad/no_build.vcf"), Build::kGRCh38);
    EXPECT_EQ(c->obs.size(), 1u);
    EXPECT_EQ(c->info.build_evidence, "--build");
}

TEST(VcfSource, BuildOptionOverridesHeaderWithWarning) {
    const auto c = read_all(test_data("vcf/kit_grch37.b37.vcf"), Build::kGRCh38);
    EXPECT_EQ(c->info.build, Build::kGRCh38);
    EXPECT_EQ(c->diag.warnings("build_mismatch"), 1);
    EXPECT_NE(c->log.str().find("##contig 4 length=191154276 says GRCh37"), std::string::npos)
        << c->log.str();
}

TEST(VcfSource, BuildFromContigAssemblyTag) {
    const std::string path = write_temp("assembly_tag.vcf",
                                        "##fileformat=VCFv4.2\n##contig=<ID=4,assembly=b37>\n"
                                        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    const auto c = read_all(path);
    EXPECT_EQ(c->info.build, Build::kGRCh37);
    EXPECT_EQ(c->info.build_evidence, "##contig 4 assembly=b37");
}

TEST(VcfSource, ContigLengthWinsOverDisagreeingReferenceWithWarning) {
    const std::string path = write_temp("build_conflict.vcf",
                                        "##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n"
                                        "##reference=file:///ref/ucsc.hg19.fasta\n"
                                        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    const auto c = read_all(path);
    EXPECT_EQ(c->info.build, Build::kGRCh38);
    EXPECT_EQ(c->diag.warnings("build_evidence_conflict"), 1);
    EXPECT_NE(c->log.str().find("##reference=file:///ref/ucsc.hg19.fasta"), std::string::npos)
        << c->log.str();
}

TEST(VcfSource, ExonsOptionNarrowsTheTargets) {
    SourceOptions o = options_for(test_data("vcf/kit_grch38.tumor_normal.vcf"));
    o.samples = {"TUMOR"};
    o.exons = {17};
    const auto c = read_all(o);
    // Exon 17 only: D816V and the two ALTs of N822.
    ASSERT_EQ(c->obs.size(), 3u);
    EXPECT_EQ(c->info.records_in_targets, 2);
    ASSERT_EQ(c->info.targets.size(), 1u);
    EXPECT_EQ(c->info.targets[0].exon, 17);
}

TEST(VcfSource, UnknownGeneIsAUsageError) {
    SourceOptions o = options_for(test_data("vcf/kit_grch38.tumor_normal.vcf"));
    o.genes = {"EGFR"};
    Diagnostics diag;
    EXPECT_THROW((void)open_source(o, diag), UsageError);
}

TEST(VcfSource, SamplesOptionOnSitesOnlyFileIsAnError) {
    SourceOptions o = options_for(test_data("vcf/msk_hotspot_list_union_v1v2.KIT.sites.GRCh37.vcf"));
    o.samples = {"TUMOR"};
    EXPECT_NE(expect_input_error(o).find("the file has no sample columns"), std::string::npos);
}

TEST(VcfSource, NoKitContigInHeader_Warns) {
    const auto c = read_all(test_data("vcf/bad/no_kit_contig.vcf"));
    EXPECT_TRUE(c->obs.empty());
    EXPECT_EQ(c->info.contig, "");
    EXPECT_EQ(c->diag.warnings("no_kit_contig"), 1);
    EXPECT_NE(c->log.str().find("header has: chr1, chr17"), std::string::npos) << c->log.str();
}

TEST(VcfSource, NoKitContigAmongRecordNames_Warns) {
    const std::string path = write_temp("records_on_other_names.vcf",
                                        "##fileformat=VCFv4.2\n##reference=hg38.fa\n"
                                        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                                        "NC_000017.11\t7675088\t.\tC\tT\t.\tPASS\t.\n"
                                        "chrIV\t54733155\t.\tA\tT\t.\tPASS\t.\n");
    const auto c = read_all(path);
    EXPECT_EQ(c->info.records_read, 2);
    EXPECT_EQ(c->diag.warnings("no_kit_contig"), 1);
    EXPECT_NE(c->log.str().find("records use: NC_000017.11, chrIV"), std::string::npos) << c->log.str();
}

// ---------------------------------------------------------------------------------------------
// Records: alleles, missing values, filters, target overlap

TEST(VcfSource, EdgeCases_SkippedAllelesMissingValuesAndFallbacks) {
    const auto c = read_all(test_data("vcf/kit_edge_cases.grch38.vcf"));
    // <DEL> spanning exon 11 (via END) and the '*' allele of D816: skipped, warned and counted.
    EXPECT_EQ(c->diag.warnings("skipped_symbolic"), 2);
    EXPECT_EQ(c->diag.counters().at("skipped_symbolic"), 2);
    // lower-case cagtgga>c is upper-cased.
    const auto& del = find(c->obs, "TUMOR", 54727434);
    EXPECT_EQ(del.ref, "CAGTGGA");
    EXPECT_EQ(del.alt, "C");
    EXPECT_EQ(find(c->obs, "TUMOR", 54728092).filter, "weak_evidence;strand_bias");
    // ALT '.' (reference-only site) gives nothing.
    EXPECT_EQ(c->diag.counters().at("skipped_no_alt"), 1);
    // T,* : only T, with AD=980,15,5 -> 15/1000 (the '*' reads stay in the depth).
    const auto& d816v = find(c->obs, "TUMOR", 54733155);
    EXPECT_EQ(d816v.alt, "T");
    EXPECT_EQ(d816v.alt_reads, 15);
    EXPECT_EQ(d816v.depth, 1000);
    // AD '.', AF '.', DP '.': unknown, not zero.
    const auto& missing = find(c->obs, "TUMOR", 54733166);
    EXPECT_EQ(missing.alt_reads, -1);
    EXPECT_EQ(missing.depth, -1);
    EXPECT_TRUE(std::isnan(missing.vaf));
    EXPECT_EQ(missing.af_source, "");
    // AF=1.5: warned and ignored.
    EXPECT_EQ(c->diag.warnings("af_out_of_range"), 1);
    EXPECT_TRUE(std::isnan(find(c->obs, "TUMOR", 54733174).vaf));
    // G>C,T with AD=990,10 (2 values for 3 alleles): warned once, FORMAT/AF 0.011 and 0.002 used.
    EXPECT_EQ(c->diag.warnings("ad_length"), 1);
    const auto& c_allele = find(c->obs, "TUMOR", 54736498, "C");
    EXPECT_NEAR(c_allele.vaf, 0.011, 1e-6);
    EXPECT_EQ(c_allele.af_source, "FORMAT/AF");
    EXPECT_EQ(c_allele.alt_reads, -1);
    EXPECT_EQ(c_allele.depth, 1000);
    EXPECT_NEAR(find(c->obs, "TUMOR", 54736498, "T").vaf, 0.002, 1e-6);
    // REF 'R' (IUPAC) is skipped.
    EXPECT_EQ(c->diag.warnings("invalid_allele"), 1);
    // Kept: the deletion, T>C, D816 T, the missing-value record, the AF=1.5 record, G>C and G>T.
    EXPECT_EQ(c->obs.size(), 7u);
    EXPECT_EQ(c->info.records_in_targets, 9);
}

TEST(VcfSource, StrictMode_FirstSkippableProblemIsAnError) {
    SourceOptions o = options_for(test_data("vcf/kit_edge_cases.grch38.vcf"));
    o.strict = true;
    const std::string msg = expect_input_error(o);
    EXPECT_NE(msg.find("kit_edge_cases.grch38.vcf: chr4:54727400: symbolic ALT '<DEL>'"), std::string::npos)
        << msg;
}

TEST(VcfSource, RecordsOverlappingATargetFromOutsideAreKept) {
    // KIT exon 11 target starts at 54727408 (coding start 54727416 - 8, 1-based). A deletion at
    // 54727404 with REF TTCTCC covers 54727404-54727409 and overlaps it; one at 54727400 with
    // REF CCCT (54727400-54727403) does not. REF bases from GRCh38.
    const std::string path =
        write_temp("overlap.vcf", kM2Header +
                                      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n"
                                      "chr4\t54727400\t.\tCCCT\tC\t.\tPASS\t.\tGT:AD\t0/1:90,10\n"
                                      "chr4\t54727404\t.\tTTCTCC\tT\t.\tPASS\t.\tGT:AD\t0/1:90,10\n");
    const auto c = read_all(path);
    ASSERT_EQ(c->obs.size(), 1u);
    EXPECT_EQ(c->obs[0].pos0 + 1, 54727404);
    EXPECT_EQ(c->info.records_in_targets, 1);
}

TEST(VcfSource, UnsortedRecordsWarnButAreAllRead) {
    const auto c = read_all(test_data("vcf/kit_unsorted.grch38.vcf"));
    EXPECT_EQ(c->diag.warnings("unsorted"), 1);
    ASSERT_EQ(c->obs.size(), 2u);
    EXPECT_EQ(c->obs[0].pos0 + 1, 54733155);
    EXPECT_EQ(c->obs[1].pos0 + 1, 54728092);
    EXPECT_EQ(c->obs[1].record_index, 1);
}

TEST(VcfSource, SitesOnlyHotspotList_SampleIsFileStemAndNothingInvented) {
    // MSK hotspot list (GRCh37, contig 4): 70 records, of which the 3 at R888 (55602952-4, exon 19)
    // are outside the default exons -> 67 observations, none with counts or fractions.
    const auto c = read_all(test_data("vcf/msk_hotspot_list_union_v1v2.KIT.sites.GRCh37.vcf"));
    EXPECT_EQ(c->info.samples, std::vector<std::string>{"msk_hotspot_list_union_v1v2.KIT.sites.GRCh37"});
    EXPECT_EQ(c->info.records_read, 70);
    ASSERT_EQ(c->obs.size(), 67u);
    for (const auto& o : c->obs) {
        EXPECT_EQ(o.sample, "msk_hotspot_list_union_v1v2.KIT.sites.GRCh37");
        EXPECT_EQ(o.alt_reads, -1);
        EXPECT_TRUE(std::isnan(o.vaf));
        EXPECT_EQ(o.af_source, "");
        EXPECT_LT(o.pos0 + 1, 55602952);
    }
}

TEST(VcfSource, ThreadsGiveTheSameResult) {
    SourceOptions o = options_for(test_data("vcf/kit_grch38.tumor_normal.noindex.vcf.gz"));
    o.threads = 2;
    const auto threaded = read_all(o);
    const auto single = read_all(test_data("vcf/kit_grch38.tumor_normal.noindex.vcf.gz"));
    ASSERT_EQ(threaded->obs.size(), single->obs.size());
    for (std::size_t i = 0; i < single->obs.size(); ++i) {
        EXPECT_EQ(threaded->obs[i].pos0, single->obs[i].pos0);
        EXPECT_EQ(threaded->obs[i].alt_reads, single->obs[i].alt_reads);
    }
}

// Reads `path` as stdin ("-") and checks that the whole input was consumed.
std::unique_ptr<Captured> read_stdin(const std::string& path, std::optional<Build> build = std::nullopt) {
    const int saved = dup(STDIN_FILENO);
    const int fd = open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
    std::unique_ptr<Captured> c;
    try {
        c = read_all(options_for("-", build));
    } catch (...) {
        dup2(saved, STDIN_FILENO);
        close(saved);
        throw;
    }
    dup2(saved, STDIN_FILENO);
    close(saved);
    return c;
}

TEST(VcfSource, StdinVcfGz_StreamedToTheEnd) {
    const auto c = read_stdin(test_data("vcf/kit_grch38.tumor_normal.vcf.gz"));
    EXPECT_EQ(c->info.path, "-");
    EXPECT_FALSE(c->info.used_index);  // an index next to the file is never used for stdin
    EXPECT_EQ(c->info.records_read, 11);
    EXPECT_EQ(c->obs.size(), 16u);
}

TEST(VcfSource, StdinBcfAndSitesOnlyName) {
    const auto bcf = read_stdin(test_data("vcf/kit_grch37.b37.bcf"));
    EXPECT_EQ(bcf->info.format, InputFormat::kBcf);
    EXPECT_EQ(bcf->info.records_read, 10);
    const auto sites = read_stdin(test_data("vcf/msk_hotspot_list_union_v1v2.KIT.sites.GRCh37.vcf"));
    EXPECT_EQ(sites->obs.front().sample, "-");
}

// ---------------------------------------------------------------------------------------------
// Bad input: one clear error naming the file and, where known, the record

TEST(VcfSourceErrors, MalformedPosNamesRecord) {
    const std::string msg = expect_input_error(options_for(test_data("vcf/bad/malformed_pos.vcf")));
    EXPECT_NE(msg.find("malformed_pos.vcf: chr4:5473315x: malformed record: POS '5473315x'"),
              std::string::npos)
        << msg;
}

TEST(VcfSourceErrors, SpacesInsteadOfTabs) {
    const std::string msg = expect_input_error(options_for(test_data("vcf/bad/spaces_not_tabs.vcf")));
    EXPECT_NE(msg.find("spaces_not_tabs.vcf: record 1: malformed record: fewer than 8 tab-separated columns"),
              std::string::npos)
        << msg;
}

TEST(VcfSourceErrors, TooFewColumnsOnKitRecord) {
    const std::string msg = expect_input_error(options_for(test_data("vcf/bad/too_few_columns.vcf")));
    EXPECT_NE(msg.find("too_few_columns.vcf: chr4:54733155: malformed record"), std::string::npos) << msg;
}

TEST(VcfSourceErrors, DuplicateSampleNames) {
    const std::string msg = expect_input_error(options_for(test_data("vcf/bad/duplicate_samples.vcf")));
    // The header is re-read to name the line and the columns (line 4 is the #CHROM line).
    EXPECT_NE(msg.find("duplicate_samples.vcf:4: sample name 'TUMOR' appears twice in the #CHROM line "
                       "(columns 10 and 11)"),
              std::string::npos)
        << msg;
}

TEST(VcfSourceErrors, TruncatedBgzip) {
    Diagnostics diag;
    std::string msg;
    try {
        auto source = open_source(options_for(test_data("vcf/bad/truncated.vcf.gz")), diag);
        EXPECT_EQ(diag.warnings("truncated_input"), 1);  // no BGZF EOF block, seen at open
        source->run([](Observation&&) {});
    } catch (const InputError& e) {
        msg = e.what();
    }
    EXPECT_NE(msg.find("truncated.vcf.gz: read error after chr1:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("truncated or corrupt"), std::string::npos) << msg;
}

// ---------------------------------------------------------------------------------------------
// Real files without a licence to copy (../shared/realdata)

TEST(VcfSourceRealData, GencardioMutect2Vcf_D816V) {
    const std::string rel = "realdata/vcf/gencardio_horizon_mutect2_lancet_manta.hg19.vcf";
    KITRX_REQUIRE_SHARED(rel);
    const auto c = read_all(shared_path(rel));
    EXPECT_EQ(c->info.build, Build::kGRCh37);
    EXPECT_EQ(c->info.build_evidence, "##contig chr4 length=191154276");
    EXPECT_EQ(c->info.caller, "Mutect2");
    EXPECT_FALSE(c->info.used_index);
    EXPECT_EQ(c->info.records_read, 1479);
    // In the default exons: D816V (exon 17) and L862L 55602765 (last coding base of exon 18).
    EXPECT_EQ(c->info.records_in_targets, 2);
    // D816V chr4:55599321 A>T: AD=576,49 -> 49/(576+49) = 0.0784 (Mutect2 AF 0.077);
    // SB=252,324,17,32 -> 17 forward, 32 reverse.
    const auto& o = find(c->obs, "OncoSpan", 55599321);
    EXPECT_EQ(o.ref, "A");
    EXPECT_EQ(o.alt, "T");
    EXPECT_EQ(o.alt_reads, 49);
    EXPECT_EQ(o.depth, 625);
    EXPECT_NEAR(o.vaf, 49.0 / 625.0, 1e-12);
    EXPECT_NEAR(o.vaf, 0.077, 0.002);
    EXPECT_EQ(o.af_source, "FORMAT/AD");
    EXPECT_EQ(o.alt_fwd, 17);
    EXPECT_EQ(o.alt_rev, 32);
    EXPECT_EQ(o.filter, "PASS");
}

TEST(VcfSourceRealData, GencardioBcfWithCsi_IndexedD816V) {
    const std::string rel = "realdata/vcf/gencardio_horizon_mutect2_lancet_manta.KIT.hg19.bcf";
    KITRX_REQUIRE_SHARED(rel);
    const auto c = read_all(shared_path(rel));
    EXPECT_EQ(c->info.format, InputFormat::kBcf);
    EXPECT_TRUE(c->info.used_index);
    EXPECT_EQ(c->info.records_read, 2);  // only the target regions were read, not its 11 records
    const auto& o = find(c->obs, "OncoSpan", 55599321);
    EXPECT_EQ(o.alt_reads, 49);  // AD=576,49 -> 49/625 = 0.0784
    EXPECT_EQ(o.depth, 625);
    EXPECT_EQ(o.alt_fwd, 17);
}

TEST(VcfSourceRealData, Seqc2ArmC_Mutect2LowVafExon13) {
    const std::string rel =
        "realdata/vcf/seqc2_ctdna_arm_c_consensus_tumor_only.mutect2.filtered.hg38.vcf.gz";
    KITRX_REQUIRE_SHARED(rel);
    const auto c = read_all(shared_path(rel));
    EXPECT_EQ(c->info.build, Build::kGRCh38);
    EXPECT_TRUE(c->info.used_index);
    EXPECT_EQ(c->info.tumor_sample, "tumor");
    // chr4:54728012 G>A: AD=5498,28 -> 28/5526 = 0.00507 (Mutect2 AF 0.0048); SB=5482,16,28,0.
    ASSERT_EQ(c->obs.size(), 1u);
    EXPECT_EQ(c->obs[0].alt_reads, 28);
    EXPECT_EQ(c->obs[0].depth, 5526);
    EXPECT_EQ(c->obs[0].alt_fwd, 28);
    EXPECT_EQ(c->obs[0].alt_rev, 0);
}

TEST(VcfSourceRealData, Seqc2ArmC_LoFreqSitesOnly) {
    const std::string rel = "realdata/vcf/seqc2_ctdna_arm_c_consensus_tumor_only.lofreq.hg38.vcf.gz";
    KITRX_REQUIRE_SHARED(rel);
    const auto c = read_all(shared_path(rel));
    EXPECT_EQ(c->info.caller, "LoFreq");
    EXPECT_EQ(c->info.build_evidence,
              "##reference=/home/ubuntu/projects/ctdna2/ref/Homo_sapiens_assembly38.fasta");
    // In exon 13: 54728012 DP4=5955,17,26,0 -> 26/5998 = 0.00433 (AF 0.004331) and
    // 54728099 DP4=5957,9,12,0 -> 12/5978 = 0.00201. (54727400 and 54729515 are outside the targets.)
    ASSERT_EQ(c->obs.size(), 2u);
    const auto& a = find(c->obs, "seqc2_ctdna_arm_c_consensus_tumor_only.lofreq.hg38", 54728012);
    EXPECT_EQ(a.alt_reads, 26);
    EXPECT_EQ(a.depth, 5998);
    EXPECT_EQ(a.af_source, "INFO/DP4");
    EXPECT_EQ(a.alt_rev, 0);
    EXPECT_EQ(find(c->obs, "seqc2_ctdna_arm_c_consensus_tumor_only.lofreq.hg38", 54728099).depth, 5978);
}

TEST(VcfSourceRealData, Seqc2ArmB_TumourNormalSamplesNoTargetRecord) {
    const std::string rel =
        "realdata/vcf/seqc2_ctdna_arm_b_standard_tumor_normal.mutect2.filtered.hg38.vcf.gz";
    KITRX_REQUIRE_SHARED(rel);
    const auto c = read_all(shared_path(rel));
    EXPECT_EQ(c->info.samples, (std::vector<std::string>{"normal", "tumor"}));
    EXPECT_EQ(c->info.tumor_sample, "tumor");
    EXPECT_TRUE(c->obs.empty());  // its KIT call 54727574 is 32 bp into intron 11
}

TEST(VcfSourceRealData, Gatk3Mutect2_QssNumberMismatchStillReads) {
    // GATK 3.8 MuTect2 declares QSS Number=A but writes 2 values; AF is Number=1.
    const std::string rel = "realdata/caller_formats/seqc2_hcc1395_gatk3_mutect2.chr4.hg38.vcf";
    KITRX_REQUIRE_SHARED(rel);
    const auto c = read_all(shared_path(rel));
    EXPECT_EQ(c->info.records_read, 340);
    EXPECT_EQ(c->info.samples, (std::vector<std::string>{"TUMOR", "NORMAL"}));
    // chr4:121989 A>G: TUMOR AD=42,2 -> 2/44 = 0.0455 (AF 0.050); NORMAL AD=35,0 -> 0/35.
    const auto obs = record_observations(shared_path(rel), "chr4", 121989);
    EXPECT_EQ(find(obs, "TUMOR", 121989).alt_reads, 2);
    EXPECT_EQ(find(obs, "TUMOR", 121989).depth, 44);
    EXPECT_EQ(find(obs, "NORMAL", 121989).depth, 35);
}

}  // namespace
}  // namespace kitrx
