// SPDX-License-Identifier: MIT
#include "kitrx/io/allele_calling.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

#include "kitrx/common/resources.hpp"
#include "kitrx/common/stats.hpp"
#include "kitrx/common/text.hpp"

namespace kitrx {

namespace {

double log_binomial_pmf(std::int64_t k, std::int64_t n, double p) {
    const double dn = static_cast<double>(n), dk = static_cast<double>(k);
    return std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) + dk * std::log(p) +
           (dn - dk) * std::log1p(-p);
}

std::string allele_key(std::int64_t pos0, const std::string& ref, const std::string& alt) {
    return std::to_string(pos0) + '\t' + ref + '\t' + alt;
}
// Class keys used by the sequence_qc format: any base X at pos, deletions starting at pos,
// insertions after pos.
std::string snv_key(std::int64_t pos0, char alt) {
    return std::to_string(pos0) + "\tsnv\t" + alt;
}
std::string del_key(std::int64_t first_deleted0) {
    return std::to_string(first_deleted0) + "\tdel";
}
std::string ins_key(std::int64_t anchor0) {
    return std::to_string(anchor0) + "\tins";
}

char translate(std::string_view codon) {
    static constexpr char kCode[] = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";
    int index = 0;
    for (char b : codon) {
        int v;
        switch (b) {
            case 'A':
                v = 0;
                break;
            case 'C':
                v = 1;
                break;
            case 'G':
                v = 2;
                break;
            case 'T':
                v = 3;
                break;
            default:
                return 'X';
        }
        index = index * 4 + v;
    }
    return kCode[index];
}

}  // namespace

double binomial_upper_tail(std::int64_t k, std::int64_t n, double p) {
    if (k <= 0) return 1.0;
    if (k > n) return 0.0;
    if (p <= 0) return 0.0;
    if (p >= 1) return 1.0;
    const double dn = static_cast<double>(n);
    const double ratio = p / (1 - p);
    if (static_cast<double>(k) > dn * p) {
        // Terms decrease from k upwards: sum until they no longer matter.
        double term = std::exp(log_binomial_pmf(k, n, p));
        double sum = 0;
        for (std::int64_t j = k; j <= n; ++j) {
            sum += term;
            if (term < sum * 1e-17) break;
            term *= static_cast<double>(n - j) / static_cast<double>(j + 1) * ratio;
        }
        return std::min(1.0, sum);
    }
    // k at or below the mean: 1 - P(X <= k-1), summing downwards from k-1.
    double term = std::exp(log_binomial_pmf(k - 1, n, p));
    double sum = 0;
    for (std::int64_t j = k - 1; j >= 0; --j) {
        sum += term;
        if (term < sum * 1e-17) break;
        term *= static_cast<double>(j) / static_cast<double>(n - j + 1) / ratio;
    }
    return std::max(0.0, 1.0 - sum);
}

double fisher_exact_two_sided(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
    const std::int64_t row1 = a + b, col1 = a + c, n = a + b + c + d;
    if (n <= 0) return 1.0;
    auto log_choose = [](std::int64_t nn, std::int64_t kk) {
        return std::lgamma(static_cast<double>(nn) + 1) - std::lgamma(static_cast<double>(kk) + 1) -
               std::lgamma(static_cast<double>(nn - kk) + 1);
    };
    // Hypergeometric probability of x in the top-left cell, margins fixed.
    auto log_p = [&](std::int64_t x) {
        return log_choose(col1, x) + log_choose(n - col1, row1 - x) - log_choose(n, row1);
    };
    const std::int64_t lo = std::max<std::int64_t>(0, row1 + col1 - n), hi = std::min(row1, col1);
    const double observed = log_p(a);
    double p = 0;
    for (std::int64_t x = lo; x <= hi; ++x) {
        const double lx = log_p(x);
        if (lx <= observed + 1e-7) p += std::exp(lx);
    }
    return std::min(1.0, p);
}

std::int64_t critical_alt_count(std::int64_t n, double e, const CountOptions& options) {
    if (n <= 0) return -1;
    std::int64_t k = std::max<std::int64_t>(1, options.min_alt_reads);
    k = std::max(k, static_cast<std::int64_t>(std::ceil(options.min_vaf * static_cast<double>(n) - 1e-9)));
    // Below the mean the tail is >= ~0.5 > alpha: start there.
    k = std::max(k, static_cast<std::int64_t>(std::floor(static_cast<double>(n) * e)));
    for (; k <= n; ++k)
        if (binomial_upper_tail(k, n, e) < options.alpha) return k;
    return -1;
}

