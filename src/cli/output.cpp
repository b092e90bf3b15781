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
    // Every signal that ends the process removes the temporaries first. One the parent set to be
    // ignored (nohup: SIGHUP) stays ignored, except SIGINT/SIGTERM, which have always been caught
    // (a shell starts background jobs with SIGINT ignored, yet `kill -INT` must still clean up).
    for (const int sig : cleanup_signals()) {
        struct sigaction old {};
        if (sig != SIGINT && sig != SIGTERM && ::sigaction(sig, nullptr, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue;
        std::signal(sig, on_fatal_signal);
    }
}

void abort_outputs() {
    remove_pending_outputs();
}

}  // namespace kitrx::cli
