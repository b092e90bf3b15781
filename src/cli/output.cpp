// SPDX-License-Identifier: MIT
#include "output.hpp"

#include <csignal>

#include <signal.h>

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
    // Every signal that ends the process removes the temporaries first; one the parent set to be
    // ignored (nohup: SIGHUP) stays ignored.
    for (const int sig : cleanup_signals()) {
        struct sigaction old {};
        if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        std::signal(sig, on_fatal_signal);
    }
}

void abort_outputs() {
    remove_pending_outputs();
}

}  // namespace kitrx::cli
