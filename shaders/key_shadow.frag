#version 460
// The key light's shadow map: only surfaces below the cut plane cast (see key_shadow.vert).

layout(location = 0) in float inKeep;

void main() {
    if (inKeep < 0.0) discard;
}
