// SPDX-License-Identifier: MIT
// read_counter (io): the pileup engine (fragment-level counting of overlapping mates, base and
// mapping quality filters, indel placement). Over 600 lines on purpose: one hot loop and the
// mate-overlap bookkeeping it depends on; splitting would put the invariants in two files.
#include "kitrx/io/read_counter.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace kitrx {

namespace {

constexpr std::uint8_t kCodeDeleted = kSlotDeleted;  // 5
constexpr std::uint8_t kCodeSkipped = 6;             // CIGAR N: not counted
constexpr std::uint8_t kQualMissing = 0xff;

// BAM 4-bit base code -> slot (A C G T, everything else N).
constexpr std::array<std::uint8_t, 16> kNt16ToSlot = {4, 0, 1, 4, 2, 4, 4, 4, 3, 4, 4, 4, 4, 4, 4, 4};
constexpr char kSlotChar[] = "ACGTN*";

// Reference base -> slot (A C G T, anything else N), as a table: it runs once per read base.
constexpr std::array<std::uint8_t, 256> make_base_slots() {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = kSlotN;
    t['A'] = t['a'] = kSlotA;
    t['C'] = t['c'] = kSlotC;
    t['G'] = t['g'] = kSlotG;
    t['T'] = t['t'] = kSlotT;
    return t;
}
constexpr std::array<std::uint8_t, 256> kBaseSlot = make_base_slots();

std::uint8_t slot_of_base(char b) {
    return kBaseSlot[static_cast<unsigned char>(b)];
}

struct Insertion {
    std::int64_t after0 = 0;   // reference position of the base before the inserted bases
    std::uint32_t offset = 0;  // into Trace::inserted
    std::uint32_t length = 0;
    std::uint8_t min_qual = 0;  // lowest quality of the inserted bases
};

struct Event {
    std::int64_t pos0 = 0;       // normalised VCF position
    std::int64_t cover_end = 0;  // a mate must cover [pos0, cover_end) to confirm or refute it
    std::string ref;
    std::string alt;
    std::uint8_t quality = 0;
    bool matched = false;  // scratch for pair merging
};

// One read decoded onto the reference: one code + quality per reference position of its span.
struct Trace {
    std::string name;
    std::uint16_t flag = 0;
    std::int64_t begin = 0;  // aligned reference span [begin, end)
    std::int64_t end = 0;
    std::int64_t mate_pos0 = -1;
    std::uint64_t generation = 0;  // bumped on release, so stale expiry entries are ignored
    std::uint64_t name_hash = 0;   // of `name`, for the pending-mate table
    std::vector<std::uint8_t> code;
    std::vector<std::uint8_t> qual;
    std::vector<Insertion> insertions;
    std::string inserted;
    std::vector<Event> events;  // [0, n_events) valid; strings keep their capacity
    std::size_t n_events = 0;

