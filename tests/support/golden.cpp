#include "golden.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <format>

#include "asset/image_io.h"

namespace vt::test {

GoldenResult compareWithGolden(const asset::Image& actual, const std::string& name, const GoldenTolerance& tolerance) {
    const std::filesystem::path golden = std::filesystem::path(VITRINE_GOLDEN_DIR) / (name + ".png");
    const std::filesystem::path outputDir = VITRINE_TEST_OUTPUT_DIR;
    std::filesystem::create_directories(outputDir);
    const char* update = std::getenv("VITRINE_UPDATE_GOLDENS");
    if (update && *update && std::string(update) != "0") {
        auto written = asset::writePng(golden, actual);
        return {bool(written), written ? std::format("rewrote golden {}", golden.string()) : written.error().message};
    }
    auto expected = asset::readImage(golden);
    const std::filesystem::path actualPath = outputDir / (name + ".actual.png");
    if (!expected) {
        (void)asset::writePng(actualPath, actual);
        return {false, std::format("{} (actual written to {}; run with VITRINE_UPDATE_GOLDENS=1 to create it)",
                                   expected.error().message, actualPath.string())};
    }
    if (expected->width != actual.width || expected->height != actual.height) {
        (void)asset::writePng(actualPath, actual);
        return {false, std::format("{}: size {}x{}, golden {}x{}; actual written to {}", name, actual.width,
                                   actual.height, expected->width, expected->height, actualPath.string())};
    }
    asset::Image diff = actual;
    size_t different = 0;
    double sum = 0.0;
    const size_t pixels = size_t(actual.width) * actual.height;
    for (size_t i = 0; i < pixels; ++i) {
        int worst = 0;
        for (int c = 0; c < 3; ++c) {
            const int d = std::abs(int(actual.rgba[i * 4 + c]) - int(expected->rgba[i * 4 + c]));
            worst = std::max(worst, d);
            sum += d;
        }
        if (worst > tolerance.pixelThreshold) ++different;
        // Amplified difference, red where over the threshold.
        const uint8_t shown = uint8_t(std::min(255, worst * 8));
        diff.rgba[i * 4 + 0] = worst > tolerance.pixelThreshold ? 255 : shown;
        diff.rgba[i * 4 + 1] = worst > tolerance.pixelThreshold ? 0 : shown;
        diff.rgba[i * 4 + 2] = worst > tolerance.pixelThreshold ? 0 : shown;
        diff.rgba[i * 4 + 3] = 255;
    }
    const double fraction = double(different) / double(pixels);
    const double mean = sum / double(pixels * 3);
    const bool passed = fraction <= tolerance.maxDifferentFraction && mean <= tolerance.maxMeanDifference;
    std::string message = std::format("{}: {:.3f}% of pixels differ by more than {} (allowed {:.3f}%), mean "
                                      "difference {:.3f} (allowed {:.3f})",
                                      name, fraction * 100.0, tolerance.pixelThreshold,
                                      tolerance.maxDifferentFraction * 100.0, mean, tolerance.maxMeanDifference);
    if (!passed) {
        const std::filesystem::path diffPath = outputDir / (name + ".diff.png");
        (void)asset::writePng(actualPath, actual);
        (void)asset::writePng(diffPath, diff);
        message += std::format("; wrote {} and {}", actualPath.string(), diffPath.string());
    }
    return {passed, message};
}

static bool isForeground(const asset::Image& image, size_t i, const uint8_t background[3], int threshold) {
    for (int c = 0; c < 3; ++c)
        if (std::abs(int(image.rgba[i * 4 + c]) - int(background[c])) > threshold) return true;
    return false;
}

double coverage(const asset::Image& image, const uint8_t background[3], int threshold) {
    const size_t pixels = size_t(image.width) * image.height;
    size_t count = 0;
    for (size_t i = 0; i < pixels; ++i) count += isForeground(image, i, background, threshold);
    return pixels ? double(count) / double(pixels) : 0.0;
}

double meanLuminance(const asset::Image& image) {
    double sum = 0.0;
    const size_t pixels = size_t(image.width) * image.height;
    for (size_t i = 0; i < pixels; ++i) sum += (image.rgba[i * 4] + image.rgba[i * 4 + 1] + image.rgba[i * 4 + 2]) / 3.0;
    return pixels ? sum / double(pixels) : 0.0;
}

double foregroundCentroidX(const asset::Image& image, const uint8_t background[3], int threshold) {
    double sum = 0.0;
    size_t count = 0;
    for (uint32_t y = 0; y < image.height; ++y)
        for (uint32_t x = 0; x < image.width; ++x)
            if (isForeground(image, size_t(y) * image.width + x, background, threshold)) {
                sum += x;
                ++count;
            }
    return count ? sum / double(count) : -1.0;
}

}  // namespace vt::test
