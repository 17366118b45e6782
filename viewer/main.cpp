// vitrine-viewer: walk an exhibit on a desktop, follow its tour, search and inspect its objects.
//
//   vitrine-viewer EXHIBIT.json | PACK... [--script FILE] [--screenshot PNG] [--size WxH] [--output DIR]
//                  [--headless] [--language en|zh] [--ui-scale F] [--quality PIXELS] [--no-vsync] [--validation]
//
// Without a display (no DISPLAY, glfwInit fails) or with --headless it renders each tour stop to
// DIR/stop-NN.png (default out/tour) once streaming has settled, and prints the paths; with --script
// it runs the script offscreen instead.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include "asset/image_io.h"
#include "core/log.h"
#include "gallery/exhibit_scene.h"
#include "gpu/context.h"
#include "gpu/resources.h"
#include "render/renderer.h"
#include "ui/imgui_layer.h"
#include "viewer/app.h"
#include "viewer/exhibit_source.h"
#include "viewer/script.h"
#include "viewer/script_runner.h"
#include "viewer/window.h"

namespace vt::viewer {
namespace {

constexpr float kBaseFontPixels = 17.0f;
constexpr float kScriptFrameSeconds = 1.0f / 30.0f;  // scripted runs use a fixed clock, so runs repeat

struct Options {
    std::vector<std::string> inputs;
    std::string script, screenshot, output = "out/tour";
    VkExtent2D size{1280, 800};
    bool headless = false, validation = false;
    Settings settings;
};

int usage(const char* message) {
    if (message) std::fprintf(stderr, "vitrine-viewer: %s\n", message);
    std::fprintf(stderr,
                 "usage: vitrine-viewer EXHIBIT.json | PACK... [--script FILE] [--screenshot PNG] [--size WxH]\n"
                 "       [--output DIR] [--headless] [--language en|zh] [--ui-scale F] [--quality PIXELS]\n"
                 "       [--no-vsync] [--validation]\n");
    return 2;
}

std::optional<Options> parseArgs(int argc, char** argv, int& exitCode) {
    Options o;
    o.settings.language.clear();  // the exhibit's first language unless --language says otherwise
    const char* env = std::getenv("VITRINE_VALIDATION");
    o.validation = env && std::strcmp(env, "1") == 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        if (arg == "--help" || arg == "-h") {
            exitCode = usage(nullptr);
            return std::nullopt;
        } else if (arg == "--script" && (v = value())) o.script = v;
        else if (arg == "--screenshot" && (v = value())) o.screenshot = v;
        else if (arg == "--output" && (v = value())) o.output = v;
        else if (arg == "--language" && (v = value())) o.settings.language = v;
        else if (arg == "--ui-scale" && (v = value())) o.settings.uiScale = std::clamp(float(std::atof(v)), 0.5f, 4.0f);
        else if (arg == "--quality" && (v = value())) o.settings.quality = std::clamp(float(std::atof(v)), 0.25f, 64.0f);
        else if (arg == "--size" && (v = value())) {
            unsigned w = 0, h = 0;
            if (std::sscanf(v, "%ux%u", &w, &h) != 2 || w < 64 || h < 64 || w > 8192 || h > 8192) {
                exitCode = usage("--size takes WxH, e.g. 1280x800 (64 to 8192)");
                return std::nullopt;
            }
            o.size = {w, h};
        } else if (arg == "--headless") o.headless = true;
        else if (arg == "--no-vsync") o.settings.vsync = false;
        else if (arg == "--validation") o.validation = true;
        else if (arg.starts_with("--")) {
            exitCode = usage(std::format("unknown or incomplete option {}", arg).c_str());
            return std::nullopt;
        } else o.inputs.push_back(arg);
    }
    if (o.inputs.empty()) {
        exitCode = usage("give an exhibit file or one or more packs");
        return std::nullopt;
    }
    return o;
}

// Everything one frame in flight needs.
struct FrameSlot {
    VkCommandPool pool = VK_NULL_HANDLE;
    VkCommandBuffer commands = VK_NULL_HANDLE;
    VkSemaphore acquired = VK_NULL_HANDLE;
    uint64_t submitted = 0;
};

class Runner : public ScriptHost {
public:
    Runner(Options options) : options_(std::move(options)) {}
    int run();

    // GLFW callbacks.
    void onKey(int key, int mods);
    void onScroll(double dy);

