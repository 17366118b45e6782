#version 460
// Forward PBR, vertex stage. One or two views: gl_ViewIndex is 0 without multiview.
#extension GL_EXT_multiview : require
#include "shared/frame_data.h"

layout(set = 0, binding = 0, std140) uniform FrameBlock { GpuFrame frame; };
layout(push_constant) uniform Push {
    mat4 worldFromModel;
    uvec4 drawFlags;  // x: the mesh has texture coordinates
} push;

layout(location = 0) in vec3 inPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec2 inTexcoord;
layout(location = 3) in vec4 inColor;
layout(location = 4) in vec4 inTangent;

layout(location = 0) out vec3 outWorldPosition;
layout(location = 1) out vec3 outNormal;
layout(location = 2) out vec2 outTexcoord;
layout(location = 3) out vec4 outColor;
layout(location = 4) out vec4 outTangent;

void main() {
    vec4 world = push.worldFromModel * vec4(inPosition, 1.0);
    // Placements use rotation + uniform scale, so the upper 3x3 transforms normals too.
    mat3 worldFromModel3 = mat3(push.worldFromModel);
    outWorldPosition = world.xyz;
    outNormal = worldFromModel3 * inNormal;
    outTangent = vec4(worldFromModel3 * inTangent.xyz, inTangent.w);
    outTexcoord = inTexcoord;
    outColor = inColor;
    gl_Position = frame.views[gl_ViewIndex].clipFromWorld * world;
}
