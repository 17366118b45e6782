#include "golden.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <format>
#include <vector>

#include "asset/image_io.h"

namespace vt::test {

namespace {

// Largest of the R, G, B differences between two RGBA pixels.
int channelDifference(const uint8_t* a, const uint8_t* b) {
    int worst = 0;
    for (int c = 0; c < 3; ++c) worst = std::max(worst, std::abs(int(a[c]) - int(b[c])));
    return worst;
}

// The smallest difference between pixel (x, y) of `from` and the pixels of `to` within `reach`.
int nearestDifference(const asset::Image& from, const asset::Image& to, int x, int y, int reach) {
    const int w = int(from.width), h = int(from.height);
    const uint8_t* p = &from.rgba[(size_t(y) * w + x) * 4];
    int best = 255;
    for (int qy = std::max(0, y - reach); qy <= std::min(h - 1, y + reach); ++qy)
        for (int qx = std::max(0, x - reach); qx <= std::min(w - 1, x + reach); ++qx)
            best = std::min(best, channelDifference(p, &to.rgba[(size_t(qy) * w + qx) * 4]));
    return best;
}

void outline(asset::Image& image, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h) {
    auto paint = [&](uint32_t x, uint32_t y) {
        uint8_t* p = &image.rgba[(size_t(y) * image.width + x) * 4];
        p[0] = 255, p[1] = 220, p[2] = 0;
    };
    for (uint32_t x = x0; x < x0 + w; ++x) paint(x, y0), paint(x, y0 + h - 1);
    for (uint32_t y = y0; y < y0 + h; ++y) paint(x0, y), paint(x0 + w - 1, y);
}

// Per pixel, the difference after the reach (both ways) less the noise floor; the frame's totals.
std::vector<int> pixelDifferences(const asset::Image& actual, const asset::Image& expected, const GoldenTolerance& tolerance,
                                  ImageComparison& result) {
    const uint32_t w = actual.width, h = actual.height;
    std::vector<int> difference(size_t(w) * h);
    size_t different = 0;
    double sum = 0.0;
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            const int d = std::max(nearestDifference(actual, expected, int(x), int(y), tolerance.shiftReach),
                                   nearestDifference(expected, actual, int(x), int(y), tolerance.shiftReach));
            const size_t i = size_t(y) * w + x;
            difference[i] = std::max(0, d - tolerance.noiseLevels);
            sum += difference[i];
            if (d > tolerance.pixelThreshold) ++different;
        }
    result.differentFraction = double(different) / double(difference.size());
    result.meanDifference = sum / double(difference.size());
    return difference;
}

struct Window {
    uint32_t x, y;
};

// Every window's mean difference (from a summed-area table); the worst one goes into `result`, the
// windows over the bound are returned.
std::vector<Window> windowsOver(const std::vector<int>& difference, uint32_t w, uint32_t h, const GoldenTolerance& tolerance,
                                ImageComparison& result) {
    std::vector<double> area(size_t(w + 1) * (h + 1), 0.0);  // one row and column of zeros in front
    auto at = [&](uint32_t x, uint32_t y) -> double& { return area[size_t(y) * (w + 1) + x]; };
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x)
            at(x + 1, y + 1) = difference[size_t(y) * w + x] + at(x + 1, y) + at(x, y + 1) - at(x, y);
    const uint32_t side = uint32_t(std::max(1, tolerance.tileSize));
    const uint32_t tw = std::min(side, w), th = std::min(side, h), stride = std::max(1u, side / 2);
    std::vector<Window> over;
    result.worstTileMean = -1.0;
    result.worstTileWidth = tw, result.worstTileHeight = th;
    for (uint32_t ty = 0;; ty += stride) {
        const uint32_t y0 = std::min(ty, h - th);  // the last row of windows ends at the image's edge
        for (uint32_t tx = 0;; tx += stride) {
            const uint32_t x0 = std::min(tx, w - tw);
            const double mean = (at(x0 + tw, y0 + th) - at(x0 + tw, y0) - at(x0, y0 + th) + at(x0, y0)) / double(tw * th);
            if (mean > result.worstTileMean) result.worstTileMean = mean, result.worstTileX = x0, result.worstTileY = y0;
            if (mean > tolerance.maxTileMean) over.push_back({x0, y0});
            if (x0 + tw >= w) break;
        }
        if (y0 + th >= h) break;
    }
    result.failingTiles = over.size();
    return over;
}

}  // namespace

