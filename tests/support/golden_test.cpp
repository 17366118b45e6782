// The golden comparison on the committed goldens themselves (CPU only, runs everywhere): what a
// visitor would notice fails (an artifact missing, the other eye's picture, a wrong title), what a
// different GPU does to the same picture (noise of a few levels, edges moved by a pixel) passes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <format>
#include <random>

#include "asset/image_io.h"
#include "golden.h"

namespace vt::test {
namespace {

asset::Image golden(const std::string& name) {
    auto image = asset::readImage(std::filesystem::path(VITRINE_GOLDEN_DIR) / (name + ".png"));
    EXPECT_TRUE(image) << name << ": " << (image ? "" : image.error().message);
    return image ? *image : asset::Image{};
}

uint8_t* at(asset::Image& image, uint32_t x, uint32_t y) { return &image.rgba[(size_t(y) * image.width + x) * 4]; }

// What another GPU might make of the same frame: every channel off by up to `levels` (uniform, fixed
// seed) and the whole picture moved by (dx, dy) pixels, which moves every antialiased edge.
asset::Image otherGpu(const asset::Image& image, int levels, int dx, int dy) {
    asset::Image out = image;
    std::mt19937 random(7);
    std::uniform_int_distribution<int> noise(-levels, levels);
    for (uint32_t y = 0; y < image.height; ++y)
        for (uint32_t x = 0; x < image.width; ++x) {
            const uint32_t sx = uint32_t(std::clamp(int(x) - dx, 0, int(image.width) - 1));
            const uint32_t sy = uint32_t(std::clamp(int(y) - dy, 0, int(image.height) - 1));
            const uint8_t* from = &image.rgba[(size_t(sy) * image.width + sx) * 4];
            uint8_t* to = at(out, x, y);
            for (int c = 0; c < 3; ++c) to[c] = uint8_t(std::clamp(int(from[c]) + noise(random), 0, 255));
            to[3] = from[3];
        }
    return out;
}

// Writes a negative case's picture and its difference image to test-output/golden_tests/ to look at.
void keep(const std::string& name, const asset::Image& picture, const ImageComparison& c) {
    const std::filesystem::path dir = std::filesystem::path(VITRINE_TEST_OUTPUT_DIR) / "golden_tests";
    std::filesystem::create_directories(dir);
    (void)asset::writePng(dir / (name + ".actual.png"), picture);
    (void)asset::writePng(dir / (name + ".diff.png"), c.diff);
}

const char* kGoldens[] = {"bunny",           "gallery_start",   "gallery_tour_venus", "saxophone",      "saxophone_stereo",
                          "venus",           "viewer_gallery",  "viewer_info_zh",     "viewer_inspect", "viewer_measure",
                          "whale_cranium",   "whale_root_page", "xr_ar_left",         "xr_ar_right",    "xr_gallery_left",
                          "xr_gallery_right", "xr_panel_left",  "xr_panel_right",     "xr_tour_left",   "xr_tour_right",
                          "zenobia"};

TEST(GoldenComparison, EveryGoldenPassesAgainstItselfOnAnotherGpu) {
    for (const char* name : kGoldens) {
        const asset::Image image = golden(name);
        ASSERT_GT(image.width, 0u) << name;
        for (const auto& [dx, dy] : {std::pair{1, 0}, {0, 1}, {1, 1}, {-1, 1}}) {
            const ImageComparison c = compareImages(otherGpu(image, 8, dx, dy), image);
            std::printf("%s, noise +-8, shift (%d, %d): %s\n", name, dx, dy, c.summary.c_str());
            EXPECT_TRUE(c.passed) << name << " shifted by (" << dx << ", " << dy << "): " << c.summary;
        }
        EXPECT_TRUE(compareImages(image, image).passed);
        EXPECT_EQ(compareImages(image, image).worstTileMean, 0.0);
    }
}

TEST(GoldenComparison, AMissingArtifactFails) {
    // The saxophone on the right plinth of the sample gallery's start view, painted over row by row
    // with the vitrine and wall around it (a straight blend between the pixels left and right of it).
    asset::Image image = golden("gallery_start");
    ASSERT_EQ(image.width, 320u);
    constexpr uint32_t x0 = 272, x1 = 297, y0 = 78, y1 = 128;  // the saxophone's box, inclusive
    size_t dark = 0;
    for (uint32_t y = y0; y <= y1; ++y)
        for (uint32_t x = x0; x <= x1; ++x) dark += at(image, x, y)[1] < 100;
    ASSERT_GT(dark, 60u) << "the saxophone is no longer in this box of gallery_start.png: find it again";
    asset::Image without = image;
    for (uint32_t y = y0; y <= y1; ++y) {
        const uint8_t* left = at(image, x0 - 1, y);
        const uint8_t* right = at(image, x1 + 1, y);
        for (uint32_t x = x0; x <= x1; ++x) {
            const double t = double(x - x0 + 1) / double(x1 - x0 + 2);
            for (int c = 0; c < 3; ++c) at(without, x, y)[c] = uint8_t(std::lround(left[c] * (1 - t) + right[c] * t));
        }
    }
    const ImageComparison c = compareImages(without, image);
    std::printf("gallery_start without the saxophone: %s\n", c.summary.c_str());
    keep("gallery_start_without_saxophone", without, c);
    EXPECT_FALSE(c.passed) << c.summary;
    // The worst window is on the saxophone, and the message says where.
    EXPECT_LT(c.worstTileX, x1);
    EXPECT_GT(c.worstTileX + c.worstTileWidth, x0);
    EXPECT_LT(c.worstTileY, y1);
    EXPECT_GT(c.worstTileY + c.worstTileHeight, y0);
    EXPECT_NE(c.summary.find(std::format("window at ({}, {})", c.worstTileX, c.worstTileY)), std::string::npos) << c.summary;
    // Also when the picture comes from another GPU.
    EXPECT_FALSE(compareImages(otherGpu(without, 8, 1, 1), image).passed);
}

TEST(GoldenComparison, TheOtherEyeFails) {
    for (const char* prefix : {"xr_ar", "xr_gallery", "xr_panel", "xr_tour"}) {
        const asset::Image left = golden(std::string(prefix) + "_left");
        const asset::Image right = golden(std::string(prefix) + "_right");
        const ImageComparison rightAsLeft = compareImages(right, left);
        const ImageComparison leftAsRight = compareImages(left, right);
        std::printf("%s: right eye as the left golden: %s\n", prefix, rightAsLeft.summary.c_str());
        std::printf("%s: left eye as the right golden: %s\n", prefix, leftAsRight.summary.c_str());
        EXPECT_FALSE(rightAsLeft.passed) << prefix << ": " << rightAsLeft.summary;
        EXPECT_FALSE(leftAsRight.passed) << prefix << ": " << leftAsRight.summary;
        EXPECT_GT(rightAsLeft.failingTiles, 0u) << "caught locally, not only by the frame's totals";
        keep(std::string(prefix) + "_right_as_left", right, rightAsLeft);
    }
}

TEST(GoldenComparison, AWrongTitleFails) {
    // The information panel's title "Long-finned pilot whale, cranium" becomes "Long-finned whale,
    // cranium": the word "pilot" and the space after it (x 512..544) are taken out of the title's
    // line and the rest of the line moves left, glyphs as the renderer drew them.
    asset::Image image = golden("viewer_inspect");
    ASSERT_EQ(image.width, 800u);
    constexpr uint32_t y0 = 106, y1 = 129, cut0 = 512, cut1 = 545, end = 700;
    auto inkInColumn = [&](uint32_t x) {
        for (uint32_t y = y0; y <= y1; ++y)
            if (at(image, x, y)[1] > 110) return true;  // light text on the dark panel
        return false;
    };
    ASSERT_TRUE(inkInColumn(cut0) && inkInColumn(cut1)) << "the title moved in viewer_inspect.png: find its words again";
    ASSERT_FALSE(inkInColumn(cut0 - 1) || inkInColumn(cut1 - 1)) << "the title moved in viewer_inspect.png";
    const uint8_t background[3] = {at(image, end, y0)[0], at(image, end, y0)[1], at(image, end, y0)[2]};
    asset::Image wrong = image;
    for (uint32_t y = y0; y <= y1; ++y)
        for (uint32_t x = cut0; x < end; ++x) {
            const uint32_t from = x + (cut1 - cut0);
            for (int c = 0; c < 3; ++c) at(wrong, x, y)[c] = from < end ? at(image, from, y)[c] : background[c];
        }
    const ImageComparison c = compareImages(wrong, image);
    std::printf("viewer_inspect with a wrong title: %s\n", c.summary.c_str());
    keep("viewer_inspect_wrong_title", wrong, c);
    EXPECT_FALSE(c.passed) << c.summary;
    EXPECT_LE(c.worstTileY, y1);
    EXPECT_GE(c.worstTileY + c.worstTileHeight, y0);
    EXPECT_FALSE(compareImages(otherGpu(wrong, 8, 1, 1), image).passed);
}

TEST(GoldenComparison, DifferentSizesFail) {
    asset::Image a{"a", 4, 4, std::vector<uint8_t>(64, 0)};
    asset::Image b{"b", 4, 3, std::vector<uint8_t>(48, 0)};
    EXPECT_FALSE(compareImages(a, b).passed);
}

TEST(GoldenComparison, SmallImagesUseOneWindow) {
    asset::Image a{"a", 8, 6, std::vector<uint8_t>(8 * 6 * 4, 100)};
    asset::Image b = a;
    for (uint32_t x = 0; x < 8; ++x) at(b, x, 2)[0] = 200;  // a red line across
    const ImageComparison c = compareImages(b, a);
    EXPECT_FALSE(c.passed);
    EXPECT_EQ(c.worstTileWidth, 8u);
    EXPECT_EQ(c.worstTileHeight, 6u);
    EXPECT_NEAR(c.worstTileMean, (100.0 - 8.0) * 8.0 / 48.0, 1e-9);  // one row of 8 out of 48 pixels, less the noise floor
}

}  // namespace
}  // namespace vt::test
