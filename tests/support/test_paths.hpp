// SPDX-License-Identifier: MIT
// Paths to the source tree, the shared real data and the built binary, for tests.
#pragma once

#include <string>

namespace kitrx::test {

inline std::string source_path(const std::string& rel) {
    return std::string(KITRX_SOURCE_DIR) + "/" + rel;
}
inline std::string test_data(const std::string& rel) {
    return source_path("test-data/" + rel);
}
// ../shared next to the repository (CI has it); tests that need it GTEST_SKIP() with a reason when absent.
inline std::string shared_path(const std::string& rel) {
    return std::string(KITRX_SHARED_DIR) + "/" + rel;
}
bool file_exists(const std::string& path);

}  // namespace kitrx::test

#include <sys/stat.h>
inline bool kitrx::test::file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

#define KITRX_REQUIRE_SHARED(rel)                                                                \
    do {                                                                                         \
        if (!kitrx::test::file_exists(kitrx::test::shared_path(rel)))                            \
            GTEST_SKIP() << "shared real data absent: " << kitrx::test::shared_path(rel)         \
                         << " (CI provides ../shared/realdata; copy it there to run this test)"; \
    } while (0)
