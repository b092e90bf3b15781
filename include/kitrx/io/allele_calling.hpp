// SPDX-License-Identifier: MIT
// allele_calling: from fragment counts (read_counter.hpp) to calls (io module, BAM/CRAM side).
// For each non-reference allele: VAF with a 95% Wilson interval, a one-sided binomial test
// against a background error rate, a strand-balance test; for the known secondary-resistance
// hotspots (resources/genome/hotspots.tsv) a detected / not-detected status with the limit of
// detection. Positions 0-based; alleles VCF-style.
//
// Formulas (n = depth, k = alt fragments, z = 1.959964):
//  * VAF = k / n; 95% CI by the Wilson score interval
//      centre = (k + z^2/2) / (n + z^2),  half = z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4).
//  * Background test: p = P(X >= k | X ~ Binomial(n, e)), one-sided, where e is the error rate
//    for this position and allele from the noise table when it lists it (> 0), else the global
//    rate (CountOptions::background_error, default 0.001 per allele).
//  * Called when p < alpha (default 0.01) and k >= min_alt_reads (default 3) and k/n >= min_vaf.
//  * Strand balance: two-sided Fisher exact test on [[ref_fwd, ref_rev], [alt_fwd, alt_rev]]
//    (ref = fragments with the reference base at the allele's first position; for alleles that
//    keep the anchor base, the alt fragments are taken out of it). Flagged `strand_bias` when
//    p < 0.001 (kStrandBiasAlpha); the call is kept and its FILTER says so.
//  * Critical count k*(n) = the smallest k that would be called at depth n (all three rules).
//    Limit of detection at 95% power = the smallest f with P(Binomial(n, f) >= k*(n)) >= 0.95,
//    found by bisection; NaN when n = 0 or no k <= n can be called.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "kitrx/common/errors.hpp"
#include "kitrx/common/stats.hpp"
#include "kitrx/genome/genome.hpp"
#include "kitrx/io/read_counter.hpp"
#include "kitrx/io/source.hpp"

namespace kitrx {

inline constexpr double kStrandBiasAlpha = 0.001;
inline constexpr double kLodPower = 0.95;

// The VAF interval is common/stats.hpp's wilson_interval (one Wilson interval in kitrx).
// P(X >= k) for X ~ Binomial(n, p).
[[nodiscard]] double binomial_upper_tail(std::int64_t k, std::int64_t n, double p);
// Two-sided Fisher exact test p-value for the table [[a, b], [c, d]].
[[nodiscard]] double fisher_exact_two_sided(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d);
// Smallest alt count called at depth n with background e; -1 when none <= n.
[[nodiscard]] std::int64_t critical_alt_count(std::int64_t n, double e, const CountOptions& options);
// Smallest VAF detected with probability >= `power` at depth n (see the header comment).
[[nodiscard]] double limit_of_detection(std::int64_t n,
                                        double e,
                                        const CountOptions& options,
                                        double power = kLodPower);

// Background error rates per position and allele. Two table formats are read (detected from the
// header line):
//  * kitrx: columns chrom, pos (1-based), ref, alt, rate (VCF-style alleles; exact match).
//  * sequence_qc noise positions (msk-access/sequence_qc; pos is 0-based, as pysam writes it):
//    chrom, pos, ref, ..., A, C, T, G, N,
//    ..., deletions, insertions, ..., total_acgt; the rate of base X at a position is
//    count(X) / total_acgt, of a deletion starting at pos deletions / reads_all, of an insertion
//    after pos insertions / reads_all.
// Rows whose REF does not match the shipped reference are skipped with a warning (wrong build).
class BackgroundModel {
public:
    explicit BackgroundModel(double global_rate = 0.001) : global_(global_rate) {}
    // Throws IoError when unreadable, InputError (path:line:col) on malformed rows.
    [[nodiscard]] static BackgroundModel load(const std::string& path,
                                              double global_rate,
                                              const ReferenceSequence& reference,
                                              Diagnostics& diag);
    // Rate for allele REF>ALT at pos0 (table entry when listed and > 0, else the global rate).
    [[nodiscard]] double rate(std::int64_t pos0, const std::string& ref, const std::string& alt) const;
    [[nodiscard]] double global_rate() const { return global_; }
    [[nodiscard]] std::size_t entries() const { return rates_.size(); }
    void set(std::int64_t pos0, const std::string& ref, const std::string& alt, double rate);

private:
    double global_;
    std::unordered_map<std::string, double> rates_;  // key: allele key (see .cpp)
};

// One allele with its statistics.
struct AlleleCall {
    AlleleCount allele;
    std::int64_t depth = 0;    // fragments at the allele's first REF position
    std::int64_t ref_fwd = 0;  // reference fragments, forward (see the header comment)
    std::int64_t ref_rev = 0;
    double vaf = kUnknownFraction;
    ProportionInterval ci;     // 95% Wilson
    double background = 0;     // error rate used
    double pvalue = 1;         // background test
    double strand_pvalue = 1;  // Fisher
    bool strand_bias = false;
    bool called = false;
};

// Statistics for every allele of the table (sorted as the table), `called` set per the rules.
[[nodiscard]] std::vector<AlleleCall> evaluate_alleles(const CountTable& table,
                                                       const BackgroundModel& background,
                                                       const CountOptions& options);

// A hotspot of resources/genome/hotspots.tsv.
struct HotspotDefinition {
    std::string gene;
    std::string label;  // "D816*"
    int codon = 0;
    char ref_aa = '?';  // one-letter
    char alt_aa = '*';  // one-letter, '*' = any amino-acid change (incl. indels)
    std::string source;
};

// The shipped hotspot list (parsed once).
[[nodiscard]] const std::vector<HotspotDefinition>& builtin_hotspots();

// Status of each hotspot of `genes` whose codon lies in the table's regions.
[[nodiscard]] std::vector<HotspotStatus> evaluate_hotspots(const std::vector<HotspotDefinition>& hotspots,
                                                           const std::vector<std::string>& genes,
                                                           const GenomeModel& model,
                                                           const CountTable& table,
                                                           const std::vector<AlleleCall>& calls,
                                                           const BackgroundModel& background,
                                                           const CountOptions& options,
                                                           const std::string& chrom);

// Amino acid (one-letter, '*' stop, 'X' unknown) of codon `codon` of `transcript` after applying
// the substitution REF>ALT at pos0 (equal lengths); the reference amino acid when the allele does
// not touch the codon; '\0' when the allele is not a substitution.
[[nodiscard]] char codon_after(const Transcript& transcript,
                               int codon,
                               std::int64_t pos0,
                               const std::string& ref,
                               const std::string& alt);

}  // namespace kitrx
