// SPDX-License-Identifier: MIT
#include "kitrx/genome/genome.hpp"

#include <gtest/gtest.h>

namespace kitrx {
namespace {

TEST(GenomeModel, KitTranscriptMatchesShippedCdsAndProtein) {
    for (Build build : {Build::kGRCh37, Build::kGRCh38}) {
        const auto& model = GenomeModel::builtin(build);
        const auto& kit = model.transcript("KIT");
        EXPECT_EQ(kit.cds.size(), 2931u);
        EXPECT_EQ(kit.protein.size(), 976u);
        EXPECT_EQ(kit.exons.size(), 21u);
        // CDS rebuilt from exon coordinates on the shipped reference equals the shipped CDS.
        std::string cds;
        for (const auto& e : kit.exons) cds += model.reference().fetch(e.cds_begin, e.cds_end);
        EXPECT_EQ(cds, kit.cds) << to_string(build);
    }
}

TEST(GenomeModel, PdgfraCdsRebuiltFromReference) {
    for (Build build : {Build::kGRCh37, Build::kGRCh38}) {
        const auto& model = GenomeModel::builtin(build);
        const auto& t = model.transcript("PDGFRA");
        std::string cds;
        for (const auto& e : t.exons) cds += model.reference().fetch(e.cds_begin, e.cds_end);
        EXPECT_EQ(cds, t.cds) << to_string(build);
        EXPECT_EQ(t.protein.size(), 1089u);
    }
}

TEST(GenomeModel, D816IsInExon17InBothBuilds) {
    // GRCh37 55599321 / GRCh38 54733155 (1-based), c.2447.
    EXPECT_EQ(GenomeModel::builtin(Build::kGRCh37).transcript("KIT").exon_at(55599320)->number, 17);
    EXPECT_EQ(GenomeModel::builtin(Build::kGRCh38).transcript("KIT").exon_at(54733154)->number, 17);
    EXPECT_EQ(GenomeModel::builtin(Build::kGRCh38).reference().fetch(54733154, 54733155), "A");
}

TEST(GenomeModel, DefaultTargetsAreTheSixKitHotspotExonsWithSpliceFlanks) {
    const auto targets = GenomeModel::builtin(Build::kGRCh37).targets({"KIT"});
    ASSERT_EQ(targets.size(), 6u);
    EXPECT_EQ(targets[1].exon, 11);
    EXPECT_EQ(targets[1].begin, 55593582 - 1 - kSpliceRegionIntronic);
    EXPECT_EQ(targets[1].end, 55593708 + kSpliceRegionIntronic);
}

TEST(Build, ParsesCommonSpellings) {
    EXPECT_EQ(parse_build("hg19"), Build::kGRCh37);
    EXPECT_EQ(parse_build("GRCh38"), Build::kGRCh38);
    EXPECT_FALSE(parse_build("hg18").has_value());
    EXPECT_TRUE(is_chr4_name("chr4"));
    EXPECT_TRUE(is_chr4_name("4"));
    EXPECT_FALSE(is_chr4_name("chr14"));
}

}  // namespace
}  // namespace kitrx
