// SPDX-License-Identifier: MIT
// `kitrx count` through the binary: output format, stdin, atomic -o, errors and exit codes, and
// the comparison with samtools mpileup on the same generated BAMs.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "bam_fixtures.hpp"
#include "cli_runner.hpp"

namespace kitrx {
namespace {

using test::run_kitrx;
using test::run_shell;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::vector<std::string> fields_of(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
    return out;
}

std::vector<std::string> data_rows(const std::string& text) {
    std::vector<std::string> out;
    for (auto& l : lines_of(text))
        if (!l.empty() && l[0] != '#') out.push_back(l);
    return out;
}

// Row of `pos1` in a count TSV, split into fields.
std::vector<std::string> row_at(const std::string& text, std::int64_t pos1) {
    for (const auto& l : data_rows(text)) {
        auto f = fields_of(l);
        if (f.size() > 1 && f[1] == std::to_string(pos1)) return f;
    }
    return {};
}

std::int64_t target_length(const std::vector<int>& exons) {
    std::int64_t n = 0;
    for (const auto& t : GenomeModel::builtin(Build::kGRCh38).targets({"KIT"}, exons)) n += t.end - t.begin;
    return n;
}

TEST(CountCli, GeneratedBam_HeaderThenOneRowPerTargetPosition) {
    const auto& g = test::standard_bam();
    const auto r = run_kitrx("count '" + g.path + "' --exons 11,13,17", test::temp_dir("count_basic"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto lines = lines_of(r.out);
    ASSERT_GT(lines.size(), 12u);
    EXPECT_EQ(lines[0].rfind("##kitrx_version=", 0), 0u);
    EXPECT_EQ(lines[1].rfind("##command=kitrx count ", 0), 0u);
    EXPECT_NE(r.out.find("##build=GRCh38 (@SQ SN:chr4 LN:190214555)\n"), std::string::npos);
    EXPECT_NE(
        r.out.find(
            "##filters=min_mapq=20;min_baseq=20;duplicates=skipped;secondary=skipped;supplementary=skipped;"
            "qcfail=skipped;max_depth=none\n"),
        std::string::npos);
    EXPECT_NE(r.out.find("\n#chrom\tpos\tref\tdepth\tA\tC\tG\tT\tN\tdel\t"), std::string::npos);
    EXPECT_EQ(static_cast<std::int64_t>(data_rows(r.out).size()), target_length({11, 13, 17}));
    // D816V: T column (index 7) and depth (3) equal the generator's truth.
    const auto d816 = row_at(r.out, 54733155);
    ASSERT_EQ(d816.size(), 24u);
    EXPECT_EQ(d816[2], "A");
    EXPECT_EQ(d816[23], "KIT_exon17");
    std::size_t v = 0;
    while (g.truth.variants[v].pos0 != 54733154) ++v;
    EXPECT_EQ(d816[7], std::to_string(g.truth.expected_alt(v)));
    EXPECT_EQ(d816[3], std::to_string(g.truth.expected_depth(54733154)));
    // The MNV is listed at its first base, bam-readcount style: REF>ALT:total:fwd:rev.
    const auto mnv = row_at(r.out, 54733160);
    ASSERT_EQ(mnv.size(), 24u);
    EXPECT_EQ(mnv[22].rfind("AA>TG:", 0), 0u) << mnv[22];
}

TEST(CountCli, NoVersion_IsByteIdenticalAcrossRunsAndThreadCounts) {
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("count_deterministic");
    const auto a = run_kitrx("count --no-version '" + g.path + "'", dir);
    const auto b = run_kitrx("count --no-version -@ 2 '" + g.path + "'", dir);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out.find("kitrx_version"), std::string::npos);
    EXPECT_EQ(a.out.find("##command"), std::string::npos);
    EXPECT_EQ(a.out, b.out);
}

TEST(CountCli, Stdin_GivesTheSameCountsAsThePath) {
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("count_stdin");
    const auto file = run_kitrx("count --no-version '" + g.path + "'", dir);
    const auto piped = run_shell("cat '" + g.path + "' | \"$KITRX\" count --no-version -", dir);
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    EXPECT_NE(piped.out.find("##input=-\n"), std::string::npos);
    EXPECT_NE(piped.out.find("(streamed)"), std::string::npos);
    EXPECT_EQ(data_rows(piped.out), data_rows(file.out));
}

TEST(CountCli, OutputFile_WrittenOnSuccess_NotCreatedOnFailure) {
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("count_output");
    const auto ok = run_kitrx("count -o counts.tsv '" + g.path + "'", dir);
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(ok.out, "");
    EXPECT_GT(test::slurp(dir + "/counts.tsv").size(), 1000u);
    const auto bad = run_kitrx("count -o failed.tsv --build GRCh99 '" + g.path + "'", dir);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_FALSE(test::file_exists(dir + "/failed.tsv"));
    const auto missing = run_kitrx("count -o failed.tsv missing.bam", dir);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("cannot open 'missing.bam'"), std::string::npos) << missing.err;
    EXPECT_FALSE(test::file_exists(dir + "/failed.tsv"));
}

TEST(CountCli, AllelesAndHotspots_CallsAndNotDetectedRowsWithLimitOfDetection) {
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("count_calls");
    const auto r =
        run_kitrx("count -o /dev/null --alleles alleles.tsv --hotspots hotspots.tsv '" + g.path + "'", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string alleles = test::slurp(dir + "/alleles.tsv");
    EXPECT_NE(alleles.find("##calling=background_error=0.001"), std::string::npos);
    const auto d816 = row_at(alleles, 54733155);
    ASSERT_EQ(d816.size(), 18u);
    EXPECT_EQ(d816[3], "T");
    EXPECT_EQ(d816[17], "yes");
    std::map<std::string, std::vector<std::string>> hs;
    for (const auto& l : data_rows(test::slurp(dir + "/hotspots.tsv"))) {
        auto f = fields_of(l);
        hs[f.at(1)] = f;
    }
    ASSERT_EQ(hs.size(), 7u);
    EXPECT_EQ(hs["D816*"][6], "detected");
    EXPECT_EQ(hs["V654A"][6], "detected");
    EXPECT_EQ(hs["T670I"][6], "not_covered");
    EXPECT_EQ(hs["Y823D"][6], "not_detected");
    EXPECT_NE(hs["Y823D"][8], "NA");  // a limit of detection at the observed depth
    EXPECT_LT(std::stod(hs["Y823D"][8]), 0.2);
}

TEST(CountCli, UsageErrors_ExitTwo) {
    const std::string dir = test::temp_dir("count_usage");
    auto r = run_kitrx("count", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing INPUT"), std::string::npos) << r.err;
    r = run_kitrx("count --min-baseq -1 x.bam", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--min-baseq"), std::string::npos) << r.err;
    r = run_kitrx("count --exons eleven x.bam", dir);
    EXPECT_EQ(r.exit_code, 2);
    r = run_kitrx("count --genes BRAF " + test::standard_bam().path, dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown gene 'BRAF'"), std::string::npos) << r.err;
}

TEST(CountCli, VcfInput_ExitOneWithHint) {
    const std::string dir = test::temp_dir("count_vcf");
    std::ofstream(dir + "/x.vcf") << "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    const auto r = run_kitrx("count x.vcf", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("x.vcf: not a BAM, CRAM or SAM file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("kitrx annotate"), std::string::npos) << r.err;
}

bool have_samtools() {
    return std::system("samtools --version > /dev/null 2>&1") == 0;
}

TEST(CountCli, CramWithoutReference_ExitOneWithHint) {
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed (needed to write the CRAM)";
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("count_cram");
    test::write_reference_fasta(g.spec, dir + "/ref.fa.gz");
    ASSERT_EQ(run_shell("samtools view -C -T ref.fa.gz -o x.cram '" + g.path + "'", dir).exit_code, 0);
    const auto r = run_kitrx("count x.cram", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("x.cram: CRAM input needs the reference FASTA"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("-f/--reference"), std::string::npos) << r.err;
    const auto ok = run_kitrx("count --build GRCh38 -f ref.fa.gz --no-version x.cram", dir);
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(data_rows(ok.out), data_rows(run_kitrx("count --no-version '" + g.path + "'", dir).out));
}

// Security regression (issue 19 item 2): a -f FASTA whose contig is named "4" while the CRAM says
// "chr4" made htslib fall back to the @SQ UR: URL and download it. A local HTTP server stands in
// for the remote reference: kitrx must fail with a naming error and the server must see nothing.
TEST(CountCli, CramReferenceMismatch_NeverFollowsUrTag) {
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed (needed to write the CRAM)";
    if (std::system("python3 -c 'import http.server' > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3 not available for the stand-in HTTP server";
    const auto& g = test::standard_bam();
    const std::string dir = test::temp_dir("count_cram_ur");
    test::write_reference_fasta(g.spec, dir + "/ref.fa.gz");
    const std::string script =
        "set -e; samtools view -C -T ref.fa.gz -o x.cram '" + g.path +
        "'; "
        "zcat ref.fa.gz | sed 's/^>chr4/>4/' > other.fa; samtools faidx other.fa; "
        "python3 -m http.server 0 --bind 127.0.0.1 > server.log 2>&1 & srv=$!; "
        "for i in $(seq 1 100); do grep -q 'port' server.log && break; sleep 0.05; done; "
        "port=$(sed -n 's/.*port \\([0-9]*\\).*/\\1/p' server.log | head -1); "
        "samtools view -H x.cram | sed \"s|^@SQ.*|&\tUR:http://127.0.0.1:$port/ref.fa|\" > h.sam; "
        "samtools reheader h.sam x.cram > y.cram; "
        "rc=0; \"$KITRX\" count --build GRCh38 -f other.fa y.cram > out.tsv 2> err.txt || rc=$?; echo $rc > "
        "rc; "
        "sleep 0.3; kill $srv; wait $srv 2>/dev/null || true; grep -c 'GET' server.log > gets || true";
    const auto r = run_shell(script, dir);
    ASSERT_TRUE(std::ifstream(dir + "/rc").good()) << r.err << r.out;
    std::string rc, gets, err, header;
    std::getline(std::ifstream(dir + "/rc"), rc);
    std::getline(std::ifstream(dir + "/gets"), gets);
    std::getline(std::ifstream(dir + "/err.txt"), err);
    std::ifstream h(dir + "/h.sam");
    std::string all((std::istreambuf_iterator<char>(h)), std::istreambuf_iterator<char>());
    ASSERT_NE(all.find("UR:http://127.0.0.1:"), std::string::npos) << "fixture lacks the UR tag: " << all;
    EXPECT_EQ(rc, "1") << err;
    EXPECT_NE(err.find("has no contig 'chr4'"), std::string::npos) << err;
    EXPECT_NE(err.find("never fetches"), std::string::npos) << err;
    EXPECT_EQ(gets, "0") << "kitrx requested the reference over HTTP";
}

// --- comparison with samtools mpileup --------------------------------------------------------

struct Pile {
    std::map<std::string, int> bases;   // A C G T N del
    std::map<std::string, int> indels;  // "+SEQ" or "-<length>"
    bool operator==(const Pile& o) const { return bases == o.bases && indels == o.indels; }
};

std::string describe(const Pile& p) {
    std::string s;
    for (const auto& [k, v] : p.bases) s += k + "=" + std::to_string(v) + " ";
    for (const auto& [k, v] : p.indels) s += k + "=" + std::to_string(v) + " ";
    return s;
}

std::map<std::int64_t, Pile> parse_mpileup(const std::string& text) {
    std::map<std::int64_t, Pile> out;
    for (const auto& l : lines_of(text)) {
        const auto f = fields_of(l);
        if (f.size() < 5) continue;
        Pile p;
        const std::string& s = f[4];
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '^') {
                ++i;
            } else if (c == '$' || c == '>' || c == '<') {
            } else if (c == '+' || c == '-') {
                std::size_t j = i + 1, n = 0;
                while (std::isdigit(static_cast<unsigned char>(s[j])))
                    n = n * 10 + static_cast<std::size_t>(s[j++] - '0');
                std::string seq = s.substr(j, n);
                for (auto& ch : seq) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                ++p.indels[c == '+' ? "+" + seq : "-" + std::to_string(n)];
                i = j + n - 1;
            } else if (c == '*' || c == '#') {
                ++p.bases["del"];
            } else {
                ++p.bases[std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(c))))];
            }
        }
        out[std::stoll(f[1])] = p;
    }
    return out;
}

std::map<std::int64_t, Pile> parse_count(const std::string& text, bool with_indels) {
    std::map<std::int64_t, Pile> out;
    const char* names[] = {"A", "C", "G", "T", "N", "del"};
    for (const auto& l : data_rows(text)) {
        const auto f = fields_of(l);
        Pile p;
        for (int i = 0; i < 6; ++i)
            if (f[static_cast<std::size_t>(4 + i)] != "0")
                p.bases[names[i]] = std::stoi(f[static_cast<std::size_t>(4 + i)]);
        if (with_indels && f[22] != ".") {
            std::istringstream in(f[22]);
            for (std::string a; std::getline(in, a, ',');) {
                const std::string allele = a.substr(0, a.find(':'));
                const int n = std::stoi(a.substr(a.find(':') + 1));
                if (allele[0] == '+') p.indels[allele] += n;
                if (allele[0] == '-') p.indels["-" + std::to_string(allele.size() - 1)] += n;
            }
        }
        out[std::stoll(f[1])] = p;
    }
    return out;
}

// mpileup over the KIT exon 11 and 17 targets with filters equivalent to kitrx's defaults.
std::map<std::int64_t, Pile> mpileup(const std::string& bam, bool overlap_detection, const std::string& dir) {
    std::string text;
    for (const auto& t : GenomeModel::builtin(Build::kGRCh38).targets({"KIT"}, {11, 17})) {
        const auto r = run_shell(
            "samtools mpileup -B -Q 20 -q 20 -d 0 -A --ff UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY " +
                std::string(overlap_detection ? "" : "-x ") + "-r chr4:" + std::to_string(t.begin + 1) + "-" +
                std::to_string(t.end) + " '" + bam + "'",
            dir);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        text += r.out;
    }
    return parse_mpileup(text);
}

std::int64_t differing_positions(const std::map<std::int64_t, Pile>& kitrx,
                                 const std::map<std::int64_t, Pile>& mp) {
    std::int64_t n = 0;
    for (const auto& [pos, pile] : kitrx) {
        const auto it = mp.find(pos);
        const Pile empty;
        const Pile& other = it == mp.end() ? empty : it->second;
        if (!(pile == other)) {
            if (++n <= 5)
                ADD_FAILURE() << "position " << pos << ": kitrx " << describe(pile) << "| mpileup "
                              << describe(other);
        }
    }
    return n;
}

// A BAM where kitrx's and mpileup's definitions coincide: no sequencing errors and no
// low-quality bases (so mates never disagree), but duplicates, low MAPQ, QC-fail, secondary,
// supplementary records, overlapping pairs, a 60 bp deletion and an insertion.
std::string clean_spec() {
    const std::string del = test::reference_bases(Build::kGRCh38, 54727439, 54727500);
    const std::string a = test::reference_bases(Build::kGRCh38, 54727499, 54727500);
    return "seed 5\nbuild GRCh38\nsample MP\nread_length 100\ninsert 110 300\nregion KIT:11\nregion KIT:17\n"
           "fragments 500\nduplicates 0.1\nlow_mapq 0.03\nqcfail 0.02\nsecondary 0.02\nsupplementary 0.02\n"
           "variant 54733155 A T 0.08\nvariant 54727440 " +
           del + " " + del.substr(0, 1) + " 0.07\nvariant 54727500 " + a + " " + a + "GGG 0.05\n";
}

TEST(CountVsMpileup, CleanBam_ReadModeEqualsMpileupWithoutOverlapDetection) {
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed";
    const auto& g = test::generated_bam("mpileup_clean", clean_spec());
    const std::string dir = test::temp_dir("mpileup_clean_reads");
    const auto k = run_kitrx("count --count-reads --exons 11,17 '" + g.path + "'", dir);
    ASSERT_EQ(k.exit_code, 0) << k.err;
    EXPECT_EQ(differing_positions(parse_count(k.out, true), mpileup(g.path, false, dir)), 0);
}

TEST(CountVsMpileup, CleanBam_FragmentModeEqualsMpileupOverlapDetection) {
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed";
    const auto& g = test::generated_bam("mpileup_clean", clean_spec());
    const std::string dir = test::temp_dir("mpileup_clean_fragments");
    const auto k = run_kitrx("count --exons 11,17 '" + g.path + "'", dir);
    ASSERT_EQ(k.exit_code, 0) << k.err;
    EXPECT_EQ(differing_positions(parse_count(k.out, true), mpileup(g.path, true, dir)), 0);
}

TEST(CountVsMpileup, NoisyBam_ReadModeBaseCountsEqualMpileup) {
    // Errors and low-quality bases: base counts per read still agree exactly. Indel counts are
    // not compared: kitrx requires the indel's flanking bases to pass min_baseq and normalises
    // indels (an error inside an insertion can move it), mpileup does neither.
    if (!have_samtools()) GTEST_SKIP() << "samtools not installed";
    std::string spec = clean_spec();
    spec += "errors 0.005\nlow_quality 0.03\n";
    const auto& g = test::generated_bam("mpileup_noisy", spec);
    const std::string dir = test::temp_dir("mpileup_noisy_reads");
    const auto k = run_kitrx("count --count-reads --exons 11,17 '" + g.path + "'", dir);
    ASSERT_EQ(k.exit_code, 0) << k.err;
    auto mp = mpileup(g.path, false, dir);
    for (auto& [pos, pile] : mp) pile.indels.clear();
    EXPECT_EQ(differing_positions(parse_count(k.out, false), mp), 0);
}

TEST(CountCli, AccessDuplex_D816VHotspotRow) {
    const std::string dir = test::temp_dir("count_access");
    const auto r = run_kitrx("count -o /dev/null --hotspots - --exons 17 '" +
                                 test::test_data("bam/mskaccess_seracare_ctdna_duplex.KIT.GRCh37.bam") + "'",
                             dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::vector<std::string>> hs;
    for (const auto& l : data_rows(r.out)) {
        auto f = fields_of(l);
        hs[f.at(1)] = f;
    }
    ASSERT_EQ(hs.count("D816*"), 1u);
    EXPECT_EQ(hs["D816*"][6], "detected");
    EXPECT_EQ(hs["D816*"][10], "55599321 A>T");
    EXPECT_EQ(hs["D816*"][11], "58");  // fragments; see AccessDuplex test in bam_counts_test
    EXPECT_EQ(hs["D816*"][12], "1174");
    EXPECT_EQ(hs["D820*"][6], "not_detected");
}

// --exons GENE:EXON limits that gene to the exon; the other selected genes keep their default
// exons (PDGFRA 12, 14, 18 per the --exons help). Before, the gene was dropped and exon 9 applied
// to every gene.
TEST(CountCli, GeneQualifiedExons_LimitOnlyThatGene) {
    const std::string dir = test::temp_dir("count_gene_exons");
    const std::string bam = "'" + test::standard_bam().path + "'";
    auto r = run_kitrx("count --exons KIT:9 " + bam, dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("##targets=KIT:9 (coding bases"), std::string::npos) << r.out.substr(0, 2000);
    r = run_kitrx("count --genes KIT,PDGFRA --exons KIT:9 " + bam, dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("##targets=PDGFRA:12,14,18;KIT:9 (coding bases"), std::string::npos)
        << r.out.substr(0, 2000);
    r = run_kitrx("targets --genes KIT,PDGFRA --exons 11,kit:9", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("PDGFRA_exon9"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("PDGFRA_exon11"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("KIT_exon9"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("KIT_exon11"), std::string::npos) << r.out;
    r = run_kitrx("count --exons PDGFRA:12 " + bam, dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("exon 'PDGFRA:12' in --exons names a gene not in --genes (KIT)"), std::string::npos)
        << r.err;
}

}  // namespace
}  // namespace kitrx
