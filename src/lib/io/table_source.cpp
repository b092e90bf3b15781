// SPDX-License-Identifier: MIT
// Table readers (io): what labs hand over instead of a VCF.
//   - MAF (GDC / vcf2maf / cBioPortal / MSK-ACCESS; WashU-style TCGA MAFs): one row per allele and
//     tumour sample. MAF alleles are unanchored ("-" for an empty allele; an insertion sits between
//     Start_Position and End_Position); they are turned into VCF-style anchored alleles with the
//     shipped reference, so that naming, panel matching, clones and regimens see the same
//     Observation a VCF record gives.
//   - Illumina TSO500 LocalApp / DRAGEN CombinedVariantOutput.tsv: an INI-like file of [Section]s.
//     [Small Variants] holds VCF-style alleles (hg19); [Analysis Details] names the sample;
//     [Gene Amplifications] is read for KIT/PDGFRA (an amplified allele breaks the heterozygous
//     clone model); the other sections are noted and ignored.
// Lines come through htslib (hts_getline: plain, gzip, bgzip; stdin after format detection).
// Rows outside the targets are counted by reason in SourceInfo::skipped, never dropped silently.
// Over 600 lines on purpose: MAF and TSO500 share detection, allele anchoring and the row checks;
// the two readers are kept together so the shared path is written once.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <set>
#include <string_view>

#include <htslib/kstring.h>

#include "io/hts_util.hpp"
#include "io/vcf_record.hpp"
#include "kitrx/common/limits.hpp"
#include "kitrx/common/stats.hpp"
#include "kitrx/common/text.hpp"

namespace kitrx::detail {
namespace {

// How many lines may precede the MAF header or the first TSO500 section before a text file is
// declared neither (vcf2maf writes one #version line; CombinedVariantOutput starts with 3 lines).
constexpr int kDetectLines = 64;

// Bytes of a bad value for a message: control and non-ASCII bytes (binary data) as '?', cut short.
std::string shown(std::string_view s) {
    std::string out(s.substr(0, 60));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    if (s.size() > 60) out += "...";
    return out;
}

bool is_missing(std::string_view v) {
    return v.empty() || v == "NA" || v == "." || v == "N/A" || v == "NaN" || v == "nan";
}

// Lines of a text htsFile, with look-ahead for format detection. '\r' before '\n' is dropped
// (CombinedVariantOutput is written with CRLF).
class TextLines {
public:
    TextLines(HtsFilePtr file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
    TextLines(const TextLines&) = delete;
    TextLines& operator=(const TextLines&) = delete;
    ~TextLines() { std::free(buf_.s); }

    // Next line; false at the end. `number` is its 1-based line number.
    bool next(std::string& line, int& number) {
        if (!peeked_.empty()) {
            line = std::move(peeked_.front());
            peeked_.pop_front();
        } else if (!read(line)) {
            return false;
        }
        number = ++returned_;
        return true;
    }
    // Reads ahead up to `n` lines (kept for next()); returns what is buffered.
    const std::deque<std::string>& peek(int n) {
        std::string line;
        while (static_cast<int>(peeked_.size()) < n && read(line)) peeked_.push_back(std::move(line));
        return peeked_;
    }
    // Reads to the end (stdin drained, as the other readers do).
    void drain() {
        std::string line;
        while (read(line)) {
        }
    }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    bool read(std::string& line) {
        if (eof_) return false;
        const int r = hts_getline(file_.get(), '\n', &buf_);
        if (r == -1) {
            eof_ = true;
            return false;
        }
        if (r < -1)
            throw IoError("cannot read '" + path_ + "' after line " + std::to_string(read_) + ": " +
                          std::strerror(errno ? errno : EIO));
        if (buf_.l > kMaxRecordBytes)
            throw InputError({path_, read_ + 1, 0, ""},
                             "line longer than " + std::to_string(kMaxRecordBytes >> 20) + " MiB",
                             "this is not a text table; check the file");
        ++read_;
        line.assign(buf_.s ? buf_.s : "", buf_.l);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find('\0') != std::string::npos)
            throw InputError({path_, read_, 0, ""}, "NUL byte in a text table",
                             "the file is binary or corrupt");
        return true;
    }

