#pragma once
// One run of the viewer, from the parsed options to the exit code: opens the exhibit, chooses what
// drives it (a visitor, a script, --screenshot, or the tour as pictures when there is no window),
// sets up (Session), runs the frame loop and reports validation messages.
//
// The frame loop has no test branches: scripts reach the viewer through ScriptHost, implemented
// here by the same calls a visitor's keys and clicks make.

#include <memory>
#include <optional>

#include "viewer/capture.h"
#include "viewer/exhibit_source.h"
#include "viewer/frame_output.h"
#include "viewer/input.h"
#include "viewer/options.h"
#include "viewer/script_runner.h"
#include "viewer/session.h"

namespace vt::viewer {

class Runner : public ScriptHost {
public:
    explicit Runner(Options options) : options_(std::move(options)) {}
    // Returns the exit code: 0, the script's `quit` code, 1 (nothing to show, no device), 2 (a bad
    // script), 3 (validation messages with --validation), 4 (a frame stalled: it waited for the GPU
    // through Context::runNow or waitIdle, which the frame loop must never do).
    int run();

    // What a script may ask of the viewer (script_runner.h).
    App& app() override { return *session_->app; }
    bool streamingSettled() const override { return session_->scene->settled(); }
    void resize(uint32_t width, uint32_t height) override { output_->resize({width, height}); }
    float viewportHeight() const override { return float(output_->extent().height); }
    void pressKey(int glfwKey) override { input_->onKey(glfwKey); }
    void capture(const std::string& path) override { capture_.request(path, Capture::kLayoutFrames); }
    bool capturing() const override { return capture_.pending(); }

private:
    std::optional<int> scriptFromOptions();  // an exit code when the script is bad
    void loop();
    void frame(float seconds);
    void drawFrame(float seconds);
    void reportStreamingProblems();
    void applySettings();
    bool screenshotDue();
    void deliver(DrawnFrame& drawn, const scene::View& view, bool captured);
    int finish(int code);

    Options options_;
    OpenedExhibit opened_;
    ScriptRunner script_{{}, {}};  // tests, screenshots, tour pictures: run with a fixed clock
    bool scripted_ = false;
    int exitCode_ = 0;
    uint64_t stalledFrames_ = 0;
    // Declared in the order they are made; destroyed in reverse (the frame's objects before the Session).
    std::unique_ptr<Session> session_;
    Capture capture_;
    std::unique_ptr<Input> input_;
    std::unique_ptr<FrameOutput> output_;
};

}  // namespace vt::viewer
