// SPDX-License-Identifier: MIT
#include "kitrx/hgvs.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace kitrx {
namespace {

struct KnownVariant {
    std::map<std::string, std::string> f;
    const std::string& operator[](const std::string& k) const { return f.at(k); }
};

std::vector<KnownVariant> load_known_variants() {
    std::ifstream in(test::test_data("reference/known_variants.tsv"));
    std::vector<KnownVariant> rows;
    std::string line;
    std::vector<std::string> header;
    auto split = [](const std::string& s) {
        std::vector<std::string> out;
        std::stringstream ss(s);
        std::string x;
        while (std::getline(ss, x, '\t')) out.push_back(x);
        return out;
    };
    std::getline(in, line);
    header = split(line);
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto v = split(line);
        KnownVariant k;
        for (std::size_t i = 0; i < header.size() && i < v.size(); ++i) k.f[header[i]] = v[i];
        rows.push_back(k);
    }
    return rows;
}

TEST(VariantNamerKnownVariants, EveryRowGetsItsExactName) {
    const auto rows = load_known_variants();
    ASSERT_EQ(rows.size(), 92u);
    for (const auto& r : rows) {
        const Build build = *parse_build(r["build"]);
        const VariantNamer namer(GenomeModel::builtin(build));
        const std::int64_t pos0 = std::stoll(r["pos"]) - 1;
        SCOPED_TRACE(r["variant_id"] + " " + r["build"]);
        EXPECT_EQ(namer.check_ref(pos0, r["ref"]), "");
        EXPECT_EQ(namer.gene_at(pos0, r["ref"].size()), r["gene"]);
        const VariantName n = namer.name(r["gene"], pos0, r["ref"], r["alt"]);
        EXPECT_EQ(n.hgvs_c, r["hgvs_c"]);
        EXPECT_EQ("p." + n.protein, r["hgvs_p_1letter"]);
        EXPECT_EQ(n.hgvs_p, r["hgvs_p_3letter"]);
        EXPECT_EQ(n.exon, std::stoi(r["exon"]));
    }
}

}  // namespace
}  // namespace kitrx
