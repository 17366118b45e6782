#include "core/json_locator.h"

#include <gtest/gtest.h>

namespace vt {
namespace {

TEST(JsonLocatorTest, FindsNestedValuesByPointer) {
    const std::string text = "{\n  \"a\": [1,\n    {\"b/c\": \"x\", \"d~\": {\"e\": null}}],\n  \"f\": \"\\u4e2d\\\"\"\n}";
    JsonLocator locator(text);
    EXPECT_EQ(locator.find("").line, 1u);
    EXPECT_EQ(locator.find("/a").line, 2u);
    EXPECT_EQ(locator.find("/a").column, 8u);
    EXPECT_EQ(locator.find("/a/0").column, 9u);
    const TextLocation bc = locator.find("/a/1/b~1c");
    EXPECT_EQ(bc.line, 3u);
    EXPECT_EQ(bc.column, 13u);
    EXPECT_EQ(locator.find("/a/1/d~0/e").line, 3u);
    EXPECT_EQ(locator.find("/f").line, 4u);
    // A pointer that does not exist falls back to its nearest parent.
    EXPECT_EQ(locator.find("/a/1/zzz").line, 3u);
    EXPECT_EQ(locator.find("/a/1/zzz").column, locator.find("/a/1").column);
    EXPECT_TRUE(locator.duplicateKeys().empty());
}

TEST(JsonLocatorTest, ReportsDuplicateKeys) {
    JsonLocator locator(R"({"a": 1, "b": {"x": 1, "x": 2}, "a": 3})");
    ASSERT_EQ(locator.duplicateKeys().size(), 2u);
    EXPECT_EQ(locator.duplicateKeys()[0], "/b/x");
    EXPECT_EQ(locator.duplicateKeys()[1], "/a");
}

TEST(JsonLocatorTest, StopsSafelyOnTruncatedText) {
    for (std::string text : {"{\"a\": [1, 2", "{\"a\": \"unterminated", "{\"a\"", "[{\"\\u12", "{\"k\": {\"j\":"}) {
        JsonLocator locator(text);
        EXPECT_EQ(locator.find("").line, 1u) << text;
    }
}

TEST(JsonLocatorTest, OffsetsBecomeLinesAndColumns) {
    const TextLocation at = locateOffset("ab\ncd\nef", 7);
    EXPECT_EQ(at.line, 3u);
    EXPECT_EQ(at.column, 2u);
}

}  // namespace
}  // namespace vt
