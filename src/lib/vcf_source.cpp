// SPDX-License-Identifier: MIT
// Placeholder replaced by the VCF reader (issue 2).
#include "hts_util.hpp"

namespace kitrx::detail {

std::unique_ptr<ObservationSource> make_vcf_source(HtsFilePtr, const SourceOptions& options, Diagnostics&) {
    throw InputError({options.path, 0, 0, ""}, "VCF input is not implemented yet");
}

}  // namespace kitrx::detail
