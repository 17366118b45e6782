#version 460
// The depth prepass (for contact shadows): opaque surfaces' depth in every view, no fragment stage.
#extension GL_EXT_multiview : require
#include "shared/frame_data.h"

layout(set = 0, binding = 0, std140) uniform FrameBlock { GpuFrame frame; };
layout(push_constant) uniform Push {
    mat4 worldFromModel;
    uvec4 drawFlags;
} push;

layout(location = 0) in vec3 inPosition;

void main() {
    gl_Position = frame.views[gl_ViewIndex].clipFromWorld * (push.worldFromModel * vec4(inPosition, 1.0));
}