    // What a script may ask of the viewer (script_runner.h).
    App& app() override { return *app_; }
    bool streamingSettled() const override { return scene_->settled(); }
    void resize(uint32_t width, uint32_t height) override;
    float viewportHeight() const override { return float(extent().height); }
    void pressKey(int glfwKey) override { onKey(glfwKey, 0); }
    void capture(const std::string& path) override {
        capturePath_ = path;
        captureDelay_ = 2;  // panels lay out over a frame or two
    }
    bool capturing() const override { return captureDelay_ >= 0; }

private:
    Result<void> setUp(bool windowed);
    void frame(float seconds);
    void handleWindowInput(float seconds);
    void applySettings();
    void writeCapture();
    int runTourToPngs();
    int finish(int code);
    VkExtent2D extent() const { return swapchain_ ? swapchain_->extent() : offscreenExtent_; }

    Options options_;
    OpenedExhibit opened_;
    std::unique_ptr<Window> window_;
    std::unique_ptr<gpu::Context> context_;
    std::unique_ptr<Swapchain> swapchain_;
    std::unique_ptr<render::Renderer> renderer_;
    std::unique_ptr<gallery::ExhibitScene> scene_;
    std::unique_ptr<App> app_;
    std::unique_ptr<ui::ImGuiLayer> ui_;
    bool glfwBackend_ = false;
    std::vector<FrameSlot> slots_;
    size_t slotIndex_ = 0;

    VkExtent2D offscreenExtent_{};
    gpu::Image offscreen_;
    gpu::Image depthCopy_;
    gpu::Buffer depthReadback_;
    gpu::Buffer colorReadback_;

    // Requests for the next frame.
    std::string capturePath_;
    int captureDelay_ = -1;  // frames until the capture (panels lay out over a frame or two)
    bool captureDone_ = false;
    int screenshotCount_ = 0;
    bool quit_ = false;
    int exitCode_ = 0;
    bool needSwapchain_ = false;

    // Mouse state.
    glm::dvec2 lastCursor_{0.0};
    glm::dvec2 pressCursor_{0.0};
    bool leftDown_ = false, rightDown_ = false, dragging_ = false;
    bool walkKeysDown_ = false;  // a walk key was held last frame (its release prints where the walk ended)
    bool mouseLook_ = false;  // Tab in walk mode: the cursor is hidden and every motion looks around
    void setMouseLook(bool on);