    HtsFilePtr file_;
    std::string path_;
    kstring_t buf_{0, 0, nullptr};
    std::deque<std::string> peeked_;
    int read_ = 0;      // lines read from the file
    int returned_ = 0;  // lines handed out by next()
    bool eof_ = false;
};

InputFormatChoice detect(TextLines& lines) {
    for (const auto& raw : lines.peek(kDetectLines)) {
        const std::string_view line = trim_view(raw);
        if (line.empty()) continue;
        const std::string first = lower(line.substr(0, line.find('\t')));
        if (first == "hugo_symbol" || lower(line).rfind("#version", 0) == 0) return InputFormatChoice::kMaf;
        if (first == "[small variants]" || first == "[analysis details]" || first == "[header]")
            return InputFormatChoice::kTso500;
        if (line.front() == '#') continue;  // MAF #version / comment lines
        // A CombinedVariantOutput starts with a title line and a disclaimer before its first section.
        if (lower(line).find("combined variant output") != std::string::npos) continue;
        if (lower(line).find("for research use only") != std::string::npos) continue;
        return InputFormatChoice::kAuto;
    }
    return InputFormatChoice::kAuto;
}

// Shared by both readers: targets, sample selection, skip counters.
class TableSourceBase : public ObservationSource {
public:
    TableSourceBase(std::unique_ptr<TextLines> lines, const SourceOptions& options, Diagnostics& diag)
        : lines_(std::move(lines)), options_(options), diag_(diag) {
        info_.path = options.path;
    }
    [[nodiscard]] const SourceInfo& info() const override { return info_; }

protected:
    void set_build(Build build, std::string evidence) {
        info_.build = build;
        info_.build_evidence = std::move(evidence);
        info_.targets = target_regions(options_, GenomeModel::builtin(build));
    }
    [[nodiscard]] bool in_targets(std::int64_t begin, std::int64_t end) const {
        // An insertion between two bases has begin == end; it counts where it sits.
        for (const auto& t : info_.targets)
            if (begin < t.end && std::max(end, begin + 1) > t.begin) return true;
        return false;
    }
    [[nodiscard]] bool gene_selected(const std::string& gene) const {
        const std::string g = upper(gene);
        return std::find(options_.genes.begin(), options_.genes.end(), g) != options_.genes.end();
    }
    void skip(const std::string& why, std::int64_t n = 1) {
        info_.skipped[why] += n;
        diag_.count(why, n);
    }
    // --samples: true when the sample is wanted; remembers every sample seen (file order).
    bool want_sample(const std::string& sample) {
        if (seen_.insert(sample).second) seen_order_.push_back(sample);
        return options_.samples.empty() ||
               std::find(options_.samples.begin(), options_.samples.end(), sample) != options_.samples.end();
    }
    void finish_samples() {
        for (const auto& want : options_.samples)
            if (!seen_.count(want)) {
                std::string all;
                for (std::size_t i = 0; i < seen_order_.size() && i < 20; ++i)
                    all += (i ? ", " : "") + seen_order_[i];
                if (seen_order_.size() > 20)
                    all += ", ... (" + std::to_string(seen_order_.size()) + " in total)";
                throw InputError({options_.path, 0, 0, ""}, "sample '" + want + "' is not in the file",
                                 "samples in the file: " + (all.empty() ? std::string("none") : all));
            }
        info_.samples.clear();
        for (const auto& s : seen_order_)
            if (options_.samples.empty() ||
                std::find(options_.samples.begin(), options_.samples.end(), s) != options_.samples.end())
                info_.samples.push_back(s);
    }
    // One stderr line with what was skipped (the counts also go to the provenance).
    void summarise_skips(const std::string& what) {
        if (info_.skipped.empty()) return;
        std::string text;
        for (const auto& [why, n] : info_.skipped)
            text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + why;
        diag_.summary(options_.path + ": " + what + " rows skipped: " + text);
    }
    [[noreturn]] void bad(int line, const std::string& what, const std::string& hint) const {
        throw InputError({options_.path, line, 0, ""}, what, hint);
    }

