// SPDX-License-Identifier: MIT
#include "kitrx/common/limits.hpp"

#include <sys/stat.h>

#include "kitrx/common/errors.hpp"

namespace kitrx {

namespace {
std::string megabytes(std::uintmax_t bytes) {
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB";
}
}  // namespace

void check_file_size(const std::string& path, std::uintmax_t max_bytes, const std::string& what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes)
        throw InputError({path, 0, 0, ""},
                         what + " file is " + megabytes(size) + ", larger than the " + megabytes(max_bytes) +
                             " kitrx reads",
                         "is this the right file? (bounds: docs/hardening.md)");
}

}  // namespace kitrx
