#include "xr/xr_app.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <thread>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "asset/image_io.h"
#include "core/log.h"
#include "exhibit/exhibit.h"
#include "exhibit/packs_exhibit.h"
#include "gallery/entrance.h"
#include "gallery/exhibit_scene.h"
#include "gpu/context.h"
#include "gpu/resources.h"
#include "render/renderer.h"
#include "xr/interaction.h"
#include "xr/logic/session_machine.h"
#include "xr/logic/xr_math.h"
#include "xr/openxr_include.h"
#include "xr/panels.h"
#include "xr/xr_input.h"

namespace vt::xr {

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kViewCount = 2;
constexpr uint32_t kFramesInFlight = 2;
constexpr XrDuration kSwapchainWaitNs = 100'000'000;  // 100 ms per try; the runtime gone shows as an error
constexpr int kSwapchainWaitTries = 50;               // 5 s in all before we call the runtime stuck
constexpr double kScriptedPeriodFrames = 240.0;       // one sway of the scripted head, frames
constexpr uint64_t kMaxCaptureWaitFrames = 900;       // frames to wait for a settled scene before capturing anyway
constexpr double kExitWaitSeconds = 5.0;              // after our exit request: how long to wait for EXITING

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

SessionState fromXr(XrSessionState state) {
    switch (state) {
        case XR_SESSION_STATE_IDLE: return SessionState::Idle;
        case XR_SESSION_STATE_READY: return SessionState::Ready;
        case XR_SESSION_STATE_SYNCHRONIZED: return SessionState::Synchronized;
        case XR_SESSION_STATE_VISIBLE: return SessionState::Visible;
        case XR_SESSION_STATE_FOCUSED: return SessionState::Focused;
        case XR_SESSION_STATE_STOPPING: return SessionState::Stopping;
        case XR_SESSION_STATE_LOSS_PENDING: return SessionState::LossPending;
        case XR_SESSION_STATE_EXITING: return SessionState::Exiting;
        default: return SessionState::Unknown;
    }
}

Pose toPose(const XrPosef& p) {
    return {glm::quat(p.orientation.w, p.orientation.x, p.orientation.y, p.orientation.z),
            glm::vec3(p.position.x, p.position.y, p.position.z)};
}

XrPosef toXr(const Pose& p) {
    XrPosef result;
    result.orientation = {p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w};
    result.position = {p.position.x, p.position.y, p.position.z};
    return result;
}

Pose compose(const Pose& parent, const Pose& child) {
    return {parent.orientation * child.orientation, parent.position + parent.orientation * child.position};
}

bool hasExtension(const std::vector<XrExtensionProperties>& available, const char* name) {
    return std::any_of(available.begin(), available.end(),
                       [&](const XrExtensionProperties& e) { return std::strcmp(e.extensionName, name) == 0; });
}

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

struct Swapchain {
    XrSwapchain handle = XR_NULL_HANDLE;
    VkFormat format = VK_FORMAT_UNDEFINED;
    VkExtent2D extent{};
    std::vector<VkImage> images;
    std::vector<gpu::Owned<VkImageView, VK_OBJECT_TYPE_IMAGE_VIEW>> views;
};

class App {
public:
    explicit App(const AppOptions& options) : options_(options), machine_(false) {}
    ~App() { teardown(); }
    int run();
    bool runtimeLost() const { return runtimeLost_; }

private:
    Result<void> createInstance();
    Result<void> createDevice();
    Result<void> createSession();
    Result<void> createSwapchain();
    Result<Swapchain> makeSwapchain(VkFormat format, XrSwapchainUsageFlags usage, VkImageAspectFlags aspect,
                                    const char* name);
    bool acquire(Swapchain& swapchain, uint32_t& index);  // false: the runtime is gone
    bool release(Swapchain& swapchain);
    Result<void> createScene();
    void teardown();
    void destroySession();

    void pollEvents();
    // Narration plays while the visitor sees the session (VISIBLE or FOCUSED): a headset taken off
    // pauses it. A capture waiting for a settled scene holds it too, like the scripted head, so the
    // captured caption is the same on every machine.
    void pauseNarration();
    void perform(SessionAction action);
    void onLoss(const char* call, XrResult result);
    void frame();
    // Renders both eyes into the swapchain; false when nothing could be rendered this frame.
    bool renderViews(const XrFrameState& state, std::array<XrCompositionLayerProjectionView, kViewCount>& out);
    Pose scriptedHead() const;
    std::array<HandState, 2> scriptedHands(const Pose& head);
    std::array<HandState, 2> scriptedTourHands(const Pose& head);
    void writeCapture();

    AppOptions options_;
    SessionMachine machine_;

    XrInstance instance_ = XR_NULL_HANDLE;
    XrSystemId system_ = XR_NULL_SYSTEM_ID;
    XrSession session_ = XR_NULL_HANDLE;
    XrSpace appSpace_ = XR_NULL_HANDLE;
    XrSpace viewSpace_ = XR_NULL_HANDLE;
    bool stageSpace_ = false;
    bool depthExtension_ = false;
    bool handInteraction_ = false;
    XrEnvironmentBlendMode blendMode_ = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    std::array<XrViewConfigurationView, kViewCount> configViews_{};
    VkExtent2D extent_{};            // per eye
    Swapchain swapchain_;
    Swapchain depthSwapchain_;       // empty without XR_KHR_composition_layer_depth
    std::array<XrCompositionLayerDepthInfoKHR, kViewCount> depthInfos_{};

    std::unique_ptr<gpu::Context> context_;
    std::unique_ptr<render::Renderer> renderer_;
    std::unique_ptr<gallery::ExhibitScene> scene_;
    std::unique_ptr<Input> input_;
    std::unique_ptr<Interaction> interaction_;
    std::unique_ptr<Panels> panels_;
    exhibit::Exhibit exhibit_;

    gpu::Owned<VkCommandPool, VK_OBJECT_TYPE_COMMAND_POOL> commandPool_;
    std::array<VkCommandBuffer, kFramesInFlight> commandBuffers_{};
    std::array<uint64_t, kFramesInFlight> commandValues_{};
    std::vector<render::ClusterDraw> frameClusters_;  // the scene's and interaction's, plus the panel quad
    uint64_t slot_ = 0;

    // Capture: a readback of both layers, written once the GPU is done.
    gpu::Buffer captureBuffer_;
    uint64_t captureValue_ = 0;
    bool captureRecorded_ = false;
    bool captured_ = false;
    uint64_t captureFrameIndex_ = 0;
    bool narrationHidden_ = true;    // the session was not VISIBLE or FOCUSED when last looked at

