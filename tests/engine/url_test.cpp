// The one URL predicate (core/url.h): scheme case-insensitive, nothing else is a URL.
#include <gtest/gtest.h>

#include "core/url.h"

namespace vt {
namespace {

TEST(IsHttpUrl, SchemesInAnyCaseAndNothingElse) {
    EXPECT_TRUE(isHttpUrl("http://host/a.vpk"));
    EXPECT_TRUE(isHttpUrl("https://host/a.vpk"));
    EXPECT_TRUE(isHttpUrl("HTTPS://host/a.vpk"));
    EXPECT_TRUE(isHttpUrl("Http://host"));
    EXPECT_FALSE(isHttpUrl("httpx://host"));
    EXPECT_FALSE(isHttpUrl("https:/host"));
    EXPECT_FALSE(isHttpUrl("https"));
    EXPECT_FALSE(isHttpUrl("packs/https://x.vpk"));
    EXPECT_FALSE(isHttpUrl("ftp://host/a.vpk"));
    EXPECT_FALSE(isHttpUrl("/data/a.vpk"));
    EXPECT_FALSE(isHttpUrl(""));
    static_assert(isHttpUrl("HTTP://x") && !isHttpUrl("file:///x"));
}

}  // namespace
}  // namespace vt
