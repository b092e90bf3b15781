// SPDX-License-Identifier: MIT
// Private: RAII wrappers for htslib handles and the per-format source factories. htslib types
// never leave src/lib.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

#include "kitrx/io/source.hpp"

namespace kitrx::detail {

struct HtsFileCloser {
    void operator()(htsFile* f) const {
        if (f) hts_close(f);
    }
};
struct BcfHdrDeleter {
    void operator()(bcf_hdr_t* h) const {
        if (h) bcf_hdr_destroy(h);
    }
};
struct Bcf1Deleter {
    void operator()(bcf1_t* r) const {
        if (r) bcf_destroy(r);
    }
};
struct SamHdrDeleter {
    void operator()(sam_hdr_t* h) const {
        if (h) sam_hdr_destroy(h);
    }
};
struct Bam1Deleter {
    void operator()(bam1_t* b) const {
        if (b) bam_destroy1(b);
    }
};
struct HtsIdxDeleter {
    void operator()(hts_idx_t* i) const {
        if (i) hts_idx_destroy(i);
    }
};
struct HtsItrDeleter {
    void operator()(hts_itr_t* i) const {
        if (i) hts_itr_destroy(i);
    }
};
struct TbxDeleter {
    void operator()(tbx_t* t) const;
};

// The first existing index next to `path` (path + suffix, and for ".bai" also the name without
// its .bam/.cram extension) whose modification time is before the file's, or "" when none is.
// htslib only logs this; kitrx then reads the file without the index (see the readers).
[[nodiscard]] std::string older_index(const std::string& path, const std::vector<std::string>& suffixes);

using HtsFilePtr = std::unique_ptr<htsFile, HtsFileCloser>;
using BcfHdrPtr = std::unique_ptr<bcf_hdr_t, BcfHdrDeleter>;
using Bcf1Ptr = std::unique_ptr<bcf1_t, Bcf1Deleter>;
using SamHdrPtr = std::unique_ptr<sam_hdr_t, SamHdrDeleter>;
using Bam1Ptr = std::unique_ptr<bam1_t, Bam1Deleter>;
using HtsIdxPtr = std::unique_ptr<hts_idx_t, HtsIdxDeleter>;
using HtsItrPtr = std::unique_ptr<hts_itr_t, HtsItrDeleter>;

// Opens `path` ("-" = stdin) for reading: IoError for a missing file or a directory (with
// strerror), InputError `unrecognised` (+ `hint`) for content htslib cannot classify, which it
// reports as ENOEXEC ("Exec format error" would puzzle a user).
HtsFilePtr open_hts_file(const std::string& path, const std::string& unrecognised, const std::string& hint);

// Factories called by open_source() with the already-opened file (format known; for stdin the
// bytes peeked by format detection are still in htslib's buffer).
std::unique_ptr<ObservationSource> make_vcf_source(HtsFilePtr file,
                                                   const SourceOptions& options,
                                                   Diagnostics& diag);
std::unique_ptr<ObservationSource> make_bam_source(HtsFilePtr file,
                                                   const SourceOptions& options,
                                                   Diagnostics& diag);

// Text tables (table_source.cpp). `file` is a text (plain, gzip or bgzip) htsFile; its first lines
// are read to tell a MAF (optional #version lines, then a Hugo_Symbol header) from a TSO500 /
// DRAGEN CombinedVariantOutput ([Section] lines). `forced`: --input-format maf|tso500, else kAuto.
// Returns nullptr (file consumed, nothing thrown) when the text is neither and `forced` is kAuto.
std::unique_ptr<ObservationSource> make_table_source(HtsFilePtr file,
                                                     InputFormatChoice forced,
                                                     const SourceOptions& options,
                                                     Diagnostics& diag);

}  // namespace kitrx::detail
