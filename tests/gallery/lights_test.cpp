// The gallery's spot lights: each artifact's light aims at its object and covers it; the per-frame
// choice keeps the lights that matter to the views (in view, near the eye) within the renderer's limit.
#include <cmath>

#include <gtest/gtest.h>

#include <glm/gtc/matrix_transform.hpp>

#include "gallery/lights.h"
#include "scene/camera.h"

namespace vt::gallery {
namespace {

scene::View lookAt(glm::vec3 eye, glm::vec3 target) {
    scene::View view;
    view.viewFromWorld = glm::lookAt(eye, target, glm::vec3(0, 1, 0));
    view.clipFromView = scene::perspectiveReversedZ(glm::radians(60.0f), 1.0f, 0.05f);
    view.position = eye;
    return view;
}

scene::SpotLight downlight(glm::vec3 floorPoint) {
    exhibit::SpotLight light;
    light.position = floorPoint + glm::vec3(0, 3.5f, 0);
    light.target = floorPoint;
    light.coneDegrees = 15.0f;
    return toSpotLight(light);
}

TEST(Lights, ArtifactLightAimsAtTheObjectAndCoversIt) {
    exhibit::Artifact artifact;
    artifact.positionXZ = {2, 3};
    artifact.rotationDegrees = {0, 90, 0};  // faces +x
    const Bounds object{{1.8f, 1.0f, 2.8f}, {2.2f, 1.6f, 3.2f}};
    const auto spot = artifactSpotLight(artifact, object, 4.0f);
    ASSERT_TRUE(spot);
    EXPECT_GT(spot->position.x, 2.5f) << "in front of the object (its front is +x)";
    EXPECT_GT(spot->position.y, object.max.y) << "above it";
    EXPECT_LT(spot->position.y, 4.0f) << "below the ceiling";
    const glm::vec3 toCenter = glm::normalize(object.center() - spot->position);
    EXPECT_GT(glm::dot(toCenter, spot->direction), 0.9999f);
    // Every corner of the object within the full-intensity cone.
    for (int corner = 0; corner < 8; ++corner) {
        const glm::vec3 p{corner & 1 ? object.max.x : object.min.x, corner & 2 ? object.max.y : object.min.y,
                          corner & 4 ? object.max.z : object.min.z};
        const float angle = std::acos(std::clamp(glm::dot(glm::normalize(p - spot->position), spot->direction), -1.0f, 1.0f));
        EXPECT_LE(angle, spot->innerConeRadians + 1e-4f) << "corner " << corner;
    }
    EXPECT_GT(spot->range, glm::distance(spot->position, object.center()));
    // Explicit position, and "light": false.
    artifact.light.position = glm::vec3(0, 3, 0);
    EXPECT_EQ(artifactSpotLight(artifact, object, 4.0f)->position, glm::vec3(0, 3, 0));
    artifact.light.enabled = false;
    EXPECT_FALSE(artifactSpotLight(artifact, object, 4.0f));
}

TEST(Lights, LitSpotIsWhereTheConeMeetsTheFloor) {
    const LitSpot lit = litSpot(downlight({5, 0, 5}));
    EXPECT_NEAR(glm::distance(lit.center, glm::vec3(5, 0, 5)), 0.0f, 1e-4f);
    EXPECT_NEAR(lit.radius, 3.5f * std::tan(glm::radians(25.0f)), 1e-3f);
}

TEST(Lights, KeepsEverythingUnderTheLimit) {
    std::vector<scene::SpotLight> spots{downlight({1, 0, 1}), downlight({30, 0, 1})};
    const scene::View view = lookAt({0, 1.6f, 5}, {0, 1, 0});
    EXPECT_EQ(selectSpotLights(spots, std::span(&view, 1), 8), (std::vector<uint32_t>{0, 1}));
}

TEST(Lights, PrefersLightsInViewThenNearest) {
    // A row of 20 lights along x at z = 0; the eye at x = 0 looks down +x along the row... and a few
    // lights right behind the eye.
    std::vector<scene::SpotLight> spots;
    for (int i = 0; i < 20; ++i) spots.push_back(downlight({float(i) * 2.0f + 2.0f, 0, 0}));  // x = 2..40, ahead
    spots.push_back(downlight({-1.5f, 0, 0}));                                               // 20: just behind
    spots.push_back(downlight({-30, 0, 0}));                                                 // 21: far behind
    const scene::View view = lookAt({0, 1.6f, 0}, {10, 1.0f, 0});
    const uint32_t limit = maxSpotLightsPerFrame();
    const std::vector<uint32_t> chosen = selectSpotLights(spots, std::span(&view, 1), limit);
    ASSERT_EQ(chosen.size(), limit);
    EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
    // The nearest lights ahead, in order; neither light behind the eye.
    for (uint32_t i = 0; i < limit; ++i) EXPECT_EQ(chosen[i], i);
    // Turned around: the light just behind comes first, then the nearest ahead ones fill up, and the far
    // one behind (in view now) beats far ones ahead.
    const scene::View back = lookAt({0, 1.6f, 0}, {-10, 1.0f, 0});
    const std::vector<uint32_t> turned = selectSpotLights(spots, std::span(&back, 1), 2);
    EXPECT_EQ(turned, (std::vector<uint32_t>{20, 21}));
    // Two eyes: the union of what either sees matters.
    const std::array<scene::View, 2> eyes{view, back};
    const std::vector<uint32_t> both = selectSpotLights(spots, eyes, 3);
    EXPECT_EQ(both, (std::vector<uint32_t>{0, 1, 20}));
}

}  // namespace
}  // namespace vt::gallery