    // Script (tests, screenshots, tour pictures): a fixed clock, actions run by ScriptRunner.
    ScriptRunner script_{{}, {}};
    bool scripted_ = false;
    size_t problemsReported_ = 0;
};

double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

Runner* gRunner = nullptr;  // GLFW callbacks carry no user data of ours beyond the window pointer

Result<void> Runner::setUp(bool windowed) {
    gpu::ContextOptions contextOptions;
    contextOptions.applicationName = "vitrine-viewer";
    contextOptions.validation = options_.validation;
    if (windowed) {
        contextOptions.instanceExtensions = Window::requiredInstanceExtensions();
        contextOptions.deviceExtensions = {VK_KHR_SWAPCHAIN_EXTENSION_NAME};
    }
    auto context = gpu::Context::create(contextOptions);
    if (!context) return std::unexpected(context.error());
    context_ = std::move(*context);

    VkFormat format = VK_FORMAT_R8G8B8A8_SRGB;
    uint32_t imageCount = 2;
    if (windowed) {
        const std::string& exhibitTitle = opened_.exhibit.title.get(options_.settings.language.empty()
                                                                        ? opened_.exhibit.languages.front()
                                                                        : options_.settings.language);
        const std::string title = exhibitTitle.empty() ? "Vitrine" : "Vitrine - " + exhibitTitle;
        auto window = Window::create(title.c_str(), options_.size);
        if (!window) return std::unexpected(window.error());
        window_ = std::move(*window);
        auto swapchain = Swapchain::create(*context_, window_->handle(), window_->framebufferSize(), options_.settings.vsync);
        if (!swapchain) return std::unexpected(swapchain.error());
        swapchain_ = std::move(*swapchain);
        format = swapchain_->format();
        imageCount = swapchain_->imageCount();
    } else {
        offscreenExtent_ = options_.size;
    }
    render::RendererOptions rendererOptions;
    rendererOptions.colorFormat = format;
    auto renderer = render::Renderer::create(*context_, rendererOptions);
    if (!renderer) return std::unexpected(renderer.error());
    renderer_ = std::move(*renderer);

    gallery::SceneOptions sceneOptions;
    sceneOptions.stream.pixelErrorThreshold = options_.settings.quality;
    sceneOptions.stream.gpuBudgetBytes = uint64_t(options_.settings.budgetMiB) << 20;
    auto scene = gallery::ExhibitScene::create(*context_, *renderer_, opened_.exhibit, opened_.path, sceneOptions);
    if (!scene) return std::unexpected(scene.error());
    scene_ = std::move(*scene);
    if (options_.settings.language.empty()) options_.settings.language = opened_.exhibit.languages.front();
    app_ = std::make_unique<App>(*scene_, opened_.path, options_.settings, opened_.problems);

    ui::ImGuiLayerOptions uiOptions;
    uiOptions.colorFormat = format;
    uiOptions.imageCount = std::max(2u, imageCount);
    const float contentScale = window_ ? window_->contentScale() : 1.0f;
    uiOptions.fontPixels = kBaseFontPixels * options_.settings.uiScale * contentScale;
    uiOptions.extraGlyphs = app_->allText();
    auto layer = ui::ImGuiLayer::create(*context_, uiOptions);
    if (!layer) return std::unexpected(layer.error());
    ui_ = std::move(*layer);
    ImGui::GetIO().FontGlobalScale = 1.0f / contentScale;
    if (window_) {
        gRunner = this;
        GLFWwindow* w = window_->handle();
        glfwSetKeyCallback(w, [](GLFWwindow*, int key, int, int action, int mods) {
            if (action == GLFW_PRESS && gRunner) gRunner->onKey(key, mods);
        });
        glfwSetScrollCallback(w, [](GLFWwindow*, double, double dy) {
            if (gRunner) gRunner->onScroll(dy);
        });
        // Buttons and walk keys are polled once a frame; sticky input keeps a press that was let go
        // before the poll (a quick click on a slow machine, where a frame can outlast it).
        glfwSetInputMode(w, GLFW_STICKY_MOUSE_BUTTONS, GLFW_TRUE);
        glfwSetInputMode(w, GLFW_STICKY_KEYS, GLFW_TRUE);
        // Installed after ours, so it chains to them.
        ImGui_ImplGlfw_InitForVulkan(w, true);
        glfwBackend_ = true;
        glfwGetCursorPos(w, &lastCursor_.x, &lastCursor_.y);
    }

    const uint32_t slotCount = window_ ? 2 : 1;
    for (uint32_t i = 0; i < slotCount; ++i) {
        FrameSlot slot;
        VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
        poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
        poolInfo.queueFamilyIndex = context_->queueFamily();
        VK_CHECK(vkCreateCommandPool(context_->device(), &poolInfo, nullptr, &slot.pool));
        VkCommandBufferAllocateInfo allocInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
        allocInfo.commandPool = slot.pool;
        allocInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        allocInfo.commandBufferCount = 1;
        VK_CHECK(vkAllocateCommandBuffers(context_->device(), &allocInfo, &slot.commands));
        VkSemaphoreCreateInfo semaphoreInfo{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        VK_CHECK(vkCreateSemaphore(context_->device(), &semaphoreInfo, nullptr, &slot.acquired));
        slots_.push_back(slot);
    }
    return {};
}

void Runner::onKey(int key, int mods) {
    if (ImGui::GetIO().WantTextInput) return;
    Panels& p = app_->panels();
    const Mode mode = app_->mode();
    switch (key) {
    case GLFW_KEY_F12: captureDelay_ = 0, capturePath_.clear(); break;
    case GLFW_KEY_TAB:
        if (window_ && mode == Mode::Walk) setMouseLook(!mouseLook_);
        break;
    case GLFW_KEY_ESCAPE:
        if (mouseLook_) setMouseLook(false);
        else if (mode != Mode::Walk) app_->leaveToWalk();
        else if (p.measure) p.measure = false;
        break;
    case GLFW_KEY_T: if (mode != Mode::Tour) app_->startTour(0); break;
    case GLFW_KEY_N: case GLFW_KEY_RIGHT: if (mode == Mode::Tour) app_->tourNext(); break;
    case GLFW_KEY_P: case GLFW_KEY_LEFT: if (mode == Mode::Tour) app_->tourPrevious(); break;
    case GLFW_KEY_SPACE: if (mode == Mode::Tour) app_->tourPause(!app_->tourPaused()); break;
    case GLFW_KEY_B: p.browse = !p.browse; break;
    case GLFW_KEY_I: p.info = !p.info; break;
    case GLFW_KEY_M: p.measure = !p.measure; break;
    case GLFW_KEY_H: p.annotations = !p.annotations; break;
    case GLFW_KEY_F1: p.settings = !p.settings; break;
    case GLFW_KEY_F3: p.stats = !p.stats; break;
    case GLFW_KEY_L: {
        Settings s = app_->settings();
        s.language = s.language.starts_with("zh") ? "en" : "zh";
        app_->setSettings(s);
        break;
    }
    default: break;
    }
    (void)mods;
}

void Runner::setMouseLook(bool on) {
    mouseLook_ = on;
    glfwSetInputMode(window_->handle(), GLFW_CURSOR, on ? GLFW_CURSOR_DISABLED : GLFW_CURSOR_NORMAL);
    // The panels must not see a hidden cursor wandering over them.
    ImGuiIO& io = ImGui::GetIO();
    if (on) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
    else io.ConfigFlags &= ~ImGuiConfigFlags_NoMouse;
    glfwGetCursorPos(window_->handle(), &lastCursor_.x, &lastCursor_.y);
}

void Runner::onScroll(double dy) {
    if (ImGui::GetIO().WantCaptureMouse) return;
    if (app_->mode() == Mode::Inspect) app_->zoom(float(dy));
}

void Runner::handleWindowInput(float seconds) {
    GLFWwindow* w = window_->handle();
    const ImGuiIO& io = ImGui::GetIO();
    glm::dvec2 cursor;
    glfwGetCursorPos(w, &cursor.x, &cursor.y);
    const glm::vec2 delta = glm::vec2(cursor - lastCursor_);
    lastCursor_ = cursor;
    // Screen coordinates -> framebuffer pixels (HiDPI).
    int windowWidth = 1, windowHeight = 1;
    glfwGetWindowSize(w, &windowWidth, &windowHeight);
    const VkExtent2D fb = window_->framebufferSize();
    const glm::vec2 toPixels{float(fb.width) / float(std::max(windowWidth, 1)), float(fb.height) / float(std::max(windowHeight, 1))};

    if (mouseLook_ && app_->mode() != Mode::Walk) setMouseLook(false);
    if (mouseLook_) app_->look(delta);
    const bool left = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
    const bool right = glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS;
    const bool leftShift = glfwGetKey(w, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS;
    const bool shift = glfwGetKey(w, GLFW_KEY_RIGHT_SHIFT) == GLFW_PRESS || leftShift;  // both read: sticky keys
    if (!io.WantCaptureMouse || leftDown_ || rightDown_) {
        if (left && !leftDown_ && !io.WantCaptureMouse) {
            leftDown_ = true;
            dragging_ = false;
            pressCursor_ = cursor;
        }
        if (right && !rightDown_ && !io.WantCaptureMouse) rightDown_ = true;
        if (leftDown_ && glm::length(glm::vec2(cursor - pressCursor_)) > 4.0f) dragging_ = true;
        const Mode mode = app_->mode();
        if ((leftDown_ && dragging_) || rightDown_) {
            if (mode == Mode::Walk && !mouseLook_) app_->look(delta);
            else if (mode == Mode::Inspect && (rightDown_ || shift)) app_->pan(delta * toPixels, float(fb.height));
            else if (mode == Mode::Inspect) app_->orbitDrag(delta);
        }
        if (!left && leftDown_) {
            if (!dragging_) app_->click(glm::vec2(cursor) * toPixels);
            leftDown_ = false;
        }
        if (!right) rightDown_ = false;
    }
    // The walk keys are read every frame, also while they are not used, so a sticky press made
    // while typing in a panel is spent there and does not step the visitor later.
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
    if (!io.WantCaptureKeyboard && app_->mode() == Mode::Walk) {
        if (move != glm::vec2(0.0f)) app_->walkMove(move, seconds, shift);
        walking = move != glm::vec2(0.0f);
    }
    if (walkKeysDown_ && !walking) {  // the walk keys let go: where the visitor stands now
        const glm::vec3 at = app_->view(1.0f).position;
        std::printf("walk: stopped at (%.3f, %.3f, %.3f)\n", at.x, at.y, at.z);
        std::fflush(stdout);
    }
    walkKeysDown_ = walking;
}

void Runner::resize(uint32_t width, uint32_t height) {
    const VkExtent2D size{width, height};
    if (window_) window_->setSize(size);
    else offscreenExtent_ = size;
}

void Runner::applySettings() {
    if (!app_->settingsChanged()) return;
    const Settings& s = app_->settings();
    const float contentScale = window_ ? window_->contentScale() : 1.0f;
    if (auto font = ui_->setFont(kBaseFontPixels * s.uiScale * contentScale, app_->allText()); !font)
        app_->addProblem(font.error().message);
    if (swapchain_ && swapchain_->vsync() != s.vsync) needSwapchain_ = true;
}

void Runner::frame(float seconds) {
    for (const std::string& error : scene_->takeErrors()) {
        std::string problem = locateArtifactProblem(opened_, error);
        std::fprintf(stderr, "%s\n", problem.c_str());
        app_->addProblem(std::move(problem));
    }
    app_->update(seconds);
    applySettings();
    if (swapchain_) {
        const VkExtent2D fb = window_->framebufferSize();
        if (fb.width == 0 || fb.height == 0) {  // minimised: nothing to draw into
            glfwWaitEventsTimeout(0.1);
            return;
        }
        if (needSwapchain_ || fb.width != swapchain_->extent().width || fb.height != swapchain_->extent().height) {
            if (auto made = swapchain_->recreate(fb, app_->settings().vsync); !made) return;
            needSwapchain_ = false;
        }
    }
    const VkExtent2D ext = extent();
    FrameSlot& slot = slots_[slotIndex_];
    slotIndex_ = (slotIndex_ + 1) % slots_.size();
    context_->waitFor(slot.submitted);
    context_->collectRetired();

    uint32_t imageIndex = 0;
    VkImage image = VK_NULL_HANDLE;
    VkImageView imageView = VK_NULL_HANDLE;
    if (swapchain_) {
        const auto acquired = swapchain_->acquire(slot.acquired);
        if (!acquired) {
            needSwapchain_ = true;
            return;
        }
        imageIndex = *acquired;
        image = swapchain_->image(imageIndex);
        imageView = swapchain_->view(imageIndex);
    } else {
        if (!offscreen_ || offscreen_.desc().extent.width != ext.width || offscreen_.desc().extent.height != ext.height)
            offscreen_ = gpu::Image(*context_,
                                    {VK_FORMAT_R8G8B8A8_SRGB, ext, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                     VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                                    "viewer offscreen target");
        image = offscreen_.handle();
        imageView = offscreen_.view();
    }

    const scene::View sceneView = app_->view(float(ext.width) / float(ext.height));
    const std::array<scene::View, 1> views{sceneView};
    const render::FrameInput input = scene_->prepareFrame(views, {ext.width, ext.height});
    const bool wantDepth = app_->wantsDepth();
    if (captureDelay_ == 0 && swapchain_ && !swapchain_->canCopy()) {
        app_->addProblem("screenshots: this window's images cannot be read back");
        std::fprintf(stderr, "vitrine-viewer: screenshots: this window's images cannot be read back\n");
        captureDelay_ = -1;
        capturePath_.clear();
    }
    const bool capture = captureDelay_ == 0;
    const VkDeviceSize pixelBytes = VkDeviceSize(ext.width) * ext.height * 4;
    if (wantDepth) {
        if (!depthCopy_ || depthCopy_.desc().extent.width != ext.width || depthCopy_.desc().extent.height != ext.height)
            depthCopy_ = gpu::Image(*context_,
                                    {VK_FORMAT_D32_SFLOAT, ext, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                     VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                                    "viewer depth copy");
        if (!depthReadback_ || depthReadback_.size() != pixelBytes)
            depthReadback_ = gpu::Buffer(*context_, pixelBytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::Readback,
                                         "viewer depth readback");
    }
    if (capture && (!colorReadback_ || colorReadback_.size() != pixelBytes))
        colorReadback_ = gpu::Buffer(*context_, pixelBytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::Readback,
                                     "viewer screenshot readback");

    // Panels and overlays for this frame.
    if (glfwBackend_) ImGui_ImplGlfw_NewFrame();
    ui_->beginFrame(ext, seconds);
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    app_->buildUi({display.x, display.y}, sceneView);

    VkCommandBuffer commands = slot.commands;
    VK_CHECK(vkResetCommandPool(context_->device(), slot.pool, 0));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(commands, &begin));

    // 1. The scene, into the image; it stays a colour attachment for the panels.
    render::RenderTarget target;
    target.image = image;
    target.view = imageView;
    target.extent = ext;
    target.initialStage = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_2_COPY_BIT;
    target.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    target.finalStage = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;
    target.finalAccess = VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT;
    if (wantDepth) {
        target.depthCopy = depthCopy_.handle();
        target.depthCopyView = depthCopy_.view();
    }
    const render::FrameStats stats = renderer_->record(commands, input, target);
    // 2. Depth of what was drawn, for picking and measuring.
    if (wantDepth) {
        VkBufferImageCopy region{};
        region.imageSubresource = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 0, 1};
        region.imageExtent = {ext.width, ext.height, 1};
        vkCmdCopyImageToBuffer(commands, depthCopy_.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, depthReadback_.handle(), 1,
                               &region);
    }
    // 3. Panels over the scene.
    ui_->render(commands, imageView, ext);
    // 4. Screenshot copy, then hand the image to the presentation engine (or leave it for the next copy).
    const VkImageLayout finalLayout = swapchain_ ? VK_IMAGE_LAYOUT_PRESENT_SRC_KHR : VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    if (capture) {
        gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                   VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                                   VK_ACCESS_2_TRANSFER_READ_BIT});
        VkBufferImageCopy region{};
        region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
        region.imageExtent = {ext.width, ext.height, 1};
        vkCmdCopyImageToBuffer(commands, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, colorReadback_.handle(), 1, &region);
        if (swapchain_)
            gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, finalLayout,
                                       VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_NONE,
                                       VK_ACCESS_2_NONE});
    } else {
        gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, finalLayout,
                                   VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
                                   swapchain_ ? VK_PIPELINE_STAGE_2_NONE : VK_PIPELINE_STAGE_2_COPY_BIT,
                                   swapchain_ ? VK_ACCESS_2_NONE : VK_ACCESS_2_TRANSFER_READ_BIT});
    }
    if (wantDepth || capture) {
        gpu::makeCopiesVisibleToHost(commands);
    }
    VK_CHECK(vkEndCommandBuffer(commands));

    std::vector<VkSemaphoreSubmitInfo> waits, signals;
    if (swapchain_) {
        VkSemaphoreSubmitInfo wait{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
        wait.semaphore = slot.acquired;
        wait.stageMask = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;
        waits.push_back(wait);
        VkSemaphoreSubmitInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
        signal.semaphore = swapchain_->renderedSemaphore(imageIndex);
        signal.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
        signals.push_back(signal);
    }
    slot.submitted = context_->submit(commands, waits, signals);
    if (swapchain_ && !swapchain_->present(imageIndex)) needSwapchain_ = true;

    if (wantDepth || capture) context_->waitFor(slot.submitted);
    if (wantDepth) {
        depthReadback_.invalidate();
        app_->onDepth(static_cast<const float*>(depthReadback_.mapped()), {ext.width, ext.height}, sceneView);
    }
    if (capture) {
        writeCapture();
        captureDelay_ = -1;
    } else if (captureDelay_ > 0) {
        --captureDelay_;
    }
    app_->setFrameStats(seconds * 1000.0f, stats.trianglesSubmitted);
}

