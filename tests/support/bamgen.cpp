// SPDX-License-Identifier: MIT
#include "bamgen.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/sam.h>

namespace kitrx::test {

namespace {

[[noreturn]] void spec_error(const std::string& name, int line, const std::string& what) {
    throw std::runtime_error(name + ":" + std::to_string(line) + ": " + what);
}

// Portable draws on top of mt19937_64 (whose output sequence the standard fixes).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t next() { return engine_(); }
    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform integer on [lo, hi] by rejection (no modulo bias).
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;
        const std::uint64_t limit = range == 0 ? 0 : (~std::uint64_t{0} / range) * range;
        std::uint64_t x;
        do x = next();
        while (limit != 0 && x >= limit);
        return lo + static_cast<std::int64_t>(range == 0 ? x : x % range);
    }
    bool chance(double p) { return p > 0 && uniform() < p; }

private:
    std::mt19937_64 engine_;
};

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser: independent per-fragment streams
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

constexpr char kBases[] = "ACGT";

void normalise(SpecVariant& v, const ReferenceSequence& ref) {
    while (v.ref.size() > 1 && v.alt.size() > 1 && v.ref.back() == v.alt.back())
        v.ref.pop_back(), v.alt.pop_back();
    while (v.ref.size() > 1 && v.alt.size() > 1 && v.ref[0] == v.alt[0])
        v.ref.erase(0, 1), v.alt.erase(0, 1), ++v.pos0;
    const bool del = v.alt.size() == 1 && v.ref.size() > 1 && v.ref[0] == v.alt[0];
    const bool ins = v.ref.size() == 1 && v.alt.size() > 1 && v.ref[0] == v.alt[0];
    if (!del && !ins) return;
    std::string seq = del ? v.ref.substr(1) : v.alt.substr(1);
    while (v.pos0 > 0 && seq.back() == v.ref[0] && ref.covers(v.pos0 - 1, v.pos0)) {
        seq.pop_back();
        seq.insert(seq.begin(), v.ref[0]);
        --v.pos0;
        v.ref[0] = ref.fetch(v.pos0, v.pos0 + 1)[0];
    }
    const char a = v.ref[0];
    v.ref = del ? std::string(1, a) + seq : std::string(1, a);
    v.alt = del ? std::string(1, a) : std::string(1, a) + seq;
}

// A haplotype over one shipped reference segment.
struct HapSeq {
    std::string bases;
    std::vector<std::int64_t> to_ref;    // reference position of each base, -1 = inserted
    std::vector<std::int64_t> from_ref;  // first haplotype index at or after each reference offset
    std::int64_t seg_begin = 0;
    // By variant index: the haplotype interval [a, b) a read must contain, all at quality >= 20,
    // for kitrx to count the allele (its changed bases; for indels also the aligned bases on
    // both sides).
    std::map<int, std::pair<std::int64_t, std::int64_t>> variant_show;
};

HapSeq build_hap(const ReferenceSequence::Segment& seg,
                 const std::vector<std::pair<int, SpecVariant>>& variants) {
    HapSeq h;
    h.seg_begin = seg.begin;
    const auto seg_len = static_cast<std::int64_t>(seg.bases.size());
    h.from_ref.assign(static_cast<std::size_t>(seg_len + 1), 0);
    std::size_t vi = 0;
    std::int64_t off = 0;
    while (off < seg_len) {
        const std::int64_t pos = seg.begin + off;
        h.from_ref[static_cast<std::size_t>(off)] = static_cast<std::int64_t>(h.bases.size());
        if (vi < variants.size() && variants[vi].second.pos0 == pos) {
            const auto& [index, v] = variants[vi];
            const std::int64_t start = static_cast<std::int64_t>(h.bases.size());
            const std::size_t common = std::min(v.ref.size(), v.alt.size());
            for (std::size_t i = 0; i < common; ++i) {
                h.bases.push_back(v.alt[i]);
                h.to_ref.push_back(pos + static_cast<std::int64_t>(i));
            }
            for (std::size_t i = common; i < v.alt.size(); ++i) {
                h.bases.push_back(v.alt[i]);
                h.to_ref.push_back(-1);
            }
            const auto end = static_cast<std::int64_t>(h.bases.size());
            // Substituted reference bases map to their haplotype base, deleted ones to the next.
            for (std::size_t i = 1; i < v.ref.size() && off + static_cast<std::int64_t>(i) < seg_len; ++i)
                h.from_ref[static_cast<std::size_t>(off + static_cast<std::int64_t>(i))] =
                    i < common ? start + static_cast<std::int64_t>(i) : end;
            const bool length_change = v.ref.size() != v.alt.size();
            const bool anchored = length_change && v.ref[0] == v.alt[0];
            // Bases whose quality decides whether kitrx counts the allele: the changed bases;
            // for indels also the aligned bases on both sides.
            std::int64_t qa = start, qb = end;
            if (length_change && !anchored) --qa;
            if (length_change) ++qb;
            h.variant_show[index] = {qa, qb};
            off += static_cast<std::int64_t>(v.ref.size());
            ++vi;
            continue;
        }
        h.bases.push_back(seg.bases[static_cast<std::size_t>(off)]);
        h.to_ref.push_back(pos);
        ++off;
    }
    h.from_ref[static_cast<std::size_t>(seg_len)] = static_cast<std::int64_t>(h.bases.size());
    return h;
}

