#include "validate/pattern.h"

#include <gtest/gtest.h>

#include "model/model.h"

namespace cairn::validate {
namespace {

TEST(PatternTest, SearchesUnlessAnchored) {
  EXPECT_TRUE(Pattern("[\\w\\-]+").Matches("has space"));  // Smithy: matches anywhere
  EXPECT_FALSE(Pattern("^[\\w\\-]+$").Matches("has space"));
}

TEST(PatternTest, UnicodeClassesAndCaseInsensitiveFlag) {
  const Pattern tag_value("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
  EXPECT_TRUE(tag_value.Matches("Équipe données 42"));
  EXPECT_FALSE(tag_value.Matches("semi;colon"));
  const Pattern account("(?i)all|[0-9]{12}");
  EXPECT_TRUE(account.Matches("ALL"));
  EXPECT_TRUE(account.Matches("123456789012"));
  EXPECT_FALSE(account.Matches("some"));
}

TEST(PatternTest, SecurityHubTagKeyLookaheadRewrite) {
  const Pattern tag_key("^(?!aws:)[a-zA-Z+-=._:/]+$");
  EXPECT_TRUE(tag_key.Matches("team"));
  EXPECT_TRUE(tag_key.Matches("cost,center<1="));  // the `+-=` range admits these
  EXPECT_FALSE(tag_key.Matches("aws:reserved"));
  EXPECT_FALSE(tag_key.Matches("has space"));
}

TEST(PatternTest, NotBlankLookaheadRewrite) {
  const Pattern not_blank("^(?!\\s*$).+");
  EXPECT_TRUE(not_blank.Matches(" x "));
  EXPECT_FALSE(not_blank.Matches("   "));
  EXPECT_FALSE(not_blank.Matches(""));
}

TEST(PatternTest, JavaUnicodeEscapes) {
  const Pattern printable("^[\\u0020-\\u007E]+$");
  EXPECT_TRUE(printable.Matches("plain ascii ~"));
  EXPECT_FALSE(printable.Matches("tab\there"));
}

TEST(PatternTest, EveryEmbeddedModelPatternCompiles) {
  auto catalog = model::Catalog::LoadEmbedded();
  size_t compiled = 0;
  for (const model::ServiceModel& service : catalog->services()) {
    for (const model::Shape& shape : service.shapes) {
      if (shape.pattern.empty()) continue;
      EXPECT_NO_THROW(Pattern{shape.pattern}.Compile()) << service.name << " " << shape.name;
      ++compiled;
    }
  }
  EXPECT_GT(compiled, 50u);
}

TEST(PatternTest, RefusesUnknownLookaroundAndBadSyntax) {
  EXPECT_THROW(Pattern("^(?!foo)bar").Compile(), std::runtime_error);
  EXPECT_THROW(Pattern("(unclosed").Compile(), std::runtime_error);
}

}  // namespace
}  // namespace cairn::validate
