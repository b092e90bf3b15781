// SPDX-License-Identifier: MIT
// Output hygiene of the binary (issue 10): write errors (full disk, /dev/full), closed stdout,
// device and FIFO targets, SIGINT/SIGTERM mid-run. A failed or interrupted run leaves neither the
// target nor a `.*.kitrx-tmp.*` temporary behind.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.hpp"

namespace kitrx::test {
namespace {

namespace fs = std::filesystem;

// Names of the files left in `dir` (not recursive), sorted, for failure messages.
std::string listing(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names) out += n + " ";
    return out;
}

bool has_temporary(const std::string& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".kitrx-tmp.") != std::string::npos) return true;
    return false;
}

// A 64 KiB tmpfs (needs root or CAP_SYS_ADMIN), unmounted at the end of the test.
class SmallTmpfs {
public:
    explicit SmallTmpfs(const std::string& dir) : dir_(dir) {
        fs::create_directories(dir_);
        mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=64k") == 0;
    }
    ~SmallTmpfs() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    SmallTmpfs(const SmallTmpfs&) = delete;
    SmallTmpfs& operator=(const SmallTmpfs&) = delete;
    [[nodiscard]] bool mounted() const { return mounted_; }

private:
    std::string dir_;
    bool mounted_ = false;
};

TEST(HardeningCli, StdoutToDevFullIsAWriteErrorWithTheReason) {
    const auto dir = temp_dir("hardening_devfull_stdout");
    // `targets` writes std::cout directly; `panel show` goes through OutputFile("-").
    for (const std::string cmd : {"targets --genes KIT,PDGFRA", "panel show"}) {
        const auto r = run_shell("\"$KITRX\" " + cmd + " > /dev/full", dir);
        EXPECT_EQ(r.exit_code, 1) << cmd << ": " << r.err;
        EXPECT_NE(r.err.find("kitrx: error: cannot write to standard output: No space left on device"),
                  std::string::npos)
            << cmd << ": " << r.err;
    }
}

TEST(HardeningCli, ClosedStdoutEndsQuietlyWithExit0) {
    const auto dir = temp_dir("hardening_epipe");
    // The reader (`true`) is gone before kitrx writes: every write fails with EPIPE (SIGPIPE is
    // ignored). pipefail makes the pipeline's status kitrx's own.
    for (const std::string cmd : {"targets --genes KIT,PDGFRA", "panel show --format tsv"}) {
        const auto r = run_shell("(sleep 0.3; \"$KITRX\" " + cmd + ") | true", dir);
        EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
        EXPECT_EQ(r.err, "") << cmd;
    }
    // `| head -c 10`: the first bytes arrive, the rest is dropped quietly.
    const auto r = run_shell("\"$KITRX\" panel show --format tsv | head -c 10", dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.size(), 10u);
    EXPECT_EQ(r.err, "");
}

TEST(HardeningCli, FullDiskLeavesNeitherTargetNorTemporary) {
    const auto dir = temp_dir("hardening_tmpfs");
    const std::string mnt = dir + "/small";
    const SmallTmpfs tmpfs(mnt);
    if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a 64k tmpfs here (needs root / CAP_SYS_ADMIN)";
    // Fill the file system, leaving room for no data block.
    run_shell("dd if=/dev/zero of=small/fill bs=4k 2>/dev/null; true", dir);
    const auto r = run_kitrx("panel show --format tsv -o small/panel.tsv", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("kitrx: error: cannot write 'small/panel.tsv': No space left on device"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(mnt + "/panel.tsv"));
    EXPECT_FALSE(has_temporary(mnt)) << listing(mnt);
    // The same command succeeds once there is space: the failure was the disk, not the command.
    fs::remove(mnt + "/fill");
    const auto ok = run_kitrx("panel show --format tsv -o small/panel.tsv", dir);
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_GT(fs::file_size(mnt + "/panel.tsv"), 1000u);
    EXPECT_FALSE(has_temporary(mnt)) << listing(mnt);
}

TEST(HardeningCli, FifoTargetIsWrittenInPlaceNotReplaced) {
    const auto dir = temp_dir("hardening_fifo");
    // Renaming a temporary over a FIFO or device (as root: over /dev/null) would replace it.
    const auto r = run_shell("mkfifo out.fifo && { timeout 20 cat out.fifo > got.tsv & } && "
                             "\"$KITRX\" panel show --format tsv -o out.fifo && wait && "
                             "\"$KITRX\" panel show --format tsv > expected.tsv",
                             dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct stat st {};
    ASSERT_EQ(::stat((dir + "/out.fifo").c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced by a regular file";
    EXPECT_EQ(slurp(dir + "/got.tsv"), slurp(dir + "/expected.tsv"));
    EXPECT_FALSE(has_temporary(dir)) << listing(dir);
}

TEST(HardeningCli, DirectoryOrMissingFolderAsOutputIsAClearError) {
    const auto dir = temp_dir("hardening_outdir");
    auto r = run_kitrx("panel show -o .", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot write '.': is a directory"), std::string::npos) << r.err;
    r = run_kitrx("panel show -o no/such/folder/x.tsv", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot write 'no/such/folder/x.tsv': No such file or directory"), std::string::npos)
        << r.err;
    EXPECT_FALSE(has_temporary(dir)) << listing(dir);
}

}  // namespace
}  // namespace kitrx::test