    std::unique_ptr<TextLines> lines_;
    SourceOptions options_;
    Diagnostics& diag_;
    SourceInfo info_;
    std::set<std::string> seen_;
    std::vector<std::string> seen_order_;
};

bool dna(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c != 'A' && c != 'C' && c != 'G' && c != 'T' && c != 'N') return false;
    return true;
}

// -1 when missing; nullopt when not a count.
std::optional<std::int64_t> parse_count(std::string_view v) {
    v = trim_view(v);
    if (is_missing(v)) return -1;
    if (v.size() > 15) return std::nullopt;
    std::int64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::optional<std::int64_t> parse_position(std::string_view v) {
    auto n = parse_count(v);
    if (!n || *n < 1) return std::nullopt;
    return n;
}

// NaN when missing; nullopt when not a number.
std::optional<double> parse_number(std::string_view v) {
    v = trim_view(v);
    if (is_missing(v)) return std::nan("");
    std::string text(v);
    if (text.back() == '%') text.pop_back();
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(d))
        return std::nullopt;
    return d;
}

// ---------------------------------------------------------------------------------------------- MAF

class MafSource final : public TableSourceBase {
public:
    MafSource(std::unique_ptr<TextLines> lines, const SourceOptions& options, Diagnostics& diag);
    void run(const std::function<void(Observation&&)>& sink) override;

private:
    [[nodiscard]] int column(const char* name) const {
        const auto it = columns_.find(lower(name));
        return it == columns_.end() ? -1 : it->second;
    }
    [[nodiscard]] std::string field(const std::vector<std::string>& row, int col) const {
        return col >= 0 && col < static_cast<int>(row.size()) ? std::string(trim_view(row[col]))
                                                              : std::string();
    }
    void row(const std::vector<std::string>& fields,
             int line,
             const std::function<void(Observation&&)>& sink);
    [[nodiscard]] std::string column_count_error(std::size_t n) const {
        return "MAF row has " + std::to_string(n) + " columns, the header has " + std::to_string(n_columns_);
    }
    static constexpr const char* kColumnHint =
        "columns must be separated by single tabs; the row may be truncated";

    std::map<std::string, int> columns_;  // lower-case name -> index
    std::size_t n_columns_ = 0;
    int header_line_ = 0;
    bool build_from_option_ = false;
    std::int64_t index_ = 0;
    int c_gene_, c_chrom_, c_start_, c_end_, c_ref_, c_allele1_, c_allele2_, c_sample_, c_build_;
    int c_t_ref_, c_t_alt_, c_t_depth_, c_vaf_fraction_, c_vaf_percent_, c_filter_;
    int c_hgvsc_, c_hgvsp_, c_protein_change_, c_transcript_;
};

MafSource::MafSource(std::unique_ptr<TextLines> lines, const SourceOptions& options, Diagnostics& diag)
    : TableSourceBase(std::move(lines), options, diag) {
    info_.format = InputFormat::kMaf;
    std::string line;
    int number = 0;
    while (lines_->next(line, number)) {
        const std::string_view t = trim_view(line);
        if (t.empty() || t.front() == '#') continue;
        if (lower(t.substr(0, t.find('\t'))) != "hugo_symbol")
            bad(number, "not a MAF header line (expected it to start with Hugo_Symbol)",
                "MAF files start with optional #version lines, then the column names");
        const auto names = split_tabs(line);
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string name = lower(trim_view(names[i]));
            if (!name.empty() && !columns_.emplace(name, static_cast<int>(i)).second)
                bad(number, "MAF column '" + std::string(trim_view(names[i])) + "' appears twice",
                    "rename or drop the duplicate column");
        }
        n_columns_ = names.size();
        header_line_ = number;
        break;
    }
    if (header_line_ == 0)
        bad(number, "the MAF file ends before its Hugo_Symbol header line", "check the file is complete");
    c_gene_ = column("Hugo_Symbol");
    c_chrom_ = column("Chromosome");
    c_start_ = column("Start_Position");
    c_end_ = column("End_Position");
    c_ref_ = column("Reference_Allele");
    c_allele1_ = column("Tumor_Seq_Allele1");
    c_allele2_ = column("Tumor_Seq_Allele2");
    c_sample_ = column("Tumor_Sample_Barcode");
    c_build_ = column("NCBI_Build");
    c_t_ref_ = column("t_ref_count");
    c_t_alt_ = column("t_alt_count");
    c_t_depth_ = column("t_depth");
    // Allele fractions written by the callers when there are no counts: a fraction (MSK fill-out
    // t_variant_frequency, MuTect tumor_f) or a percent (WashU i_TumorVAF_WU).
    c_vaf_fraction_ = column("t_variant_frequency");
    if (c_vaf_fraction_ < 0) c_vaf_fraction_ = column("tumor_f");
    c_vaf_percent_ = column("i_TumorVAF_WU");
    c_filter_ = column("FILTER");
    c_hgvsc_ = column("HGVSc");
    c_hgvsp_ = column("HGVSp_Short");
    if (c_hgvsp_ < 0) c_hgvsp_ = column("HGVSp");
    c_protein_change_ = column("Protein_Change");
    c_transcript_ = column("Transcript_ID");
    if (c_transcript_ < 0) c_transcript_ = column("i_transcript_name");
    for (const auto& [col, name] :
         {std::pair{c_chrom_, "Chromosome"}, std::pair{c_start_, "Start_Position"},
          std::pair{c_ref_, "Reference_Allele"}, std::pair{c_sample_, "Tumor_Sample_Barcode"}})
        if (col < 0)
            bad(header_line_, std::string("MAF header has no ") + name + " column",
                "kitrx needs Chromosome, Start_Position, Reference_Allele, Tumor_Seq_Allele2 and "
                "Tumor_Sample_Barcode (GDC MAF columns)");
    if (c_allele2_ < 0 && c_allele1_ < 0)
        bad(header_line_, "MAF header has no Tumor_Seq_Allele2 column",
            "the tumour allele is in Tumor_Seq_Allele2");

