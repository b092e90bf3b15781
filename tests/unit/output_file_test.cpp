// SPDX-License-Identifier: MIT
// OutputFile: temporary + rename, nothing left behind without commit(), an existing target kept
// intact by a failed run, finish() before commit(), write errors with the system's reason.
#include "kitrx/common/output_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "kitrx/common/errors.hpp"
#include "test_paths.hpp"

namespace kitrx {
namespace {

namespace fs = std::filesystem;

std::string fresh_dir(const std::string& name) {
    const std::string dir = std::string(KITRX_BUILD_DIR) + "/test-tmp/output_file_" + name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::size_t temporaries(const std::string& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".kitrx-tmp.") != std::string::npos) ++n;
    return n;
}

TEST(OutputFile, WritesATemporaryThatCommitRenamesOverTheTarget) {
    const auto dir = fresh_dir("commit");
    const std::string target = dir + "/out.tsv";
    {
        OutputFile out(target);
        out.stream() << "a\tb\n";
        EXPECT_FALSE(fs::exists(target)) << "the target appears only at commit";
        EXPECT_EQ(temporaries(dir), 1u);
        EXPECT_EQ(fs::path(out.temp_path()).parent_path(), fs::path(dir))
            << "same folder, so rename is atomic";
        out.commit();
    }
    EXPECT_EQ(read(target), "a\tb\n");
    EXPECT_EQ(temporaries(dir), 0u);
}

TEST(OutputFile, WithoutCommitTheTemporaryGoesAndAnExistingTargetIsKept) {
    const auto dir = fresh_dir("abandon");
    const std::string target = dir + "/out.tsv";
    std::ofstream(target) << "yesterday's complete result\n";
    {
        OutputFile out(target);
        out.stream() << std::string(200000, 'x');  // more than the buffer: bytes reach the temporary
    }
    EXPECT_EQ(read(target), "yesterday's complete result\n");
    EXPECT_EQ(temporaries(dir), 0u);
}

TEST(OutputFile, FinishChecksEverythingBeforeAnyRename) {
    const auto dir = fresh_dir("finish");
    OutputFile a(dir + "/a.tsv"), b(dir + "/b.tsv");
    a.stream() << "A";
    b.stream() << "B";
    a.finish();
    b.finish();
    EXPECT_FALSE(fs::exists(dir + "/a.tsv"));
    a.commit();
    b.commit();
    EXPECT_EQ(read(dir + "/a.tsv"), "A");
    EXPECT_EQ(read(dir + "/b.tsv"), "B");
    a.commit();  // idempotent
}

TEST(OutputFile, DirectoryOrMissingFolderIsAnIoError) {
    const auto dir = fresh_dir("errors");
    EXPECT_THROW(OutputFile out(dir), IoError);
    try {
        OutputFile out(dir + "/missing/x.tsv");
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
    }
}

TEST(OutputFile, AFifoTargetIsWrittenInPlace) {
    const auto dir = fresh_dir("fifo");
    const std::string fifo = dir + "/out.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // Opening a FIFO for writing waits for a reader: open it read-write from here first.
    std::fstream reader(fifo, std::ios::in | std::ios::out);
    ASSERT_TRUE(reader.is_open());
    {
        OutputFile out(fifo);
        EXPECT_EQ(out.temp_path(), fifo) << "no temporary for a FIFO";
        out.stream() << "through the pipe\n";
        out.commit();
    }
    std::string line;
    std::getline(reader, line);
    EXPECT_EQ(line, "through the pipe");
    struct stat st {};
    ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced";
    EXPECT_EQ(temporaries(dir), 0u);
}

TEST(OutputFile, AFullDeviceIsAnIoErrorWithTheReasonAndTheDeviceStays) {
    struct stat before {};
    if (::stat("/dev/full", &before) != 0 || !S_ISCHR(before.st_mode)) GTEST_SKIP() << "no /dev/full here";
    OutputFile out("/dev/full");
    // Written in place; a rename over /dev/full (as root) would replace the device: stop before.
    ASSERT_EQ(out.temp_path(), "/dev/full");
    out.stream() << std::string(100000, 'x');
    try {
        out.commit();
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot write '/dev/full': No space left on device"),
                  std::string::npos)
            << e.what();
    }
    struct stat after {};
    ASSERT_EQ(::stat("/dev/full", &after), 0);
    EXPECT_TRUE(S_ISCHR(after.st_mode));
}

}  // namespace
}  // namespace kitrx