    Rig rig_;
    bool rigPlaced_ = false;
    bool recentrePending_ = false;
    glm::vec3 lastHeadWorld_{0.0f};  // for recentring
    float lastHeadYaw_ = 0.0f;
    uint64_t framesSubmitted_ = 0;   // frames whose projection layer carried two views
    uint64_t framesWaited_ = 0;      // xrWaitFrame calls
    uint64_t scriptFrame_ = 0;       // position on the scripted head path
    uint64_t inputFrame_ = 0;        // position in the scripted input
    glm::vec3 scriptGrabCentre_{0.0f};
    size_t tourScriptStep_ = 0;      // the scripted tour controls: the next step, and the frame it is due
    uint64_t tourScriptDue_ = 20;
    XrTime lastDisplayTime_ = 0;
    double cpuSeconds_ = 0.0;        // in our code: input, interaction, scene, record
    double sceneSeconds_ = 0.0;      // of which ExhibitScene::prepareFrame (streaming cut, uploads, lights)
    double recordSeconds_ = 0.0;     // of which Renderer::record
    double submitSeconds_ = 0.0;     // vkQueueSubmit2, not counted as ours (lavapipe renders inside it)
    uint64_t cpuFrames_ = 0;
    bool exitRequestedByUs_ = false;
    std::string exitReason_ = "session exited";
    bool failed_ = false;
    bool runtimeLost_ = false;
};

int App::run() {
    if (auto ok = createInstance(); !ok) {
        std::printf("xr: no runtime: %s\n", ok.error().message.c_str());
        return 2;
    }
    if (auto ok = createDevice(); !ok) {
        std::printf("xr: no system: %s\n", ok.error().message.c_str());
        return 2;
    }
    if (auto ok = createScene(); !ok) {
        std::printf("xr: %s\n", ok.error().message.c_str());
        return 1;
    }
    if (auto ok = createSession(); !ok) {
        std::printf("xr: session: %s\n", ok.error().message.c_str());
        return 2;
    }
    if (auto ok = createSwapchain(); !ok) {
        std::printf("xr: swapchain: %s\n", ok.error().message.c_str());
        return 1;
    }
    std::fflush(stdout);

    Clock::time_point notRunningSince = Clock::now();
    while (!machine_.finished()) {
        pollEvents();
        if (machine_.finished()) break;
        pauseNarration();
        if (!machine_.running()) {
            // IDLE or STOPPING: no frames; wait for the runtime, but not forever (after our own exit
            // request, EXITING should follow IDLE at once).
            const double limit = machine_.exitRequested() ? kExitWaitSeconds : options_.idleTimeoutSeconds;
            if (secondsSince(notRunningSince) > limit) {
                std::printf("xr: the session stayed %s for %.0f s; leaving\n",
                            std::string(stateName(machine_.state())).c_str(), limit);
                if (!machine_.exitRequested()) exitReason_ = "idle timeout";
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        notRunningSince = Clock::now();
        frame();
        if (options_.frames > 0 && framesSubmitted_ >= options_.frames && !exitRequestedByUs_ &&
            (options_.captureFrame < 0 || captured_)) {
            exitRequestedByUs_ = true;
            exitReason_ = "frame budget reached, session exited";
            perform(machine_.requestExit());
        }
    }

    if (context_) context_->waitIdle();
    if (captureRecorded_ && !captured_) writeCapture();
    std::printf("xr: frames submitted %llu views %u\n", (unsigned long long)framesSubmitted_, kViewCount);
    if (cpuFrames_ > 0)
        std::printf("xr: cpu ms/frame %.3f (ours: input, interaction, scene, record; not the runtime, the GPU or "
                    "vkQueueSubmit) over %llu frames; scene %.3f, record %.3f; vkQueueSubmit %.3f\n",
                    1000.0 * cpuSeconds_ / double(cpuFrames_), (unsigned long long)cpuFrames_,
                    1000.0 * sceneSeconds_ / double(cpuFrames_), 1000.0 * recordSeconds_ / double(cpuFrames_),
                    1000.0 * submitSeconds_ / double(cpuFrames_));
    if (scene_) {
        for (const std::string& error : scene_->takeErrors()) std::printf("xr: scene: %s\n", error.c_str());
        const auto stats = scene_->stats();
        std::printf("xr: scene triangles drawn %llu, settled %s\n", (unsigned long long)stats.trianglesDrawn,
                    scene_->settled() ? "yes" : "no");
    }
    bool validationProblems = false;
    if (context_ && context_->validationEnabled()) {
        const gpu::ValidationCounts counts = context_->validationCounts();
        std::printf("xr: validation errors %u warnings %u\n", counts.errors, counts.warnings);
        validationProblems = counts.errors + counts.warnings > 0;
    }
    std::printf("xr: exit clean (%s)\n", exitReason_.c_str());
    std::fflush(stdout);
    return failed_ || validationProblems ? 1 : 0;
}

Result<void> App::createInstance() {
    uint32_t count = 0;
    if (XrResult r = xrEnumerateInstanceExtensionProperties(nullptr, 0, &count, nullptr); XR_FAILED(r))
        return fail("no OpenXR runtime (xrEnumerateInstanceExtensionProperties: {})", int(r));
    std::vector<XrExtensionProperties> available(count, {XR_TYPE_EXTENSION_PROPERTIES});
    xrEnumerateInstanceExtensionProperties(nullptr, count, &count, available.data());
    if (!hasExtension(available, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME))
        return fail("the runtime lacks {}", XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);
    std::vector<const char*> extensions{XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
    depthExtension_ = hasExtension(available, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
    if (depthExtension_) extensions.push_back(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
    handInteraction_ = hasExtension(available, XR_EXT_HAND_INTERACTION_EXTENSION_NAME);
    if (handInteraction_) extensions.push_back(XR_EXT_HAND_INTERACTION_EXTENSION_NAME);

    XrInstanceCreateInfo info{XR_TYPE_INSTANCE_CREATE_INFO};
    std::strcpy(info.applicationInfo.applicationName, "vitrine-xr");
    info.applicationInfo.applicationVersion = 1;
    std::strcpy(info.applicationInfo.engineName, "vitrine");
    info.applicationInfo.engineVersion = 1;
    info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
    info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    info.enabledExtensionNames = extensions.data();
    if (XrResult r = xrCreateInstance(&info, &instance_); XR_FAILED(r))
        return fail("xrCreateInstance failed: {}", resultName(XR_NULL_HANDLE, r));
    XrInstanceProperties properties{XR_TYPE_INSTANCE_PROPERTIES};
    XR_CHECK(instance_, xrGetInstanceProperties(instance_, &properties));
    std::printf("xr: runtime %s %u.%u.%u\n", properties.runtimeName, XR_VERSION_MAJOR(properties.runtimeVersion),
                XR_VERSION_MINOR(properties.runtimeVersion), XR_VERSION_PATCH(properties.runtimeVersion));
    std::printf("xr: extensions depth %s, hand interaction %s\n", depthExtension_ ? "yes" : "no",
                handInteraction_ ? "yes" : "no");
    return {};
}

Result<void> App::createDevice() {
    XrSystemGetInfo systemInfo{XR_TYPE_SYSTEM_GET_INFO};
    systemInfo.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
    if (XrResult r = xrGetSystem(instance_, &systemInfo, &system_); XR_FAILED(r))
        return fail("no head-mounted display: {}", resultName(instance_, r));
    XrSystemProperties systemProperties{XR_TYPE_SYSTEM_PROPERTIES};
    XR_CHECK(instance_, xrGetSystemProperties(instance_, system_, &systemProperties));
    std::printf("xr: system %s\n", systemProperties.systemName);

    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateViewConfigurationViews(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                          0, &count, nullptr));
    if (count != kViewCount) return fail("the stereo view configuration has {} views", count);
    configViews_.fill({XR_TYPE_VIEW_CONFIGURATION_VIEW});
    XR_CHECK(instance_, xrEnumerateViewConfigurationViews(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                          count, &count, configViews_.data()));

    XR_CHECK(instance_, xrEnumerateEnvironmentBlendModes(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                         0, &count, nullptr));
    std::vector<XrEnvironmentBlendMode> modes(count);
    XR_CHECK(instance_, xrEnumerateEnvironmentBlendModes(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                         count, &count, modes.data()));
    std::string names;
    for (XrEnvironmentBlendMode mode : modes)
        names += std::string(names.empty() ? "" : " ") +
                 (mode == XR_ENVIRONMENT_BLEND_MODE_OPAQUE        ? "OPAQUE"
                  : mode == XR_ENVIRONMENT_BLEND_MODE_ADDITIVE    ? "ADDITIVE"
                  : mode == XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND ? "ALPHA_BLEND"
                                                                  : "OTHER");
    std::printf("xr: blend modes %s\n", names.c_str());
    blendMode_ = modes.empty() ? XR_ENVIRONMENT_BLEND_MODE_OPAQUE : modes.front();
    if (options_.mode == Mode::Ar) {
        // See-through when offered: alpha blending keeps dark parts of the artifact visible.
        for (XrEnvironmentBlendMode wanted : {XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND, XR_ENVIRONMENT_BLEND_MODE_ADDITIVE})
            if (std::find(modes.begin(), modes.end(), wanted) != modes.end()) {
                blendMode_ = wanted;
                break;
            }
        if (blendMode_ == XR_ENVIRONMENT_BLEND_MODE_OPAQUE)
            std::printf("xr: AR mode without see-through (the runtime offers only %s): one artifact, no room\n",
                        names.c_str());
        else
            std::printf("xr: AR mode, blend %s\n",
                        blendMode_ == XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND ? "ALPHA_BLEND" : "ADDITIVE");
    } else if (std::find(modes.begin(), modes.end(), XR_ENVIRONMENT_BLEND_MODE_OPAQUE) != modes.end()) {
        blendMode_ = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    }

    // The runtime's Vulkan entry points (XR_KHR_vulkan_enable2).
    PFN_xrGetVulkanGraphicsRequirements2KHR getRequirements = nullptr;
    PFN_xrCreateVulkanInstanceKHR createVkInstance = nullptr;
    PFN_xrGetVulkanGraphicsDevice2KHR getVkDevice = nullptr;
    PFN_xrCreateVulkanDeviceKHR createVkDevice = nullptr;
    XR_CHECK(instance_, xrGetInstanceProcAddr(instance_, "xrGetVulkanGraphicsRequirements2KHR",
                                              reinterpret_cast<PFN_xrVoidFunction*>(&getRequirements)));
    XR_CHECK(instance_, xrGetInstanceProcAddr(instance_, "xrCreateVulkanInstanceKHR",
                                              reinterpret_cast<PFN_xrVoidFunction*>(&createVkInstance)));
    XR_CHECK(instance_, xrGetInstanceProcAddr(instance_, "xrGetVulkanGraphicsDevice2KHR",
                                              reinterpret_cast<PFN_xrVoidFunction*>(&getVkDevice)));
    XR_CHECK(instance_, xrGetInstanceProcAddr(instance_, "xrCreateVulkanDeviceKHR",
                                              reinterpret_cast<PFN_xrVoidFunction*>(&createVkDevice)));
    XrGraphicsRequirementsVulkan2KHR requirements{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    XR_CHECK(instance_, getRequirements(instance_, system_, &requirements));
    if (XR_VERSION_MAJOR(requirements.maxApiVersionSupported) < 1 ||
        (XR_VERSION_MAJOR(requirements.maxApiVersionSupported) == 1 &&
         XR_VERSION_MINOR(requirements.maxApiVersionSupported) < 3))
        log::warn("xr: the runtime declares Vulkan up to {}.{}; the renderer needs 1.3",
                  XR_VERSION_MAJOR(requirements.maxApiVersionSupported),
                  XR_VERSION_MINOR(requirements.maxApiVersionSupported));

    gpu::ContextOptions contextOptions;
    contextOptions.applicationName = "vitrine-xr";
    contextOptions.validation = options_.validation;
    const XrInstance instance = instance_;
    const XrSystemId system = system_;
    contextOptions.createInstance = [=](const VkInstanceCreateInfo& vkInfo) -> Result<VkInstance> {
        XrVulkanInstanceCreateInfoKHR info{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
        info.systemId = system;
        info.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
        info.vulkanCreateInfo = &vkInfo;
        VkInstance result = VK_NULL_HANDLE;
        VkResult vkResult = VK_SUCCESS;
        if (XrResult r = createVkInstance(instance, &info, &result, &vkResult); XR_FAILED(r) || vkResult != VK_SUCCESS)
            return fail("xrCreateVulkanInstanceKHR failed: {} / {}", resultName(instance, r), gpu::resultName(vkResult));
        return result;
    };
    contextOptions.choosePhysicalDevice = [=](VkInstance vkInstance) -> Result<VkPhysicalDevice> {
        XrVulkanGraphicsDeviceGetInfoKHR info{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
        info.systemId = system;
        info.vulkanInstance = vkInstance;
        VkPhysicalDevice result = VK_NULL_HANDLE;
        if (XrResult r = getVkDevice(instance, &info, &result); XR_FAILED(r))
            return fail("xrGetVulkanGraphicsDevice2KHR failed: {}", resultName(instance, r));
        return result;
    };
    contextOptions.createDevice = [=](VkPhysicalDevice physical, const VkDeviceCreateInfo& vkInfo) -> Result<VkDevice> {
        XrVulkanDeviceCreateInfoKHR info{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
        info.systemId = system;
        info.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
        info.vulkanPhysicalDevice = physical;
        info.vulkanCreateInfo = &vkInfo;
        VkDevice result = VK_NULL_HANDLE;
        VkResult vkResult = VK_SUCCESS;
        if (XrResult r = createVkDevice(instance, &info, &result, &vkResult); XR_FAILED(r) || vkResult != VK_SUCCESS)
            return fail("xrCreateVulkanDeviceKHR failed: {} / {}", resultName(instance, r), gpu::resultName(vkResult));
        return result;
    };
    auto context = gpu::Context::create(contextOptions);
    if (!context) return std::unexpected(context.error());
    context_ = std::move(*context);
    std::printf("xr: vulkan device %s (created through the runtime)\n", context_->deviceName().c_str());
    return {};
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
    rendererOptions.colorFormat = VK_FORMAT_R8G8B8A8_SRGB;  // swapchain format chosen to match (createSwapchain)
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

    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = context_->queueFamily();
    VkCommandPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateCommandPool(context_->device(), &poolInfo, nullptr, &pool));
    commandPool_ = {*context_, pool, "xr frame commands"};
    VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocateInfo.commandPool = pool;
    allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocateInfo.commandBufferCount = kFramesInFlight;
    VK_CHECK(vkAllocateCommandBuffers(context_->device(), &allocateInfo, commandBuffers_.data()));
    return {};
}

Result<void> App::createSession() {
    XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
    binding.instance = context_->instance();
    binding.physicalDevice = context_->physicalDevice();
    binding.device = context_->device();
    binding.queueFamilyIndex = context_->queueFamily();
    binding.queueIndex = 0;
    XrSessionCreateInfo info{XR_TYPE_SESSION_CREATE_INFO};
    info.next = &binding;
    info.systemId = system_;
    if (XrResult r = xrCreateSession(instance_, &info, &session_); XR_FAILED(r))
        return fail("xrCreateSession failed: {}", resultName(instance_, r));

    // STAGE when the runtime has it (floor at y = 0, as the gallery); else LOCAL with eye-height calibration.
    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateReferenceSpaces(session_, 0, &count, nullptr));
    std::vector<XrReferenceSpaceType> spaces(count);
    XR_CHECK(instance_, xrEnumerateReferenceSpaces(session_, count, &count, spaces.data()));
    stageSpace_ = std::find(spaces.begin(), spaces.end(), XR_REFERENCE_SPACE_TYPE_STAGE) != spaces.end() &&
                  !options_.comfort.seated;
    XrReferenceSpaceCreateInfo spaceInfo{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
    spaceInfo.poseInReferenceSpace.orientation.w = 1.0f;
    spaceInfo.referenceSpaceType = stageSpace_ ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
    XR_CHECK(instance_, xrCreateReferenceSpace(session_, &spaceInfo, &appSpace_));
    spaceInfo.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
    XR_CHECK(instance_, xrCreateReferenceSpace(session_, &spaceInfo, &viewSpace_));
    std::printf("xr: reference space %s\n", stageSpace_ ? "STAGE" : "LOCAL");

    auto input = Input::create(instance_, handInteraction_);
    if (!input) return std::unexpected(input.error());
    input_ = std::move(*input);
    if (auto ok = input_->attach(session_); !ok) return ok;
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
    if (options_.panelMode != PanelMode::Off) {
        std::optional<Panels::Mode> forced;
        if (options_.panelMode == PanelMode::Quad) forced = Panels::Mode::Quad;
        if (options_.panelMode == PanelMode::Scene) forced = Panels::Mode::Scene;
        auto panels = Panels::create(*context_, *renderer_, instance_, session_, system_, exhibit_, forced);
        if (!panels) {
            std::printf("xr: panels unavailable: %s\n", panels.error().message.c_str());
        } else {
            panels_ = std::move(*panels);
            std::printf("xr: panels as %s\n", panels_->mode() == Panels::Mode::Quad ? "quad layers" : "scene geometry");
        }
    }
    return {};
}

Result<Swapchain> App::makeSwapchain(VkFormat format, XrSwapchainUsageFlags usage, VkImageAspectFlags aspect,
                                     const char* name) {
    Swapchain swapchain;
    swapchain.format = format;
    swapchain.extent = extent_;
    XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
    info.usageFlags = usage;
    info.format = format;
    info.sampleCount = 1;
    info.width = extent_.width;
    info.height = extent_.height;
    info.faceCount = 1;
    info.arraySize = kViewCount;  // one layer per eye: the multiview pass writes both
    info.mipCount = 1;
    if (XrResult r = xrCreateSwapchain(session_, &info, &swapchain.handle); XR_FAILED(r))
        return fail("xrCreateSwapchain ({}) failed: {}", name, resultName(instance_, r));
    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateSwapchainImages(swapchain.handle, 0, &count, nullptr));
    std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
    XR_CHECK(instance_, xrEnumerateSwapchainImages(swapchain.handle, count, &count,
                                                   reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())));
    for (uint32_t i = 0; i < count; ++i) {
        swapchain.images.push_back(images[i].image);
        VkImageViewCreateInfo viewInfo{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        viewInfo.image = images[i].image;
        viewInfo.viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY;
        viewInfo.format = format;
        viewInfo.subresourceRange = {aspect, 0, 1, 0, kViewCount};
        VkImageView imageView = VK_NULL_HANDLE;
        VK_CHECK(vkCreateImageView(context_->device(), &viewInfo, nullptr, &imageView));
        swapchain.views.emplace_back(*context_, imageView, std::format("xr {} view {}", name, i));
    }
    return swapchain;
}

Result<void> App::createSwapchain() {
    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateSwapchainFormats(session_, 0, &count, nullptr));
    std::vector<int64_t> formats(count);
    XR_CHECK(instance_, xrEnumerateSwapchainFormats(session_, count, &count, formats.data()));
    auto offered = [&](VkFormat f) { return std::find(formats.begin(), formats.end(), int64_t(f)) != formats.end(); };
    // The renderer and the capture want RGBA8 sRGB (the compositor then treats values as sRGB-encoded).
    if (!offered(VK_FORMAT_R8G8B8A8_SRGB)) return fail("the runtime offers no VK_FORMAT_R8G8B8A8_SRGB swapchain");
    const XrViewConfigurationView& view = configViews_[0];
    extent_ = {options_.eyeWidth ? std::min(options_.eyeWidth, view.maxImageRectWidth) : view.recommendedImageRectWidth,
               options_.eyeHeight ? std::min(options_.eyeHeight, view.maxImageRectHeight)
                                  : view.recommendedImageRectHeight};
    auto color = makeSwapchain(VK_FORMAT_R8G8B8A8_SRGB,
                               XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT,
                               VK_IMAGE_ASPECT_COLOR_BIT, "colour");
    if (!color) return std::unexpected(color.error());
    swapchain_ = std::move(*color);
    // Depth for the compositor's reprojection (XR_KHR_composition_layer_depth): the renderer's
    // depth-copy target, in the format it writes.
    if (depthExtension_ && offered(VK_FORMAT_D32_SFLOAT)) {
        auto depth = makeSwapchain(VK_FORMAT_D32_SFLOAT,
                                   XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT,
                                   VK_IMAGE_ASPECT_DEPTH_BIT, "depth");
        if (depth) depthSwapchain_ = std::move(*depth);
        else std::printf("xr: no depth swapchain: %s\n", depth.error().message.c_str());
    }
    std::printf("xr: swapchain %ux%u x%u layers, %zu images, format %d (recommended %ux%u), depth %s\n", extent_.width,
                extent_.height, kViewCount, swapchain_.images.size(), int(swapchain_.format),
                view.recommendedImageRectWidth, view.recommendedImageRectHeight,
                depthSwapchain_.handle ? "submitted" : "not submitted");
    return {};
}

bool App::acquire(Swapchain& swapchain, uint32_t& index) {
    XrSwapchainImageAcquireInfo acquireInfo{XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
    XrResult r = xrAcquireSwapchainImage(swapchain.handle, &acquireInfo, &index);
    if (isLoss(r)) {
        onLoss("xrAcquireSwapchainImage", r);
        return false;
    }
    XR_CHECK_RESULT(instance_, r, "xrAcquireSwapchainImage");
    XrSwapchainImageWaitInfo waitInfo{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
    waitInfo.timeout = kSwapchainWaitNs;
    int tries = 0;
    while ((r = xrWaitSwapchainImage(swapchain.handle, &waitInfo)) == XR_TIMEOUT_EXPIRED && ++tries < kSwapchainWaitTries) {
    }
    if (isLoss(r) || r == XR_TIMEOUT_EXPIRED) {
        onLoss("xrWaitSwapchainImage", r == XR_TIMEOUT_EXPIRED ? XR_ERROR_RUNTIME_FAILURE : r);
        return false;
    }
    XR_CHECK_RESULT(instance_, r, "xrWaitSwapchainImage");
    return true;
}

bool App::release(Swapchain& swapchain) {
    XrSwapchainImageReleaseInfo releaseInfo{XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    const XrResult r = xrReleaseSwapchainImage(swapchain.handle, &releaseInfo);
    if (isLoss(r)) {
        onLoss("xrReleaseSwapchainImage", r);
        return false;
    }
    XR_CHECK_RESULT(instance_, r, "xrReleaseSwapchainImage");
    return true;
}

void App::pollEvents() {
    for (;;) {
        XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
        const XrResult r = xrPollEvent(instance_, &event);
        if (r == XR_EVENT_UNAVAILABLE) return;
        if (XR_FAILED(r)) {
            onLoss("xrPollEvent", r);
            return;
        }
        switch (event.type) {
            case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED: {
                const auto& changed = reinterpret_cast<const XrEventDataSessionStateChanged&>(event);
                const SessionState next = fromXr(changed.state);
                std::printf("xr: state %s\n", std::string(stateName(next)).c_str());
                std::fflush(stdout);
                if (next == SessionState::Exiting && !exitRequestedByUs_) exitReason_ = "the runtime asked to exit";
                if (next == SessionState::LossPending) {
                    exitReason_ = "session lost";
                    runtimeLost_ = true;
                }
                const SessionAction action = machine_.onStateChanged(next);
                pauseNarration();  // before the session ends (which stops it)
                perform(action);
                break;
            }
            case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING:
                std::printf("xr: instance loss pending\n");
                exitReason_ = "runtime lost";
                runtimeLost_ = true;
                perform(machine_.onInstanceLost());
                break;
            case XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING:
                // The visitor recentred through the runtime: keep them where they stand in the gallery.
                std::printf("xr: recentre requested by the runtime\n");
                recentrePending_ = true;
                break;
            case XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED: {
                if (!input_) break;
                const auto profiles = input_->currentProfiles(session_);
                std::printf("xr: interaction profile changed: left %s, right %s\n", profiles[0].c_str(), profiles[1].c_str());
                std::fflush(stdout);
                break;
            }
            default: break;
        }
        if (machine_.finished()) return;
    }
}

void App::onLoss(const char* call, XrResult result) {
    std::printf("xr: %s returned %s: the runtime is gone\n", call, resultName(instance_, result).c_str());
    exitReason_ = "runtime lost";
    runtimeLost_ = true;
    perform(machine_.onInstanceLost());
}

void App::perform(SessionAction action) {
    switch (action) {
        case SessionAction::None: break;
        case SessionAction::BeginSession: {
            XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
            begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
            const XrResult r = xrBeginSession(session_, &begin);
            if (isLoss(r)) return onLoss("xrBeginSession", r);
            XR_CHECK_RESULT(instance_, r, "xrBeginSession");
            break;
        }
        case SessionAction::EndSession: {
            if (interaction_ && interaction_->narration().started()) {
                interaction_->stopNarration();
                std::printf("xr: narration stopped (session ended)\n");
            }
            // Nothing of ours may still be on the queue when the runtime stops using the swapchain.
            context_->waitIdle();
            const XrResult r = xrEndSession(session_);
            if (isLoss(r)) return onLoss("xrEndSession", r);
            XR_CHECK_RESULT(instance_, r, "xrEndSession");
            break;
        }
        case SessionAction::RequestExit: {
            const XrResult r = xrRequestExitSession(session_);
            if (isLoss(r)) return onLoss("xrRequestExitSession", r);
            XR_CHECK_RESULT(instance_, r, "xrRequestExitSession");
            break;
        }
        case SessionAction::DestroyAndExit:
        case SessionAction::DestroyAndRetry:
            // The loop ends; teardown() destroys the session after the GPU is idle.
            break;
    }
}

void App::pauseNarration() {
    if (!interaction_) return;
    const bool hidden = !machine_.shouldSubmitLayers();
    if (hidden != narrationHidden_) {
        narrationHidden_ = hidden;
        if (interaction_->narration().started()) {
            std::printf("xr: narration %s (state %s)\n", hidden ? "paused" : "resumed",
                        std::string(stateName(machine_.state())).c_str());
            std::fflush(stdout);
        }
    }
    const bool captureDue = options_.captureFrame >= 0 && !captureRecorded_ &&
                            framesSubmitted_ >= uint64_t(options_.captureFrame);
    interaction_->setNarrationPaused(hidden || captureDue);
}

Pose App::scriptedHead() const {
    // A slow look left and right with a small sideways sway, at standing eye height; a function of the
    // frame number only, so captures are the same on every machine.
    const double phase = 2.0 * 3.14159265358979 * double(scriptFrame_) / kScriptedPeriodFrames;
    const float yaw = glm::radians(12.0f) * float(std::sin(phase));
    Pose head;
    head.orientation = glm::angleAxis(yaw, glm::vec3(0.0f, 1.0f, 0.0f));
    head.position = {0.08f * float(std::sin(phase * 0.5)), options_.comfort.standingEyeHeight, 0.0f};
    return head;
}

std::array<HandState, 2> App::scriptedHands(const Pose& head) {
    // A fixed sequence by frame: teleport ahead, snap turn right, grab the nearest artifact, lift and
    // turn it, let go (it flies back), point at it and select (its label opens). Poses in tracking space.
    const uint64_t f = inputFrame_++;
    std::array<HandState, 2> hands{};
    HandState& right = hands[1];
    right.active = right.aimValid = right.gripValid = true;
    right.aim.position = head.position + head.orientation * glm::vec3(0.2f, -0.3f, -0.3f);
    right.aim.orientation = head.orientation;
    right.grip = right.aim;
    const glm::mat4 worldFromTracking = rig_.worldFromTracking();
    const glm::mat4 trackingFromWorld = glm::inverse(worldFromTracking);
    const glm::vec3 headWorld = glm::vec3(worldFromTracking * glm::vec4(head.position, 1.0f));
    std::optional<size_t> nearest;
    float nearestDistance = std::numeric_limits<float>::max();
    const auto artifacts = scene_->artifacts();
    for (size_t i = 0; i < artifacts.size(); ++i) {
        const float d = glm::length(artifacts[i].worldBounds.center() - headWorld);
        if (artifacts[i].open && d < nearestDistance) {
            nearestDistance = d;
            nearest = i;
        }
    }
    if (f >= 20 && f < 40) {  // aim a teleport 1-2 m ahead
        right.aim.orientation = head.orientation * glm::angleAxis(glm::radians(-40.0f), glm::vec3(1.0f, 0.0f, 0.0f));
        right.stick.y = 1.0f;
    }
    if (f == 60) right.stick.x = 1.0f;  // snap turn right
    // Where the grab starts: the object's centre then (its bounds move with it once it is held).
    if (f == 80 && nearest) scriptGrabCentre_ = artifacts[*nearest].worldBounds.center();
    if (f >= 80 && f < 140 && nearest) {
        const float t = float(f - 80) / 60.0f;
        const glm::mat4 handWorld =
            glm::translate(glm::mat4(1.0f), scriptGrabCentre_ + glm::vec3(0.0f, 0.15f * t, 0.0f)) *
            glm::rotate(glm::mat4(1.0f), glm::radians(90.0f) * t, glm::vec3(0.0f, 1.0f, 0.0f));
        const glm::mat4 grip = trackingFromWorld * handWorld;
        right.grip.position = glm::vec3(grip[3]);
        right.grip.orientation = glm::quat_cast(glm::mat3(grip));
        right.squeeze = f < 130 ? 1.0f : 0.0f;
    }
    if (f == 160) hands[0].recentre = true;  // left hand: recentre / eye height
    if (f >= 170 && f < 175 && nearest) {  // point at it and select
        const glm::vec3 target = glm::vec3(trackingFromWorld * glm::vec4(artifacts[*nearest].worldBounds.center(), 1.0f));
        right.aim.position = head.position + glm::vec3(0.0f, -0.2f, 0.0f);
        right.aim.orientation = glm::quatLookAtRH(glm::normalize(target - right.aim.position), glm::vec3(0.0f, 1.0f, 0.0f));
        right.select = f == 170;
    }
    return hands;
}

std::array<HandState, 2> App::scriptedTourHands(const Pose& head) {
    // The tour's controls in a fixed order, one step every 20 frames (at most 2 s of narration at the
    // frame clock's 0.1 s a frame: no stop's narration ends in between), each a one-frame press of the
    // right hand. A step that points at the tour panel waits until the panel is shown.
    enum class Step { PreviousButton, PauseButton, PanelPrevious, PanelPause, PanelNext, SelectNothing };
    static constexpr Step kSteps[] = {
        Step::PreviousButton,  // at stop 1: stays there
        Step::PanelNext,       // stop 2
        Step::PanelPrevious,   // stop 1
        Step::SelectNothing,   // stop 2
        Step::PreviousButton,  // stop 1
        Step::PauseButton,     // paused
        Step::PanelPause,      // resumed
        Step::PauseButton,     // paused
        Step::PauseButton,     // resumed
    };
    const uint64_t f = inputFrame_++;
    std::array<HandState, 2> hands{};
    HandState& right = hands[1];
    right.active = right.aimValid = right.gripValid = true;
    right.aim.position = head.position + glm::vec3(0.0f, -0.2f, 0.0f);
    right.aim.orientation = head.orientation;
    right.grip = right.aim;
    if (tourScriptStep_ >= std::size(kSteps) || f < tourScriptDue_) return hands;
    const Step step = kSteps[tourScriptStep_];
    const glm::mat4 trackingFromWorld = glm::inverse(rig_.worldFromTracking());
    auto aimAt = [&](const glm::vec3& world) {
        const glm::vec3 target = glm::vec3(trackingFromWorld * glm::vec4(world, 1.0f));
        right.aim.orientation =
            glm::quatLookAtRH(glm::normalize(target - right.aim.position), glm::vec3(0.0f, 1.0f, 0.0f));
    };
    switch (step) {
        case Step::PreviousButton: right.tourPrevious = true; break;
        case Step::PauseButton: right.tourPause = true; break;
        case Step::SelectNothing:  // straight up: no artifact, hotspot or panel there
            right.aim.orientation = glm::angleAxis(glm::radians(80.0f), glm::vec3(1.0f, 0.0f, 0.0f));
            right.select = true;
            break;
        case Step::PanelPrevious:
        case Step::PanelPause:
        case Step::PanelNext: {
            const std::optional<glm::mat4> panel = panels_ ? panels_->tourPanelPose() : std::nullopt;
            if (!panel) return hands;  // not shown yet: try again next frame
            // The middle of the third that is the control, halfway down the panel.
            const float u = step == Step::PanelPrevious ? 1.0f / 6.0f : step == Step::PanelPause ? 0.5f : 5.0f / 6.0f;
            aimAt(glm::vec3(*panel * glm::vec4((u - 0.5f) * panels_->sizeMetres().x, 0.0f, 0.0f, 1.0f)));
            right.select = true;
            break;
        }
    }
    ++tourScriptStep_;
    tourScriptDue_ = f + 20;
    return hands;
}

void App::frame() {
    XrFrameWaitInfo waitInfo{XR_TYPE_FRAME_WAIT_INFO};
    XrFrameState state{XR_TYPE_FRAME_STATE};
    XrResult r = xrWaitFrame(session_, &waitInfo, &state);
    if (isLoss(r)) return onLoss("xrWaitFrame", r);
    XR_CHECK_RESULT(instance_, r, "xrWaitFrame");
    ++framesWaited_;
    XrFrameBeginInfo beginInfo{XR_TYPE_FRAME_BEGIN_INFO};
    r = xrBeginFrame(session_, &beginInfo);
    if (isLoss(r)) return onLoss("xrBeginFrame", r);
    XR_CHECK_RESULT(instance_, r, "xrBeginFrame");

    std::array<XrCompositionLayerProjectionView, kViewCount> projectionViews{};
    bool rendered = false;
    if (state.shouldRender && machine_.shouldSubmitLayers()) {
        rendered = renderViews(state, projectionViews);
        if (machine_.finished()) return;
    }
    lastDisplayTime_ = state.predictedDisplayTime;

    XrCompositionLayerProjection projection{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
    std::vector<const XrCompositionLayerBaseHeader*> layers;
    if (rendered) {
        projection.space = appSpace_;
        projection.viewCount = kViewCount;
        projection.views = projectionViews.data();
        if (blendMode_ != XR_ENVIRONMENT_BLEND_MODE_OPAQUE)
            projection.layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT;
        layers.push_back(reinterpret_cast<const XrCompositionLayerBaseHeader*>(&projection));
        if (panels_) panels_->appendLayers(appSpace_, rig_.worldFromTracking(), layers);
    }
    XrFrameEndInfo endInfo{XR_TYPE_FRAME_END_INFO};
    endInfo.displayTime = state.predictedDisplayTime;
    endInfo.environmentBlendMode = blendMode_;
    endInfo.layerCount = static_cast<uint32_t>(layers.size());
    endInfo.layers = layers.data();
    r = xrEndFrame(session_, &endInfo);
    if (isLoss(r)) return onLoss("xrEndFrame", r);
    XR_CHECK_RESULT(instance_, r, "xrEndFrame");
    if (rendered) ++framesSubmitted_;
    if (captureRecorded_ && !captured_ && context_->completedValue() >= captureValue_) writeCapture();
}

bool App::renderViews(const XrFrameState& state, std::array<XrCompositionLayerProjectionView, kViewCount>& out) {
    // Eyes relative to the head (scripted path) or in the tracking space.
    XrViewLocateInfo locateInfo{XR_TYPE_VIEW_LOCATE_INFO};
    locateInfo.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    locateInfo.displayTime = state.predictedDisplayTime;
    locateInfo.space = options_.scriptedHead ? viewSpace_ : appSpace_;
    XrViewState viewState{XR_TYPE_VIEW_STATE};
    std::array<XrView, kViewCount> xrViews;
    xrViews.fill({XR_TYPE_VIEW});
    uint32_t count = 0;
    XrResult r = xrLocateViews(session_, &locateInfo, &viewState, kViewCount, &count, xrViews.data());
    if (isLoss(r)) {
        onLoss("xrLocateViews", r);
        return false;
    }
    XR_CHECK_RESULT(instance_, r, "xrLocateViews");
    constexpr XrViewStateFlags kValid = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    if ((viewState.viewStateFlags & kValid) != kValid) return false;  // not tracking: submit no layers

    const Clock::time_point cpuStart = Clock::now();
    double excluded = 0.0;  // runtime calls and GPU waits inside the timed span

    Pose head;
    std::array<Pose, kViewCount> eyes;
    if (options_.scriptedHead) {
        head = scriptedHead();
        for (uint32_t i = 0; i < kViewCount; ++i) eyes[i] = compose(head, toPose(xrViews[i].pose));
    } else {
        XrSpaceLocation location{XR_TYPE_SPACE_LOCATION};
        const Clock::time_point t0 = Clock::now();
        r = xrLocateSpace(viewSpace_, appSpace_, state.predictedDisplayTime, &location);
        excluded += secondsSince(t0);
        if (isLoss(r)) {
            onLoss("xrLocateSpace", r);
            return false;
        }
        head = toPose(location.pose);
        for (uint32_t i = 0; i < kViewCount; ++i) eyes[i] = toPose(xrViews[i].pose);
    }
    if (!rigPlaced_) {
        if (!stageSpace_ || options_.comfort.seated) rig_.calibrateEyeHeight(head, exhibit_.eyeHeight);
        const exhibit::CameraPose start = gallery::entrance(exhibit_);
        const glm::vec3 look = start.target - start.position;
        rig_.placeHead(head, {start.position.x, start.position.z}, std::atan2(-look.x, -look.z));
        rig_.takeMotion();
        rigPlaced_ = true;
    } else if (recentrePending_) {
        // The tracking space moved under the head: put the head back where and how it was in the world.
        if (!stageSpace_ || options_.comfort.seated) rig_.calibrateEyeHeight(head, exhibit_.eyeHeight);
        rig_.placeHead(head, {lastHeadWorld_.x, lastHeadWorld_.z}, lastHeadYaw_);
        rig_.takeMotion();
        std::printf("xr: recentred at (%.2f, %.2f)\n", lastHeadWorld_.x, lastHeadWorld_.z);
    }
    recentrePending_ = false;
    {
        const glm::mat4 worldFromHead = rig_.worldFromTracking() * head.matrix();
        lastHeadWorld_ = glm::vec3(worldFromHead[3]);
        const glm::vec3 forward = -glm::vec3(worldFromHead[2]);
        lastHeadYaw_ = std::atan2(-forward.x, -forward.z);
    }

    // Input and interaction (teleport, turn, grab, point): they move the rig before the views are made.
    std::array<HandState, 2> hands{};
    {
        const Clock::time_point t0 = Clock::now();
        const bool alive = input_->sync(session_, appSpace_, state.predictedDisplayTime, machine_.inputFocused(), hands);
        excluded += secondsSince(t0);
        if (!alive) {
            onLoss("xrSyncActions", XR_ERROR_SESSION_LOST);
            return false;
        }
    }
    if (options_.inputScript != InputScript::None && machine_.inputFocused())
        hands = options_.inputScript == InputScript::Tour ? scriptedTourHands(head) : scriptedHands(head);
    const float dt = lastDisplayTime_ ? float(double(state.predictedDisplayTime - lastDisplayTime_) * 1e-9) : 0.0f;
    interaction_->update(head, hands, rig_, std::clamp(dt, 0.0f, 0.1f));
    const std::vector<std::string> events = interaction_->takeEvents();
    for (const std::string& event : events) std::printf("xr: event %s\n", event.c_str());
    if (!events.empty()) std::fflush(stdout);  // a live log: whoever follows it sees each event as it happens

    std::array<scene::View, kViewCount> views;
    for (uint32_t i = 0; i < kViewCount; ++i) {
        const XrFovf& f = xrViews[i].fov;
        views[i] = eyeView(rig_.worldFromTracking(), eyes[i], {f.angleLeft, f.angleRight, f.angleUp, f.angleDown});
    }
    Clock::time_point t = Clock::now();
    const render::FrameInput sceneInput =
        scene_->prepareFrame(views, {swapchain_.extent.width, swapchain_.extent.height});
    sceneSeconds_ += secondsSince(t);
    const render::FrameInput decorated = interaction_->decorate(sceneInput);
    frameClusters_.assign(decorated.clusters.begin(), decorated.clusters.end());
    if (panels_) {
        panels_->update(*interaction_, glm::vec3(rig_.worldFromTracking() * glm::vec4(head.position, 1.0f)), dt);
        panels_->appendDraws(frameClusters_);
        interaction_->setTourPanel(panels_->tourPanelPose(), panels_->sizeMetres());
    }
    const render::FrameInput input{decorated.views, decorated.items, frameClusters_, decorated.lighting};

    // Capture: hold the scripted head still from the capture frame until the scene has settled.
    const bool captureDue = options_.captureFrame >= 0 && !captureRecorded_ &&
                            framesSubmitted_ >= uint64_t(options_.captureFrame);
    const bool captureNow =
        captureDue && (scene_->settled() || framesSubmitted_ >= uint64_t(options_.captureFrame) + kMaxCaptureWaitFrames);
    if (!captureDue) ++scriptFrame_;

    // Wait for the slot's previous frame (GPU time, not ours), then record into it.
    const uint64_t slot = slot_++ % kFramesInFlight;
    {
        const Clock::time_point t0 = Clock::now();
        if (commandValues_[slot]) context_->waitFor(commandValues_[slot]);
        context_->collectRetired();
        excluded += secondsSince(t0);
    }

    uint32_t imageIndex = 0, depthIndex = 0;
    {
        const Clock::time_point t0 = Clock::now();
        if (!acquire(swapchain_, imageIndex)) return false;
        if (depthSwapchain_.handle && !acquire(depthSwapchain_, depthIndex)) return false;
        excluded += secondsSince(t0);
    }

    VkCommandBuffer commands = commandBuffers_[slot];
    VK_CHECK(vkResetCommandBuffer(commands, 0));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(commands, &begin));
    // The image was last written by an earlier frame on this queue (or copied for a capture); make
    // those writes available before the renderer's layout transition discards them.
    VkMemoryBarrier2 previous{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    constexpr VkPipelineStageFlags2 kAttachmentStages = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT |
                                                        VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT |
                                                        VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT;
    previous.srcStageMask = kAttachmentStages | VK_PIPELINE_STAGE_2_COPY_BIT;
    previous.srcAccessMask = VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
    previous.dstStageMask = kAttachmentStages | VK_PIPELINE_STAGE_2_COPY_BIT;
    previous.dstAccessMask = VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT |
                             VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                             VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT;
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.memoryBarrierCount = 1;
    dependency.pMemoryBarriers = &previous;
    vkCmdPipelineBarrier2(commands, &dependency);
    // Panels first: the scene's panel quad samples what they draw.
    if (panels_ && !panels_->record(commands)) {
        VK_CHECK(vkEndCommandBuffer(commands));
        onLoss("xrAcquireSwapchainImage (panel)", XR_ERROR_INSTANCE_LOST);
        return false;
    }

    render::RenderTarget target;
    target.image = swapchain_.images[imageIndex];
    target.view = swapchain_.views[imageIndex].get();
    target.extent = swapchain_.extent;
    target.viewCount = kViewCount;
    if (depthSwapchain_.handle) {
        target.depthCopy = depthSwapchain_.images[depthIndex];
        target.depthCopyView = depthSwapchain_.views[depthIndex].get();
    }
    // The runtime takes the image back in COLOR_ATTACHMENT_OPTIMAL, ordered by queue submission.
    target.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    target.finalStage = VK_PIPELINE_STAGE_2_NONE;
    target.finalAccess = VK_ACCESS_2_NONE;
    t = Clock::now();
    renderer_->record(commands, input, target);
    recordSeconds_ += secondsSince(t);
    // The runtime takes depth images back in DEPTH_STENCIL_ATTACHMENT_OPTIMAL; the renderer leaves its
    // depth copy ready for transfers.
    if (depthSwapchain_.handle)
        gpu::transition(commands, {target.depthCopy, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                   VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                                   VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT,
                                   VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT});

    if (captureNow) {
        const VkDeviceSize layerBytes = VkDeviceSize(swapchain_.extent.width) * swapchain_.extent.height * 4;
        captureBuffer_ = gpu::Buffer(*context_, layerBytes * kViewCount, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                     gpu::MemoryUse::Readback, "xr capture");
        gpu::transition(commands, {target.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                   VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                                   VK_ACCESS_2_TRANSFER_READ_BIT});
        VkBufferImageCopy region{};
        region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, kViewCount};
        region.imageExtent = {swapchain_.extent.width, swapchain_.extent.height, 1};
        vkCmdCopyImageToBuffer(commands, target.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, captureBuffer_.handle(), 1,
                               &region);
        gpu::transition(commands, {target.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                   VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                                   VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT});
        gpu::makeCopiesVisibleToHost(commands);
    }
    VK_CHECK(vkEndCommandBuffer(commands));
    // Submit before release: the runtime reads the image after our work on this queue.
    t = Clock::now();
    commandValues_[slot] = context_->submit(commands);
    // lavapipe (and some drivers) do the GPU's work inside vkQueueSubmit: not our code.
    const double submitted = secondsSince(t);
    submitSeconds_ += submitted;
    excluded += submitted;
    if (captureNow) {
        captureRecorded_ = true;
        captureValue_ = commandValues_[slot];
        captureFrameIndex_ = framesSubmitted_;
    }
    cpuSeconds_ += std::max(0.0, secondsSince(cpuStart) - excluded);
    ++cpuFrames_;

    if (panels_ && !panels_->afterSubmit()) {
        onLoss("xrReleaseSwapchainImage (panel)", XR_ERROR_INSTANCE_LOST);
        return false;
    }
    if (!release(swapchain_)) return false;
    if (depthSwapchain_.handle && !release(depthSwapchain_)) return false;

    for (uint32_t i = 0; i < kViewCount; ++i) {
        out[i] = {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW};
        out[i].pose = toXr(eyes[i]);
        out[i].fov = xrViews[i].fov;
        out[i].subImage.swapchain = swapchain_.handle;
        out[i].subImage.imageRect = {{0, 0}, {int32_t(swapchain_.extent.width), int32_t(swapchain_.extent.height)}};
        out[i].subImage.imageArrayIndex = i;
        if (depthSwapchain_.handle) {
            // Reversed Z with an infinite far plane: depth 0 (minDepth) is infinitely far, 1 is the
            // near plane; nearZ > farZ tells the runtime the range is reversed.
            XrCompositionLayerDepthInfoKHR& depth = depthInfos_[i];
            depth = {XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR};
            depth.subImage.swapchain = depthSwapchain_.handle;
            depth.subImage.imageRect = out[i].subImage.imageRect;
            depth.subImage.imageArrayIndex = i;
            depth.minDepth = 0.0f;
            depth.maxDepth = 1.0f;
            depth.nearZ = std::numeric_limits<float>::infinity();
            depth.farZ = kNearPlane;
            out[i].next = &depth;
        }
    }
    return true;
}

void App::writeCapture() {
    captured_ = true;
    context_->waitFor(captureValue_);
    captureBuffer_.invalidate();
    std::filesystem::create_directories(options_.captureDir);
    const VkDeviceSize layerBytes = VkDeviceSize(swapchain_.extent.width) * swapchain_.extent.height * 4;
    const auto* bytes = static_cast<const uint8_t*>(captureBuffer_.mapped());
    std::string written;
    for (uint32_t i = 0; i < kViewCount; ++i) {
        asset::Image image;
        image.name = i == 0 ? "left" : "right";
        image.width = swapchain_.extent.width;
        image.height = swapchain_.extent.height;
        image.rgba.assign(bytes + layerBytes * i, bytes + layerBytes * (i + 1));
        for (size_t p = 3; p < image.rgba.size(); p += 4) image.rgba[p] = 255;  // AR clears alpha; PNGs stay opaque
        const std::filesystem::path file = std::filesystem::path(options_.captureDir) / (image.name + ".png");
        if (auto ok = asset::writePng(file, image); !ok) {
            std::printf("xr: capture failed: %s\n", ok.error().message.c_str());
            failed_ = true;
            return;
        }
        written += " " + file.string();
    }
    std::printf("xr: captured frame %llu (settled %s) ->%s\n", (unsigned long long)captureFrameIndex_,
                scene_->settled() ? "yes" : "no", written.c_str());
    std::fflush(stdout);
    captureBuffer_ = {};
}

void App::destroySession() {
    if (panels_) panels_->destroyXr();
    if (input_) input_->detach();
    if (context_) context_->waitIdle();
    swapchain_.views.clear();
    depthSwapchain_.views.clear();
    if (context_) context_->waitIdle();  // destroys the views now: the images go with the swapchain
    // Results are ignored: after a runtime loss these calls may fail, and there is nothing left to do.
    if (swapchain_.handle) xrDestroySwapchain(std::exchange(swapchain_.handle, XR_NULL_HANDLE));
    if (depthSwapchain_.handle) xrDestroySwapchain(std::exchange(depthSwapchain_.handle, XR_NULL_HANDLE));
    if (appSpace_) xrDestroySpace(std::exchange(appSpace_, XR_NULL_HANDLE));
    if (viewSpace_) xrDestroySpace(std::exchange(viewSpace_, XR_NULL_HANDLE));
    if (session_) xrDestroySession(std::exchange(session_, XR_NULL_HANDLE));
}

void App::teardown() {
    destroySession();
    interaction_.reset();
    panels_.reset();
    input_.reset();
    scene_.reset();
    captureBuffer_ = {};
    commandPool_ = {};
    renderer_.reset();
    // The Vulkan device and instance go before the OpenXR instance that created them.
    context_.reset();
    if (instance_) xrDestroyInstance(std::exchange(instance_, XR_NULL_HANDLE));
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
