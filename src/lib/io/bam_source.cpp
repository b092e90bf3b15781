// SPDX-License-Identifier: MIT
// BAM/CRAM input: header checks (sort order, chr4 contig, build), target regions, index or
// streaming, then the ReadCounter (read_counter.hpp) and the calls (allele_calling.hpp).
// Over 600 lines on purpose: header checks, region planning and the CRAM reference guard are one
// contract (what a BAM must be before a read is counted); split, each half would re-check the other.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_set>

#include <htslib/cram.h>
#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <sys/stat.h>

#include "io/hts_util.hpp"
#include "kitrx/common/limits.hpp"
#include "kitrx/io/allele_calling.hpp"
#include "kitrx/io/bam_counts.hpp"
#include "kitrx/io/read_counter.hpp"

namespace kitrx {

namespace {

struct KStringHolder {
    kstring_t ks = KS_INITIALIZE;
    ~KStringHolder() { ks_free(&ks); }
    [[nodiscard]] std::string str() const { return ks.s ? std::string(ks.s, ks.l) : std::string(); }
};

// htslib falls back to downloading CRAM references by MD5 from the EBI when REF_PATH is unset
// or names a URL. kitrx never downloads: keep only the local components of REF_PATH, and when
// none is left point it at a path that cannot exist.
void forbid_reference_downloads() {
    const char* current = std::getenv("REF_PATH");
    std::string kept;
    if (current) {
        std::string value(current);
        std::size_t start = 0;
        while (start <= value.size()) {
            const auto colon = value.find(':', start);
            const std::string part =
                value.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            const bool url_part = part == "http" || part == "https" || part == "ftp" ||
                                  part.rfind("//", 0) == 0 || part.find("://") != std::string::npos;
            if (!part.empty() && !url_part) kept += (kept.empty() ? "" : ":") + part;
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
    }
    if (kept.empty()) kept = "/dev/null/kitrx-never-downloads-references/%s";
    if (!current || kept != current) ::setenv("REF_PATH", kept.c_str(), 1);
}

std::string file_stem(const std::string& path) {
    if (path == "-") return "-";
    std::string name =
        path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    for (const char* ext : {".bam", ".cram", ".sam"}) {
        const std::string e(ext);
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
            name.erase(name.size() - e.size());
            break;
        }
    }
    return name;
}

std::optional<Build> build_from_text(const std::string& text) {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (auto b = parse_build(t)) return b;
    for (const char* key : {"grch38", "hg38", "b38"})
        if (t.find(key) != std::string::npos) return Build::kGRCh38;
    for (const char* key : {"grch37", "hg19", "b37", "hs37d5", "human_g1k_v37"})
        if (t.find(key) != std::string::npos) return Build::kGRCh37;
    return std::nullopt;
}

// Reads one BAM/CRAM: header checks in the constructor, counting in count().
class BamReader {
public:
    BamReader(detail::HtsFilePtr file, const SourceOptions& options, Diagnostics& diag)
        : file_(std::move(file)), options_(options), diag_(diag) {
        info_.path = options.path;
        const htsFormat* fmt = hts_get_format(file_.get());
        info_.format = fmt->format == cram  ? InputFormat::kCram
                       : fmt->format == sam ? InputFormat::kSam
                                            : InputFormat::kBam;
        if (info_.format == InputFormat::kCram) setup_cram();
        if (options.threads > 0 && hts_set_threads(file_.get(), options.threads) != 0)
            diag_.warn("threads",
                       "could not start " + std::to_string(options.threads) + " decompression threads");
        header_.reset(sam_hdr_read(file_.get()));
        if (!header_)
            throw InputError({options.path, 0, 0, ""},
                             "cannot read the " + to_string(info_.format) + " header");
        check_sort_order();
        find_contig();
        if (info_.format == InputFormat::kCram) check_cram_reference();
        resolve_build();
        resolve_targets();
        resolve_samples();
        if (options.path != "-" && info_.format != InputFormat::kSam && !index_is_stale())
            index_.reset(sam_index_load3(file_.get(), options.path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
        info_.used_index = index_ != nullptr;
    }

    [[nodiscard]] const SourceInfo& info() const { return info_; }
    [[nodiscard]] const std::string& sample() const { return sample_; }
    [[nodiscard]] const GenomeModel& model() const { return GenomeModel::builtin(info_.build); }

    // Counts the targets. Call once.
    std::pair<CountTable, CountStats> count() {
        CounterSettings settings;
        settings.filters = options_.count;
        ReadCounter counter(to_intervals(info_.targets), model().reference(), settings);
        detail::Bam1Ptr record(bam_init1());
        if (!record) throw std::bad_alloc();
        if (index_)
            read_indexed(counter, record.get());
        else
            read_streaming(counter, record.get());
        CountTable table = counter.finish();
        const CountStats stats = counter.stats();
        info_.records_in_targets = stats.reads_in_targets;
        return {std::move(table), stats};
    }

private:
    void setup_cram() {
        if (options_.reference_fasta.empty())
            throw InputError({options_.path, 0, 0, ""},
                             "CRAM input needs the reference FASTA it was written against",
                             "pass it with -f/--reference ref.fa (indexed with samtools faidx); kitrx never "
                             "downloads references");
        struct stat st {};
        if (::stat(options_.reference_fasta.c_str(), &st) != 0)
            throw IoError("cannot open reference '" + options_.reference_fasta +
                          "': " + std::strerror(errno));
        forbid_reference_downloads();
        // Attached before the header is read, so that htslib never follows an @SQ UR: or M5:
        // to another (possibly remote) reference. htslib then takes @SQ LN from this FASTA.
        if (hts_set_fai_filename(file_.get(), options_.reference_fasta.c_str()) != 0)
            throw IoError("cannot load reference '" + options_.reference_fasta +
                          "' (is it indexed? samtools faidx)");
        // Decode only what counting needs.
        hts_set_opt(file_.get(), CRAM_OPT_REQUIRED_FIELDS,
                    SAM_QNAME | SAM_FLAG | SAM_RNAME | SAM_POS | SAM_MAPQ | SAM_CIGAR | SAM_RNEXT |
                        SAM_PNEXT | SAM_SEQ | SAM_QUAL | SAM_AUX);
    }

    // htslib looks up a contig that -f lacks by its @SQ M5 (REF_PATH, restricted to local folders
    // above) and then by its @SQ UR:, which may be a URL that it downloads (a chr4-vs-4 naming
    // mismatch was enough). kitrx decodes against -f only: the chr4 contig must be in it, and the
    // UR: tags are removed from the header htslib decodes with, so no other contig can be fetched.
    void check_cram_reference() {
        std::unique_ptr<faidx_t, decltype(&fai_destroy)> fai(
            fai_load3(options_.reference_fasta.c_str(), nullptr, nullptr, 0), &fai_destroy);
        if (!fai)
            throw IoError("cannot load reference '" + options_.reference_fasta +
                          "' (is it indexed? samtools faidx)");
        if (!faidx_has_seq(fai.get(), info_.contig.c_str())) {
            std::string names;
            const int n = faidx_nseq(fai.get());
            for (int i = 0; i < n && i < 5; ++i)
                names += std::string(i ? ", " : "") + faidx_iseq(fai.get(), i);
            throw InputError({options_.path, 0, 0, ""},
                             "the reference '" + options_.reference_fasta + "' has no contig '" +
                                 info_.contig + "' (it has: " + (names.empty() ? "none" : names) +
                                 (n > 5 ? ", ..." : "") + ")",
                             "pass the FASTA the CRAM was written against (same contig names); kitrx "
                             "never fetches references named by @SQ UR: or M5:");
        }
        sam_hdr_t* decoding = cram_fd_get_header(file_->fp.cram);
        const int n = decoding ? sam_hdr_nref(decoding) : 0;
        for (int tid = 0; tid < n; ++tid) {
            const std::string name = sam_hdr_tid2name(decoding, tid);
            sam_hdr_remove_tag_id(decoding, "SQ", "SN", name.c_str(), "UR");
        }
    }

    // An index older than the file may point at the wrong bytes: regions would silently lose
    // reads. The file is then streamed instead (same result, slower); --strict: an error.
    bool index_is_stale() const {
        const std::string stale = detail::older_index(
            options_.path, info_.format == InputFormat::kCram ? std::vector<std::string>{".crai"}
                                                              : std::vector<std::string>{".bai", ".csi"});
        if (stale.empty()) return false;
        const std::string what = "index '" + stale + "' is older than the file";
        const std::string hint = "re-index with 'samtools index " + options_.path + "'";
        if (options_.strict) throw InputError({options_.path, 0, 0, ""}, what, hint);
        diag_.warn("stale_index", options_.path + ": " + what + "; reading the whole file instead; " + hint);
        diag_.count("stale_index");
        return true;
    }

    void check_sort_order() {
        KStringHolder so;
        if (sam_hdr_find_tag_hd(header_.get(), "SO", &so.ks) == 0 && so.str() == "queryname")
            throw InputError({options_.path, 0, 0, ""},
                             "reads are sorted by name (@HD SO:queryname); counting needs coordinate order",
                             "sort with 'samtools sort -o sorted.bam " + options_.path + "'");
    }

    void find_contig() {
        const int n = sam_hdr_nref(header_.get());
        std::string seen;
        for (int tid = 0; tid < n; ++tid) {
            const char* name = sam_hdr_tid2name(header_.get(), tid);
            if (tid < 5) seen += std::string(seen.empty() ? "" : ", ") + name;
            if (is_chr4_name(name)) {
                tid_ = tid;
                info_.contig = name;
                return;
            }
        }
        throw InputError({options_.path, 0, 0, ""},
                         "no chromosome 4 contig in the header" +
                             (seen.empty() ? std::string(" (no @SQ lines)")
                                           : " (contigs: " + seen + (n > 5 ? ", ..." : "") + ")"),
                         "KIT and PDGFRA lie on chr4; kitrx looks for @SQ SN:chr4, 4 or NC_000004.x");
    }

    void resolve_build() {
        const std::int64_t length = sam_hdr_tid2len(header_.get(), tid_);
        std::optional<Build> detected;
        std::string evidence;
        if (length == kChr4LengthGRCh37 || length == kChr4LengthGRCh38) {
            detected = length == kChr4LengthGRCh37 ? Build::kGRCh37 : Build::kGRCh38;
            evidence = "@SQ SN:" + info_.contig + " LN:" + std::to_string(length);
        } else {
            for (const char* tag : {"AS", "UR"}) {
                KStringHolder value;
                if (sam_hdr_find_tag_id(header_.get(), "SQ", "SN", info_.contig.c_str(), tag, &value.ks) ==
                    0) {
                    if (auto b = build_from_text(value.str())) {
                        detected = b;
                        evidence = "@SQ " + std::string(tag) + ":" + value.str();
                        break;
                    }
                }
            }
        }
        if (options_.build) {
            info_.build = *options_.build;
            info_.build_evidence = "--build";
            if (detected && *detected != *options_.build)
                diag_.warn("build_override", options_.path + ": header says " + to_string(*detected) + " (" +
                                                 evidence + ") but --build " + to_string(*options_.build) +
                                                 " was given; using " + to_string(*options_.build));
            return;
        }
        if (!detected)
            throw InputError({options_.path, 0, 0, ""},
                             "cannot tell the genome build: @SQ " + info_.contig + " has length " +
                                 std::to_string(length) + " (GRCh37 " + std::to_string(kChr4LengthGRCh37) +
                                 ", GRCh38 " + std::to_string(kChr4LengthGRCh38) +
                                 ") and no AS/UR tag naming a build",
                             "pass --build GRCh37 or --build GRCh38");
        info_.build = *detected;
        info_.build_evidence = evidence;
    }

    void resolve_targets() {
        try {
            info_.targets = target_regions(options_, model());
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--genes: ") + e.what());
        }
        if (info_.targets.empty())
            throw UsageError("no target exons for --genes/--exons (KIT has exons 1-21, PDGFRA 2-23)");
    }

    void resolve_samples() {
        const int n = sam_hdr_count_lines(header_.get(), "RG");
        std::vector<std::string> all;                             // distinct SMs, header order
        std::vector<std::pair<std::string, std::string>> groups;  // ID, SM
        for (int i = 0; i < n; ++i) {
            KStringHolder id, sm;
            if (sam_hdr_find_tag_pos(header_.get(), "RG", i, "ID", &id.ks) != 0) continue;
            const bool has_sm = sam_hdr_find_tag_pos(header_.get(), "RG", i, "SM", &sm.ks) == 0;
            groups.emplace_back(id.str(), has_sm ? sm.str() : "");
            if (has_sm && std::find(all.begin(), all.end(), sm.str()) == all.end()) all.push_back(sm.str());
        }
        std::vector<std::string> chosen;
        if (!options_.samples.empty()) {
            for (const auto& s : options_.samples)
                if (std::find(all.begin(), all.end(), s) != all.end()) chosen.push_back(s);
            if (chosen.empty())
                throw InputError(
                    {options_.path, 0, 0, ""}, "none of the --samples is a read-group SM in the header",
                    all.empty() ? "the file has no @RG SM tags" : "samples present: " + join(all));
            for (const auto& [id, sm] : groups)
                if (std::find(chosen.begin(), chosen.end(), sm) != chosen.end()) keep_groups_.insert(id);
            filter_groups_ = chosen.size() < all.size();
        } else {
            chosen = all;
            if (all.size() > 1)
                diag_.warn("pooled_samples", options_.path + ": reads of " + std::to_string(all.size()) +
                                                 " samples (" + join(all) +
                                                 ") are counted together; select with --samples");
        }
        sample_ = chosen.empty() ? file_stem(options_.path) : join(chosen);
        info_.samples = {sample_};
    }

    static std::string join(const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
        return out;
    }

    SourceLocation where(const bam1_t* b) const {
        return {options_.path, 0, 0, info_.contig + ":" + std::to_string(b->core.pos + 1)};
    }

    bool keep_group(const bam1_t* b) const {
        if (!filter_groups_) return true;
        const std::uint8_t* rg = bam_aux_get(b, "RG");
        const char* id = rg ? bam_aux2Z(rg) : nullptr;
        return id && keep_groups_.count(id) > 0;
    }

    // Skippable problems: a warning with a count, --strict: an error.
    void problem(const bam1_t* b, const std::string& kind, const std::string& what, const std::string& hint) {
        if (options_.strict) throw InputError(where(b), what, hint);
        diag_.warn(kind, where(b).to_string() + ": " + what + "; " + hint);
        diag_.count(kind);
    }

    void feed(ReadCounter& counter, const bam1_t* b) {
        if (b->core.pos < last_pos0_)
            throw InputError(where(b),
                             "reads are not sorted by coordinate (" + std::to_string(b->core.pos + 1) +
                                 " comes after " + std::to_string(last_pos0_ + 1) + ")",
                             "sort with 'samtools sort'");
        last_pos0_ = b->core.pos;
        if (!keep_group(b)) return;
        // Bounds (limits.hpp): one absurd record must not cost the run its memory or time.
        const std::int64_t span = bam_endpos(b) - b->core.pos;
        if (b->core.l_qseq > kMaxReadLength || span > kMaxReadSpan) {
            problem(b, "read_too_long",
                    "read '" + std::string(bam_get_qname(b)) + "' has " + std::to_string(b->core.l_qseq) +
                        " bases over " + std::to_string(span) + " reference bases, beyond the bounds (" +
                        std::to_string(kMaxReadLength) + " bases, " + std::to_string(kMaxReadSpan) +
                        " reference bases); read skipped",
                    "check the aligner's CIGAR output");
            return;
        }
        ReadView r;
        r.name = std::string_view(bam_get_qname(b));
        r.flag = b->core.flag;
        r.pos0 = b->core.pos;
        r.mapq = b->core.qual;
        r.mate_pos0 = b->core.mtid == b->core.tid ? b->core.mpos : -1;
        r.cigar = bam_get_cigar(b);
        r.cigar_ops = b->core.n_cigar;
        r.seq = bam_get_seq(b);
        r.qual = bam_get_qual(b);
        r.length = b->core.l_qseq;
        counter.add(r);
    }

    void read_failed(int rc, const bam1_t* b) const {
        throw InputError(
            b && b->core.tid >= 0 ? where(b) : SourceLocation{options_.path, 0, 0, ""},
            "cannot read a record (htslib error " + std::to_string(rc) + ": truncated or corrupt file)",
            info_.format == InputFormat::kCram ? "check that -f is the reference the CRAM was written with"
            : index_
                ? "check the file with 'samtools quickcheck'; if it is fine, the index may belong to another "
                  "version of it: re-index with 'samtools index'"
                : "check the file with 'samtools quickcheck'");
    }

    void read_indexed(ReadCounter& counter, bam1_t* b) {
        std::vector<std::string> regions;
        for (const auto& iv : to_intervals(info_.targets))
            regions.push_back(info_.contig + ":" + std::to_string(iv.begin + 1) + "-" +
                              std::to_string(iv.end));
        std::vector<char*> argv;
        for (auto& r : regions) argv.push_back(r.data());
        detail::HtsItrPtr itr(
            sam_itr_regarray(index_.get(), header_.get(), argv.data(), static_cast<unsigned>(argv.size())));
        if (!itr)
            throw InputError({options_.path, 0, 0, ""}, "cannot query the index for the target regions",
                             "re-index with 'samtools index'");
        int rc;
        while ((rc = sam_itr_next(file_.get(), itr.get(), b)) >= 0) {
            ++info_.records_read;
            if (b->core.tid != tid_) continue;
            feed(counter, b);
        }
        if (rc < -1) read_failed(rc, b);
    }

    void read_streaming(ReadCounter& counter, bam1_t* b) {
        const bool is_stdin = options_.path == "-";
        const std::int64_t last_end =
            info_.targets.empty()
                ? 0
                : std::max_element(info_.targets.begin(), info_.targets.end(),
                                   [](const auto& x, const auto& y) { return x.end < y.end; })
                      ->end;
        bool past_targets = false;
        int rc;
        int last_tid = -1;
        while ((rc = sam_read1(file_.get(), header_.get(), b)) >= 0) {
            ++info_.records_read;
            if (past_targets) continue;  // stdin: drain the pipe without decoding further
            const int tid = b->core.tid;
            if (tid >= 0 && tid < last_tid)
                throw InputError(where(b), "reads are not sorted by coordinate (contig order goes back)",
                                 "sort with 'samtools sort'");
            if (tid >= 0) last_tid = tid;
            if (tid != tid_) {
                if ((tid > tid_ || tid < 0) && last_tid >= tid_) {
                    if (!is_stdin) break;
                    past_targets = true;
                }
                continue;
            }
            if (b->core.pos >= last_end) {
                // Nothing further on chr4 can touch a target.
                if (!is_stdin) break;
                past_targets = true;
                continue;
            }
            feed(counter, b);
        }
        if (rc < -1) read_failed(rc, b);
    }

    detail::HtsFilePtr file_;
    const SourceOptions& options_;
    Diagnostics& diag_;
    detail::SamHdrPtr header_;
    detail::HtsIdxPtr index_;
    SourceInfo info_;
    int tid_ = -1;
    std::string sample_;
    bool filter_groups_ = false;
    std::unordered_set<std::string> keep_groups_;
    std::int64_t last_pos0_ = -1;
};

detail::HtsFilePtr open_alignment_file(const std::string& path) {
    detail::HtsFilePtr file = detail::open_hts_file(
        path, "not a BAM, CRAM or SAM file (unrecognised binary data)", "check the file");
    const htsFormat* fmt = hts_get_format(file.get());
    if (fmt->format != bam && fmt->format != cram && fmt->format != sam) {
        char* description = hts_format_description(fmt);  // malloc'ed by htslib
        const std::string detected = description ? description : "unknown";
        std::free(description);
        throw InputError({path, 0, 0, ""}, "not a BAM, CRAM or SAM file (detected: " + detected + ")",
                         fmt->format == vcf || fmt->format == bcf ? "variant files go to 'kitrx annotate'"
                                                                  : "check the file");
    }
    return file;
}

void report_stats(const CountStats& s, const SourceInfo& info, Diagnostics& diag) {
    diag.count("bam_reads_read", info.records_read);
    diag.count("bam_reads_in_targets", s.reads_in_targets);
    diag.count("bam_reads_counted", s.reads_counted);
    diag.count("bam_fragments", s.fragments);
    diag.count("bam_overlapping_pairs", s.overlapping_pairs);
    diag.note(info.path + ": " + std::to_string(s.reads_in_targets) + " reads in targets, " +
              std::to_string(s.reads_counted) + " counted as " + std::to_string(s.fragments) +
              " fragments (" + std::to_string(s.overlapping_pairs) +
              " overlapping pairs); skipped: duplicate " + std::to_string(s.filtered_duplicate) +
              ", secondary " + std::to_string(s.filtered_secondary) + ", supplementary " +
              std::to_string(s.filtered_supplementary) + ", QC-fail " + std::to_string(s.filtered_qcfail) +
              ", MAPQ " + std::to_string(s.filtered_mapq) + "; at most " +
              std::to_string(s.max_pending_mates) + " reads waited for their mate at once" +
              (info.used_index ? " (indexed)" : " (streamed)"));
}

class BamSource final : public ObservationSource {
public:
    BamSource(detail::HtsFilePtr file, const SourceOptions& options, Diagnostics& diag)
        : options_(options), diag_(diag), reader_(std::move(file), options_, diag) {
        // Check everything before streaming: the noise table is read now.
        background_ = load_background(options_.count, reader_.info().build, diag);
    }

    [[nodiscard]] const SourceInfo& info() const override {
        return info_.path.empty() ? reader_.info() : info_;
    }

    void run(const std::function<void(Observation&&)>& sink) override {
        auto [table, stats] = reader_.count();
        info_ = reader_.info();
        report_stats(stats, info_, diag_);
        const BamCountResult counts{info_, reader_.sample(), std::move(table), stats};
        BamCalls called = call_bam(counts, background_, options_);
        const auto& calls = called.alleles;
        const std::string af_source =
            options_.count.count_overlapping_mates_once ? "BAM:fragments" : "BAM:reads";
        std::int64_t index = 0;
        for (const AlleleCall& c : calls) {
            if (!c.called) continue;
            Observation o;
            o.sample = reader_.sample();
            o.chrom = info_.contig;
            o.pos0 = c.allele.pos0;
            o.ref = c.allele.ref;
            o.alt = c.allele.alt;
            o.alt_reads = c.allele.total();
            o.depth = c.depth;
            o.vaf = c.vaf;
            o.af_source = af_source;
            o.alt_fwd = c.allele.fwd;
            o.alt_rev = c.allele.rev;
            o.filter = c.strand_bias ? "strand_bias" : "PASS";
            o.record_id = info_.contig + ":" + std::to_string(c.allele.pos0 + 1);
            o.record_index = index++;
            sink(std::move(o));
        }
        hotspots_ = std::move(called.hotspots);
        exons_ = exon_depths(counts.table);
    }

    [[nodiscard]] std::vector<HotspotStatus> hotspot_status() const override { return hotspots_; }
    [[nodiscard]] std::vector<ExonCoverage> exon_coverage() const override { return exons_; }

private:
    SourceOptions options_;
    Diagnostics& diag_;
    BamReader reader_;
    SourceInfo info_;
    BackgroundModel background_;
    std::vector<HotspotStatus> hotspots_;
    std::vector<ExonCoverage> exons_;

    // The background used for the LoD is the global rate: a per-position table describes single
    // alleles, an exon summary has no one allele to look up.
    [[nodiscard]] std::vector<ExonCoverage> exon_depths(const CountTable& table) const {
        std::vector<ExonCoverage> out;
        for (const TargetRegion& t : info_.targets) {
            ExonCoverage e;
            e.sample = reader_.sample();
            e.gene = t.gene;
            e.exon = t.exon;
            e.begin = t.begin;
            e.end = t.end;
            e.floor = options_.count.min_depth;
            std::vector<std::int64_t> depths;
            for (std::int64_t p = t.begin; p < t.end; ++p) depths.push_back(table.depth_at(p));
            e.bases = static_cast<std::int64_t>(depths.size());
            if (!depths.empty()) {
                e.min_depth_observed = *std::min_element(depths.begin(), depths.end());
                for (auto d : depths)
                    if (d >= std::max<std::int64_t>(1, e.floor)) ++e.bases_at_floor;
                std::sort(depths.begin(), depths.end());
                const std::size_t n = depths.size();
                e.median_depth =
                    n % 2
                        ? static_cast<double>(depths[n / 2])
                        : (static_cast<double>(depths[n / 2 - 1]) + static_cast<double>(depths[n / 2])) / 2.0;
                e.lod_vaf = limit_of_detection(static_cast<std::int64_t>(e.median_depth),
                                               options_.count.background_error, options_.count);
            }
            out.push_back(std::move(e));
        }
        return out;
    }
};

}  // namespace

namespace detail {

std::unique_ptr<ObservationSource> make_bam_source(HtsFilePtr file,
                                                   const SourceOptions& options,
                                                   Diagnostics& diag) {
    return std::make_unique<BamSource>(std::move(file), options, diag);
}

}  // namespace detail

struct BamCounting::Impl {
    SourceOptions options;
    Diagnostics& diag;
    BamReader reader;
    Impl(const SourceOptions& o, Diagnostics& d)
        : options(o), diag(d), reader(open_alignment_file(options.path), options, d) {}
};

BamCounting::BamCounting(const SourceOptions& options, Diagnostics& diag)
    : impl_(std::make_unique<Impl>(options, diag)) {}
BamCounting::~BamCounting() = default;
const SourceInfo& BamCounting::info() const {
    return impl_->reader.info();
}
const std::string& BamCounting::sample() const {
    return impl_->reader.sample();
}

BamCountResult BamCounting::count() {
    auto [table, stats] = impl_->reader.count();
    BamCountResult result{impl_->reader.info(), impl_->reader.sample(), std::move(table), stats};
    report_stats(stats, result.info, impl_->diag);
    return result;
}

BamCountResult count_bam(const SourceOptions& options, Diagnostics& diag) {
    return BamCounting(options, diag).count();
}

BackgroundModel load_background(const CountOptions& options, Build build, Diagnostics& diag) {
    if (options.noise_table.empty()) return BackgroundModel(options.background_error);
    return BackgroundModel::load(options.noise_table, options.background_error,
                                 GenomeModel::builtin(build).reference(), diag);
}

BamCalls call_bam(const BamCountResult& counts,
                  const BackgroundModel& background,
                  const SourceOptions& options) {
    BamCalls out;
    out.alleles = evaluate_alleles(counts.table, background, options.count);
    out.hotspots =
        evaluate_hotspots(builtin_hotspots(), options.genes, GenomeModel::builtin(counts.info.build),
                          counts.table, out.alleles, background, options.count, counts.info.contig);
    for (auto& h : out.hotspots) h.sample = counts.sample;
    return out;
}

}  // namespace kitrx
