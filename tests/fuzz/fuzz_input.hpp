// SPDX-License-Identifier: MIT
// Shared by the VCF, BAM and table harnesses: the fuzzed bytes become a file (an in-memory memfd, opened
// by path as /proc/self/fd/N) that goes through open_source + annotate_input exactly as
// `kitrx annotate FILE` would run it.
// Contract under test: every input either annotates or throws InputError / IoError / UsageError
// (one clear line for the user); nothing else may escape, crash, leak or trip the sanitizers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <htslib/hts.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kitrx/common/errors.hpp"
#include "kitrx/io/source.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/panel/panel.hpp"

namespace kitrx::fuzz {

// Path of a memfd holding exactly `data`.
inline std::string as_file(const std::uint8_t* data, std::size_t size) {
    static const int fd = [] {
        hts_set_log_level(HTS_LOG_OFF);  // htslib's own messages only slow the fuzzer down
        const int f = ::memfd_create("kitrx-fuzz", 0);
        if (f < 0) std::abort();
        return f;
    }();
    if (::ftruncate(fd, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
        if (n <= 0) std::abort();
        done += static_cast<std::size_t>(n);
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

// The first byte picks options (so that mutations explore --build, --strict, --genes and
// --merge-cis); the rest is the file.
// `table_formats`: bits 64/128 of the first byte also force --input-format maf / tso500 (the table
// harness; otherwise detection from content picks the reader).
inline void annotate_bytes(const std::uint8_t* data, std::size_t size, bool table_formats = false) {
    if (size == 0) return;
    const std::uint8_t flags = data[0];
    SourceOptions source;
    source.path = as_file(data + 1, size - 1);
    if (table_formats && (flags & 64)) source.input_format = InputFormatChoice::kMaf;
    if (table_formats && (flags & 128)) source.input_format = InputFormatChoice::kTso500;
    if (flags & 1) source.build = (flags & 2) ? Build::kGRCh37 : Build::kGRCh38;
    source.strict = (flags & 4) != 0;
    if (flags & 8) source.genes = {"KIT", "PDGFRA"};
    AnnotateOptions annotate;
    annotate.merge_cis = (flags & 16) != 0;
    annotate.pass_only = (flags & 32) != 0;
    Diagnostics diag(nullptr);
    try {
        const AnnotationResult result = annotate_input(source, annotate, default_panel(), diag);
        for (const auto& v : result.variants) (void)v.variant.name.hgvs_c.size();
    } catch (const InputError&) {
    } catch (const IoError&) {
    } catch (const UsageError&) {
    }
}

}  // namespace kitrx::fuzz
