// Narration without an audio device (VITRINE_NO_AUDIO=1, as in CI): the length comes from the file,
// the position follows the frame clock and stops while paused, so captions stay in step.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "viewer/captions.h"
#include "viewer/narration.h"

namespace vt::viewer {
namespace {

// A mono 16-bit PCM WAV of `seconds` of a quiet 440 Hz tone.
std::filesystem::path writeWav(float seconds) {
    const auto path = std::filesystem::temp_directory_path() / "vitrine_narration_test.wav";
    const uint32_t rate = 8000, samples = uint32_t(seconds * float(rate)), bytes = samples * 2;
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4), u32(36 + bytes), out.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(rate), u32(rate * 2),
        u16(2), u16(16), out.write("data", 4), u32(bytes);
    for (uint32_t i = 0; i < samples; ++i) u16(uint16_t(int16_t(2000.0 * std::sin(i * 2.0 * 3.14159265 * 440.0 / rate))));
    return path;
}

TEST(Narration, ClockDrivesCaptionsWithoutADevice) {
    setenv("VITRINE_NO_AUDIO", "1", 1);
    Narration narration;
    ASSERT_TRUE(narration.play(writeWav(4.0f).string()));
    EXPECT_FALSE(narration.hasDevice());
    EXPECT_NEAR(narration.lengthSeconds(), 4.0f, 1e-3f);
    const CaptionTrack captions("First sentence here. Second sentence here.", narration.lengthSeconds());
    narration.advance(1.0f);
    EXPECT_EQ(captions.at(narration.positionSeconds()), "First sentence here.");
    narration.setPaused(true);
    narration.advance(5.0f);
    EXPECT_NEAR(narration.positionSeconds(), 1.0f, 1e-5f) << "paused narration holds its caption";
    narration.setPaused(false);
    narration.advance(1.5f);
    EXPECT_EQ(captions.at(narration.positionSeconds()), "Second sentence here.");
    EXPECT_FALSE(narration.finished());
    narration.advance(2.0f);
    EXPECT_TRUE(narration.finished());
}

TEST(Narration, UnreadableFileIsAnError) {
    setenv("VITRINE_NO_AUDIO", "1", 1);
    Narration narration;
    auto played = narration.play("/nonexistent/stop-1.wav");
    ASSERT_FALSE(played);
    EXPECT_EQ(played.error().message, "/nonexistent/stop-1.wav: cannot decode the narration (expected WAV, FLAC or MP3)");
    EXPECT_FALSE(narration.active());
}

}  // namespace
}  // namespace vt::viewer
