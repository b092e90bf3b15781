// SPDX-License-Identifier: MIT
// vcf_record (io, private): one VCF/BCF record -> Observations by each caller's allele-count
// convention, and the header analysis (caller, build). Over 600 lines on purpose: one table of
// caller conventions (AD, AO/RO, TIR/TAR, FREQ, AF, DP4, ...) and the checks each needs, read as one.
#include "io/vcf_record.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "kitrx/common/limits.hpp"

namespace kitrx::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string upper(const char* s) {
    std::string out(s ? s : "");
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

bool is_acgtn(const std::string& s) {
    return !s.empty() && s.find_first_not_of("ACGTN") == std::string::npos;
}

// Symbolic and placeholder alleles that name no sequence: <DEL>, <*>, <NON_REF>, '*' (spanning
// deletion), breakends (t[p[ / ]p]t, single-breakend ".A"/"A."), '.'.
bool is_symbolic(const std::string& allele) {
    if (allele.empty() || allele == "." || allele == "*") return true;
    if (allele.front() == '<' || allele.find('[') != std::string::npos ||
        allele.find(']') != std::string::npos)
        return true;
    return allele.front() == '.' || allele.back() == '.';
}

// Read counts are converted to int64: a value outside [0, 2^53] (4.4e102 in a fuzzed file, "inf")
// cannot be one, and converting it would be undefined behaviour (found by fuzz_vcf + UBSan).
constexpr double kMaxCount = 9007199254740992.0;  // 2^53, every integer below is exact
bool is_count(double v) {
    return v >= 0 && v <= kMaxCount;
}  // false for NaN and infinity

// The numbers of one FORMAT (one sample) or INFO field. Integers and floats keep htslib's missing
// marks as NaN; string-typed fields (undeclared keys, VarScan FREQ/DP4, PCGR ADT) are split on ','
// and parsed, with a trailing '%' allowed.
struct Field {
    bool present = false;
    std::vector<double> values;  // NaN = missing ('.')
    // Set by decode(): a value written as NaN (not '.'), which is read as missing but reported.
    bool nan_value = false;
    // Set by decode() so that the per-allele checks of a many-allele record stay O(1) per allele.
    std::size_t missing = 0;  // values that are NaN
    double sum = 0;           // of the values that are not

    [[nodiscard]] std::size_t size() const { return values.size(); }
    [[nodiscard]] bool usable(std::size_t i) const { return i < values.size() && !std::isnan(values[i]); }
    [[nodiscard]] bool all_missing() const { return missing == values.size(); }
    [[nodiscard]] bool complete() const { return missing == 0; }
};

double parse_number(const std::string& token, bool& nan_value) {
    if (token.empty() || token == ".") return kNaN;
    std::string t = token;
    if (t.back() == '%') t.pop_back();
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || *end != '\0') return kNaN;
    if (std::isnan(v)) nan_value = true;
    return v;
}

template <typename Int>
void decode_ints(const std::uint8_t* p, int n, Int missing, Int vector_end, std::vector<double>& out) {
    for (int i = 0; i < n; ++i) {
        Int v;
        std::memcpy(&v, p + i * sizeof(Int), sizeof(Int));
        if (v == vector_end) break;
        out.push_back(v == missing ? kNaN : static_cast<double>(v));
    }
}

void decode(int type, const std::uint8_t* p, int n, Field& out) {
    out.present = true;
    out.values.clear();
    switch (type) {
        case BCF_BT_INT8:
            decode_ints<std::int8_t>(p, n, bcf_int8_missing, bcf_int8_vector_end, out.values);
            break;
        case BCF_BT_INT16:
            decode_ints<std::int16_t>(p, n, bcf_int16_missing, bcf_int16_vector_end, out.values);
            break;
        case BCF_BT_INT32:
            decode_ints<std::int32_t>(p, n, bcf_int32_missing, bcf_int32_vector_end, out.values);
            break;
        case BCF_BT_FLOAT:
            for (int i = 0; i < n; ++i) {
                std::uint32_t bits;
                std::memcpy(&bits, p + i * 4, 4);
                if (bits == bcf_float_vector_end) break;
                float f;
                std::memcpy(&f, &bits, 4);
                if (bits != bcf_float_missing && std::isnan(f)) out.nan_value = true;
                out.values.push_back(bits == bcf_float_missing ? kNaN : static_cast<double>(f));
            }
            break;
        case BCF_BT_CHAR: {
            const char* s = reinterpret_cast<const char*>(p);
            const std::string text(s, strnlen(s, static_cast<std::size_t>(n)));
            std::size_t start = 0;
            while (start <= text.size()) {
                std::size_t comma = text.find(',', start);
                if (comma == std::string::npos) comma = text.size();
                out.values.push_back(parse_number(text.substr(start, comma - start), out.nan_value));
                start = comma + 1;
            }
            break;
        }
        default:
            break;
    }
    for (const double v : out.values) {
        if (std::isnan(v))
            ++out.missing;
        else
            out.sum += v;
    }
}