void Runner::writeCapture() {
    const VkExtent2D ext = extent();
    colorReadback_.invalidate();
    asset::Image shot;
    shot.name = "screenshot";
    shot.width = ext.width;
    shot.height = ext.height;
    const auto* bytes = static_cast<const uint8_t*>(colorReadback_.mapped());
    shot.rgba.assign(bytes, bytes + size_t(ext.width) * ext.height * 4);
    const VkFormat format = swapchain_ ? swapchain_->format() : VK_FORMAT_R8G8B8A8_SRGB;
    for (size_t i = 0; i < shot.rgba.size(); i += 4) {
        if (format == VK_FORMAT_B8G8R8A8_SRGB) std::swap(shot.rgba[i], shot.rgba[i + 2]);
        shot.rgba[i + 3] = 255;  // the window is opaque
    }
    std::string path = capturePath_;
    if (path.empty()) path = std::format("out/screenshots/vitrine-{:03}.png", ++screenshotCount_);
    capturePath_.clear();
    std::error_code error;
    if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) std::filesystem::create_directories(parent, error);
    if (auto written = asset::writePng(path, shot); !written) {
        std::fprintf(stderr, "vitrine-viewer: %s\n", written.error().message.c_str());
        app_->addProblem(written.error().message);
        return;
    }
    std::printf("screenshot: %s\n", path.c_str());
    std::fflush(stdout);
}

