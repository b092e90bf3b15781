// SPDX-License-Identifier: MIT
// clone_intervals (clones, private): the 95% Wilson interval of a clone's VAF as the clone
// model's ConfidenceInterval (see clone_intervals.cpp for why it is a separate file).
#pragma once

#include <cstdint>

#include "kitrx/clones/clones.hpp"

namespace kitrx {

// common/stats wilson_interval(x, n) at 95%: NaN bounds when n <= 0 or x is outside 0..n.
[[nodiscard]] ConfidenceInterval vaf_interval(std::int64_t x, std::int64_t n);

}  // namespace kitrx
