// SPDX-License-Identifier: MIT
// Expected names come from independent sources (known_variants.tsv: DoCM, ClinVar, CIViC, GeneBe
// with its own c./p. checks; MSK hotspot list; Illumina TSO500 output) or are derived by hand in
// the comments from the CDS (resources/genome/KIT.cds.fa). GRCh37 exon 11 starts at
// chr4:55593582 = c.1648, so c.N in exon 11 is at 55593582 + (N - 1648); GRCh38 KIT exons 2-21
// are 866166 lower, exon 1 and PDGFRA 866167 lower.
#include "kitrx/genome/hgvs.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "kitrx/genome/protein_change.hpp"
#include "test_paths.hpp"

namespace kitrx {
namespace {

constexpr std::int64_t kKitOffset38 = 866166;  // GRCh37 - GRCh38, KIT exons 2-21

VariantName name(
    Build build, const std::string& gene, std::int64_t pos1, const std::string& ref, const std::string& alt) {
    return VariantNamer(GenomeModel::builtin(build)).name(gene, pos1 - 1, ref, alt);
}
VariantName kit37(std::int64_t pos1, const std::string& ref, const std::string& alt) {
    return name(Build::kGRCh37, "KIT", pos1, ref, alt);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string x;
    while (std::getline(ss, x, sep)) out.push_back(x);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

using Row = std::map<std::string, std::string>;

std::vector<Row> load_known_variants() {
    std::ifstream in(test::test_data("reference/known_variants.tsv"));
    std::vector<Row> rows;
    std::string line;
    if (!std::getline(in, line)) return rows;
    const auto header = split(line, '\t');
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto v = split(line, '\t');
        Row r;
        for (std::size_t i = 0; i < header.size() && i < v.size(); ++i) r[header[i]] = v[i];
        rows.push_back(r);
    }
    return rows;
}

// ------------------------------------------------------------------------------------------------
// known_variants.tsv: every row, both builds, both genes.

TEST(VariantNamerKnownVariants, EveryRowGetsItsExactCAndPNameAndExon) {
    const auto rows = load_known_variants();
    ASSERT_EQ(rows.size(), 92u)
        << "46 variants x 2 builds expected in test-data/reference/known_variants.tsv";
    for (const auto& r : rows) {
        const Build build = *parse_build(r.at("build"));
        const VariantNamer namer(GenomeModel::builtin(build));
        const std::int64_t pos0 = std::stoll(r.at("pos")) - 1;
        SCOPED_TRACE(r.at("variant_id") + " " + r.at("build"));
        EXPECT_EQ(namer.check_ref(pos0, r.at("ref")), "");
        EXPECT_EQ(namer.gene_at(pos0, r.at("ref").size()), r.at("gene"));
        const VariantName n = namer.name(r.at("gene"), pos0, r.at("ref"), r.at("alt"));
        EXPECT_EQ(n.gene, r.at("gene"));
        EXPECT_EQ(n.hgvs_c, r.at("hgvs_c"));
        EXPECT_EQ("p." + n.protein, r.at("hgvs_p_1letter"));  // table writes p.D816V, protein is D816V
        EXPECT_EQ(n.hgvs_p, r.at("hgvs_p_3letter"));
        EXPECT_EQ(n.exon, std::stoi(r.at("exon")));
        EXPECT_GT(n.codon_begin, 0);
        EXPECT_GE(n.codon_end, n.codon_begin);
    }
}

// The consequence follows from the class of each row's published p./c. name: X123Y missense,
// "=" synonymous, fs frameshift, del/dup/ins in-frame; a protein delins is protein_altering
// unless the DNA change is a pure deletion (S566_E571delinsR = c.1698_1712del) or an MNV that
// changes one residue (P567L, D842I: missense).
TEST(VariantNamerKnownVariants, ConsequenceMatchesTheClassOfThePublishedName) {
    auto ends_with = [](const std::string& s, const std::string& e) {
        return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
    };
    for (const auto& r : load_known_variants()) {
        const std::string& p = r.at("hgvs_p_1letter");
        const std::string& c = r.at("hgvs_c");
        std::string expected = "missense_variant";
        if (ends_with(p, "="))
            expected = "synonymous_variant";
        else if (p.find("fs") != std::string::npos)
            expected = "frameshift_variant";
        else if (ends_with(p, "dup"))
            expected = "inframe_insertion";
        else if (p.find("delins") != std::string::npos)
            expected = ends_with(c, "del") ? "inframe_deletion" : "protein_altering_variant";
        else if (p.find("ins") != std::string::npos)
            expected = "inframe_insertion";
        else if (ends_with(p, "del"))
            expected = "inframe_deletion";
        const auto n = name(*parse_build(r.at("build")), r.at("gene"), std::stoll(r.at("pos")), r.at("ref"),
                            r.at("alt"));
        EXPECT_EQ(to_string(n.consequence), expected) << r.at("variant_id") << " " << r.at("build");
        EXPECT_EQ(n.is_indel, r.at("ref").size() != r.at("alt").size()) << r.at("variant_id");
    }
}

TEST(VariantNamer, DomainComesFromTheExon) {
    EXPECT_EQ(kit37(55599321, "A", "T").domain, "activation loop");  // D816V, exon 17
    EXPECT_EQ(kit37(55593613, "T", "A").domain, "juxtamembrane");    // V560D, exon 11
    EXPECT_EQ(name(Build::kGRCh37, "PDGFRA", 55152093, "A", "T").domain, "activation loop");  // D842V
}

// ------------------------------------------------------------------------------------------------
// 3' rule traps reported against other tools.

// Ensembl VEP issue 420: chr4:55593613 TTGA>T deletes c.1680_1682 (TGA). Codons 560-562 are
// GTT GAG GAG; the mutant reads GTG GAG ATx: Val, Glu, Ile, i.e. one of the two Glu (561, 562)
// is gone and the 3' rule names the second: p.Glu562del, not 561.
TEST(VariantNamerTraps, VepIssue420_DeletionInGluGluIsGlu562del) {
    const auto n = kit37(55593613, "TTGA", "T");
    EXPECT_EQ(n.hgvs_c, "c.1680_1682del");
    EXPECT_EQ(n.hgvs_p, "p.Glu562del");
    EXPECT_EQ(n.protein, "E562del");
    EXPECT_EQ(n.codon_begin, 562);
    EXPECT_EQ(n.codon_end, 562);
    const auto n38 = name(Build::kGRCh38, "KIT", 55593613 - kKitOffset38, "TTGA", "T");
    EXPECT_EQ(n38.hgvs_c, "c.1680_1682del");
    EXPECT_EQ(n38.hgvs_p, "p.Glu562del");
}

// ANNOVAR doc issue 190: GGTT>G at 55593608 deletes c.1675_1677 (GTT, Val559) as written, but
// c.1675-1684 is GTT GTT GAG G: the deletion slides 3' while the next base repeats the first
// deleted one, four times, to c.1679_1681 (TTG); at protein level one of Val559/Val560 is lost,
// named Val560.
TEST(VariantNamerTraps, AnnovarIssue190_ValValRepeatIsV560del) {
    const auto n = kit37(55593608, "GGTT", "G");
    EXPECT_EQ(n.hgvs_c, "c.1679_1681del");
    EXPECT_EQ(n.hgvs_p, "p.Val560del");
    EXPECT_EQ(n.protein, "V560del");
    EXPECT_TRUE(n.is_indel);
    // VCF form after the shift: anchor c.1678 (G) at 55593612.
    EXPECT_EQ(n.norm_pos0, 55593612 - 1);
    EXPECT_EQ(n.norm_ref, "GTTG");
    EXPECT_EQ(n.norm_alt, "G");
}

// ------------------------------------------------------------------------------------------------
// Same event, different input alignment: same name.

TEST(VariantNamerNormalisation, LeftAndRightShiftedV560delGetTheSameName) {
    // 55593608 GGTT>G (left-aligned), 55593609 GTTG>G, 55593612 GTTG>G (right-aligned).
    for (const auto& [pos1, ref] : std::vector<std::pair<std::int64_t, std::string>>{
             {55593608, "GGTT"}, {55593609, "GTTG"}, {55593612, "GTTG"}}) {
        const auto n = kit37(pos1, ref, "G");
        EXPECT_EQ(n.hgvs_c, "c.1679_1681del") << pos1;
        EXPECT_EQ(n.protein, "V560del") << pos1;
        EXPECT_EQ(n.norm_pos0, 55593612 - 1) << pos1;
    }
}

TEST(VariantNamerNormalisation, W557_K558delInItsAlternativePositions) {
    // c.1666-1675 = CAG TGG AAG G. Deleting 6 bases: AGTGGA (c.1667-1672, left-aligned as DoCM
    // writes it), GTGGAA, TGGAAG (c.1669-1674, the 3'-most) all leave CAG|GTT.
    for (const auto& [pos1, ref] : std::vector<std::pair<std::int64_t, std::string>>{
             {55593600, "CAGTGGA"}, {55593601, "AGTGGAA"}, {55593602, "GTGGAAG"}}) {
        const auto n = kit37(pos1, ref, ref.substr(0, 1));
        EXPECT_EQ(n.hgvs_c, "c.1669_1674del") << pos1;
        EXPECT_EQ(n.hgvs_p, "p.Trp557_Lys558del") << pos1;
        EXPECT_EQ(n.protein, "W557_K558del") << pos1;
        EXPECT_EQ(n.norm_pos0, 55593602 - 1) << pos1;
        EXPECT_EQ(n.norm_ref, "GTGGAAG") << pos1;
    }
    // MSK writes one W557_K558del as the non-minimal TACAGTGGA>TGC: the DNA is a delins
    // (c.1665_1672delinsGC) whose protein result is still the deletion of W557-K558.
    const auto msk = kit37(55593598, "TACAGTGGA", "TGC");
    EXPECT_EQ(msk.hgvs_c, "c.1665_1672delinsGC");
    EXPECT_EQ(msk.protein, "W557_K558del");
    EXPECT_EQ(msk.consequence, Consequence::kInframeDeletion);
}

TEST(VariantNamerNormalisation, LowerCaseAllelesAreAccepted) {
    EXPECT_EQ(kit37(55593600, "cagtgga", "c").protein, "W557_K558del");
}

// A502_Y503dup: 55592178 C>CTGCCTA inserts TGCCTA after c.1503; c.1504-1509 is GCC TAT (Ala502
// Tyr503), so the 3'-shifted insertion after c.1509 repeats c.1504-1509: c.1504_1509dup. Written
// right-aligned (55592185 T>TGCCTAT) it is the same event.
TEST(VariantNamerNormalisation, InsertionRepeatingPrecedingBasesIsDup) {
    for (const auto& [pos1, ref, alt] : std::vector<std::tuple<std::int64_t, std::string, std::string>>{
             {55592178, "C", "CTGCCTA"}, {55592185, "T", "TGCCTAT"}}) {
        const auto n = kit37(pos1, ref, alt);
        EXPECT_EQ(n.hgvs_c, "c.1504_1509dup") << pos1;
        EXPECT_EQ(n.hgvs_p, "p.Ala502_Tyr503dup") << pos1;
        EXPECT_EQ(n.protein, "A502_Y503dup") << pos1;
        EXPECT_EQ(n.consequence, Consequence::kInframeInsertion);
        EXPECT_EQ(n.codon_begin, 502);
        EXPECT_EQ(n.codon_end, 503);
        EXPECT_EQ(n.exon, 9);
    }
}

// ------------------------------------------------------------------------------------------------
// Protein-level 3' rule beyond what the DNA shift reaches.

// KIT c.1693-1704 = GGA AAC AAT TAT (Gly565 Asn566 Asn567 Tyr568): the two Asn use different
// codons. Deleting codon 566 exactly (55593629 AAAC>A, c.1696_1698del) slides at DNA level only
// to c.1698_1700 (CAA; c.1699 A, c.1700 A repeat c.1696-1697, c.1701 T differs from c.1698 C).
// The mutant reads GGA AAT TAT: one Asn is lost, and the protein 3' rule names Asn567.
TEST(VariantNamerProteinShift, DeletionInAsnAsnIsNamedAtTheSecondAsn) {
    const auto n = kit37(55593629, "AAAC", "A");
    EXPECT_EQ(n.hgvs_c, "c.1698_1700del");
    EXPECT_EQ(n.hgvs_p, "p.Asn567del");
    EXPECT_EQ(n.protein, "N567del");
    EXPECT_EQ(n.codon_begin, 567);
}

// Inserting AAC after c.1701 (55593635 T>TAAC) gives AAC AAT AAC TAT: Asn Asn Asn Tyr. The DNA
// insertion copies neither the 3 bases before (AAT) nor after (TAT), so c. is an insertion; the
// protein gains one Asn after Asn566-Asn567: p.Asn567dup.
TEST(VariantNamerProteinShift, InsertionOfARepeatedResidueIsProteinDup) {
    const auto n = kit37(55593635, "T", "TAAC");
    EXPECT_EQ(n.hgvs_c, "c.1701_1702insAAC");
    EXPECT_EQ(n.hgvs_p, "p.Asn567dup");
    EXPECT_EQ(n.protein, "N567dup");
    EXPECT_EQ(n.consequence, Consequence::kInframeInsertion);
}

// ------------------------------------------------------------------------------------------------
// Classes outside the table.

// c.1669del (55593602 GT>G): codon 557 TGG loses its T; the new frame reads GGA (Gly) at 557 and
// reaches a stop 7 codons on counting Gly557 as 1 (translated independently with a Python
// script from KIT.cds.fa, which also reproduces the table's c.1681dup = E561Gfs*19).
TEST(VariantNamerClasses, FrameshiftNamesFirstChangedResidueAndStopDistance) {
    const auto n = kit37(55593602, "GT", "G");
    EXPECT_EQ(n.hgvs_c, "c.1669del");
    EXPECT_EQ(n.hgvs_p, "p.Trp557GlyfsTer7");
    EXPECT_EQ(n.protein, "W557Gfs*7");
    EXPECT_EQ(n.consequence, Consequence::kFrameshift);
}

// c.1671G>A: TGG (Trp557) -> TGA (stop).
TEST(VariantNamerClasses, NonsenseIsTrpToTer) {
    const auto n = kit37(55593605, "G", "A");
    EXPECT_EQ(n.hgvs_c, "c.1671G>A");
    EXPECT_EQ(n.hgvs_p, "p.Trp557Ter");
    EXPECT_EQ(n.protein, "W557*");
    EXPECT_EQ(n.consequence, Consequence::kNonsense);
    EXPECT_EQ(to_string(n.consequence), "stop_gained");
}

// c.1A>G: ATG -> GTG. KIT c.1 is GRCh37 55524182 / GRCh38 54658015 (exon 1, offset 866167).
TEST(VariantNamerClasses, StartLossIsMet1Unknown) {
    for (const auto& [build, pos1] :
         {std::pair{Build::kGRCh37, 55524182LL}, std::pair{Build::kGRCh38, 54658015LL}}) {
        const auto n = name(build, "KIT", pos1, "A", "G");
        EXPECT_EQ(n.hgvs_c, "c.1A>G");
        EXPECT_EQ(n.hgvs_p, "p.Met1?");
        EXPECT_EQ(n.protein, "M1?");
        EXPECT_EQ(n.consequence, Consequence::kStartLost);
        EXPECT_EQ(n.exon, 1);
    }
}

// c.2929T>C: stop TGA -> CGA (Arg). Translating on from c.2929 through the 3' UTR (Python, from
// the shipped GRCh37 window) gives R AESVFGSPLQE *: the new stop is the 12th codon after the
// old one.
TEST(VariantNamerClasses, StopLossIsAnExtension) {
    for (const auto& [build, pos1] :
         {std::pair{Build::kGRCh37, 55604721LL}, std::pair{Build::kGRCh38, 55604721LL - kKitOffset38}}) {
        const auto n = name(build, "KIT", pos1, "T", "C");
        EXPECT_EQ(n.hgvs_c, "c.2929T>C");
        EXPECT_EQ(n.hgvs_p, "p.Ter977ArgextTer12");
        EXPECT_EQ(n.protein, "*977Rext*12");
        EXPECT_EQ(n.consequence, Consequence::kStopLost);
        EXPECT_EQ(n.exon, 21);
    }
}

// c.2930G>A: TGA -> TAA, still a stop.
TEST(VariantNamerClasses, StopToStopIsSynonymous) {
    const auto n = kit37(55604722, "G", "A");
    EXPECT_EQ(n.hgvs_p, "p.Ter977=");
    EXPECT_EQ(n.protein, "*977=");
    EXPECT_EQ(n.consequence, Consequence::kSynonymous);
}

// c.1680T>A: GTT -> GTA, still Val560 (MSK hotspot "V560=").
TEST(VariantNamerClasses, SynonymousNamesTheResidue) {
    const auto n = kit37(55593614, "T", "A");
    EXPECT_EQ(n.hgvs_p, "p.Val560=");
    EXPECT_EQ(n.protein, "V560=");
    EXPECT_EQ(n.codon_begin, 560);
    EXPECT_FALSE(n.is_indel);
}

// ------------------------------------------------------------------------------------------------
// Splice site / region / intron. GRCh37 bases: exon 10 ends at 55593490 (c.1647) followed by
// GTAACCATTT (+1..+10); intron 10 ends CTCCCCACA at 55593572-55593580, then exon 11 (c.1648 =
// 55593582; -1 = G at 55593581, -2 = A at 55593580).

TEST(VariantNamerSplice, AcceptorMinus2IsSpliceSiteOfExon11) {
    const auto n = kit37(55593580, "A", "G");
    EXPECT_EQ(n.hgvs_c, "c.1648-2A>G");
    EXPECT_EQ(n.hgvs_p, "p.?");
    EXPECT_EQ(n.protein, "?");
    EXPECT_EQ(n.consequence, Consequence::kSpliceSite);
    EXPECT_EQ(n.exon, 11);
    EXPECT_EQ(n.intron, 10);
    EXPECT_EQ(n.codon_begin, 0);
    EXPECT_EQ(n.domain, "juxtamembrane");
}

TEST(VariantNamerSplice, DonorPlus1IsSpliceSiteOfExon10) {
    const auto n = kit37(55593491, "G", "A");
    EXPECT_EQ(n.hgvs_c, "c.1647+1G>A");
    EXPECT_EQ(n.consequence, Consequence::kSpliceSite);
    EXPECT_EQ(n.exon, 10);
    EXPECT_EQ(n.intron, 10);
}

TEST(VariantNamerSplice, MinusFiveIsSpliceRegion_PlusTenIsIntronic) {
    const auto region = kit37(55593577, "C", "T");
    EXPECT_EQ(region.hgvs_c, "c.1648-5C>T");
    EXPECT_EQ(region.hgvs_p, "p.?");
    EXPECT_EQ(region.consequence, Consequence::kSpliceRegion);
    EXPECT_EQ(region.exon, 11);
    const auto deep = kit37(55593500, "T", "A");
    EXPECT_EQ(deep.hgvs_c, "c.1647+10T>A");
    EXPECT_EQ(deep.hgvs_p, "p.(=)");
    EXPECT_EQ(deep.consequence, Consequence::kIntronic);
    EXPECT_EQ(deep.exon, 0);
    EXPECT_EQ(deep.intron, 10);
}

// hmftools testInframeDueToMicrohomology: 4:55593579 CAGAAACCCATGTATGAAGTACAGTGGA>C deletes
// c.1648-2 .. c.1672 (the acceptor AG plus 25 exonic bases; SnpEff: frameshift p.Lys550fs). The
// two bases after the deletion, c.1673-1674, are again "AG", so the mutant molecule is exactly the
// exonic c.1648_1674del: 27 bases = codons 550-558 (KPMYEVQWK), acceptor AG in place, in frame.
// Decision: c. keeps the boundary-spanning name (the 3' shift does not cross an intron/exon
// border), p. and the consequence follow the exonic reading: p.Lys550_Lys558del, exon 11.
// Written right-aligned (55593581 GAAACCC...GGAAG>G) it is the same event and gets the same name.
TEST(VariantNamerSplice, DeletionAcrossIntron10Exon11BoundaryIsInframeViaMicrohomology) {
    for (const auto& [pos1, ref, alt] : std::vector<std::tuple<std::int64_t, std::string, std::string>>{
             {55593579, "CAGAAACCCATGTATGAAGTACAGTGGA", "C"},
             {55593581, "GAAACCCATGTATGAAGTACAGTGGAAG", "G"}}) {
        const auto n = kit37(pos1, ref, alt);
        EXPECT_EQ(n.hgvs_c, "c.1648-2_1672del") << pos1;
        EXPECT_EQ(n.hgvs_p, "p.Lys550_Lys558del") << pos1;
        EXPECT_EQ(n.protein, "K550_K558del") << pos1;
        EXPECT_EQ(n.consequence, Consequence::kInframeDeletion) << pos1;
        EXPECT_EQ(n.exon, 11) << pos1;
        EXPECT_EQ(n.intron, 10) << pos1;
        EXPECT_EQ(n.codon_begin, 550) << pos1;
        EXPECT_EQ(n.codon_end, 558) << pos1;
        EXPECT_EQ(n.norm_pos0, 55593579 - 1) << pos1;
        EXPECT_EQ(n.norm_ref, "CAGAAACCCATGTATGAAGTACAGTGGA") << pos1;
    }
}

// ------------------------------------------------------------------------------------------------
// merge_alleles: the TSO500 31AP case (CombinedVariantOutput, GRCh37), one exon 11 event reported
// as two records at AF 0.327 / 0.324:
//   a = 55593603 TGGAAGGTTGTTGAGG>T: c.1670_1684del. Keeping T (c.1669) and reading on from
//       c.1685 (A), c.1686 (G): TAG = stop at codon 557 -> p.Trp557Ter (TSO500: p.(Trp557Ter)).
//   b = 55593620 GAT>CAC: c.1686_1688 GAT -> CAC (the middle A is unchanged but HGVS keeps the
//       delins whole). Codon 562 GAG -> GAC (Asp), 563 ATx -> ACx (Thr): p.Glu562_Ile563delinsAspThr.
// Merged: REF c.1669-1688 = T GGAAGGTTGTTGAGG A GAT (the A at 55593619 = c.1685 fills the gap),
// ALT = T A CAC. Trimmed: c.1670_1688delinsACAC (19 -> 4 bases, -15: in frame). Mutant codons
// from 557: T A C = Tyr, A C x (x = c.1689) = Thr, then codon 564 onwards unchanged. Reference
// 557-563 is W K V V E E I, so p.Trp557_Ile563delinsTyrThr (W557_I563delinsYT), a DNA delins:
// protein_altering_variant.
TEST(MergeAlleles, Tso500SplitExon11EventMergesIntoOneInframeDelins) {
    const auto& model = GenomeModel::builtin(Build::kGRCh37);
    MergedAllele m;
    ASSERT_TRUE(merge_alleles(model.reference(), 55593603 - 1, "TGGAAGGTTGTTGAGG", "T", 55593620 - 1, "GAT",
                              "CAC", m));
    EXPECT_EQ(m.pos0, 55593603 - 1);
    EXPECT_EQ(m.ref, "TGGAAGGTTGTTGAGGAGAT");
    EXPECT_EQ(m.alt, "TACAC");
    const VariantNamer namer(model);
    const auto merged = namer.name("KIT", m.pos0, m.ref, m.alt);
    EXPECT_EQ(merged.hgvs_c, "c.1670_1688delinsACAC");
    EXPECT_EQ(merged.hgvs_p, "p.Trp557_Ile563delinsTyrThr");
    EXPECT_EQ(merged.protein, "W557_I563delinsYT");
    EXPECT_EQ(merged.consequence, Consequence::kInframeDelins);
    EXPECT_EQ(to_string(merged.consequence), "protein_altering_variant");
    EXPECT_EQ(merged.codon_begin, 557);
    EXPECT_EQ(merged.codon_end, 563);

    const auto a = namer.name("KIT", 55593603 - 1, "TGGAAGGTTGTTGAGG", "T");
    EXPECT_EQ(a.hgvs_c, "c.1670_1684del");
    EXPECT_EQ(a.hgvs_p, "p.Trp557Ter");
    EXPECT_EQ(a.protein, "W557*");
    EXPECT_EQ(a.consequence, Consequence::kNonsense);
    const auto b = namer.name("KIT", 55593620 - 1, "GAT", "CAC");
    EXPECT_EQ(b.hgvs_c, "c.1686_1688delinsCAC");
    EXPECT_EQ(b.hgvs_p, "p.Glu562_Ile563delinsAspThr");
    EXPECT_EQ(b.protein, "E562_I563delinsDT");
    EXPECT_EQ(b.consequence, Consequence::kInframeDelins);
}

TEST(MergeAlleles, OrderOfTheTwoRecordsDoesNotMatter) {
    const auto& ref = GenomeModel::builtin(Build::kGRCh37).reference();
    MergedAllele m;
    ASSERT_TRUE(merge_alleles(ref, 55593620 - 1, "GAT", "CAC", 55593603 - 1, "TGGAAGGTTGTTGAGG", "T", m));
    EXPECT_EQ(m.pos0, 55593603 - 1);
    EXPECT_EQ(m.ref, "TGGAAGGTTGTTGAGGAGAT");
    EXPECT_EQ(m.alt, "TACAC");
}

TEST(MergeAlleles, RefusesOverlapMismatchAndUncoveredSpans) {
    const auto& ref = GenomeModel::builtin(Build::kGRCh37).reference();
    MergedAllele m;
    // b starts inside a's REF.
    EXPECT_FALSE(merge_alleles(ref, 55593603 - 1, "TGGAAGGTTGTTGAGG", "T", 55593610 - 1, "T", "A", m));
    // b's REF is not the reference (55593620 is G).
    EXPECT_FALSE(merge_alleles(ref, 55593603 - 1, "TGGAAGGTTGTTGAGG", "T", 55593620 - 1, "CAT", "CAC", m));
    // Symbolic allele.
    EXPECT_FALSE(merge_alleles(ref, 55593603 - 1, "T", "<DEL>", 55593620 - 1, "GAT", "CAC", m));
    // Span leaves the shipped windows (KIT exon 2-21 window ends at 55616166).
    EXPECT_FALSE(merge_alleles(ref, 55593603 - 1, "T", "A", 55700000 - 1, "A", "G", m));
}

// ------------------------------------------------------------------------------------------------
// Malformed alleles: std::invalid_argument with a helpful message.

void expect_invalid(const std::string& ref,
                    const std::string& alt,
                    std::int64_t pos1,
                    const std::string& needle) {
    try {
        (void)kit37(pos1, ref, alt);
        ADD_FAILURE() << "no exception for " << ref << ">" << alt;
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("chr4:" + std::to_string(pos1)), std::string::npos) << e.what();
    }
}

TEST(VariantNamerErrors, NonAcgtAllelesAreRejectedWithTheOffendingBase) {
    expect_invalid("CAGNGGA", "C", 55593600, "REF contains 'N'");
    expect_invalid("C", "<DEL>", 55593600, "ALT contains '<'");
    expect_invalid("C", "*", 55593600, "ALT contains '*'");
    expect_invalid("C", "", 55593600, "ALT is empty");
}

TEST(VariantNamerErrors, RefPastTheShippedWindowIsRejected) {
    // The KIT exons 2-21 window ends at 55616166; this REF runs to 55616169.
    expect_invalid("TAAGCTC", "T", 55616163, "outside the shipped GRCh37 reference windows");
    expect_invalid("T", "A", 56000000, "outside the shipped GRCh37 reference windows");
}

TEST(VariantNamerErrors, NoChangeAndWrongGeneAreRejected) {
    expect_invalid("C", "C", 55593600, "REF equals ALT");
    // PDGFRA D842V position named against KIT: about 440 kb away.
    expect_invalid("A", "T", 55152093, "not within KIT");
    EXPECT_THROW((void)name(Build::kGRCh37, "BRAF", 55593600, "C", "A"), std::invalid_argument);
}

// ------------------------------------------------------------------------------------------------
// check_ref, gene_at, to_string.

TEST(VariantNamerCheckRef, MismatchReturnsTheReferenceBases) {
    const VariantNamer namer(GenomeModel::builtin(Build::kGRCh37));
    EXPECT_EQ(namer.check_ref(55599321 - 1, "A"), "");
    EXPECT_EQ(namer.check_ref(55599321 - 1, "a"), "");
    EXPECT_EQ(namer.check_ref(55599321 - 1, "G"), "A");
    // Multi-base REF: the whole reference stretch comes back (V560del REF is GGTT).
    EXPECT_EQ(namer.check_ref(55593608 - 1, "GGTA"), "GGTT");
    // Outside the shipped windows there is nothing to compare with.
    EXPECT_THROW((void)namer.check_ref(1000, "A"), std::invalid_argument);
}

TEST(VariantNamerGeneAt, ExonsWithEightBaseSpliceFlanks) {
    const VariantNamer namer(GenomeModel::builtin(Build::kGRCh37));
    EXPECT_EQ(namer.gene_at(55599321 - 1, 1), "KIT");
    EXPECT_EQ(namer.gene_at(55152093 - 1, 1), "PDGFRA");
    EXPECT_EQ(namer.gene_at(55593582 - 1 - 8, 1), "KIT");   // c.1648-8
    EXPECT_EQ(namer.gene_at(55593582 - 1 - 9, 1), "");      // c.1648-9
    EXPECT_EQ(namer.gene_at(55593582 - 1 - 12, 5), "KIT");  // deletion reaching c.1648-8
    EXPECT_EQ(namer.gene_at(55580904 - 1, 1), "");          // deep in KIT intron 7
}

TEST(Consequence, SequenceOntologyTerms) {
    EXPECT_EQ(to_string(Consequence::kMissense), "missense_variant");
    EXPECT_EQ(to_string(Consequence::kSynonymous), "synonymous_variant");
    EXPECT_EQ(to_string(Consequence::kNonsense), "stop_gained");
    EXPECT_EQ(to_string(Consequence::kStopLost), "stop_lost");
    EXPECT_EQ(to_string(Consequence::kStartLost), "start_lost");
    EXPECT_EQ(to_string(Consequence::kInframeDeletion), "inframe_deletion");
    EXPECT_EQ(to_string(Consequence::kInframeInsertion), "inframe_insertion");
    EXPECT_EQ(to_string(Consequence::kInframeDelins), "protein_altering_variant");
    EXPECT_EQ(to_string(Consequence::kFrameshift), "frameshift_variant");
    EXPECT_EQ(to_string(Consequence::kSpliceSite), "splice_site_variant");
    EXPECT_EQ(to_string(Consequence::kSpliceRegion), "splice_region_variant");
    EXPECT_EQ(to_string(Consequence::kIntronic), "intron_variant");
}

// ------------------------------------------------------------------------------------------------
// Cross-checks against real third-party files in ../shared/realdata (skipped when absent).

// MSK hotspot list (mskcc/basicfiltering, Apache-2.0): 70 curated KIT alleles, ID = KIT:p.<name>.
TEST(VariantNamerRealData, MskHotspotListNamesAllMatch) {
    const std::string rel = "realdata/vcf/msk_hotspot_list_union_v1v2.KIT.sites.GRCh37.vcf";
    KITRX_REQUIRE_SHARED(rel);
    std::ifstream in(test::shared_path(rel));
    const VariantNamer namer(GenomeModel::builtin(Build::kGRCh37));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto f = split(line, '\t');
        ASSERT_GE(f.size(), 5u);
        const std::string expected = f[2].substr(f[2].find("p.") + 2);
        const auto v = namer.name("KIT", std::stoll(f[1]) - 1, f[3], f[4]);
        EXPECT_EQ(v.protein, expected) << line;
        ++n;
    }
    EXPECT_EQ(n, 70);
}

