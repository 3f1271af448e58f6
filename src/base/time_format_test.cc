#include "base/time_format.h"

#include <gtest/gtest.h>

namespace cairn::time_format {
namespace {

TEST(TimeFormatTest, Iso8601WithMilliseconds) {
  EXPECT_EQ(Iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(Iso8601(1714566896.789), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(Iso8601(951782400), "2000-02-29T00:00:00.000Z");  // leap day
}

TEST(TimeFormatTest, ParsesWhatItWritesAndOffsets) {
  EXPECT_DOUBLE_EQ(*ParseIso8601("2024-05-01T12:34:56.789Z"), 1714566896.789);
  EXPECT_DOUBLE_EQ(*ParseIso8601("2024-05-01T14:34:56+02:00"), 1714566896);
  EXPECT_FALSE(ParseIso8601("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("yesterday"));
  EXPECT_FALSE(ParseIso8601("2024-05-01T12:34:56Zjunk"));
}

TEST(TimeFormatTest, EpochKeepsMilliseconds) {
  EXPECT_DOUBLE_EQ(EpochMillisPrecision(1714566896.78949), 1714566896.789);
}

}  // namespace
}  // namespace cairn::time_format