Field format_field(const bcf_hdr_t* hdr, bcf1_t* rec, const char* key, int sample) {
    Field f;
    if (sample < 0) return f;
    bcf_fmt_t* fmt = bcf_get_fmt(hdr, rec, key);
    if (!fmt || !fmt->p || sample >= rec->n_sample) return f;
    decode(fmt->type, fmt->p + static_cast<std::size_t>(sample) * fmt->size, fmt->n, f);
    return f;
}

Field info_field(const bcf_hdr_t* hdr, bcf1_t* rec, const char* key) {
    Field f;
    bcf_info_t* info = bcf_get_info(hdr, rec, key);
    if (!info || !info->vptr) return f;
    decode(info->type, info->vptr, info->len, f);
    return f;
}

// Context for one record while its observations are filled.
struct RecordContext {
    const bcf_hdr_t* hdr;
    bcf1_t* rec;
    const FieldPlan& plan;
    Diagnostics& diag;
    SourceLocation where;
    int n_alt;

    // Warns (capped, counted) or, in strict mode, throws.
    void problem(const std::string& kind, const std::string& what, const std::string& hint = "") const {
        if (plan.strict) throw InputError(where, what, hint);
        diag.warn(kind, where.to_string() + ": " + what + (hint.empty() ? "" : "; " + hint));
        diag.count(kind);
    }
};

class SampleReader {
public:
    SampleReader(const RecordContext& ctx, int sample, const std::string& name)
        : ctx_(ctx), sample_(sample), name_(name) {}

    // Fills counts/fraction/strand of `o` for ALT allele `a` (1-based allele index).
    void fill(int a, Observation& o) {
        if (!counts_from_format(a, o) && !counts_from_info(a, o) && !fraction_from_format(a, o))
            fraction_from_info(a, o);
        strand(a, o);
    }

private:
    // Decoded once per sample and key: fill() runs once per ALT allele, and decoding a Number=R
    // field anew for each of them made a many-allele record quadratic.
    const Field& fmt(const char* key) {
        auto it = fmt_cache_.find(key);
        if (it == fmt_cache_.end())
            it = fmt_cache_.emplace(key, format_field(ctx_.hdr, ctx_.rec, key, sample_)).first;
        return it->second;
    }
    const Field& info(const char* key) {
        auto it = info_cache_.find(key);
        if (it == info_cache_.end()) it = info_cache_.emplace(key, info_field(ctx_.hdr, ctx_.rec, key)).first;
        return it->second;
    }
    std::string who() const { return sample_ >= 0 ? "sample '" + name_ + "': " : ""; }

    bool accept_counts(double alt, double depth, const std::string& source, Observation& o) const {
        if (std::isnan(alt) || std::isnan(depth)) return false;
        if (alt < 0 || depth < 0) {
            ctx_.problem("bad_count", who() + source + " has a negative count; value ignored");
            return false;
        }
        if (!is_count(alt) || !is_count(depth)) {
            ctx_.problem("bad_count",
                         who() + source + " has a count above 2^53 (or infinite); value ignored");
            return false;
        }
        if (alt > depth) {
            ctx_.problem("af_out_of_range",
                         who() + source + " gives " + std::to_string(static_cast<std::int64_t>(alt)) +
                             " ALT reads out of depth " + std::to_string(static_cast<std::int64_t>(depth)) +
                             " (fraction above 1); value ignored");
            return false;
        }
        o.alt_reads = static_cast<std::int64_t>(alt);
        o.depth = static_cast<std::int64_t>(depth);
        o.vaf = depth > 0 ? alt / depth : kNaN;
        o.af_source = source;
        return true;
    }

