// SPDX-License-Identifier: MIT
// `kitrx panel check FILE` and `kitrx panel show [FILE]`: the options of run_panel() (run/run.hpp).
#include <iostream>

#include <boost/program_options.hpp>

#include "command.hpp"
#include "kitrx/run/run.hpp"

namespace po = boost::program_options;

namespace kitrx::cli {
namespace {

constexpr const char* kUsage =
    "About:   Check an activity panel, or print its drug x variant matrix.\n"
    "Usage:   kitrx panel check FILE\n"
    "         kitrx panel show [FILE] [--format text|tsv] [-o FILE]\n"
    "\n"
    "FILE is a panel in the YAML format of docs/panel_format.md; 'show' without FILE prints the\n"
    "shipped default panel. 'check' reports every problem at once, one per line, as\n"
    "FILE:LINE:COL: what; hint.\n";

constexpr const char* kExample =
    "\nExample:\n"
    "  kitrx panel check my_panel.yaml\n"
    "  kitrx panel show --format tsv -o panel_matrix.tsv\n"
    "\nExit codes: 0 success, 1 invalid panel or I/O error, 2 usage error.\n";

ExitCode panel_command(const std::vector<std::string>& args, Diagnostics& diag) {
    PanelConfig config;
    po::options_description visible("Options");
    visible.add_options()("format", po::value(&config.format)->default_value("text"),
                          "show: 'text' (S/I/R/? symbols) or 'tsv' (full words)")(
        "output,o", po::value(&config.output)->default_value("-"), "show: output file ('-' = stdout)")(
        "help,h", "print this help and exit");
    po::options_description hidden;
    hidden.add_options()("action", po::value<std::string>())("file", po::value<std::string>());
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("action", 1).add("file", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << kUsage << '\n' << visible << kExample;
        return ExitCode::kOk;
    }
    if (vm.count("action")) config.action = vm["action"].as<std::string>();
    if (vm.count("file")) config.file = vm["file"].as<std::string>();
    config.format_or_output_given = !vm["format"].defaulted() || !vm["output"].defaulted();
    return run_panel(config, diag);
}

const Registrar kRegister{
    Command{"panel", "check an activity panel or print its drug x variant matrix", panel_command}};

}  // namespace
}  // namespace kitrx::cli
