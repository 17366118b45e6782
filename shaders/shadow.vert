#version 460
// Spot shadow maps, depth only: one layer per shadowed light, no fragment stage.

layout(push_constant) uniform Push {
    mat4 clipFromModel;  // the light's clipFromWorld * the draw's worldFromModel
} push;

layout(location = 0) in vec3 inPosition;

void main() {
    gl_Position = push.clipFromModel * vec4(inPosition, 1.0);
}
