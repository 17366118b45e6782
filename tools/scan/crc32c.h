#pragma once
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as E57 pages carry it.

#include <cstdint>
#include <span>

namespace vt::scan {

uint32_t crc32c(std::span<const uint8_t> bytes);

}  // namespace vt::scan
