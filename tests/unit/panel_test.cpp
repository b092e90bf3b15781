// SPDX-License-Identifier: MIT
#include "kitrx/panel/panel.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace kitrx {
namespace {

// ---------------------------------------------------------------------------------------------
// Helpers. VariantName values are built by hand: the panel must not depend on the namer.

struct VariantBuilder {
    VariantName v;
    explicit VariantBuilder(std::string gene = "KIT") { v.gene = std::move(gene); }
    VariantBuilder& exon(int e) {
        v.exon = e;
        return *this;
    }
    VariantBuilder& codons(int first, int last) {
        v.codon_begin = first;
        v.codon_end = last;
        return *this;
    }
    VariantBuilder& codon(int c) { return codons(c, c); }
    VariantBuilder& protein(std::string p) {
        v.protein = std::move(p);
        return *this;
    }
    VariantBuilder& hgvs_p(std::string p) {
        v.hgvs_p = std::move(p);
        return *this;
    }
    VariantBuilder& consequence(Consequence c) {
        v.consequence = c;
        return *this;
    }
    VariantName build() const { return v; }
};

VariantName missense(const std::string& gene, int exon, int codon, const std::string& protein) {
    return VariantBuilder(gene)
        .exon(exon)
        .codon(codon)
        .protein(protein)
        .consequence(Consequence::kMissense)
        .build();
}

ActivityPanel load(const std::string& yaml, const std::string& name = "panel.yaml") {
    std::istringstream in(yaml);
    return load_panel(in, name);
}

// The problems of a panel that must fail to load.
std::vector<std::string> problems_of(const std::string& yaml) {
    try {
        (void)load(yaml);
    } catch (const PanelError& e) {
        return e.problems();
    }
    ADD_FAILURE() << "panel loaded although it should not";
    return {};
}

Activity call_for(const ActivityPanel& panel, const PanelMatch& m, const std::string& drug) {
    for (std::size_t i = 0; i < panel.drugs().size(); ++i)
        if (panel.drugs()[i].id == drug) return m.calls.at(i).activity;
    ADD_FAILURE() << "no drug " << drug;
    return Activity::kUnknown;
}

const DrugActivity& cell_for(const ActivityPanel& panel, const PanelMatch& m, const std::string& drug) {
    for (std::size_t i = 0; i < panel.drugs().size(); ++i)
        if (panel.drugs()[i].id == drug) return m.calls.at(i);
    throw std::logic_error("no drug " + drug);
}

// Header lines 1-12 of every inline panel; rules start on line 13.
const std::string kHead = R"(panel:
  name: test
  version: "1"
  date: "2026-11-26"
  transcripts: ["KIT:NM_000222.3", "PDGFRA:NM_006206.4"]
  notice: Research use only.
drugs:
  - {id: imatinib, name: Imatinib, aliases: [Gleevec, STI571]}
  - {id: regorafenib, name: Regorafenib}
citations:
  A: {title: "Source A"}
rules:
)";

// A rule with one drug call and one evidence item.
std::string rule(const std::string& id,
                 const std::string& selector,
                 const std::string& drug = "imatinib",
                 const std::string& call = "resistant",
                 const std::string& extra = "") {
    return "  - id: " + id + "\n    gene: KIT\n" + selector + extra + "    activity:\n      " + drug +
           ": {call: " + call + ", evidence: [{cite: A, kind: preclinical}]}\n";
}

// ---------------------------------------------------------------------------------------------
// Names

TEST(PanelNames, ActivityRoundTripAndRejectsTypos) {
    for (Activity a :
         {Activity::kSensitive, Activity::kIntermediate, Activity::kResistant, Activity::kUnknown})
        EXPECT_EQ(parse_activity(to_string(a)), a);
    EXPECT_EQ(to_string(Activity::kIntermediate), "intermediate");
    EXPECT_FALSE(parse_activity("resistent").has_value());
    EXPECT_FALSE(parse_activity("S").has_value());
    EXPECT_EQ(to_string(MatchLevel::kCodonRange), "codon_range");
    EXPECT_EQ(to_string(VariantRole::kSecondary), "secondary");
}

TEST(PanelNames, CanonicalProteinChangeNormalisesNotations) {
    EXPECT_EQ(canonical_protein_change("p.Asp816Val"), "D816V");
    EXPECT_EQ(canonical_protein_change("p.(Asp816Val)"), "D816V");
    EXPECT_EQ(canonical_protein_change("D816V"), "D816V");
    EXPECT_EQ(canonical_protein_change("p.Trp557_Lys558del"), "W557_K558del");
    EXPECT_EQ(canonical_protein_change("p.Ala502_Tyr503dup"), "A502_Y503dup");
    EXPECT_EQ(canonical_protein_change("p.Lys558_Val559delinsAsn"), "K558_V559delinsN");
    EXPECT_EQ(canonical_protein_change("p.Tyr503_Phe504insAlaTyr"), "Y503_F504insAY");
    EXPECT_EQ(canonical_protein_change("p.Trp557LeufsTer5"), "W557Lfs");
    EXPECT_EQ(canonical_protein_change("W557LfsX5"), "W557Lfs");
    EXPECT_EQ(canonical_protein_change("p.Trp557Ter"), "W557*");
    EXPECT_EQ(canonical_protein_change("W557X"), "W557*");
    EXPECT_EQ(canonical_protein_change("p.Asp816="), "D816=");
    EXPECT_EQ(canonical_protein_change("D816"), "");
    EXPECT_EQ(canonical_protein_change("p.?"), "");
    EXPECT_EQ(canonical_protein_change("V560_Y578"), "");
    EXPECT_EQ(canonical_protein_change("Y503_A502dup"), "");  // positions out of order
}

// ---------------------------------------------------------------------------------------------
// Matching

const std::string kLevelsPanel = kHead + rule("exact", "    variant: D816V\n", "imatinib", "resistant") +
                                 rule("codon", "    variant: D816*\n", "imatinib", "intermediate") +
                                 rule("range", "    codons: 816-823\n", "imatinib", "sensitive") +
                                 rule("exon17", "    exon: 17\n", "regorafenib", "sensitive") +
                                 rule("gene", "", "regorafenib", "resistant");

