#pragma once
// A simple versioned binary serialization of Result<asset::Model>, used to carry an import result
// from the child process that ran a third-party parser back to the parent.
//
// The decoder treats its input as untrusted (the child may have been corrupted by the file it
// parsed): every count is bounded by the bytes that remain, and any inconsistency is an error.
// Native endianness and float layout: both ends are the same binary.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

constexpr uint32_t kModelWireVersion = 2;  // 2: images carry their JPEG bytes

std::vector<uint8_t> encodeModelResult(const Result<asset::Model>& result);

// Returns the decoded Result (which may itself hold the child's error), or an error saying why the
// bytes are malformed.
Result<Result<asset::Model>> decodeModelResult(std::span<const uint8_t> bytes);

}  // namespace vt::scan
