// SPDX-License-Identifier: MIT
// validation statistics: the estimators behind the metrics (Wilson proportion, normal quantile,
// bias regression, CV, probit LoD fit), pure and deterministic so that a rerun gives the same file.
// Proportions use common/stats' Wilson interval, the one behind every VAF and clone interval.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "kitrx/common/stats.hpp"
#include "kitrx/validation/validation.hpp"

namespace kitrx {

Proportion proportion(std::int64_t x, std::int64_t n) {
    Proportion p;
    p.x = x;
    p.n = n;
    if (n <= 0) return p;
    const ProportionInterval ci = wilson_interval(x, n);
    p.value = static_cast<double>(x) / static_cast<double>(n);
    p.low = ci.low;
    p.high = ci.high;
    return p;
}

double normal_cdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) return kNaN;
    // Acklam's algorithm.
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double plow = 0.02425;
    double x = 0;
    if (p < plow) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - plow) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // One Halley step on the exact CDF.
    const double e = normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

BiasFit fit_bias(const std::vector<double>& expected, const std::vector<double>& observed) {
    BiasFit fit;
    const std::size_t n = std::min(expected.size(), observed.size());
    fit.n = n;
    std::vector<double> rel;
    for (std::size_t i = 0; i < n; ++i)
        if (expected[i] > 0) rel.push_back((observed[i] - expected[i]) / expected[i]);
    if (!rel.empty()) {
        fit.mean_relative_bias =
            std::accumulate(rel.begin(), rel.end(), 0.0) / static_cast<double>(rel.size());
        std::sort(rel.begin(), rel.end());
        const std::size_t m = rel.size() / 2;
        fit.median_relative_bias = rel.size() % 2 ? rel[m] : 0.5 * (rel[m - 1] + rel[m]);
    }
    if (n < 2) return fit;
    const double nn = static_cast<double>(n);
    const double mx = std::accumulate(expected.begin(), expected.begin() + static_cast<long>(n), 0.0) / nn;
    const double my = std::accumulate(observed.begin(), observed.begin() + static_cast<long>(n), 0.0) / nn;
    double sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (expected[i] - mx) * (expected[i] - mx);
        syy += (observed[i] - my) * (observed[i] - my);
        sxy += (expected[i] - mx) * (observed[i] - my);
    }
    if (sxx > 0) {
        fit.slope = sxy / sxx;
        fit.intercept = my - fit.slope * mx;
        if (syy > 0) fit.pearson_r = sxy / std::sqrt(sxx * syy);
    }
    // Lin (1989): population (1/n) moments.
    const double denom = sxx / nn + syy / nn + (mx - my) * (mx - my);
    if (denom > 0) fit.ccc = 2.0 * (sxy / nn) / denom;
    return fit;
}

double coefficient_of_variation(const std::vector<double>& values) {
    if (values.size() < 2) return kNaN;
    const double n = static_cast<double>(values.size());
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    if (!(mean > 0)) return kNaN;
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return std::sqrt(ss / (n - 1.0)) / mean;
}

namespace {

struct BinomialPoint {
    double x;
    double successes;
    double trials;
};

double normal_pdf(double z) {
    return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
}

double probit_loglik(const std::vector<BinomialPoint>& pts, double a, double b) {
    double ll = 0;
    for (const auto& p : pts) {
        const double eta = a + b * p.x;
        // log Phi and log(1 - Phi) through erfc keep precision in the tails.
        const double log_p = std::log(std::max(normal_cdf(eta), 1e-300));
        const double log_q = std::log(std::max(normal_cdf(-eta), 1e-300));
        ll += p.successes * log_p + (p.trials - p.successes) * log_q;
    }
    return ll;
}

}  // namespace

