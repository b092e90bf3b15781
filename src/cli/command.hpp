// SPDX-License-Identifier: MIT
// Subcommand registry: each src/cli/<name>.cpp registers itself with a static Registrar, so adding a
// subcommand touches no other file. Commands return an ExitCode and throw UsageError / InputError /
// IoError, which main() turns into one stderr line and the documented exit code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kitrx/common/errors.hpp"
#include "kitrx/common/output_file.hpp"

namespace kitrx::cli {

struct Command {
    std::string name;     // "annotate", "panel", ...
    std::string summary;  // one line for `kitrx --help`
    std::function<ExitCode(const std::vector<std::string>& args, Diagnostics& diag)> run;
};

std::vector<Command>& registry();

// Every command ends with check_stdout(): what it printed must have reached stdout, so that
// `kitrx ... > /dev/full` fails (exit 1) and a closed pipe ends quietly (BrokenPipe, exit 0) even
// for commands that write std::cout directly.
struct Registrar {
    explicit Registrar(Command command) {
        command.run = [run = std::move(command.run)](const std::vector<std::string>& args,
                                                     Diagnostics& diag) {
            const ExitCode code = run(args, diag);
            check_stdout();
            return code;
        };
        registry().push_back(std::move(command));
    }
};

}  // namespace kitrx::cli
