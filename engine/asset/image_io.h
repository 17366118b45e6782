#pragma once
// PNG files for screenshots, thumbnails and golden images.

#include <filesystem>

#include "asset/model.h"
#include "core/result.h"

namespace vt::asset {

// Writes 8-bit RGBA as PNG. Atomic: the image is written to a temporary file next to `path` and
// renamed over it, so an interrupted write never leaves a half-written PNG.
Result<void> writePng(const std::filesystem::path& path, const Image& image);

// Reads any image stb_image understands, converted to 8-bit RGBA.
Result<Image> readImage(const std::filesystem::path& path);

}  // namespace vt::asset