    // The build: NCBI_Build of the first data row (every row is checked against it in run()).
    std::optional<Build> file_build;
    std::string file_build_text;
    int peeked_line = header_line_;
    for (const auto& peeked : lines_->peek(kDetectLines)) {
        ++peeked_line;
        const std::string_view t = trim_view(peeked);
        if (t.empty() || t.front() == '#') continue;
        const auto fields = split_tabs(peeked);
        if (fields.size() != n_columns_) bad(peeked_line, column_count_error(fields.size()), kColumnHint);
        file_build_text = field(fields, c_build_);
        file_build = parse_build(file_build_text);
        if (!file_build && !file_build_text.empty() && !options.build)
            bad(header_line_ + 1, "NCBI_Build '" + shown(file_build_text) + "' is not a genome build",
                "expected GRCh37/37/hg19 or GRCh38/38/hg38; or give --build");
        break;
    }
    if (options.build) {
        build_from_option_ = true;
        if (file_build && *file_build != *options.build)
            diag_.warn("build_mismatch", options.path + ": --build " + to_string(*options.build) +
                                             " overrides NCBI_Build " + file_build_text);
        set_build(*options.build, "--build");
    } else if (file_build) {
        set_build(*file_build, "NCBI_Build " + file_build_text);
    } else {
        throw InputError({options.path, header_line_, 0, ""},
                         "cannot tell the genome build: the MAF has no NCBI_Build value",
                         "give --build GRCh37 or --build GRCh38");
    }
}

void MafSource::run(const std::function<void(Observation&&)>& sink) {
    std::string line;
    int number = 0;
    while (lines_->next(line, number)) {
        const std::string_view t = trim_view(line);
        if (t.empty() || t.front() == '#') continue;
        ++info_.records_read;
        const auto fields = split_tabs(line);
        if (fields.size() != n_columns_) bad(number, column_count_error(fields.size()), kColumnHint);
        row(fields, number, sink);
    }
    finish_samples();
    summarise_skips("MAF");
}

