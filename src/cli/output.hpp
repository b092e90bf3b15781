// SPDX-License-Identifier: MIT
// Process-level output hygiene for the CLI: signal handlers that remove pending temporaries.
#pragma once

#include "kitrx/common/output_file.hpp"

namespace kitrx::cli {

using kitrx::BrokenPipe;

// SIGPIPE is ignored (writes then fail with EPIPE and end the run quietly, exit 0); SIGINT/SIGTERM
// and the other terminating signals (cleanup_signals()) remove pending temporary outputs and re-raise. Also
// installs the stdout buffer that remembers write errors (install_stdout_buffer()).
void install_signal_handlers();
// Removes pending temporaries; called on every error path.
void abort_outputs();

}  // namespace kitrx::cli
