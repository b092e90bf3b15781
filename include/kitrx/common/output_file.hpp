// SPDX-License-Identifier: MIT
// Atomic output files: data goes to a hidden temporary file in the target folder and is renamed
// over the target only by commit(), so a failed or interrupted run never leaves a file that looks
// complete. "-" means stdout (nothing to rename). A target that exists and is not a regular file
// (/dev/stdout, /dev/null, a FIFO, a process substitution /dev/fd/N) is written in place: renaming
// a file over a device or pipe would replace it. Pending temporaries are tracked process-wide so
// that an error path or a SIGINT/SIGTERM handler can remove them (remove_pending_outputs()).
// Write errors (full disk, EPIPE on stdout) are remembered with their errno when they happen and
// reported by commit() / check_stdout().
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace kitrx {

// Thrown when stdout is closed by the reader (EPIPE), e.g. `kitrx ... | head`.
class BrokenPipe : public std::exception {
public:
    const char* what() const noexcept override { return "broken pipe"; }
};

namespace detail {
class FdOutBuf;
}

class OutputFile {
public:
    // kByPath: the bytes are written by another writer that opens temp_path() itself (htslib,
    // through hand_over_path()); a device / FIFO target is then not opened here at all.
    enum class Writer { kStream, kByPath };
    // Opens a temporary next to `path` (or binds stdout for "-", or opens a device / FIFO target
    // directly); throws IoError when the folder is not writable or `path` is a directory.
    explicit OutputFile(std::string path, Writer writer = Writer::kStream);
    ~OutputFile();  // removes the temporary unless committed
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    [[nodiscard]] std::ostream& stream();
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool is_stdout() const { return path_ == "-"; }
    // Path of the bytes on disk while writing (the temporary, or the target itself when it is a
    // device / FIFO), for writers that need a filename (htslib). Empty for stdout until
    // hand_over_path().
    [[nodiscard]] const std::string& temp_path() const { return temp_path_; }
    // Closes the internal stream so that another writer (htslib) can write the temporary by path;
    // returns temp_path(). commit() still renames it. For stdout: a spool file in $TMPDIR that
    // commit() copies to stdout (so that a closed pipe or a full disk are handled as for the other
    // writers). Throws IoError when what was written so far could not be written.
    [[nodiscard]] const std::string& hand_over_path();
    // Flushes and closes the temporary, throwing IoError (naming the file and the system's reason)
    // or BrokenPipe on stdout when anything could not be written. Lets a command with several
    // outputs check all of them before renaming any (then commit() each). Idempotent.
    void finish();
    // finish(), then renames the temporary over the target.
    void commit();

private:
    void copy_spool_to_stdout();

    std::string path_;
    std::string temp_path_;
    std::unique_ptr<detail::FdOutBuf> buffer_;
    std::unique_ptr<std::ostream> stream_;
    bool in_place_ = false;  // device / FIFO target: no temporary, no rename
    bool committed_ = false;
    bool handed_over_ = false;  // closed: by hand_over_path() or finish()
    int write_error_ = 0;       // errno of a failed write, kept so that commit() never renames it
};

// Replaces std::cout's buffer by one that writes to file descriptor 1 and remembers the errno of
// the first failed write, so that check_stdout() can tell a closed pipe (EPIPE: end quietly) from
// a real write error (ENOSPC on `> /dev/full`). The CLI calls it once at start-up.
void install_stdout_buffer();

// Throws BrokenPipe / IoError when stdout has failed; call after writing to stdout (the CLI calls
// it after every subcommand).
void check_stdout();

// Removes every temporary still pending and every folder a CreatedDirectories made that is still
// empty (async-signal-tolerant best effort).
void remove_pending_outputs();

// The signals after which remove_pending_outputs() runs (the CLI installs the handlers): SIGHUP,
// SIGINT, SIGQUIT, SIGTERM, SIGUSR1/2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ.
[[nodiscard]] const std::vector<int>& cleanup_signals();

// An output folder and its missing parents, created now and removed again (when empty, deepest
// first) by the destructor or a fatal signal unless keep() was called. Throws IoError when a level
// cannot be created or `dir` exists and is not a folder.
class CreatedDirectories {
public:
    explicit CreatedDirectories(const std::string& dir);
    ~CreatedDirectories();
    CreatedDirectories(const CreatedDirectories&) = delete;
    CreatedDirectories& operator=(const CreatedDirectories&) = delete;
    void keep() { kept_ = true; }

private:
    void remove();
    std::vector<std::string> created_;
    bool kept_ = false;
};

// Throws IoError when `output` is an existing regular file that is one of `inputs` (same device
// and inode: also through a hard link, a symlink or another spelling of the path), so that
// `-o a.vcf a.vcf` never replaces its own input.
void check_not_input(const std::string& output, const std::vector<std::string>& inputs);

}  // namespace kitrx