struct Molecule {
    std::int64_t id;
    int haplotype;  // -1 reference
    int segment;
    std::int64_t start;  // haplotype coordinates
    std::int64_t length;
    bool r1_reverse;
    bool duplicate;
    bool low_mapq;
    bool qcfail;
    bool secondary;
    bool supplementary;
};

// One BAM record to write, sorted by position.
struct RecordKey {
    std::int64_t pos0;
    std::int64_t molecule;
    int read;  // 1 or 2
    int kind;  // 0 primary, 1 duplicate copy, 2 secondary, 3 supplementary
    bool operator<(const RecordKey& o) const {
        if (pos0 != o.pos0) return pos0 < o.pos0;
        if (molecule != o.molecule) return molecule < o.molecule;
        if (kind != o.kind) return kind < o.kind;
        return read < o.read;
    }
};

struct BuiltRead {
    std::int64_t pos0 = 0;
    std::int64_t end = 0;
    std::vector<std::uint32_t> cigar;
    std::string seq;
    std::string qual;  // raw Phred values
    ReadTruth truth;
};

}  // namespace

BamSpec parse_spec(std::string_view text, const std::string& name) {
    BamSpec spec;
    std::istringstream in{std::string(text)};
    std::string line;
    int line_no = 0;
    std::vector<std::pair<int, std::string>> region_texts;
    std::vector<std::pair<int, std::vector<std::string>>> hap_texts;
    while (std::getline(in, line)) {
        ++line_no;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string x; words >> x;) w.push_back(x);
        if (w.empty()) continue;
        auto need = [&](std::size_t n) {
            if (w.size() < n)
                spec_error(name, line_no, "'" + w[0] + "' needs " + std::to_string(n - 1) + " value(s)");
        };
        auto num = [&](std::size_t i) {
            try {
                return std::stod(w.at(i));
            } catch (const std::exception&) {
                spec_error(name, line_no,
                           "expected a number, got '" + (i < w.size() ? w[i] : std::string()) + "'");
            }
        };
        const std::string& key = w[0];
        if (key == "seed")
            need(2), spec.seed = std::stoull(w[1]);
        else if (key == "build") {
            need(2);
            const auto b = parse_build(w[1]);
            if (!b) spec_error(name, line_no, "unknown build '" + w[1] + "'");
            spec.build = *b;
        } else if (key == "contig")
            need(2), spec.contig = w[1];
        else if (key == "sample")
            need(2), spec.sample = w[1];
        else if (key == "read_length")
            need(2), spec.read_length = static_cast<int>(num(1));
        else if (key == "insert")
            need(3), spec.insert_min = static_cast<int>(num(1)), spec.insert_max = static_cast<int>(num(2));
        else if (key == "region")
            need(2), region_texts.emplace_back(line_no, w[1]);
        else if (key == "fragments")
            need(2), spec.fragments_per_region = static_cast<int>(num(1));
        else if (key == "fragment_depth")
            need(2), spec.fragment_depth = num(1);
        else if (key == "duplicates")
            need(2), spec.duplicate_rate = num(1);
        else if (key == "low_quality") {
            need(2);
            spec.low_quality_rate = num(1);
            if (w.size() > 2) spec.low_quality = static_cast<int>(num(2));
        } else if (key == "base_quality")
            need(2), spec.base_quality = static_cast<int>(num(1));
        else if (key == "errors")
            need(2), spec.error_rate = num(1);
        else if (key == "mapq")
            need(2), spec.mapq = static_cast<int>(num(1));
        else if (key == "low_mapq") {
            need(2);
            spec.low_mapq_rate = num(1);
            if (w.size() > 2) spec.low_mapq = static_cast<int>(num(2));
        } else if (key == "qcfail")
            need(2), spec.qcfail_rate = num(1);
        else if (key == "secondary")
            need(2), spec.secondary_rate = num(1);
        else if (key == "supplementary")
            need(2), spec.supplementary_rate = num(1);
        else if (key == "haplotype") {
            need(3);
            hap_texts.emplace_back(line_no, std::vector<std::string>(w.begin() + 1, w.end()));
        } else if (key == "variant") {
            need(5);
            hap_texts.emplace_back(line_no, std::vector<std::string>{w[4], w[1] + ":" + w[2] + ":" + w[3]});
        } else
            spec_error(name, line_no, "unknown directive '" + key + "'");
    }
    const GenomeModel& model = GenomeModel::builtin(spec.build);
    for (const auto& [ln, region_text] : region_texts) {
        const auto colon = region_text.find(':');
        if (colon == std::string::npos) spec_error(name, ln, "region must be GENE:EXON or CONTIG:START-END");
        const std::string left = region_text.substr(0, colon), right = region_text.substr(colon + 1);
        if (const auto dash = right.find('-'); dash != std::string::npos) {
            spec.regions.push_back(
                {std::stoll(right.substr(0, dash)) - 1, std::stoll(right.substr(dash + 1))});
        } else {
            try {
                const auto targets = model.targets({left}, {std::stoi(right)});
                if (targets.empty()) spec_error(name, ln, "no exon '" + region_text + "'");
                spec.regions.push_back({targets[0].begin, targets[0].end});
            } catch (const std::invalid_argument& e) {
                spec_error(name, ln, e.what());
            }
        }
    }
    double total = 0;
    for (const auto& [ln, words] : hap_texts) {
        SpecHaplotype h;
        try {
            h.fraction = std::stod(words[0]);
        } catch (const std::exception&) {
            spec_error(name, ln, "haplotype fraction must be a number");
        }
        for (std::size_t i = 1; i < words.size(); ++i) {
            std::istringstream parts(words[i]);
            std::string pos, ref, alt;
            if (!std::getline(parts, pos, ':') || !std::getline(parts, ref, ':') ||
                !std::getline(parts, alt, ':'))
                spec_error(name, ln, "variant must be POS:REF:ALT, got '" + words[i] + "'");
            SpecVariant v;
            v.pos0 = std::stoll(pos) - 1;
            v.ref = ref;
            v.alt = alt;
            v.haplotype = static_cast<int>(spec.haplotypes.size());
            const auto ref_end = v.pos0 + static_cast<std::int64_t>(v.ref.size());
            if (!model.reference().covers(v.pos0, ref_end) ||
                model.reference().fetch(v.pos0, ref_end) != v.ref)
                spec_error(name, ln, "REF '" + ref + "' does not match the reference at " + pos);
            normalise(v, model.reference());
            h.variants.push_back(v);
        }
        std::sort(h.variants.begin(), h.variants.end(),
                  [](const auto& a, const auto& b) { return a.pos0 < b.pos0; });
        for (std::size_t i = 1; i < h.variants.size(); ++i)
            if (h.variants[i].pos0 <=
                h.variants[i - 1].pos0 + static_cast<std::int64_t>(h.variants[i - 1].ref.size()))
                spec_error(name, ln, "variants of one haplotype must not overlap or touch");
        total += h.fraction;
        spec.haplotypes.push_back(std::move(h));
    }
    if (total > 1 + 1e-12) spec_error(name, line_no, "haplotype fractions add up to more than 1");
    if (spec.regions.empty()) spec_error(name, line_no, "no region");
    if (spec.insert_min < 1 || spec.insert_max < spec.insert_min)
        spec_error(name, line_no, "bad insert range");
    return spec;
}

