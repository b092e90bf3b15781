// SPDX-License-Identifier: MIT
// Subcommand registry: each src/cli/<name>.cpp registers itself with a static Registrar, so adding a
// subcommand touches no other file. Commands return an ExitCode and throw UsageError / InputError /
// IoError, which main() turns into one stderr line and the documented exit code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kitrx/errors.hpp"

namespace kitrx::cli {

struct Command {
    std::string name;     // "annotate", "panel", ...
    std::string summary;  // one line for `kitrx --help`
    std::function<ExitCode(const std::vector<std::string>& args, Diagnostics& diag)> run;
};

std::vector<Command>& registry();

struct Registrar {
    explicit Registrar(Command command) { registry().push_back(std::move(command)); }
};

}  // namespace kitrx::cli
