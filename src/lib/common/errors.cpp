// SPDX-License-Identifier: MIT
#include "kitrx/common/errors.hpp"

#include <cstdint>

namespace kitrx {

std::string printable(std::string_view text) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != 0x7f) {
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string valid_utf8(std::string_view text) {
    static const char kReplacement[] = "\xef\xbf\xbd";
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            out += text[i++];
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        }
        bool ok = n > 0;
        for (std::size_t k = 1; ok && k <= n; ++k) {
            if (i + k >= text.size()) {
                ok = false;
                break;
            }
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xc0) != 0x80) ok = false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are invalid too.
        if (ok && ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
                   (cp >= 0xd800 && cp <= 0xdfff)))
            ok = false;
        if (ok) {
            out.append(text.substr(i, n + 1));
            i += n + 1;
        } else {
            out += kReplacement;
            ++i;
        }
    }
    return out;
}

std::string SourceLocation::to_string() const {
    // A newline in a file name would otherwise split the one-line message in two.
    std::string out = printable(file);
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
    if (sink_ && !quiet_ && n <= max_per_kind_) *sink_ << "kitrx: warning: " << printable(message) << '\n';
}

void Diagnostics::note(const std::string& message) {
    if (sink_ && verbose_ && !quiet_) *sink_ << "kitrx: " << printable(message) << '\n';
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

namespace {
std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty()) out += '\n';
        out += l;
    }
    return out;
}
}  // namespace

ProblemListError::ProblemListError(std::string file, std::vector<std::string> problems)
    : InputError(SourceLocation{}, join_lines(problems)),
      file_(std::move(file)),
      problems_(std::move(problems)) {}

}  // namespace kitrx
