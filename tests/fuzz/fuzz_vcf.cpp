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
// (up to 2 x 4 GB per record) before it finds the input too short. The pages are never touched: a
// real run of such a file stays at 11 MB RSS and ends with "read error ... (corrupt data)" (the
// reproducer is tests/fuzz/corpus/vcf/regress_declared_huge_bcf_record), but libFuzzer's malloc
// limit stops on it. Inputs declaring more than 16 MiB beyond what they hold are skipped.
bool bcf_declares_more_than_it_has(const std::uint8_t* data, std::size_t size) {
    constexpr std::uint64_t kSlack = 16u << 20;
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