std::int64_t BamTruth::expected_depth(std::int64_t pos0) const {
    std::int64_t n = 0;
    for (const auto& f : fragments) {
        if (!passes_default_filters(f)) continue;
        auto observes = [&](const ReadTruth& r) {
            return pos0 >= r.begin && pos0 < r.end &&
                   std::find(r.failing_positions.begin(), r.failing_positions.end(), pos0) ==
                       r.failing_positions.end();
        };
        if (observes(f.r1) || observes(f.r2)) ++n;
    }
    return n;
}

std::int64_t BamTruth::expected_alt(std::size_t index) const {
    std::int64_t n = 0;
    for (const auto& f : fragments) {
        if (!passes_default_filters(f) || f.haplotype != variants[index].haplotype) continue;
        auto shows = [&](const ReadTruth& r) {
            return std::find(r.shows.begin(), r.shows.end(), static_cast<int>(index)) != r.shows.end();
        };
        if (shows(f.r1) || shows(f.r2)) ++n;
    }
    return n;
}

namespace {

struct Generator {
    const BamSpec& spec;
    const GenomeModel& model;
    std::vector<SpecVariant> flat;          // all variants
    std::vector<std::vector<HapSeq>> haps;  // [haplotype + 1][segment]
    std::vector<int> region_segment;

