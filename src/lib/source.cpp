// SPDX-License-Identifier: MIT
#include "kitrx/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <htslib/tbx.h>
#include <sys/stat.h>

#include "hts_util.hpp"

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
    detail::HtsFilePtr file =
        detail::open_hts_file(path, "not a VCF, BCF, BAM or CRAM file (unrecognised binary data)",
                              "kitrx reads VCF/BCF (plain, bgzip) and BAM/CRAM; check the file");
    const htsFormat* fmt = hts_get_format(file.get());
    switch (fmt->format) {
        case vcf:
        case bcf:
            return detail::make_vcf_source(std::move(file), options, diag);
        case bam:
        case cram:
        case sam:
            return detail::make_bam_source(std::move(file), options, diag);
        default:
            break;
    }
    // hts_format_description() returns malloc'ed memory (found by fuzz_vcf as a leak).
    char* text = hts_format_description(fmt);
    const std::string description = text ? text : "unknown";
    std::free(text);
    if (fmt->category == unknown_category || fmt->format == unknown_format || fmt->format == text_format ||
        fmt->format == empty_format)
        throw InputError({path, 0, 0, ""}, "not a VCF, BCF, BAM or CRAM file (detected: " + description + ")",
                         "kitrx reads VCF/BCF (plain, bgzip) and BAM/CRAM; check the file");
    throw InputError({path, 0, 0, ""}, "unsupported input format: " + description,
                     "kitrx reads VCF/BCF (plain, bgzip) and BAM/CRAM");
}

}  // namespace kitrx
