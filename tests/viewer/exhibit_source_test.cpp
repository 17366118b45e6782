// Packs given on the command line become a valid exhibit: one plinth each, a tour that visits them.
#include <gtest/gtest.h>

#include "viewer/exhibit_source.h"

namespace vt::viewer {
namespace {

TEST(ExhibitSource, PacksBecomeARoomWithATour) {
    const std::string json = exhibitJsonForPacks({"/data/whale \"big\".vpk", "https://example.org/packs/venus.vpk"});
    const exhibit::ParseResult parsed = exhibit::parseExhibit(json, "(packs)");
    for (const auto& d : parsed.diagnostics) ADD_FAILURE() << d.format();
    ASSERT_TRUE(parsed.usable);
    ASSERT_EQ(parsed.exhibit.artifacts.size(), 2u);
    EXPECT_EQ(parsed.exhibit.artifacts[0].pack, "/data/whale \"big\".vpk");
    EXPECT_EQ(parsed.exhibit.artifacts[0].label.title.get("en"), "whale \"big\"");
    EXPECT_EQ(parsed.exhibit.artifacts[1].label.title.get("en"), "venus");
    EXPECT_EQ(parsed.exhibit.tour.stops.size(), 2u);
    EXPECT_EQ(parsed.exhibit.rooms.size(), 1u);
}

TEST(ExhibitSource, BrokenExhibitKeepsItsDiagnostics) {
    const OpenedExhibit opened = openInputs({"/nonexistent/exhibit.json"});
    EXPECT_FALSE(opened.usable);
    ASSERT_FALSE(opened.problems.empty());
    EXPECT_NE(opened.problems[0].find("/nonexistent/exhibit.json"), std::string::npos);
}

}  // namespace
}  // namespace vt::viewer
