// SPDX-License-Identifier: MIT
#include "kitrx/common/output_file.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <set>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kitrx/common/errors.hpp"

namespace kitrx {

namespace detail {

// std::streambuf over a file descriptor. Unlike std::ofstream / the stdio-synced std::cout, it
// keeps the errno of the first failed write: by the time a stream's badbit is looked at, errno
// has long been overwritten, and "cannot write: Success" or an EPIPE taken for a disk error would
// follow. After a failure the rest of the output is discarded (the stream goes bad).
class FdOutBuf final : public std::streambuf {
public:
    explicit FdOutBuf(int fd) : fd_(fd), buffer_(kBufferSize) { reset(); }
    FdOutBuf(const FdOutBuf&) = delete;
    FdOutBuf& operator=(const FdOutBuf&) = delete;

    // errno of the first failed write (or close), 0 when none.
    [[nodiscard]] int error() const { return error_; }
    [[nodiscard]] int fd() const { return fd_; }

    // Writes what is buffered; false (and error() set) on failure.
    bool flush_buffer() {
        const char* begin = pbase();
        const auto n = static_cast<std::size_t>(pptr() - pbase());
        reset();
        if (error_) return false;
        return write_all(begin, n);
    }

    // Drops what is buffered (an abandoned output is not worth writing).
    void discard() { reset(); }

    // Flushes and closes the descriptor (close() can report a deferred write error, e.g. on NFS).
    bool close_fd() {
        bool ok = flush_buffer();
        if (fd_ >= 0 && ::close(fd_) != 0 && ok) {
            error_ = errno;
            ok = false;
        }
        fd_ = -1;
        return ok;
    }

protected:
    int_type overflow(int_type ch) override {
        if (!flush_buffer()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }

    int sync() override { return flush_buffer() ? 0 : -1; }

    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (error_) return 0;
        if (n <= epptr() - pptr()) {
            std::memcpy(pptr(), s, static_cast<std::size_t>(n));
            pbump(static_cast<int>(n));
            return n;
        }
        if (!flush_buffer()) return 0;
        if (n >= static_cast<std::streamsize>(buffer_.size()))
            return write_all(s, static_cast<std::size_t>(n)) ? n : 0;
        std::memcpy(pptr(), s, static_cast<std::size_t>(n));
        pbump(static_cast<int>(n));
        return n;
    }

private:
    static constexpr std::size_t kBufferSize = 1 << 16;

    void reset() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

    bool write_all(const char* p, std::size_t n) {
        while (n > 0) {
            const ssize_t w = ::write(fd_, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                error_ = w < 0 ? errno : EIO;
                return false;
            }
            p += w;
            n -= static_cast<std::size_t>(w);
        }
        return true;
    }

