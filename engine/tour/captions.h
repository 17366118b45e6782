#pragma once
// Captions in step with narration: a stop's caption text is split into sentences, and each sentence
// is shown for a share of the narration proportional to its weighted length (a CJK character counts
// kCjkWeight Latin letters, since one carries about a syllable).

#include <string>
#include <string_view>
#include <vector>

namespace vt::tour {

struct CaptionCue {
    float start = 0.0f;  // seconds from the start of the narration
    float end = 0.0f;
    std::string text;
};

class CaptionTrack {
public:
    static constexpr float kCjkWeight = 3.0f;           // a CJK character is read like ~3 Latin letters
    static constexpr float kSecondsPerLatinChar = 0.065f;  // reading pace without audio (~15 chars/s)
    static constexpr float kMinSeconds = 3.0f;           // shortest time a stop stays without audio

    // Splits `text` at sentence ends (. ! ? and 。！？) and spreads the cues over `durationSeconds`
    // (the narration's length). durationSeconds <= 0: a reading-pace duration (readingSeconds()).
    CaptionTrack(std::string_view text, float durationSeconds);

    const std::vector<CaptionCue>& cues() const { return cues_; }
    float duration() const { return duration_; }
    // The cue showing at `seconds`; the last one after the end, empty text when there are none.
    const std::string& at(float seconds) const;
    size_t indexAt(float seconds) const;

    static std::vector<std::string> splitSentences(std::string_view text);
    // Weighted length: Latin letters 1, CJK characters kCjkWeight.
    static float weight(std::string_view text);
    static float readingSeconds(std::string_view text);

private:
    std::vector<CaptionCue> cues_;
    float duration_ = 0.0f;
};

}  // namespace vt::tour