    bool accept_fraction(double vaf, double depth, const std::string& source, Observation& o) const {
        if (std::isnan(vaf)) return false;
        if (vaf < 0 || vaf > 1) {
            ctx_.problem("af_out_of_range",
                         who() + source + "=" + std::to_string(vaf) + " is outside [0,1]; value ignored");
            return false;
        }
        o.vaf = vaf + 0.0;  // AF=-0 is 0: no "-0" in the tables
        o.af_source = source;
        if (is_count(depth)) o.depth = static_cast<std::int64_t>(depth);
        return true;
    }

    // A Number=R list (one value per allele, REF first): usable when every value is present.
    bool per_allele(const Field& f) const {
        return f.size() == static_cast<std::size_t>(ctx_.n_alt + 1) && !f.values.empty() && f.complete();
    }

    bool counts_from_format(int a, Observation& o) {
        if (sample_ < 0) return false;
        const bool biallelic = ctx_.n_alt == 1;
        const Field& freq = fmt("FREQ");
        const bool varscan = freq.present;

        if (varscan && biallelic) {  // VarScan2: RD = REF depth, AD = ALT depth (Number=1)
            const Field &rd = fmt("RD"), &ad = fmt("AD");
            if (rd.size() == 1 && ad.size() == 1 && rd.usable(0) && ad.usable(0) &&
                accept_counts(ad.values[0], rd.values[0] + ad.values[0], "FORMAT/RD,AD", o))
                return true;
        }
        if (biallelic) {  // VarDict: VD = ALT depth, DP = total depth
            const Field &vd = fmt("VD"), &dp = fmt("DP");
            if (vd.usable(0) && dp.usable(0) && accept_counts(vd.values[0], dp.values[0], "FORMAT/VD,DP", o))
                return true;
        }
        if (biallelic) {  // Strelka indels: tier-1 TIR (indel) and TAR (reference)
            const Field &tir = fmt("TIR"), &tar = fmt("TAR");
            if (tir.usable(0) && tar.usable(0) &&
                accept_counts(tir.values[0], tir.values[0] + tar.values[0], "FORMAT/TIR,TAR", o))
                return true;
        }
        if (strelka_snv(a, o)) return true;
        {  // FreeBayes: RO (REF) and AO (one per ALT)
            const Field &ao = fmt("AO"), &ro = fmt("RO");
            if (ao.size() == static_cast<std::size_t>(ctx_.n_alt) && ro.usable(0) && ao.usable(a - 1)) {
                const double total = ro.values[0] + ao.sum;
                if (ao.complete() && accept_counts(ao.values[a - 1], total, "FORMAT/AO,RO", o)) return true;
            }
        }
        for (const char* key : {"AD", "ADT"}) {  // Number=R allele depths (ADT: PCGR, as a string)
            const Field& ad = fmt(key);
            if (!ad.present || ad.all_missing()) continue;
            if (varscan && std::string(key) == "AD") continue;  // VarScan's AD is the ALT depth only
            if (!per_allele(ad)) {
                if (warned_.insert(key).second)  // once per sample, not once per ALT allele
                    ctx_.problem("ad_length", who() + "FORMAT/" + key + " has " + std::to_string(ad.size()) +
                                                  " values for " + std::to_string(ctx_.n_alt + 1) +
                                                  " alleles (or a missing value); counts ignored");
                continue;
            }
            if (accept_counts(ad.values[static_cast<std::size_t>(a)], ad.sum, std::string("FORMAT/") + key,
                              o))
                return true;
        }
        if (biallelic) {  // DP4 = ref-fwd, ref-rev, alt-fwd, alt-rev
            const Field& dp4 = fmt("DP4");
            if (dp4.size() == 4 && !dp4.all_missing() && dp4.usable(0) && dp4.usable(1) && dp4.usable(2) &&
                dp4.usable(3)) {
                const double alt = dp4.values[2] + dp4.values[3];
                if (accept_counts(alt, alt + dp4.values[0] + dp4.values[1], "FORMAT/DP4", o)) return true;
            }
        }
        return false;
    }

