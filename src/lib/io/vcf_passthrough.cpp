// SPDX-License-Identifier: MIT
#include "kitrx/io/vcf_passthrough.hpp"

#include <cerrno>
#include <cstring>

#include "io/hts_util.hpp"
#include "kitrx/common/output_file.hpp"
#include "kitrx/common/text.hpp"

namespace kitrx {

std::string vcf_allele_key(const std::string& chrom,
                           std::int64_t pos0,
                           const std::string& ref,
                           const std::string& alt) {
    return chrom + ':' + std::to_string(pos0) + ':' + ref + ':' + alt;
}

void write_vcf_with_info(const std::string& input_path,
                         const VcfAnnotation& annotation,
                         const std::string& output_path,
                         char mode,
                         int threads) {
    detail::HtsFilePtr in(hts_open(input_path.c_str(), "r"));
    if (!in) throw IoError("cannot open '" + input_path + "': " + std::strerror(errno ? errno : EIO));
    if (threads > 0) hts_set_threads(in.get(), threads);
    detail::BcfHdrPtr hdr(bcf_hdr_read(in.get()));
    if (!hdr) throw InputError({input_path, 0, 0, ""}, "cannot read the VCF header");
    detail::BcfHdrPtr out_hdr(bcf_hdr_dup(hdr.get()));
    for (const auto& f : annotation.fields) {
        const std::string line =
            "##INFO=<ID=" + f.id + ",Number=A,Type=String,Description=\"" + f.description + "\">";
        bcf_hdr_remove(out_hdr.get(), BCF_HL_INFO, f.id.c_str());
        if (bcf_hdr_append(out_hdr.get(), line.c_str()) != 0)
            throw IoError("cannot add header line for " + f.id);
    }
    for (const auto& line : annotation.header_lines) bcf_hdr_append(out_hdr.get(), line.c_str());
    if (bcf_hdr_sync(out_hdr.get()) < 0) throw IoError("cannot prepare the output VCF header");
    const char* wmode = mode == 'b' ? "wb" : mode == 'z' ? "wz" : "w";
    // On stdout htslib's own messages about a failed write would only repeat ours (or break the
    // quiet end of `| head`): silenced while writing, restored on every way out (declared before `out`, so
    // it outlives the htsFile closed during unwinding).
    struct LogLevel {
        explicit LogLevel(bool silence) : saved(hts_get_log_level()) {
            if (silence) hts_set_log_level(HTS_LOG_OFF);
        }
        ~LogLevel() { hts_set_log_level(saved); }
        LogLevel(const LogLevel&) = delete;
        LogLevel& operator=(const LogLevel&) = delete;
        enum htsLogLevel saved;
    } log_level(output_path == "-");
    detail::HtsFilePtr out(hts_open(output_path.c_str(), wmode));
    if (!out) throw IoError("cannot write '" + output_path + "': " + std::strerror(errno ? errno : EIO));
    if (threads > 0) hts_set_threads(out.get(), threads);
    // A closed stdout (`| head`) ends the run quietly like the TSV writers (BrokenPipe, exit 0).
    auto write_failed = [&output_path](const std::string& what) {
        const int err = errno;
        if (output_path == "-" && err == EPIPE) throw BrokenPipe();
        throw IoError("cannot write " + what + "'" + output_path + "': " + std::strerror(err ? err : EIO));
    };
    errno = 0;
    if (bcf_hdr_write(out.get(), out_hdr.get()) != 0) write_failed("the VCF header to ");
    detail::Bcf1Ptr rec(bcf_init());
    const std::size_t n_fields = annotation.fields.size();
    std::vector<std::string> values(n_fields);
    while (true) {
        const int rc = bcf_read(in.get(), hdr.get(), rec.get());
        if (rc == -1) break;
        if (rc < -1 || rec->errcode)
            throw InputError({input_path, 0, 0, ""},
                             "malformed or truncated record while writing the annotated VCF");
        bcf_unpack(rec.get(), BCF_UN_STR);
        bool any = false;
        for (auto& v : values) v.clear();
        const std::string chrom = bcf_seqname_safe(hdr.get(), rec.get());
        const std::string ref = upper(rec->d.allele[0]);
        for (int i = 1; i < rec->n_allele; ++i) {
            const auto it =
                annotation.by_allele.find(vcf_allele_key(chrom, rec->pos, ref, upper(rec->d.allele[i])));
            const bool known = it != annotation.by_allele.end();
            for (std::size_t f = 0; f < n_fields; ++f) {
                if (i > 1) values[f] += ',';
                values[f] += known && f < it->second.size() ? it->second[f] : std::string(".");
            }
            any = any || known;
        }
        if (bcf_translate(out_hdr.get(), hdr.get(), rec.get()) != 0)
            throw IoError("cannot translate a VCF record");
        if (any)
            for (std::size_t f = 0; f < n_fields; ++f)
                bcf_update_info_string(out_hdr.get(), rec.get(), annotation.fields[f].id.c_str(),
                                       values[f].c_str());
        if (bcf_write(out.get(), out_hdr.get(), rec.get()) != 0) write_failed("");
    }
    errno = 0;
    if (hts_close(out.release()) != 0) write_failed("");
}

}  // namespace kitrx
