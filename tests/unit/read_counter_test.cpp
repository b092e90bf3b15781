// SPDX-License-Identifier: MIT
// ReadCounter on hand-made reads: every expectation is derived from the reads the test builds.
#include "kitrx/io/read_counter.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "read_builder.hpp"

namespace kitrx {
namespace {

using test::ReadBuilder;

// KIT exon 17 on GRCh38 (coding 54733070-54733192, 1-based).
constexpr std::int64_t kRegionBegin = 54733080;
constexpr std::int64_t kRegionEnd = 54733200;

const ReferenceSequence& reference() {
    return GenomeModel::builtin(Build::kGRCh38).reference();
}
std::string ref(std::int64_t b, std::int64_t e) {
    return std::string(reference().fetch(b, e));
}
char ref_at(std::int64_t p) {
    return reference().fetch(p, p + 1)[0];
}
char other(char b) {
    return b == 'A' ? 'C' : 'A';
}
int slot(char b) {
    switch (b) {
        case 'A':
            return kSlotA;
        case 'C':
            return kSlotC;
        case 'G':
            return kSlotG;
        case 'T':
            return kSlotT;
        default:
            return kSlotN;
    }
}

CounterSettings settings() {
    return CounterSettings{};
}

CountTable count(const std::vector<ReadView>& reads,
                 CounterSettings s = settings(),
                 CountStats* stats = nullptr) {
    ReadCounter counter({{kRegionBegin, kRegionEnd}}, reference(), s);
    for (const auto& r : reads) counter.add(r);
    CountTable t = counter.finish();
    if (stats) *stats = counter.stats();
    return t;
}

ReadBuilder ref_read(const std::string& name, std::int64_t pos0, int length) {
    ReadBuilder r(name);
    r.pos0(pos0).cigar(std::to_string(length) + "M").seq(ref(pos0, pos0 + length));
    return r;
}

TEST(ReadCounter, SingleForwardRead_CountsEachCoveredPositionOnce) {
    auto r = ref_read("r", kRegionBegin + 10, 30);
    const CountTable t = count({r.view()});
    EXPECT_EQ(t.depth_at(kRegionBegin + 9), 0u);
    for (std::int64_t p = kRegionBegin + 10; p < kRegionBegin + 40; ++p) {
        ASSERT_EQ(t.depth_at(p), 1u) << p;
        EXPECT_EQ(t.at(p)->fwd[slot(ref_at(p))], 1u);
    }
    EXPECT_EQ(t.depth_at(kRegionBegin + 40), 0u);
    EXPECT_TRUE(t.alleles().empty());
}

TEST(ReadCounter, ReadCrossingTheRegionEdge_OnlyInsidePositionsExist) {
    auto r = ref_read("r", kRegionBegin - 20, 40);
    r.flag(kFlagReverse);
    const CountTable t = count({r.view()});
    EXPECT_EQ(t.at(kRegionBegin - 1), nullptr);
    EXPECT_EQ(t.depth_at(kRegionBegin), 1u);
    EXPECT_EQ(t.at(kRegionBegin)->rev[slot(ref_at(kRegionBegin))], 1u);
    EXPECT_EQ(t.depth_at(kRegionBegin + 19), 1u);
    EXPECT_EQ(t.depth_at(kRegionBegin + 20), 0u);
}

TEST(ReadCounter, DefaultFilters_SkipFlaggedAndLowMapqReads) {
    const std::int64_t p = kRegionBegin + 5;
    auto dup = ref_read("dup", p, 20).flag(kFlagDuplicate);
    auto sec = ref_read("sec", p, 20).flag(kFlagSecondary);
    auto sup = ref_read("sup", p, 20).flag(kFlagSupplementary);
    auto qc = ref_read("qc", p, 20).flag(kFlagQcFail);
    auto lowq = ref_read("lowmapq", p, 20).mapq(19);
    auto unmapped = ref_read("unmapped", p, 20).flag(kFlagUnmapped);
    CountStats stats;
    const std::vector<ReadView> reads{dup.view(), sec.view(),  sup.view(),
                                      qc.view(),  lowq.view(), unmapped.view()};
    EXPECT_EQ(count(reads, settings(), &stats).depth_at(p), 0u);
    EXPECT_EQ(stats.filtered_duplicate, 1);
    EXPECT_EQ(stats.filtered_secondary, 1);
    EXPECT_EQ(stats.filtered_supplementary, 1);
    EXPECT_EQ(stats.filtered_qcfail, 1);
    EXPECT_EQ(stats.filtered_mapq, 1);
    EXPECT_EQ(stats.unmapped, 1);

    CounterSettings keep = settings();
    keep.filters.keep_duplicates = keep.filters.keep_secondary = keep.filters.keep_supplementary = true;
    keep.filters.keep_qcfail = true;
    keep.filters.min_mapq = 0;
    EXPECT_EQ(count(reads, keep).depth_at(p), 5u);  // the unmapped read never counts
}

TEST(ReadCounter, LowQualityBase_NotCountedAndNotAnAllele) {
    const std::int64_t p = kRegionBegin + 10;
    std::string s = ref(p, p + 20);
    s[5] = other(s[5]);
    ReadBuilder r("r");
    r.pos0(p).cigar("20M").seq(s).qual(30).qual_at(5, 19);
    const CountTable t = count({r.view()});
    EXPECT_EQ(t.depth_at(p + 5), 0u);
    EXPECT_EQ(t.depth_at(p + 4), 1u);
    EXPECT_TRUE(t.alleles().empty());
}

TEST(ReadCounter, MissingQualities_CountAsPassing) {
    auto r = ref_read("r", kRegionBegin, 10);
    r.no_qual();
    EXPECT_EQ(count({r.view()}).depth_at(kRegionBegin + 3), 1u);
}

// Read 1 reverse at p + 10, read 2 forward at p: they overlap on [p + 10, p + 30).
struct Pair {
    ReadBuilder r2{"frag"};
    ReadBuilder r1{"frag"};
    std::int64_t p = kRegionBegin + 20;
    Pair() {
        r2 = ref_read("frag", p, 30);
        r2.pair(false, p + 10, false, true);
        r1 = ref_read("frag", p + 10, 30);
        r1.pair(true, p, true, false);
    }
};

TEST(ReadCounter, OverlappingMatesAgree_CountOnceOnRead1Strand) {
    Pair f;
    CountStats stats;
    const CountTable t = count({f.r2.view(), f.r1.view()}, settings(), &stats);
    const std::int64_t p = f.p;
    EXPECT_EQ(t.depth_at(p + 15), 1u);
    EXPECT_EQ(t.at(p + 15)->rev[slot(ref_at(p + 15))], 1u);  // read 1 is reverse
    EXPECT_EQ(t.at(p + 5)->fwd[slot(ref_at(p + 5))], 1u);    // only read 2 (forward)
    EXPECT_EQ(t.at(p + 35)->rev[slot(ref_at(p + 35))], 1u);  // only read 1
    EXPECT_EQ(stats.overlapping_pairs, 1);
    EXPECT_EQ(stats.fragments, 1);
}

TEST(ReadCounter, CountReadsMode_CountsOverlappingMatesTwice) {
    Pair f;
    CounterSettings s = settings();
    s.filters.count_overlapping_mates_once = false;
    const CountTable t = count({f.r2.view(), f.r1.view()}, s);
    EXPECT_EQ(t.depth_at(f.p + 15), 2u);
    EXPECT_EQ(t.depth_at(f.p + 5), 1u);
}

TEST(ReadCounter, MatesDisagree_HigherQualityBaseWins) {
    for (const bool alt_higher : {true, false}) {
        Pair f;
        const std::int64_t x = f.p + 15;  // in the overlap; offset 5 in read 1
        std::string s = ref(f.p + 10, f.p + 40);
        s[5] = other(s[5]);
        f.r1.seq(s).qual(30).qual_at(5, alt_higher ? 35 : 25);
        CountStats stats;
        const CountTable t = count({f.r2.view(), f.r1.view()}, settings(), &stats);
        EXPECT_EQ(t.depth_at(x), 1u);
        EXPECT_EQ(t.at(x)->total(slot(other(ref_at(x)))), alt_higher ? 1u : 0u);
        EXPECT_EQ(t.at(x)->total(slot(ref_at(x))), alt_higher ? 0u : 1u);
        EXPECT_EQ(t.alleles().size(), alt_higher ? 1u : 0u);
        EXPECT_EQ(stats.mate_disagreements, 1);
    }
}

TEST(ReadCounter, MatesDisagreeWithEqualQuality_CountAsN) {
    Pair f;
    const std::int64_t x = f.p + 15;
    std::string s = ref(f.p + 10, f.p + 40);
    s[5] = other(s[5]);
    f.r1.seq(s).qual(30);
    CountStats stats;
    const CountTable t = count({f.r2.view(), f.r1.view()}, settings(), &stats);
    EXPECT_EQ(t.depth_at(x), 1u);
    EXPECT_EQ(t.at(x)->total(kSlotN), 1u);
    EXPECT_TRUE(t.alleles().empty());
    EXPECT_EQ(stats.mate_ties_masked, 1);
}

TEST(ReadCounter, MateBaseBelowMinQuality_OtherMateCounts) {
    Pair f;
    const std::int64_t x = f.p + 15;
    std::string s = ref(f.p + 10, f.p + 40);
    s[5] = other(s[5]);
    f.r1.seq(s).qual(30).qual_at(5, 10);
    const CountTable t = count({f.r2.view(), f.r1.view()});
    EXPECT_EQ(t.depth_at(x), 1u);
    EXPECT_EQ(t.at(x)->total(slot(ref_at(x))), 1u);
}

TEST(ReadCounter, MateFilteredOut_WaitingReadCountsAlone) {
    Pair f;
    f.r1.flag(static_cast<std::uint16_t>(kFlagPaired | kFlagRead1 | kFlagReverse | kFlagDuplicate));
    auto later = ref_read("later", f.p + 60, 10);
    const CountTable t = count({f.r2.view(), f.r1.view(), later.view()});
    EXPECT_EQ(t.depth_at(f.p + 15), 1u);
    EXPECT_EQ(t.depth_at(f.p + 35), 0u);  // read 1 was the duplicate
}

TEST(ReadCounter, ReadsOutOfOrder_Throw) {
    auto a = ref_read("a", kRegionBegin + 20, 10);
    auto b = ref_read("b", kRegionBegin + 10, 10);
    ReadCounter counter({{kRegionBegin, kRegionEnd}}, reference(), settings());
    counter.add(a.view());
    EXPECT_THROW(counter.add(b.view()), std::invalid_argument);
}

TEST(ReadCounter, SnvAtTheFirstBaseOfARead_IsAnAllele) {
    const std::int64_t p = kRegionBegin + 30;
    std::string s = ref(p, p + 20);
    s[0] = other(s[0]);
    ReadBuilder r("r");
    r.pos0(p).cigar("20M").seq(s);
    const CountTable t = count({r.view()});
    ASSERT_EQ(t.alleles().size(), 1u);
    EXPECT_EQ(t.alleles()[0].pos0, p);
    EXPECT_EQ(t.alleles()[0].ref, std::string(1, ref_at(p)));
    EXPECT_EQ(t.alleles()[0].alt, std::string(1, s[0]));
}

// Offset (from kRegionBegin) of a base whose left-shift is blocked: ref[a-1] != ref[a + k - 1]
// for a k-base indel starting at a.
std::int64_t unshiftable(std::int64_t from, int k) {
    for (std::int64_t a = from;; ++a)
        if (ref_at(a - 1) != ref_at(a + k - 1)) return a;
}

TEST(ReadCounter, Deletion_AnchoredAtThePrecedingBase_DeletedPositionsCounted) {
    const std::int64_t a = unshiftable(kRegionBegin + 30, 3);  // deleted: [a, a + 3)
    const std::int64_t p = a - 10;
    ReadBuilder r("r");
    r.pos0(p).cigar("10M3D10M").seq(ref(p, a) + ref(a + 3, a + 13)).flag(kFlagReverse);
    const CountTable t = count({r.view()});
    ASSERT_EQ(t.alleles().size(), 1u);
    const AlleleCount& d = t.alleles()[0];
    EXPECT_EQ(d.pos0, a - 1);
    EXPECT_EQ(d.ref, ref(a - 1, a + 3));
    EXPECT_EQ(d.alt, std::string(1, ref_at(a - 1)));
    EXPECT_TRUE(d.is_deletion());
    EXPECT_EQ(d.rev, 1u);
    for (std::int64_t x = a; x < a + 3; ++x) EXPECT_EQ(t.at(x)->rev[kSlotDeleted], 1u);
    EXPECT_EQ(t.depth_at(a + 1), 1u);
}

TEST(ReadCounter, DeletionPlacedDifferentlyInARepeat_IsOneAllele) {
    std::int64_t h = kRegionBegin + 10;  // first base of a run of >= 3 equal bases
    while (!(ref_at(h) == ref_at(h + 1) && ref_at(h + 1) == ref_at(h + 2) && ref_at(h - 1) != ref_at(h))) ++h;
    ASSERT_LT(h + 20, kRegionEnd);
    // Read a deletes the run's first base, read b its third: the same haplotype.
    const std::int64_t p = h - 10;
    ReadBuilder a("a"), b("b");
    a.pos0(p).cigar("10M1D15M").seq(ref(p, h) + ref(h + 1, h + 16));
    b.pos0(p).cigar("12M1D13M").seq(ref(p, h + 2) + ref(h + 3, h + 16));
    ASSERT_EQ(ref(p, h) + ref(h + 1, h + 16), ref(p, h + 2) + ref(h + 3, h + 16));
    const CountTable t = count({a.view(), b.view()});
    ASSERT_EQ(t.alleles().size(), 1u);
    EXPECT_EQ(t.alleles()[0].pos0, h - 1);  // left-most placement, anchored before the run
    EXPECT_EQ(t.alleles()[0].ref, ref(h - 1, h + 1));
    EXPECT_EQ(t.alleles()[0].total(), 2u);
}

TEST(ReadCounter, Insertion_AnchoredAtThePrecedingBase) {
    const std::int64_t a = kRegionBegin + 40;  // inserted after a
    const std::string ins =
        std::string("GG") + other(ref_at(a));  // last base differs from the anchor: no shift
    const std::int64_t p = a - 9;
    ReadBuilder r("r");
    r.pos0(p).cigar("10M3I10M").seq(ref(p, a + 1) + ins + ref(a + 1, a + 11));
    const CountTable t = count({r.view()});
    ASSERT_EQ(t.alleles().size(), 1u);
    EXPECT_EQ(t.alleles()[0].pos0, a);
    EXPECT_EQ(t.alleles()[0].ref, std::string(1, ref_at(a)));
    EXPECT_EQ(t.alleles()[0].alt, std::string(1, ref_at(a)) + ins);
    EXPECT_EQ(t.depth_at(a), 1u);  // insertions do not add depth
}

TEST(ReadCounter, Duplication_LeftShiftedBeforeTheCopiedBases) {
    // Copy of [a, a + 3) inserted after a + 2; left-shifting stops at a - 1 when
    // ref[a - 1] != ref[a + 2] (worked by hand: the rotation returns to xyz at anchor a - 1).
    const std::int64_t a = unshiftable(kRegionBegin + 40, 3);
    const std::string dup = ref(a, a + 3);
    const std::int64_t p = a - 7;
    ReadBuilder r("r");
    r.pos0(p).cigar("10M3I10M").seq(ref(p, a + 3) + dup + ref(a + 3, a + 13));
    const CountTable t = count({r.view()});
    ASSERT_EQ(t.alleles().size(), 1u);
    EXPECT_EQ(t.alleles()[0].pos0, a - 1);
    EXPECT_EQ(t.alleles()[0].alt, std::string(1, ref_at(a - 1)) + dup);
}

TEST(ReadCounter, AdjacentMismatches_AreOneMnv_SeparatedByTwoMatchesAreTwoSnvs) {
    const std::int64_t p = kRegionBegin + 20, x = p + 10;
    std::string mnv = ref(p, p + 30), gap1 = mnv, gap2 = mnv;
    mnv[10] = other(mnv[10]);
    mnv[11] = other(mnv[11]);
    gap1[10] = other(gap1[10]);
    gap1[12] = other(gap1[12]);
    gap2[10] = other(gap2[10]);
    gap2[13] = other(gap2[13]);
    ReadBuilder a("a"), b("b"), c("c");
    a.pos0(p).cigar("30M").seq(mnv);
    b.pos0(p).cigar("30M").seq(gap1);
    c.pos0(p).cigar("30M").seq(gap2);
    const CountTable t = count({a.view(), b.view(), c.view()});
    std::vector<std::string> got;
    for (const auto& al : t.alleles())
        got.push_back(std::to_string(al.pos0 - x) + ":" + al.ref + ">" + al.alt);
    const std::vector<std::string> want{
        "0:" + std::string(1, ref_at(x)) + ">" + std::string(1, other(ref_at(x))),  // from c
        "0:" + ref(x, x + 2) + ">" + mnv.substr(10, 2),                             // a: MNV
        "0:" + ref(x, x + 3) + ">" + gap1.substr(10, 3),  // b: one match inside (merge_gap 1)
        "3:" + std::string(1, ref_at(x + 3)) + ">" + std::string(1, gap2[13]),  // c: second SNV
    };
    std::vector<std::string> sorted_want = want, sorted_got = got;
    std::sort(sorted_want.begin(), sorted_want.end());
    std::sort(sorted_got.begin(), sorted_got.end());
    EXPECT_EQ(sorted_got, sorted_want);
}

TEST(ReadCounter, DeletionInOneMateOnly_CountedWhenItsQualityIsHigher) {
    for (const int other_quality : {30, 40}) {
        const std::int64_t a = unshiftable(kRegionBegin + 40, 2);  // deleted [a, a + 2)
        const std::int64_t p = a - 15;
        ReadBuilder r2("f"), r1("f");
        r2.pos0(p).cigar("40M").seq(ref(p, p + 40)).qual(other_quality).pair(false, p + 5, false, true);
        r1.pos0(p + 5)
            .cigar("10M2D20M")
            .seq(ref(p + 5, a) + ref(a + 2, a + 22))
            .qual(35)
            .pair(true, p, true, false);
        const CountTable t = count({r2.view(), r1.view()});
        EXPECT_EQ(t.alleles().size(), other_quality < 35 ? 1u : 0u) << other_quality;
        EXPECT_EQ(t.depth_at(a - 1), 1u);
        // Deleted positions: deletion quality 35 (its flanks) against the other mate's base.
        EXPECT_EQ(t.at(a)->total(kSlotDeleted), other_quality < 35 ? 1u : 0u);
    }
}

TEST(ReadCounter, MatesWaitOnlyWhileTheirMateCanStillOverlap) {
    // 5 overlapping pairs, each starting 20 bases after the previous one: a first mate waits
    // only until its mate (10 bases later) arrives, so never more than one is waiting.
    std::vector<ReadBuilder> reads;
    for (int i = 0; i < 5; ++i) {
        const std::int64_t p = kRegionBegin + i * 20;
        reads.push_back(ref_read("f" + std::to_string(i), p, 30));
        reads.back().pair(true, p + 10, false, true);
        reads.push_back(ref_read("f" + std::to_string(i), p + 10, 30));
        reads.back().pair(false, p, true, false);
    }
    std::vector<ReadView> views;
    for (auto& r : reads) views.push_back(r.view());
    std::sort(views.begin(), views.end(),
              [](const ReadView& x, const ReadView& y) { return x.pos0 < y.pos0; });
    CountStats stats;
    count(views, settings(), &stats);
    EXPECT_EQ(stats.overlapping_pairs, 5);
    EXPECT_EQ(stats.max_pending_mates, 1);
}

}  // namespace
}  // namespace kitrx