    [[nodiscard]] bool reverse() const { return (flag & kFlagReverse) != 0; }
    [[nodiscard]] bool covers(std::int64_t b, std::int64_t e) const { return b >= begin && e <= end; }
    // Lowest quality of the read's aligned bases over [b, e) (clipped to the span).
    [[nodiscard]] std::uint8_t min_qual(std::int64_t b, std::int64_t e) const {
        std::uint8_t q = 0xff;
        for (std::int64_t p = std::max(b, begin); p < std::min(e, end); ++p)
            q = std::min(q, qual[static_cast<std::size_t>(p - begin)]);
        return q;
    }
};

std::uint64_t hash_name(std::string_view name) {  // FNV-1a
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

// Reads waiting for their mate, by name: open addressing with linear probing (no allocation per
// read; std::unordered_map allocated a node per entry and was a tenth of the run time).
class PendingTable {
public:
    [[nodiscard]] std::size_t size() const { return live_; }
    [[nodiscard]] Trace* find(std::string_view name, std::uint64_t h) const {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (!s.trace && !s.tombstone) return nullptr;
            if (s.trace && s.hash == h && s.trace->name == name) return s.trace;
        }
    }
    void insert(Trace* t) {
        if ((used_ + 1) * 2 > slots_.size()) rehash(std::max<std::size_t>(1024, live_ * 4));
        for (std::size_t i = t->name_hash & mask_;; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (!s.trace) {
                if (!s.tombstone) ++used_;
                s = {t->name_hash, t, false};
                ++live_;
                return;
            }
        }
    }
    void erase(const Trace* t) {
        if (slots_.empty()) return;
        for (std::size_t i = t->name_hash & mask_;; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (!s.trace && !s.tombstone) return;
            if (s.trace == t) {
                s = {0, nullptr, true};
                --live_;
                return;
            }
        }
    }
    template <typename F>
    void for_each(F&& f) const {
        for (const Slot& s : slots_)
            if (s.trace) f(s.trace);
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        Trace* trace = nullptr;
        bool tombstone = false;
    };
    void rehash(std::size_t capacity) {
        std::size_t n = 1;
        while (n < capacity) n <<= 1;
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(n, Slot{});
        mask_ = n - 1;
        used_ = live_ = 0;
        for (const Slot& s : old)
            if (s.trace) insert(s.trace);
    }
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    std::size_t used_ = 0;  // live + tombstones
    std::size_t live_ = 0;
};

struct PendingEntry {
    std::int64_t mate_pos0;
    Trace* trace;
    std::uint64_t generation;
    bool operator>(const PendingEntry& o) const { return mate_pos0 > o.mate_pos0; }
};

}  // namespace

std::uint32_t PositionCounts::depth() const {
    std::uint32_t d = 0;
    for (int s = 0; s < kSlotCount; ++s) d += fwd[s] + rev[s];
    return d;
}

std::vector<Interval> merge_intervals(std::vector<Interval> intervals) {
    std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
        return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
    });
    std::vector<Interval> out;
    for (const auto& iv : intervals) {
        if (iv.end <= iv.begin) continue;
        if (!out.empty() && iv.begin <= out.back().end)
            out.back().end = std::max(out.back().end, iv.end);
        else
            out.push_back(iv);
    }
    return out;
}

std::vector<Interval> to_intervals(const std::vector<TargetRegion>& targets) {
    std::vector<Interval> out;
    out.reserve(targets.size());
    for (const auto& t : targets) out.push_back({t.begin, t.end});
    return merge_intervals(std::move(out));
}

CountTable::CountTable(std::vector<Interval> regions, std::string reference_bases_by_region)
    : regions_(merge_intervals(std::move(regions))), reference_(std::move(reference_bases_by_region)) {
    std::int64_t total = 0;
    for (const auto& r : regions_) {
        offsets_.push_back(total);
        total += r.end - r.begin;
    }
    counts_.resize(static_cast<std::size_t>(total));
    if (reference_.size() != counts_.size()) reference_.assign(counts_.size(), 'N');
}

std::int64_t CountTable::index_of(std::int64_t pos0) const {
    auto it = std::upper_bound(regions_.begin(), regions_.end(), pos0,
                               [](std::int64_t p, const Interval& r) { return p < r.begin; });
    if (it == regions_.begin()) return -1;
    --it;
    if (pos0 >= it->end) return -1;
    const auto i = static_cast<std::size_t>(it - regions_.begin());
    return offsets_[i] + (pos0 - it->begin);
}

const PositionCounts* CountTable::at(std::int64_t pos0) const {
    const auto i = index_of(pos0);
    return i < 0 ? nullptr : &counts_[static_cast<std::size_t>(i)];
}

PositionCounts* CountTable::mutable_at(std::int64_t pos0) {
    const auto i = index_of(pos0);
    return i < 0 ? nullptr : &counts_[static_cast<std::size_t>(i)];
}

std::uint32_t CountTable::depth_at(std::int64_t pos0) const {
    const auto* c = at(pos0);
    return c ? c->depth() : 0;
}

char CountTable::reference_at(std::int64_t pos0) const {
    const auto i = index_of(pos0);
    return i < 0 ? 'N' : reference_[static_cast<std::size_t>(i)];
}

void CountTable::for_each_position(const std::function<void(std::int64_t, const PositionCounts&)>& f) const {
    for (std::size_t r = 0; r < regions_.size(); ++r)
        for (std::int64_t p = regions_[r].begin; p < regions_[r].end; ++p)
            f(p, counts_[static_cast<std::size_t>(offsets_[r] + (p - regions_[r].begin))]);
}

