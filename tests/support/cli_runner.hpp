// SPDX-License-Identifier: MIT
// Runs the built kitrx binary through /bin/sh, capturing stdout, stderr and the exit code in files
// of a per-test temporary folder (raptor's execute_app pattern).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include "test_paths.hpp"

namespace kitrx::test {

struct CliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fresh folder under the build tree, removed and recreated per call.
inline std::string temp_dir(const std::string& name) {
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp/" + name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// `args` is appended to the binary path verbatim (shell syntax allowed: quotes, pipes, redirects
// of stdin). Use `${KITRX}` inside `shell` form with run_shell for pipelines.
inline CliResult run_shell(const std::string& command, const std::string& dir) {
    const std::string out = dir + "/stdout", err = dir + "/stderr", script = dir + "/command.sh";
    {
        // The command goes into a script so that it may hold any quoting.
        std::ofstream s(script);
        s << "set -o pipefail\n"
          << "KITRX='" << KITRX_BINARY << "'\nSRC='" << KITRX_SOURCE_DIR << "'\nSHARED='" << KITRX_SHARED_DIR
          << "'\n"
          << command << '\n';
    }
    const std::string full = "cd '" + dir + "' && bash command.sh >'" + out + "' 2>'" + err + "'";
    const int status = std::system(full.c_str());
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

inline CliResult run_kitrx(const std::string& args, const std::string& dir) {
    return run_shell("\"$KITRX\" " + args, dir);
}

}  // namespace kitrx::test
