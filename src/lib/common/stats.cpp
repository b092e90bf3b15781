// SPDX-License-Identifier: MIT
#include "kitrx/common/stats.hpp"

#include <algorithm>

namespace kitrx {

ProportionInterval wilson_interval(std::int64_t x, std::int64_t n, double z) {
    if (n <= 0 || x < 0 || x > n) return {};
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(x) / nn;
    const double z2 = z * z;
    const double centre = (p + z2 / (2.0 * nn)) / (1.0 + z2 / nn);
    const double half = z / (1.0 + z2 / nn) * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    // Clamp rounding noise so that x = 0 gives exactly 0 and x = n exactly 1.
    ProportionInterval ci{std::max(0.0, centre - half), std::min(1.0, centre + half)};
    if (x == 0) ci.low = 0.0;
    if (x == n) ci.high = 1.0;
    return ci;
}

}  // namespace kitrx