    explicit Generator(const BamSpec& s) : spec(s), model(GenomeModel::builtin(s.build)) {
        const auto& segments = model.reference().segments();
        for (const auto& r : spec.regions) {
            int found = -1;
            for (std::size_t i = 0; i < segments.size(); ++i)
                if (r.begin - spec.insert_max >= segments[i].begin &&
                    r.end + spec.insert_max <=
                        segments[i].begin + static_cast<std::int64_t>(segments[i].bases.size()))
                    found = static_cast<int>(i);
            if (found < 0)
                throw std::runtime_error("region " + std::to_string(r.begin + 1) +
                                         " is too close to the end of the shipped reference");
            region_segment.push_back(found);
        }
        for (const auto& h : spec.haplotypes)
            for (const auto& v : h.variants) flat.push_back(v);
        haps.resize(spec.haplotypes.size() + 1);
        for (std::size_t h = 0; h <= spec.haplotypes.size(); ++h) {
            for (std::size_t si = 0; si < segments.size(); ++si) {
                std::vector<std::pair<int, SpecVariant>> vs;
                if (h > 0)
                    for (std::size_t i = 0; i < flat.size(); ++i)
                        if (flat[i].haplotype == static_cast<int>(h) - 1 &&
                            model.reference().covers(flat[i].pos0, flat[i].pos0 + 1) &&
                            flat[i].pos0 >= segments[si].begin &&
                            flat[i].pos0 <
                                segments[si].begin + static_cast<std::int64_t>(segments[si].bases.size()))
                            vs.emplace_back(static_cast<int>(i), flat[i]);
                std::sort(vs.begin(), vs.end(),
                          [](const auto& a, const auto& b) { return a.second.pos0 < b.second.pos0; });
                haps[h].push_back(build_hap(segments[si], vs));
            }
        }
    }

    std::vector<Molecule> draw_molecules() const {
        Rng rng(spec.seed);
        std::vector<Molecule> out;
        std::int64_t id = 0;
        for (std::size_t ri = 0; ri < spec.regions.size(); ++ri) {
            const Interval& r = spec.regions[ri];
            std::int64_t n = spec.fragments_per_region;
            if (spec.fragment_depth > 0) {
                const double mean = (spec.insert_min + spec.insert_max) / 2.0;
                n = static_cast<std::int64_t>(std::ceil(
                    spec.fragment_depth * (static_cast<double>(r.end - r.begin) + mean - 1) / mean));
            }
            for (std::int64_t i = 0; i < n; ++i) {
                Molecule m{};
                m.id = id++;
                m.segment = region_segment[ri];
                const double u = rng.uniform();
                double cum = 0;
                m.haplotype = -1;
                for (std::size_t h = 0; h < spec.haplotypes.size(); ++h) {
                    cum += spec.haplotypes[h].fraction;
                    if (u < cum) {
                        m.haplotype = static_cast<int>(h);
                        break;
                    }
                }
                const HapSeq& hs =
                    haps[static_cast<std::size_t>(m.haplotype + 1)][static_cast<std::size_t>(m.segment)];
                m.length = rng.between(spec.insert_min, spec.insert_max);
                const std::int64_t hb = hs.from_ref[static_cast<std::size_t>(r.begin - hs.seg_begin)];
                const std::int64_t he = hs.from_ref[static_cast<std::size_t>(r.end - hs.seg_begin)];
                m.start = rng.between(hb - m.length + 1, he - 1);
                m.r1_reverse = rng.chance(0.5);
                m.duplicate = rng.chance(spec.duplicate_rate);
                m.low_mapq = rng.chance(spec.low_mapq_rate);
                m.qcfail = rng.chance(spec.qcfail_rate);
                m.secondary = rng.chance(spec.secondary_rate);
                m.supplementary = rng.chance(spec.supplementary_rate);
                out.push_back(m);
            }
        }
        return out;
    }

