#pragma once
// Runs a viewer script (viewer/script.h) a frame at a time against the running viewer.
//
// The viewer's frame loop calls step() once a frame and knows nothing of the actions; the runner
// reaches the viewer only through ScriptHost, so scripted runs (tests, tour pictures, screenshots)
// go through the same App calls as a visitor's keys and clicks. The actions are one table in
// script_runner.cpp: adding an action is one row there, and its arguments one row in script.cpp's
// parser (the parser must check a script before any window opens, without the viewer); the runner
// checks at start that both tables name the same actions.

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "viewer/script.h"

namespace vt::viewer {

class App;

// What the runner may ask of the viewer, beyond the App itself.
class ScriptHost {
public:
    virtual ~ScriptHost() = default;
    virtual App& app() = 0;
    virtual bool streamingSettled() const = 0;                   // every visible page is resident
    virtual void resize(uint32_t width, uint32_t height) = 0;    // the window, or the offscreen image
    virtual float viewportHeight() const = 0;                    // pixels
    virtual void pressKey(int glfwKey) = 0;                      // as if the visitor pressed it
    virtual void capture(const std::string& path) = 0;           // a screenshot once the panels are laid out
    virtual bool capturing() const = 0;                          // a screenshot is still to be written
};

class ScriptRunner {
public:
    // `fileName` names the script in messages ("run.txt:3: no artifact 'x'").
    ScriptRunner(std::vector<ScriptAction> actions, std::string fileName);

    void append(ScriptAction action) { actions_.push_back(std::move(action)); }
    bool empty() const { return actions_.empty(); }

    // Runs actions until one needs frames to happen (a wait, a move, a click, a capture, settling).
    // Returns false when the script has ended: by `quit`, or by running out of actions.
    bool step(ScriptHost& host, float seconds);
    int exitCode() const { return exitCode_; }  // the `quit` action's code; 0 otherwise

    // How long `settle` waits for streaming before carrying on, seconds (a slow link on lavapipe).
    static constexpr double kSettleTimeoutSeconds = 120.0;

private:
    enum class Step { Next, EndFrame, Quit };  // run the next action now, next frame, or stop
    struct Action {
        const char* name;
        Step (*run)(ScriptRunner&, ScriptHost&, const ScriptAction&, const std::string& where);
    };
    static const std::vector<Action>& table();
    bool waiting(ScriptHost& host, float seconds);  // a wait, sleep, walk, capture or settle in progress

    std::vector<ScriptAction> actions_;
    std::string fileName_;
    size_t next_ = 0;
    int exitCode_ = 0;
    int waitFrames_ = 0;
    double sleepUntil_ = 0.0;
    bool settling_ = false;
    double settleDeadline_ = 0.0;
    int settledFrames_ = 0;
    glm::vec2 walkMove_{0.0f};
    float walkRemaining_ = 0.0f;
};

}  // namespace vt::viewer
