// SPDX-License-Identifier: MIT
// Output hygiene of the binary (issue 10): write errors (full disk, /dev/full), closed stdout,
// device and FIFO targets, SIGINT/SIGTERM mid-run. A failed or interrupted run leaves neither the
// target nor a `.*.kitrx-tmp.*` temporary behind.
#include <filesystem>
#include <fstream>
#include <sstream>
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

// --- issue 19 items 3-12 (expected behaviour: the issue's "done when" and the documented
// output rules; each reproduction is the issue's command) ------------------------------------

const char* const kDemo = "\"$SRC/test-data/vcf/demo_gist_plasma.vcf\"";

// Item 3: the message rewrite looped forever when the target was its own "temporary" (a device).
// `timeout` turns a hang into a failure (exit 124) instead of a stuck CI job.
TEST(HardeningCli, VcfOutputToDevFullEndsWithAnErrorNotALoop) {
    const auto dir = temp_dir("hardening_devfull_vcf");
    for (const std::string format : {"v", "z", "b"}) {
        const auto r = run_shell(
            std::string("timeout 20 \"$KITRX\" annotate ") + kDemo + " -o /dev/full -O " + format, dir);
        EXPECT_EQ(r.exit_code, 1) << "-O " << format << ": " << r.err;
        EXPECT_NE(r.err.find("kitrx: error: cannot write '/dev/full': No space left on device"),
                  std::string::npos)
            << r.err;
    }
}

// Item 4: the FIFO was opened and closed once before htslib reopened it: the reader saw EOF and
// htslib waited forever for a new one. Shell test; the output must be the same VCF as a file gets.
TEST(HardeningCli, FifoTargetWithVcfOutputIsWrittenOnceAndEnds) {
    const auto dir = temp_dir("hardening_fifo_vcf");
    const auto r = run_shell(
        std::string("mkfifo f && { timeout 20 cat f > got.vcf & } && timeout 20 \"$KITRX\" annotate ") +
            kDemo + " -o f -O v --no-version && wait && \"$KITRX\" annotate " + kDemo +
            " -o expected.vcf --no-version",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(dir + "/got.vcf"), slurp(dir + "/expected.vcf"));
    EXPECT_NE(slurp(dir + "/got.vcf").find("#CHROM"), std::string::npos);
    EXPECT_FALSE(has_temporary(dir)) << listing(dir);
}

