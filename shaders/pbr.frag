#version 460
// Forward PBR, fragment stage: glTF 2.0 metallic-roughness (GGX, height-correlated Smith, Schlick
// Fresnel, Lambert diffuse), a directional key light, spot lights, image-based ambient light
// (SH irradiance + a mip-filtered environment cube), then exposure and tone mapping. The output is
// an sRGB attachment, so the hardware applies the sRGB transfer function.
#extension GL_EXT_multiview : require
#include "shared/frame_data.h"

layout(set = 0, binding = 0, std140) uniform FrameBlock { GpuFrame frame; };
layout(set = 0, binding = 1) uniform samplerCube environmentMap;
layout(set = 0, binding = 2) uniform sampler2DArrayShadow spotShadowMaps;  // compare sampler: 1 = lit
layout(set = 0, binding = 3) uniform sampler2DArrayShadow keyShadowMap;    // one layer, compare: 1 = lit

layout(set = 1, binding = 0, std140) uniform MaterialBlock { GpuMaterial material; };
layout(set = 2, binding = 0) uniform sampler2DArray sceneDepth;  // the depth prepass: reversed Z, 0 = nothing
layout(set = 1, binding = 1) uniform sampler2D baseColorTexture;
layout(set = 1, binding = 2) uniform sampler2D metallicRoughnessTexture;
layout(set = 1, binding = 3) uniform sampler2D normalTexture;
layout(set = 1, binding = 4) uniform sampler2D occlusionTexture;
layout(set = 1, binding = 5) uniform sampler2D emissiveTexture;

layout(push_constant) uniform Push {
    mat4 worldFromModel;
    uvec4 drawFlags;  // x: the mesh has texture coordinates
} push;

layout(location = 0) in vec3 inWorldPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec2 inTexcoord;
layout(location = 3) in vec4 inColor;
layout(location = 4) in vec4 inTangent;

layout(location = 0) out vec4 outColor;

const float PI = 3.14159265359;

float distributionGgx(float nDotH, float alpha) {
    float a2 = alpha * alpha;
    float d = nDotH * nDotH * (a2 - 1.0) + 1.0;
    return a2 / (PI * d * d);
}

// Height-correlated Smith visibility (includes the 1 / (4 n.l n.v) term).
float visibilitySmithGgx(float nDotL, float nDotV, float alpha) {
    float a2 = alpha * alpha;
    float ggxV = nDotL * sqrt(nDotV * nDotV * (1.0 - a2) + a2);
    float ggxL = nDotV * sqrt(nDotL * nDotL * (1.0 - a2) + a2);
    float sum = ggxV + ggxL;
    return sum > 0.0 ? 0.5 / sum : 0.0;
}

vec3 fresnelSchlick(vec3 f0, float vDotH) {
    return f0 + (1.0 - f0) * pow(1.0 - vDotH, 5.0);
}

// Analytic fit of the split-sum environment BRDF (Karis, "Physically Based Shading on Mobile").
vec2 environmentBrdf(float nDotV, float roughness) {
    const vec4 c0 = vec4(-1.0, -0.0275, -0.572, 0.022);
    const vec4 c1 = vec4(1.0, 0.0425, 1.04, -0.04);
    vec4 r = roughness * c0 + c1;
    float a004 = min(r.x * r.x, exp2(-9.28 * nDotV)) * r.x + r.y;
    return vec2(-1.04, 1.04) * a004 + r.zw;
}

vec3 shIrradiance(vec3 n) {
    return frame.sh[0].rgb * 0.282095
         + frame.sh[1].rgb * 0.488603 * n.y
         + frame.sh[2].rgb * 0.488603 * n.z
         + frame.sh[3].rgb * 0.488603 * n.x
         + frame.sh[4].rgb * 1.092548 * n.x * n.y
         + frame.sh[5].rgb * 1.092548 * n.y * n.z
         + frame.sh[6].rgb * 0.315392 * (3.0 * n.z * n.z - 1.0)
         + frame.sh[7].rgb * 1.092548 * n.x * n.z
         + frame.sh[8].rgb * 0.546274 * (n.x * n.x - n.y * n.y);
}