void MafSource::row(const std::vector<std::string>& f,
                    int line,
                    const std::function<void(Observation&&)>& sink) {
    const std::string chrom = field(f, c_chrom_);
    const std::string start_text = field(f, c_start_);
    const auto start = parse_position(start_text);
    if (!start)
        bad(line, "Start_Position '" + shown(start_text) + "' is not a position",
            "expected a 1-based integer");
    if (!build_from_option_ && c_build_ >= 0) {
        const std::string b = field(f, c_build_);
        const auto row_build = parse_build(b);
        if (!row_build || *row_build != info_.build)
            bad(line,
                "NCBI_Build '" + shown(b) + "' differs from the file's first row (" + to_string(info_.build) +
                    ")",
                "a MAF holds one build; split the file or give --build");
    }
    std::string ref = upper(field(f, c_ref_));
    std::string alt = upper(field(f, c_allele2_));
    if ((alt.empty() || alt == ref) && c_allele1_ >= 0) alt = upper(field(f, c_allele1_));
    for (const auto& [allele, name] :
         {std::pair{&ref, "Reference_Allele"}, std::pair{&alt, "Tumor_Seq_Allele2"}})
        if (*allele != "-" && !dna(*allele))
            bad(line, std::string(name) + " '" + shown(*allele) + "' is not an allele",
                "MAF alleles are A, C, G, T, N or '-' for an empty allele");
    if (ref == "-" && alt == "-")
        bad(line, "both alleles are '-'", "one of Reference_Allele / Tumor_Seq_Allele2 must hold bases");
    const bool insertion = ref == "-";
    const std::int64_t ref_len = insertion ? 0 : static_cast<std::int64_t>(ref.size());
    if (c_end_ >= 0) {
        const std::string end_text = field(f, c_end_);
        const auto end = parse_position(end_text);
        if (!end)
            bad(line, "End_Position '" + shown(end_text) + "' is not a position",
                "expected a 1-based integer");
        // Insertions: End = Start + 1 (GDC); some writers repeat Start.
        const bool fits = insertion ? (*end == *start + 1 || *end == *start) : (*end - *start + 1 == ref_len);
        if (!fits)
            bad(line,
                "End_Position " + end_text + " does not fit Start_Position " + start_text +
                    " and Reference_Allele '" + shown(ref) + "'",
                "MAF spans are Start..End inclusive (an insertion: the two bases around it)");
    }
    // Genomic span of the row, 0-based half-open: an insertion sits after Start.
    const std::int64_t begin0 = insertion ? *start : *start - 1;
    const std::int64_t end0 = begin0 + ref_len;
    const std::string sample = field(f, c_sample_);
    if (sample.empty()) bad(line, "Tumor_Sample_Barcode is empty", "every MAF row names its tumour sample");
    // Every sample of the file is reported, also those without a KIT row: in a MAF that means no KIT
    // mutation was called in it.
    const bool wanted = want_sample(sample);
    const std::string gene = field(f, c_gene_);
    if (!is_chr4_name(chrom) || !in_targets(begin0, end0)) {
        skip(gene_selected(gene) ? "rows of " + upper(gene) + " outside the target exons"
                                 : "rows of other genes");
        return;
    }
    if (!wanted) {
        skip("rows of samples not selected by --samples");
        return;
    }
    if (alt == ref || alt.empty()) {
        skip("rows whose tumour allele equals the reference");
        diag_.warn("maf_no_alt", options_.path + ":" + std::to_string(line) +
                                     ": tumour allele equals Reference_Allele; row skipped");
        return;
    }

    Observation o;
    o.sample = sample;
    o.chrom = chrom;
    const ReferenceSequence& reference = GenomeModel::builtin(info_.build).reference();
    if (ref == "-" || alt == "-") {
        // VCF anchors an indel on the base before it: the base before a deletion, the base after
        // which an insertion sits (Start_Position itself).
        const std::int64_t anchor0 = insertion ? *start - 1 : *start - 2;
        if (anchor0 < 0 || !reference.covers(anchor0, anchor0 + 1))
            bad(line,
                "cannot anchor the indel at " + chrom + ":" + start_text + ": outside the shipped reference",
                "report this; the target exons should lie inside resources/genome");
        const std::string anchor(reference.fetch(anchor0, anchor0 + 1));
        o.pos0 = anchor0;
        o.ref = anchor + (insertion ? "" : ref);
        o.alt = anchor + (alt == "-" ? "" : alt);
    } else {
        o.pos0 = *start - 1;
        o.ref = ref;
        o.alt = alt;
    }
    const std::string alt_text = field(f, c_t_alt_);
    const std::string depth_text = field(f, c_t_depth_);
    const std::string ref_text = field(f, c_t_ref_);
    const auto alt_reads = parse_count(alt_text);
    const auto depth = parse_count(depth_text);
    const auto ref_reads = parse_count(ref_text);
    if (!alt_reads)
        bad(line, "t_alt_count '" + shown(alt_text) + "' is not a count", "expected a whole number or NA");
    if (!depth)
        bad(line, "t_depth '" + shown(depth_text) + "' is not a count", "expected a whole number or NA");
    if (!ref_reads)
        bad(line, "t_ref_count '" + shown(ref_text) + "' is not a count", "expected a whole number or NA");
    if (*alt_reads >= 0 && *depth > 0) {
        if (*alt_reads > *depth)
            bad(line, "t_alt_count " + alt_text + " is above t_depth " + depth_text,
                "the counts are inconsistent");
        o.alt_reads = *alt_reads;
        o.depth = *depth;
        o.af_source = "MAF:t_alt_count/t_depth";
    } else if (*alt_reads >= 0 && *ref_reads >= 0 && *alt_reads + *ref_reads > 0) {
        // No t_depth (MSK fill-out MAFs): the reads that carry either allele.
        o.alt_reads = *alt_reads;
        o.depth = *alt_reads + *ref_reads;
        o.af_source = "MAF:t_alt_count/(t_ref_count+t_alt_count)";
    }
    if (o.has_counts()) {
        o.vaf = read_fraction(o.alt_reads, o.depth);
    } else {
        for (const auto& [col, percent] :
             {std::pair{c_vaf_fraction_, false}, std::pair{c_vaf_percent_, true}}) {
            if (col < 0) continue;
            const std::string text = field(f, col);
            const auto v = parse_number(text);
            const double scaled = v ? (percent ? *v / 100.0 : *v) : 0;
            if (!v || scaled < 0 || scaled > 1)
                bad(line, "allele fraction '" + shown(text) + "' is not in [0, " + (percent ? "100]" : "1]"),
                    "expected a number or NA");
            if (std::isnan(*v)) continue;
            o.vaf = scaled;
            o.af_source = percent ? "MAF:i_TumorVAF_WU(%)" : "MAF:t_variant_frequency";
            break;
        }
        if (*alt_reads >= 0 && o.alt_reads < 0) o.alt_reads = *alt_reads;
        if (*depth > 0) o.depth = *depth;
    }
    const std::string filter = field(f, c_filter_);
    o.filter = filter.empty() ? "." : filter;
    o.record_id = chrom + ":" + start_text;
    o.record_index = index_++;
    // The file's own names, kept verbatim: transcript:c. and p. (or Protein_Change).
    std::string transcript = field(f, c_transcript_);
    std::string c = field(f, c_hgvsc_);
    std::string p = field(f, c_hgvsp_);
    if (p.empty() || p == ".") p = field(f, c_protein_change_);
    if (c == ".") c.clear();
    if (p == ".") p.clear();
    if (!c.empty() && c.find(':') == std::string::npos && !transcript.empty()) c = transcript + ":" + c;
    if (c.empty() && !p.empty() && !transcript.empty()) p = transcript + ":" + p;
    o.source_hgvs = c + (c.empty() || p.empty() ? "" : " ") + p;
    ++info_.records_in_targets;
    sink(std::move(o));
}

