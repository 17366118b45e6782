// Checks the eye images vitrine-xr captured under Monado (run by monado_test.sh, which points
// VITRINE_XR_CAPTURE_DIR at the capture): each eye matches its golden within the tolerance, and the
// two eyes differ by the parallax of parallel eyes (the left eye sees the scene shifted right).
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "asset/image_io.h"
#include "golden.h"

namespace vt::test {
namespace {

std::filesystem::path captureDir() {
    const char* dir = std::getenv("VITRINE_XR_CAPTURE_DIR");
    return dir ? dir : "";
}

asset::Image load(const std::string& name) {
    auto image = asset::readImage(captureDir() / name);
    EXPECT_TRUE(image) << (image ? "" : image.error().message);
    return image ? *image : asset::Image{};
}

// Mean absolute difference of the green channel between left(x) and right(x - shift) over the
// columns both cover: small where the shift undoes the parallax.
double shiftedDifference(const asset::Image& left, const asset::Image& right, int shift) {
    double sum = 0.0;
    size_t count = 0;
    for (uint32_t y = 0; y < left.height; ++y)
        for (int x = std::max(0, shift); x < int(left.width) + std::min(0, shift); ++x) {
            const int a = left.rgba[(size_t(y) * left.width + x) * 4 + 1];
            const int b = right.rgba[(size_t(y) * right.width + (x - shift)) * 4 + 1];
            sum += std::abs(a - b);
            ++count;
        }
    return count ? sum / double(count) : 1e9;
}

class XrCapture : public ::testing::Test {
protected:
    void SetUp() override {
        if (captureDir().empty()) GTEST_SKIP() << "run by tests/xr/monado_test.sh (VITRINE_XR_CAPTURE_DIR)";
        prefix_ = std::getenv("VITRINE_XR_GOLDEN_PREFIX") ? std::getenv("VITRINE_XR_GOLDEN_PREFIX") : "xr_gallery";
    }
    std::string prefix_;
};

TEST_F(XrCapture, EyesMatchTheirGoldens) {
    const asset::Image left = load("left.png");
    const asset::Image right = load("right.png");
    ASSERT_GT(left.width, 0u);
    const GoldenResult l = compareWithGolden(left, prefix_ + "_left");
    EXPECT_TRUE(l.passed) << l.message;
    const GoldenResult r = compareWithGolden(right, prefix_ + "_right");
    EXPECT_TRUE(r.passed) << r.message;
}

TEST_F(XrCapture, EyesDifferByParallaxInTheRightDirection) {
    const asset::Image left = load("left.png");
    const asset::Image right = load("right.png");
    ASSERT_EQ(left.width, right.width);
    ASSERT_EQ(left.height, right.height);
    const double unshifted = shiftedDifference(left, right, 0);
    EXPECT_GT(unshifted, 0.5) << "the eyes must not see the same picture";
    int best = 0;
    double bestDifference = unshifted;
    for (int shift = -24; shift <= 24; ++shift) {
        const double d = shiftedDifference(left, right, shift);
        if (d < bestDifference) {
            bestDifference = d;
            best = shift;
        }
    }
    std::printf("xr parallax: best shift %d px (difference %.2f, unshifted %.2f)\n", best, bestDifference, unshifted);
    // Parallel eyes: what the right eye sees at x, the left eye sees further right.
    EXPECT_GT(best, 0) << "left eye content should sit right of the right eye's";
    EXPECT_LT(best, 24);
    EXPECT_LT(bestDifference, unshifted);
}

}  // namespace
}  // namespace vt::test
