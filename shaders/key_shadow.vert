#version 460
// The key light's shadow map, depth only: like shadow.vert, plus each vertex's signed distance to the
// cut plane (key_shadow.frag drops what lies above it: the ceiling must not shadow the room).

layout(push_constant) uniform Push {
    mat4 clipFromModel;  // the light's clipFromWorld * the draw's worldFromModel
    vec4 keepPlane;      // model space: points with dot(keepPlane, (p, 1)) >= 0 cast
} push;

layout(location = 0) in vec3 inPosition;
layout(location = 0) out float outKeep;

void main() {
    outKeep = dot(push.keepPlane, vec4(inPosition, 1.0));
    gl_Position = push.clipFromModel * vec4(inPosition, 1.0);
}
