// SPDX-License-Identifier: MIT
#include "kitrx/io/text_file.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <zlib.h>

#include "kitrx/common/errors.hpp"

namespace kitrx {

std::string read_text_file(const std::string& path, const std::string& what) {
    const std::string name = what.empty() ? "'" + path + "'" : what + " '" + path + "'";
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) throw IoError("cannot open " + name + ": " + std::strerror(errno));
    std::string text;
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(file, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    int err = 0;
    const char* msg = gzerror(file, &err);
    const std::string message = msg ? msg : "";
    gzclose(file);
    if (n < 0 || (err != Z_OK && err != Z_STREAM_END)) throw IoError("cannot read " + name + ": " + message);
    return text;
}

std::string read_text_prefix(const std::string& path, std::size_t n) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) throw IoError("cannot open '" + path + "': " + std::strerror(errno));
    std::string buf(n, '\0');
    const int got = gzread(file, buf.data(), static_cast<unsigned>(n));
    gzclose(file);
    buf.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return buf;
}

std::string gzip_compress(const std::string& data) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib deflateInit2 failed");
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("zlib deflate failed");
    out.resize(zs.total_out);
    return out;
}

}  // namespace kitrx
