// SPDX-License-Identifier: MIT
// libFuzzer harness: BAM bytes (first byte: options) -> open_source -> BamSource -> ReadCounter ->
// allele calling -> naming -> panel match (annotate_input). The seeds are uncompressed BAM (the
// BGZF layer removed with `bgzip -dc`): htslib reads it as is, and mutations then hit the header
// and the records instead of the deflate stream. See fuzz_input.hpp.
#include <cstring>

#include "fuzz_input.hpp"

namespace {

// htslib's bam_hdr_read allocates the text and the reference arrays from the counts declared in
// the header (calloc of up to 16 GB for n_ref = 2^31) before it finds the file too short. The
// pages are never touched, so a real run stays small (checked: 9 MB RSS, a clean "cannot read the
// BAM header"), but libFuzzer's malloc limit reports it as out-of-memory and stops. Such headers
// are skipped here: a declared size larger than the input cannot be read by anyone.
bool declares_more_than_it_has(const std::uint8_t* data, std::size_t size) {
    if (size < 12 || std::memcmp(data, "BAM\1", 4) != 0) return false;
    auto int32_at = [&](std::size_t offset) {
        std::int32_t v = 0;
        std::memcpy(&v, data + offset, 4);
        return v;
    };
    const std::int32_t l_text = int32_at(4);
    if (l_text < 0 || static_cast<std::size_t>(l_text) > size - 12) return true;
    const std::int32_t n_ref = int32_at(8 + static_cast<std::size_t>(l_text));
    return n_ref < 0 || static_cast<std::size_t>(n_ref) > size / 9;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 1 && declares_more_than_it_has(data + 1, size - 1)) return 0;
    kitrx::fuzz::annotate_bytes(data, size);
    return 0;
}