double limit_of_detection(std::int64_t n, double e, const CountOptions& options, double power) {
    const std::int64_t k = critical_alt_count(n, e, options);
    if (k < 0) return kUnknownFraction;
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; ++i) {
        const double mid = (lo + hi) / 2;
        if (binomial_upper_tail(k, n, mid) >= power)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

// --- background ----------------------------------------------------------------------------

void BackgroundModel::set(std::int64_t pos0, const std::string& ref, const std::string& alt, double rate) {
    rates_[allele_key(pos0, ref, alt)] = rate;
}

double BackgroundModel::rate(std::int64_t pos0, const std::string& ref, const std::string& alt) const {
    if (rates_.empty()) return global_;
    auto lookup = [&](const std::string& key) -> double {
        auto it = rates_.find(key);
        return it != rates_.end() && it->second > 0 ? it->second : -1;
    };
    double r = lookup(allele_key(pos0, ref, alt));
    if (r < 0) {
        if (ref.size() == 1 && alt.size() == 1)
            r = lookup(snv_key(pos0, alt[0]));
        else if (alt.size() == 1 && ref.size() > 1 && ref[0] == alt[0])
            r = lookup(del_key(pos0 + 1));
        else if (ref.size() == 1 && alt.size() > 1 && ref[0] == alt[0])
            r = lookup(ins_key(pos0));
    }
    return r > 0 ? r : global_;
}

BackgroundModel BackgroundModel::load(const std::string& path,
                                      double global_rate,
                                      const ReferenceSequence& reference,
                                      Diagnostics& diag) {
    std::ifstream in(path);
    if (!in) throw IoError("cannot open noise table '" + path + "': " + std::strerror(errno));
    BackgroundModel model(global_rate);
    std::string line;
    int line_no = 0;
    std::map<std::string, std::size_t> col;
    bool kitrx_format = false;
    auto column = [&](const std::string& name) -> std::size_t {
        auto it = col.find(name);
        return it == col.end() ? std::string::npos : it->second;
    };
    auto fail = [&](int column_no, const std::string& what, const std::string& hint = "") {
        throw InputError({path, line_no, column_no, ""}, what, hint);
    };
    std::int64_t mismatched = 0, rows = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || (line.rfind("##", 0) == 0)) continue;
        if (col.empty()) {
            std::string header = line;
            if (header[0] == '#') header.erase(0, 1);
            const auto names = split_tabs(header);
            for (std::size_t i = 0; i < names.size(); ++i) col[names[i]] = i;
            if (column("chrom") == std::string::npos || column("pos") == std::string::npos ||
                column("ref") == std::string::npos)
                fail(1, "noise table header must name chrom, pos and ref columns",
                     "use 'chrom pos ref alt rate' or a sequence_qc noise_positions table");
            kitrx_format = column("alt") != std::string::npos && column("rate") != std::string::npos;
            if (!kitrx_format &&
                (column("total_acgt") == std::string::npos || column("A") == std::string::npos))
                fail(1, "unknown noise table format (neither alt/rate nor A/C/G/T/total_acgt columns)",
                     "use 'chrom pos ref alt rate' or a sequence_qc noise_positions table");
            continue;
        }
        if (line[0] == '#') continue;
        const auto f = split_tabs(line);
        auto field = [&](const std::string& name) -> const std::string& {
            const auto i = column(name);
            if (i >= f.size()) fail(0, "missing column '" + name + "'");
            return f[i];
        };
        auto number = [&](const std::string& name) -> double {
            const std::string& s = field(name);
            try {
                std::size_t used = 0;
                const double v = std::stod(s, &used);
                if (used != s.size() || !(v >= 0)) throw std::invalid_argument(s);
                return v;
            } catch (const std::exception&) {
                fail(static_cast<int>(column(name)) + 1,
                     "column '" + name + "': expected a non-negative number, got '" + s + "'");
            }
            return 0;
        };
        // sequence_qc writes pysam's 0-based reference positions (all 73 rows of its KIT test
        // table match the reference only that way); the kitrx format is 1-based like VCF.
        const double pos = number("pos");
        const double first = kitrx_format ? 1 : 0;
        if (pos < first || pos != std::floor(pos))
            fail(static_cast<int>(column("pos")) + 1,
                 kitrx_format ? "pos must be a 1-based integer" : "pos must be an integer");
        const auto pos0 = static_cast<std::int64_t>(pos) - (kitrx_format ? 1 : 0);
        std::string ref = field("ref");
        std::transform(ref.begin(), ref.end(), ref.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        ++rows;
        const auto ref_end = pos0 + static_cast<std::int64_t>(ref.size());
        if (!reference.covers(pos0, ref_end) || reference.fetch(pos0, ref_end) != ref) {
            ++mismatched;
            diag.warn("noise_table_ref", path + ":" + std::to_string(line_no) + ": REF '" + ref +
                                             "' does not match the shipped reference at " +
                                             std::to_string(pos0 + 1) + " (or lies outside it); row skipped");
            continue;
        }
        if (kitrx_format) {
            std::string alt = field("alt");
            std::transform(alt.begin(), alt.end(), alt.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            const double r = number("rate");
            if (r > 1) fail(static_cast<int>(column("rate")) + 1, "rate must be in [0, 1]");
            model.rates_[allele_key(pos0, ref, alt)] = r;
            continue;
        }
        const double total = number("total_acgt");
        if (total > 0) {
            for (char b : std::string("ACGT")) {
                if (b == ref[0]) continue;
                model.rates_[snv_key(pos0, b)] = number(std::string(1, b)) / total;
            }
        }
        if (column("reads_all") != std::string::npos) {
            const double all = number("reads_all");
            if (all > 0 && column("deletions") != std::string::npos)
                model.rates_[del_key(pos0)] = number("deletions") / all;
            if (all > 0 && column("insertions") != std::string::npos)
                model.rates_[ins_key(pos0)] = number("insertions") / all;
        }
    }
    if (col.empty()) throw InputError({path, line_no, 0, ""}, "noise table is empty");
    if (rows > 0 && mismatched * 2 > rows)
        throw InputError({path, 0, 0, ""},
                         std::to_string(mismatched) + " of " + std::to_string(rows) +
                             " rows do not match the shipped reference",
                         "the table is probably for the other genome build");
    return model;
}

// --- calls -------------------------------------------------------------------------------------

std::vector<AlleleCall> evaluate_alleles(const CountTable& table,
                                         const BackgroundModel& background,
                                         const CountOptions& options) {
    std::vector<AlleleCall> out;
    out.reserve(table.alleles().size());
    for (const AlleleCount& a : table.alleles()) {
        AlleleCall c;
        c.allele = a;
        std::int64_t first = a.pos0;
        if (!table.at(first)) {
            // Allele starting before the regions (e.g. a deletion entering an exon): use the
            // first counted position it covers.
            for (std::int64_t p = a.pos0; p < a.pos0 + static_cast<std::int64_t>(a.ref.size()); ++p)
                if (table.at(p)) {
                    first = p;
                    break;
                }
        }
        c.depth = table.depth_at(first);
        const std::int64_t k = a.total();
        if (c.depth < k) c.depth = k;  // cannot happen with consistent counts; keeps VAF <= 1
        if (const PositionCounts* pc = table.at(a.pos0)) {
            const int slot = [&] {
                switch (a.ref[0]) {
                    case 'A':
                        return static_cast<int>(kSlotA);
                    case 'C':
                        return static_cast<int>(kSlotC);
                    case 'G':
                        return static_cast<int>(kSlotG);
                    case 'T':
                        return static_cast<int>(kSlotT);
                    default:
                        return static_cast<int>(kSlotN);
                }
            }();
            c.ref_fwd = pc->fwd[slot];
            c.ref_rev = pc->rev[slot];
            if (a.ref[0] == a.alt[0]) {
                c.ref_fwd = std::max<std::int64_t>(0, c.ref_fwd - a.fwd);
                c.ref_rev = std::max<std::int64_t>(0, c.ref_rev - a.rev);
            }
        }
        c.vaf = read_fraction(k, c.depth);
        c.ci = wilson_interval(k, c.depth);
        c.background = background.rate(a.pos0, a.ref, a.alt);
        c.pvalue = binomial_upper_tail(k, c.depth, c.background);
        c.strand_pvalue = fisher_exact_two_sided(c.ref_fwd, c.ref_rev, a.fwd, a.rev);
        c.strand_bias = c.strand_pvalue < kStrandBiasAlpha;
        c.called =
            k >= options.min_alt_reads && c.pvalue < options.alpha && c.depth > 0 && c.vaf >= options.min_vaf;
        out.push_back(std::move(c));
    }
    return out;
}

// --- hotspots -------------------------------------------------------------------------------

const std::vector<HotspotDefinition>& builtin_hotspots() {
    static std::once_flag once;
    static std::vector<HotspotDefinition> list;
    std::call_once(once, [] {
        std::istringstream in{std::string(embedded_resource("genome/hotspots.tsv"))};
        std::string line;
        bool header = false;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (!header) {
                header = true;
                continue;
            }
            const auto f = split_tabs(line);
            if (f.size() < 6 || f[3].size() != 1 || f[4].size() != 1)
                throw std::logic_error("internal error: malformed resources/genome/hotspots.tsv row: " +
                                       line);
            list.push_back({f[0], f[1], std::stoi(f[2]), f[3][0], f[4][0], f[5]});
        }
    });
    return list;
}

