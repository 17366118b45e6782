#pragma once
// Headless rendering: draws into an image the caller never sees and reads the pixels back.
// Used by `vitrine render`, thumbnails and the golden-image tests.

#include <vector>

#include "render/renderer.h"

namespace vt::render {

struct HeadlessFrame {
    std::vector<asset::Image> views;  // one RGBA8 (sRGB-encoded) image per view
    FrameStats stats;
};

// Renders `input` at `extent` (one view, or two as a multiview pass into a two-layer image) and
// waits for the pixels. The renderer must have been created with an RGBA8 sRGB colour format.
HeadlessFrame renderHeadless(gpu::Context& context, Renderer& renderer, const FrameInput& input, VkExtent2D extent);

// Places two images side by side (left eye left), for stereo goldens and previews.
asset::Image sideBySide(const asset::Image& left, const asset::Image& right);

}  // namespace vt::render
