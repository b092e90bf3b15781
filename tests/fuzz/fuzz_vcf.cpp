// SPDX-License-Identifier: MIT
// libFuzzer harness: VCF/BCF bytes (first byte: options) -> open_source -> VcfSource ->
// observations_from_record -> naming -> panel match (annotate_input). See fuzz_input.hpp.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kitrx::fuzz::annotate_bytes(data, size);
    return 0;
}
