// The key light's shadow map fit (render::fitKeyShadow): a fixed texel size and whole-texel origin
// moves, so shadows do not shimmer as the eyes move; one fixed map while the room fits, so the cache
// holds for a walking visitor.
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "render/shadows.h"

namespace vt::render {
namespace {

const glm::vec3 kDirection = glm::normalize(glm::vec3(0.25f, -1.0f, -0.35f));

scene::View eye(glm::vec3 position, float yawRadians, float pitchRadians) {
    scene::View view;
    view.position = position;
    const glm::vec3 forward(std::sin(yawRadians) * std::cos(pitchRadians), std::sin(pitchRadians),
                            -std::cos(yawRadians) * std::cos(pitchRadians));
    view.viewFromWorld = glm::lookAtRH(position, position + forward, glm::vec3(0, 1, 0));
    view.clipFromView = scene::perspectiveReversedZ(glm::radians(60.0f), 16.0f / 9.0f, 0.05f);
    return view;
}

// Where a fixed world point lands in the map, in texels.
glm::vec2 texelOf(const KeyShadowFit& fit, glm::vec3 world) {
    const glm::vec4 clip = fit.clipFromWorld * glm::vec4(world, 1.0f);
    return (glm::vec2(clip) * 0.5f + 0.5f) * float(kKeyShadowMapSize);
}

TEST(KeyShadowFit, EmptyRegionCastsNothing) {
    const scene::View view = eye({1, 1.6f, 1}, 0, 0);
    EXPECT_FALSE(fitKeyShadow(kDirection, Bounds{}, std::span(&view, 1)).valid);
}

TEST(KeyShadowFit, ARoomKeepsOneMapWhereverTheEyeIs) {
    const Bounds room{{-0.05f, -0.1f, -0.05f}, {7.05f, 3.98f, 6.05f}};
    const scene::View first = eye({1.0f, 1.6f, 1.0f}, 0.3f, -0.1f);
    const KeyShadowFit reference = fitKeyShadow(kDirection, room, std::span(&first, 1));
    ASSERT_TRUE(reference.valid);
    EXPECT_LT(reference.texelMetres, 0.006f) << "a room-sized map: millimetre texels";
    // Every corner of the room is in the map, between its depth planes.
    for (int corner = 0; corner < 8; ++corner) {
        const glm::vec3 p{corner & 1 ? room.max.x : room.min.x, corner & 2 ? room.max.y : room.min.y,
                          corner & 4 ? room.max.z : room.min.z};
        const glm::vec4 clip = reference.clipFromWorld * glm::vec4(p, 1.0f);
        EXPECT_TRUE(std::abs(clip.x) <= 1.0f && std::abs(clip.y) <= 1.0f && clip.z >= 0.0f && clip.z <= 1.0f)
            << "corner " << corner;
    }
    // Walking and looking around (and stereo) changes nothing: the map stays cached.
    for (int step = 0; step < 50; ++step) {
        const scene::View view = eye({0.5f + 0.12f * step, 1.6f, 5.5f - 0.1f * step}, 0.2f * step, 0.01f * step);
        const KeyShadowFit fit = fitKeyShadow(kDirection, room, std::span(&view, 1));
        EXPECT_EQ(fit.clipFromWorld, reference.clipFromWorld) << "step " << step;
        const std::array<scene::View, 2> eyes = scene::stereoPair(view, 0.064f);
        EXPECT_EQ(fitKeyShadow(kDirection, room, eyes).clipFromWorld, reference.clipFromWorld) << "stereo step " << step;
    }
}

TEST(KeyShadowFit, AHallFollowsTheEyeInWholeTexels) {
    const Bounds hall{{-40.0f, -0.1f, -40.0f}, {40.0f, 5.0f, 40.0f}};
    const scene::View first = eye({0.0f, 1.6f, 0.0f}, 0.0f, 0.0f);
    const KeyShadowFit reference = fitKeyShadow(kDirection, hall, std::span(&first, 1));
    ASSERT_TRUE(reference.valid);
    EXPECT_LT(reference.texelMetres * kKeyShadowMapSize, 80.0f) << "the eyes' sphere, not the whole hall";
    const glm::vec3 marker(3.0f, 0.0f, -2.0f);
    const glm::vec2 referenceTexel = texelOf(reference, marker);
    bool moved = false;
    // Small steps and turns: the texel size never changes and a fixed point's position in the map
    // moves by whole texels only (its fraction stays), which is what keeps edges from crawling.
    for (int step = 1; step < 200; ++step) {
        const scene::View view = eye({0.0137f * step, 1.6f, -0.0091f * step}, 0.013f * step, -0.002f * step);
        const KeyShadowFit fit = fitKeyShadow(kDirection, hall, std::span(&view, 1));
        ASSERT_TRUE(fit.valid);
        EXPECT_EQ(fit.texelMetres, reference.texelMetres) << "step " << step;
        const glm::vec2 shift = texelOf(fit, marker) - referenceTexel;
        EXPECT_NEAR(shift.x, std::round(shift.x), 0.02f) << "step " << step;
        EXPECT_NEAR(shift.y, std::round(shift.y), 0.02f) << "step " << step;
        moved = moved || glm::length(shift) > 0.5f;
    }
    EXPECT_TRUE(moved) << "the map follows the eye through a large hall";
}

}  // namespace
}  // namespace vt::render
