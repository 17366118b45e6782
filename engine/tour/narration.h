#pragma once
// Narration audio for tour stops, played with miniaudio. Where there is no audio device (CI, a
// headless box) the narration still has a length and a position that advances with the frame
// clock, so captions stay in step either way.

#include <memory>
#include <string>

#include "core/result.h"

namespace vt::tour {

class Narration {
public:
    Narration();
    ~Narration();
    Narration(const Narration&) = delete;
    Narration& operator=(const Narration&) = delete;

    // Opens a file (WAV, FLAC, MP3) and starts playing it; replaces what was playing.
    Result<void> play(const std::string& path);
    void stop();
    void setPaused(bool paused);
    // Call once per frame: advances the clock when there is no device.
    void advance(float seconds);

    bool active() const { return active_; }
    bool finished() const;
    float lengthSeconds() const { return length_; }
    float positionSeconds() const;
    bool hasDevice() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool active_ = false;
    bool paused_ = false;
    float length_ = 0.0f;
    float clock_ = 0.0f;  // used when there is no device
};

}  // namespace vt::tour
