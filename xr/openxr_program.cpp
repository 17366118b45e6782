#include "xr/openxr_program.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "gpu/context.h"

namespace vt::xr {

namespace {

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

bool hasExtension(const std::vector<XrExtensionProperties>& available, const char* name) {
    return std::any_of(available.begin(), available.end(),
                       [&](const XrExtensionProperties& e) { return std::strcmp(e.extensionName, name) == 0; });
}

const char* blendName(XrEnvironmentBlendMode mode) {
    return mode == XR_ENVIRONMENT_BLEND_MODE_OPAQUE        ? "OPAQUE"
           : mode == XR_ENVIRONMENT_BLEND_MODE_ADDITIVE    ? "ADDITIVE"
           : mode == XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND ? "ALPHA_BLEND"
                                                           : "OTHER";
}

}  // namespace

Result<std::unique_ptr<OpenXrProgram>> OpenXrProgram::create(Listener& listener) {
    std::unique_ptr<OpenXrProgram> program(new OpenXrProgram(listener));
    if (auto ok = program->createInstance(); !ok) return std::unexpected(ok.error());
    return program;
}

OpenXrProgram::~OpenXrProgram() {
    destroySession();
    if (instance_) xrDestroyInstance(std::exchange(instance_, XR_NULL_HANDLE));
}

Result<void> OpenXrProgram::createInstance() {
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

Result<void> OpenXrProgram::chooseSystem(Mode mode) {
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
    chooseBlendMode(mode);
    return {};
}

void OpenXrProgram::chooseBlendMode(Mode mode) {
    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateEnvironmentBlendModes(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                         0, &count, nullptr));
    std::vector<XrEnvironmentBlendMode> modes(count);
    XR_CHECK(instance_, xrEnumerateEnvironmentBlendModes(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                         count, &count, modes.data()));
    std::string names;
    for (XrEnvironmentBlendMode offered : modes) names += std::string(names.empty() ? "" : " ") + blendName(offered);
    std::printf("xr: blend modes %s\n", names.c_str());
    auto offers = [&](XrEnvironmentBlendMode wanted) { return std::find(modes.begin(), modes.end(), wanted) != modes.end(); };
    blendMode_ = modes.empty() ? XR_ENVIRONMENT_BLEND_MODE_OPAQUE : modes.front();
    if (mode != Mode::Ar) {
        if (offers(XR_ENVIRONMENT_BLEND_MODE_OPAQUE)) blendMode_ = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
        return;
    }
    // See-through when offered: alpha blending keeps dark parts of the artifact visible.
    for (XrEnvironmentBlendMode wanted : {XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND, XR_ENVIRONMENT_BLEND_MODE_ADDITIVE})
        if (offers(wanted)) {
            blendMode_ = wanted;
            break;
        }
    if (blendMode_ == XR_ENVIRONMENT_BLEND_MODE_OPAQUE)
        std::printf("xr: AR mode without see-through (the runtime offers only %s): one artifact, no room\n", names.c_str());
    else
        std::printf("xr: AR mode, blend %s\n", blendName(blendMode_));
}

Result<void> OpenXrProgram::createSession(const gpu::Context& context, bool seated) {
    XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
    binding.instance = context.instance();
    binding.physicalDevice = context.physicalDevice();
    binding.device = context.device();
    binding.queueFamilyIndex = context.queueFamily();
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
    stageSpace_ = std::find(spaces.begin(), spaces.end(), XR_REFERENCE_SPACE_TYPE_STAGE) != spaces.end() && !seated;
    XrReferenceSpaceCreateInfo spaceInfo{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
    spaceInfo.poseInReferenceSpace.orientation.w = 1.0f;
    spaceInfo.referenceSpaceType = stageSpace_ ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
    XR_CHECK(instance_, xrCreateReferenceSpace(session_, &spaceInfo, &appSpace_));
    spaceInfo.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
    XR_CHECK(instance_, xrCreateReferenceSpace(session_, &spaceInfo, &viewSpace_));
    std::printf("xr: reference space %s\n", stageSpace_ ? "STAGE" : "LOCAL");
    return {};
}

void OpenXrProgram::destroySession() {
    if (appSpace_) xrDestroySpace(std::exchange(appSpace_, XR_NULL_HANDLE));
    if (viewSpace_) xrDestroySpace(std::exchange(viewSpace_, XR_NULL_HANDLE));
    if (session_) xrDestroySession(std::exchange(session_, XR_NULL_HANDLE));
}

void OpenXrProgram::pollEvents() {
    for (;;) {
        XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
        const XrResult r = xrPollEvent(instance_, &event);
        if (r == XR_EVENT_UNAVAILABLE) return;
        if (XR_FAILED(r)) return lost({"xrPollEvent", r});
        switch (event.type) {
            case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED:
                onSessionStateChanged(reinterpret_cast<const XrEventDataSessionStateChanged&>(event).state);
                break;
            case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING:
                std::printf("xr: instance loss pending\n");
                exitReason_ = "runtime lost";
                runtimeLost_ = true;
                perform(machine_.onInstanceLost());
                break;
            case XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING:
                // The visitor recentred through the runtime: keep them where they stand in the gallery.
                std::printf("xr: recentre requested by the runtime\n");
                listener_.onRecentre();
                break;
            case XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED: listener_.onInteractionProfileChanged(); break;
            default: break;
        }
        if (machine_.finished()) return;
    }
}

void OpenXrProgram::onSessionStateChanged(XrSessionState state) {
    const SessionState next = fromXr(state);
    std::printf("xr: state %s\n", std::string(stateName(next)).c_str());
    std::fflush(stdout);
    if (next == SessionState::Exiting && !exitRequestedByUs_) exitReason_ = "the runtime asked to exit";
    if (next == SessionState::LossPending) {
        exitReason_ = "session lost";
        runtimeLost_ = true;
    }
    const SessionAction action = machine_.onStateChanged(next);
    listener_.onStateChanged();  // before the session ends (which stops the narration)
    perform(action);
}

void OpenXrProgram::requestExit(std::string reason) {
    exitRequestedByUs_ = true;
    exitReason_ = std::move(reason);
    perform(machine_.requestExit());
}

void OpenXrProgram::lost(const RuntimeLoss& loss) {
    std::printf("xr: %s returned %s: the runtime is gone\n", loss.call, resultName(instance_, loss.result).c_str());
    exitReason_ = "runtime lost";
    runtimeLost_ = true;
    perform(machine_.onInstanceLost());
}

void OpenXrProgram::perform(SessionAction action) {
    switch (action) {
        case SessionAction::None: break;
        case SessionAction::BeginSession: {
            XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
            begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
            const XrResult r = xrBeginSession(session_, &begin);
            if (isLoss(r)) return lost({"xrBeginSession", r});
            XR_CHECK_RESULT(instance_, r, "xrBeginSession");
            break;
        }
        case SessionAction::EndSession: {
            listener_.beforeEndSession();
            const XrResult r = xrEndSession(session_);
            if (isLoss(r)) return lost({"xrEndSession", r});
            XR_CHECK_RESULT(instance_, r, "xrEndSession");
            break;
        }
        case SessionAction::RequestExit: {
            const XrResult r = xrRequestExitSession(session_);
            if (isLoss(r)) return lost({"xrRequestExitSession", r});
            XR_CHECK_RESULT(instance_, r, "xrRequestExitSession");
            break;
        }
        case SessionAction::DestroyAndExit:
        case SessionAction::DestroyAndRetry:
            // The loop ends; the app destroys the session after the GPU is idle.
            break;
    }
}

}  // namespace vt::xr
