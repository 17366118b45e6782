// Caption timing: sentences share the narration by weighted length and the last cue ends with it.
#include <gtest/gtest.h>

#include "tour/captions.h"

namespace vt::tour {
namespace {

TEST(Captions, SplitsSentencesInEnglishAndChinese) {
    EXPECT_EQ(CaptionTrack::splitSentences("One. Two! Three? Four"),
              (std::vector<std::string>{"One.", "Two!", "Three?", "Four"}));
    EXPECT_EQ(CaptionTrack::splitSentences("It is 3.5 m long. That is e.g. big."),
              (std::vector<std::string>{"It is 3.5 m long.", "That is e.g. big."}));
    EXPECT_EQ(CaptionTrack::splitSentences("领航鲸是海豚。它很大！真的吗？"),
              (std::vector<std::string>{"领航鲸是海豚。", "它很大！", "真的吗？"}));
    EXPECT_TRUE(CaptionTrack::splitSentences("  ").empty());
}

TEST(Captions, CuesFollowTheNarrationLength) {
    // 10 and 30 letters: a quarter and three quarters of 8 s.
    const CaptionTrack track("Aaaaaaaaa. Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", 8.0f);
    ASSERT_EQ(track.cues().size(), 2u);
    EXPECT_NEAR(track.cues()[0].end, 2.0f, 1e-4f);
    EXPECT_FLOAT_EQ(track.cues()[1].end, 8.0f);
    EXPECT_EQ(track.at(0.0f), "Aaaaaaaaa.");
    EXPECT_EQ(track.at(1.99f), "Aaaaaaaaa.");
    EXPECT_EQ(track.at(2.01f), "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb.");
    EXPECT_EQ(track.at(100.0f), "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb.") << "the last caption stays after the narration";
    EXPECT_EQ(track.indexAt(7.9f), 1u);
}

TEST(Captions, ChineseCharactersWeighMore) {
    EXPECT_FLOAT_EQ(CaptionTrack::weight("ab"), 2.0f);
    EXPECT_FLOAT_EQ(CaptionTrack::weight("鲸"), CaptionTrack::kCjkWeight);
    // Without audio, the reading pace decides, with a floor.
    const CaptionTrack shortText("Hi.", 0.0f);
    EXPECT_FLOAT_EQ(shortText.duration(), CaptionTrack::kMinSeconds);
    const std::string longText(200, 'a');
    EXPECT_NEAR(CaptionTrack(longText, 0.0f).duration(), 200 * CaptionTrack::kSecondsPerLatinChar, 1e-3f);
}

TEST(Captions, EmptyTextHasNoCues) {
    const CaptionTrack track("", 5.0f);
    EXPECT_TRUE(track.cues().empty());
    EXPECT_EQ(track.at(1.0f), "");
}

}  // namespace
}  // namespace vt::tour
