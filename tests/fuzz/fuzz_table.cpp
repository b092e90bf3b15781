// SPDX-License-Identifier: MIT
// libFuzzer harness: MAF / TSO500 CombinedVariantOutput bytes (first byte: options; bits 64/128
// force --input-format maf / tso500) -> open_source -> table_source.cpp -> allele anchoring on the
// shipped reference -> naming -> source-HGVS comparison -> panel match (annotate_input).
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kitrx::fuzz::annotate_bytes(data, size, true);
    return 0;
}