    // Strelka somatic SNVs carry tier-1/tier-2 counts per base ({BASE}U); tier 1 is used.
    bool strelka_snv(int a, Observation& o) {
        const char* const* alleles = ctx_.rec->d.allele;
        const std::string ref = upper(alleles[0]);
        if (ref.size() != 1) return false;
        auto tier1 = [&](const std::string& base) -> double {
            if (base.size() != 1 || base == "N") return kNaN;
            const Field& f = fmt((base + "U").c_str());
            return f.usable(0) ? f.values[0] : kNaN;
        };
        const double ref_count = tier1(ref);
        const std::string alt = upper(alleles[a]);
        const double alt_count = tier1(alt);
        if (std::isnan(ref_count) || std::isnan(alt_count)) return false;
        if (!strelka_depth_) {
            double depth = ref_count;
            for (int i = 1; i <= ctx_.n_alt; ++i) {
                const double c = tier1(upper(alleles[i]));
                if (!std::isnan(c)) depth += c;
            }
            strelka_depth_ = depth;
        }
        return accept_counts(alt_count, *strelka_depth_, "FORMAT/" + alt + "U," + ref + "U", o);
    }

    bool counts_from_info(int, Observation& o) {
        if (!ctx_.plan.info_counts_usable || ctx_.n_alt != 1) return false;
        const Field& dp4 = info("DP4");
        if (dp4.size() != 4 || !dp4.usable(0) || !dp4.usable(1) || !dp4.usable(2) || !dp4.usable(3))
            return false;
        const double alt = dp4.values[2] + dp4.values[3];
        return accept_counts(alt, alt + dp4.values[0] + dp4.values[1], "INFO/DP4", o);
    }

    // Fraction for allele `a` from a Number=A field (or Number=1 on a bi-allelic record). Another
    // count (two fractions for one ALT) does not say which value belongs to the allele: the value
    // is ignored with a warning (--strict: an error), as for a short AD.
    double per_alt(const Field& f, int a, const std::string& source) {
        if (f.size() == static_cast<std::size_t>(ctx_.n_alt)) return f.usable(a - 1) ? f.values[a - 1] : kNaN;
        if (f.size() > 0 && !f.all_missing() && warned_.insert(source).second)
            ctx_.problem("number_mismatch", who() + source + " has " + std::to_string(f.size()) +
                                                " values for " + std::to_string(ctx_.n_alt) + " ALT allele" +
                                                (ctx_.n_alt == 1 ? "" : "s") + "; value ignored");
        return kNaN;
    }

    bool fraction_from_format(int a, Observation& o) {
        if (sample_ < 0) return false;
        const Field& dp = fmt("DP");
        const double depth = dp.usable(0) ? dp.values[0] : kNaN;
        for (const char* key : {"AF", "FA"}) {
            const Field& f = fmt(key);
            // AF=NaN used to read as a missing value without a word, also under --strict.
            if (f.nan_value && warned_.insert(std::string("nan:") + key).second)
                ctx_.problem("af_not_a_number", who() + "FORMAT/" + key + " is NaN; value ignored");
            if (f.present && accept_fraction(per_alt(f, a, std::string("FORMAT/") + key), depth,
                                             std::string("FORMAT/") + key, o))
                return true;
        }
        const Field& freq = fmt("FREQ");  // VarScan: always a percentage ("48.7%")
        if (freq.present && accept_fraction(per_alt(freq, a, "FORMAT/FREQ") / 100.0, depth, "FORMAT/FREQ", o))
            return true;
        const Field& vaf = fmt("VAF");
        return vaf.present && ctx_.n_alt == 1 &&
               accept_fraction(per_alt(vaf, a, "FORMAT/VAF"), depth, "FORMAT/VAF", o);
    }

