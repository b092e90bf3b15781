// SPDX-License-Identifier: MIT
// text_file (io): whole small text files (truth sets, variants tables, acceptance criteria),
// plain or gzip-compressed, and gzip output of a finished table. zlib is included only here
// (src/lib/io/text_file.cpp), like htslib only in io.
#pragma once

#include <cstddef>
#include <string>

namespace kitrx {

// The whole file, decompressed when it is gzip (detected from content); IoError when it cannot be
// opened or read ("cannot open <what> '<path>': <reason>").
[[nodiscard]] std::string read_text_file(const std::string& path, const std::string& what = "");
// Up to `n` decompressed bytes from the start of the file (format sniffing); IoError when it
// cannot be opened.
[[nodiscard]] std::string read_text_prefix(const std::string& path, std::size_t n);
// `data` as one gzip member (RFC 1952), for `-O g` table output.
[[nodiscard]] std::string gzip_compress(const std::string& data);

}  // namespace kitrx