// ------------------------------------------------------------------------------------------- TSO500

class Tso500Source final : public TableSourceBase {
public:
    Tso500Source(std::unique_ptr<TextLines> lines, const SourceOptions& options, Diagnostics& diag);
    void run(const std::function<void(Observation&&)>& sink) override;

private:
    void small_variant(const std::vector<std::string>& f, int line);
    void amplification(const std::vector<std::string>& f, int line);

    std::vector<Observation> observations_;
    std::map<std::string, int> columns_;
    std::string sample_;
};

Tso500Source::Tso500Source(std::unique_ptr<TextLines> lines, const SourceOptions& options, Diagnostics& diag)
    : TableSourceBase(std::move(lines), options, diag) {
    info_.format = InputFormat::kTso500;
    info_.caller = "TSO500 CombinedVariantOutput";
    // The LocalApp (and DRAGEN TSO500) aligns to hg19; a --build overrides, REF is checked by naming.
    if (options.build)
        set_build(*options.build, "--build");
    else
        set_build(Build::kGRCh37, "TSO500 CombinedVariantOutput (LocalApp/DRAGEN TSO500 report hg19)");
    // The whole table is parsed here: it is small (one sample, a few hundred rows) and the sample
    // name and amplifications must be known before the variants are handed out.
    std::string section;
    std::string line;
    int number = 0;
    bool seen_small_variants = false;
    bool header_pending = false;  // the next non-empty line of this section is its column header
    std::vector<std::string> unused;
    std::string pipeline;
    while (lines_->next(line, number)) {
        const std::string_view t = trim_view(line);
        if (t.empty()) continue;
        const auto fields = split_tabs(line);
        const std::string first(trim_view(fields[0]));
        if (first.size() >= 2 && first.front() == '[' && first.back() == ']') {
            section = lower(first);
            header_pending = section == "[small variants]" || section == "[gene amplifications]";
            if (section == "[small variants]") {
                if (seen_small_variants)
                    bad(number, "a second [Small Variants] section", "one sample per file");
                seen_small_variants = true;
            } else if (section != "[analysis details]" && section != "[gene amplifications]" &&
                       section != "[header]") {
                unused.push_back(first);
            }
            continue;
        }
        if (section.empty()) continue;  // the title and the research-use line
        if (section == "[analysis details]" || section == "[header]") {
            const std::string key = lower(first);
            const std::string value = fields.size() > 1 ? std::string(trim_view(fields[1])) : "";
            if ((key == "pair id" || (key == "dna sample id" && sample_.empty())) && !is_missing(value))
                sample_ = value;
            if (key == "pipeline version" || key == "software version") pipeline = value;
            continue;
        }
        if (header_pending) {
            columns_.clear();
            for (std::size_t i = 0; i < fields.size(); ++i)
                columns_[lower(trim_view(fields[i]))] = static_cast<int>(i);
            header_pending = false;
            if (section == "[small variants]") {
                for (const char* name : {"chromosome", "genomic position", "reference call",
                                         "alternative call", "allele frequency"})
                    if (!columns_.count(name))
                        bad(number, std::string("[Small Variants] header has no '") + name + "' column",
                            "expected Gene, Chromosome, Genomic Position, Reference Call, Alternative Call, "
                            "Allele Frequency, Depth");
            } else if (!columns_.count("gene")) {
                bad(number, "[Gene Amplifications] header has no 'Gene' column",
                    "expected Gene, Fold Change");
            }
            continue;
        }
        if (first == "NA" && std::all_of(fields.begin() + 1, fields.end(),
                                         [](const std::string& s) { return trim_view(s).empty(); }))
            continue;  // the section's "nothing found" row
        if (section == "[small variants]")
            small_variant(fields, number);
        else if (section == "[gene amplifications]")
            amplification(fields, number);
    }
    if (!seen_small_variants)
        bad(number, "no [Small Variants] section", "a TSO500 / DRAGEN CombinedVariantOutput.tsv has one");
    if (sample_.empty()) sample_ = file_stem(options.path);
    if (!pipeline.empty()) info_.caller += " " + pipeline;
    for (auto& o : observations_) o.sample = sample_;
    if (!unused.empty()) {
        std::string list;
        for (const auto& u : unused) list += (list.empty() ? "" : ", ") + u;
        info_.notes.push_back("TSO500 sections not used by kitrx: " + list);
        diag_.note(options.path + ": sections not used: " + list);
    }
    if (!want_sample(sample_)) {
        skip("rows of samples not selected by --samples", static_cast<std::int64_t>(observations_.size()));
        observations_.clear();
    }
    finish_samples();
}

