// SPDX-License-Identifier: MIT
// VCF/BCF reader (io): header analysis (genome build, caller, samples, KIT contig), then either
// indexed queries of the target regions (tbi/csi present) or one pass over the whole input that
// rejects records outside the targets before htslib decodes them:
//   - VCF text: the CHROM, POS and REF columns are looked at in the raw line; only lines on chr4
//     that may overlap a target are handed to vcf_parse (symbolic ALTs are parsed for their END).
//   - BCF: bcf_read decodes only the fixed fields; rid/pos/rlen decide, bcf_unpack runs only for
//     target records (inside observations_from_record).
// The input is always read to its end (stdin drained; pipelines run with pipefail).
// Samples: all sample columns in file order, or the --samples subset (still in file order, via
// bcf_hdr_set_samples so unselected columns are not decoded). Sites-only files give one pseudo-sample
// named after the file (file_stem(); "-" for stdin). Observation.record_index counts the records
// read: every record when streaming, the records returned by the region queries when indexed.
// Over 600 lines on purpose: the indexed and the streaming path share header analysis and record
// checks; the streaming pre-filter is the hot loop and is kept beside what it must agree with.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>

#include "io/hts_util.hpp"
#include "io/vcf_record.hpp"
#include "kitrx/common/limits.hpp"

namespace kitrx::detail {
namespace {

// errcode bits that mean the record is unusable. BCF_ERR_CTG_UNDEF / BCF_ERR_TAG_UNDEF are not among
// them: htslib adds the missing header line itself and the record is fine (files without ##contig
// or ##FORMAT lines, e.g. PCGR, VarScan, Strelka 1 output).
constexpr int kFatalErrcode =
    BCF_ERR_NCOLS | BCF_ERR_LIMITS | BCF_ERR_CHAR | BCF_ERR_CTG_INVALID | BCF_ERR_TAG_INVALID;

std::string errcode_text(int code) {
    std::string out;
    auto add = [&](int bit, const char* text) {
        if (code & bit) out += (out.empty() ? "" : ", ") + std::string(text);
    };
    add(BCF_ERR_NCOLS, "wrong number of columns");
    add(BCF_ERR_LIMITS, "a value exceeds htslib's limits");
    add(BCF_ERR_CHAR, "invalid character");
    add(BCF_ERR_CTG_INVALID, "invalid contig name");
    add(BCF_ERR_TAG_INVALID, "invalid INFO/FORMAT tag");
    return out.empty() ? "htslib could not parse it" : out;
}

struct KString {
    kstring_t s{0, 0, nullptr};
    KString() = default;
    KString(const KString&) = delete;
    KString& operator=(const KString&) = delete;
    ~KString() { free(s.s); }
};

// Lines of a VCF body read in large chunks. htslib's hts_getline copies byte by byte (bgzf_getline);
// reading decompressed blocks with bgzf_read/hread and splitting with memchr keeps the streaming scan
// close to the cost of decompression alone. Plain, gzip and bgzip text all come through here.
class LineReader {
public:
    LineReader(BGZF* bgzf, hFILE* hfile) : bgzf_(bgzf), hfile_(hfile), buf_(1 << 20) {}

