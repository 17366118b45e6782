// Narration without an audio device (VITRINE_NO_AUDIO=1, as in CI): the length comes from the file,
// the position follows the frame clock and stops while paused, so captions stay in step.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "tour/captions.h"
#include "tour/narration.h"
#include "test_wav.h"

namespace vt::tour {
namespace {

// One file per process: ctest runs each test in its own process, in parallel.
std::filesystem::path tempWav(float seconds) {
    return writeWav(std::filesystem::temp_directory_path() / ("vitrine_narration_test_" + std::to_string(getpid()) + "_" +
                                                              std::to_string(int(seconds * 1000)) + ".wav"),
                    seconds);
}

TEST(Narration, ClockDrivesCaptionsWithoutADevice) {
    setenv("VITRINE_NO_AUDIO", "1", 1);
    Narration narration;
    ASSERT_TRUE(narration.play(tempWav(4.0f).string()));
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

// Without VITRINE_NO_AUDIO miniaudio looks for a device; on a machine with none (CI, this build root)
// it would settle on its null backend, which consumes sound in wall-clock time. That must count as no
// device, so the frame clock still drives the captions and scripted runs stay deterministic.
TEST(Narration, NoSoundDeviceFallsBackToTheFrameClock) {
    unsetenv("VITRINE_NO_AUDIO");
    Narration narration;
    ASSERT_TRUE(narration.play(tempWav(2.0f).string()));
    EXPECT_TRUE(narration.active());
    EXPECT_NEAR(narration.lengthSeconds(), 2.0f, 1e-3f);
    if (narration.hasDevice()) GTEST_SKIP() << "this machine has a sound device; the clock is the device's";
    narration.advance(0.5f);
    EXPECT_NEAR(narration.positionSeconds(), 0.5f, 1e-5f);
    narration.advance(1.6f);
    EXPECT_TRUE(narration.finished());
}

TEST(Narration, UnreadableFileIsAnError) {
    setenv("VITRINE_NO_AUDIO", "1", 1);
    Narration narration;
    auto played = narration.play("/nonexistent/stop-1.wav");
    ASSERT_FALSE(played);
    EXPECT_EQ(played.error().message, "/nonexistent/stop-1.wav: no such narration file");
    EXPECT_FALSE(narration.active());
    // A file that is there but is not sound.
    const auto text = std::filesystem::temp_directory_path() / ("vitrine_narration_test_" + std::to_string(getpid()) + ".txt");
    std::ofstream(text) << "not a sound\n";
    played = narration.play(text.string());
    ASSERT_FALSE(played);
    EXPECT_EQ(played.error().message, text.string() + ": cannot decode the narration (expected WAV, FLAC or MP3)");
    EXPECT_FALSE(narration.active());
}

}  // namespace
}  // namespace vt::tour
