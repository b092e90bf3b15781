// SPDX-License-Identifier: MIT
// Atomic output files: data goes to a hidden temporary file in the target folder and is renamed
// over the target only by commit(), so a failed or interrupted run never leaves a file that looks
// complete. "-" means stdout (nothing to rename). Pending temporaries are tracked process-wide so
// that an error path or a SIGINT/SIGTERM handler can remove them (remove_pending_outputs()).
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

namespace kitrx {

// Thrown when stdout is closed by the reader (EPIPE), e.g. `kitrx ... | head`.
class BrokenPipe : public std::exception {
public:
    const char* what() const noexcept override { return "broken pipe"; }
};

class OutputFile {
public:
    // Opens a temporary next to `path` (or binds stdout for "-"); throws IoError when the folder
    // is not writable.
    explicit OutputFile(std::string path);
    ~OutputFile();  // removes the temporary unless committed
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    [[nodiscard]] std::ostream& stream();
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool is_stdout() const { return path_ == "-"; }
    // Path of the bytes on disk while writing (the temporary), for writers that need a filename
    // (htslib). Empty for stdout.
    [[nodiscard]] const std::string& temp_path() const { return temp_path_; }
    // Closes the internal stream so that another writer (htslib) can write the temporary by path;
    // returns temp_path(). commit() still renames it. Not for stdout.
    [[nodiscard]] const std::string& hand_over_path();
    // Flushes, checks for write errors (throws IoError naming the file, or BrokenPipe on stdout),
    // and renames the temporary over the target.
    void commit();

private:
    std::string path_;
    std::string temp_path_;
    std::unique_ptr<std::ofstream> file_;
    bool committed_ = false;
    bool handed_over_ = false;
};

// Throws BrokenPipe / IoError when stdout has failed; call after writing large stdout chunks.
void check_stdout();

// Removes every temporary still pending (async-signal-tolerant best effort).
void remove_pending_outputs();

}  // namespace kitrx
