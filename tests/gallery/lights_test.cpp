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
    // A row of 20 lights 1 m apart ahead of the eye along +x, one just behind it and one far behind.
    std::vector<scene::SpotLight> spots;
    for (int i = 0; i < 20; ++i) spots.push_back(downlight({float(i) + 2.0f, 0, 0}));  // x = 2..21
    spots.push_back(downlight({-3.5f, 0, 0}));                                               // 20
    spots.push_back(downlight({-30, 0, 0}));                                                 // 21
    const scene::View view = lookAt({0, 1.6f, 0}, {10, 1.0f, 0});
    const uint32_t limit = maxSpotLightsPerFrame();
    ASSERT_LT(limit, 20u);
    const std::vector<uint32_t> chosen = selectSpotLights(spots, std::span(&view, 1), limit);
    ASSERT_EQ(chosen.size(), limit);
    EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
    // The nearest lights ahead; neither light behind the eye, though one is nearer than most.
    for (uint32_t i = 0; i < limit; ++i) EXPECT_EQ(chosen[i], i);
    // Turned around: the light just behind is in view now and beats the one at x = 2 (now behind).
    const scene::View back = lookAt({0, 1.6f, 0}, {-10, 1.0f, 0});
    EXPECT_EQ(selectSpotLights(spots, std::span(&back, 1), 1), (std::vector<uint32_t>{20}));
    // Two eyes looking both ways: what either sees counts.
    const std::array<scene::View, 2> eyes{view, back};
    EXPECT_EQ(selectSpotLights(spots, eyes, 3), (std::vector<uint32_t>{0, 1, 20}));
}

TEST(Lights, LightsNearTheCutFadeInsteadOfPopping) {
    const scene::View view = lookAt({0, 1.6f, 0}, {10, 1.0f, 0});
    // Nothing left out: full intensity.
    const std::vector<scene::SpotLight> two{downlight({5, 0, 0}), downlight({5.4f, 0, 0})};
    for (const SelectedSpot& s : chooseSpotLights(two, std::span(&view, 1), 2)) EXPECT_EQ(s.fade, 1.0f);
    // One kept of two at almost the same distance: it is dimmed, in proportion to its lead.
    const auto close = chooseSpotLights(two, std::span(&view, 1), 1);
    ASSERT_EQ(close.size(), 1u);
    EXPECT_EQ(close[0].index, 0u);
    EXPECT_GT(close[0].fade, 0.1f);
    EXPECT_LT(close[0].fade, 0.9f);
    // Far ahead of the next one: full intensity.
    const std::vector<scene::SpotLight> apart{downlight({5, 0, 0}), downlight({9, 0, 0})};
    EXPECT_EQ(chooseSpotLights(apart, std::span(&view, 1), 1)[0].fade, 1.0f);
    // Walking past the midpoint of two lights swaps them without a jump: the kept light's fade goes
    // to zero as the eye reaches the point where the other takes over.
    const std::vector<scene::SpotLight> pair{downlight({-3, 0, 4}), downlight({3, 0, 4})};
    float previous = -1.0f;
    for (float x = -2.0f; x <= -0.05f; x += 0.25f) {
        const scene::View walking = lookAt({x, 1.6f, 0}, {x, 1.0f, 10});
        const auto kept = chooseSpotLights(pair, std::span(&walking, 1), 1);
        ASSERT_EQ(kept[0].index, 0u) << x;
        if (previous >= 0.0f) {
            EXPECT_LE(kept[0].fade, previous + 1e-5f) << x;
        }
        previous = kept[0].fade;
    }
    const scene::View midpoint = lookAt({-0.02f, 1.6f, 0}, {-0.02f, 1.0f, 10});
    EXPECT_LT(chooseSpotLights(pair, std::span(&midpoint, 1), 1)[0].fade, 0.05f);
}

}  // namespace
}  // namespace vt::gallery
