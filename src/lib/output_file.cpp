// SPDX-License-Identifier: MIT
#include "kitrx/output_file.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <set>

#include "kitrx/errors.hpp"

namespace kitrx {

namespace {

std::mutex& pending_mutex() {
    static std::mutex m;
    return m;
}
std::set<std::string>& pending() {
    static std::set<std::string> s;
    return s;
}

std::string temp_name_for(const std::string& path) {
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    return dir + "." + base + ".kitrx-tmp." + std::to_string(::getpid());
}

}  // namespace

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
    if (is_stdout()) return;
    temp_path_ = temp_name_for(path_);
    file_ = std::make_unique<std::ofstream>(temp_path_, std::ios::binary | std::ios::trunc);
    if (!*file_)
        throw IoError("cannot write '" + path_ + "': " + std::strerror(errno) +
                      "; check that the folder exists and is writable");
    std::lock_guard<std::mutex> lock(pending_mutex());
    pending().insert(temp_path_);
}

OutputFile::~OutputFile() {
    if (committed_ || is_stdout()) return;
    file_.reset();
    std::remove(temp_path_.c_str());
    std::lock_guard<std::mutex> lock(pending_mutex());
    pending().erase(temp_path_);
}

const std::string& OutputFile::hand_over_path() {
    if (file_) file_->close();
    handed_over_ = true;
    return temp_path_;
}

std::ostream& OutputFile::stream() { return is_stdout() ? std::cout : *file_; }

void OutputFile::commit() {
    if (is_stdout()) {
        check_stdout();
        committed_ = true;
        return;
    }
    bool failed = false;
    int err = 0;
    if (!handed_over_) {
        file_->flush();
        failed = !*file_;
        err = errno;
        file_->close();
        failed = failed || file_->fail();
    }
    if (failed)
        throw IoError("cannot write '" + path_ + "': " + std::strerror(err ? err : EIO));
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
        throw IoError("cannot rename '" + temp_path_ + "' to '" + path_ + "': " + std::strerror(errno));
    committed_ = true;
    std::lock_guard<std::mutex> lock(pending_mutex());
    pending().erase(temp_path_);
}

void check_stdout() {
    errno = 0;
    std::cout.flush();
    if (!std::cout) {
        // iostreams do not keep errno reliably; a pipe whose reader has gone reports POLLERR.
        pollfd pfd{STDOUT_FILENO, POLLOUT, 0};
        if (errno == EPIPE || (::poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR))) throw BrokenPipe();
        throw IoError(std::string("cannot write to standard output: ") + std::strerror(errno ? errno : EIO));
    }
}

void remove_pending_outputs() {
    // No lock: may run from a signal handler after the main thread was interrupted mid-write.
    for (const auto& p : pending()) ::unlink(p.c_str());
}

}  // namespace kitrx