TEST(PanelMatching, MostSpecificLevelWins) {
    const ActivityPanel panel = load(kLevelsPanel);
    struct Case {
        VariantName v;
        std::string rule;
        MatchLevel level;
    };
    const std::vector<Case> cases{
        {missense("KIT", 17, 816, "D816V"), "exact", MatchLevel::kExact},
        {missense("KIT", 17, 816, "D816H"), "codon", MatchLevel::kCodon},
        {missense("KIT", 17, 820, "D820G"), "range", MatchLevel::kCodonRange},
        {missense("KIT", 17, 809, "C809G"), "exon17", MatchLevel::kExonClass},
        {missense("KIT", 11, 559, "V559D"), "gene", MatchLevel::kGene},
    };
    for (const auto& c : cases) {
        const PanelMatch m = panel.match(c.v, VariantRole::kSecondary);
        ASSERT_NE(m.rule, nullptr) << c.v.protein;
        EXPECT_EQ(m.rule->id, c.rule) << c.v.protein;
        EXPECT_EQ(m.level, c.level) << c.v.protein;
        EXPECT_EQ(m.calls.size(), panel.drugs().size());
    }
    // Only the matched rule's calls count: the exact rule says nothing about regorafenib.
    const PanelMatch m = panel.match(missense("KIT", 17, 816, "D816V"), VariantRole::kSecondary);
    EXPECT_EQ(call_for(panel, m, "imatinib"), Activity::kResistant);
    EXPECT_EQ(call_for(panel, m, "regorafenib"), Activity::kUnknown);
    EXPECT_EQ(
        call_for(panel, panel.match(missense("KIT", 17, 816, "D816H"), VariantRole::kUnknown), "imatinib"),
        Activity::kIntermediate);
}

TEST(PanelMatching, OtherGeneOrNoRuleGivesNoneAndAllUnknown) {
    const ActivityPanel panel = load(kHead + rule("exact", "    variant: D816V\n"));
    const PanelMatch m = panel.match(missense("PDGFRA", 18, 842, "D842V"), VariantRole::kSecondary);
    EXPECT_EQ(m.rule, nullptr);
    EXPECT_EQ(m.level, MatchLevel::kNone);
    ASSERT_EQ(m.calls.size(), 2u);
    for (const auto& c : m.calls) {
        EXPECT_EQ(c.activity, Activity::kUnknown);
        EXPECT_TRUE(c.evidence.empty());
    }
}

TEST(PanelMatching, ThreeLetterRuleAndHgvsPFallback) {
    const ActivityPanel panel = load(kHead + rule("exact", "    variant: p.Asp816Val\n"));
    EXPECT_EQ(panel.rules().at(0).protein, "D816V");
    VariantName v = VariantBuilder()
                        .exon(17)
                        .codon(816)
                        .hgvs_p("p.(Asp816Val)")
                        .consequence(Consequence::kMissense)
                        .build();
    const PanelMatch m = panel.match(v, VariantRole::kUnknown);
    ASSERT_NE(m.rule, nullptr);
    EXPECT_EQ(m.level, MatchLevel::kExact);
}

TEST(PanelMatching, ContextRuleBeatsContextFreeRuleOfTheSameLevelOnlyForItsRole) {
    const ActivityPanel panel = load(
        kHead + rule("n822", "    variant: N822*\n", "imatinib", "resistant") +
        rule("n822-primary", "    variant: N822*\n", "imatinib", "sensitive", "    context: primary\n") +
        rule("k642e-primary", "    variant: K642E\n", "imatinib", "sensitive", "    context: primary\n"));
    const VariantName n822k = missense("KIT", 17, 822, "N822K");
    EXPECT_EQ(panel.match(n822k, VariantRole::kPrimary).rule->id, "n822-primary");
    EXPECT_EQ(panel.match(n822k, VariantRole::kSecondary).rule->id, "n822");
    EXPECT_EQ(panel.match(n822k, VariantRole::kUnknown).rule->id, "n822");
    const VariantName k642e = missense("KIT", 13, 642, "K642E");
    EXPECT_EQ(panel.match(k642e, VariantRole::kPrimary).rule->id, "k642e-primary");
    EXPECT_EQ(panel.match(k642e, VariantRole::kSecondary).rule, nullptr);
    EXPECT_EQ(panel.match(k642e, VariantRole::kUnknown).rule, nullptr);
}

TEST(PanelMatching, ContextDoesNotBeatAMoreSpecificLevel) {
    const ActivityPanel panel =
        load(kHead + rule("d816v", "    variant: D816V\n") +
             rule("exon17-secondary", "    exon: 17\n", "imatinib", "sensitive", "    context: secondary\n"));
    EXPECT_EQ(panel.match(missense("KIT", 17, 816, "D816V"), VariantRole::kSecondary).rule->id, "d816v");
}

TEST(PanelMatching, CodonRulesSkipSynonymousChangesButExactRulesCanNameThem) {
    const ActivityPanel panel = load(kHead + rule("d816", "    variant: D816*\n") +
                                     rule("d816syn", "    variant: D816=\n", "regorafenib", "unknown"));
    const VariantName syn =
        VariantBuilder().exon(17).codon(816).protein("D816=").consequence(Consequence::kSynonymous).build();
    EXPECT_EQ(panel.match(syn, VariantRole::kUnknown).rule->id, "d816syn");
    const VariantName syn_other =
        VariantBuilder().exon(17).codon(816).protein("p.(=)").consequence(Consequence::kSynonymous).build();
    EXPECT_EQ(panel.match(syn_other, VariantRole::kUnknown).rule, nullptr);
}