namespace {

// 0-based genomic position of c.(c_pos) on a + strand transcript; -1 outside the CDS exons.
std::int64_t genomic_of_c(const Transcript& t, int c_pos) {
    for (const auto& e : t.exons)
        if (c_pos >= e.cds_start_c && c_pos <= e.cds_end_c) return e.cds_begin + (c_pos - e.cds_start_c);
    return -1;
}

}  // namespace

char codon_after(const Transcript& transcript,
                 int codon,
                 std::int64_t pos0,
                 const std::string& ref,
                 const std::string& alt) {
    if (ref.size() != alt.size() || transcript.strand != '+') return '\0';
    const auto first_c = static_cast<std::size_t>(3 * codon - 3);
    if (first_c + 3 > transcript.cds.size()) return 'X';
    std::string bases = transcript.cds.substr(first_c, 3);
    for (int i = 0; i < 3; ++i) {
        const std::int64_t g = genomic_of_c(transcript, 3 * codon - 2 + i);
        const std::int64_t off = g - pos0;
        if (g >= 0 && off >= 0 && off < static_cast<std::int64_t>(alt.size()))
            bases[static_cast<std::size_t>(i)] = alt[static_cast<std::size_t>(off)];
    }
    return translate(bases);
}

std::vector<HotspotStatus> evaluate_hotspots(const std::vector<HotspotDefinition>& hotspots,
                                             const std::vector<std::string>& genes,
                                             const GenomeModel& model,
                                             const CountTable& table,
                                             const std::vector<AlleleCall>& calls,
                                             const BackgroundModel& background,
                                             const CountOptions& options,
                                             const std::string& chrom) {
    std::vector<HotspotStatus> out;
    for (const auto& h : hotspots) {
        if (std::find(genes.begin(), genes.end(), h.gene) == genes.end()) continue;
        const Transcript& t = model.transcript(h.gene);
        std::int64_t positions[3];
        bool any_in_regions = false;
        for (int i = 0; i < 3; ++i) {
            positions[i] = genomic_of_c(t, 3 * h.codon - 2 + i);
            if (positions[i] >= 0 && table.at(positions[i])) any_in_regions = true;
        }
        if (!any_in_regions) continue;
        HotspotStatus s;
        s.gene = h.gene;
        s.label = h.label;
        s.codon = h.codon;
        s.chrom = chrom;
        s.source = h.source;
        s.begin = *std::min_element(positions, positions + 3);
        s.end = *std::max_element(positions, positions + 3) + 1;
        s.depth = std::numeric_limits<std::int64_t>::max();
        double e = 0;
        for (std::int64_t p : positions) {
            s.depth = std::min<std::int64_t>(s.depth, table.depth_at(p));
            const std::string r(1, table.reference_at(p));
            for (char b : std::string("ACGT"))
                if (b != r[0]) e = std::max(e, background.rate(p, r, std::string(1, b)));
        }
        s.background = e;
        s.lod_vaf = limit_of_detection(s.depth, e, options);
        s.min_depth = options.min_depth;
        const AlleleCall* best = nullptr;
        for (const AlleleCall& c : calls) {
            const AlleleCount& a = c.allele;
            auto in_codon = [&](std::int64_t p) {
                return std::find(positions, positions + 3, p) != positions + 3;
            };
            bool touches = false;
            if (a.is_insertion()) {
                touches = in_codon(a.pos0) && in_codon(a.pos0 + 1);  // inserted inside the codon
            } else {
                // Alleles that keep the anchor base change only the bases after it.
                const std::int64_t a_begin =
                    a.ref[0] == a.alt[0] && a.ref.size() != a.alt.size() ? a.pos0 + 1 : a.pos0;
                const std::int64_t a_end = a.pos0 + static_cast<std::int64_t>(a.ref.size());
                for (std::int64_t p = a_begin; p < a_end && !touches; ++p) touches = in_codon(p);
            }
            if (!touches) continue;
            const char aa = codon_after(t, h.codon, a.pos0, a.ref, a.alt);
            bool matches;
            if (aa == '\0')
                matches = h.alt_aa == '*';  // indel at the codon: "any change"
            else
                matches = aa != h.ref_aa && (h.alt_aa == '*' || aa == h.alt_aa);
            if (!matches) continue;
            // Strongest matching allele: called first, then most fragments, then lowest p.
            auto rank = [](const AlleleCall& x) {
                return std::make_tuple(x.called, x.allele.total(), -x.pvalue);
            };
            if (!best || rank(c) > rank(*best)) best = &c;
            if (c.called) s.detected = true;
        }
        if (best) {
            s.best_allele =
                std::to_string(best->allele.pos0 + 1) + " " + best->allele.ref + ">" + best->allele.alt;
            s.best_alt_reads = best->allele.total();
            s.best_depth = best->depth;
            s.best_pvalue = best->pvalue;
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace kitrx
