// SPDX-License-Identifier: MIT
#include "kitrx/io/vcf_writer.hpp"

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "io/hts_util.hpp"
#include "kitrx/common/output_file.hpp"

namespace kitrx {

namespace {

std::string allele_key(const std::string& chrom,
                       std::int64_t pos0,
                       const std::string& ref,
                       const std::string& alt) {
    return chrom + ':' + std::to_string(pos0) + ':' + ref + ':' + alt;
}

std::string upper(const char* s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

struct InfoField {
    const char* id;
    const char* description;
};

constexpr InfoField kFields[] = {
    {"KITRX_GENE", "kitrx: gene (KIT/PDGFRA)"},
    {"KITRX_EXON", "kitrx: exon affected on the pinned transcript"},
    {"KITRX_HGVSC", "kitrx: HGVS c. on NM_000222.3 (KIT) / NM_006206.4 (PDGFRA), 3'-shifted"},
    {"KITRX_HGVSP", "kitrx: HGVS p. (3-letter)"},
    {"KITRX_PROTEIN", "kitrx: short protein change (e.g. D816V)"},
    {"KITRX_CSQ", "kitrx: consequence class"},
    {"KITRX_ROLE", "kitrx: primary/secondary role in the first sample carrying the allele"},
    {"KITRX_RULE", "kitrx: activity-panel rule that matched"},
    {"KITRX_ACTIVITY", "kitrx: per-drug activity, drug:call separated by |"},
};

std::string field_value(const AnnotatedVariant& a, const ActivityPanel& panel, std::size_t field) {
    const VariantName& n = a.variant.name;
    auto dot = [](const std::string& s) { return s.empty() ? std::string(".") : s; };
    switch (field) {
        case 0:
            return dot(n.gene);
        case 1:
            return n.exon > 0 ? std::to_string(n.exon) : ".";
        case 2:
            return dot(n.hgvs_c);
        case 3:
            return dot(n.hgvs_p);
        case 4:
            return dot(n.protein);
        case 5:
            return to_string(n.consequence);
        case 6:
            return to_string(a.variant.role);
        case 7:
            return a.match.rule ? a.match.rule->id : ".";
        default: {
            std::string s;
            for (std::size_t i = 0; i < panel.drugs().size(); ++i) {
                const Activity act =
                    i < a.match.calls.size() ? a.match.calls[i].activity : Activity::kUnknown;
                s += (i ? "|" : "") + panel.drugs()[i].id + ":" + to_string(act);
            }
            return s.empty() ? "." : s;
        }
    }
}

}  // namespace

void write_annotated_vcf(const std::string& input_path,
                         const std::vector<AnnotatedVariant>& variants,
                         const ActivityPanel& panel,
                         const std::string& output_path,
                         char mode,
                         const Provenance& provenance,
                         int threads) {
    std::unordered_map<std::string, const AnnotatedVariant*> by_allele;
    for (const auto& a : variants) {
        const Observation& o = a.variant.observation;
        by_allele.emplace(allele_key(o.chrom, o.pos0, o.ref, o.alt), &a);
    }
    detail::HtsFilePtr in(hts_open(input_path.c_str(), "r"));
    if (!in) throw IoError("cannot open '" + input_path + "': " + std::strerror(errno ? errno : EIO));
    if (threads > 0) hts_set_threads(in.get(), threads);
    detail::BcfHdrPtr hdr(bcf_hdr_read(in.get()));
    if (!hdr) throw InputError({input_path, 0, 0, ""}, "cannot read the VCF header");
    detail::BcfHdrPtr out_hdr(bcf_hdr_dup(hdr.get()));
    for (const auto& f : kFields) {
        const std::string line = std::string("##INFO=<ID=") + f.id + ",Number=A,Type=String,Description=\"" +
                                 f.description + "\">";
        bcf_hdr_remove(out_hdr.get(), BCF_HL_INFO, f.id);
        if (bcf_hdr_append(out_hdr.get(), line.c_str()) != 0)
            throw IoError("cannot add header line for " + std::string(f.id));
    }
    for (const auto& [key, value] : provenance.items) {
        if (key == "notice" || key == "kitrx_version" || key == "kitrx_command" || key == "panel") {
            const std::string line =
                "##kitrx_" + (key.rfind("kitrx_", 0) == 0 ? key.substr(6) : key) + "=" + printable(value);
            bcf_hdr_append(out_hdr.get(), line.c_str());
        }
    }
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
    std::vector<std::string> values(std::size(kFields));
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
            const auto it = by_allele.find(allele_key(chrom, rec->pos, ref, upper(rec->d.allele[i])));
            for (std::size_t f = 0; f < values.size(); ++f) {
                if (i > 1) values[f] += ',';
                values[f] += it == by_allele.end() ? "." : field_value(*it->second, panel, f);
            }
            any = any || it != by_allele.end();
        }
        if (bcf_translate(out_hdr.get(), hdr.get(), rec.get()) != 0)
            throw IoError("cannot translate a VCF record");
        if (any)
            for (std::size_t f = 0; f < values.size(); ++f)
                bcf_update_info_string(out_hdr.get(), rec.get(), kFields[f].id, values[f].c_str());
        if (bcf_write(out.get(), out_hdr.get(), rec.get()) != 0) write_failed("");
    }
    errno = 0;
    if (hts_close(out.release()) != 0) write_failed("");
}

}  // namespace kitrx
