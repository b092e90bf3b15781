// SPDX-License-Identifier: MIT
// kitrx entry point: dispatch to a subcommand, map exceptions to one stderr line and an exit code.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <boost/program_options/errors.hpp>

#include "command.hpp"
#include "kitrx/version.hpp"
#include "output.hpp"

namespace kitrx::cli {

std::vector<Command>& registry() {
    static std::vector<Command> commands;
    return commands;
}

}  // namespace kitrx::cli

namespace {

void print_usage(std::ostream& out) {
    auto commands = kitrx::cli::registry();
    std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    out << "kitrx " KITRX_VERSION
           " - KIT/PDGFRA ctDNA variants to a TKI treatment map for imatinib-resistant GIST\n"
           "Research use only: not for clinical decision making.\n\n"
           "Usage: kitrx <command> [options]\n\nCommands:\n";
    for (const auto& c : commands)
        out << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ') << c.summary
            << '\n';
    out << "\nRun 'kitrx <command> --help' for the options of a command.\n"
           "Exit codes: 0 success, 1 bad input or I/O error, 2 usage error, 3 validation failed.\n";
}

}  // namespace

int main(int argc, char** argv) {
    kitrx::cli::install_signal_handlers();
    std::vector<std::string> args(argv + 1, argv + argc);
    kitrx::Diagnostics diag(&std::cerr);
    if (args.empty()) {
        print_usage(std::cerr);
        return static_cast<int>(kitrx::ExitCode::kUsageError);
    }
    // `kitrx --version > /dev/full` must not claim success: the text has to reach stdout.
    auto checked_stdout = [] {
        try {
            kitrx::check_stdout();
            return 0;
        } catch (const kitrx::BrokenPipe&) {
            return 0;
        } catch (const kitrx::IoError& e) {
            std::cerr << "kitrx: error: " << e.what() << '\n';
            return static_cast<int>(kitrx::ExitCode::kInputError);
        }
    };
    if (args[0] == "--version" || args[0] == "-V") {
        std::cout << "kitrx " KITRX_VERSION "\n";
        return checked_stdout();
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_usage(std::cout);
        return checked_stdout();
    }
    const auto& commands = kitrx::cli::registry();
    auto it =
        std::find_if(commands.begin(), commands.end(), [&](const auto& c) { return c.name == args[0]; });
    if (it == commands.end()) {
        std::cerr << "kitrx: error: unknown command '" << kitrx::printable(args[0])
                  << "'; see 'kitrx --help'\n";
        return static_cast<int>(kitrx::ExitCode::kUsageError);
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    auto fail = [&](const std::string& message, kitrx::ExitCode code) {
        kitrx::cli::abort_outputs();
        std::cout.flush();
        // Multi-line messages (a panel with several problems) get the prefix on every line; control
        // bytes from file or sample names are escaped, never sent raw to the terminal.
        std::size_t begin = 0;
        while (begin <= message.size()) {
            const std::size_t end = std::min(message.find('\n', begin), message.size());
            std::cerr << "kitrx: error: " << kitrx::printable(message.substr(begin, end - begin)) << '\n';
            begin = end + 1;
        }
        return static_cast<int>(code);
    };
    try {
        const kitrx::ExitCode code = it->run(rest, diag);
        diag.summarise();
        return static_cast<int>(code);
    } catch (const kitrx::UsageError& e) {
        return fail(std::string(e.what()) + "; see 'kitrx " + args[0] + " --help'",
                    kitrx::ExitCode::kUsageError);
    } catch (const boost::program_options::error& e) {
        return fail(std::string(e.what()) + "; see 'kitrx " + args[0] + " --help'",
                    kitrx::ExitCode::kUsageError);
    } catch (const kitrx::InputError& e) {
        return fail(e.what(), kitrx::ExitCode::kInputError);
    } catch (const kitrx::IoError& e) {
        return fail(e.what(), kitrx::ExitCode::kInputError);
    } catch (const kitrx::BrokenPipe&) {
        kitrx::cli::abort_outputs();
        return 0;  // downstream closed the pipe (e.g. `| head`): end quietly
    } catch (const std::exception& e) {
        return fail(std::string("internal error: ") + e.what() + "; please report",
                    kitrx::ExitCode::kInputError);
    }
}