    // Next line without its '\n' (and '\r'); false at the end. Throws nothing: a read error is
    // returned as -2 from error().
    bool next(char*& line, std::size_t& length) {
        while (true) {
            char* start = buf_.data() + begin_;
            if (char* nl = static_cast<char*>(std::memchr(start, '\n', end_ - begin_))) {
                line = start;
                length = static_cast<std::size_t>(nl - start);
                begin_ += length + 1;
                if (length > 0 && line[length - 1] == '\r') --length;
                return true;
            }
            if (eof_) {
                if (begin_ == end_ || error_) return false;  // after an error a partial line is dropped
                line = start;                                // last line without a newline
                length = end_ - begin_;
                begin_ = end_;
                return true;
            }
            fill();
        }
    }
    [[nodiscard]] bool failed() const { return error_; }
    // A line longer than kMaxRecordBytes (limits.hpp): reading stopped instead of growing the
    // buffer without end (a binary file with a VCF header, a missing newline in a huge file).
    [[nodiscard]] bool too_long() const { return too_long_; }

private:
    void fill() {
        if (begin_ > 0) {
            std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        if (end_ == buf_.size()) {  // a line longer than the buffer
            if (buf_.size() >= kMaxRecordBytes) {
                too_long_ = error_ = eof_ = true;
                return;
            }
            buf_.resize(std::min<std::size_t>(buf_.size() * 2, kMaxRecordBytes));
        }
        // At most one BGZF block's worth per call, so that the lines before a corrupt block are
        // still returned (and the error names the last good record).
        const auto room = std::min<std::size_t>(buf_.size() - end_, 1 << 16);
        const ssize_t n =
            bgzf_ ? bgzf_read(bgzf_, buf_.data() + end_, room) : hread(hfile_, buf_.data() + end_, room);
        if (n < 0) {
            error_ = true;
            eof_ = true;
        } else if (n == 0) {
            eof_ = true;
        } else {
            end_ += static_cast<std::size_t>(n);
        }
    }

    BGZF* bgzf_;
    hFILE* hfile_;
    std::vector<char> buf_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    bool error_ = false;
    bool too_long_ = false;
};

// Bytes of a bad line for a message: control and non-ASCII bytes (binary data) as '?'.
std::string printable(const char* s, std::size_t n) {
    std::string out(s, n);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    return out;
}

// Decimal POS without strtoll's locale and sign handling; -1 when not all digits.
long long parse_pos(const char* begin, const char* end) {
    if (begin == end || end - begin > 18) return -1;
    long long v = 0;
    for (const char* p = begin; p < end; ++p) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

struct Interval {
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

std::vector<Interval> merge_targets(const std::vector<TargetRegion>& targets) {
    std::vector<Interval> out;
    for (const auto& t : targets) out.push_back({t.begin, t.end});
    std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
    std::vector<Interval> merged;
    for (const auto& iv : out) {
        if (!merged.empty() && iv.begin <= merged.back().end)
            merged.back().end = std::max(merged.back().end, iv.end);
        else
            merged.push_back(iv);
    }
    return merged;
}

std::string join(const std::vector<std::string>& items, std::size_t max_items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max_items; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > max_items) out += ", ... (" + std::to_string(items.size()) + " in total)";
    return out;
}

class VcfSource final : public ObservationSource {
public:
    VcfSource(HtsFilePtr file, const SourceOptions& options, Diagnostics& diag);
    [[nodiscard]] const SourceInfo& info() const override { return info_; }
    void run(const std::function<void(Observation&&)>& sink) override;

private:
    using Sink = std::function<void(Observation&&)>;

    void read_header();
    void check_bgzf_eof();
    void select_samples();
    void resolve_build();
    void find_kit_contig();
    void load_index();

    void stream_vcf(const Sink& sink);
    void stream_bcf(const Sink& sink);
    void check_next_bcf_record_size(std::int64_t index) const;
    void query_index(const Sink& sink);
    void emit(std::int64_t record_index, const Sink& sink);

    [[nodiscard]] bool overlaps_targets(std::int64_t begin, std::int64_t end) const;
    void count_unselected(std::int64_t begin, std::int64_t end);
    void query_unselected(int tid);
    [[nodiscard]] bool is_kit_contig(std::string_view name);
    void check_order(std::string_view chrom, std::int64_t pos0);
    void check_declared(const std::string& chrom, std::int64_t pos1);
    void check_errcode(const std::string& record_id) const;
    [[noreturn]] void read_failure(int ret) const;
    [[noreturn]] void malformed(const std::string& record, const std::string& what) const;
    void warn_if_no_kit_contig();

    HtsFilePtr file_;
    BcfHdrPtr hdr_;
    Bcf1Ptr rec_{bcf_init()};
    HtsIdxPtr bcf_idx_;
    std::unique_ptr<tbx_t, TbxDeleter> tbx_;
    SourceOptions options_;
    Diagnostics& diag_;
    SourceInfo info_;
    FieldPlan plan_;
    std::vector<Interval> regions_;         // merged targets, sorted
    std::vector<TargetRegion> unselected_;  // targets of the genes not in --genes
    std::vector<std::string> header_contigs_;
    bool ran_ = false;

    // Streaming state.
    std::string last_chrom_;
    bool last_chrom_is_kit_ = false;
    std::vector<std::string> other_contigs_;  // record contigs that are not chr4, first few
    std::set<std::string> other_contig_set_;
    std::string last_kit_chrom_;
    std::int64_t last_kit_pos0_ = -1;
    std::string last_read_chrom_;  // contig and POS of the last record read, for read-error messages
    std::int64_t last_pos1_ = -1;
    bool warned_unsorted_ = false;
    std::set<std::string> declaration_checked_;  // KIT contigs checked against the ##contig lines
};

VcfSource::VcfSource(HtsFilePtr file, const SourceOptions& options, Diagnostics& diag)
    : file_(std::move(file)), options_(options), diag_(diag) {
    info_.path = options.path;
    info_.format = hts_get_format(file_.get())->format == bcf ? InputFormat::kBcf : InputFormat::kVcf;
    if (!rec_) throw std::bad_alloc();
    read_header();
    check_bgzf_eof();
    select_samples();
    resolve_build();
    try {
        info_.targets = target_regions(options, GenomeModel::builtin(info_.build));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--genes: ") + e.what());
    }
    regions_ = merge_targets(info_.targets);
    for (const char* gene : {"KIT", "PDGFRA"})
        if (std::find(options.genes.begin(), options.genes.end(), gene) == options.genes.end())
            for (const auto& t : GenomeModel::builtin(info_.build).targets({gene}, {}))
                unselected_.push_back(t);
    plan_ = make_field_plan(hdr_.get(), options.path, options.strict);
    info_.caller = plan_.caller;
    find_kit_contig();
    if (options.threads > 0 && hts_set_threads(file_.get(), options.threads) != 0)
        diag_.warn("threads", options.path + ": could not start " + std::to_string(options.threads) +
                                  " decompression threads; reading with one");
    load_index();
}

// When htslib rejects a text header it says little about where (and nothing about which file):
// the header is read again to name the line for the common problems. nullopt when none of them
// is found (or the input is stdin, BCF, or cannot be re-read).
std::optional<InputError> diagnose_vcf_header(const std::string& path) {
    if (path == "-") return std::nullopt;
    HtsFilePtr file(hts_open(path.c_str(), "r"));
    if (!file || hts_get_format(file.get())->format != vcf) return std::nullopt;
    KString line;
    int number = 0;
    constexpr int kMaxHeaderLines = 1000000;
    while (number < kMaxHeaderLines && hts_getline(file.get(), KS_SEP_LINE, &line.s) >= 0) {
        ++number;
        const std::string_view text(line.s.s ? line.s.s : "", line.s.l);
        if (text.rfind("##", 0) == 0) continue;
        const SourceLocation where{path, number, 0, ""};
        if (text.rfind("#CHROM", 0) != 0)
            return InputError(where, "no #CHROM header line before the first record",
                              "a VCF needs ##fileformat, ## meta lines, then the tab-separated #CHROM line");
        std::vector<std::string> columns;
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t tab = std::min(text.find('\t', start), text.size());
            columns.emplace_back(text.substr(start, tab - start));
            start = tab + 1;
        }
        if (columns.size() < 8)
            return InputError(
                where,
                "the #CHROM line has " + std::to_string(columns.size()) + " tab-separated column" +
                    (columns.size() == 1 ? "" : "s") + " (8 required)",
                text.find(' ') != std::string_view::npos ? "the columns are separated by spaces, not tabs"
                                                         : "check the header");
        if (columns.size() == 9)
            return InputError(where, "the #CHROM line has a FORMAT column but no sample columns",
                              "remove FORMAT (sites-only file) or add the sample names");
        for (std::size_t i = 9; i < columns.size(); ++i)
            for (std::size_t j = 9; j < i; ++j)
                if (columns[i] == columns[j])
                    return InputError(
                        where,
                        "sample name '" + columns[i] + "' appears twice in the #CHROM line (columns " +
                            std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")",
                        "rename one (bcftools reheader -s) so that every sample column is unique");
        return std::nullopt;
    }
    if (number > 0 && number < kMaxHeaderLines)
        return InputError({path, number, 0, ""}, "the file ends before the #CHROM header line",
                          "the file is truncated or only has ## meta lines");
    return std::nullopt;
}

void VcfSource::read_header() {
    hdr_.reset(bcf_hdr_read(file_.get()));
    if (!hdr_) {
        if (auto specific = diagnose_vcf_header(options_.path)) throw *specific;
        throw InputError(
            {options_.path, 0, 0, ""}, "cannot read the VCF header",
            "htslib's message above names the problem; the usual causes are a truncated or "
            "corrupt bgzip file, duplicate sample names in the #CHROM line and malformed ## lines");
    }
}

// A bgzip file cut at a block boundary reads without error; only the missing end-of-file block tells.
void VcfSource::check_bgzf_eof() {
    if (options_.path == "-" || hts_get_format(file_.get())->compression != bgzf) return;
    if (bgzf_check_EOF(hts_get_bgzfp(file_.get())) == 0) {
        const std::string what = "no BGZF end-of-file marker: the file is probably truncated";
        if (options_.strict)
            throw InputError({options_.path, 0, 0, ""}, what, "re-create or re-copy the file");
        diag_.warn("truncated_input", options_.path + ": " + what);
    }
}

void VcfSource::select_samples() {
    bcf_hdr_t* h = hdr_.get();
    const int n = bcf_hdr_nsamples(h);
    std::vector<std::string> all(h->samples, h->samples + n);

    // Tumour: ##tumor_sample (Mutect2), else a column named TUMOR (Strelka, VarScan, VarDict).
    for (int i = 0; i < h->nhrec; ++i) {
        const bcf_hrec_t* r = h->hrec[i];
        if (r->type == BCF_HL_GEN && r->key && r->value && std::strcmp(r->key, "tumor_sample") == 0 &&
            std::find(all.begin(), all.end(), r->value) != all.end())
            info_.tumor_sample = r->value;
    }
    if (info_.tumor_sample.empty()) {
        for (const auto& s : all) {
            std::string u = s;
            std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::toupper(c); });
            if (u == "TUMOR" || u == "TUMOUR") info_.tumor_sample = s;
        }
    }

