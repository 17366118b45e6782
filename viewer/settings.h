#pragma once
// What a visitor can set in the viewer (the Settings panel, `set` in scripts, some flags).

#include <cstdint>
#include <string>

#include "viewer/camera_control.h"

namespace vt::viewer {

struct Settings {
    std::string language = "en";
    float uiScale = 1.0f;          // 0.75..3: large text
    LookSettings look;
    float quality = 1.0f;          // pixel error threshold of the LOD cut (smaller = finer)
    uint32_t budgetMiB = 512;      // GPU memory for streamed geometry
    bool vsync = true;
};

}  // namespace vt::viewer
