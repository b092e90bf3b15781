// SPDX-License-Identifier: MIT
// Error types and the diagnostics sink shared by every module.
// Where an error points into a file, `SourceLocation` holds 1-based line/column (text formats we
// parse ourselves) or a `CHROM:POS` record string (VCF/BCF/BAM, 1-based POS).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kitrx {

// Text from input files (file names, sample names, panel names) is written into one-line
// messages and "##key=value" lines: a newline in it would start a fake row or message, and ESC/BEL
// bytes would drive the user's terminal. Control bytes (< 0x20, 0x7f) become \n, \r, \t or \xHH.
[[nodiscard]] std::string printable(std::string_view text);

// JSON must be UTF-8 (nlohmann::json throws on anything else); invalid bytes (and overlong or
// surrogate encodings) become U+FFFD, so that a Latin-1 sample name never aborts a run.
[[nodiscard]] std::string valid_utf8(std::string_view text);

enum class ExitCode : int {
    kOk = 0,
    kInputError = 1,       // bad input data, I/O failure, internal error
    kUsageError = 2,       // bad command line
    kValidationFailed = 3  // `kitrx validate`: acceptance criteria not met (not an error)
};

struct SourceLocation {
    std::string file;    // path as the user gave it ("-" for stdin)
    int line = 0;        // 1-based; 0 when unknown
    int column = 0;      // 1-based; 0 when unknown
    std::string record;  // "CHROM:POS" (1-based) when there is no line number

    // "file:line:col", "file: CHROM:POS" or "file".
    [[nodiscard]] std::string to_string() const;
};

// The user's data is wrong. what() is the full one-line message including the location.
class InputError : public std::runtime_error {
public:
    InputError(const SourceLocation& where, const std::string& what, const std::string& hint = "");
    [[nodiscard]] const SourceLocation& where() const { return where_; }

private:
    SourceLocation where_;
};

// Every problem found in one pass over a file, one per line ("file:line:col: what; hint"); the
// location is inside each line, so what() is exactly the lines. Raised by yaml::Problems;
// PanelError and RegimenError are its kinds.
class ProblemListError : public InputError {
public:
    ProblemListError(std::string file, std::vector<std::string> problems);
    [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
    [[nodiscard]] const std::string& file() const { return file_; }

private:
    std::string file_;
    std::vector<std::string> problems_;
};

// Bad or contradictory options.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file cannot be opened, read or written; the message carries strerror(errno) where known.
class IoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Collects warnings and notes so that the library never writes to std::cerr itself. Each warning
// kind is printed at most `max_per_kind` times; the rest are counted and summarised at the end.
class Diagnostics {
public:
    explicit Diagnostics(std::ostream* sink = nullptr, int max_per_kind = 5)
        : sink_(sink), max_per_kind_(max_per_kind) {}

    // `kind` groups repeats ("multiallelic_split", "skipped_symbolic", ...).
    void warn(const std::string& kind, const std::string& message);
    void note(const std::string& message);  // informational, printed when verbose
    // End-of-input summary the user should always see (what a table reader skipped, and why);
    // printed unless quiet, not a warning (does not count towards --strict or the warning total).
    void summary(const std::string& message);
    // Counts something without printing it (e.g. records skipped, reported in the summary).
    void count(const std::string& what, std::int64_t n = 1);

    [[nodiscard]] std::int64_t warnings(const std::string& kind) const;
    [[nodiscard]] std::int64_t total_warnings() const;
    [[nodiscard]] const std::map<std::string, std::int64_t>& counters() const { return counters_; }
    // Prints "N more 'kind' warnings suppressed" lines; call once at the end of a run.
    void summarise();
    void set_verbose(bool verbose) { verbose_ = verbose; }
    void set_quiet(bool quiet) { quiet_ = quiet; }

private:
    std::ostream* sink_;
    int max_per_kind_;
    bool verbose_ = false;
    bool quiet_ = false;
    std::map<std::string, std::int64_t> warned_;
    std::map<std::string, std::int64_t> counters_;
};

}  // namespace kitrx