TEST(PanelMatching, MultiCodonChangeMatchesEveryCodonItSpans) {
    const ActivityPanel panel = load(kHead + rule("d816", "    variant: D816*\n", "imatinib", "resistant") +
                                     rule("i817", "    variant: I817*\n", "imatinib", "resistant") +
                                     rule("d820", "    variant: D820*\n", "imatinib", "sensitive"));
    const VariantName del = VariantBuilder()
                                .exon(17)
                                .codons(815, 817)
                                .protein("S815_I817del")
                                .consequence(Consequence::kInframeDeletion)
                                .build();
    const PanelMatch m = panel.match(del, VariantRole::kSecondary);
    ASSERT_NE(m.rule, nullptr);
    EXPECT_EQ(m.rule->id, "d816");
    EXPECT_EQ(call_for(panel, m, "imatinib"), Activity::kResistant);  // both rules agree
    EXPECT_EQ(cell_for(panel, m, "imatinib").evidence.size(), 2u);

    const VariantName long_del = VariantBuilder()
                                     .exon(17)
                                     .codons(816, 820)
                                     .protein("D816_D820del")
                                     .consequence(Consequence::kInframeDeletion)
                                     .build();
    const PanelMatch disagree = panel.match(long_del, VariantRole::kSecondary);
    EXPECT_EQ(call_for(panel, disagree, "imatinib"), Activity::kUnknown);
    EXPECT_NE(cell_for(panel, disagree, "imatinib").reason.find("disagree"), std::string::npos);
}

TEST(PanelMatching, ExonClassesIncludingDuplicationAlias) {
    const ActivityPanel panel = load(
        kHead + rule("exon9-dup", "    exon: 9\n", "imatinib", "intermediate", "    class: duplication\n") +
        rule("exon11-del", "    exon: 11\n", "imatinib", "sensitive", "    class: inframe_deletion\n") +
        rule("exon11-mis", "    exon: 11\n", "imatinib", "sensitive", "    class: [missense, delins]\n"));
    const VariantName dup = VariantBuilder()
                                .exon(9)
                                .codons(502, 503)
                                .protein("A502_Y503dup")
                                .consequence(Consequence::kInframeInsertion)
                                .build();
    EXPECT_EQ(panel.match(dup, VariantRole::kPrimary).rule->id, "exon9-dup");
    const VariantName ins = VariantBuilder()
                                .exon(9)
                                .codons(503, 504)
                                .protein("Y503_F504insAY")
                                .consequence(Consequence::kInframeInsertion)
                                .build();
    EXPECT_EQ(panel.match(ins, VariantRole::kPrimary).rule, nullptr);
    const VariantName del = VariantBuilder()
                                .exon(11)
                                .codons(557, 558)
                                .protein("W557_K558del")
                                .consequence(Consequence::kInframeDeletion)
                                .build();
    EXPECT_EQ(panel.match(del, VariantRole::kPrimary).rule->id, "exon11-del");
    EXPECT_EQ(panel.match(missense("KIT", 11, 559, "V559D"), VariantRole::kPrimary).rule->id, "exon11-mis");
    const VariantName fs = VariantBuilder()
                               .exon(11)
                               .codon(557)
                               .protein("W557Lfs*5")
                               .consequence(Consequence::kFrameshift)
                               .build();
    EXPECT_EQ(panel.match(fs, VariantRole::kPrimary).rule, nullptr);
    EXPECT_EQ(panel.rules().at(2).variant_class, "missense, delins");
}

TEST(PanelMatching, DrugLookupByIdOrAliasIgnoresCase) {
    const ActivityPanel panel = load(kHead + rule("x", "    variant: D816V\n"));
    ASSERT_NE(panel.drug("gleevec"), nullptr);
    EXPECT_EQ(panel.drug("STI571")->id, "imatinib");
    EXPECT_EQ(panel.drug("Regorafenib")->id, "regorafenib");
    EXPECT_EQ(panel.drug("sunitinib"), nullptr);
}

TEST(PanelMatching, RuleLabelsAndEvidenceKeys) {
    const ActivityPanel panel =
        load(kHead + rule("a", "    variant: D816*\n") + rule("b", "    codons: 816-823\n") +
             rule("c", "    exon: 11\n", "imatinib", "resistant", "    class: deletion\n") +
             rule("d", "    variant: V654A\n", "imatinib", "resistant", "    context: secondary\n"));
    EXPECT_EQ(rule_label(panel.rules()[0]), "KIT D816*");
    EXPECT_EQ(rule_label(panel.rules()[1]), "KIT codons 816-823");
    EXPECT_EQ(rule_label(panel.rules()[2]), "KIT exon 11 deletion");
    EXPECT_EQ(rule_label(panel.rules()[3]), "KIT V654A (secondary)");
    DrugActivity call;
    call.evidence = {Evidence{"S19", "preclinical", {}, "", "", "", "", {}},
                     Evidence{"SEED", "class", {}, "", "", "", "", {}},
                     Evidence{"S19", "clinical", {}, "", "", "", "", {}}};
    EXPECT_EQ(evidence_keys(call), "S19,SEED");
    EXPECT_EQ(evidence_keys(call, ";"), "S19;SEED");
}

// ---------------------------------------------------------------------------------------------
// Loading: fields

TEST(PanelLoading, ReadsEvidenceFieldsAndIc50Forms) {
    const ActivityPanel panel = load(kHead + R"(  - id: r
    gene: KIT
    variant: D816V
    note: a note
    activity:
      imatinib:
        call: resistant
        confidence: low
        reason: because
        evidence:
          - {cite: A, kind: preclinical, ic50: ">5-10", ic50_units: uM, flag: verified}
          - {cite: A, kind: knowledge-base, ic50: 12.5, ic50_units: nM, supports: sensitive, note: label}
)");
    ASSERT_EQ(panel.rules().size(), 1u);
    const PanelRule& r = panel.rules()[0];
    EXPECT_EQ(r.where.line, 13);
    EXPECT_EQ(r.note, "a note");
    const DrugActivity& c = r.activity.at("imatinib");
    EXPECT_TRUE(c.low_confidence);
    EXPECT_EQ(c.reason, "because");
    ASSERT_EQ(c.evidence.size(), 2u);
    EXPECT_FALSE(c.evidence[0].ic50.has_value());
    EXPECT_EQ(c.evidence[0].ic50_text, ">5-10");
    EXPECT_EQ(c.evidence[0].ic50_units, "uM");
    EXPECT_EQ(c.evidence[0].flag, "verified");
    EXPECT_DOUBLE_EQ(c.evidence[1].ic50.value(), 12.5);
    EXPECT_EQ(c.evidence[1].supports, Activity::kSensitive);
    EXPECT_EQ(panel.transcripts.size(), 2u);
    EXPECT_EQ(panel.citations().at("A").title, "Source A");
}

