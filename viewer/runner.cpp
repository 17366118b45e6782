#include "viewer/runner.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include <imgui.h>

namespace vt::viewer {
namespace {

constexpr float kScriptFrameSeconds = 1.0f / 30.0f;  // scripted runs use a fixed clock, so runs repeat
constexpr double kMaxFrameSeconds = 0.1;              // a stalled frame does not fling the camera

double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int Runner::run() {
    opened_ = openInputs(options_.inputs);
    for (const std::string& problem : opened_.problems) std::fprintf(stderr, "%s\n", problem.c_str());
    if (!opened_.usable) {
        std::fprintf(stderr, "vitrine-viewer: %s: nothing to show\n", opened_.path.c_str());
        return 1;
    }
    if (auto code = scriptFromOptions()) return *code;  // a bad script fails before anything opens
    bool windowed = !options_.headless;
    if (windowed) {
        if (auto platform = Window::initPlatform(); !platform) {
            windowed = false;
            std::fprintf(stderr, "vitrine-viewer: %s; rendering offscreen\n", platform.error().message.c_str());
        }
    }
    // No window and nothing to run: the tour's stops as pictures (or the entrance when there is no tour).
    const bool tourPictures = !windowed && script_.empty();
    if (tourPictures)
        script_ = ScriptRunner(tourPicturesScript(opened_.exhibit.tour.stops.size(), options_.output), "tour pictures");
    scripted_ = !script_.empty();
    auto session = Session::create(opened_, options_, windowed);
    if (!session) {
        std::fprintf(stderr, "vitrine-viewer: %s\n", session.error().message.c_str());
        return 1;
    }
    session_ = std::move(*session);
    input_ = std::make_unique<Input>(*session_->app, capture_, session_->window.get());
    output_ = std::make_unique<FrameOutput>(*session_, options_.size);
    loop();
    if (tourPictures)
        std::printf("vitrine-viewer: no window, so the tour's stops were rendered to %s/ (open them with any image viewer)\n",
                    options_.output.c_str());
    return finish(exitCode_);
}

// --script FILE, or --screenshot PNG (settle, save, quit); an exit code when the script is bad.
std::optional<int> Runner::scriptFromOptions() {
    if (!options_.script.empty()) {
        auto script = loadScript(options_.script);
        if (!script) {
            std::fprintf(stderr, "vitrine-viewer: %s\n", script.error().message.c_str());
            return 2;
        }
        script_ = ScriptRunner(std::move(*script), options_.script);
    } else if (!options_.screenshot.empty()) {
        script_ = ScriptRunner(screenshotScript(options_.screenshot), "--screenshot");
    }
    return std::nullopt;
}

void Runner::loop() {
    double last = now();
    while (input_->processEvents()) {
        const double t = now();
        const float seconds = scripted_ ? kScriptFrameSeconds : float(std::min(t - last, kMaxFrameSeconds));
        last = t;
        input_->poll(seconds);
        if (scripted_ && !script_.step(*this, seconds)) {
            exitCode_ = script_.exitCode();
            return;
        }
        frame(seconds);
    }
}

// One frame, as a list of steps. A frame that stalls on the GPU is counted: applying a settings
// change (a new UI scale or language rebuilds the font atlas; vsync the swapchain) and rebuilding the
// swapchain for a new window size wait for the frames in flight, by design, so they come first.
void Runner::frame(float seconds) {
    applySettings();
    const uint64_t waits = session_->context->blockingWaits();
    const uint32_t rebuilds = output_->swapchainRebuilds();
    drawFrame(seconds);
    if (session_->context->blockingWaits() != waits && output_->swapchainRebuilds() == rebuilds) ++stalledFrames_;
}

void Runner::drawFrame(float seconds) {
    App& app = *session_->app;
    reportStreamingProblems();                          // pack failures since the last frame
    app.update(seconds);                                // the mode's camera, tour moves, narration and captions
    if (!output_->begin(app.settings().vsync)) return;  // minimised or out of date: no frame this time
    const VkExtent2D ext = output_->extent();
    const scene::View view = app.view(float(ext.width) / float(ext.height));
    const std::array<scene::View, 1> views{view};
    const render::FrameInput input = session_->scene->prepareFrame(views, {ext.width, ext.height});  // stream, upload
    const FrameReadbacks readbacks{.depth = app.wantsDepth(), .color = screenshotDue()};  // asked before the panels
    input_->newUiFrame();                               // the panels: laid out for this frame
    session_->ui->beginFrame(ext, seconds);
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    app.buildUi({display.x, display.y}, view);
    DrawnFrame drawn = output_->draw(input, readbacks);  // scene, panels, readbacks; submit, present
    deliver(drawn, view, readbacks.color);              // depth to the app, the picture to its file
    app.setFrameStats(seconds * 1000.0f, drawn.stats.trianglesSubmitted);
}

// Streaming problems become lines on stderr and entries in the Problems panel, located in the exhibit.
void Runner::reportStreamingProblems() {
    for (const std::string& error : session_->scene->takeErrors()) {
        std::string problem = locateArtifactProblem(opened_, error);
        std::fprintf(stderr, "%s\n", problem.c_str());
        session_->app->addProblem(std::move(problem));
    }
}

void Runner::applySettings() {
    App& app = *session_->app;
    if (!app.settingsChanged()) return;
    const Settings& s = app.settings();
    if (auto font = session_->ui->setFont(session_->fontPixels(s.uiScale), app.allText()); !font)
        app.addProblem(font.error().message);
    if (session_->swapchain && session_->swapchain->vsync() != s.vsync) output_->recreateSwapchain();
}

// Whether this frame is the screenshot's; a window that cannot be read back drops the request.
bool Runner::screenshotDue() {
    if (!capture_.due()) return false;
    if (output_->canReadColor()) return true;
    session_->app->addProblem("screenshots: this window's images cannot be read back");
    std::fprintf(stderr, "vitrine-viewer: screenshots: this window's images cannot be read back\n");
    capture_.cancel();
    return false;
}

void Runner::deliver(DrawnFrame& drawn, const scene::View& view, bool captured) {
    const gpu::ReadbackResult& pixels = drawn.pixels;
    if (!pixels.depth.empty())
        session_->app->onDepth(pixels.depth.data(), {pixels.depthExtent.width, pixels.depthExtent.height}, view);
    if (!captured) {
        capture_.frameDrawn();
        return;
    }
    gpu::ReadbackImage& layer = drawn.pixels.layers.front();
    const asset::Image shot{"screenshot", layer.width, layer.height, std::move(layer.rgba)};
    if (auto problem = capture_.write(shot)) {
        std::fprintf(stderr, "vitrine-viewer: %s\n", problem->c_str());
        session_->app->addProblem(std::move(*problem));
    }
}

// Validation messages are counted once the GPU is idle; then the members go, in reverse order.
int Runner::finish(int code) {
    gpu::Context& context = *session_->context;
    context.waitIdle();
    const gpu::ValidationCounts counts = context.validationCounts();
    if (context.validationEnabled() && (counts.errors || counts.warnings)) {
        std::fprintf(stderr, "vitrine-viewer: validation reported %u errors and %u warnings\n", counts.errors, counts.warnings);
        return code ? code : 3;
    }
    if (stalledFrames_ > 0) {
        std::fprintf(stderr, "vitrine-viewer: %llu frames waited for the GPU on the frame thread\n",
                     (unsigned long long)stalledFrames_);
        return code ? code : 4;
    }
    return code;
}

}  // namespace vt::viewer
