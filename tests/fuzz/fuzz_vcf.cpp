// SPDX-License-Identifier: MIT
// libFuzzer harness: VCF/BCF bytes (first byte: options) -> open_source -> VcfSource ->
// observations_from_record -> naming -> panel match (annotate_input). See fuzz_input.hpp.
#include <cstring>

#include "fuzz_input.hpp"

namespace {

std::uint32_t u32_at(const std::uint8_t* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
}

// htslib allocates an uncompressed BCF's header text and each record from their declared sizes
// (up to 2 x 4 GB per record) before it finds the input too short. VcfSource rejects a record
// declaring more than kMaxRecordBytes when its length fields lie in the current block (fuzzed
// here), but not the header text, nor a record whose length fields straddle a block. The pages are
// never touched (a real run stays at 11 MB RSS, reproducer regress_declared_huge_bcf_record), but
// libFuzzer's malloc limit stops on them: inputs declaring more than 1 GiB beyond what they hold
// are skipped.
bool bcf_declares_more_than_it_has(const std::uint8_t* data, std::size_t size) {
    constexpr std::uint64_t kSlack = std::uint64_t{1} << 30;
    if (size < 9 || std::memcmp(data, "BCF\2", 4) != 0) return false;
    std::uint64_t at = 9 + static_cast<std::uint64_t>(u32_at(data + 5));
    if (at > size + kSlack) return true;
    while (at + 8 <= size) {
        const std::uint64_t length = std::uint64_t{u32_at(data + at)} + u32_at(data + at + 4);
        at += 8 + length;
        if (at > size + kSlack) return true;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 1 && bcf_declares_more_than_it_has(data + 1, size - 1)) return 0;
    kitrx::fuzz::annotate_bytes(data, size);
    return 0;
}
