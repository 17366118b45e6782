#pragma once
// OpenXR with its Vulkan binding, the always-on check for OpenXR calls, how a call reports that the
// runtime is gone, and poses between OpenXR and xr/logic.

#include <vulkan/vulkan.h>
#define XR_USE_GRAPHICS_API_VULKAN
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <cstdint>
#include <expected>
#include <string>

#include "xr/logic/xr_math.h"

namespace vt::xr {

// The primary stereo view configuration: two views, both eyes in one multiview pass.
constexpr uint32_t kViewCount = 2;

// "XR_ERROR_SESSION_LOST" (falls back to the number).
std::string resultName(XrInstance instance, XrResult result);

[[noreturn]] void xrCheckFailed(XrInstance instance, XrResult result, const char* call, const char* file, int line);

// True for results that mean the runtime or the session is gone: handled by ending the app cleanly
// rather than by a check failure.
inline bool isLoss(XrResult result) {
    return result == XR_ERROR_INSTANCE_LOST || result == XR_ERROR_SESSION_LOST ||
           result == XR_ERROR_RUNTIME_FAILURE || result == XR_ERROR_RUNTIME_UNAVAILABLE;
}

// A call that found the runtime or the session gone (isLoss): which call, and what it returned. The
// app ends the session cleanly on it (OpenXrProgram::lost).
struct RuntimeLoss {
    const char* call = "";
    XrResult result = XR_ERROR_RUNTIME_FAILURE;
};
// What a step that talks to the runtime returns: done, or the runtime is gone.
using Alive = std::expected<void, RuntimeLoss>;
template <class T>
using AliveOr = std::expected<T, RuntimeLoss>;

inline Pose toPose(const XrPosef& p) {
    return {glm::quat(p.orientation.w, p.orientation.x, p.orientation.y, p.orientation.z),
            glm::vec3(p.position.x, p.position.y, p.position.z)};
}

inline XrPosef toXr(const Pose& p) {
    XrPosef result;
    result.orientation = {p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w};
    result.position = {p.position.x, p.position.y, p.position.z};
    return result;
}

}  // namespace vt::xr

// For calls whose failure is a bug or a broken runtime; loss results are handled where they happen.
#define XR_CHECK(instance, call)                                                                   \
    do {                                                                                           \
        const XrResult vtXrResult_ = (call);                                                       \
        if (XR_FAILED(vtXrResult_)) ::vt::xr::xrCheckFailed(instance, vtXrResult_, #call, __FILE__, __LINE__); \
    } while (0)

// For a result already held (because loss results were handled first): `call` names the function
// that returned it, so the failure says which call failed rather than "r".
#define XR_CHECK_RESULT(instance, result, call)                                                    \
    do {                                                                                           \
        const XrResult vtXrResult_ = (result);                                                     \
        if (XR_FAILED(vtXrResult_)) ::vt::xr::xrCheckFailed(instance, vtXrResult_, call, __FILE__, __LINE__); \
    } while (0)
