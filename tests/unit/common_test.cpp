// SPDX-License-Identifier: MIT
// Tests of the common module: the YAML tree, strict-schema helpers, text helpers and the one
// Wilson interval. Kinds: Wilson bounds are published values (Newcombe 1998, Stat Med 17:857,
// Table I, method 3); YAML marks and conversions are hand-derived from the YAML text and
// yaml-cpp's documented behaviour; the rest are hand-derived expectations.
#include <cmath>

#include <gtest/gtest.h>

#include "kitrx/common/errors.hpp"
#include "kitrx/common/stats.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/common/yaml_schema.hpp"

namespace kitrx {
namespace {

TEST(Wilson, MatchesNewcombe1998TableI) {
    struct Case {
        int x, n;
        double low, high;
    };
    // Newcombe (1998) Table I, "score method without continuity correction", 4 decimals.
    const Case cases[] = {
        {81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611}, {1, 29, 0.0061, 0.1718}};
    for (const auto& c : cases) {
        const ProportionInterval ci = wilson_interval(c.x, c.n);
        EXPECT_NEAR(ci.low, c.low, 5e-5) << c.x << "/" << c.n;
        EXPECT_NEAR(ci.high, c.high, 5e-5) << c.x << "/" << c.n;
    }
}

TEST(Wilson, ExactEndsAndUndefinedInputs) {
    EXPECT_EQ(wilson_interval(0, 500).low, 0.0);
    EXPECT_EQ(wilson_interval(500, 500).high, 1.0);
    EXPECT_FALSE(wilson_interval(0, 0).known());
    EXPECT_FALSE(wilson_interval(3, 2).known());
    EXPECT_FALSE(wilson_interval(-1, 2).known());
}

TEST(Text, SplitKeepsEmptyFieldsLikeCut) {
    EXPECT_EQ(split_tabs(""), std::vector<std::string>{""});
    EXPECT_EQ(split_tabs("a\t\tb\t"), (std::vector<std::string>{"a", "", "b", ""}));
    EXPECT_EQ(tab_columns("ab\tc\t\td"), (std::vector<int>{1, 4, 6, 7}));
    EXPECT_EQ(trim_view(" \tx y\r"), "x y");
    EXPECT_EQ(trim("   "), "");
    EXPECT_EQ(join({"a", "b"}, "|"), "a|b");
    EXPECT_EQ(lower("KiT"), "kit");
    EXPECT_EQ(upper("d816v"), "D816V");
}

TEST(Text, SuggestsTheClosestCandidateOnly) {
    EXPECT_EQ(edit_distance("sunitnib", "sunitinib"), 1u);
    EXPECT_EQ(suggestion("sunitnib", {"imatinib", "sunitinib"}), "did you mean 'sunitinib'?");
    EXPECT_EQ(suggestion("zzzzzz", {"imatinib", "sunitinib"}), "");
}

TEST(Yaml, TreeKindsMarksAndLookups) {
    const yaml::Node root = yaml::load("name: demo\nlist:\n  - 1\n  - two\nempty:\nmap: {a: b}\n");
    ASSERT_TRUE(root.IsMap());
    EXPECT_EQ(root.size(), 4u);
    EXPECT_EQ(root["name"].Scalar(), "demo");
    EXPECT_EQ(root["name"].Mark().line, 0);
    EXPECT_EQ(root["name"].Mark().column, 6);
    const yaml::Node list = root["list"];
    ASSERT_TRUE(list.IsSequence());
    EXPECT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].Scalar(), "two");
    EXPECT_EQ(list[1].Mark().line, 3);
    EXPECT_FALSE(list[2].IsDefined());
    EXPECT_TRUE(root["empty"].IsNull());
    EXPECT_EQ(root["map"]["a"].Scalar(), "b");
    EXPECT_FALSE(root["missing"]);
    std::vector<std::string> keys;
    for (const auto& kv : root) keys.push_back(kv.first.Scalar());
    EXPECT_EQ(keys, (std::vector<std::string>{"name", "list", "empty", "map"}));
    std::vector<std::string> items;
    for (const auto& item : list) items.push_back(item.Scalar());
    EXPECT_EQ(items, (std::vector<std::string>{"1", "two"}));
}

TEST(Yaml, RepeatedKeysStayVisibleToTheStrictReader) {
    const yaml::Node root = yaml::load("id: a\nid: b\nname: x\nnmae: y\n");
    yaml::Problems problems("f.yaml");
    const yaml::Fields fields(root, "the entry", {"id", "name"}, problems);
    ASSERT_NE(fields.get("id"), nullptr);
    EXPECT_EQ(fields.get("id")->value.Scalar(), "a");
    const auto lines = problems.lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "f.yaml:2:1: duplicate key 'id' in the entry; first given at line 1");
    EXPECT_EQ(lines[1],
              "f.yaml:4:1: unknown key 'nmae' in the entry; did you mean 'name'? allowed keys: id, name");
}

TEST(Yaml, ProblemsAreSortedByPositionAndRaisedAsOneError) {
    yaml::Problems problems("p.yaml");
    problems.add(yaml::Mark{0, 4, 2}, "second", "hint");
    problems.add(yaml::Mark{0, 1, 0}, "first");
    try {
        problems.raise<ProblemListError>();
        FAIL() << "raise() returned";
    } catch (const ProblemListError& e) {
        EXPECT_STREQ(e.what(), "p.yaml:2:1: first\np.yaml:5:3: second; hint");
        EXPECT_EQ(e.file(), "p.yaml");
        EXPECT_EQ(e.problems().size(), 2u);
    }
}

TEST(Yaml, ProblemsAreCapped) {
    yaml::Problems problems("p.yaml");
    for (int i = 0; i < 150; ++i) problems.add(yaml::Mark{0, i, 0}, "bad");
    const auto lines = problems.lines();
    ASSERT_EQ(lines.size(), yaml::Problems::kMaxProblems + 1);
    EXPECT_EQ(lines.back(), "p.yaml: 50 more problems not listed (the first 100 are shown)");
}

TEST(Yaml, ConversionsAreYamlCpps) {
    int v = 0;
    bool b = false;
    const yaml::Node root = yaml::load("a: 42\nb: yes\nc: 4x\nd: off\n");
    EXPECT_TRUE(root["a"].decode_int(v));
    EXPECT_EQ(v, 42);
    EXPECT_FALSE(root["c"].decode_int(v));
    EXPECT_TRUE(root["b"].decode_bool(b));
    EXPECT_TRUE(b);
    EXPECT_TRUE(root["d"].decode_bool(b));
    EXPECT_FALSE(b);
}

TEST(Yaml, SyntaxErrorsCarryTheMark) {
    try {
        (void)yaml::load("a: [1, 2\nb: 3\n");
        FAIL() << "no error";
    } catch (const yaml::SyntaxError& e) {
        EXPECT_FALSE(e.msg.empty());
        EXPECT_GE(e.mark.line, 0);
    }
}

TEST(Yaml, FindsASecondDocumentOnlyAfterContent) {
    EXPECT_EQ(yaml::second_document_line("---\na: 1\n"), 0);
    EXPECT_EQ(yaml::second_document_line("# c\n---\na: 1\n---\nb: 2\n"), 4);
    EXPECT_EQ(yaml::second_document_line("a: '---'\n  --- not a marker\n"), 0);
    EXPECT_EQ(yaml::second_document_line("a: 1\n--- # next\n"), 2);
}

}  // namespace
}  // namespace kitrx
