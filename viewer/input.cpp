#include "viewer/input.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

namespace vt::viewer {
namespace {

Input& inputOf(GLFWwindow* window) { return *static_cast<Input*>(glfwGetWindowUserPointer(window)); }

}  // namespace

Input::Input(App& app, Capture& capture, Window* window) : app_(app), capture_(capture), window_(window) {
    if (!window_) return;
    GLFWwindow* w = window_->handle();
    glfwSetWindowUserPointer(w, this);
    glfwSetKeyCallback(w, [](GLFWwindow* win, int key, int, int action, int) {
        if (action == GLFW_PRESS) inputOf(win).onKey(key);
    });
    glfwSetScrollCallback(w, [](GLFWwindow* win, double, double dy) { inputOf(win).onScroll(dy); });
    // Buttons and walk keys are polled once a frame; sticky input keeps a press that was let go
    // before the poll (a quick click on a slow machine, where a frame can outlast it).
    glfwSetInputMode(w, GLFW_STICKY_MOUSE_BUTTONS, GLFW_TRUE);
    glfwSetInputMode(w, GLFW_STICKY_KEYS, GLFW_TRUE);
    // Installed after ours, so it chains to them.
    ImGui_ImplGlfw_InitForVulkan(w, true);
    glfwGetCursorPos(w, &lastCursor_.x, &lastCursor_.y);
}

Input::~Input() {
    if (!window_) return;
    ImGui_ImplGlfw_Shutdown();  // gives our callbacks back to the window
    GLFWwindow* w = window_->handle();
    glfwSetKeyCallback(w, nullptr);
    glfwSetScrollCallback(w, nullptr);
    glfwSetWindowUserPointer(w, nullptr);
}

bool Input::processEvents() {
    if (!window_) return true;
    glfwPollEvents();
    return !window_->shouldClose();
}

void Input::newUiFrame() {
    if (window_) ImGui_ImplGlfw_NewFrame();
}

void Input::onKey(int key) {
    if (ImGui::GetIO().WantTextInput) return;
    Panels& p = app_.panels();
    const Mode mode = app_.mode();
    switch (key) {
    case GLFW_KEY_F12: capture_.request({}, 0); break;
    case GLFW_KEY_TAB:
        if (window_ && mode == Mode::Walk) setMouseLook(!mouseLook_);
        break;
    case GLFW_KEY_ESCAPE:
        if (mouseLook_) setMouseLook(false);
        else if (mode != Mode::Walk) app_.leaveToWalk();
        else if (p.measure) p.measure = false;
        break;
    case GLFW_KEY_T: if (mode != Mode::Tour) app_.startTour(0); break;
    case GLFW_KEY_N: case GLFW_KEY_RIGHT: if (mode == Mode::Tour) app_.tourNext(); break;
    case GLFW_KEY_P: case GLFW_KEY_LEFT: if (mode == Mode::Tour) app_.tourPrevious(); break;
    case GLFW_KEY_SPACE: if (mode == Mode::Tour) app_.tourPause(!app_.tourPaused()); break;
    case GLFW_KEY_B: p.browse = !p.browse; break;
    case GLFW_KEY_I: p.info = !p.info; break;
    case GLFW_KEY_M: p.measure = !p.measure; break;
    case GLFW_KEY_H: p.annotations = !p.annotations; break;
    case GLFW_KEY_F1: p.settings = !p.settings; break;
    case GLFW_KEY_F3: p.stats = !p.stats; break;
    case GLFW_KEY_L: {
        Settings s = app_.settings();
        s.language = s.language.starts_with("zh") ? "en" : "zh";
        app_.setSettings(s);
        break;
    }
    default: break;
    }
}

void Input::setMouseLook(bool on) {
    mouseLook_ = on;
    glfwSetInputMode(window_->handle(), GLFW_CURSOR, on ? GLFW_CURSOR_DISABLED : GLFW_CURSOR_NORMAL);
    // The panels must not see a hidden cursor wandering over them.
    ImGuiIO& io = ImGui::GetIO();
    if (on) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
    else io.ConfigFlags &= ~ImGuiConfigFlags_NoMouse;
    glfwGetCursorPos(window_->handle(), &lastCursor_.x, &lastCursor_.y);
}

void Input::onScroll(double dy) {
    if (ImGui::GetIO().WantCaptureMouse) return;
    if (app_.mode() == Mode::Inspect) app_.zoom(float(dy));
}

void Input::poll(float seconds) {
    if (!window_) return;
    GLFWwindow* w = window_->handle();
    glm::dvec2 cursor;
    glfwGetCursorPos(w, &cursor.x, &cursor.y);
    const glm::vec2 delta = glm::vec2(cursor - lastCursor_);
    lastCursor_ = cursor;
    if (mouseLook_ && app_.mode() != Mode::Walk) setMouseLook(false);
    if (mouseLook_) app_.look(delta);
    const bool leftShift = glfwGetKey(w, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS;
    const bool shift = glfwGetKey(w, GLFW_KEY_RIGHT_SHIFT) == GLFW_PRESS || leftShift;  // both read: sticky keys
    pollMouse(cursor, delta, shift);
    pollWalkKeys(seconds, shift);
}

void Input::pollMouse(glm::dvec2 cursor, glm::vec2 delta, bool shift) {
    GLFWwindow* w = window_->handle();
    const ImGuiIO& io = ImGui::GetIO();
    // Screen coordinates -> framebuffer pixels (HiDPI).
    int windowWidth = 1, windowHeight = 1;
    glfwGetWindowSize(w, &windowWidth, &windowHeight);
    const VkExtent2D fb = window_->framebufferSize();
    const glm::vec2 toPixels{float(fb.width) / float(std::max(windowWidth, 1)), float(fb.height) / float(std::max(windowHeight, 1))};
    const bool left = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
    const bool right = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS;
    if (io.WantCaptureMouse && !leftDown_ && !rightDown_) return;  // the panels have the mouse
    if (left && !leftDown_ && !io.WantCaptureMouse) {
        leftDown_ = true;
        dragging_ = false;
        pressCursor_ = cursor;
    }
    if (right && !rightDown_ && !io.WantCaptureMouse) rightDown_ = true;
    if (leftDown_ && glm::length(glm::vec2(cursor - pressCursor_)) > 4.0f) dragging_ = true;
    const Mode mode = app_.mode();
    if ((leftDown_ && dragging_) || rightDown_) {
        if (mode == Mode::Walk && !mouseLook_) app_.look(delta);
        else if (mode == Mode::Inspect && (rightDown_ || shift)) app_.pan(delta * toPixels, float(fb.height));
        else if (mode == Mode::Inspect) app_.orbitDrag(delta);
    }
    if (!left && leftDown_) {
        if (!dragging_) app_.click(glm::vec2(cursor) * toPixels);
        leftDown_ = false;
    }
    if (!right) rightDown_ = false;
}

// The walk keys are read every frame, also while they are not used, so a sticky press made while
// typing in a panel is spent there and does not step the visitor later.
void Input::pollWalkKeys(float seconds, bool shift) {
    GLFWwindow* w = window_->handle();
    auto key = [&](int a, int b) {
        const bool first = glfwGetKey(w, a) == GLFW_PRESS, second = glfwGetKey(w, b) == GLFW_PRESS;
        return first || second;
    };
    glm::vec2 move{0.0f};
    if (key(GLFW_KEY_W, GLFW_KEY_UP)) move.y += 1;
    if (key(GLFW_KEY_S, GLFW_KEY_DOWN)) move.y -= 1;
    if (key(GLFW_KEY_D, GLFW_KEY_RIGHT)) move.x += 1;
    if (key(GLFW_KEY_A, GLFW_KEY_LEFT)) move.x -= 1;
    bool walking = false;
    if (!ImGui::GetIO().WantCaptureKeyboard && app_.mode() == Mode::Walk) {
        if (move != glm::vec2(0.0f)) app_.walkMove(move, seconds, shift);
        walking = move != glm::vec2(0.0f);
    }
    if (walkKeysDown_ && !walking) {  // the walk keys let go: where the visitor stands now
        const glm::vec3 at = app_.view(1.0f).position;
        std::printf("walk: stopped at (%.3f, %.3f, %.3f)\n", at.x, at.y, at.z);
        std::fflush(stdout);
    }
    walkKeysDown_ = walking;
}

}  // namespace vt::viewer
