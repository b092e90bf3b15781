// SPDX-License-Identifier: MIT
// Placeholder until BAM/CRAM counting lands (issue 5): a clear error rather than a silent empty table.
#include "hts_util.hpp"

namespace kitrx::detail {

std::unique_ptr<ObservationSource> make_bam_source(HtsFilePtr, const SourceOptions& options, Diagnostics&) {
    throw InputError({options.path, 0, 0, ""}, "BAM/CRAM input is not supported by this build yet",
                     "call variants first and pass the VCF");
}

}  // namespace kitrx::detail
