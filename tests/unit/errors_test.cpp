// SPDX-License-Identifier: MIT
// printable() and valid_utf8() (issue 19 items 8 and 9). Expected values are hand-written from the
// escape rules in errors.hpp and the UTF-8 definition (RFC 3629), not produced by the code.
#include "kitrx/common/errors.hpp"

#include <gtest/gtest.h>

namespace kitrx {
namespace {

TEST(Printable, EscapesControlBytesAndKeepsTheRest) {
    EXPECT_EQ(printable("plain name.vcf"), "plain name.vcf");
    EXPECT_EQ(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
    EXPECT_EQ(printable("x\x1b[31my\a\x7f"), "x\\x1b[31my\\x07\\x7f");
    EXPECT_EQ(printable(std::string("nul\0z", 5)), "nul\\x00z");
    EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 bytes >= 0x80 are text
}

TEST(ValidUtf8, ReplacesInvalidBytesWithUFFFD) {
    const std::string r = "\xef\xbf\xbd";
    EXPECT_EQ(valid_utf8("TUMOR"), "TUMOR");
    EXPECT_EQ(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
              "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    EXPECT_EQ(valid_utf8("pl\xe9sma"), "pl" + r + "sma");      // Latin-1 e acute
    EXPECT_EQ(valid_utf8("\xc0\xaf"), r + r);                  // overlong '/'
    EXPECT_EQ(valid_utf8("\xed\xa0\x80"), r + r + r);          // UTF-16 surrogate D800
    EXPECT_EQ(valid_utf8("end\xe2\x82"), "end" + r + r);       // truncated sequence
    EXPECT_EQ(valid_utf8("\xf4\x90\x80\x80"), r + r + r + r);  // above U+10FFFF
}

}  // namespace
}  // namespace kitrx
