// SPDX-License-Identifier: MIT
// Output hygiene of the binary (issue 10): write errors (full disk, /dev/full), closed stdout,
// device and FIFO targets, SIGINT/SIGTERM mid-run. A failed or interrupted run leaves neither the
// target nor a `.*.kitrx-tmp.*` temporary behind.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>

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
    const auto r = run_shell(
        "mkfifo out.fifo && { timeout 20 cat out.fifo > got.tsv & } && "
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

// A VCF whose annotation is large (one D816V record in 3000 sample columns: ~1.3 MB of TSV, far
// more than a pipe buffer), so that a closed stdout is hit while kitrx is writing.
const char* const kManySamplesVcf =
    "{ printf '##fileformat=VCFv4.2\\n##contig=<ID=chr4,length=190214555>\\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\\n"
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\\n"
    "#CHROM\\tPOS\\tID\\tREF\\tALT\\tQUAL\\tFILTER\\tINFO\\tFORMAT'; "
    "for i in $(seq 1 3000); do printf '\\tS%d' $i; done; "
    "printf '\\nchr4\\t54733155\\t.\\tA\\tT\\t.\\tPASS\\t.\\tGT:AD'; "
    "for i in $(seq 1 3000); do printf '\\t0/1:900,100'; done; printf '\\n'; } > many.vcf";

TEST(HardeningCli, ClosedStdoutWhileAnnotatingEndsQuietlyForEveryFormatAndDrainsStdin) {
    const auto dir = temp_dir("hardening_epipe_annotate");
    ASSERT_EQ(run_shell(kManySamplesVcf, dir).exit_code, 0);
    // pipefail: `cat` would fail with SIGPIPE (141) if stdin were not read to its end.
    for (const std::string format : {"t", "j", "g", "v", "z", "b"}) {
        // TMPDIR: where the stdin copy and the stdout spool of VCF output go; both must be gone.
        const auto r = run_shell("mkdir -p tmp && cat many.vcf | TMPDIR=$PWD/tmp \"$KITRX\" annotate - -O " +
                                     format + " | head -c 10",
                                 dir);
        EXPECT_EQ(r.exit_code, 0) << "-O " << format << ": " << r.err;
        EXPECT_EQ(r.err, "") << "-O " << format;
        EXPECT_EQ(r.out.size(), 10u) << "-O " << format;
        EXPECT_TRUE(fs::is_empty(dir + "/tmp")) << "-O " << format << ": " << listing(dir + "/tmp");
    }
}

// kitrx reads a FIFO that a writer keeps open after the header and the first records, so the run
// is certainly in progress (its temporary exists) when the signal arrives.
void expect_signal_leaves_nothing(const std::string& signal, int expected_status) {
    const auto dir = temp_dir("hardening_signal_" + signal);
    const std::string script =
        "mkfifo in.vcf; "
        "{ head -n 40 \"$SRC/test-data/vcf/demo_gist_plasma.vcf\"; exec sleep 30; } > in.vcf & writer=$!; "
        "\"$KITRX\" annotate in.vcf -o out.tsv & pid=$!; "
        "for i in $(seq 1 200); do ls -A | grep -q kitrx-tmp && break; sleep 0.05; done; "
        "ls -A | grep kitrx-tmp > seen_during_run; "
        "kill -" +
        signal +
        " $pid; wait $pid; status=$?; kill $writer 2>/dev/null; wait; "
        "echo $status > status";
    const auto r = run_shell(script, dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(slurp(dir + "/seen_during_run"), "") << "no temporary seen: the signal did not come mid-run";
    EXPECT_EQ(std::stoi(slurp(dir + "/status")), expected_status) << "128 + signal number: killed by it";
    EXPECT_FALSE(fs::exists(dir + "/out.tsv"));
    EXPECT_FALSE(has_temporary(dir)) << listing(dir);
}

TEST(HardeningCli, SigintMidRunLeavesNeitherTargetNorTemporary) {
    expect_signal_leaves_nothing("INT", 130);
}

TEST(HardeningCli, SigtermMidRunLeavesNeitherTargetNorTemporary) {
    expect_signal_leaves_nothing("TERM", 143);
}

TEST(HardeningCli, WriteErrorDuringAnnotateLeavesNothingOnAFullDisk) {
    const auto dir = temp_dir("hardening_tmpfs_annotate");
    const std::string mnt = dir + "/small";
    const SmallTmpfs tmpfs(mnt);
    if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a 64k tmpfs here (needs root / CAP_SYS_ADMIN)";
    ASSERT_EQ(run_shell(kManySamplesVcf, dir).exit_code, 0);
    // 60 of the 64 kB taken: ~1.3 MB of TSV or JSON fills the disk while writing, not at the end;
    // the annotated VCF (bgzip: 6 kB) fails when htslib flushes or closes it.
    ASSERT_EQ(run_shell("dd if=/dev/zero of=small/fill bs=4k count=15 2>&1", dir).exit_code, 0);
    for (const std::string target :
         {"small/out.tsv", "small/out.json", "small/out.vcf.gz", "small/out.bcf"}) {
        const auto r = run_kitrx("annotate many.vcf -o " + target, dir);
        EXPECT_EQ(r.exit_code, 1) << target << ": " << r.err;
        EXPECT_NE(r.err.find("kitrx: error: cannot write '" + target + "': No space left on device"),
                  std::string::npos)
            << target << ": " << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(dir + "/" + target)) << target;
        EXPECT_FALSE(has_temporary(mnt)) << listing(mnt);
    }
}

// Security regression (issue 19 item 1): the temporary used to be `.NAME.kitrx-tmp.PID`, opened
// with O_CREAT|O_TRUNC, so a symlink planted at that name (PID known via `exec`) made kitrx write
// through it. Now the name is random and created with O_EXCL|O_NOFOLLOW: the victim is untouched.
TEST(HardeningCli, PlantedSymlinkAtTheOldTemporaryNameIsNotFollowed) {
    const auto dir = temp_dir("hardening_symlink");
    const auto r = run_shell(
        "export KITRX SRC; printf 'keep me\\n' > victim; mkdir -p d; "
        "bash -c 'ln -s ../victim d/.o.tsv.kitrx-tmp.$$; ln -s ../victim .r.tsv.kitrx-tmp.$$; "
        "exec \"$KITRX\" annotate \"$SRC/test-data/vcf/demo_gist_plasma.vcf\" -o d/o.tsv' && "
        "bash -c 'ln -s victim .r.tsv.kitrx-tmp.$$; exec \"$KITRX\" report -d rep "
        "\"$SRC/test-data/vcf/demo_gist_plasma.vcf\" > /dev/null'",
        dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::ifstream victim(dir + "/victim");
    std::string line;
    std::getline(victim, line);
    EXPECT_EQ(line, "keep me");
    std::ifstream out(dir + "/d/o.tsv");
    std::string first;
    std::getline(out, first);
    EXPECT_EQ(first.rfind("##", 0), 0u) << "annotate output missing or wrong: " << first;
    EXPECT_TRUE(fs::exists(dir + "/rep")) << listing(dir);
}

}  // namespace
}  // namespace kitrx::test