    bool fraction_from_info(int a, Observation& o) {
        if (!ctx_.plan.info_af_is_read_fraction || !ctx_.plan.info_counts_usable) return false;
        const Field& af = info("AF");
        if (!af.present) return false;
        const Field& dp = info("DP");
        return accept_fraction(per_alt(af, a, "INFO/AF"), dp.usable(0) ? dp.values[0] : kNaN, "INFO/AF", o);
    }

    void strand(int a, Observation& o) {
        auto set = [&](double fwd, double rev) {
            if (!is_count(fwd) || !is_count(rev)) return false;
            o.alt_fwd = static_cast<std::int64_t>(fwd);
            o.alt_rev = static_cast<std::int64_t>(rev);
            return true;
        };
        const bool biallelic = ctx_.n_alt == 1;
        if (sample_ >= 0) {
            const Field &adf = fmt("ADF"), &adr = fmt("ADR");
            if (per_allele(adf) && per_allele(adr) && set(adf.values[a], adr.values[a])) return;
            if (biallelic && adf.size() == 1 && adr.size() == 1 && set(adf.values[0], adr.values[0])) return;
            if (biallelic) {
                const Field& sb = fmt("SB");  // Mutect2/DRAGEN: ref-fwd, ref-rev, alt-fwd, alt-rev
                if (sb.size() == 4 && set(sb.values[2], sb.values[3])) return;
                const Field& dp4 = fmt("DP4");
                if (dp4.size() == 4 && set(dp4.values[2], dp4.values[3])) return;
                const Field& ald = fmt("ALD");  // VarDict: alt-fwd, alt-rev
                if (ald.size() == 2 && set(ald.values[0], ald.values[1])) return;
                const Field& sa = fmt("SA");  // Lancet: alt-fwd, alt-rev
                if (sa.size() == 2 && set(sa.values[0], sa.values[1])) return;
            }
        }
        if (biallelic && ctx_.plan.info_counts_usable) {
            const Field& dp4 = info("DP4");
            if (dp4.size() == 4) set(dp4.values[2], dp4.values[3]);
        }
    }

    const RecordContext& ctx_;
    int sample_;
    const std::string& name_;
    std::set<std::string> warned_;  // problem keys already reported for this sample and record
    std::map<std::string, Field> fmt_cache_, info_cache_;
    std::optional<double> strelka_depth_;  // sum of the tier-1 counts of every allele
};

std::string filter_text(const bcf_hdr_t* hdr, bcf1_t* rec) {
    if (rec->d.n_flt == 0) return ".";
    std::string out;
    for (int i = 0; i < rec->d.n_flt; ++i) {
        if (i) out += ';';
        out += bcf_hdr_int2id(hdr, BCF_DT_ID, rec->d.flt[i]);
    }
    return out;
}

}  // namespace

std::string file_stem(const std::string& path) {
    if (path == "-") return "-";
    std::string name =
        path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    auto strip = [&](const char* ext) {
        const std::size_t n = std::strlen(ext);
        if (name.size() > n && lower(name.substr(name.size() - n)) == ext) {
            name.erase(name.size() - n);
            return true;
        }
        return false;
    };
    if (!strip(".gz")) strip(".bgz");
    if (!strip(".vcf")) strip(".bcf");
    return name.empty() ? path : name;
}

std::optional<Build> build_from_name(const std::string& text) {
    const std::string s = lower(text);
    std::vector<std::string> tokens;
    std::string cur;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            cur += c;
        } else if (!cur.empty()) {
            tokens.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty()) tokens.push_back(cur);
    bool is37 = false, is38 = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        if (t.rfind("grch37", 0) == 0 || t == "hg19" || t == "b37" || t == "hs37d5" || t == "hs37" ||
            t == "assembly19" || (t == "v37" && i > 0 && tokens[i - 1] == "g1k"))
            is37 = true;
        if (t.rfind("grch38", 0) == 0 || t == "hg38" || t == "b38" || t == "hs38" || t == "hs38dh" ||
            t == "hs38d1" || t == "assembly38")
            is38 = true;
    }
    if (is37 == is38) return std::nullopt;
    return is37 ? Build::kGRCh37 : Build::kGRCh38;
}