// Khronos PBR Neutral: keeps base colours true up to the highlights (products, artworks).
vec3 toneMapPbrNeutral(vec3 color) {
    const float startCompression = 0.8 - 0.04;
    const float desaturation = 0.15;
    float x = min(color.r, min(color.g, color.b));
    float offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
    color -= offset;
    float peak = max(color.r, max(color.g, color.b));
    if (peak < startCompression) return color;
    const float d = 1.0 - startCompression;
    float newPeak = 1.0 - d * d / (peak + d - startCompression);
    color *= newPeak / peak;
    float g = 1.0 - 1.0 / (desaturation * (peak - newPeak) + 1.0);
    return mix(color, vec3(newPeak), g);
}

// ACES filmic curve (Narkowicz's fit).
vec3 toneMapAces(vec3 color) {
    color *= 0.6;
    return clamp((color * (2.51 * color + 0.03)) / (color * (2.43 * color + 0.59) + 0.14), 0.0, 1.0);
}

// Tangent frame from screen-space derivatives, for meshes without tangents (Schüler, "Normal
// Mapping Without Precomputed Tangents"). Returns false where the UVs are degenerate.
bool derivativeFrame(vec3 n, vec3 position, vec2 uv, out mat3 tbn) {
    vec3 dp1 = dFdx(position), dp2 = dFdy(position);
    vec2 duv1 = dFdx(uv), duv2 = dFdy(uv);
    vec3 dp2perp = cross(dp2, n), dp1perp = cross(n, dp1);
    vec3 t = dp2perp * duv1.x + dp1perp * duv2.x;
    vec3 b = dp2perp * duv1.y + dp1perp * duv2.y;
    float scale = max(dot(t, t), dot(b, b));
    if (!(scale > 1e-20)) return false;
    float invMax = inversesqrt(scale);
    tbn = mat3(t * invMax, b * invMax, n);
    return true;
}

vec3 brdf(vec3 n, vec3 v, vec3 l, vec3 diffuseColor, vec3 f0, float alpha) {
    vec3 h = normalize(l + v);
    float nDotL = clamp(dot(n, l), 0.0, 1.0);
    float nDotV = clamp(abs(dot(n, v)), 1e-4, 1.0);
    float nDotH = clamp(dot(n, h), 0.0, 1.0);
    float vDotH = clamp(dot(v, h), 0.0, 1.0);
    vec3 f = fresnelSchlick(f0, vDotH);
    vec3 specular = f * distributionGgx(nDotH, alpha) * visibilitySmithGgx(nDotL, nDotV, alpha);
    vec3 diffuse = (1.0 - f) * diffuseColor / PI;
    return (diffuse + specular) * nDotL;
}

// The receiver's position for a shadow lookup, moved off the surface along its normal by about a
// shadow texel (`texel`, metres), more at grazing light where a texel spans more depth. This removes
// acne without the large constant bias that detaches shadows from their casters (peter-panning); the
// depth passes add a small slope-scaled bias too. `l` points to the light.
vec3 shadowLookupPosition(vec3 l, float texel) {
    vec3 geometric = normalize(inNormal);
    if (dot(geometric, l) < 0.0) geometric = -geometric;  // double-sided surfaces lit from behind
    float nDotL = clamp(dot(geometric, l), 0.0, 1.0);
    return inWorldPosition + geometric * texel * (0.75 + 1.5 * sqrt(1.0 - nDotL * nDotL));
}

// Percentage-closer filtering of one layer at uvz (uv, depth). Low: one tap, a 2x2 hardware-filtered
// comparison; High: 3x3 such taps `spacing` uv apart (a texel: a penumbra about four texels wide).
// Outside the map: lit.
float filteredShadow(sampler2DArrayShadow map, vec3 uvz, float layer, float spacing, uint quality) {
    if (any(lessThan(uvz, vec3(0.0))) || any(greaterThan(uvz, vec3(1.0)))) return 1.0;
    if (quality == VT_QUALITY_LOW) return texture(map, vec4(uvz.xy, layer, uvz.z));
    float lit = 0.0;
    for (int y = -1; y <= 1; ++y)
        for (int x = -1; x <= 1; ++x)
            lit += texture(map, vec4(uvz.xy + vec2(x, y) * spacing, layer, uvz.z));
    return lit / 9.0;
}

// The fraction of a spot light's light that reaches this point (1 = unshadowed). `l` points to the
// light, `distance` is the distance to it. The cone is fixed, so a shadow texel's world size depends
// only on the distance to the light.
float spotShadow(GpuSpotLight spot, vec3 l, float distance) {
    if (spot.shadow.x < 0.0 || frame.quality.x == VT_QUALITY_OFF) return 1.0;
    int layer = int(spot.shadow.x + 0.5);
    vec4 s = frame.shadowFromWorld[layer] * vec4(shadowLookupPosition(l, spot.shadow.y * distance), 1.0);
    return filteredShadow(spotShadowMaps, s.xyz / s.w, float(layer), frame.params.w, frame.quality.x);
}

