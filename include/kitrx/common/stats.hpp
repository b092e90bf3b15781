// SPDX-License-Identifier: MIT
// stats (common): the one binomial proportion interval used for every VAF, sensitivity,
// precision and clone fraction in kitrx.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace kitrx {

inline constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile

struct ProportionInterval {
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    [[nodiscard]] bool known() const { return !std::isnan(low) && !std::isnan(high); }
};

// alt / depth, the read fraction every VAF in kitrx is; NaN when there is no depth to divide by.
[[nodiscard]] inline double read_fraction(std::int64_t alt_reads, std::int64_t depth) {
    return depth > 0 ? static_cast<double>(alt_reads) / static_cast<double>(depth)
                     : std::numeric_limits<double>::quiet_NaN();
}

// Wilson score interval for x successes in n trials (Wilson 1927; Brown, Cai & DasGupta 2001
// recommend it for small n and proportions near 0, which is where ctDNA VAFs live). NaN bounds
// when n <= 0 or x is outside 0..n; x = 0 gives exactly 0 and x = n exactly 1.
[[nodiscard]] ProportionInterval wilson_interval(std::int64_t x, std::int64_t n, double z = kZ95);

}  // namespace kitrx
