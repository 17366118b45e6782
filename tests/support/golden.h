#pragma once
// Golden-image comparison with a tolerance.
//
// lavapipe and real GPUs do not match bit for bit, so an image passes when few pixels differ by more
// than a small threshold and the mean difference is small. On failure the actual image and an
// amplified difference image are written to the build's test-output folder. Setting
// VITRINE_UPDATE_GOLDENS=1 rewrites the goldens instead of comparing.

#include <string>

#include "asset/model.h"

namespace vt::test {

struct GoldenTolerance {
    int pixelThreshold = 24;             // per-channel difference (0..255) that counts a pixel as different
    double maxDifferentFraction = 0.01;  // fraction of pixels allowed over the threshold
    double maxMeanDifference = 2.5;      // mean absolute per-channel difference (0..255)
};

struct GoldenResult {
    bool passed = false;
    std::string message;  // what differed, and where the actual and diff images were written
};

GoldenResult compareWithGolden(const asset::Image& actual, const std::string& name, const GoldenTolerance& tolerance = {});

// Fraction of pixels that differ from `background` by more than `threshold` in any channel.
double coverage(const asset::Image& image, const uint8_t background[3], int threshold = 6);

// Mean of the R, G and B channels over the whole image, 0..255.
double meanLuminance(const asset::Image& image);

// Horizontal centre of the pixels that differ from `background`, in pixels; -1 if none.
double foregroundCentroidX(const asset::Image& image, const uint8_t background[3], int threshold = 6);

}  // namespace vt::test