BuildGuess detect_build(const bcf_hdr_t* hdr) {
    std::optional<Build> by_length, by_assembly, by_reference;
    std::string length_ev, assembly_ev, reference_ev;
    for (int i = 0; i < hdr->nhrec; ++i) {
        bcf_hrec_t* h = hdr->hrec[i];
        if (h->type == BCF_HL_CTG) {
            const int id = bcf_hrec_find_key(h, "ID");
            if (id < 0) continue;
            const std::string name = h->vals[id];
            const int len = bcf_hrec_find_key(h, "length");
            const bool chr4 = is_chr4_name(name);
            if (chr4 && len >= 0 && !by_length) {
                const long long n = std::atoll(h->vals[len]);
                if (n == kChr4LengthGRCh37) by_length = Build::kGRCh37;
                if (n == kChr4LengthGRCh38) by_length = Build::kGRCh38;
                if (by_length) length_ev = "##contig " + name + " length=" + h->vals[len];
            }
            const int as = bcf_hrec_find_key(h, "assembly");
            if (as >= 0 && (chr4 || !by_assembly)) {
                if (auto b = build_from_name(h->vals[as])) {
                    by_assembly = b;
                    assembly_ev = "##contig " + name + " assembly=" + h->vals[as];
                }
            }
        } else if (h->type == BCF_HL_GEN && h->key && h->value && std::strcmp(h->key, "reference") == 0 &&
                   !by_reference) {
            if (auto b = build_from_name(h->value)) {
                by_reference = b;
                reference_ev = std::string("##reference=") + h->value;
            }
        }
    }
    BuildGuess g;
    const std::pair<std::optional<Build>*, std::string*> order[] = {
        {&by_length, &length_ev}, {&by_assembly, &assembly_ev}, {&by_reference, &reference_ev}};
    for (const auto& [b, ev] : order) {
        if (!*b) continue;
        if (!g.build) {
            g.build = *b;
            g.evidence = *ev;
        } else if (**b != *g.build && g.conflict.empty()) {
            g.conflict = *ev;
        }
    }
    return g;
}

std::string detect_caller(const bcf_hdr_t* hdr) {
    std::string sources, source_version;
    bool gatk_mutect2 = false, dragen = false, bcftools_call = false, muse = false;
    for (int i = 0; i < hdr->nhrec; ++i) {
        const bcf_hrec_t* h = hdr->hrec[i];
        if (!h->key) continue;
        const std::string key = h->key;
        if (key == "source" && h->value) sources += lower(h->value) + "\n";
        if (key == "source_version" && h->value) source_version = h->value;
        if (key.rfind("GATKCommandLine", 0) == 0) {
            if (key.find("MuTect2") != std::string::npos) gatk_mutect2 = true;
            const int id = bcf_hrec_find_key(const_cast<bcf_hrec_t*>(h), "ID");
            if (id >= 0 && lower(h->vals[id]).find("mutect2") != std::string::npos) gatk_mutect2 = true;
        }
        if (key == "MutectVersion" || key == "Mutect Version") gatk_mutect2 = true;
        if (key.rfind("DRAGEN", 0) == 0) dragen = true;
        if (key == "bcftools_callVersion" || key == "bcftools_callCommand") bcftools_call = true;
        if (key.rfind("MuSE", 0) == 0) muse = true;
    }
    auto has = [&](const char* s) { return sources.find(s) != std::string::npos; };
    if (has("mutect2") || has("filtermutectcalls") || gatk_mutect2) return "Mutect2";
    if (has("dragen") || dragen) return "DRAGEN";
    if (has("strelka")) return source_version.rfind('2', 0) == 0 ? "Strelka2" : "Strelka";
    if (has("varscan")) return "VarScan2";
    if (has("vardict")) return "VarDict";
    if (has("freebayes")) return "FreeBayes";
    if (has("lofreq")) return "LoFreq";
    if (has("lancet")) return "Lancet";
    if (has("scalpel")) return "Scalpel";
    if (has("pisces")) return "Pisces";
    if (has("octopus")) return "Octopus";
    if (has("somaticsniper")) return "SomaticSniper";
    if (has("mutect")) return "MuTect";
    if (muse || has("muse")) return "MuSE";
    if (bcftools_call) return "bcftools";
    return "";
}

