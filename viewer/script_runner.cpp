#include "viewer/script_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <format>
#include <optional>

#include <GLFW/glfw3.h>

#include "core/check.h"
#include "viewer/app.h"

namespace vt::viewer {
namespace {

double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::optional<size_t> artifactOf(ScriptHost& host, const std::string& id, const std::string& where) {
    auto found = host.app().findArtifact(id);
    if (!found) std::fprintf(stderr, "vitrine-viewer: %s: no artifact '%s' in the exhibit\n", where.c_str(), id.c_str());
    return found;
}

}  // namespace

ScriptRunner::ScriptRunner(std::vector<ScriptAction> actions, std::string fileName)
    : actions_(std::move(actions)), fileName_(std::move(fileName)) {}

bool ScriptRunner::waiting(ScriptHost& host, float seconds) {
    if (waitFrames_ > 0) return --waitFrames_, true;
    if (sleepUntil_ > now()) return true;
    if (host.capturing() || host.app().wantsDepth()) return true;
    if (walkRemaining_ > 0) {
        host.app().walkMove(walkMove_, seconds, false);
        walkRemaining_ -= seconds;
        return true;
    }
    if (settling_) {
        settledFrames_ = host.streamingSettled() && !host.app().tourMoving() ? settledFrames_ + 1 : 0;
        if (settledFrames_ >= 3) settling_ = false;
        else if (now() > settleDeadline_) {
            std::fprintf(stderr, "vitrine-viewer: script: streaming did not settle in time; carrying on\n");
            settling_ = false;
        }
        if (settling_) return true;
    }
    return false;
}

bool ScriptRunner::step(ScriptHost& host, float seconds) {
    // A script that ends without `quit` still ends the run, once what it started has happened.
    if (next_ >= actions_.size() && !settling_ && waitFrames_ == 0 && walkRemaining_ <= 0 && !host.capturing())
        return false;
    if (waiting(host, seconds)) return true;
    while (next_ < actions_.size()) {
        const ScriptAction& a = actions_[next_++];
        const std::string where = std::format("{}:{}", fileName_, a.line);
        const auto& actions = table();
        const auto found = std::ranges::find_if(actions, [&](const Action& entry) { return a.name == entry.name; });
        if (found == actions.end()) continue;  // the parser accepts only known names (script.cpp)
        switch (found->run(*this, host, a, where)) {
            case Step::Next: continue;
            case Step::EndFrame: return true;
            case Step::Quit: return false;
        }
    }
    return true;
}

namespace {

void showPanel(ScriptHost& host, const std::string& panel, bool on) {
    Panels& p = host.app().panels();
    (panel == "info" ? p.info : panel == "settings" ? p.settings : panel == "stats" ? p.stats
     : panel == "browse" ? p.browse : panel == "measure" ? p.measure : panel == "annotations" ? p.annotations
                                                                                            : p.tour) = on;
}

}  // namespace

// The script's actions (docs/viewer.md lists them), one row each: what it does to the viewer, and
// whether the frame ends after it (a move, a wait, a click and a capture need frames to happen).
const std::vector<ScriptRunner::Action>& ScriptRunner::table() {
    static const std::vector<Action> actions = {
        {"settle", [](ScriptRunner& r, ScriptHost&, const ScriptAction& a, const std::string&) {
             r.settling_ = true;
             r.settledFrames_ = 0;
             r.settleDeadline_ = now() + (a.args.empty() ? kSettleTimeoutSeconds : a.number(0));
             return Step::EndFrame;
         }},
        {"wait", [](ScriptRunner& r, ScriptHost&, const ScriptAction& a, const std::string&) {
             r.waitFrames_ = int(a.number(0));
             return Step::EndFrame;
         }},
        {"sleep", [](ScriptRunner& r, ScriptHost&, const ScriptAction& a, const std::string&) {
             r.sleepUntil_ = now() + a.number(0);
             return Step::EndFrame;
         }},
        {"size", [](ScriptRunner& r, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.resize(uint32_t(std::max(64.0f, a.number(0))), uint32_t(std::max(64.0f, a.number(1))));
             r.waitFrames_ = 3;
             return Step::EndFrame;
         }},
        {"camera", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().setWalkPose({{a.number(0), a.number(1), a.number(2)}, {a.number(3), a.number(4), a.number(5)}});
             return Step::Next;
         }},
        {"walk", [](ScriptRunner& r, ScriptHost&, const ScriptAction& a, const std::string&) {
             r.walkMove_ = {a.number(1), a.number(0)};
             r.walkRemaining_ = a.number(2);
             return Step::EndFrame;
         }},
        {"look", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().look({a.number(0), a.number(1)});
             return Step::Next;
         }},
        {"mode", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string& where) {
             const std::string& m = a.args[0];
             if (m == "walk") h.app().leaveToWalk();
             else if (m == "tour") h.app().startTour(0);
             else if (m == "browse") h.app().panels().browse = true;
             else if (m == "inspect" && !h.app().exhibitArtifactCount())
                 std::fprintf(stderr, "vitrine-viewer: %s: nothing to inspect\n", where.c_str());
             else if (m == "inspect") h.app().inspect(0);
             return Step::Next;
         }},
        {"inspect", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string& where) {
             if (auto i = artifactOf(h, a.args[0], where)) h.app().inspect(*i);
             return Step::Next;
         }},
        {"orbit", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().setOrbit(a.number(0), a.number(1));
             return Step::Next;
         }},
        {"zoom", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().zoom(a.number(0));
             return Step::Next;
         }},
        {"pan", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().pan({a.number(0), a.number(1)}, h.viewportHeight());
             return Step::Next;
         }},
        {"tour", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             const std::string& t = a.args[0];
             if (t == "next") h.app().tourNext();
             else if (t == "previous") h.app().tourPrevious();
             else if (t == "pause") h.app().tourPause(true);
             else if (t == "resume") h.app().tourPause(false);
             else if (t == "end") h.app().leaveToWalk();
             else h.app().jumpToStop(size_t(std::max(1.0f, a.number(0))) - 1);
             return Step::Next;
         }},
        {"open", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             showPanel(h, a.args[0], true);
             return Step::Next;
         }},
        {"close", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             showPanel(h, a.args[0], false);
             return Step::Next;
         }},
        {"set", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             Settings s = h.app().settings();
             const std::string& key = a.args[0];
             const std::string& value = a.args[1];
             const float number = float(std::atof(value.c_str()));
             if (key == "language") s.language = value;
             else if (key == "ui-scale") s.uiScale = std::clamp(number, 0.5f, 4.0f);
             else if (key == "sensitivity") s.look.degreesPerPixel = std::clamp(number, 0.01f, 2.0f);
             else if (key == "invert") s.look.invertY = value == "on";
             else if (key == "quality") s.quality = std::clamp(number, 0.25f, 64.0f);
             else if (key == "budget") s.budgetMiB = uint32_t(std::clamp(number, 16.0f, 65536.0f));
             else if (key == "vsync") s.vsync = value == "on";
             h.app().setSettings(s);
             return Step::Next;
         }},
        {"search", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().panels().browse = true;
             h.app().setSearch(a.rest(0));
             return Step::Next;
         }},
        {"click", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().click({a.number(0), a.number(1)});
             return Step::EndFrame;
         }},
        {"measure", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.app().measure({a.number(0), a.number(1)}, {a.number(2), a.number(3)});
             return Step::EndFrame;
         }},
        {"measure-span", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string& where) {
             if (auto i = artifactOf(h, a.args[0], where)) h.app().measureSpan(*i);
             return Step::EndFrame;
         }},
        {"screenshot", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             h.capture(a.args[0]);
             return Step::EndFrame;
         }},
        {"key", [](ScriptRunner&, ScriptHost& h, const ScriptAction& a, const std::string&) {
             static const std::pair<const char*, int> kKeys[] = {
                 {"T", GLFW_KEY_T}, {"N", GLFW_KEY_N}, {"P", GLFW_KEY_P}, {"Right", GLFW_KEY_RIGHT},
                 {"Left", GLFW_KEY_LEFT}, {"Up", GLFW_KEY_UP}, {"Down", GLFW_KEY_DOWN}, {"Space", GLFW_KEY_SPACE},
                 {"Escape", GLFW_KEY_ESCAPE}, {"Tab", GLFW_KEY_TAB}, {"B", GLFW_KEY_B}, {"I", GLFW_KEY_I}, {"M", GLFW_KEY_M},
                 {"H", GLFW_KEY_H}, {"L", GLFW_KEY_L}, {"F1", GLFW_KEY_F1}, {"F3", GLFW_KEY_F3}, {"F12", GLFW_KEY_F12}};
             for (const auto& [name, code] : kKeys)
                 if (a.args[0] == name) h.pressKey(code);
             return h.capturing() ? Step::EndFrame : Step::Next;  // F12 takes frames
         }},
        {"print", [](ScriptRunner&, ScriptHost&, const ScriptAction& a, const std::string&) {
             std::printf("%s\n", a.rest(0).c_str());
             std::fflush(stdout);
             return Step::Next;
         }},
        {"quit", [](ScriptRunner& r, ScriptHost&, const ScriptAction& a, const std::string&) {
             r.exitCode_ = a.args.empty() ? 0 : int(a.number(0));
             return Step::Quit;
         }},
    };
    static const bool matchesParser = [] {
        std::vector<std::string_view> ours;
        for (const Action& action : actions) ours.push_back(action.name);
        std::vector<std::string_view> parsed = scriptActionNames();
        std::sort(ours.begin(), ours.end());
        std::sort(parsed.begin(), parsed.end());
        return ours == parsed;
    }();
    VT_CHECK(matchesParser, "the script runner's actions differ from the parser's (viewer/script.cpp kSpecs)");
    return actions;
}

}  // namespace vt::viewer