// The fraction of the key light that reaches this point: an orthographic map, so one texel size.
// Its taps are two texels apart: the key light stands in for broad ceiling light, so its shadows are
// softer than a spot's.
float keyShadow(vec3 l) {
    if (frame.keyShadow.x <= 0.0 || frame.quality.y == VT_QUALITY_OFF) return 1.0;
    vec3 uvz = (frame.keyShadowFromWorld * vec4(shadowLookupPosition(l, frame.keyShadow.y), 1.0)).xyz;
    return filteredShadow(keyShadowMap, uvz, 0.0, 2.0 * frame.keyShadow.z, frame.quality.y);
}

// Contact shadow toward a light (`l` points to it): a short march from the surface toward the light
// in world space, each step projected into this view and compared with the depth prepass. A step
// behind a nearer surface, by less than the march's length, is blocked: that catches the contact the
// shadow maps' texels and bias lose, where an object meets its plinth. The march is a fixed fraction
// of the view distance, so it covers a few pixels' worth at any scale; a blocker near the start
// darkens fully, one near the end hardly (a soft edge).
const float kContactFraction = 0.03;  // march length per metre of view distance
float contactShadow(vec3 l) {
    // Blended surfaces are not in the prepass: their march would meet what lies behind them.
    if (frame.quality.z == VT_QUALITY_OFF || material.flags.x == VT_ALPHA_BLEND) return 1.0;
    int steps = frame.quality.z == VT_QUALITY_LOW ? 8 : 16;
    GpuView view = frame.views[gl_ViewIndex];
    float viewDistance = distance(view.position.xyz, inWorldPosition);
    float marchLength = kContactFraction * viewDistance;
    vec3 geometric = normalize(inNormal);
    if (dot(geometric, l) < 0.0) geometric = -geometric;
    // Start just off the surface; jitter the steps per pixel (interleaved gradient noise) so the
    // steps' banding becomes fine noise that the resolve smooths.
    vec3 start = inWorldPosition + geometric * (0.002 * viewDistance);
    float jitter = fract(52.9829189 * fract(dot(gl_FragCoord.xy, vec2(0.06711056, 0.00583715))));
    float bias = 0.004 * viewDistance;
    for (int i = 0; i < steps; ++i) {
        float t = (float(i) + jitter) / float(steps);
        vec4 clip = view.clipFromWorld * vec4(start + l * (t * marchLength), 1.0);
        if (clip.w <= 0.0) break;
        vec2 uv = clip.xy / clip.w * 0.5 + 0.5;
        if (any(lessThan(uv, vec2(0.0))) || any(greaterThan(uv, vec2(1.0)))) break;
        float depth = textureLod(sceneDepth, vec3(uv, float(gl_ViewIndex)), 0.0).r;
        if (depth <= 0.0) continue;  // nothing drawn there
        // Perspective clip w is the view depth; the prepass stores near / view depth.
        float behind = clip.w - view.position.w / depth;
        if (behind > bias && behind < marchLength) return t;
    }
    return 1.0;
}

// Without texture coordinates every fragment samples one texel; sample level 0 explicitly, since
// implicit LOD from zero derivatives is log2(0) (lavapipe returns garbage for it).
vec4 sampleMaterial(sampler2D map) {
    return push.drawFlags.x != 0u ? texture(map, inTexcoord) : textureLod(map, inTexcoord, 0.0);
}

