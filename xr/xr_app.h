#pragma once
// The XR app: an exhibit in a headset through OpenXR 1.0 with Vulkan (XR_KHR_vulkan_enable2).
//
// The Vulkan instance and device are created through the runtime (gpu::ContextOptions hooks); both
// eyes render in one multiview pass into a two-layer array swapchain image; views, FOVs and poses
// come from xrLocateViews at the predicted display time; the loop is paced by xrWaitFrame and never
// waits for streaming. The session lifecycle is xr::SessionMachine. Results go to stdout as lines a
// test can match:
//
//   xr: runtime Monado(XRT) ... 25.0.0
//   xr: swapchain 320x240 x2 layers, 3 images, format 43 (recommended 320x240), depth submitted
//   xr: state FOCUSED
//   xr: interaction profile changed: left /interaction_profiles/valve/index_controller, right ...
//   xr: event teleported to (3.46, 3.05)
//   xr: event head at (3.46, 3.05) facing 10.0 degrees
//   xr: event tour stop 1 of 5: A whale's skull
//   xr: event narration stop 1 in zh: 6.86 s (frame clock), .../sample-gallery/audio/stop1.zh.wav
//   xr: event caption 3.70 s: 请看头骨前端骨质的吻部。
//   xr: narration paused (state SYNCHRONIZED) | xr: narration stopped (session ended)
//   xr: captured frame 90 (settled yes) -> DIR/left.png DIR/right.png
//   xr: frames submitted 320 views 2
//   xr: cpu ms/frame 0.45 (ours: input, interaction, scene, record; not the runtime, the GPU or vkQueueSubmit) ...
//   xr: validation errors 0 warnings 0
//   xr: exit clean (frame budget reached, session exited) | xr: exit clean (runtime lost)

#include <cstdint>
#include <string>

#include "xr/logic/locomotion.h"

namespace vt::xr {

enum class Mode { Gallery, Ar };
enum class PanelMode { Auto, Quad, Scene, Off };  // Auto: quad layers when the runtime has room for them
// Scripted controllers for tests: Interact (teleport, turn, grab, point, recentre) or Tour (the tour's
// controls: previous, next, pause / resume, by buttons and by pointing at the tour panel).
enum class InputScript { None, Interact, Tour };

struct AppOptions {
    std::string exhibitPath;       // an exhibit JSON file, or one artifact pack (.vpk) shown on a plinth
    uint64_t frames = 0;           // frames with layers to submit before asking to exit; 0: until the runtime ends
    int64_t captureFrame = -1;     // write both eyes of this frame (the first settled one from here) as PNGs
    std::string captureDir = ".";
    bool scriptedHead = false;     // a deterministic head path by frame number (tests), eyes from the runtime
    InputScript inputScript = InputScript::None;  // a fixed controller sequence instead of the controllers (tests)
    bool validation = false;       // Vulkan validation; any error or warning makes the exit code 1
    uint32_t eyeWidth = 0;         // swapchain size per eye; 0: the runtime's recommendation
    uint32_t eyeHeight = 0;
    uint32_t msaa = 4;
    std::string language = "en";   // labels and tour text: "en" or "zh"
    Mode mode = Mode::Gallery;     // Ar: one artifact on a virtual plinth, no room, see-through when offered
    std::string arArtifact;        // artifact id for AR; empty: the first
    ComfortSettings comfort;
    PanelMode panelMode = PanelMode::Auto;  // world-space label panels
    bool tour = false;             // start the exhibit's guided tour
    std::string openLabel;         // artifact id whose label is open from the start (kiosks, tests)
    double idleTimeoutSeconds = 60.0;  // a session that never becomes READY ends the app (never hang)
    double retrySeconds = 0.0;     // after losing the runtime, wait this long for it to come back (0: exit)
};

// Runs until the session ends. 0: clean exit (also when the runtime went away); 1: validation
// problems or a failure after start; 2: no runtime or no suitable system/device.
int runApp(const AppOptions& options);

}  // namespace vt::xr