    if (!options_.samples.empty()) {
        if (n == 0)
            throw InputError({options_.path, 0, 0, ""}, "--samples given but the file has no sample columns",
                             "drop --samples for sites-only files");
        std::string list;
        std::set<std::string> chosen;
        for (const auto& want : options_.samples) {
            if (std::find(all.begin(), all.end(), want) == all.end())
                throw InputError({options_.path, 0, 0, ""}, "sample '" + want + "' is not in the file",
                                 "samples in the file: " + join(all, 20));
            if (chosen.insert(want).second) list += (list.empty() ? "" : ",") + want;
        }
        if (bcf_hdr_set_samples(h, list.c_str(), 0) != 0)
            throw InputError({options_.path, 0, 0, ""}, "cannot select samples '" + list + "'",
                             "sample names containing commas cannot be selected");
    }
    const int kept = bcf_hdr_nsamples(h);
    for (int i = 0; i < kept; ++i) info_.samples.emplace_back(h->samples[i]);
    if (kept == 0) info_.samples.push_back(file_stem(options_.path));
}

void VcfSource::resolve_build() {
    const BuildGuess guess = detect_build(hdr_.get());
    if (options_.build) {
        info_.build = *options_.build;
        info_.build_evidence = "--build";
        if (guess.build && *guess.build != *options_.build)
            diag_.warn("build_mismatch", options_.path + ": --build " + to_string(*options_.build) +
                                             " overrides the header (" + guess.evidence + " says " +
                                             to_string(*guess.build) + ")");
        return;
    }
    if (!guess.build)
        throw InputError({options_.path, 0, 0, ""},
                         "cannot tell the genome build: no ##contig length for chr4/4 that matches GRCh37 (" +
                             std::to_string(kChr4LengthGRCh37) + ") or GRCh38 (" +
                             std::to_string(kChr4LengthGRCh38) +
                             "), and no ##reference or assembly naming hg19/GRCh37/b37 or hg38/GRCh38",
                         "use --build GRCh37|GRCh38");
    info_.build = *guess.build;
    info_.build_evidence = guess.evidence;
    if (!guess.conflict.empty())
        diag_.warn("build_evidence_conflict", options_.path + ": header evidence disagrees (" +
                                                  guess.evidence + " vs " + guess.conflict + "); using " +
                                                  to_string(info_.build) + "; pass --build to choose");
}

void VcfSource::find_kit_contig() {
    // Not bcf_hdr_seqnames(): it assert()s that the contig ids are dense, and a BCF header with
    // clashing IDX= values aborted the process (found by fuzz_vcf). The id table has a slot per
    // contig id, empty for gaps.
    const bcf_hdr_t* h = hdr_.get();
    for (int i = 0; i < h->n[BCF_DT_CTG]; ++i) {
        const char* name = h->id[BCF_DT_CTG][i].key;
        if (!name) continue;
        header_contigs_.emplace_back(name);
        if (info_.contig.empty() && is_chr4_name(name)) info_.contig = name;
    }
}

void VcfSource::load_index() {
    if (options_.path == "-") return;
    const htsFormat* fmt = hts_get_format(file_.get());
    if (fmt->compression != bgzf) return;  // plain text VCF and uncompressed BCF cannot be indexed
    // An index older than the file may point at the wrong bytes (records silently lost): the file
    // is streamed instead (same result, slower); --strict: an error.
    const std::string stale =
        older_index(options_.path, fmt->format == bcf ? std::vector<std::string>{".csi"}
                                                      : std::vector<std::string>{".tbi", ".csi"});
    if (!stale.empty()) {
        const std::string what = "index '" + stale + "' is older than the file";
        const std::string hint = "re-index with 'bcftools index " +
                                 std::string(fmt->format == bcf ? "" : "-t ") + options_.path + "'";
        if (options_.strict) throw InputError({options_.path, 0, 0, ""}, what, hint);
        diag_.warn("stale_index", options_.path + ": " + what + "; reading the whole file instead; " + hint);
        diag_.count("stale_index");
        return;
    }
    if (fmt->format == bcf) {
        bcf_idx_.reset(bcf_index_load3(options_.path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
        info_.used_index = bcf_idx_ != nullptr;
    } else {
        tbx_.reset(tbx_index_load3(options_.path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
        info_.used_index = tbx_ != nullptr;
    }
}

void VcfSource::run(const Sink& sink) {
    if (ran_) throw std::logic_error("ObservationSource::run called twice");
    ran_ = true;
    if (info_.used_index)
        query_index(sink);
    else if (info_.format == InputFormat::kBcf)
        stream_bcf(sink);
    else
        stream_vcf(sink);
    warn_if_no_kit_contig();
}

bool VcfSource::overlaps_targets(std::int64_t begin, std::int64_t end) const {
    if (end <= begin) end = begin + 1;
    // First region whose end is past `begin`; overlap if it starts before `end`.
    auto it = std::upper_bound(regions_.begin(), regions_.end(), begin,
                               [](std::int64_t pos, const Interval& iv) { return pos < iv.end; });
    return it != regions_.end() && it->begin < end;
}

void VcfSource::count_unselected(std::int64_t begin, std::int64_t end) {
    if (end <= begin) end = begin + 1;
    for (const auto& t : unselected_)
        if (t.begin < end && begin < t.end) {
            ++info_.records_in_unselected_genes[t.gene];
            return;
        }
}

// The index path reads only the selected targets; the other gene's targets are asked separately,
// only to count what is there.
void VcfSource::query_unselected(int tid) {
    KString line;
    std::int64_t previous_end = -1;
    for (const auto& t : unselected_) {
        HtsItrPtr itr(tbx_ ? tbx_itr_queryi(tbx_.get(), tid, t.begin, t.end)
                           : bcf_itr_queryi(bcf_idx_.get(), tid, t.begin, t.end));
        if (!itr) continue;
        while (true) {
            const int ret = tbx_ ? tbx_itr_next(file_.get(), tbx_.get(), itr.get(), &line.s)
                                 : bcf_itr_next(file_.get(), itr.get(), rec_.get());
            if (ret < 0) break;
            if (tbx_ && vcf_parse(&line.s, hdr_.get(), rec_.get()) < 0) break;
            if (rec_->pos < previous_end) continue;
            count_unselected(rec_->pos, rec_->pos + rec_->rlen);
        }
        previous_end = t.end;
    }
}

bool VcfSource::is_kit_contig(std::string_view name) {
    if (name == last_chrom_) return last_chrom_is_kit_;
    last_chrom_.assign(name.data(), name.size());
    last_chrom_is_kit_ = is_chr4_name(name);
    if (last_chrom_is_kit_) {
        if (info_.contig.empty()) info_.contig = last_chrom_;
    } else if (other_contigs_.size() < 50 && other_contig_set_.insert(last_chrom_).second) {
        other_contigs_.push_back(last_chrom_);
    }
    return last_chrom_is_kit_;
}

// Unsorted input is still read completely when streaming; the warning says so once.
void VcfSource::check_order(std::string_view chrom, std::int64_t pos0) {
    if (chrom != last_kit_chrom_) {
        last_kit_chrom_.assign(chrom.data(), chrom.size());
        last_kit_pos0_ = pos0;
        return;
    }
    if (pos0 < last_kit_pos0_ && !warned_unsorted_) {
        warned_unsorted_ = true;
        const std::string what = "records out of order: " + std::string(chrom) + ":" +
                                 std::to_string(pos0 + 1) + " comes after " + std::string(chrom) + ":" +
                                 std::to_string(last_kit_pos0_ + 1);
        // --strict: every tolerated irregularity is an error, this one too.
        if (options_.strict)
            throw InputError({options_.path, 0, 0, std::string(chrom) + ":" + std::to_string(pos0 + 1)}, what,
                             "sort with 'bcftools sort', or drop --strict (the whole file is read anyway)");
        diag_.warn("unsorted",
                   options_.path + ": " + what + "; the whole file is read, so no record is missed");
        diag_.count("unsorted");
    }
    last_kit_pos0_ = std::max(last_kit_pos0_, pos0);
}

// A header that lists contigs but not the one the KIT records use is inconsistent (a header from
// another file, a renamed contig); htslib accepts the records and only logs a line without the
// file name. Files without any ##contig line are common and fine.
void VcfSource::check_declared(const std::string& chrom, std::int64_t pos1) {
    if (header_contigs_.empty() || !declaration_checked_.insert(chrom).second) return;
    if (std::find(header_contigs_.begin(), header_contigs_.end(), chrom) != header_contigs_.end()) return;
    const std::string what = "contig '" + chrom +
                             "' is not declared in the header (##contig lines: " + join(header_contigs_, 8) +
                             ")";
    const std::string hint = "the header may belong to another file; fix it with 'bcftools reheader'";
    if (options_.strict)
        throw InputError({options_.path, 0, 0, chrom + ":" + std::to_string(pos1)}, what, hint);
    diag_.warn("undeclared_contig", options_.path + ": " + chrom + ":" + std::to_string(pos1) + ": " + what +
                                        "; records read anyway; " + hint);
    diag_.count("undeclared_contig");
}

void VcfSource::check_errcode(const std::string& record_id) const {
    if (rec_->errcode & kFatalErrcode)
        malformed(record_id, "malformed record: " + errcode_text(rec_->errcode));
}

void VcfSource::malformed(const std::string& record, const std::string& what) const {
    throw InputError({options_.path, 0, 0, record}, what, "htslib's message above, if any, gives details");
}

void VcfSource::read_failure(int ret) const {
    const bool compressed = hts_get_format(file_.get())->compression != no_compression;
    const std::string where = last_pos1_ < 0 ? std::string("before the first record")
                                             : "after " + last_read_chrom_ + ":" + std::to_string(last_pos1_);
    throw InputError({options_.path, 0, 0, ""},
                     std::string("read error ") + where + " (" +
                         (compressed ? "truncated or corrupt bgzip/BCF data" : "corrupt data") +
                         ", htslib code " + std::to_string(ret) + ")",
                     "re-create or re-copy the file; `bgzip -t` tests a bgzip file");
}

void VcfSource::emit(std::int64_t record_index, const Sink& sink) {
    ++info_.records_in_targets;
    for (auto& o : observations_from_record(hdr_.get(), rec_.get(), plan_, diag_, record_index))
        sink(std::move(o));
}

void VcfSource::stream_vcf(const Sink& sink) {
    KString line;
    htsFile* fp = file_.get();
    BGZF* bgzf = fp->is_bgzf ? fp->fp.bgzf : nullptr;
    LineReader reader(bgzf, bgzf ? nullptr : fp->fp.hfile);
    char* s = nullptr;
    std::size_t length = 0;
    while (reader.next(s, length)) {
        if (length == 0 || s[0] == '#') continue;
        const std::int64_t index = info_.records_read++;
        const char* end = s + length;
        // tab[i] ends column i (CHROM POS ID REF ALT QUAL FILTER); only CHROM and POS are located
        // for records on other contigs.
        const char* tab[7] = {};
        auto find_tabs = [&](int from, int to) {
            for (int i = from; i < to; ++i) {
                const char* p = i == 0 ? s : tab[i - 1] + 1;
                tab[i] = static_cast<const char*>(std::memchr(p, '\t', static_cast<std::size_t>(end - p)));
                if (!tab[i]) return false;
            }
            return true;
        };
        if (!find_tabs(0, 2))
            malformed("record " + std::to_string(index + 1),
                      "malformed record: fewer than 8 tab-separated columns ('" +
                          printable(s, std::min<std::size_t>(length, 40)) + "')");
        const std::string_view chrom(s, static_cast<std::size_t>(tab[0] - s));
        const long long pos1 = parse_pos(tab[0] + 1, tab[1]);
        if (pos1 < 0)
            malformed(std::string(chrom) + ":" + std::string(tab[0] + 1, tab[1]),
                      "malformed record: POS '" + std::string(tab[0] + 1, tab[1]) + "' is not a position");
        const bool kit = is_kit_contig(chrom);
        if (last_read_chrom_.size() != chrom.size() || last_read_chrom_ != chrom)
            last_read_chrom_.assign(chrom.data(), chrom.size());
        last_pos1_ = pos1;
        if (!kit) continue;
        const std::string record_id = last_chrom_ + ":" + std::to_string(pos1);
        const std::int64_t pos0 = pos1 - 1;
        check_declared(last_chrom_, pos1);
        check_order(chrom, pos0);
        if (!find_tabs(2, 7)) malformed(record_id, "malformed record: fewer than 8 tab-separated columns");
        const std::string_view alt(tab[3] + 1, static_cast<std::size_t>(tab[4] - tab[3] - 1));
        const bool symbolic = alt.find_first_of("<[]") != std::string_view::npos;
        if (!symbolic && !overlaps_targets(pos0, pos0 + (tab[3] - tab[2] - 1))) {
            if (!unselected_.empty()) count_unselected(pos0, pos0 + (tab[3] - tab[2] - 1));
            continue;
        }
        line.s.l = 0;
        kputsn(s, length, &line.s);
        if (vcf_parse(&line.s, hdr_.get(), rec_.get()) < 0) malformed(record_id, "malformed record");
        check_errcode(record_id);
        if (!overlaps_targets(rec_->pos, rec_->pos + rec_->rlen)) {
            count_unselected(rec_->pos, rec_->pos + rec_->rlen);
            continue;
        }
        emit(index, sink);
    }
    if (reader.too_long())
        throw InputError(
            {options_.path, 0, 0, ""},
            "record " + std::to_string(info_.records_read + 1) +
                (last_pos1_ < 0 ? std::string(" (the first)")
                                : " (after " + last_read_chrom_ + ":" + std::to_string(last_pos1_) + ")") +
                " is longer than " + std::to_string(kMaxRecordBytes >> 20) + " MiB",
            "no VCF line is that long; the file is probably corrupt or not text (bounds: "
            "docs/hardening.md)");
    if (reader.failed() || (bgzf && bgzf->errcode)) read_failure(-2);
}

// bcf_read allocates whatever size a record's header declares (up to 8 GB for a corrupt or crafted
// file). The two length fields are read from the decompressed block first, when they lie inside
// it, and a record larger than kMaxRecordBytes is rejected before htslib allocates it.
void VcfSource::check_next_bcf_record_size(std::int64_t index) const {
    const BGZF* bgzf = hts_get_bgzfp(file_.get());
    if (!bgzf || !bgzf->uncompressed_block || bgzf->block_offset + 8 > bgzf->block_length) return;
    const auto* p = static_cast<const unsigned char*>(bgzf->uncompressed_block) + bgzf->block_offset;
    auto u32 = [](const unsigned char* b) {
        return static_cast<std::uint64_t>(b[0]) | static_cast<std::uint64_t>(b[1]) << 8 |
               static_cast<std::uint64_t>(b[2]) << 16 | static_cast<std::uint64_t>(b[3]) << 24;
    };
    const std::uint64_t declared = u32(p) + u32(p + 4);
    if (declared > kMaxRecordBytes)
        throw InputError({options_.path, 0, 0, "record " + std::to_string(index + 1)},
                         "BCF record declares " + std::to_string(declared) + " bytes, more than the " +
                             std::to_string(kMaxRecordBytes >> 20) + " MiB bound",
                         "the file is corrupt or not BCF; re-create it with bcftools view -Ob");
}

void VcfSource::stream_bcf(const Sink& sink) {
    std::vector<signed char> kit_rid;  // per header contig id: 1 = chr4, 0 = other, -1 = not checked
    int ret = 0;
    while (true) {
        check_next_bcf_record_size(info_.records_read);
        if ((ret = bcf_read(file_.get(), hdr_.get(), rec_.get())) != 0) break;
        const std::int64_t index = info_.records_read++;
        const int rid = rec_->rid;
        // bcf_hdr_id2name() does not check the range (bcf_read does today; kept safe here).
        const char* name = rid >= 0 && rid < hdr_->n[BCF_DT_CTG] ? bcf_hdr_id2name(hdr_.get(), rid) : nullptr;
        if (!name) malformed("record " + std::to_string(index + 1), "record names no known contig");
        if (rec_->errcode & kFatalErrcode)
            check_errcode(std::string(name) + ":" + std::to_string(rec_->pos + 1));
        const auto slot = static_cast<std::size_t>(rid);
        if (slot >= kit_rid.size()) kit_rid.resize(slot + 1, -1);
        if (kit_rid[slot] < 0) kit_rid[slot] = is_kit_contig(name) ? 1 : 0;
        if (last_read_chrom_ != name) last_read_chrom_ = name;
        last_pos1_ = rec_->pos + 1;
        if (!kit_rid[slot]) continue;
        check_order(name, rec_->pos);
        if (!overlaps_targets(rec_->pos, rec_->pos + rec_->rlen)) {
            count_unselected(rec_->pos, rec_->pos + rec_->rlen);
            continue;
        }
        emit(index, sink);
    }
    const BGZF* bgzf = hts_get_bgzfp(file_.get());
    if (ret < -1 || (bgzf && bgzf->errcode)) read_failure(ret < -1 ? ret : -2);
}

void VcfSource::query_index(const Sink& sink) {
    // The KIT contig may be missing from the header (VCF without ##contig lines): ask the index.
    std::vector<std::string> names;
    if (tbx_) {
        int n = 0;
        const char** seq = tbx_seqnames(tbx_.get(), &n);
        for (int i = 0; i < n; ++i)
            if (seq[i]) names.emplace_back(seq[i]);  // a corrupt index can leave gaps
        free(seq);
    } else {
        names = header_contigs_;
    }
    std::string contig;
    for (const auto& name : names) {
        if (is_chr4_name(name)) {
            contig = name;
            break;
        }
    }
    if (contig.empty()) {
        other_contigs_ = names;  // listed by the naming warning
        return;
    }
    if (info_.contig.empty()) info_.contig = contig;
    const int tid =
        tbx_ ? tbx_name2id(tbx_.get(), contig.c_str()) : bcf_hdr_name2id(hdr_.get(), contig.c_str());
    if (tid < 0) return;

    KString line;
    std::int64_t previous_end = -1;  // a record overlapping two regions is returned by both queries
    for (const auto& region : regions_) {
        HtsItrPtr itr(tbx_ ? tbx_itr_queryi(tbx_.get(), tid, region.begin, region.end)
                           : bcf_itr_queryi(bcf_idx_.get(), tid, region.begin, region.end));
        if (!itr) continue;
        int ret = 0;
        while (true) {
            ret = tbx_ ? tbx_itr_next(file_.get(), tbx_.get(), itr.get(), &line.s)
                       : bcf_itr_next(file_.get(), itr.get(), rec_.get());
            if (ret < 0) break;
            if (hts_get_bgzfp(file_.get())->errcode) read_failure(-2);
            if (tbx_ && vcf_parse(&line.s, hdr_.get(), rec_.get()) < 0)
                malformed(contig + ":?", "malformed record");
            const std::string record_id = contig + ":" + std::to_string(rec_->pos + 1);
            check_errcode(record_id);
            // bcf_itr_next does not see the header, so --samples is applied here (bcf_read does it itself).
            if (!tbx_ && hdr_->keep_samples && bcf_subset_format(hdr_.get(), rec_.get()) != 0)
                malformed(record_id, "malformed record: cannot select the --samples columns");
            last_read_chrom_ = contig;
            last_pos1_ = rec_->pos + 1;
            if (rec_->pos < previous_end) continue;
            const std::int64_t index = info_.records_read++;
            if (!overlaps_targets(rec_->pos, rec_->pos + rec_->rlen)) continue;
            emit(index, sink);
        }
        if (ret < -1) read_failure(ret);
        previous_end = region.end;
    }
    if (!unselected_.empty()) query_unselected(tid);
}

void VcfSource::warn_if_no_kit_contig() {
    if (!info_.contig.empty()) return;
    const std::vector<std::string>& seen = header_contigs_.empty() ? other_contigs_ : header_contigs_;
    if (seen.empty()) return;  // no records and no contigs: nothing to say
    diag_.warn("no_kit_contig", options_.path + ": no contig is named chr4 or 4 (" +
                                    (header_contigs_.empty() ? "records use" : "header has") + ": " +
                                    join(seen, 8) +
                                    "), so no KIT/PDGFRA record can be found; if chromosome 4 is spelled "
                                    "differently, rename it (bcftools annotate --rename-chrs)");
}

}  // namespace

std::unique_ptr<ObservationSource> make_vcf_source(HtsFilePtr file,
                                                   const SourceOptions& options,
                                                   Diagnostics& diag) {
    return std::make_unique<VcfSource>(std::move(file), options, diag);
}

}  // namespace kitrx::detail
