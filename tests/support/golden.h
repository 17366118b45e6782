#pragma once
// Golden-image comparison that sees what a visitor would see.
//
// lavapipe and real GPUs do not match bit for bit: colours differ by a few levels and antialiased
// edges move by a pixel. A missing object, a wrong label or the other eye's picture, on the other
// hand, changes one part of the frame a lot and the rest not at all, so a whole-frame average hides
// it. The comparison therefore works in three steps:
//
//   1. Per pixel, the difference is the smallest over the other image's pixels within `shiftReach`
//      (both ways: actual against golden and golden against actual; the larger of the two counts),
//      as the largest of the R, G, B differences. An edge that moved by a pixel costs nothing; an
//      edge that is missing or moved further costs its full contrast.
//   2. `noiseLevels` are taken off every pixel's difference (rendering noise).
//   3. Locally: the mean of what is left over every tileSize x tileSize window (windows every
//      tileSize / 2 pixels, so a small change is never split over four tiles) must stay within
//      `maxTileMean`. Globally: few pixels may differ by more than `pixelThreshold`, and the mean
//      over the frame must stay within `maxMeanDifference`.
//
// On failure the actual image and a difference image (amplified difference, red where a pixel
// differs by more than pixelThreshold, failing windows outlined in yellow) are written to the build's
// test-output folder, and the message names the worst window. Setting VITRINE_UPDATE_GOLDENS=1
// rewrites the goldens instead of comparing.

#include <string>

#include "asset/model.h"

namespace vt::test {

struct GoldenTolerance {
    int shiftReach = 1;                  // px: how far a pixel may have moved (antialiased edges, rasterization)
    int noiseLevels = 8;                 // per-channel difference (0..255) ignored as rendering noise
    int tileSize = 32;                   // px: side of the windows compared locally
    // Mean difference (0..255, after reach and noise) allowed in any window. Measured on the goldens
    // (golden_tests): +-8 levels of noise with a 1-px shift 0.6 at worst; the other eye 9.6 and more,
    // the saxophone missing 15.7, a word missing from a title 19.3.
    double maxTileMean = 4.0;
    int pixelThreshold = 24;             // difference (0..255, after reach) that counts a pixel as different
    double maxDifferentFraction = 0.01;  // fraction of pixels allowed over the threshold
    double maxMeanDifference = 2.5;      // mean difference (0..255, after reach and noise) over the frame
};

struct ImageComparison {
    bool passed = false;
    double worstTileMean = 0.0;  // the worst window's mean difference
    uint32_t worstTileX = 0;     // its top-left corner, px
    uint32_t worstTileY = 0;
    uint32_t worstTileWidth = 0;  // tileSize, or less where the image is smaller
    uint32_t worstTileHeight = 0;
    size_t failingTiles = 0;          // windows over maxTileMean
    double differentFraction = 0.0;   // pixels over pixelThreshold / all pixels
    double meanDifference = 0.0;      // over the frame
    asset::Image diff;                // the difference image described above
    std::string summary;              // every number above with its bound, one line
};

// Compares two images of the same size (checked: a size mismatch fails with a message).
ImageComparison compareImages(const asset::Image& actual, const asset::Image& expected, const GoldenTolerance& tolerance = {});

struct GoldenResult {
    bool passed = false;
    std::string message;  // what differed, and where the actual and diff images were written
};

// Whether VITRINE_UPDATE_GOLDENS may rewrite the golden from this call. A test that holds a picture
// against another test's golden (the streamed zenobia against the full render's, the gallery over
// HTTP against the local one) compares only, so the update never depends on which test ran last.
enum class GoldenUpdate { Allowed, Never };

// Compares `actual` with tests/goldens/NAME.png (or rewrites it, see above). Prints the summary line.
GoldenResult compareWithGolden(const asset::Image& actual, const std::string& name, const GoldenTolerance& tolerance = {},
                               GoldenUpdate update = GoldenUpdate::Allowed);

// Fraction of pixels that differ from `background` by more than `threshold` in any channel.
double coverage(const asset::Image& image, const uint8_t background[3], int threshold = 6);

// Mean of the R, G and B channels over the whole image, 0..255.
double meanLuminance(const asset::Image& image);

// Horizontal centre of the pixels that differ from `background`, in pixels; -1 if none.
double foregroundCentroidX(const asset::Image& image, const uint8_t background[3], int threshold = 6);

}  // namespace vt::test