    // Haplotype interval of read 1 or 2.
    std::pair<std::int64_t, std::int64_t> read_interval(const Molecule& m, int read) const {
        const std::int64_t len = std::min<std::int64_t>(spec.read_length, m.length);
        const bool left = (read == 1) != m.r1_reverse;  // the forward read takes the left end
        return left ? std::make_pair(m.start, m.start + len)
                    : std::make_pair(m.start + m.length - len, m.start + m.length);
    }
    bool read_reverse(const Molecule& m, int read) const { return (read == 1) == m.r1_reverse; }

    std::int64_t read_pos0(const Molecule& m, int read) const {
        const HapSeq& hs =
            haps[static_cast<std::size_t>(m.haplotype + 1)][static_cast<std::size_t>(m.segment)];
        const auto [a, b] = read_interval(m, read);
        for (std::int64_t i = a; i < b; ++i)
            if (hs.to_ref[static_cast<std::size_t>(i)] >= 0) return hs.to_ref[static_cast<std::size_t>(i)];
        return -1;
    }

    BuiltRead build_read(const Molecule& m, int read) const {
        const HapSeq& hs =
            haps[static_cast<std::size_t>(m.haplotype + 1)][static_cast<std::size_t>(m.segment)];
        const auto [a, b] = read_interval(m, read);
        // Per-read draws come from their own stream, so records can be built in any order.
        Rng rng(
            mix(spec.seed ^ mix(static_cast<std::uint64_t>(m.id) * 2 + static_cast<std::uint64_t>(read))));
        BuiltRead out;
        std::vector<int> quals;
        std::vector<bool> failing;
        for (std::int64_t i = a; i < b; ++i) {
            char base = hs.bases[static_cast<std::size_t>(i)];
            int q = spec.base_quality;
            bool bad = false;
            if (rng.chance(spec.low_quality_rate)) {
                q = spec.low_quality;
                base = kBases[rng.between(0, 3)];
                bad = true;
            } else if (rng.chance(spec.error_rate)) {
                char e;
                do e = kBases[rng.between(0, 3)];
                while (e == base);
                base = e;
                bad = true;
                if (hs.to_ref[static_cast<std::size_t>(i)] >= 0)
                    out.truth.error_positions.push_back(hs.to_ref[static_cast<std::size_t>(i)]);
            }
            out.seq.push_back(base);
            quals.push_back(q);
            failing.push_back(bad);
        }
        // CIGAR from the haplotype -> reference map.
        auto push = [&](std::uint32_t op, std::uint32_t n) {
            if (n == 0) return;
            if (!out.cigar.empty() && (out.cigar.back() & 0xf) == op)
                out.cigar.back() += n << 4;
            else
                out.cigar.push_back(n << 4 | op);
        };
        std::int64_t first_aligned = -1, last_aligned = -1;
        for (std::int64_t i = a; i < b; ++i)
            if (hs.to_ref[static_cast<std::size_t>(i)] >= 0) {
                if (first_aligned < 0) first_aligned = i;
                last_aligned = i;
            }
        push(BAM_CSOFT_CLIP, static_cast<std::uint32_t>(first_aligned - a));
        std::int64_t prev_ref = -1;
        for (std::int64_t i = first_aligned; i <= last_aligned; ++i) {
            const std::int64_t r = hs.to_ref[static_cast<std::size_t>(i)];
            if (r < 0) {
                push(BAM_CINS, 1);
                continue;
            }
            if (prev_ref >= 0 && r > prev_ref + 1)
                push(BAM_CDEL, static_cast<std::uint32_t>(r - prev_ref - 1));
            push(BAM_CMATCH, 1);
            prev_ref = r;
        }
        push(BAM_CSOFT_CLIP, static_cast<std::uint32_t>(b - 1 - last_aligned));
        out.pos0 = hs.to_ref[static_cast<std::size_t>(first_aligned)];
        out.end = hs.to_ref[static_cast<std::size_t>(last_aligned)] + 1;
        for (int q : quals) out.qual.push_back(static_cast<char>(q));
        // Truth: positions whose observation fails quality 20 (low-quality or error bases count as
        // failing only for low quality; errors pass and are listed separately).
        ReadTruth& t = out.truth;
        t.begin = out.pos0;
        t.end = out.end;
        t.reverse = read_reverse(m, read);
        auto low = [&](std::int64_t i) {
            return i >= a && i < b && quals[static_cast<std::size_t>(i - a)] < 20;
        };
        prev_ref = -1;
        std::int64_t prev_i = -1;
        for (std::int64_t i = first_aligned; i <= last_aligned; ++i) {
            const std::int64_t r = hs.to_ref[static_cast<std::size_t>(i)];
            if (r < 0) continue;
            if (prev_ref >= 0 && r > prev_ref + 1 && (low(prev_i) || low(i)))
                for (std::int64_t d = prev_ref + 1; d < r; ++d)
                    t.failing_positions.push_back(d);  // deleted: flank quality
            if (low(i)) t.failing_positions.push_back(r);
            prev_ref = r;
            prev_i = i;
        }
        for (const auto& [index, span] : hs.variant_show) {
            const auto [qa, qb] = span;
            if (qa < a || qb > b) continue;
            bool ok = true;
            for (std::int64_t i = qa; i < qb && ok; ++i) ok = !failing[static_cast<std::size_t>(i - a)];
            if (ok) t.shows.push_back(index);
        }
        return out;
    }
};

}  // namespace

