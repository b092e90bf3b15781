// SPDX-License-Identifier: MIT
#include "output.hpp"

#include <csignal>

namespace kitrx::cli {

namespace {
extern "C" void on_fatal_signal(int sig) {
    remove_pending_outputs();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}
}  // namespace

void install_signal_handlers() {
    install_stdout_buffer();
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, on_fatal_signal);
    std::signal(SIGTERM, on_fatal_signal);
}

void abort_outputs() {
    remove_pending_outputs();
}

}  // namespace kitrx::cli