// Illumina TSO500 Local App CombinedVariantOutput (hg19): every KIT/PDGFRA small variant, exonic
// and intronic, gets Illumina's c. (their NM_000222.2 / NM_006206.5 share our CDS numbering) and,
// where Illumina gives one, its p. (written with the "predicted" parentheses).
TEST(VariantNamerRealData, Tso500CombinedVariantOutputNamesMatch) {
    const std::string rel = "realdata/tables/tso500_localapp_31AP_DNA_CombinedVariantOutput.tsv";
    KITRX_REQUIRE_SHARED(rel);
    std::ifstream in(test::shared_path(rel));
    const VariantNamer namer(GenomeModel::builtin(Build::kGRCh37));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto f = split(line, '\t');
        if (f.size() < 11 || (f[0] != "KIT" && f[0] != "PDGFRA")) continue;
        const auto v = namer.name(f[0], std::stoll(f[2]) - 1, f[3], f[4]);
        EXPECT_EQ(v.hgvs_c, f[8].substr(f[8].find(':') + 1)) << line;
        const auto p = f[7].find("p.(");
        if (p != std::string::npos) {
            const auto close = f[7].find(')', p);
            EXPECT_EQ(v.hgvs_p, "p." + f[7].substr(p + 3, close - p - 3)) << line;
        }
        if (!f[10].empty()) EXPECT_EQ(v.exon, std::stoi(f[10])) << line;
        ++n;
    }
    EXPECT_EQ(n, 9);
}

// The one amino-acid table: the namer's three-letter codes read back by the protein grammar.
TEST(AminoAcidTable, ThreeLetterCodesRoundTrip) {
    EXPECT_EQ(three_letter('D'), "Asp");
    EXPECT_EQ(three_letter('*'), "Ter");
    EXPECT_EQ(three_letter('X'), "Xaa");
    EXPECT_EQ(three_letter('B'), "Xaa");  // not a residue letter
    EXPECT_EQ(one_letter("Trp"), 'W');
    EXPECT_EQ(one_letter("Ter"), '*');
    EXPECT_EQ(one_letter("trp"), 0);
    EXPECT_EQ(one_letter("Asx"), 0);
    for (const char aa : std::string("ACDEFGHIKLMNPQRSTVWY*UO")) {
        EXPECT_EQ(one_letter(three_letter(aa)), aa) << aa;
        EXPECT_EQ(to_one_letter("p." + three_letter(aa) + "12"), std::string(1, aa) + "12") << aa;
    }
}

}  // namespace
}  // namespace kitrx