BamTruth write_bam(const BamSpec& spec, const std::string& path, bool index, bool keep_truth) {
    Generator gen(spec);
    const auto molecules = gen.draw_molecules();
    BamTruth truth;
    truth.variants = gen.flat;
    std::vector<RecordKey> keys;
    keys.reserve(molecules.size() * 2);
    for (const auto& m : molecules) {
        for (int read = 1; read <= 2; ++read) {
            const std::int64_t p = gen.read_pos0(m, read);
            keys.push_back({p, m.id, read, 0});
            if (m.duplicate) keys.push_back({p, m.id, read, 1});
        }
        if (m.secondary) keys.push_back({gen.read_pos0(m, 1), m.id, 1, 2});
        if (m.supplementary) keys.push_back({gen.read_pos0(m, 2), m.id, 2, 3});
    }
    std::sort(keys.begin(), keys.end());

    const std::int64_t contig_length = spec.build == Build::kGRCh37 ? kChr4LengthGRCh37 : kChr4LengthGRCh38;
    std::unique_ptr<htsFile, int (*)(htsFile*)> out(hts_open(path.c_str(), "wb"), hts_close);
    if (!out) throw std::runtime_error("cannot write " + path);
    std::unique_ptr<sam_hdr_t, void (*)(sam_hdr_t*)> hdr(sam_hdr_init(), sam_hdr_destroy);
    const std::string text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:" + spec.contig +
                             "\tLN:" + std::to_string(contig_length) + "\n@RG\tID:" + spec.sample +
                             "\tSM:" + spec.sample + "\tPL:ILLUMINA\n@PG\tID:bamgen\tPN:bamgen\tVN:1\n";
    if (sam_hdr_add_lines(hdr.get(), text.c_str(), text.size()) != 0 ||
        sam_hdr_write(out.get(), hdr.get()) != 0)
        throw std::runtime_error("cannot write header to " + path);
    std::unique_ptr<bam1_t, void (*)(bam1_t*)> rec(bam_init1(), bam_destroy1);
    std::map<std::int64_t, std::size_t> truth_index;  // molecule -> fragments index
    if (keep_truth) {
        truth.fragments.reserve(molecules.size());
        for (const auto& m : molecules) {
            truth_index[m.id] = truth.fragments.size();
            FragmentTruth f;
            f.id = m.id;
            f.haplotype = m.haplotype;
            f.duplicate_copy = m.duplicate;
            f.low_mapq = m.low_mapq;
            f.qcfail = m.qcfail;
            f.secondary_copy = m.secondary;
            f.supplementary_copy = m.supplementary;
            truth.fragments.push_back(std::move(f));
        }
    }
    for (const auto& k : keys) {
        const Molecule& m = molecules[static_cast<std::size_t>(k.molecule)];
        const BuiltRead r = gen.build_read(m, k.read);
        const BuiltRead mate = gen.build_read(m, 3 - k.read);
        std::uint16_t flag = BAM_FPAIRED | BAM_FPROPER_PAIR | (k.read == 1 ? BAM_FREAD1 : BAM_FREAD2);
        if (gen.read_reverse(m, k.read)) flag |= BAM_FREVERSE;
        if (gen.read_reverse(m, 3 - k.read)) flag |= BAM_FMREVERSE;
        if (m.qcfail) flag |= BAM_FQCFAIL;
        if (k.kind == 1) flag |= BAM_FDUP;
        if (k.kind == 2) flag |= BAM_FSECONDARY;
        if (k.kind == 3) flag |= BAM_FSUPPLEMENTARY;
        char name[64];
        std::snprintf(name, sizeof name, "frag%08lld%s", static_cast<long long>(m.id),
                      k.kind == 1 ? "_dup" : "");
        const std::int64_t frag_begin = std::min(r.pos0, mate.pos0), frag_end = std::max(r.end, mate.end);
        const std::int64_t tlen = r.pos0 <= mate.pos0 && !(r.pos0 == mate.pos0 && k.read == 2)
                                      ? frag_end - frag_begin
                                      : -(frag_end - frag_begin);
        if (bam_set1(rec.get(), std::strlen(name), name, flag, 0, r.pos0,
                     static_cast<std::uint8_t>(m.low_mapq ? spec.low_mapq : spec.mapq), r.cigar.size(),
                     r.cigar.data(), 0, mate.pos0, tlen, r.seq.size(), r.seq.c_str(), r.qual.c_str(), 0) < 0)
            throw std::runtime_error("cannot build a BAM record");
        bam_aux_append(rec.get(), "RG", 'Z', static_cast<int>(spec.sample.size() + 1),
                       reinterpret_cast<const std::uint8_t*>(spec.sample.c_str()));
        if (sam_write1(out.get(), hdr.get(), rec.get()) < 0) throw std::runtime_error("cannot write " + path);
        ++truth.records;
        if (keep_truth && k.kind == 0) {
            FragmentTruth& f = truth.fragments[truth_index[m.id]];
            (k.read == 1 ? f.r1 : f.r2) = r.truth;
        }
    }
    out.reset();
    if (index && sam_index_build(path.c_str(), 0) != 0) throw std::runtime_error("cannot index " + path);
    return truth;
}