void main() {
    vec4 baseColor = material.baseColorFactor * sampleMaterial(baseColorTexture) * inColor;
    if (material.flags.x == VT_ALPHA_MASK && baseColor.a < material.emissiveAlphaCutoff.w) discard;
    if (material.flags.x == VT_ALPHA_OPAQUE) baseColor.a = 1.0;

    vec4 mr = sampleMaterial(metallicRoughnessTexture);
    float metallic = clamp(material.surface.x * mr.b, 0.0, 1.0);
    float perceptualRoughness = clamp(material.surface.y * mr.g, 0.045, 1.0);
    float alpha = perceptualRoughness * perceptualRoughness;

    vec3 n = normalize(inNormal);
    if (material.flags.z != 0u && !gl_FrontFacing) n = -n;
    if (material.flags.y != 0u) {
        vec3 tangentNormal = sampleMaterial(normalTexture).xyz * 2.0 - 1.0;
        // Two-channel (BC5) normal maps store X and Y only; Z is the positive root.
        if (material.flags.w != 0u)
            tangentNormal.z = sqrt(clamp(1.0 - dot(tangentNormal.xy, tangentNormal.xy), 0.0, 1.0));
        tangentNormal.xy *= material.surface.z;
        mat3 tbn;
        bool haveFrame = true;
        if (inTangent.w != 0.0) {
            vec3 t = normalize(inTangent.xyz - n * dot(n, inTangent.xyz));
            tbn = mat3(t, cross(n, t) * inTangent.w, n);
        } else {
            haveFrame = derivativeFrame(n, inWorldPosition, inTexcoord, tbn);
        }
        if (haveFrame) {
            vec3 mapped = tbn * tangentNormal;
            if (dot(mapped, mapped) > 1e-12) n = normalize(mapped);
        }
    }

    vec3 v = normalize(frame.views[gl_ViewIndex].position.xyz - inWorldPosition);
    vec3 diffuseColor = baseColor.rgb * (1.0 - metallic);
    vec3 f0 = mix(vec3(0.04), baseColor.rgb, metallic);

    // Direct light: the key light and the spot lights.
    vec3 color = brdf(n, v, frame.sunDirection.xyz, diffuseColor, f0, alpha) * frame.sunColor.rgb;
    // Contact shadows only where the maps left light to take away (the march is the dearest lookup).
    if (dot(frame.sunColor.rgb, frame.sunColor.rgb) > 0.0 && dot(n, frame.sunDirection.xyz) > 0.0) {
        float keyLit = keyShadow(frame.sunDirection.xyz);
        if (keyLit > 0.0) keyLit = min(keyLit, contactShadow(frame.sunDirection.xyz));
        color *= keyLit;
    }
    for (uint i = 0u; i < frame.counts.x; ++i) {
        GpuSpotLight spot = frame.spots[i];
        vec3 toLight = spot.positionRange.xyz - inWorldPosition;
        float distance2 = max(dot(toLight, toLight), 1e-6);
        vec3 l = toLight * inversesqrt(distance2);
        float range = spot.positionRange.w;
        // Inverse square, windowed so the light reaches exactly zero at its range (as glTF's punctual lights).
        float window = clamp(1.0 - pow(distance2 / (range * range), 2.0), 0.0, 1.0);
        float cone = smoothstep(spot.directionCosOuter.w, spot.colorCosInner.w, dot(-l, spot.directionCosOuter.xyz));
        float attenuation = window * window * cone / distance2;
        // Contact shadows for the shadowed spots only (at most VT_MAX_SHADOWED_SPOTS marches per pixel).
        if (attenuation > 0.0) attenuation *= spotShadow(spot, l, sqrt(distance2));
        if (attenuation > 0.0 && spot.shadow.x >= 0.0 && dot(n, l) > 0.0) attenuation *= contactShadow(l);
        if (attenuation > 0.0) color += brdf(n, v, l, diffuseColor, f0, alpha) * spot.colorCosInner.rgb * attenuation;
    }

    // Image-based ambient light, darkened by the occlusion map.
    float nDotV = clamp(abs(dot(n, v)), 1e-4, 1.0);
    vec2 envBrdf = environmentBrdf(nDotV, perceptualRoughness);
    vec3 specularColor = f0 * envBrdf.x + envBrdf.y;
    vec3 reflected = reflect(-v, n);
    float mip = perceptualRoughness * (frame.params.y - 1.0);
    vec3 ambient = diffuseColor * shIrradiance(n) + specularColor * textureLod(environmentMap, reflected, mip).rgb;
    float occlusion = mix(1.0, sampleMaterial(occlusionTexture).r, material.surface.w);
    color += ambient * occlusion * frame.params.z;

    vec4 emissive = sampleMaterial(emissiveTexture);
    color += material.emissiveAlphaCutoff.rgb * emissive.rgb;

    color *= frame.params.x;
    color = frame.counts.y == VT_TONEMAP_ACES ? toneMapAces(color) : toneMapPbrNeutral(color);
    // Premultiplied alpha for blended materials (the blend state is ONE, ONE_MINUS_SRC_ALPHA).
    outColor = vec4(color * baseColor.a, baseColor.a);
}
