#include "xr/xr_app.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "exhibit/exhibit.h"
#include "exhibit/packs_exhibit.h"
#include "gallery/exhibit_scene.h"
#include "gpu/context.h"
#include "render/renderer.h"
#include "xr/frame_loop.h"
#include "xr/frame_tap.h"
#include "xr/head_and_hands.h"
#include "xr/interaction.h"
#include "xr/openxr_program.h"
#include "xr/panels.h"
#include "xr/simulator.h"
#include "xr/swapchains.h"
#include "xr/vulkan_binding.h"
#include "xr/xr_input.h"

namespace vt::xr {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kExitWaitSeconds = 5.0;  // after our exit request: how long to wait for EXITING

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// AR: one artifact on its plinth at the origin, no room; the visitor starts in front of it.
exhibit::Exhibit arExhibit(const exhibit::Exhibit& full, const std::string& artifactId) {
    exhibit::Exhibit result = full;
    result.rooms.clear();
    result.lights.clear();
    result.tour = {};
    result.artifacts.clear();
    for (const exhibit::Artifact& artifact : full.artifacts)
        if (artifactId.empty() || artifact.id == artifactId) {
            result.artifacts.push_back(artifact);
            break;
        }
    if (!result.artifacts.empty()) {
        exhibit::Artifact& artifact = result.artifacts.front();
        artifact.room.clear();
        artifact.positionXZ = {0.0f, -1.0f};
        if (artifact.stand.kind == exhibit::StandKind::None) artifact.stand.kind = exhibit::StandKind::Plinth;
        const float top = artifact.baseY();
        result.start = exhibit::CameraPose{.position = {0.0f, result.eyeHeight, 0.8f}, .target = {0.0f, top + 0.2f, -1.0f}};
    }
    return result;
}

// One attempt: the OpenXR program, the Vulkan device through it, the exhibit, the session, and the
// frame loop until the session ends. It puts the parts together; each part's job is in its own file.
class App : public OpenXrProgram::Listener {
public:
    explicit App(const AppOptions& options) : options_(options) {}
    ~App() override;
    int run();
    bool runtimeLost() const { return program_ && program_->runtimeLost(); }

private:
    int start();  // 0, or the exit code of a failed start
    Result<void> createScene();
    Result<void> createSession();
    void createPanels();
    Result<void> createFrame();
    void loop();
    int finish();

    // OpenXrProgram::Listener
    void onStateChanged() override { pauseNarration(); }
    void beforeEndSession() override;
    void onRecentre() override { frame_->recentre(); }
    void onInteractionProfileChanged() override;
    // Narration plays while the visitor sees the session (VISIBLE or FOCUSED): a headset taken off
    // pauses it. The tap holding the scene (a capture waiting for it to settle) holds it too, so the
    // captured caption is the same on every machine.
    void pauseNarration();

