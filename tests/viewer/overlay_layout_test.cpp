// Annotation labels beside their markers never cover a panel (engine/ui/overlay_layout).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ui/overlay_layout.h"

namespace vt::ui {
namespace {

// A text of `characters` glyphs 8 px wide in lines 16 px high, wrapped at any glyph.
MeasureText monospace(int characters) {
    return [characters](float wrapWidth) {
        const int perLine = std::max(1, int(wrapWidth / 8.0f));
        const int lines = (characters + perLine - 1) / perLine;
        return glm::vec2(8.0f * std::min(characters, perLine), 16.0f * lines);
    };
}

const LabelRules kRules{.gap = 4, .padding = 4, .lineHeight = 16, .minWidth = 64, .maxWidth = 480};
const glm::vec2 kViewport{800, 500};

TEST(OverlayLayout, ALabelWithRoomSitsRightOfItsMarkerOnOneLine) {
    const auto placed = placeLabel({100, 200}, 9, kViewport, {}, monospace(20), kRules);
    ASSERT_TRUE(placed);
    EXPECT_FLOAT_EQ(placed->textAt.x, 100 + 9 + 4 + 4);
    EXPECT_FLOAT_EQ(placed->textAt.y, 200 - 8);
    EXPECT_FLOAT_EQ(placed->box.max.x - placed->box.min.x, 160 + 8);
    EXPECT_FLOAT_EQ(placed->box.max.y - placed->box.min.y, 16 + 8);
}

TEST(OverlayLayout, ALabelRunningUnderAPanelGoesToTheOtherSideWrapped) {
    // The sample's inspect view: the marker just left of the information panel, a long label.
    const std::vector<ScreenRect> panels{{{418, 78}, {792, 464}}, {{8, 8}, {502, 62}}};
    const auto placed = placeLabel({322, 313}, 9, kViewport, panels, monospace(60), kRules);
    ASSERT_TRUE(placed);
    for (const ScreenRect& panel : panels) EXPECT_FALSE(placed->box.overlaps(panel));
    EXPECT_LT(placed->box.max.x, 322.0f) << "left of the marker";
    EXPECT_GE(placed->box.min.x, 0.0f);
    EXPECT_GT(placed->box.max.y - placed->box.min.y, 16 + 8) << "wrapped to the room there is";
}

TEST(OverlayLayout, ALabelWrapsToEndBeforeAPanelOnItsRight) {
    const std::vector<ScreenRect> panels{{{500, 0}, {800, 500}}};
    const auto placed = placeLabel({100, 200}, 9, kViewport, panels, monospace(80), kRules);
    ASSERT_TRUE(placed);
    EXPECT_GT(placed->box.min.x, 100.0f) << "still on the right: there is room for lines of 47 glyphs";
    EXPECT_LE(placed->box.max.x, 500.0f);
    EXPECT_FALSE(placed->box.overlaps(panels[0]));
}

TEST(OverlayLayout, WrappedLinesAreBalanced) {
    // 70 glyphs wrap at 60 per line (480 px); balanced, they are two lines of 35.
    const auto placed = placeLabel({100, 200}, 9, kViewport, {}, monospace(70), kRules);
    ASSERT_TRUE(placed);
    EXPECT_NEAR(placed->box.max.x - placed->box.min.x, 35 * 8 + 8, 0.5);
    EXPECT_FLOAT_EQ(placed->box.max.y - placed->box.min.y, 2 * 16 + 8);
    EXPECT_GE(placed->wrapWidth, 35 * 8.0f);
}

TEST(OverlayLayout, NoRoomMeansNoLabel) {
    // Panels close on both sides of the marker.
    const std::vector<ScreenRect> panels{{{0, 0}, {80, 500}}, {{130, 0}, {800, 500}}};
    EXPECT_FALSE(placeLabel({105, 200}, 9, kViewport, panels, monospace(20), kRules));
    // A marker under a panel.
    const std::vector<ScreenRect> over{{{50, 150}, {300, 250}}};
    EXPECT_FALSE(placeLabel({100, 200}, 9, {300, 500}, over, monospace(20), kRules));
}

TEST(OverlayLayout, ALabelStaysInsideTheViewport) {
    const auto placed = placeLabel({760, 200}, 9, kViewport, {}, monospace(20), kRules);
    ASSERT_TRUE(placed);
    EXPECT_GE(placed->box.min.x, 0.0f);
    EXPECT_LE(placed->box.max.x, 800.0f);
}

}  // namespace
}  // namespace vt::ui
