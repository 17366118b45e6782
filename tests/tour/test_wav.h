#pragma once
// Narration files for the tour tests: a mono 16-bit PCM WAV of a quiet 440 Hz tone.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace vt::tour {

inline std::filesystem::path writeWav(const std::filesystem::path& path, float seconds) {
    const uint32_t rate = 8000, samples = uint32_t(seconds * float(rate)), bytes = samples * 2;
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4), u32(36 + bytes), out.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(rate), u32(rate * 2),
        u16(2), u16(16), out.write("data", 4), u32(bytes);
    for (uint32_t i = 0; i < samples; ++i) u16(uint16_t(int16_t(2000.0 * std::sin(i * 2.0 * 3.14159265 * 440.0 / rate))));
    return path;
}

}  // namespace vt::tour