    AppOptions options_;
    std::unique_ptr<OpenXrProgram> program_;  // the instance: destroyed last, after the device it made
    std::unique_ptr<gpu::Context> context_;
    std::unique_ptr<render::Renderer> renderer_;
    std::unique_ptr<gallery::ExhibitScene> scene_;
    exhibit::Exhibit exhibit_;
    std::unique_ptr<Input> input_;
    std::unique_ptr<Interaction> interaction_;
    std::unique_ptr<Panels> panels_;
    std::unique_ptr<EyeSwapchains> swapchains_;
    std::unique_ptr<HeadAndHands> headAndHands_;
    std::unique_ptr<FrameTap> tap_;
    std::unique_ptr<FrameLoop> frame_;
    bool narrationHidden_ = true;  // the session was not VISIBLE or FOCUSED when last looked at
};

App::~App() {
    // What lives in the session goes before it, and the session before the Vulkan device; the members
    // then go in reverse order, the instance last.
    frame_.reset();
    if (panels_) panels_->destroyXr();
    if (input_) input_->detach();
    if (context_) context_->waitIdle();
    swapchains_.reset();
    if (program_) program_->destroySession();
}

int App::run() {
    if (int rc = start(); rc != 0) return rc;
    std::fflush(stdout);
    loop();
    return finish();
}

int App::start() {
    auto program = OpenXrProgram::create(*this);
    if (!program) {
        std::printf("xr: no runtime: %s\n", program.error().message.c_str());
        return 2;
    }
    program_ = std::move(*program);
    auto ok = program_->chooseSystem(options_.mode);
    if (ok) {
        auto context = createVulkanThroughRuntime(program_->instance(), program_->system(), options_.validation);
        if (context) context_ = std::move(*context);
        else ok = std::unexpected(context.error());
    }
    if (!ok) {
        std::printf("xr: no system: %s\n", ok.error().message.c_str());
        return 2;
    }
    if (auto scene = createScene(); !scene) {
        std::printf("xr: %s\n", scene.error().message.c_str());
        return 1;
    }
    if (auto session = createSession(); !session) {
        std::printf("xr: session: %s\n", session.error().message.c_str());
        return 2;
    }
    if (auto frame = createFrame(); !frame) {
        std::printf("xr: swapchain: %s\n", frame.error().message.c_str());
        return 1;
    }
    return 0;
}

Result<void> App::createScene() {
    const std::string& path = options_.exhibitPath;
    // A pack on its own is shown the way the viewer shows one: on a plinth in a room of its own.
    exhibit::ParseResult parsed = endsWith(path, ".vpk") ? exhibit::exhibitForPacks({path}) : exhibit::loadExhibit(path);
    for (const exhibit::Diagnostic& d : parsed.diagnostics) std::printf("xr: exhibit: %s\n", d.format().c_str());
    if (!parsed.usable) return fail("{}: not a usable exhibit", path);
    exhibit_ = std::move(parsed.exhibit);
    if (options_.mode == Mode::Ar) exhibit_ = arExhibit(exhibit_, options_.arArtifact);
    options_.comfort.standingEyeHeight = exhibit_.eyeHeight;

    render::RendererOptions rendererOptions;
    rendererOptions.colorFormat = kEyeColorFormat;
    rendererOptions.msaaSamples = options_.msaa;
    if (options_.mode == Mode::Ar) rendererOptions.clearColor = {0.0f, 0.0f, 0.0f, 0.0f};  // see-through background
    auto renderer = render::Renderer::create(*context_, rendererOptions);
    if (!renderer) return std::unexpected(renderer.error());
    renderer_ = std::move(*renderer);
    auto scene = gallery::ExhibitScene::create(*context_, *renderer_, exhibit_, path);
    if (!scene) return std::unexpected(scene.error());
    scene_ = std::move(*scene);
    std::printf("xr: exhibit %s: %zu artifacts, %zu rooms%s\n", path.c_str(), exhibit_.artifacts.size(),
                exhibit_.rooms.size(), options_.mode == Mode::Ar ? " (AR)" : "");
    return {};
}

// The session and what lives in it: the controllers' actions, the interaction (with the tour and an
// open label when asked for) and the label panels.
Result<void> App::createSession() {
    if (auto ok = program_->createSession(*context_, options_.comfort.seated); !ok) return ok;
    auto input = Input::create(program_->instance(), program_->handInteraction());
    if (!input) return std::unexpected(input.error());
    input_ = std::move(*input);
    if (auto ok = input_->attach(program_->session()); !ok) return ok;
    std::string profiles;
    for (const std::string& profile : input_->profiles()) profiles += " " + profile;
    std::printf("xr: bindings%s\n", profiles.c_str());

    interaction_ = std::make_unique<Interaction>(*scene_, *renderer_, options_.comfort, options_.language,
                                                 options_.exhibitPath);
    if (options_.tour) {
        interaction_->startTour();
        if (interaction_->tourStop() < 0) std::printf("xr: --tour: the exhibit has no tour\n");
    }
    if (!options_.openLabel.empty()) {
        for (size_t i = 0; i < exhibit_.artifacts.size(); ++i)
            if (exhibit_.artifacts[i].id == options_.openLabel) interaction_->setOpenText(OpenText{i, -1});
        if (!interaction_->openText()) std::printf("xr: --open-label: no artifact '%s'\n", options_.openLabel.c_str());
    }
    createPanels();
    return {};
}

void App::createPanels() {
    if (options_.panelMode == PanelMode::Off) return;
    std::optional<Panels::Mode> forced;
    if (options_.panelMode == PanelMode::Quad) forced = Panels::Mode::Quad;
    if (options_.panelMode == PanelMode::Scene) forced = Panels::Mode::Scene;
    auto panels = Panels::create(*context_, *renderer_, program_->instance(), program_->session(), program_->system(),
                                 exhibit_, forced);
    if (!panels) {
        std::printf("xr: panels unavailable: %s\n", panels.error().message.c_str());
        return;
    }
    panels_ = std::move(*panels);
    std::printf("xr: panels as %s\n", panels_->mode() == Panels::Mode::Quad ? "quad layers" : "scene geometry");
}

// The eye swapchains and the frame loop, with what it reads the visitor from and what watches it:
// chosen here, once. In a headset the runtime's head and hands and no tap; in tests a script and a
// capture (xr/simulator.h).
Result<void> App::createFrame() {
    auto swapchains = EyeSwapchains::create(*context_, program_->instance(), program_->session(), program_->eyeView(),
                                            options_.eyeWidth, options_.eyeHeight, program_->depthExtension());
    if (!swapchains) return std::unexpected(swapchains.error());
    swapchains_ = std::move(*swapchains);

    auto tracked = std::make_unique<TrackedHeadAndHands>(program_->instance(), program_->session(),
                                                         program_->appSpace(), program_->viewSpace(), *input_);
    if (options_.scriptedHead || options_.inputScript != InputScript::None)
        headAndHands_ = std::make_unique<ScriptedHeadAndHands>(std::move(tracked), options_.scriptedHead,
                                                               options_.inputScript, options_.comfort.standingEyeHeight,
                                                               *scene_, panels_.get());
    else
        headAndHands_ = std::move(tracked);
    if (options_.captureFrame >= 0)
        tap_ = std::make_unique<EyeCapture>(*context_, *scene_, uint64_t(options_.captureFrame), options_.captureDir);
    else
        tap_ = std::make_unique<FrameTap>();

    frame_ = std::make_unique<FrameLoop>(FrameParts{.program = *program_,
                                                    .context = *context_,
                                                    .renderer = *renderer_,
                                                    .scene = *scene_,
                                                    .exhibit = exhibit_,
                                                    .interaction = *interaction_,
                                                    .panels = panels_.get(),
                                                    .swapchains = *swapchains_,
                                                    .headAndHands = *headAndHands_,
                                                    .tap = *tap_},
                                         options_.comfort);
    return {};
}

// Events, then a frame while the session runs; until the session's loop ends.
void App::loop() {
    const SessionMachine& machine = program_->machine();
    Clock::time_point notRunningSince = Clock::now();
    while (!machine.finished()) {
        program_->pollEvents();
        if (machine.finished()) break;
        pauseNarration();
        if (!machine.running()) {
            // IDLE or STOPPING: no frames; wait for the runtime, but not forever (after our own exit
            // request, EXITING should follow IDLE at once).
            const double limit = machine.exitRequested() ? kExitWaitSeconds : options_.idleTimeoutSeconds;
            if (secondsSince(notRunningSince) > limit) {
                std::printf("xr: the session stayed %s for %.0f s; leaving\n",
                            std::string(stateName(machine.state())).c_str(), limit);
                if (!machine.exitRequested()) program_->setExitReason("idle timeout");
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        notRunningSince = Clock::now();
        frame_->step();
        if (options_.frames > 0 && frame_->framesSubmitted() >= options_.frames && !program_->exitRequestedByUs() &&
            tap_->done())
            program_->requestExit("frame budget reached, session exited");
    }
}

// The closing report; 1 when something failed or validation spoke.
int App::finish() {
    context_->waitIdle();
    tap_->afterFrame(true);
    std::printf("xr: frames submitted %llu views %u\n", (unsigned long long)frame_->framesSubmitted(), kViewCount);
    std::printf("xr: frames that waited for the GPU %llu\n", (unsigned long long)frame_->framesStalled());
    frame_->printTimes();
    for (const std::string& error : scene_->takeErrors()) std::printf("xr: scene: %s\n", error.c_str());
    std::printf("xr: scene triangles drawn %llu, settled %s\n", (unsigned long long)scene_->stats().trianglesDrawn,
                scene_->settled() ? "yes" : "no");
    bool validationProblems = false;
    if (context_->validationEnabled()) {
        const gpu::ValidationCounts counts = context_->validationCounts();
        std::printf("xr: validation errors %u warnings %u\n", counts.errors, counts.warnings);
        validationProblems = counts.errors + counts.warnings > 0;
    }
    std::printf("xr: exit clean (%s)\n", program_->exitReason().c_str());
    std::fflush(stdout);
    return tap_->failed() || validationProblems || frame_->framesStalled() > 0 ? 1 : 0;
}

void App::beforeEndSession() {
    if (interaction_ && interaction_->narration().started()) {
        interaction_->stopNarration();
        std::printf("xr: narration stopped (session ended)\n");
    }
    // Nothing of ours may still be on the queue when the runtime stops using the swapchain.
    context_->waitIdle();
}

void App::onInteractionProfileChanged() {
    const auto profiles = input_->currentProfiles(program_->session());
    std::printf("xr: interaction profile changed: left %s, right %s\n", profiles[0].c_str(), profiles[1].c_str());
    std::fflush(stdout);
}

void App::pauseNarration() {
    const SessionMachine& machine = program_->machine();
    const bool hidden = !machine.shouldSubmitLayers();
    if (hidden != narrationHidden_) {
        narrationHidden_ = hidden;
        if (interaction_->narration().started()) {
            std::printf("xr: narration %s (state %s)\n", hidden ? "paused" : "resumed",
                        std::string(stateName(machine.state())).c_str());
            std::fflush(stdout);
        }
    }
    interaction_->setNarrationPaused(hidden || tap_->holding(frame_->framesSubmitted()));
}

}  // namespace

int runApp(const AppOptions& options) {
    // With --retry, a lost runtime is waited for: each attempt is a whole new App (the Vulkan device
    // belongs to the lost instance, so nothing of the old one can be kept).
    Clock::time_point deadline{};
    bool retrying = false;
    for (;;) {
        int rc = 0;
        bool lost = false;
        {
            App app(options);
            rc = app.run();
            lost = app.runtimeLost();
        }
        if (options.retrySeconds <= 0.0) return rc;
        if (lost) {
            deadline = Clock::now() + std::chrono::milliseconds(int64_t(options.retrySeconds * 1000.0));
            retrying = true;
            std::printf("xr: runtime lost; waiting up to %.0f s for it to come back\n", options.retrySeconds);
            std::fflush(stdout);
        } else if (!(retrying && rc == 2)) {
            return rc;  // a normal end, or a failure that waiting will not fix
        }
        if (Clock::now() >= deadline) {
            std::printf("xr: no runtime after %.0f s; giving up\n", options.retrySeconds);
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
}

}  // namespace vt::xr