ImageComparison compareImages(const asset::Image& actual, const asset::Image& expected, const GoldenTolerance& tolerance) {
    ImageComparison result;
    if (expected.width != actual.width || expected.height != actual.height || actual.width == 0 || actual.height == 0) {
        result.summary = std::format("size {}x{}, golden {}x{}", actual.width, actual.height, expected.width, expected.height);
        return result;
    }
    const std::vector<int> difference = pixelDifferences(actual, expected, tolerance, result);
    const std::vector<Window> over = windowsOver(difference, actual.width, actual.height, tolerance, result);
    result.passed = over.empty() && result.differentFraction <= tolerance.maxDifferentFraction &&
                    result.meanDifference <= tolerance.maxMeanDifference;
    // Amplified difference, red where over the threshold, failing windows outlined.
    result.diff = actual;
    for (size_t i = 0; i < difference.size(); ++i) {
        const bool red = difference[i] + tolerance.noiseLevels > tolerance.pixelThreshold;
        const uint8_t shown = uint8_t(std::min(255, difference[i] * 8));
        uint8_t* p = &result.diff.rgba[i * 4];
        p[0] = red ? 255 : shown, p[1] = red ? 0 : shown, p[2] = red ? 0 : shown, p[3] = 255;
    }
    for (const Window& window : over) outline(result.diff, window.x, window.y, result.worstTileWidth, result.worstTileHeight);
    result.summary = std::format(
        "worst {}x{} window at ({}, {}): mean difference {:.2f} (allowed {:.2f}), {} window{} over; {:.3f}% of pixels "
        "differ by more than {} (allowed {:.3f}%); mean difference {:.3f} (allowed {:.3f}); differences after {} px of "
        "shift and {} levels of noise",
        result.worstTileWidth, result.worstTileHeight, result.worstTileX, result.worstTileY, result.worstTileMean,
        tolerance.maxTileMean, over.size(), over.size() == 1 ? "" : "s", result.differentFraction * 100.0,
        tolerance.pixelThreshold, tolerance.maxDifferentFraction * 100.0, result.meanDifference,
        tolerance.maxMeanDifference, tolerance.shiftReach, tolerance.noiseLevels);
    return result;
}

GoldenResult compareWithGolden(const asset::Image& actual, const std::string& name, const GoldenTolerance& tolerance,
                               GoldenUpdate mayUpdate) {
    const std::filesystem::path golden = std::filesystem::path(VITRINE_GOLDEN_DIR) / (name + ".png");
    const std::filesystem::path outputDir = VITRINE_TEST_OUTPUT_DIR;
    std::filesystem::create_directories(outputDir);
    const char* update = std::getenv("VITRINE_UPDATE_GOLDENS");
    if (mayUpdate == GoldenUpdate::Allowed && update && *update && std::string(update) != "0") {
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
    const ImageComparison comparison = compareImages(actual, *expected, tolerance);
    std::string message = std::format("golden {}: {}", name, comparison.summary);
    std::printf("%s\n", message.c_str());
    if (!comparison.passed) {
        const std::filesystem::path diffPath = outputDir / (name + ".diff.png");
        (void)asset::writePng(actualPath, actual);
        (void)asset::writePng(diffPath, comparison.diff);
        message += std::format("; wrote {} and {}", actualPath.string(), diffPath.string());
    }
    return {comparison.passed, message};
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
