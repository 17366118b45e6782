// Packs given on their own become a valid exhibit: one plinth each, a tour that visits them (the
// builder the viewer and the headset share).
#include <gtest/gtest.h>

#include <filesystem>

#include "exhibit/packs_exhibit.h"

namespace vt::exhibit {
namespace {

TEST(PacksExhibit, PacksBecomeARoomWithATour) {
    const std::string json = exhibitJsonForPacks({"/data/whale \"big\".vpk", "https://example.org/packs/venus.vpk"});
    const ParseResult parsed = parseExhibit(json, "(packs)");
    for (const auto& d : parsed.diagnostics) ADD_FAILURE() << d.format();
    ASSERT_TRUE(parsed.usable);
    ASSERT_EQ(parsed.exhibit.artifacts.size(), 2u);
    EXPECT_EQ(parsed.exhibit.artifacts[0].pack, "/data/whale \"big\".vpk");
    EXPECT_EQ(parsed.exhibit.artifacts[0].label.title.get("en"), "whale \"big\"");
    EXPECT_EQ(parsed.exhibit.artifacts[1].label.title.get("en"), "venus");
    EXPECT_EQ(parsed.exhibit.tour.stops.size(), 2u);
    EXPECT_EQ(parsed.exhibit.rooms.size(), 1u);
}

TEST(PacksExhibit, ALocalPathIsMadeAbsoluteAndAUrlIsKept) {
    const ParseResult parsed = exhibitForPacks({"packs/whale.vpk", "HTTPS://example.org/venus.vpk"});
    for (const auto& d : parsed.diagnostics) ADD_FAILURE() << d.format();
    ASSERT_TRUE(parsed.usable);
    ASSERT_EQ(parsed.exhibit.artifacts.size(), 2u);
    EXPECT_EQ(parsed.exhibit.artifacts[0].pack, (std::filesystem::current_path() / "packs/whale.vpk").string());
    EXPECT_EQ(parsed.exhibit.artifacts[1].pack, "HTTPS://example.org/venus.vpk");
    ASSERT_TRUE(parsed.exhibit.start.has_value()) << "the row's own start faces the plinths";
}

}  // namespace
}  // namespace vt::exhibit