TEST(PanelLoading, UnknownCallMayHaveNoEvidenceButOthersMust) {
    EXPECT_NO_THROW(load(
        kHead + "  - id: r\n    gene: KIT\n    variant: D816V\n    activity:\n      imatinib: unknown\n"));
    const auto p = problems_of(
        kHead + "  - id: r\n    gene: KIT\n    variant: D816V\n    activity:\n      imatinib: sensitive\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("panel.yaml:17:7: rule 'r', drug 'imatinib': a sensitive call has no evidence", 0),
              0u)
        << p[0];
}

// ---------------------------------------------------------------------------------------------
// Loading: errors, each as file:line:col: what; hint

TEST(PanelErrors, UnknownKeyListsAllowedKeysAndSuggests) {
    const auto p = problems_of(kHead + rule("r", "    varaint: D816V\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("panel.yaml:15:5: unknown key 'varaint' in rule 'r'; did you mean 'variant'? "
                         "allowed keys: id, gene, variant,",
                         0),
              0u)
        << p[0];
}

TEST(PanelErrors, UnknownDrugIdSuggestsClosest) {
    const auto p = problems_of(kHead + rule("r", "    variant: D816V\n", "regorafnib"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0],
              "panel.yaml:17:7: unknown drug id 'regorafnib' in rule 'r'; did you mean 'regorafenib'? "
              "drugs defined under 'drugs': imatinib, regorafenib");
}