void write_reference_fasta(const BamSpec& spec, const std::string& path) {
    const auto& segments = GenomeModel::builtin(spec.build).reference().segments();
    const ReferenceSequence::Segment* seg = nullptr;
    for (const auto& s : segments)
        if (s.begin <= spec.regions.at(0).begin &&
            spec.regions[0].end <= s.begin + static_cast<std::int64_t>(s.bases.size()))
            seg = &s;
    if (!seg) throw std::runtime_error("region outside the shipped reference");
    BGZF* fp = bgzf_open(path.c_str(), "w");
    if (!fp) throw std::runtime_error("cannot write " + path);
    const std::string header = ">" + spec.contig + "\n";
    if (bgzf_write(fp, header.data(), header.size()) < 0) throw std::runtime_error("cannot write " + path);
    std::string line;
    const std::int64_t total = seg->begin + static_cast<std::int64_t>(seg->bases.size());
    for (std::int64_t p = 0; p < total; p += 60) {
        line.clear();
        for (std::int64_t i = p; i < std::min(total, p + 60); ++i)
            line.push_back(i < seg->begin ? 'N' : seg->bases[static_cast<std::size_t>(i - seg->begin)]);
        line.push_back('\n');
        if (bgzf_write(fp, line.data(), line.size()) < 0) throw std::runtime_error("cannot write " + path);
    }
    if (bgzf_close(fp) != 0) throw std::runtime_error("cannot close " + path);
    if (fai_build(path.c_str()) != 0) throw std::runtime_error("cannot index " + path);
}

}  // namespace kitrx::test
