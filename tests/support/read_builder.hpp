// SPDX-License-Identifier: MIT
// Hand-made reads for ReadCounter tests: owns the BAM-encoded buffers a ReadView points into.
//   auto r = ReadBuilder("r1").pos0(100).cigar("5M1D4M").seq("ACGTAACGT").qual(30).flag(kFlagReverse);
//   counter.add(r.view());
#pragma once

#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "kitrx/io/read_counter.hpp"

namespace kitrx::test {

class ReadBuilder {
public:
    explicit ReadBuilder(std::string name) : name_(std::move(name)) {}
    ReadBuilder& pos0(std::int64_t p) { return pos0_ = p, *this; }
    ReadBuilder& flag(std::uint16_t f) { return flag_ = f, *this; }
    ReadBuilder& mapq(int q) { return mapq_ = q, *this; }
    ReadBuilder& mate_pos0(std::int64_t p) { return mate_pos0_ = p, *this; }
    // "10M2D5M" (M I D N S H = X).
    ReadBuilder& cigar(const std::string& text) {
        cigar_.clear();
        std::uint32_t n = 0;
        for (char c : text) {
            if (std::isdigit(static_cast<unsigned char>(c))) {
                n = n * 10 + static_cast<std::uint32_t>(c - '0');
                continue;
            }
            const std::string ops = "MIDNSHP=X";
            const auto op = ops.find(c);
            if (op == std::string::npos || n == 0) throw std::invalid_argument("bad CIGAR " + text);
            cigar_.push_back(n << 4 | static_cast<std::uint32_t>(op));
            n = 0;
        }
        return *this;
    }
    ReadBuilder& seq(const std::string& bases) {
        bases_ = bases;
        if (quals_.size() != bases.size()) quals_.assign(bases.size(), 30);
        return *this;
    }
    ReadBuilder& qual(int q) { return quals_.assign(bases_.size(), static_cast<std::uint8_t>(q)), *this; }
    ReadBuilder& qual_at(std::size_t i, int q) { return quals_.at(i) = static_cast<std::uint8_t>(q), *this; }
    ReadBuilder& no_qual() { return quals_.assign(bases_.size(), 0xff), *this; }

    // Paired read with its mate at `mate` (flags 0x1 + read1/read2 + mate strand as given).
    ReadBuilder& pair(bool read1, std::int64_t mate, bool reverse, bool mate_reverse) {
        flag_ = static_cast<std::uint16_t>(kFlagPaired | (read1 ? kFlagRead1 : kFlagRead2) |
                                           (reverse ? kFlagReverse : 0) | (mate_reverse ? 0x20 : 0));
        mate_pos0_ = mate;
        return *this;
    }

    [[nodiscard]] ReadView view() {
        packed_.assign((bases_.size() + 1) / 2, 0);
        for (std::size_t i = 0; i < bases_.size(); ++i) {
            static const std::string kNt16 = "=ACMGRSVTWYHKDBN";
            const auto code =
                kNt16.find(static_cast<char>(std::toupper(static_cast<unsigned char>(bases_[i]))));
            const auto v = static_cast<std::uint8_t>(code == std::string::npos ? 15 : code);
            packed_[i / 2] |= static_cast<std::uint8_t>(i % 2 ? v : v << 4);
        }
        ReadView r;
        r.name = name_;
        r.flag = flag_;
        r.pos0 = pos0_;
        r.mapq = mapq_;
        r.mate_pos0 = mate_pos0_;
        r.cigar = cigar_.data();
        r.cigar_ops = cigar_.size();
        r.seq = packed_.data();
        r.qual = quals_.data();
        r.length = static_cast<std::int32_t>(bases_.size());
        return r;
    }

private:
    std::string name_;
    std::int64_t pos0_ = 0;
    std::uint16_t flag_ = 0;
    int mapq_ = 60;
    std::int64_t mate_pos0_ = -1;
    std::vector<std::uint32_t> cigar_;
    std::string bases_;
    std::vector<std::uint8_t> quals_;
    std::vector<std::uint8_t> packed_;
};

}  // namespace kitrx::test
