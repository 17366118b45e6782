#pragma once
// Colour helpers shared by the importers.

#include <cmath>

namespace vt::scan {

// Vertex colours in PLY/OBJ/STL files are, in practice, stored as displayed (sRGB-encoded);
// the Model carries linear colours, as glTF does.
inline float srgbToLinear(float c) {
    if (!(c > 0.0f)) return 0.0f;  // also maps NaN to 0
    if (c >= 1.0f) return 1.0f;
    return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

}  // namespace vt::scan