void Tso500Source::small_variant(const std::vector<std::string>& f, int line) {
    auto get = [&](const char* name) -> std::string {
        const auto it = columns_.find(name);
        return it == columns_.end() || it->second >= static_cast<int>(f.size())
                   ? std::string()
                   : std::string(trim_view(f[it->second]));
    };
    ++info_.records_read;
    const std::string chrom = get("chromosome");
    const std::string pos_text = get("genomic position");
    const auto pos = parse_position(pos_text);
    if (!pos)
        bad(line, "Genomic Position '" + shown(pos_text) + "' is not a position",
            "expected a 1-based integer");
    const std::string ref = upper(get("reference call"));
    const std::string alt = upper(get("alternative call"));
    if (!dna(ref))
        bad(line, "Reference Call '" + shown(ref) + "' is not an allele", "expected A, C, G, T or N bases");
    if (!dna(alt))
        bad(line, "Alternative Call '" + shown(alt) + "' is not an allele", "expected A, C, G, T or N bases");
    const std::string af_text = get("allele frequency");
    const auto af = parse_number(af_text);
    if (!af || *af < 0 || *af > 1)
        bad(line, "Allele Frequency '" + shown(af_text) + "' is not a fraction in [0, 1]",
            "expected e.g. 0.3273");
    const std::string depth_text = get("depth");
    const auto depth = parse_count(depth_text);
    if (!depth) bad(line, "Depth '" + shown(depth_text) + "' is not a count", "expected a whole number");
    const std::int64_t begin0 = *pos - 1;
    if (!is_chr4_name(chrom) || !in_targets(begin0, begin0 + static_cast<std::int64_t>(ref.size()))) {
        skip(gene_selected(get("gene")) ? "rows of " + upper(get("gene")) + " outside the target exons"
                                        : "rows of other genes");
        return;
    }
    Observation o;
    o.chrom = chrom;
    o.pos0 = begin0;
    o.ref = ref;
    o.alt = alt;
    // The table gives a fraction and a depth, not the supporting reads: the count is left unknown
    // rather than reconstructed from a rounded fraction.
    o.vaf = *af;
    o.depth = *depth > 0 ? *depth : -1;
    o.af_source = "TSO500:Allele Frequency";
    o.record_id = chrom + ":" + pos_text;
    o.record_index = static_cast<std::int64_t>(observations_.size());
    const std::string c = get("c-dot notation");
    const std::string p = get("p-dot notation");
    o.source_hgvs = c + (c.empty() || p.empty() ? "" : " ") + p;
    ++info_.records_in_targets;
    observations_.push_back(std::move(o));
}

