// SPDX-License-Identifier: MIT
#include "kitrx/io/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <htslib/tbx.h>
#include <sys/stat.h>

#include "io/hts_util.hpp"

namespace kitrx {

void detail::TbxDeleter::operator()(tbx_t* t) const {
    if (t) tbx_destroy(t);
}

std::string detail::older_index(const std::string& path, const std::vector<std::string>& suffixes) {
    struct stat data {};
    if (path == "-" || ::stat(path.c_str(), &data) != 0) return "";
    std::vector<std::string> candidates;
    for (const auto& suffix : suffixes) {
        candidates.push_back(path + suffix);
        const auto dot = path.rfind('.');
        if (suffix == ".bai" && dot != std::string::npos && path.find('/', dot) == std::string::npos)
            candidates.push_back(path.substr(0, dot) + suffix);
    }
    for (const auto& index : candidates) {
        struct stat st {};
        if (::stat(index.c_str(), &st) != 0) continue;
        // Whole seconds, as htslib compares: files written in the same second (a fresh checkout,
        // `samtools index` right after `samtools sort`) are not stale.
        return st.st_mtime < data.st_mtime ? index : "";  // the first existing one is what htslib loads
    }
    return "";
}

std::string to_string(InputFormat f) {
    switch (f) {
        case InputFormat::kVcf:
            return "VCF";
        case InputFormat::kBcf:
            return "BCF";
        case InputFormat::kBam:
            return "BAM";
        case InputFormat::kCram:
            return "CRAM";
        case InputFormat::kSam:
            return "SAM";
        case InputFormat::kMaf:
            return "MAF";
        case InputFormat::kTso500:
            return "TSO500";
    }
    return "?";
}

std::string hotspot_state(const HotspotStatus& h) {
    if (h.detected) return "detected";
    if (!h.assessed) return "not_assessed";
    return h.depth < std::max<std::int64_t>(1, h.min_depth) ? "not_covered" : "not_detected";
}

std::string exon_state(const ExonCoverage& e) {
    if (!e.assessed) return "not_assessed";
    if (e.bases <= 0 || e.bases_at_floor <= 0) return "not_covered";
    return e.bases_at_floor == e.bases ? "covered" : "partially_covered";
}

std::vector<TargetRegion> target_regions(const SourceOptions& options, const GenomeModel& model) {
    if (options.gene_exons.empty()) return model.targets(options.genes, options.exons);
    std::vector<TargetRegion> out;
    for (const auto& gene : options.genes) {
        const auto named = options.gene_exons.find(gene);
        std::vector<int> exons = options.exons;
        if (named != options.gene_exons.end())
            for (int e : named->second)
                if (std::find(exons.begin(), exons.end(), e) == exons.end()) exons.push_back(e);
        for (auto& t : model.targets({gene}, exons)) out.push_back(std::move(t));
    }
    std::sort(out.begin(), out.end(),
              [](const TargetRegion& a, const TargetRegion& b) { return a.begin < b.begin; });
    return out;
}

std::optional<InputFormatChoice> parse_input_format(const std::string& text) {
    if (text == "auto") return InputFormatChoice::kAuto;
    if (text == "vcf") return InputFormatChoice::kVcf;
    if (text == "bam") return InputFormatChoice::kBam;
    if (text == "maf") return InputFormatChoice::kMaf;
    if (text == "tso500") return InputFormatChoice::kTso500;
    return std::nullopt;
}

detail::HtsFilePtr detail::open_hts_file(const std::string& path,
                                         const std::string& unrecognised,
                                         const std::string& hint) {
    if (path != "-") {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0)
            throw IoError("cannot open '" + path + "': " + std::strerror(errno));
        if (S_ISDIR(st.st_mode)) throw IoError("cannot open '" + path + "': is a directory");
    }
    errno = 0;
    HtsFilePtr file(hts_open(path.c_str(), "r"));
    if (!file && errno == ENOEXEC) throw InputError({path, 0, 0, ""}, unrecognised, hint);
    if (!file) throw IoError("cannot open '" + path + "': " + std::strerror(errno ? errno : EIO));
    return file;
}

std::unique_ptr<ObservationSource> open_source(const SourceOptions& options, Diagnostics& diag) {
    const std::string& path = options.path;
    const std::string hint =
        "kitrx reads VCF/BCF (plain, bgzip), BAM/CRAM, MAF and TSO500 CombinedVariantOutput; "
        "check the file";
    detail::HtsFilePtr file =
        detail::open_hts_file(path, "not a VCF, BCF, BAM or CRAM file (unrecognised binary data)", hint);
    // A copy: the file may be handed to a table reader that gives it back closed (not a table),
    // and the format must still be readable for the error message (use-after-free found by
    // fuzz_vcf/fuzz_table/fuzz_report).
    const htsFormat format_copy = *hts_get_format(file.get());
    const htsFormat* fmt = &format_copy;
    // hts_format_description() returns malloc'ed memory (found by fuzz_vcf as a leak).
    char* text = hts_format_description(fmt);
    const std::string description = text ? text : "unknown";
    std::free(text);
    const InputFormatChoice forced = options.input_format;
    const bool is_vcf = fmt->format == vcf || fmt->format == bcf;
    const bool is_reads = fmt->format == bam || fmt->format == cram || fmt->format == sam;
    // Tables are read line by line through htslib (hts_getline), which handles plain, gzip and bgzip
    // text only: never hand it a BAM or CRAM stream.
    const bool is_text =
        (fmt->compression == no_compression || fmt->compression == gzip || fmt->compression == bgzf) &&
        (fmt->format == text_format || fmt->format == unknown_format || fmt->format == empty_format ||
         fmt->format == vcf || fmt->format == sam);
    auto wrong = [&](const std::string& wanted) {
        return InputError({path, 0, 0, ""}, "--input-format " + wanted + " but the file is " + description,
                          "use --input-format auto to detect the format from the content");
    };
    switch (forced) {
        case InputFormatChoice::kVcf:
            if (!is_vcf) throw wrong("vcf");
            return detail::make_vcf_source(std::move(file), options, diag);
        case InputFormatChoice::kBam:
            if (!is_reads) throw wrong("bam");
            return detail::make_bam_source(std::move(file), options, diag);
        case InputFormatChoice::kMaf:
        case InputFormatChoice::kTso500:
            if (!is_text) throw wrong(forced == InputFormatChoice::kMaf ? "maf" : "tso500");
            return detail::make_table_source(std::move(file), forced, options, diag);
        case InputFormatChoice::kAuto:
            break;
    }
    if (is_vcf) return detail::make_vcf_source(std::move(file), options, diag);
    if (is_reads) return detail::make_bam_source(std::move(file), options, diag);
    if (fmt->format == text_format && is_text) {
        if (auto table = detail::make_table_source(std::move(file), InputFormatChoice::kAuto, options, diag))
            return table;
    }
    if (fmt->category == unknown_category || fmt->format == unknown_format || fmt->format == text_format ||
        fmt->format == empty_format)
        throw InputError({path, 0, 0, ""}, "not a VCF, BCF, BAM or CRAM file (detected: " + description + ")",
                         "kitrx reads VCF/BCF (plain, bgzip), BAM/CRAM, MAF (Hugo_Symbol header) and TSO500 "
                         "CombinedVariantOutput ([Small Variants]); check the file");
    throw InputError({path, 0, 0, ""}, "unsupported input format: " + description,
                     "kitrx reads VCF/BCF (plain, bgzip), BAM/CRAM, MAF and TSO500 CombinedVariantOutput");
}

}  // namespace kitrx