// ---------------------------------------------------------------------------------------------

struct ReadCounter::Impl {
    CounterSettings settings;
    const ReferenceSequence& reference;
    std::vector<Interval> regions;
    CountTable table;
    CountStats stats;
    std::int64_t last_pos0 = -1;

    // Alleles: key "pos\tREF\tALT" -> index in alleles.
    std::unordered_map<std::string, std::size_t> allele_index;
    std::vector<AlleleCount> alleles;
    std::string key_scratch;

    // Mates waiting for their overlapping mate.
    std::vector<std::unique_ptr<Trace>> pool;
    PendingTable pending;
    std::priority_queue<PendingEntry, std::vector<PendingEntry>, std::greater<PendingEntry>> expiry;

    // The shipped reference as base slots, per segment, for the per-base comparison.
    std::vector<std::vector<std::uint8_t>> segment_slots;

    // Slots of the reference from pos0 on (the caller checked that the span is covered).
    [[nodiscard]] const std::uint8_t* reference_slots(std::int64_t pos0) const {
        const auto& segments = reference.segments();
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const auto b = segments[i].begin, e = b + static_cast<std::int64_t>(segments[i].bases.size());
            if (pos0 >= b && pos0 < e) return segment_slots[i].data() + (pos0 - b);
        }
        return nullptr;
    }

    // Scratch for one fragment's counted events.
    std::vector<std::pair<const Event*, bool>> fragment_events;  // event, reverse strand
    std::string ref_scratch;

    Impl(std::vector<Interval> r, const ReferenceSequence& ref, CounterSettings s)
        : settings(std::move(s)), reference(ref), regions(merge_intervals(std::move(r))) {
        std::string bases;
        for (const auto& iv : regions) {
            if (reference.covers(iv.begin, iv.end))
                bases += reference.fetch(iv.begin, iv.end);
            else
                bases.append(static_cast<std::size_t>(iv.end - iv.begin), 'N');
        }
        table = CountTable(regions, std::move(bases));
        for (const auto& seg : reference.segments()) {
            segment_slots.emplace_back(seg.bases.size());
            for (std::size_t i = 0; i < seg.bases.size(); ++i)
                segment_slots.back()[i] = slot_of_base(seg.bases[i]);
        }
    }

    [[nodiscard]] bool overlaps_regions(std::int64_t b, std::int64_t e) const {
        for (const auto& r : regions)
            if (b < r.end && r.begin < e) return true;
        return false;
    }

    Trace* acquire() {
        if (pool.empty()) return new Trace();
        Trace* t = pool.back().release();
        pool.pop_back();
        return t;
    }
    void release(Trace* t) {
        ++t->generation;
        pool.emplace_back(t);
    }

    // --- read decoding -------------------------------------------------------------------

    static std::int64_t reference_length(const ReadView& r) {
        std::int64_t len = 0;
        for (std::size_t i = 0; i < r.cigar_ops; ++i) {
            const std::uint32_t op = r.cigar[i] & 0xf, n = r.cigar[i] >> 4;
            if (op == 0 || op == 2 || op == 3 || op == 7 || op == 8) len += n;
        }
        return len;
    }

    void decode(const ReadView& r, std::int64_t ref_len, Trace& t) {
        t.name.assign(r.name.data(), r.name.size());
        t.name_hash = hash_name(r.name);
        t.flag = r.flag;
        t.begin = r.pos0;
        t.end = r.pos0 + ref_len;
        t.mate_pos0 = r.mate_pos0;
        t.code.assign(static_cast<std::size_t>(ref_len), kCodeSkipped);
        t.qual.assign(static_cast<std::size_t>(ref_len), 0);
        t.insertions.clear();
        t.inserted.clear();
        t.n_events = 0;
        const bool have_qual = r.qual && r.length > 0 && r.qual[0] != kQualMissing;
        auto base_at = [&](std::int32_t q) -> std::uint8_t {
            const std::uint8_t byte = r.seq[q >> 1];
            return kNt16ToSlot[(q & 1) ? (byte & 0xf) : (byte >> 4)];
        };
        auto qual_at = [&](std::int32_t q) -> std::uint8_t { return have_qual ? r.qual[q] : kQualMissing; };
        std::int64_t pos = r.pos0;
        std::int32_t q = 0;
        bool has_deletion = false;
        for (std::size_t i = 0; i < r.cigar_ops; ++i) {
            const std::uint32_t op = r.cigar[i] & 0xf;
            const auto n = static_cast<std::int64_t>(r.cigar[i] >> 4);
            switch (op) {
                case 0:
                case 7:
                case 8:
                    // A read without SEQ ('*') still spans the reference; its positions stay
                    // uncounted.
                    {
                        const std::int64_t m =
                            std::max<std::int64_t>(0, std::min<std::int64_t>(n, r.length - q));
                        std::uint8_t* code = t.code.data() + (pos - t.begin);
                        std::uint8_t* qual = t.qual.data() + (pos - t.begin);
                        for (std::int64_t k = 0; k < m; ++k)
                            code[k] = base_at(q + static_cast<std::int32_t>(k));
                        if (have_qual)
                            std::memcpy(qual, r.qual + q, static_cast<std::size_t>(m));
                        else
                            std::memset(qual, kQualMissing, static_cast<std::size_t>(m));
                        pos += n;
                        q += static_cast<std::int32_t>(n);
                        break;
                    }
                case 1: {
                    if (pos > t.begin && q + n <= r.length) {
                        Insertion ins;
                        ins.after0 = pos - 1;
                        ins.offset = static_cast<std::uint32_t>(t.inserted.size());
                        ins.length = static_cast<std::uint32_t>(n);
                        ins.min_qual = 0xff;
                        for (std::int64_t k = 0; k < n; ++k) {
                            t.inserted.push_back(kSlotChar[base_at(q + static_cast<std::int32_t>(k))]);
                            ins.min_qual = std::min(ins.min_qual, qual_at(q + static_cast<std::int32_t>(k)));
                        }
                        t.insertions.push_back(ins);
                    }
                    q += static_cast<std::int32_t>(n);
                    break;
                }
                case 2:
                    has_deletion = true;
                    for (std::int64_t k = 0; k < n; ++k, ++pos)
                        t.code[static_cast<std::size_t>(pos - t.begin)] = kCodeDeleted;
                    break;
                case 3:
                    pos += n;
                    break;
                case 4:
                    q += static_cast<std::int32_t>(n);
                    break;
                default:
                    break;  // H, P
            }
        }
        // An insertion with no aligned base after it (trailing) cannot be placed: drop it.
        while (!t.insertions.empty() && t.insertions.back().after0 >= t.end - 1) t.insertions.pop_back();
        if (!has_deletion) return;
        // Deleted positions take the lower quality of the flanking read bases.
        const auto len = static_cast<std::size_t>(ref_len);
        for (std::size_t i = 0; i < len;) {
            if (t.code[i] != kCodeDeleted) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < len && t.code[j] == kCodeDeleted) ++j;
            std::uint8_t qd = 0xff;
            bool any = false;
            if (i > 0 && t.code[i - 1] < kCodeDeleted) qd = std::min(qd, t.qual[i - 1]), any = true;
            if (j < len && t.code[j] < kCodeDeleted) qd = std::min(qd, t.qual[j]), any = true;
            for (std::size_t k = i; k < j; ++k) t.qual[k] = any ? qd : 0;
            i = j;
        }
    }

    // --- alleles of one read ---------------------------------------------------------------

    Event& next_event(Trace& t) {
        if (t.n_events == t.events.size()) t.events.emplace_back();
        Event& e = t.events[t.n_events++];
        e.ref.clear();
        e.alt.clear();
        e.matched = false;
        return e;
    }

    // Trims and left-shifts `e` (VCF normalisation against the shipped reference).
    void normalise(Event& e) const {
        while (e.ref.size() > 1 && e.alt.size() > 1 && e.ref.back() == e.alt.back()) {
            e.ref.pop_back();
            e.alt.pop_back();
        }
        std::size_t lead = 0;
        while (e.ref.size() - lead > 1 && e.alt.size() - lead > 1 && e.ref[lead] == e.alt[lead]) ++lead;
        if (lead > 0) {
            e.ref.erase(0, lead);
            e.alt.erase(0, lead);
            e.pos0 += static_cast<std::int64_t>(lead);
        }
        const bool deletion = e.alt.size() == 1 && e.ref.size() > 1 && e.ref[0] == e.alt[0];
        const bool insertion = e.ref.size() == 1 && e.alt.size() > 1 && e.ref[0] == e.alt[0];
        if (!deletion && !insertion) return;
        // Shift left while the last base of the indel sequence equals the anchor base.
        std::string seq = deletion ? e.ref.substr(1) : e.alt.substr(1);
        std::int64_t anchor = e.pos0;
        while (anchor > 0 && reference.covers(anchor - 1, anchor) && seq.back() == e.ref[0]) {
            seq.pop_back();
            seq.insert(seq.begin(), e.ref[0]);
            --anchor;
            e.ref[0] = reference.fetch(anchor, anchor + 1)[0];
        }
        if (anchor == e.pos0) return;
        e.pos0 = anchor;
        const char a = e.ref[0];
        if (deletion) {
            e.ref = std::string(1, a) + seq;
            e.alt = std::string(1, a);
        } else {
            e.ref = std::string(1, a);
            e.alt = std::string(1, a) + seq;
        }
    }

    // Finds the read's alleles (clusters of differences) overlapping the regions.
    void find_events(Trace& t) {
        t.n_events = 0;
        // Reference from one base before the read (the anchor of an allele at its first base).
        if (t.end - t.begin < 1 || t.begin < 1 || !reference.covers(t.begin - 1, t.end)) return;
        const std::string_view ref = reference.fetch(t.begin - 1, t.end).substr(1);
        const int min_q = settings.filters.min_baseq;
        // Most reads match the reference: one branch-free (vectorisable) pass over the read
        // decides whether to look closer.
        if (t.insertions.empty()) {
            const std::size_t n = static_cast<std::size_t>(t.end - t.begin);
            const std::uint8_t* code = t.code.data();
            const std::uint8_t* qual = t.qual.data();
            const std::uint8_t* ref_slot = reference_slots(t.begin);
            const auto q_min = static_cast<std::uint8_t>(std::clamp(min_q, 0, 255));
            unsigned differences = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint8_t c = code[i];
                differences |= static_cast<unsigned>(
                    (c == kCodeDeleted) | ((c < kSlotN) & (c != ref_slot[i]) & (qual[i] >= q_min)));
            }
            if (!differences) return;
        }
        const auto gap = static_cast<std::int64_t>(std::max(0, settings.merge_gap));
        const auto span = static_cast<std::size_t>(t.end - t.begin);
        std::size_t next_ins = 0;
        // Current cluster: reference positions [first, last] (first = last + 1 when it holds
        // only an insertion), open while `open`.
        bool open = false;
        std::int64_t first = 0, last = 0;
        auto item = [&](std::int64_t item_first, std::int64_t item_last) {
            if (open && item_first - last - 1 <= gap) {
                last = std::max(last, item_last);
                return;
            }
            if (open) emit(t, ref, first, last);
            open = true;
            first = item_first;
            last = item_last;
        };
        for (std::size_t i = 0; i < span; ++i) {
            const std::int64_t p = t.begin + static_cast<std::int64_t>(i);
            const std::uint8_t c = t.code[i];
            const bool diff =
                c == kCodeDeleted || (c < kSlotN && c != slot_of_base(ref[i]) && t.qual[i] >= min_q);
            if (diff) item(p, p);
            while (next_ins < t.insertions.size() && t.insertions[next_ins].after0 == p) {
                item(p + 1, p);
                ++next_ins;
            }
        }
        if (open) emit(t, ref, first, last);
    }

    // Builds the allele for cluster [first, last] of trace `t`. `ref` holds the bases of the
    // trace span and, at ref.data()[-1], the base before it.
    void emit(Trace& t, std::string_view ref, std::int64_t first, std::int64_t last) {
        const std::int64_t anchor = first - 1;
        auto idx = [&](std::int64_t p) { return static_cast<std::size_t>(p - t.begin); };
        const char* ref_anchor = ref.data() + (anchor - t.begin);  // may be the base before the read
        Event& e = next_event(t);
        e.pos0 = anchor;
        e.ref.assign(ref_anchor, static_cast<std::size_t>(last - anchor + 1));
        e.alt.push_back(*ref_anchor);
        std::uint8_t quality = 0xff;
        bool has_indel = false;
        std::size_t ins = 0;
        while (ins < t.insertions.size() && t.insertions[ins].after0 < anchor) ++ins;
        for (std::int64_t p = anchor; p <= last; ++p) {
            if (p > anchor) {
                const std::uint8_t c = t.code[idx(p)];
                if (c == kCodeDeleted) {
                    has_indel = true;
                } else if (c == kCodeSkipped) {
                    --t.n_events;  // a reference skip inside an allele: not a small variant
                    return;
                } else {
                    e.alt.push_back(kSlotChar[c]);
                }
                quality = std::min(quality, t.qual[idx(p)]);
            }
            while (ins < t.insertions.size() && t.insertions[ins].after0 == p) {
                const Insertion& in = t.insertions[ins++];
                e.alt.append(t.inserted, in.offset, in.length);
                quality = std::min(quality, in.min_qual);
                has_indel = true;
            }
        }
        if (has_indel) {
            // Indels also take the quality of the aligned bases on both sides (an indel never
            // starts a read's alignment, so the anchor is in the read).
            if (anchor < t.begin) {
                --t.n_events;
                return;
            }
            quality = std::min(quality, t.qual[idx(anchor)]);
            if (last + 1 < t.end) quality = std::min(quality, t.qual[idx(last + 1)]);
        }
        e.quality = quality;
        normalise(e);
        if (e.ref == e.alt || !overlaps_regions(e.pos0, e.pos0 + static_cast<std::int64_t>(e.ref.size()))) {
            --t.n_events;
            return;
        }
        e.cover_end =
            e.pos0 + static_cast<std::int64_t>(e.ref.size()) + (e.ref.size() != e.alt.size() ? 1 : 0);
    }

    // --- committing fragments ---------------------------------------------------------------

    void count_allele(const Event& e, bool reverse) {
        key_scratch.clear();
        key_scratch += std::to_string(e.pos0);
        key_scratch += '\t';
        key_scratch += e.ref;
        key_scratch += '\t';
        key_scratch += e.alt;
        auto it = allele_index.find(key_scratch);
        if (it == allele_index.end()) {
            it = allele_index.emplace(key_scratch, alleles.size()).first;
            AlleleCount a;
            a.pos0 = e.pos0;
            a.ref = e.ref;
            a.alt = e.alt;
            alleles.push_back(std::move(a));
        }
        AlleleCount& a = alleles[it->second];
        (reverse ? a.rev : a.fwd) += 1;
    }

    // Counts the fragment's alleles, keeping at most one per overlapping span (higher quality).
    void commit_events() {
        auto& fe = fragment_events;
        std::sort(fe.begin(), fe.end(),
                  [](const auto& a, const auto& b) { return a.first->pos0 < b.first->pos0; });
        std::int64_t kept_end = -1;
        const Event* kept = nullptr;
        bool kept_rev = false;
        for (const auto& [e, rev] : fe) {
            const std::int64_t e_end = e->pos0 + static_cast<std::int64_t>(e->ref.size());
            if (kept && e->pos0 < kept_end) {
                if (e->quality > kept->quality) {
                    kept = e;
                    kept_rev = rev;
                    kept_end = e_end;
                }
                continue;
            }
            if (kept) count_allele(*kept, kept_rev);
            kept = e;
            kept_rev = rev;
            kept_end = e_end;
        }
        if (kept) count_allele(*kept, kept_rev);
        fe.clear();
    }

    void commit_single(Trace& t) {
        ++stats.fragments;
        const int min_q = settings.filters.min_baseq;
        const bool rev = t.reverse();
        for (const auto& r : regions) {
            const std::int64_t b = std::max(r.begin, t.begin), e = std::min(r.end, t.end);
            if (b >= e) continue;
            PositionCounts* c = table.mutable_at(b);
            for (std::int64_t p = b; p < e; ++p, ++c) {
                const auto i = static_cast<std::size_t>(p - t.begin);
                if (t.code[i] == kCodeSkipped || t.qual[i] < min_q) continue;
                (rev ? c->rev : c->fwd)[t.code[i]] += 1;
            }
        }
        find_events(t);
        for (std::size_t i = 0; i < t.n_events; ++i)
            if (t.events[i].quality >= min_q) fragment_events.emplace_back(&t.events[i], rev);
        commit_events();
    }

    void commit_pair(Trace& a, Trace& b) {
        ++stats.fragments;
        ++stats.overlapping_pairs;
        const int min_q = settings.filters.min_baseq;
        // Strand of agreeing observations: read 1's strand (the fragment's orientation).
        const bool pair_rev = (b.flag & kFlagRead1) ? b.reverse() : a.reverse();
        const std::int64_t lo = std::min(a.begin, b.begin), hi = std::max(a.end, b.end);
        for (const auto& r : regions) {
            const std::int64_t rb = std::max(r.begin, lo), re = std::min(r.end, hi);
            if (rb >= re) continue;
            PositionCounts* const counts = table.mutable_at(rb);
            auto add_slot = [&](std::int64_t p, std::uint8_t slot, bool reverse) {
                (reverse ? counts[p - rb].rev : counts[p - rb].fwd)[slot] += 1;
            };
            for (std::int64_t p = rb; p < re; ++p) {
                const bool in_a = p >= a.begin && p < a.end, in_b = p >= b.begin && p < b.end;
                std::uint8_t ca = kCodeSkipped, cb = kCodeSkipped;
                if (in_a) {
                    const auto i = static_cast<std::size_t>(p - a.begin);
                    if (a.code[i] != kCodeSkipped && a.qual[i] >= min_q) ca = a.code[i];
                }
                if (in_b) {
                    const auto i = static_cast<std::size_t>(p - b.begin);
                    if (b.code[i] != kCodeSkipped && b.qual[i] >= min_q) cb = b.code[i];
                }
                if (ca == kCodeSkipped && cb == kCodeSkipped) continue;
                if (cb == kCodeSkipped) {
                    add_slot(p, ca, a.reverse());
                } else if (ca == kCodeSkipped) {
                    add_slot(p, cb, b.reverse());
                } else if (ca == cb) {
                    add_slot(p, ca, pair_rev);
                } else {
                    ++stats.mate_disagreements;
                    const std::uint8_t qa = a.qual[static_cast<std::size_t>(p - a.begin)];
                    const std::uint8_t qb = b.qual[static_cast<std::size_t>(p - b.begin)];
                    if (qa > qb)
                        add_slot(p, ca, a.reverse());
                    else if (qb > qa)
                        add_slot(p, cb, b.reverse());
                    else {
                        ++stats.mate_ties_masked;
                        add_slot(p, kSlotN, pair_rev);
                    }
                }
            }
        }
        find_events(a);
        find_events(b);
        for (std::size_t i = 0; i < a.n_events; ++i) {
            Event& ea = a.events[i];
            if (ea.quality < min_q) continue;
            for (std::size_t j = 0; j < b.n_events; ++j) {
                Event& eb = b.events[j];
                if (!eb.matched && eb.pos0 == ea.pos0 && eb.ref == ea.ref && eb.alt == ea.alt) {
                    ea.matched = eb.matched = true;
                    fragment_events.emplace_back(eb.quality > ea.quality ? &eb : &ea, pair_rev);
                    break;
                }
            }
        }
        auto one_sided = [&](Trace& self, Trace& other) {
            for (std::size_t i = 0; i < self.n_events; ++i) {
                const Event& e = self.events[i];
                if (e.matched || e.quality < min_q) continue;
                if (other.covers(e.pos0, e.cover_end) && other.min_qual(e.pos0, e.cover_end) >= e.quality)
                    continue;
                fragment_events.emplace_back(&e, self.reverse());
            }
        };
        one_sided(a, b);
        one_sided(b, a);
        commit_events();
    }

    // --- the loop -----------------------------------------------------------------------------

    void expire(std::int64_t pos0) {
        while (!expiry.empty() && expiry.top().mate_pos0 < pos0) {
            const PendingEntry top = expiry.top();
            expiry.pop();
            if (top.trace->generation != top.generation) continue;  // already merged
            pending.erase(top.trace);
            commit_single(*top.trace);
            release(top.trace);
        }
    }

    bool passes_filters(const ReadView& r) {
        const CountOptions& f = settings.filters;
        if ((r.flag & kFlagSecondary) && !f.keep_secondary) return ++stats.filtered_secondary, false;
        if ((r.flag & kFlagSupplementary) && !f.keep_supplementary)
            return ++stats.filtered_supplementary, false;
        if ((r.flag & kFlagQcFail) && !f.keep_qcfail) return ++stats.filtered_qcfail, false;
        if ((r.flag & kFlagDuplicate) && !f.keep_duplicates) return ++stats.filtered_duplicate, false;
        if (r.mapq < f.min_mapq) return ++stats.filtered_mapq, false;
        return true;
    }

    void add(const ReadView& r) {
        ++stats.reads_seen;
        if (r.pos0 >= 0) {
            if (r.pos0 < last_pos0)
                throw std::invalid_argument("reads out of order: position " + std::to_string(r.pos0 + 1) +
                                            " after " + std::to_string(last_pos0 + 1));
            last_pos0 = r.pos0;
            expire(r.pos0);
        }
        if ((r.flag & kFlagUnmapped) || r.cigar_ops == 0 || r.pos0 < 0) {
            ++stats.unmapped;
            return;
        }
        const std::int64_t ref_len = reference_length(r);
        if (ref_len <= 0 || !overlaps_regions(r.pos0, r.pos0 + ref_len)) return;
        ++stats.reads_in_targets;
        if (!passes_filters(r)) return;
        ++stats.reads_counted;

        const bool mergeable = settings.filters.count_overlapping_mates_once && (r.flag & kFlagPaired) &&
                               !(r.flag & (kFlagMateUnmapped | kFlagSecondary | kFlagSupplementary)) &&
                               r.mate_pos0 >= 0;
        Trace* t = acquire();
        decode(r, ref_len, *t);
        if (mergeable) {
            if (Trace* mate = pending.find(r.name, t->name_hash)) {
                pending.erase(mate);
                commit_pair(*mate, *t);
                release(mate);
                release(t);
                return;
            }
            if (r.mate_pos0 >= r.pos0 && r.mate_pos0 < t->end) {
                pending.insert(t);
                expiry.push({r.mate_pos0, t, t->generation});
                stats.max_pending_mates =
                    std::max(stats.max_pending_mates, static_cast<std::int64_t>(pending.size()));
                return;
            }
        }
        commit_single(*t);
        release(t);
    }

    CountTable finish() {
        expire(std::numeric_limits<std::int64_t>::max());
        std::sort(alleles.begin(), alleles.end(), [](const AlleleCount& a, const AlleleCount& b) {
            if (a.pos0 != b.pos0) return a.pos0 < b.pos0;
            if (a.ref != b.ref) return a.ref < b.ref;
            return a.alt < b.alt;
        });
        table.set_alleles(std::move(alleles));
        alleles.clear();
        allele_index.clear();
        return std::move(table);
    }
};

ReadCounter::ReadCounter(std::vector<Interval> regions,
                         const ReferenceSequence& reference,
                         CounterSettings settings)
    : impl_(std::make_unique<Impl>(std::move(regions), reference, std::move(settings))) {}

ReadCounter::~ReadCounter() {
    // Traces still pending (finish() not called) are owned through the map only.
    if (!impl_) return;
    std::vector<Trace*> owned;
    impl_->pending.for_each([&](Trace* t) { owned.push_back(t); });
    for (Trace* t : owned) delete t;
}

void ReadCounter::add(const ReadView& read) {
    impl_->add(read);
}

CountTable ReadCounter::finish() {
    return impl_->finish();
}

const CountStats& ReadCounter::stats() const {
    return impl_->stats;
}

}  // namespace kitrx
