// SPDX-License-Identifier: MIT
// The co-culture reference set design (test-data/validation/coculture/): every cell-line allele
// sits on the shipped GRCh38 reference, kitrx names it as the design says, and every mixture's
// proportions sum to 1. A wrong coordinate here would silently turn true positives into misses.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kitrx/genome/genome.hpp"
#include "kitrx/genome/hgvs.hpp"
#include "test_paths.hpp"

namespace kitrx {
namespace {

std::vector<std::map<std::string, std::string>> read_design(const std::string& rel) {
    std::ifstream in(test::test_data(rel));
    EXPECT_TRUE(in.good()) << rel;
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::string> header;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f;
        std::istringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, '\t')) f.push_back(cell);
        if (header.empty()) {
            header = f;
            continue;
        }
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
        rows.push_back(row);
    }
    return rows;
}

TEST(CocultureDesign, EveryLineAlleleMatchesTheReferenceAndIsNamedAsDesigned) {
    const auto rows = read_design("validation/coculture/lines.tsv");
    ASSERT_EQ(rows.size(), 13u);
    const GenomeModel& model = GenomeModel::builtin(Build::kGRCh38);
    const VariantNamer namer(model);
    for (const auto& r : rows) {
        const std::int64_t pos0 = std::stoll(r.at("pos")) - 1;
        EXPECT_EQ(namer.check_ref(pos0, r.at("ref")), "") << r.at("line") << " " << r.at("protein");
        const VariantName n = namer.name(r.at("gene"), pos0, r.at("ref"), r.at("alt"));
        EXPECT_EQ(n.protein, r.at("protein")) << r.at("line");
        EXPECT_EQ(n.hgvs_c, r.at("hgvs_c")) << r.at("line");
        EXPECT_EQ(std::to_string(n.exon), r.at("exon")) << r.at("line");
    }
}

TEST(CocultureDesign, DeletionsAreTheDocumentedLengths) {
    // GIST-T1: 57 bp (19 codons, V560..Y578); GIST430 (chosen allele): 51 bp (17 codons, V560..L576).
    for (const auto& r : read_design("validation/coculture/lines.tsv")) {
        if (r.at("protein") == "V560_Y578del") EXPECT_EQ(r.at("ref").size() - r.at("alt").size(), 57u);
        if (r.at("protein") == "V560_L576del") EXPECT_EQ(r.at("ref").size() - r.at("alt").size(), 51u);
    }
}

TEST(CocultureDesign, HaplotypeSharesAndMixtureProportionsAddUp) {
    std::map<std::string, std::map<std::string, double>> shares;  // line -> haplotype -> share
    for (const auto& r : read_design("validation/coculture/lines.tsv"))
        shares[r.at("line")][r.at("haplotype")] = std::stod(r.at("share"));
    for (const auto& [line, haps] : shares) {
        double total = 0;
        for (const auto& [hap, share] : haps) total += share;
        EXPECT_LE(total, 1.0 + 1e-12) << line;  // the rest of the alleles are reference
    }
    EXPECT_DOUBLE_EQ(shares["GIST48"]["1"] + shares["GIST48"]["2"], 1.0);  // V560D homozygous
    std::map<std::string, double> sums;
    for (const auto& r : read_design("validation/coculture/mixtures.tsv")) {
        EXPECT_TRUE(shares.count(r.at("line"))) << r.at("line");
        sums[r.at("mixture")] += std::stod(r.at("proportion"));
    }
    ASSERT_EQ(sums.size(), 3u);
    for (const auto& [mixture, sum] : sums) EXPECT_NEAR(sum, 1.0, 1e-12) << mixture;
}

}  // namespace
}  // namespace kitrx
