// One tour stop's narration and captions, as the viewer and the headset play them, without a sound
// device (VITRINE_NO_AUDIO=1): the audio in the visitor's language resolved against the exhibit file,
// the language fallback, captions in step with the narration's clock, pauses, a language switch
// mid-stop, and a stop whose audio cannot be played.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "test_wav.h"
#include "tour/stop_narration.h"

namespace vt::tour {
namespace {

// An exhibit folder with audio/stop.en.wav (4 s) and audio/stop.zh.wav (6 s), one per test process.
class StopNarrationTest : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("VITRINE_NO_AUDIO", "1", 1);
        dir_ = std::filesystem::temp_directory_path() / ("vitrine_stop_narration_test_" + std::to_string(getpid()));
        std::filesystem::create_directories(dir_ / "audio");
        writeWav(dir_ / "audio" / "stop.en.wav", 4.0f);
        writeWav(dir_ / "audio" / "stop.zh.wav", 6.0f);
        stop_.title.byLanguage = {{"en", "A skull"}, {"zh", "头骨"}};
        // English: 10 and 30 letters, a quarter and three quarters of the narration.
        stop_.text.byLanguage = {{"en", "Aaaaaaaaa. Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb."}, {"zh", "领航鲸。请看吻部。"}};
        stop_.audio.byLanguage = {{"en", "audio/stop.en.wav"}, {"zh", "audio/stop.zh.wav"}};
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string exhibitPath() const { return (dir_ / "exhibit.json").string(); }

    std::filesystem::path dir_;
    exhibit::TourStop stop_;
};

TEST_F(StopNarrationTest, PlaysTheStopsAudioInTheLanguageWithCaptionsInStep) {
    StopNarration narration(exhibitPath());
    EXPECT_FALSE(narration.started());
    EXPECT_EQ(narration.caption(), "");
    EXPECT_FALSE(narration.start(stop_, 0, "en").has_value());
    EXPECT_TRUE(narration.narrated());
    EXPECT_EQ(narration.audioPath(), (dir_ / "audio" / "stop.en.wav").string());
    EXPECT_NEAR(narration.narration().lengthSeconds(), 4.0f, 1e-3f);
    EXPECT_NEAR(narration.captions().duration(), 4.0f, 1e-3f) << "captions spread over the narration";
    EXPECT_EQ(narration.caption(), "Aaaaaaaaa.");
    narration.advance(0.9f);
    EXPECT_EQ(narration.caption(), "Aaaaaaaaa.");
    narration.advance(0.2f);
    EXPECT_NEAR(narration.seconds(), 1.1f, 1e-5f);
    EXPECT_EQ(narration.caption(), "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb.");
    EXPECT_FALSE(narration.over());
    narration.advance(3.0f);
    EXPECT_TRUE(narration.over()) << "the narration has finished: the tour may move on";
}

TEST_F(StopNarrationTest, LanguageSwitchMidStopStartsTheNarrationAgainInIt) {
    StopNarration narration(exhibitPath());
    narration.start(stop_, 0, "en");
    narration.advance(2.5f);
    EXPECT_FALSE(narration.start(stop_, 0, "zh").has_value());
    EXPECT_EQ(narration.audioPath(), (dir_ / "audio" / "stop.zh.wav").string());
    EXPECT_NEAR(narration.narration().lengthSeconds(), 6.0f, 1e-3f);
    EXPECT_FLOAT_EQ(narration.seconds(), 0.0f);
    EXPECT_EQ(narration.caption(), "领航鲸。");
    narration.advance(3.5f);  // 4 and 5 characters with the full stops: the second cue starts at 2.67 s
    EXPECT_EQ(narration.caption(), "请看吻部。");
}

TEST_F(StopNarrationTest, FallsBackLikeLocalizedText) {
    StopNarration narration(exhibitPath());
    narration.start(stop_, 0, "zh-Hans");  // its primary subtag
    EXPECT_EQ(narration.audioPath(), (dir_ / "audio" / "stop.zh.wav").string());
    narration.start(stop_, 0, "fr");  // none in French: English
    EXPECT_EQ(narration.audioPath(), (dir_ / "audio" / "stop.en.wav").string());
    EXPECT_EQ(narration.caption(), "Aaaaaaaaa.");
}

TEST_F(StopNarrationTest, PauseHoldsTheCaptionAndCarriesOverToTheNextStop) {
    StopNarration narration(exhibitPath());
    narration.start(stop_, 0, "en");
    narration.advance(0.5f);
    narration.setPaused(true);
    narration.advance(10.0f);
    EXPECT_NEAR(narration.seconds(), 0.5f, 1e-5f) << "a headset taken off holds the narration where it was";
    EXPECT_FALSE(narration.over());
    narration.start(stop_, 1, "en");
    EXPECT_TRUE(narration.paused());
    narration.advance(1.0f);
    EXPECT_FLOAT_EQ(narration.seconds(), 0.0f);
    narration.setPaused(false);
    narration.advance(1.5f);
    EXPECT_EQ(narration.caption(), "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb.");
}

TEST_F(StopNarrationTest, UnplayableAudioIsReportedOnceAndTheStopKeepsItsDuration) {
    StopNarration narration(exhibitPath());
    stop_.audio.byLanguage["en"] = "audio/missing.wav";
    stop_.durationSeconds = 8.0f;
    const std::string missing = (dir_ / "audio" / "missing.wav").string();
    EXPECT_EQ(narration.start(stop_, 1, "en").value_or(""), "tour stop 2: " + missing + ": no such narration file");
    EXPECT_FALSE(narration.narrated());
    EXPECT_EQ(narration.audioPath(), "");
    EXPECT_NEAR(narration.captions().duration(), 8.0f, 1e-5f) << "captions over the stop's duration";
    EXPECT_FALSE(narration.start(stop_, 1, "en").has_value()) << "once per file";
    narration.advance(2.1f);
    EXPECT_EQ(narration.caption(), "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb.");
    EXPECT_FALSE(narration.over());
    narration.advance(6.0f);
    EXPECT_TRUE(narration.over());
    // Without audio or a duration: the reading pace for captions, and the visitor moves on.
    stop_.audio = {};
    stop_.durationSeconds = 0.0f;
    narration.start(stop_, 1, "en");
    EXPECT_NEAR(narration.captions().duration(), CaptionTrack::readingSeconds(stop_.text.get("en")), 1e-5f);
    narration.advance(100.0f);
    EXPECT_FALSE(narration.over());
}

TEST_F(StopNarrationTest, StopSilencesIt) {
    StopNarration narration(exhibitPath());
    narration.start(stop_, 0, "en");
    narration.stop();
    EXPECT_FALSE(narration.started());
    EXPECT_FALSE(narration.narrated());
    EXPECT_EQ(narration.caption(), "");
    EXPECT_FALSE(narration.over());
}

}  // namespace
}  // namespace vt::tour
