#pragma once
// The visitor's keys and mouse, turned into App calls. Key presses arrive through GLFW's callback or
// a script's `key` action (the same onKey); the cursor, the buttons and the walk keys are polled once
// a frame. Also installs Dear ImGui's GLFW backend after its own callbacks, so ImGui chains to them,
// and shuts it down again.
//
// Offscreen there is no window: only onKey (from scripts) does anything.

#include <glm/glm.hpp>

#include "viewer/app.h"
#include "viewer/capture.h"
#include "viewer/window.h"

namespace vt::viewer {

class Input {
public:
    // `window` may be null (offscreen). App, capture and window must outlive the Input.
    Input(App& app, Capture& capture, Window* window);
    ~Input();
    Input(const Input&) = delete;
    Input& operator=(const Input&) = delete;

    // Runs GLFW's pending events (the callbacks below among them). False once the window was asked
    // to close; always true offscreen.
    bool processEvents();
    // A key press (GLFW_KEY_*): modes, tour, panels, language, F12 screenshots, Tab mouse look.
    void onKey(int glfwKey);
    // The mouse wheel: zoom while inspecting.
    void onScroll(double dy);
    // Once a frame, window only: drags look, orbit and pan, a click picks, the walk keys walk.
    void poll(float seconds);
    // ImGui's per-frame platform input (display size, cursor, keys for the panels); none offscreen.
    void newUiFrame();

private:
    void setMouseLook(bool on);
    void pollMouse(glm::dvec2 cursor, glm::vec2 delta, bool shift);
    void pollWalkKeys(float seconds, bool shift);

    App& app_;
    Capture& capture_;
    Window* window_ = nullptr;
    glm::dvec2 lastCursor_{0.0};
    glm::dvec2 pressCursor_{0.0};
    bool leftDown_ = false, rightDown_ = false, dragging_ = false;
    bool walkKeysDown_ = false;  // a walk key was held last frame (its release prints where the walk ended)
    bool mouseLook_ = false;     // Tab in walk mode: the cursor is hidden and every motion looks around
};

}  // namespace vt::viewer