void Tso500Source::amplification(const std::vector<std::string>& f, int line) {
    const std::string gene = upper(trim_view(f[static_cast<std::size_t>(columns_["gene"])]));
    const auto fc_col = columns_.find("fold change");
    const std::string fold = fc_col != columns_.end() && fc_col->second < static_cast<int>(f.size())
                                 ? std::string(trim_view(f[fc_col->second]))
                                 : "";
    if (gene.empty()) bad(line, "[Gene Amplifications] row without a gene", "expected Gene, Fold Change");
    if (gene == "KIT" || gene == "PDGFRA") {
        const std::string what = gene + " amplification reported by the TSO500 table (fold change " +
                                 (fold.empty() ? "NA" : fold) +
                                 "): allele fractions do not follow the heterozygous clone model";
        info_.notes.push_back(what);
        diag_.warn("gene_amplification", options_.path + ":" + std::to_string(line) + ": " + what);
    } else {
        skip("amplifications of other genes");
    }
}

void Tso500Source::run(const std::function<void(Observation&&)>& sink) {
    for (auto& o : observations_) sink(std::move(o));
    observations_.clear();
    summarise_skips("TSO500");
}

}  // namespace

std::unique_ptr<ObservationSource> make_table_source(HtsFilePtr file,
                                                     InputFormatChoice forced,
                                                     const SourceOptions& options,
                                                     Diagnostics& diag) {
    auto lines = std::make_unique<TextLines>(std::move(file), options.path);
    const InputFormatChoice kind = forced == InputFormatChoice::kAuto ? detect(*lines) : forced;
    if (kind == InputFormatChoice::kMaf) return std::make_unique<MafSource>(std::move(lines), options, diag);
    if (kind == InputFormatChoice::kTso500)
        return std::make_unique<Tso500Source>(std::move(lines), options, diag);
    lines->drain();
    return nullptr;
}

}  // namespace kitrx::detail