FieldPlan make_field_plan(const bcf_hdr_t* hdr, const std::string& file, bool strict) {
    FieldPlan plan;
    plan.file = file;
    plan.caller = detect_caller(hdr);
    plan.sites_only_sample = file_stem(file);
    plan.info_af_is_read_fraction = plan.caller == "LoFreq" || plan.caller == "VarDict";
    plan.info_counts_usable = bcf_hdr_nsamples(hdr) <= 1;
    plan.strict = strict;
    return plan;
}

std::vector<Observation> observations_from_record(
    const bcf_hdr_t* hdr, bcf1_t* rec, const FieldPlan& plan, Diagnostics& diag, std::int64_t record_index) {
    std::vector<Observation> out;
    bcf_unpack(rec, BCF_UN_ALL);
    const std::string chrom = bcf_seqname_safe(hdr, rec);
    const std::string record_id = chrom + ":" + std::to_string(rec->pos + 1);
    RecordContext ctx{hdr, rec, plan, diag, SourceLocation{plan.file, 0, 0, record_id}, rec->n_allele - 1};

    if (rec->n_allele < 2) {  // ALT '.': a reference-only site, nothing to report
        diag.count("skipped_no_alt");
        return out;
    }
    if (rec->n_allele - 1 > kMaxAltAlleles) {
        ctx.problem("too_many_alleles",
                    "record has " + std::to_string(rec->n_allele - 1) + " ALT alleles, more than the " +
                        std::to_string(kMaxAltAlleles) + " kitrx splits; record skipped",
                    "is this a merged or corrupt record? split it with 'bcftools norm -m-' and filter");
        return out;
    }
    const std::string ref = upper(rec->d.allele[0]);
    if (ref.size() > kMaxAlleleLength) {
        ctx.problem("allele_too_long", "REF is " + std::to_string(ref.size()) + " bases, longer than the " +
                                           std::to_string(kMaxAlleleLength) +
                                           "-base bound for naming; record skipped");
        return out;
    }
    if (!is_acgtn(ref)) {
        ctx.problem("invalid_allele", "REF '" + ref + "' is not A/C/G/T/N; record skipped");
        return out;
    }
    std::vector<int> alts;  // allele indices that name sequence
    for (int a = 1; a < rec->n_allele; ++a) {
        const std::string alt = upper(rec->d.allele[a]);
        if (alt.size() > kMaxAlleleLength) {
            ctx.problem("allele_too_long", "ALT is " + std::to_string(alt.size()) +
                                               " bases, longer than the " + std::to_string(kMaxAlleleLength) +
                                               "-base bound for naming; allele skipped");
        } else if (is_symbolic(alt)) {
            ctx.problem("skipped_symbolic",
                        "symbolic ALT '" + alt + "' skipped (only sequence alleles are named)",
                        "resolve structural calls to sequence alleles to include them");
        } else if (!is_acgtn(alt)) {
            ctx.problem("invalid_allele", "ALT '" + alt + "' is not A/C/G/T/N; allele skipped");
        } else {
            alts.push_back(a);
        }
    }
    if (alts.empty()) return out;
    if (ctx.n_alt > 1) {
        diag.warn("multiallelic_split", ctx.where.to_string() + ": multi-allelic record split into " +
                                            std::to_string(ctx.n_alt) + " alleles");
        diag.count("multiallelic_split");
    }

    const std::string filter = filter_text(hdr, rec);
    const int n_samples = bcf_hdr_nsamples(hdr);
    const int columns = n_samples > 0 ? n_samples : 1;
    for (int s = 0; s < columns; ++s) {
        const std::string name = n_samples > 0 ? std::string(hdr->samples[s]) : plan.sites_only_sample;
        SampleReader reader(ctx, n_samples > 0 ? s : -1, name);
        for (int a : alts) {
            Observation o;
            o.sample = name;
            o.chrom = chrom;
            o.pos0 = rec->pos;
            o.ref = ref;
            o.alt = upper(rec->d.allele[a]);
            o.filter = filter;
            o.record_id = record_id;
            o.record_index = record_index;
            reader.fill(a, o);
            out.push_back(std::move(o));
        }
    }
    return out;
}

}  // namespace kitrx::detail
