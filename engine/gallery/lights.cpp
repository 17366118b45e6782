#include "gallery/lights.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <glm/gtc/matrix_transform.hpp>

#include "shaders/shared/frame_data.h"

namespace vt::gallery {
namespace {

constexpr float kFadeDegrees = 10.0f;        // a cone fades to zero over this many degrees beyond coneDegrees
constexpr float kConeMarginFactor = 1.15f;   // an automatic cone is this much wider than the object
constexpr float kOutOfViewMetresPerMetre = 10.0f;  // score penalty per metre a lit spot lies outside the view
constexpr float kFadeMetres = 1.0f;                // score lead over the first light left out for full intensity

}  // namespace

uint32_t maxSpotLightsPerFrame() { return VT_MAX_SPOT_LIGHTS; }

scene::SpotLight toSpotLight(const exhibit::SpotLight& light) {
    scene::SpotLight spot;
    spot.position = light.position;
    const glm::vec3 aim = light.target - light.position;
    spot.direction = glm::length(aim) > 1e-6f ? glm::normalize(aim) : glm::vec3(0, -1, 0);
    spot.color = light.color;
    spot.intensity = light.intensity;
    spot.range = light.range;
    spot.innerConeRadians = glm::radians(std::clamp(light.coneDegrees, 0.5f, 80.0f));
    spot.outerConeRadians = glm::radians(std::clamp(light.coneDegrees + kFadeDegrees, 1.0f, 89.0f));
    return spot;
}

std::optional<scene::SpotLight> artifactSpotLight(const exhibit::Artifact& artifact, const Bounds& objectWorldBounds,
                                                  float ceilingY) {
    const exhibit::ArtifactLight& light = artifact.light;
    if (!light.enabled) return std::nullopt;
    const glm::vec3 center = objectWorldBounds.center();
    const float radius = std::max(objectWorldBounds.radius(), 0.05f);
    glm::vec3 position;
    if (light.position) {
        position = *light.position;
    } else {
        // From the object's front (its +Z after the placement's yaw), 50 degrees up, far enough that
        // the cone is a comfortable size; never above the ceiling.
        const float yaw = glm::radians(artifact.rotationDegrees.y);
        const glm::vec3 front{std::sin(yaw), 0.0f, std::cos(yaw)};
        const float distance = std::max(1.5f, 3.0f * radius);
        const float elevation = glm::radians(50.0f);
        position = center + front * (distance * std::cos(elevation)) + glm::vec3(0, distance * std::sin(elevation), 0);
        position.y = std::min(position.y, ceilingY - 0.05f);
    }
    scene::SpotLight spot;
    spot.position = position;
    const glm::vec3 aim = center - position;
    const float distance = std::max(glm::length(aim), 1e-3f);
    spot.direction = aim / distance;
    spot.color = light.color;
    spot.intensity = light.intensity;
    spot.range = std::max(light.range, distance * 1.5f);
    const float coneDegrees = light.coneDegrees > 0.0f
                                  ? light.coneDegrees
                                  : glm::degrees(std::atan(radius * kConeMarginFactor / distance));
    spot.innerConeRadians = glm::radians(std::clamp(coneDegrees, 0.5f, 80.0f));
    spot.outerConeRadians = glm::radians(std::clamp(coneDegrees + kFadeDegrees, 1.0f, 89.0f));
    return spot;
}

LitSpot litSpot(const scene::SpotLight& light) {
    const glm::vec3 direction = glm::normalize(light.direction);
    float reach = light.range;
    if (direction.y < -1e-4f && light.position.y > 0.0f) reach = std::min(reach, light.position.y / -direction.y);
    reach = std::max(reach, 0.0f);
    return {light.position + direction * reach, reach * std::tan(std::min(light.outerConeRadians, 1.4f))};
}

namespace {

// How far (metres) a sphere is outside the view's frustum: 0 when it touches it. Side planes and the
// near side; the far plane is at infinity.
float distanceOutsideView(const scene::View& view, glm::vec3 center, float radius) {
    const glm::mat4 m = glm::transpose(view.clipFromWorld());  // rows of clipFromWorld as columns
    const glm::vec4 row0 = m[0], row1 = m[1], row3 = m[3];
    const glm::vec4 planes[5] = {row3 + row0, row3 - row0, row3 + row1, row3 - row1, row3};
    float outside = 0.0f;
    for (const glm::vec4& plane : planes) {
        const float length = glm::length(glm::vec3(plane));
        if (length <= 0.0f) continue;
        outside = std::max(outside, -(glm::dot(glm::vec3(plane), center) + plane.w) / length - radius);
    }
    return outside;
}

}  // namespace

std::vector<SelectedSpot> chooseSpotLights(std::span<const scene::SpotLight> spots, std::span<const scene::View> views,
                                           uint32_t maxCount) {
    std::vector<float> score(spots.size(), 0.0f);
    for (size_t i = 0; i < spots.size() && !views.empty(); ++i) {
        const LitSpot lit = litSpot(spots[i]);
        float best = std::numeric_limits<float>::max();
        for (const scene::View& view : views) {
            const float distance = std::max(glm::length(lit.center - view.position) - lit.radius, 0.0f);
            best = std::min(best, distance + kOutOfViewMetresPerMetre * distanceOutsideView(view, lit.center, lit.radius));
        }
        score[i] = best;
    }
    std::vector<uint32_t> order(spots.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return score[a] < score[b]; });
    // The kept lights nearest the cut fade with their lead over the first light left out, so a light
    // swapped for another has faded to nothing first (scores change continuously as the eye moves).
    const bool cut = order.size() > maxCount;
    const float cutScore = cut ? score[order[maxCount]] : 0.0f;
    if (cut) order.resize(maxCount);
    std::sort(order.begin(), order.end());
    std::vector<SelectedSpot> chosen;
    for (uint32_t index : order)
        chosen.push_back({index, cut ? std::clamp((cutScore - score[index]) / kFadeMetres, 0.0f, 1.0f) : 1.0f});
    return chosen;
}

std::vector<uint32_t> selectSpotLights(std::span<const scene::SpotLight> spots, std::span<const scene::View> views,
                                       uint32_t maxCount) {
    std::vector<uint32_t> indices;
    for (const SelectedSpot& spot : chooseSpotLights(spots, views, maxCount)) indices.push_back(spot.index);
    return indices;
}

}  // namespace vt::gallery
