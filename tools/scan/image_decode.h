#pragma once
// Decode PNG/JPEG/... bytes (stb_image) into an RGBA8 asset::Image. Untrusted bytes: errors, never crashes.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

// name: for messages and Image::name. The error message does not start with a file path; the caller adds it.
// A JPEG's bytes are kept in Image::jpeg.
Result<asset::Image> decodeImage(std::span<const uint8_t> bytes, std::string name);

// Reads and decodes an image file; errors name the file ("texture 'x.png' not found").
Result<asset::Image> loadImageFile(const std::filesystem::path& path);

}  // namespace vt::scan
