// SPDX-License-Identifier: MIT
// clone_intervals: the ratio interval of clone fractions (MOVER-R over two Wilson intervals from
// common/stats), apart from the clone model in clones.cpp.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kitrx/clones/clones.hpp"
#include "kitrx/common/stats.hpp"

namespace kitrx {

ConfidenceInterval mover_r_ratio(double p_num,
                                 ConfidenceInterval ci_num,
                                 double p_den,
                                 ConfidenceInterval ci_den) {
    if (std::isnan(p_num) || std::isnan(p_den) || !ci_num.known() || !ci_den.known()) return {};
    if (p_den <= 0.0) return {};
    const double a = p_num * p_den;
    const double ln = ci_num.low, un = ci_num.high, ld = ci_den.low, ud = ci_den.high;
    ConfidenceInterval out;
    const double low_den = ud * (2.0 * p_den - ud);
    const double low_disc = std::max(0.0, a * a - ln * ud * (2.0 * p_num - ln) * (2.0 * p_den - ud));
    out.low = low_den == 0.0 ? 0.0 : (a - std::sqrt(low_disc)) / low_den;
    const double high_den = ld * (2.0 * p_den - ld);
    const double high_disc = std::max(0.0, a * a - un * ld * (2.0 * p_num - un) * (2.0 * p_den - ld));
    out.high =
        high_den <= 0.0 ? std::numeric_limits<double>::infinity() : (a + std::sqrt(high_disc)) / high_den;
    if (out.low < 0.0) out.low = 0.0;
    return out;
}

}  // namespace kitrx
