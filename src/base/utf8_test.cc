#include "base/utf8.h"

#include <gtest/gtest.h>

namespace cairn::utf8 {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValid(""));
  EXPECT_TRUE(IsValid("plain ascii"));
  EXPECT_TRUE(IsValid("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValid(std::string_view("a\0b", 3)));  // NUL is a character
  EXPECT_TRUE(IsValid("\xF4\x8F\xBF\xBF"));           // U+10FFFF
}

TEST(Utf8, RefusesMalformedSequences) {
  EXPECT_FALSE(IsValid("\xFF"));
  EXPECT_FALSE(IsValid("\xC3"));              // truncated
  EXPECT_FALSE(IsValid("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(IsValid("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValid("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValid("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValid("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValid("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValid("\xA0"));  // lone continuation byte
  EXPECT_FALSE(IsValid("\xE2\x82"));
}

TEST(Utf8, SanitizeReplacesEachBadByte) {
  EXPECT_EQ(Sanitize("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_EQ(Sanitize("a\xFF"
                     "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Sanitize("\xC3\x28"),
            "\xEF\xBF\xBD"
            "(");
  EXPECT_TRUE(IsValid(Sanitize("\xED\xA0\x80\xF0\x28\x8c\xbc")));
}

}  // namespace
}  // namespace cairn::utf8