    int fd_;
    std::vector<char> buffer_;
    int error_ = 0;
};

}  // namespace detail

namespace {

// The pending sets are also read by the fatal-signal handler: block those signals while they are
// changed so that the handler never sees them half-updated.
class SignalBlock {
public:
    SignalBlock() {
        sigset_t block;
        sigemptyset(&block);
        for (const int sig : cleanup_signals()) sigaddset(&block, sig);
        pthread_sigmask(SIG_BLOCK, &block, &saved_);
    }
    ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
    SignalBlock(const SignalBlock&) = delete;
    SignalBlock& operator=(const SignalBlock&) = delete;

private:
    sigset_t saved_{};
};

std::set<std::string>& pending() {
    static std::set<std::string> s;
    return s;
}

// Folders a run created, in creation order (parents first): removed deepest first, only when empty.
std::vector<std::string>& pending_dirs() {
    static std::vector<std::string> v;
    return v;
}

void add_pending(const std::string& path) {
    const SignalBlock block;
    pending().insert(path);
}

void drop_pending(const std::string& path) {
    const SignalBlock block;
    pending().erase(path);
}

// Creates the temporary for `path` in the target's folder, exclusively: O_CREAT|O_EXCL|O_NOFOLLOW
// with an unpredictable suffix, so a name planted in a shared folder (a symlink to another file,
// a FIFO) is never opened; a collision just draws another name. The base is shortened so that a
// target name that is itself valid (up to NAME_MAX) never fails for its temporary's length.
// Mode 0666 before the umask, as for any file the user creates (mkstemp would give 0600).
int create_temp_for(const std::string& path, std::string& temp_path) {
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    constexpr std::size_t kMaxBase = 200;  // "." + base + ".kitrx-tmp." + 8 chars <= 255
    if (base.size() > kMaxBase) base.resize(kMaxBase);
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device entropy;
    std::mt19937_64 rng((static_cast<std::uint64_t>(entropy()) << 32) ^ entropy() ^
                        static_cast<std::uint64_t>(::getpid()));
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string suffix(8, 'x');
        for (char& c : suffix) c = kChars[rng() % (sizeof kChars - 1)];
        temp_path = dir + "." + base + ".kitrx-tmp." + suffix;
        const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CLOEXEC | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

detail::FdOutBuf*& stdout_buffer() {
    static detail::FdOutBuf* buffer = nullptr;
    return buffer;
}

std::string write_error(const std::string& path, int err) {
    return "cannot write '" + path + "': " + std::strerror(err ? err : EIO) +
           (err == ENOSPC || err == EDQUOT ? "; free some space or write elsewhere" : "");
}

}  // namespace

OutputFile::OutputFile(std::string path, Writer writer) : path_(std::move(path)) {
    if (is_stdout()) return;
    struct stat st {};
    const bool exists = ::stat(path_.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) throw IoError("cannot write '" + path_ + "': is a directory");
    in_place_ = exists && !S_ISREG(st.st_mode);
    int fd = -1;
    if (in_place_ && writer == Writer::kByPath) {
        // Opened only by the writer (htslib): opening a FIFO here and closing it again before
        // htslib reopens it would end the reader's stream and leave htslib waiting for a new reader.
        temp_path_ = path_;
        if (::access(path_.c_str(), W_OK) != 0)
            throw IoError("cannot write '" + path_ + "': " + std::strerror(errno));
        return;
    }
    if (in_place_) {
        temp_path_ = path_;
        fd = ::open(temp_path_.c_str(), O_WRONLY | O_CLOEXEC);
    } else {
        fd = create_temp_for(path_, temp_path_);
    }
    if (fd < 0)
        throw IoError("cannot write '" + path_ + "': " + std::strerror(errno) +
                      "; check that the folder exists and is writable");
    if (!in_place_) add_pending(temp_path_);
    buffer_ = std::make_unique<detail::FdOutBuf>(fd);
    stream_ = std::make_unique<std::ostream>(buffer_.get());
}

OutputFile::~OutputFile() {
    if (is_stdout()) {
        if (!temp_path_.empty()) {  // a spool that was not copied out
            ::unlink(temp_path_.c_str());
            drop_pending(temp_path_);
        }
        return;
    }
    if (buffer_) {
        if (!committed_) buffer_->discard();
        buffer_->close_fd();
    }
    if (committed_ || in_place_) return;
    ::unlink(temp_path_.c_str());
    drop_pending(temp_path_);
}

const std::string& OutputFile::hand_over_path() {
    if (is_stdout()) {
        // A spool in $TMPDIR that commit() copies to stdout through the checked stdout buffer:
        // htslib writing fd 1 itself would fail on a closed pipe inside bgzf_close, which then
        // leaks its stream and prints its own errors.
        if (temp_path_.empty()) {
            const char* tmp = std::getenv("TMPDIR");
            std::string name = std::string(tmp && *tmp ? tmp : "/tmp") + "/.kitrx-stdout.kitrx-tmp.XXXXXX";
            const int fd = ::mkstemp(name.data());
            if (fd < 0)
                throw IoError("cannot create a temporary file for stdout in '" + name +
                              "': " + std::strerror(errno) + "; set TMPDIR to a writable folder");
            ::close(fd);
            temp_path_ = name;
            add_pending(temp_path_);
        }
        handed_over_ = true;
        return temp_path_;
    }
    if (!handed_over_ && buffer_ && !buffer_->close_fd())
        write_error_ = buffer_->error() ? buffer_->error() : EIO;
    handed_over_ = true;
    if (write_error_) throw IoError(write_error(path_, write_error_));
    return temp_path_;
}

std::ostream& OutputFile::stream() {
    return is_stdout() ? std::cout : *stream_;
}

void OutputFile::finish() {
    if (committed_) return;
    if (is_stdout()) {
        if (!temp_path_.empty()) copy_spool_to_stdout();
        check_stdout();
        return;
    }
    if (!handed_over_ && buffer_) {
        stream_->flush();
        if (!buffer_->close_fd() || !*stream_) write_error_ = buffer_->error() ? buffer_->error() : EIO;
        handed_over_ = true;
    }
    if (write_error_) throw IoError(write_error(path_, write_error_));
}

void OutputFile::copy_spool_to_stdout() {
    const int fd = ::open(temp_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw IoError("cannot read back '" + temp_path_ + "': " + std::strerror(errno));
    std::vector<char> chunk(1 << 16);
    ssize_t n = 0;
    while ((n = ::read(fd, chunk.data(), chunk.size())) > 0 && std::cout) std::cout.write(chunk.data(), n);
    const int read_errno = n < 0 ? errno : 0;
    ::close(fd);
    ::unlink(temp_path_.c_str());
    drop_pending(temp_path_);
    temp_path_.clear();
    if (read_errno)
        throw IoError("cannot read back the stdout spool: " + std::string(std::strerror(read_errno)));
}

void OutputFile::commit() {
    if (committed_) return;
    finish();
    if (is_stdout()) {
        committed_ = true;
        return;
    }
    if (!in_place_) {
        if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
            throw IoError("cannot rename '" + temp_path_ + "' to '" + path_ + "': " + std::strerror(errno));
        drop_pending(temp_path_);
    }
    committed_ = true;
}

void install_stdout_buffer() {
    if (stdout_buffer()) return;
    std::cout.flush();
    // Never destroyed: std::cout is flushed again during static destruction at exit.
    stdout_buffer() = new detail::FdOutBuf(STDOUT_FILENO);
    std::cout.rdbuf(stdout_buffer());
}

void check_stdout() {
    detail::FdOutBuf* buffer = stdout_buffer();
    if (buffer && std::cout.rdbuf() == buffer) {
        std::cout.flush();
        const int err = buffer->error();
        if (err == EPIPE) throw BrokenPipe();
        if (err || !std::cout)
            throw IoError(std::string("cannot write to standard output: ") + std::strerror(err ? err : EIO) +
                          (err == ENOSPC ? "; free some space or write elsewhere" : ""));
        return;
    }
    // std::cout with its standard buffer (library users): errno is not kept reliably; a pipe
    // whose reader has gone reports POLLERR.
    errno = 0;
    std::cout.flush();
    if (!std::cout) {
        pollfd pfd{STDOUT_FILENO, POLLOUT, 0};
        if (errno == EPIPE || (::poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR))) throw BrokenPipe();
        throw IoError(std::string("cannot write to standard output: ") + std::strerror(errno ? errno : EIO));
    }
}

const std::vector<int>& cleanup_signals() {
    // The signals whose default action ends the process without a core dump worth keeping, sent by
    // terminals, batch schedulers (SIGXCPU, SIGUSR1/2 before a kill) and timeouts (SIGALRM).
    static const std::vector<int> signals{SIGHUP,  SIGINT,    SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
                                          SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ};
    return signals;
}

void remove_pending_outputs() {
    // No lock: runs from the fatal-signal handler; the sets are only changed with those signals
    // blocked (SignalBlock).
    for (const auto& p : pending()) ::unlink(p.c_str());
    const auto& dirs = pending_dirs();
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) ::rmdir(it->c_str());
}

CreatedDirectories::CreatedDirectories(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw IoError("--outdir '" + dir + "' exists and is not a folder");
        return;
    }
    // Each missing level is created here (not by create_directories) so that every folder this run
    // made is known and removed again on failure or a signal: `--outdir a/b/c` leaves no `a/b`.
    std::vector<std::string> missing;
    std::string p = dir;
    while (!p.empty() && p != "/" && p != "." && ::stat(p.c_str(), &st) != 0) {
        missing.push_back(p);
        while (p.size() > 1 && p.back() == '/') p.pop_back();
        const auto slash = p.rfind('/');
        p = slash == std::string::npos ? "" : slash == 0 ? "/" : p.substr(0, slash);
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0777) != 0) {
            if (errno == EEXIST) continue;  // made meanwhile by someone else: not ours to remove
            const int err = errno;
            remove();
            throw IoError("cannot create --outdir '" + dir + "': " + std::strerror(err));
        }
        const SignalBlock block;
        created_.push_back(*it);
        pending_dirs().push_back(*it);
    }
}

CreatedDirectories::~CreatedDirectories() {
    if (!kept_) remove();
    const SignalBlock block;
    auto& dirs = pending_dirs();
    for (const auto& d : created_) dirs.erase(std::remove(dirs.begin(), dirs.end(), d), dirs.end());
}

void CreatedDirectories::remove() {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) ::rmdir(it->c_str());
}

void check_not_input(const std::string& output, const std::vector<std::string>& inputs) {
    struct stat out {};
    if (output == "-" || ::stat(output.c_str(), &out) != 0 || !S_ISREG(out.st_mode)) return;
    for (const auto& input : inputs) {
        struct stat in {};
        if (input.empty() || input == "-" || ::stat(input.c_str(), &in) != 0) continue;
        if (in.st_dev == out.st_dev && in.st_ino == out.st_ino)
            throw IoError("cannot write '" + output + "': it is the input '" + input +
                          "' (writing would replace it); choose another output name");
    }
}

}  // namespace kitrx
