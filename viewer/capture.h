#pragma once
// Screenshots: the pending request (a path, or the next numbered file for F12), the frames it waits
// for the panels to lay themselves out, and writing the picture as a PNG.
//
// The frame loop asks due() before drawing: a due frame is read back (FrameOutput) and handed to
// write(); any other drawn frame calls frameDrawn() to count the wait down.

#include <optional>
#include <string>

#include "asset/model.h"

namespace vt::viewer {

class Capture {
public:
    static constexpr int kLayoutFrames = 2;  // frames a script's screenshot waits: panels lay out over one or two

    // A screenshot `delayFrames` drawn frames from now, to `path` (empty: out/screenshots/vitrine-NNN.png,
    // numbered from 001 in this run). A new request replaces a pending one.
    void request(std::string path, int delayFrames);
    void cancel();
    bool pending() const { return delay_ >= 0; }
    bool due() const { return delay_ == 0; }  // this frame is the one to read back
    void frameDrawn();                         // a drawn frame that was not the captured one

    // Writes `shot` (opaque RGBA) where the request said and prints "screenshot: PATH"; the request
    // is done either way. Returns the problem when the file cannot be written.
    std::optional<std::string> write(const asset::Image& shot);

private:
    std::string path_;
    int delay_ = -1;  // drawn frames until the capture; -1: none pending
    int count_ = 0;   // numbered screenshots written
};

}  // namespace vt::viewer