TEST(PanelErrors, AliasInsteadOfDrugIdIsNamed) {
    const auto p = problems_of(kHead + rule("r", "    variant: D816V\n", "Gleevec"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("'Gleevec' is an alias: write the drug id 'imatinib'"), std::string::npos) << p[0];
}

TEST(PanelErrors, UnknownActivityLevel) {
    const auto p = problems_of(kHead + rule("r", "    variant: D816V\n", "imatinib", "resistent"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("panel.yaml:17:24: unknown activity level 'resistent' in rule 'r', drug 'imatinib'; "
                         "did you mean 'resistant'?",
                         0),
              0u)
        << p[0];
}

TEST(PanelErrors, MalformedVariantSyntax) {
    for (const std::string bad : {"D816", "816V", "D816VV", "W557_K558", "p.Asp816Vl", "A502_Y503ins"}) {
        const auto p = problems_of(kHead + rule("r", "    variant: " + bad + "\n"));
        ASSERT_EQ(p.size(), 1u) << bad;
        EXPECT_EQ(
            p[0].rfind("panel.yaml:15:14: malformed variant '" + bad + "' in rule 'r'; write an exact change",
                       0),
            0u)
            << p[0];
    }
    const auto range = problems_of(kHead + rule("r", "    codons: 823-816\n"));
    ASSERT_EQ(range.size(), 1u);
    EXPECT_NE(range[0].find("panel.yaml:15:13: malformed codon range '823-816'"), std::string::npos)
        << range[0];
}

TEST(PanelErrors, ReferenceResidueAndBoundsAreCheckedAgainstTheTranscript) {
    auto p = problems_of(kHead + rule("r", "    variant: E816V\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(
        p[0].find(
            "panel.yaml:15:14: malformed variant in rule 'r': KIT codon 816 is 'D' on NM_000222.3, not 'E'"),
        std::string::npos)
        << p[0];
    p = problems_of(kHead + rule("r", "    codon: 2000\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("KIT has no codon 2000"), std::string::npos) << p[0];
    p = problems_of(kHead + rule("r", "    exon: 25\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("KIT has no coding exon 25"), std::string::npos) << p[0];
}

TEST(PanelErrors, DuplicateRuleAcrossNotations) {
    const auto p =
        problems_of(kHead + rule("a", "    variant: D816V\n") + rule("b", "    variant: p.Asp816Val\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(
        p[0].rfind("panel.yaml:18:5: duplicate rule: 'b' matches exactly what rule 'a' (line 13) matches", 0),
        0u)
        << p[0];
}

TEST(PanelErrors, DuplicateRuleId) {
    const auto p = problems_of(kHead + rule("a", "    variant: D816V\n") + rule("a", "    variant: D816H\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], "panel.yaml:18:9: duplicate rule id 'a'; first used at line 13");
}

TEST(PanelErrors, OverlappingRangesContradictOnlyWhenCallsDiffer) {
    const auto p = problems_of(kHead + rule("a", "    codons: 816-823\n", "regorafenib", "sensitive") +
                               rule("b", "    codons: 820-829\n", "regorafenib", "resistant"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(
        p[0].rfind(
            "panel.yaml:18:5: contradictory rules: 'b' and rule 'a' (line 13) are both codon_range rules", 0),
        0u)
        << p[0];
    EXPECT_NE(p[0].find("regorafenib sensitive vs resistant"), std::string::npos);
    // Same calls: fine. Disjoint ranges: fine. Different contexts: fine.
    EXPECT_NO_THROW(load(kHead + rule("a", "    codons: 816-823\n", "regorafenib", "sensitive") +
                         rule("b", "    codons: 820-829\n", "regorafenib", "sensitive")));
    EXPECT_NO_THROW(load(kHead + rule("a", "    codons: 816-819\n", "regorafenib", "sensitive") +
                         rule("b", "    codons: 820-829\n", "regorafenib", "resistant")));
    EXPECT_NO_THROW(
        load(kHead + rule("a", "    codons: 816-823\n", "regorafenib", "sensitive") +
             rule("b", "    codons: 820-829\n", "regorafenib", "resistant", "    context: primary\n")));
}

TEST(PanelErrors, ExonRulesContradictWhenTheirClassesOverlap) {
    const auto p =
        problems_of(kHead + rule("a", "    exon: 11\n", "imatinib", "sensitive", "    class: inframe\n") +
                    rule("b", "    exon: 11\n", "imatinib", "resistant", "    class: deletion\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("contradictory rules: 'b' and rule 'a'"), std::string::npos) << p[0];
    EXPECT_NO_THROW(load(kHead +
                         rule("a", "    exon: 11\n", "imatinib", "sensitive", "    class: missense\n") +
                         rule("b", "    exon: 11\n", "imatinib", "resistant", "    class: deletion\n")));
}

TEST(PanelErrors, UndefinedCitationKey) {
    const std::string yaml = kHead +
                             "  - id: r\n    gene: KIT\n    variant: D816V\n    activity:\n"
                             "      imatinib: {call: resistant, evidence: [{cite: S19, kind: clinical}]}\n";
    const auto p = problems_of(yaml);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("panel.yaml:17:53: citation key 'S19' not defined", 0), 0u) << p[0];
}

TEST(PanelErrors, YamlSyntaxErrorIsOneLineWithPosition) {
    const auto p = problems_of("panel:\n  name: [unclosed\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("panel.yaml:3:1: YAML syntax error: ", 0), 0u) << p[0];
}

TEST(PanelErrors, MissingRequiredFieldsAndSections) {
    auto p = problems_of(kHead + "  - id: r\n    variant: D816V\n    activity:\n      imatinib: unknown\n");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], "panel.yaml:13:5: rule 'r' is missing required key 'gene'");
    p = problems_of("panel: {name: x, version: '1', date: d, transcripts: ['KIT:NM_000222.3']}\ndrugs: []\n");
    std::string all;
    for (const auto& l : p) all += l + "\n";
    EXPECT_NE(all.find("'panel' is missing required key 'notice'"), std::string::npos) << all;
    EXPECT_NE(all.find("missing required key 'citations'"), std::string::npos) << all;
    EXPECT_NE(all.find("missing required key 'rules'"), std::string::npos) << all;
    EXPECT_NE(all.find("'drugs' lists no drug"), std::string::npos) << all;
}

TEST(PanelErrors, EmptyFile) {
    const auto p = problems_of("");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("panel.yaml:1:1: the panel file is empty", 0), 0u) << p[0];
}

TEST(PanelErrors, TranscriptMustBeTheOneKitrxNumbersOn) {
    std::string yaml = kHead;
    yaml.replace(yaml.find("NM_000222.3"), 11, "NM_001093772");
    const auto p = problems_of(yaml + rule("r", "    variant: D816V\n"));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(
        p[0].find("panel.yaml:5:17: transcript 'KIT:NM_001093772' differs from the one kitrx numbers KIT on"),
        std::string::npos)
        << p[0];
}

TEST(PanelErrors, EveryProblemReportedAtOnceInFileOrder) {
    const std::string yaml = kHead + rule("a", "    variant: D816V\n", "imatinib", "resistent") +
                             rule("b", "    variant: D816\n", "sunitinib") +
                             rule("c", "    exon: 11\n", "imatinib", "sensitive", "    klass: deletion\n");
    try {
        (void)load(yaml);
        FAIL() << "expected PanelError";
    } catch (const PanelError& e) {
        ASSERT_EQ(e.problems().size(), 4u) << e.what();
        EXPECT_NE(e.problems()[0].find(":17:"), std::string::npos);  // activity level
        EXPECT_NE(e.problems()[1].find(":20:14: malformed variant"), std::string::npos);
        EXPECT_NE(e.problems()[2].find(":22:7: unknown drug id 'sunitinib'"), std::string::npos);
        EXPECT_NE(e.problems()[3].find(":26:5: unknown key 'klass'"), std::string::npos);
        // what() is the problems joined by newlines, so the CLI can prefix each line.
        std::string joined;
        for (const auto& l : e.problems()) joined += (joined.empty() ? "" : "\n") + l;
        EXPECT_EQ(std::string(e.what()), joined);
        EXPECT_EQ(e.file(), "panel.yaml");
    }
}

TEST(PanelErrors, EvidenceFieldsAreChecked) {
    const std::string yaml = kHead + R"(  - id: r
    gene: KIT
    variant: D816V
    activity:
      imatinib:
        call: resistant
        evidence:
          - {cite: A, kind: anecdote}
          - {cite: A, kind: clinical, ic50: 5}
          - {cite: A, kind: clinical, ic50: "abc", ic50_units: nM}
          - {cite: A, kind: clinical, flag: maybe}
)";
    const auto p = problems_of(yaml);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_NE(p[0].find("unknown evidence kind 'anecdote'"), std::string::npos) << p[0];
    EXPECT_NE(p[1].find("ic50 without 'ic50_units'"), std::string::npos) << p[1];
    EXPECT_NE(p[2].find("malformed ic50 'abc'"), std::string::npos) << p[2];
    EXPECT_NE(p[3].find("unknown flag 'maybe'"), std::string::npos) << p[3];
}

TEST(PanelErrors, UnreadableFileIsAnIoError) {
    EXPECT_THROW((void)load_panel("/nonexistent/panel.yaml"), IoError);
}

// ---------------------------------------------------------------------------------------------
// The shipped panel: the seed's statements, checked cell by cell

class DefaultPanel : public ::testing::Test {
protected:
    const ActivityPanel& panel = default_panel();
    Activity call(const VariantName& v, const std::string& drug, VariantRole role = VariantRole::kSecondary) {
        return call_for(panel, panel.match(v, role), drug);
    }
};

const VariantName kD816V = missense("KIT", 17, 816, "D816V");
const VariantName kD816E = missense("KIT", 17, 816, "D816E");
const VariantName kD816H = missense("KIT", 17, 816, "D816H");
const VariantName kD816Y = missense("KIT", 17, 816, "D816Y");
const VariantName kD820G = missense("KIT", 17, 820, "D820G");
const VariantName kD820A = missense("KIT", 17, 820, "D820A");
const VariantName kN822K = missense("KIT", 17, 822, "N822K");
const VariantName kY823D = missense("KIT", 17, 823, "Y823D");
const VariantName kA829P = missense("KIT", 18, 829, "A829P");
const VariantName kV654A = missense("KIT", 13, 654, "V654A");
const VariantName kT670I = missense("KIT", 14, 670, "T670I");
const VariantName kD842V = missense("PDGFRA", 18, 842, "D842V");

TEST_F(DefaultPanel, LoadsWithMetadataAndTheRequiredDrugs) {
    EXPECT_EQ(panel.source, "<builtin>");
    EXPECT_FALSE(panel.version.empty());
    EXPECT_FALSE(panel.date.empty());
    EXPECT_NE(panel.notice.find("Research use only"), std::string::npos);
    EXPECT_NE(std::find(panel.transcripts.begin(), panel.transcripts.end(), "KIT:NM_000222.3"),
              panel.transcripts.end());
    for (const char* id : {"imatinib", "sunitinib", "regorafenib", "ripretinib", "avapritinib", "sorafenib",
                           "nilotinib", "dasatinib", "ponatinib", "pazopanib", "masitinib", "cabozantinib",
                           "bezuclastinib", "idrx_42", "crenolanib"})
        EXPECT_NE(panel.drug(id), nullptr) << id;
    EXPECT_EQ(panel.drug("avapritinib")->mechanism, "type I");
    EXPECT_EQ(panel.drug("imatinib")->mechanism, "type II");
}

TEST_F(DefaultPanel, SeedRegorafenibCoversActivationLoopMutantsButNotV654AOrD816V) {
    for (const VariantName& v : {kD820G, kD820A, kN822K, kY823D, kD816E, kD816H, kT670I})
        EXPECT_EQ(call(v, "regorafenib"), Activity::kSensitive) << v.protein;
    EXPECT_EQ(call(kV654A, "regorafenib"), Activity::kResistant);
    EXPECT_EQ(call(kD816V, "regorafenib"), Activity::kResistant);
}

TEST_F(DefaultPanel, SeedSunitinibCoversTheAtpPocketNotTheActivationLoop) {
    EXPECT_EQ(call(kV654A, "sunitinib"), Activity::kSensitive);
    EXPECT_EQ(call(kT670I, "sunitinib"), Activity::kSensitive);
    for (const VariantName& v : {kD816V, kD816E, kD816H, kD816Y, kD820G, kN822K, kY823D, kA829P})
        EXPECT_EQ(call(v, "sunitinib"), Activity::kResistant) << v.protein;
}

TEST_F(DefaultPanel, AvapritinibAndImatinibOnD816VAndD842V) {
    EXPECT_EQ(call(kD816V, "avapritinib"), Activity::kSensitive);
    EXPECT_EQ(call(kD842V, "avapritinib"), Activity::kSensitive);
    EXPECT_EQ(call(kD842V, "imatinib"), Activity::kResistant);
    EXPECT_EQ(panel.match(kD842V, VariantRole::kPrimary).rule->id, "pdgfra-d842v");
}

TEST_F(DefaultPanel, DisputedCellsKeepEveryEvidenceItemAndAReason) {
    // Regorafenib on V654A: preclinical resistance against label-derived knowledge-base rows.
    const PanelMatch m = panel.match(kV654A, VariantRole::kSecondary);
    const DrugActivity& rego = cell_for(panel, m, "regorafenib");
    EXPECT_FALSE(rego.reason.empty());
    std::set<std::string> keys;
    bool kb_sensitive = false;
    for (const auto& e : rego.evidence) {
        keys.insert(e.citation);
        kb_sensitive = kb_sensitive || (e.kind == "knowledge-base" && e.supports == Activity::kSensitive);
    }
    EXPECT_TRUE(keys.count("SEED") && keys.count("OKB18") && keys.count("MOA"));
    EXPECT_TRUE(kb_sensitive);
    // Ripretinib on exon 13/14: in vitro sensitive vs INTRIGUE ctDNA; default intermediate.
    for (const VariantName& v : {kV654A, kT670I}) {
        const PanelMatch mv = panel.match(v, VariantRole::kSecondary);
        const DrugActivity& rip = cell_for(panel, mv, "ripretinib");
        EXPECT_EQ(rip.activity, Activity::kIntermediate) << v.protein;
        EXPECT_TRUE(rip.low_confidence);
        EXPECT_FALSE(rip.reason.empty());
        std::set<std::string> k;
        for (const auto& e : rip.evidence) k.insert(e.citation);
        EXPECT_TRUE(k.count("SM19") && k.count("H24")) << v.protein;
    }
}

TEST_F(DefaultPanel, UnknownCellsStayUnknown) {
    // Evidence file: avapritinib on V654A/T670I U (N5); regorafenib on D816Y U; pazopanib and
    // masitinib U everywhere; avapritinib on the exon 9 duplication U.
    EXPECT_EQ(call(kV654A, "avapritinib"), Activity::kUnknown);
    EXPECT_EQ(call(kT670I, "avapritinib"), Activity::kUnknown);
    EXPECT_EQ(call(kD816Y, "regorafenib"), Activity::kUnknown);
    for (const auto& r : panel.rules()) {
        EXPECT_EQ(r.activity.count("pazopanib"), 0u) << r.id;
        EXPECT_EQ(r.activity.count("masitinib"), 0u) << r.id;
    }
    const VariantName dup = VariantBuilder()
                                .exon(9)
                                .codons(502, 503)
                                .protein("A502_Y503dup")
                                .consequence(Consequence::kInframeInsertion)
                                .build();
    EXPECT_EQ(call(dup, "avapritinib", VariantRole::kPrimary), Activity::kUnknown);
    EXPECT_EQ(call(dup, "imatinib", VariantRole::kPrimary), Activity::kIntermediate);
}

TEST_F(DefaultPanel, PrimaryDriversAndContexts) {
    const VariantName del = VariantBuilder()
                                .exon(11)
                                .codons(557, 558)
                                .protein("W557_K558del")
                                .consequence(Consequence::kInframeDeletion)
                                .build();
    EXPECT_EQ(call(del, "imatinib", VariantRole::kPrimary), Activity::kSensitive);
    EXPECT_EQ(panel.match(del, VariantRole::kPrimary).level, MatchLevel::kExonClass);
    const VariantName k642e = missense("KIT", 13, 642, "K642E");
    EXPECT_EQ(call(k642e, "imatinib", VariantRole::kPrimary), Activity::kSensitive);
    // Exon 17 N822 as a primary: imatinib depends on the role (evidence file N6).
    EXPECT_EQ(call(kN822K, "imatinib", VariantRole::kSecondary), Activity::kResistant);
    EXPECT_EQ(call(kN822K, "imatinib", VariantRole::kPrimary), Activity::kUnknown);
    EXPECT_EQ(call(kN822K, "regorafenib", VariantRole::kPrimary), Activity::kSensitive);
    // PDGFRA non-D842V exon 18 is imatinib-sensitive (NCCN).
    const VariantName d842y = missense("PDGFRA", 18, 842, "D842Y");
    EXPECT_EQ(call(d842y, "imatinib", VariantRole::kPrimary), Activity::kSensitive);
}

TEST_F(DefaultPanel, EveryCallOtherThanUnknownIsCited) {
    std::size_t calls = 0;
    for (const auto& r : panel.rules())
        for (const auto& [drug, c] : r.activity) {
            EXPECT_NE(panel.drug(drug), nullptr);
            if (c.activity == Activity::kUnknown) continue;
            ++calls;
            EXPECT_FALSE(c.evidence.empty()) << r.id << " " << drug;
            for (const auto& e : c.evidence) EXPECT_TRUE(panel.citations().count(e.citation)) << e.citation;
        }
    EXPECT_GT(calls, 100u);
}

TEST(PanelDocs, TheExampleInPanelFormatMdLoads) {
    const std::string path = test::source_path("docs/panel_format.md");
    if (!test::file_exists(path)) GTEST_SKIP() << "docs/panel_format.md absent (folded into README.md?)";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    const std::string start = "## Example\n\n```yaml\n";
    const auto begin = doc.find(start);
    ASSERT_NE(begin, std::string::npos);
    const auto end = doc.find("```", begin + start.size());
    ASSERT_NE(end, std::string::npos);
    const ActivityPanel panel = load(doc.substr(begin + start.size(), end - begin - start.size()), "example");
    EXPECT_EQ(panel.rules().size(), 2u);
    EXPECT_EQ(panel.drugs().size(), 2u);
}

}  // namespace
}  // namespace kitrx

namespace kitrx {
namespace {

// default_panel() is the shipped YAML as compiled in, loaded once: it equals the panel file of
// the source tree, field by field.
TEST(BuiltinPanel, IsTheShippedYamlLoadedOnce) {
    const ActivityPanel& fast = default_panel();
    EXPECT_EQ(&fast, &default_panel());
    EXPECT_EQ(fast.source, "<builtin>");
    const ActivityPanel slow =
        load_panel(std::string(KITRX_SOURCE_DIR) + "/resources/panels/gist_default.yaml");
    EXPECT_EQ(fast.name, slow.name);
    EXPECT_EQ(fast.version, slow.version);
    EXPECT_EQ(fast.date, slow.date);
    EXPECT_EQ(fast.notice, slow.notice);
    EXPECT_EQ(fast.transcripts, slow.transcripts);
    ASSERT_EQ(fast.drugs().size(), slow.drugs().size());
    for (std::size_t i = 0; i < fast.drugs().size(); ++i) {
        EXPECT_EQ(fast.drugs()[i].id, slow.drugs()[i].id);
        EXPECT_EQ(fast.drugs()[i].name, slow.drugs()[i].name);
        EXPECT_EQ(fast.drugs()[i].aliases, slow.drugs()[i].aliases);
        EXPECT_EQ(fast.drugs()[i].mechanism, slow.drugs()[i].mechanism);
        EXPECT_EQ(fast.drugs()[i].status, slow.drugs()[i].status);
    }
    ASSERT_EQ(fast.citations().size(), slow.citations().size());
    for (const auto& [key, c] : slow.citations()) {
        ASSERT_TRUE(fast.citations().count(key)) << key;
        EXPECT_EQ(fast.citations().at(key).title, c.title);
        EXPECT_EQ(fast.citations().at(key).year, c.year);
        EXPECT_EQ(fast.citations().at(key).doi, c.doi);
        EXPECT_EQ(fast.citations().at(key).pmid, c.pmid);
    }
    ASSERT_EQ(fast.rules().size(), slow.rules().size());
    for (std::size_t i = 0; i < slow.rules().size(); ++i) {
        const PanelRule& a = fast.rules()[i];
        const PanelRule& b = slow.rules()[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.gene, b.gene);
        EXPECT_EQ(a.level, b.level);
        EXPECT_EQ(a.protein, b.protein);
        EXPECT_EQ(a.codon_begin, b.codon_begin);
        EXPECT_EQ(a.codon_end, b.codon_end);
        EXPECT_EQ(a.exon, b.exon);
        EXPECT_EQ(a.variant_class, b.variant_class);
        EXPECT_EQ(a.context, b.context);
        EXPECT_EQ(a.note, b.note);
        ASSERT_EQ(a.activity.size(), b.activity.size()) << b.id;
        for (const auto& [drug, call] : b.activity) {
            const DrugActivity& other = a.activity.at(drug);
            EXPECT_EQ(other.activity, call.activity) << b.id << " " << drug;
            EXPECT_EQ(other.reason, call.reason) << b.id << " " << drug;
            EXPECT_EQ(other.low_confidence, call.low_confidence) << b.id << " " << drug;
            ASSERT_EQ(other.evidence.size(), call.evidence.size()) << b.id << " " << drug;
            for (std::size_t k = 0; k < call.evidence.size(); ++k) {
                EXPECT_EQ(other.evidence[k].citation, call.evidence[k].citation);
                EXPECT_EQ(other.evidence[k].kind, call.evidence[k].kind);
                EXPECT_EQ(other.evidence[k].note, call.evidence[k].note);
                EXPECT_EQ(other.evidence[k].ic50, call.evidence[k].ic50);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evidence grades, dose-qualified calls, compound rules (issue 14). Expected values written by
// hand from the grade order of the house rule: clinical > guideline > knowledge-base >
// preclinical > class.

TEST(PanelGrades, StrongestSupportingKindDecidesAndOpposingItemsMarkAConflict) {
    DrugActivity call;
    call.activity = Activity::kResistant;
    call.evidence = {Evidence{"A", "preclinical"}, Evidence{"B", "knowledge-base"}};
    EXPECT_EQ(evidence_grade(call), EvidenceGrade::kKnowledgeBase);
    EXPECT_FALSE(is_conflicting(call));
    // Regorafenib on V654A: label-derived knowledge-base rows point to sensitive (N3): they do
    // not lend their grade to the resistant call, and the cell is disputed.
    Evidence kb{"OKB18", "knowledge-base"};
    kb.supports = Activity::kSensitive;
    call.evidence = {Evidence{"SEED", "preclinical"}, kb};
    EXPECT_EQ(evidence_grade(call), EvidenceGrade::kPreclinical);
    EXPECT_TRUE(is_conflicting(call));
    // A call more cautious than all its evidence rests on that evidence.
    DrugActivity cautious;
    cautious.activity = Activity::kIntermediate;
    Evidence p{"SEED", "preclinical"};
    p.supports = Activity::kSensitive;
    cautious.evidence = {p};
    EXPECT_EQ(evidence_grade(cautious), EvidenceGrade::kPreclinical);
    EXPECT_EQ(evidence_grade(DrugActivity{}), EvidenceGrade::kNone);
    EXPECT_TRUE(is_clinical(EvidenceGrade::kGuideline));
    EXPECT_FALSE(is_clinical(EvidenceGrade::kKnowledgeBase));
}

TEST(PanelDoses, AtDoseCallsLoadAndAreSelectedByDose) {
    const ActivityPanel panel = load(kHead +
                                     "  - id: e9\n    gene: KIT\n    exon: 9\n    activity:\n"
                                     "      imatinib:\n        call: intermediate\n        dose: 400 mg/day\n"
                                     "        evidence: [{cite: A, kind: clinical}]\n"
                                     "        at_dose:\n          - dose: 800 mg/day\n"
                                     "            call: sensitive\n"
                                     "            evidence: [{cite: A, kind: guideline}]\n");
    const DrugActivity& base = panel.rules().at(0).activity.at("imatinib");
    EXPECT_EQ(base.dose, "400 mg/day");
    EXPECT_EQ(call_at_dose(base, "800 mg/day").activity, Activity::kSensitive);
    EXPECT_EQ(evidence_grade(call_at_dose(base, "800 mg/day")), EvidenceGrade::kGuideline);
    EXPECT_EQ(call_at_dose(base, "600 mg/day").activity, Activity::kIntermediate);
    EXPECT_EQ(call_at_dose(base, "").activity, Activity::kIntermediate);
}

TEST(PanelDoses, AtDoseItemWithoutDoseOrRepeatedIsAnError) {
    const auto p =
        problems_of(kHead +
                    "  - id: e9\n    gene: KIT\n    exon: 9\n    activity:\n"
                    "      imatinib:\n        call: intermediate\n"
                    "        evidence: [{cite: A, kind: clinical}]\n        at_dose:\n"
                    "          - {call: unknown}\n"
                    "          - {dose: 800 mg/day, call: sensitive, evidence: [{cite: A, kind: clinical}]}\n"
                    "          - {dose: 800 mg/day, call: resistant}\n");
    ASSERT_EQ(p.size(), 3u);
    EXPECT_NE(p[0].find("missing required key 'dose'"), std::string::npos) << p[0];
    EXPECT_NE(p[1].find("a resistant call has no evidence"), std::string::npos) << p[1];
    EXPECT_NE(p[2].find("dose '800 mg/day' given twice"), std::string::npos) << p[2];
}

TEST(PanelCompound, RuleLoadsAndMatchesOneMemberPerComponent) {
    const ActivityPanel panel =
        load(kHead + rule("r", "    variant: D816V\n") +
             "compound:\n  - id: ap-al\n    gene: KIT\n"
             "    all_of: [{exons: [13, 14]}, {exons: [17, 18]}]\n"
             "    activity:\n      imatinib: {call: resistant, evidence: [{cite: A, kind: clinical}]}\n");
    ASSERT_EQ(panel.compound_rules().size(), 1u);
    EXPECT_NE(panel.match_compound({{"KIT", 13}, {"KIT", 17}}), nullptr);
    EXPECT_NE(panel.match_compound({{"KIT", 17}, {"KIT", 14}}), nullptr);
    EXPECT_EQ(panel.match_compound({{"KIT", 17}, {"KIT", 18}}), nullptr);  // no pocket member
    EXPECT_EQ(panel.match_compound({{"KIT", 13}}), nullptr);
    EXPECT_EQ(panel.match_compound({{"PDGFRA", 13}, {"KIT", 17}}), nullptr);
}

TEST(PanelCompound, MalformedComponentsAreErrors) {
    const auto p = problems_of(kHead + rule("r", "    variant: D816V\n") +
                               "compound:\n  - id: x\n    gene: KIT\n    all_of: [{exons: [13]}]\n"
                               "    activity: {}\n");
    ASSERT_FALSE(p.empty());
    EXPECT_NE(p[0].find("'all_of' must list at least two components"), std::string::npos) << p[0];
}

}  // namespace
}  // namespace kitrx