int Runner::finish(int code) {
    if (context_) context_->waitIdle();
    const bool validation = context_ && context_->validationEnabled();
    const gpu::ValidationCounts counts = context_ ? context_->validationCounts() : gpu::ValidationCounts{};
    if (glfwBackend_) ImGui_ImplGlfw_Shutdown();
    ui_.reset();
    app_.reset();
    scene_.reset();
    renderer_.reset();
    for (FrameSlot& slot : slots_) {
        vkDestroyCommandPool(context_->device(), slot.pool, nullptr);
        vkDestroySemaphore(context_->device(), slot.acquired, nullptr);
    }
    slots_.clear();
    offscreen_ = {};
    depthCopy_ = {};
    depthReadback_ = {};
    colorReadback_ = {};
    swapchain_.reset();
    if (context_) context_->collectRetired();
    context_.reset();
    window_.reset();
    if (validation && (counts.errors || counts.warnings)) {
        std::fprintf(stderr, "vitrine-viewer: validation reported %u errors and %u warnings\n", counts.errors, counts.warnings);
        return code ? code : 3;
    }
    return code;
}

int Runner::run() {
    opened_ = openInputs(options_.inputs);
    for (const std::string& problem : opened_.problems) std::fprintf(stderr, "%s\n", problem.c_str());
    if (!opened_.usable) {
        std::fprintf(stderr, "vitrine-viewer: %s: nothing to show\n", opened_.path.c_str());
        return 1;
    }
    if (!options_.script.empty()) {
        auto script = loadScript(options_.script);
        if (!script) {
            std::fprintf(stderr, "vitrine-viewer: %s\n", script.error().message.c_str());
            return 2;
        }
        script_ = ScriptRunner(std::move(*script), options_.script);
    } else if (!options_.screenshot.empty()) {
        script_ = ScriptRunner({{"settle", {}, 0}, {"screenshot", {options_.screenshot}, 0}, {"quit", {}, 0}}, "--screenshot");
    }
    bool windowed = !options_.headless;
    if (windowed) {
        if (auto platform = Window::initPlatform(); !platform) {
            windowed = false;
            std::fprintf(stderr, "vitrine-viewer: %s; rendering offscreen\n", platform.error().message.c_str());
        }
    }
    const bool tourPictures = !windowed && script_.empty();
    if (tourPictures) {
        // No window: the tour's stops as pictures (or the entrance when there is no tour).
        const size_t stops = opened_.exhibit.tour.stops.size();
        for (size_t i = 0; i < stops; ++i) {
            script_.append({"tour", {std::to_string(i + 1)}, 0});
            script_.append({"tour", {"pause"}, 0});
            script_.append({"settle", {}, 0});
            script_.append({"screenshot", {std::format("{}/stop-{:02}.png", options_.output, i + 1)}, 0});
        }
        if (stops == 0) {
            script_.append({"settle", {}, 0});
            script_.append({"screenshot", {options_.output + "/entrance.png"}, 0});
        }
        script_.append({"quit", {}, 0});
    }
    scripted_ = !script_.empty();
    if (auto ready = setUp(windowed); !ready) {
        std::fprintf(stderr, "vitrine-viewer: %s\n", ready.error().message.c_str());
        return finish(1);
    }
    double last = now();
    while (!quit_) {
        if (window_) {
            glfwPollEvents();
            if (window_->shouldClose()) break;
        }
        const double t = now();
        const float seconds = scripted_ ? kScriptFrameSeconds : float(std::min(t - last, 0.1));
        last = t;
        if (window_) handleWindowInput(seconds);
        if (scripted_ && !script_.step(*this, seconds)) {
            exitCode_ = script_.exitCode();
            quit_ = true;
            break;
        }
        frame(seconds);
    }
    if (tourPictures)
        std::printf("vitrine-viewer: no window, so the tour's stops were rendered to %s/ (open them with any image viewer)\n",
                    options_.output.c_str());
    return finish(exitCode_);
}

}  // namespace
}  // namespace vt::viewer

int main(int argc, char** argv) {
    int exitCode = 0;
    auto options = vt::viewer::parseArgs(argc, argv, exitCode);
    if (!options) return exitCode;
    vt::viewer::Runner runner(std::move(*options));
    return runner.run();
}