ProbitFit fit_probit(const std::vector<double>& x, const std::vector<int>& detected, double target) {
    ProbitFit fit;
    fit.n = std::min(x.size(), detected.size());
    std::map<double, BinomialPoint> grouped;
    for (std::size_t i = 0; i < fit.n; ++i) {
        if (!std::isfinite(x[i])) continue;
        auto& g = grouped.try_emplace(x[i], BinomialPoint{x[i], 0, 0}).first->second;
        g.trials += 1;
        g.successes += detected[i] ? 1 : 0;
    }
    std::vector<BinomialPoint> pts;
    for (const auto& [key, p] : grouped) pts.push_back(p);
    double total = 0, hits = 0;
    for (const auto& p : pts) {
        total += p.trials;
        hits += p.successes;
    }
    if (pts.size() < 2) {
        fit.note = "fewer than 2 distinct levels";
        return fit;
    }
    if (hits == 0) {
        fit.note = "nothing detected";
        return fit;
    }
    if (hits == total) {
        fit.note = "every replicate detected at every level";
        return fit;
    }
    // Separation: the likelihood has no finite maximum when detections and misses do not overlap.
    double miss_max = -INFINITY, hit_min = INFINITY, hit_max = -INFINITY, miss_min = INFINITY;
    for (const auto& p : pts) {
        if (p.successes > 0) hit_min = std::min(hit_min, p.x), hit_max = std::max(hit_max, p.x);
        if (p.successes < p.trials) miss_max = std::max(miss_max, p.x), miss_min = std::min(miss_min, p.x);
    }
    if (miss_max <= hit_min || hit_max <= miss_min) {
        fit.note = "not estimable: complete separation (no overlap of detected and missed fractions)";
        return fit;
    }
    double a = 0, b = 0;
    double ll = probit_loglik(pts, a, b);
    double i00 = 0, i01 = 0, i11 = 0;
    bool converged = false;
    for (int it = 1; it <= 200; ++it) {
        fit.iterations = it;
        double u0 = 0, u1 = 0;
        i00 = i01 = i11 = 0;
        for (const auto& p : pts) {
            const double eta = a + b * p.x;
            const double mu = std::clamp(normal_cdf(eta), 1e-15, 1 - 1e-15);
            const double phi = std::max(normal_pdf(eta), 1e-300);
            const double v = mu * (1 - mu);
            const double s = (p.successes - p.trials * mu) * phi / v;
            const double w = p.trials * phi * phi / v;
            u0 += s;
            u1 += s * p.x;
            i00 += w;
            i01 += w * p.x;
            i11 += w * p.x * p.x;
        }
        const double det = i00 * i11 - i01 * i01;
        if (!(det > 0)) break;
        double da = (i11 * u0 - i01 * u1) / det, db = (i00 * u1 - i01 * u0) / det;
        double na = a + da, nb = b + db, nll = probit_loglik(pts, na, nb);
        for (int half = 0; half < 40 && nll < ll - 1e-12; ++half) {
            da /= 2;
            db /= 2;
            na = a + da;
            nb = b + db;
            nll = probit_loglik(pts, na, nb);
        }
        const double change = std::abs(nll - ll);
        a = na;
        b = nb;
        ll = nll;
        if (change < 1e-11 * (1 + std::abs(ll)) && std::abs(da) < 1e-9 * (1 + std::abs(a)) &&
            std::abs(db) < 1e-9 * (1 + std::abs(b))) {
            converged = true;
            break;
        }
    }
    if (!converged) {
        fit.note = "probit fit did not converge";
        return fit;
    }
    // Information at the estimate.
    i00 = i01 = i11 = 0;
    for (const auto& p : pts) {
        const double eta = a + b * p.x;
        const double mu = std::clamp(normal_cdf(eta), 1e-15, 1 - 1e-15);
        const double phi = normal_pdf(eta);
        const double w = p.trials * phi * phi / (mu * (1 - mu));
        i00 += w;
        i01 += w * p.x;
        i11 += w * p.x * p.x;
    }
    const double det = i00 * i11 - i01 * i01;
    fit.intercept = a;
    fit.slope = b;
    if (det > 0) {
        fit.var_intercept = i11 / det;
        fit.var_slope = i00 / det;
        fit.cov = -i01 / det;
    }
    if (!(b > 0)) {
        fit.note = "detection does not increase with the fraction (slope <= 0)";
        return fit;
    }
    fit.estimable = true;
    const double q = normal_quantile(target);
    fit.x_target = (q - a) / b;
    // Delta method: gradient of (q - a)/b w.r.t. (a, b) is (-1/b, -x/b).
    const double ga = -1.0 / b, gb = -fit.x_target / b;
    const double var = ga * ga * fit.var_intercept + gb * gb * fit.var_slope + 2 * ga * gb * fit.cov;
    if (var >= 0) {
        const double half = kZ95 * std::sqrt(var);
        fit.x_low = fit.x_target - half;
        fit.x_high = fit.x_target + half;
    }
    return fit;
}

}  // namespace kitrx
