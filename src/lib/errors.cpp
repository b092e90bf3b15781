// SPDX-License-Identifier: MIT
#include "kitrx/errors.hpp"

namespace kitrx {

std::string SourceLocation::to_string() const {
    std::string out = file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (column > 0) out += ":" + std::to_string(column);
    } else if (!record.empty()) {
        out += ": " + record;
    }
    return out;
}

static std::string format_input_error(const SourceLocation& where,
                                      const std::string& what,
                                      const std::string& hint) {
    std::string msg = where.to_string();
    if (!msg.empty()) msg += ": ";
    msg += what;
    if (!hint.empty()) msg += "; " + hint;
    return msg;
}

InputError::InputError(const SourceLocation& where, const std::string& what, const std::string& hint)
    : std::runtime_error(format_input_error(where, what, hint)), where_(where) {}

void Diagnostics::warn(const std::string& kind, const std::string& message) {
    const std::int64_t n = ++warned_[kind];
    if (sink_ && !quiet_ && n <= max_per_kind_) *sink_ << "kitrx: warning: " << message << '\n';
}

void Diagnostics::note(const std::string& message) {
    if (sink_ && verbose_ && !quiet_) *sink_ << "kitrx: " << message << '\n';
}

void Diagnostics::summary(const std::string& message) {
    if (sink_ && !quiet_) *sink_ << "kitrx: " << message << '\n';
}

void Diagnostics::count(const std::string& what, std::int64_t n) {
    counters_[what] += n;
}

std::int64_t Diagnostics::warnings(const std::string& kind) const {
    auto it = warned_.find(kind);
    return it == warned_.end() ? 0 : it->second;
}

std::int64_t Diagnostics::total_warnings() const {
    std::int64_t total = 0;
    for (const auto& [kind, n] : warned_) total += n;
    return total;
}

void Diagnostics::summarise() {
    if (!sink_ || quiet_) return;
    for (const auto& [kind, n] : warned_) {
        if (n > max_per_kind_)
            *sink_ << "kitrx: warning: " << (n - max_per_kind_) << " more '" << kind
                   << "' warnings suppressed (" << n << " in total)\n";
    }
    // One line with the counts, so that a pipeline log shows how much input was skipped or
    // questionable (issue 10: a warning with a count; --strict makes skippable input an error).
    const std::int64_t total = total_warnings();
    if (total == 0) return;
    *sink_ << "kitrx: warning: " << total << " warning" << (total == 1 ? "" : "s") << " in total (";
    const char* separator = "";
    for (const auto& [kind, n] : warned_) {
        *sink_ << separator << kind << ": " << n;
        separator = ", ";
    }
    *sink_ << ")\n";
}

}  // namespace kitrx
