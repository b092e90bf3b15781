// SPDX-License-Identifier: MIT
// libFuzzer harness: regimen YAML bytes -> load_regimens(istream) against the shipped panel, and
// sample-sheet bytes -> read_sample_sheet(istream) (the first byte chooses which).
// Contract under test: a load either succeeds or throws InputError (RegimenError and the sample
// sheet's collected errors are InputErrors); nothing else may escape, crash or trip the sanitizers.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "kitrx/clones/timepoints.hpp"
#include "kitrx/panel/panel.hpp"
#include "kitrx/regimens/regimens.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const kitrx::ActivityPanel& panel = kitrx::default_panel();
    std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    try {
        if (data[0] & 1) {
            const auto rows = kitrx::read_sample_sheet(in, "fuzz_sheet.tsv");
            for (const auto& r : rows) (void)r.order;
        } else {
            const kitrx::RegimenSet set = kitrx::load_regimens(in, "fuzz_regimens.yaml", panel);
            (void)set;
        }
    } catch (const kitrx::InputError&) {
    }
    return 0;
}