// Item 7: `-o a.vcf a.vcf` replaced the input. Same file also through a hard link, and in report.
TEST(HardeningCli, OutputThatIsTheInputIsRefused) {
    const auto dir = temp_dir("hardening_same_file");
    ASSERT_EQ(run_shell(std::string("cp ") + kDemo +
                            " a.vcf && ln a.vcf hard.vcf && mkdir -p rep && "
                            "cp a.vcf rep/x.clones.tsv",
                        dir)
                  .exit_code,
              0);
    const std::string before = slurp(dir + "/a.vcf");
    for (const std::string cmd : {"annotate a.vcf -o a.vcf", "annotate a.vcf -o a.vcf -O t",
                                  "annotate a.vcf -o hard.vcf", "annotate a.vcf -o ./a.vcf -O z"}) {
        const auto r = run_kitrx(cmd, dir);
        EXPECT_EQ(r.exit_code, 1) << cmd << ": " << r.err;
        EXPECT_NE(r.err.find("it is the input"), std::string::npos) << cmd << ": " << r.err;
    }
    const auto r = run_kitrx("report rep/x.clones.tsv -d rep -p x", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("cannot write 'rep/x.clones.tsv': it is the input 'rep/x.clones.tsv'"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(slurp(dir + "/a.vcf"), before);
    EXPECT_EQ(slurp(dir + "/rep/x.clones.tsv"), before);
    EXPECT_FALSE(has_temporary(dir)) << listing(dir);
}

// Item 8: a newline in the input file or panel name wrote fake rows before the TSV header; ESC and
// BEL bytes reached the terminal raw.
TEST(HardeningCli, NewlinesAndControlBytesInNamesAreEscaped) {
    const auto dir = temp_dir("hardening_injection");
    ASSERT_EQ(run_shell(std::string("cp ") + kDemo +
                            " \"$(printf 'in\\n##fake=1\\nsample\\tx.vcf')\" && "
                            "sed 's/^  name: minimal test panel/  name: \"evil\\\\nsample\\\\tfake\"/' "
                            "\"$SRC/test-data/panels/minimal.yaml\" > panel.yaml",
                        dir)
                  .exit_code,
              0);
    const auto r = run_shell(
        "\"$KITRX\" annotate \"$(printf 'in\\n##fake=1\\nsample\\tx.vcf')\" --panel panel.yaml", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Every line before the header is a ## line, the header comes once, no fake row.
    std::istringstream lines(r.out);
    std::string line;
    int headers = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("##", 0) == 0) {
            EXPECT_EQ(line.rfind("##fake", 0), std::string::npos) << line;
            continue;
        }
        EXPECT_EQ(line.rfind("sample\t", 0) == 0 ? ++headers : 1, 1) << line;
        if (headers == 1 && line.rfind("sample\tchrom", 0) == 0) break;
    }
    EXPECT_EQ(headers, 1);
    EXPECT_NE(r.out.find("##input=in\\n##fake=1\\nsample\\tx.vcf (VCF"), std::string::npos)
        << r.out.substr(0, 600);
    EXPECT_NE(r.out.find("##panel=evil\\nsample\\tfake 1.0"), std::string::npos) << r.out.substr(0, 600);
    // stderr: the bytes arrive as \x1b and \x07, never raw.
    const auto e = run_shell("\"$KITRX\" annotate \"$(printf 'no\\033[31m\\a.vcf')\"", dir);
    EXPECT_EQ(e.exit_code, 1);
    EXPECT_EQ(e.err.find('\033'), std::string::npos) << e.err;
    EXPECT_EQ(e.err.find('\a'), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("no\\x1b[31m\\x07.vcf"), std::string::npos) << e.err;
}

// Item 9: a non-UTF-8 file name aborted JSON output (json type_error 316).
TEST(HardeningCli, FileNameNotUtf8GivesValidJson) {
    const auto dir = temp_dir("hardening_utf8");
    ASSERT_EQ(run_shell(std::string("cp ") + kDemo + " \"$(printf 'pl\\xe9sma.vcf')\"", dir).exit_code, 0);
    const auto r = run_shell(
        "\"$KITRX\" annotate \"$(printf 'pl\\xe9sma.vcf')\" -O j && "
        "\"$KITRX\" report \"$(printf 'pl\\xe9sma.vcf')\" -d rep > /dev/null",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("pl\xef\xbf\xbdsma.vcf"), std::string::npos);
}

// Item 10: only SIGINT/SIGTERM cleaned up. 128 + signal number: killed by that signal.
TEST(HardeningCli, SighupMidRunLeavesNeitherTargetNorTemporary) {
    expect_signal_leaves_nothing("HUP", 129);
}
TEST(HardeningCli, Sigusr1MidRunLeavesNeitherTargetNorTemporary) {
    expect_signal_leaves_nothing("USR1", 138);
}
TEST(HardeningCli, SigalrmMidRunLeavesNeitherTargetNorTemporary) {
    expect_signal_leaves_nothing("ALRM", 142);
}
TEST(HardeningCli, SigxcpuMidRunLeavesNeitherTargetNorTemporary) {
    expect_signal_leaves_nothing("XCPU", 152);
}

TEST(HardeningCli, SigtermDuringReportLeavesNoNewOutdir) {
    const auto dir = temp_dir("hardening_signal_report");
    const auto r = run_shell(
        "mkfifo in.vcf; { head -n 40 \"$SRC/test-data/vcf/demo_gist_plasma.vcf\"; exec sleep 30; } > in.vcf "
        "& "
        "writer=$!; \"$KITRX\" report in.vcf -d a/b/rep & pid=$!; "
        "for i in $(seq 1 200); do ls -A a/b/rep 2>/dev/null | grep -q kitrx-tmp && break; sleep 0.05; done; "
        "ls -A a/b/rep | grep kitrx-tmp > seen; kill -TERM $pid; wait $pid; echo $? > status; kill $writer; "
        "wait",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(slurp(dir + "/seen"), "") << "the signal did not come mid-run";
    EXPECT_EQ(std::stoi(slurp(dir + "/status")), 143);
    EXPECT_FALSE(fs::exists(dir + "/a")) << listing(dir);
}

TEST(HardeningCli, FailedNestedOutdirLeavesNoParents) {
    const auto dir = temp_dir("hardening_nested_outdir");
    const auto r = run_kitrx("report \"$SRC/test-data/bad/ref_mismatch.vcf\" --outdir a/b/c", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_FALSE(fs::exists(dir + "/a")) << listing(dir);
    // An existing parent is kept.
    fs::create_directories(dir + "/keep");
    EXPECT_EQ(run_kitrx("report \"$SRC/test-data/bad/ref_mismatch.vcf\" --outdir keep/b/c", dir).exit_code,
              1);
    EXPECT_TRUE(fs::exists(dir + "/keep"));
    EXPECT_FALSE(fs::exists(dir + "/keep/b"));
}

// Item 11: --stdout to a full disk exited 1 after renaming all 7 files into place.
TEST(HardeningCli, ReportStdoutToDevFullCommitsNothing) {
    const auto dir = temp_dir("hardening_report_devfull");
    const auto r =
        run_shell(std::string("\"$KITRX\" report --stdout clones -d rep ") + kDemo + " > /dev/full", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("cannot write to standard output: No space left on device"), std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(dir + "/rep")) << listing(dir);
    // A closed pipe is not an error: the report is committed, exit 0.
    const auto p = run_shell(
        std::string("\"$KITRX\" report --stdout clones -d rep2 ") + kDemo + " | head -c 1 > /dev/null", dir);
    EXPECT_EQ(p.exit_code, 0) << p.err;
    EXPECT_TRUE(fs::exists(dir + "/rep2/demo_gist_plasma.report.html"));
}

TEST(HardeningCli, VersionAndHelpToDevFullFail) {
    const auto dir = temp_dir("hardening_version_devfull");
    for (const std::string cmd : {"--version", "--help", "annotate --help"}) {
        const auto r = run_shell("\"$KITRX\" " + cmd + " > /dev/full", dir);
        EXPECT_EQ(r.exit_code, 1) << cmd << ": " << r.err;
        EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << cmd << ": " << r.err;
    }
}

// Item 12: --no-version was ignored for VCF output; a valid 250-character -o name failed with
// ENAMETOOLONG because of the temporary's suffix.
TEST(HardeningCli, NoVersionDropsTheKitrxLinesOfVcfOutput) {
    const auto dir = temp_dir("hardening_no_version_vcf");
    const auto r = run_shell(std::string("\"$KITRX\" annotate --no-version -O v ") + kDemo +
                                 " | grep -cE '^##kitrx_(version|command|panel|notice)='; true",
                             dir);
    EXPECT_EQ(r.out, "0\n") << r.err;
    const auto with = run_shell(std::string("\"$KITRX\" annotate -O v ") + kDemo +
                                    " | grep -cE '^##kitrx_(version|command|panel|notice)='",
                                dir);
    EXPECT_NE(with.out, "0\n");
}

TEST(HardeningCli, OutputNameOf250CharactersWorks) {
    const auto dir = temp_dir("hardening_long_name");
    const std::string name = std::string(246, 'n') + ".tsv";  // 250 <= NAME_MAX (255)
    for (const std::string format : {"t", "v"}) {
        const auto r = run_kitrx(std::string("annotate ") + kDemo + " -O " + format + " -o " + name, dir);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(fs::exists(dir + "/" + name));
        EXPECT_FALSE(has_temporary(dir)) << listing(dir);
        fs::remove(dir + "/" + name);
    }
}

// Found by fuzz_panel while fixing item 12: yaml-cpp's LoadAll() (used to see a second document)
// looped forever on this fuzzed panel. Expected: the loader's ordinary errors, promptly.
TEST(HardeningCli, FuzzedPanelThatHungYamlLoadAllEndsWithErrors) {
    const auto dir = temp_dir("hardening_loadall_hang");
    const auto r = run_shell(
        "timeout 20 \"$KITRX\" panel check \"$SRC/tests/fuzz/corpus/panel/regress_yaml_loadall_hang\"", dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;  // 124 = timeout: the hang is back
    EXPECT_NE(r.err.find(":2:5: unknown key 'gene' in the panel file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kitrx::test
