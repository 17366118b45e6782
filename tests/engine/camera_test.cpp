#include <cmath>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "scene/camera.h"

namespace vt::scene {
namespace {

glm::vec3 project(const glm::mat4& clipFromView, const glm::vec3& viewPoint) {
    const glm::vec4 clip = clipFromView * glm::vec4(viewPoint, 1.0f);
    return glm::vec3(clip) / clip.w;
}

TEST(Projection, ReversedZMapsNearToOneAndFarTowardZero) {
    const glm::mat4 proj = perspectiveReversedZ(glm::radians(60.0f), 1.5f, 0.1f);
    EXPECT_NEAR(project(proj, {0, 0, -0.1f}).z, 1.0f, 1e-6f);
    EXPECT_NEAR(project(proj, {0, 0, -1.0f}).z, 0.1f, 1e-6f);
    EXPECT_LT(project(proj, {0, 0, -1e6f}).z, 1e-6f);
    EXPECT_GT(project(proj, {0, 0, -1e6f}).z, 0.0f);
    // Depth decreases monotonically with distance.
    EXPECT_GT(project(proj, {0, 0, -2.0f}).z, project(proj, {0, 0, -3.0f}).z);
}

TEST(Projection, VulkanYPointsDownAndFovEdgesMapToOne) {
    const float fovY = glm::radians(60.0f), aspect = 2.0f;
    const glm::mat4 proj = perspectiveReversedZ(fovY, aspect, 0.1f);
    const float t = std::tan(fovY / 2);
    // A point at the top edge of the field of view lands on y = -1 (Vulkan's top).
    EXPECT_NEAR(project(proj, {0, t * 5.0f, -5.0f}).y, -1.0f, 1e-5f);
    EXPECT_NEAR(project(proj, {t * aspect * 5.0f, 0, -5.0f}).x, 1.0f, 1e-5f);
}

TEST(Projection, AsymmetricFrustumMatchesAngles) {
    const glm::mat4 proj = perspectiveReversedZ(-0.8f, 0.6f, 0.7f, -0.9f, 0.05f);
    EXPECT_NEAR(project(proj, {std::tan(-0.8f), 0, -1}).x, -1.0f, 1e-5f);
    EXPECT_NEAR(project(proj, {std::tan(0.6f), 0, -1}).x, 1.0f, 1e-5f);
    EXPECT_NEAR(project(proj, {0, std::tan(0.7f), -1}).y, -1.0f, 1e-5f);
    EXPECT_NEAR(project(proj, {0, std::tan(-0.9f), -1}).y, 1.0f, 1e-5f);
}

TEST(Framing, BoundingSphereFitsInsideTheView) {
    const Bounds bounds{{-1, 0, -0.5f}, {3, 2, 0.5f}};
    for (float yaw : {0.0f, 35.0f, 90.0f, 200.0f}) {
        const float fovY = glm::radians(35.0f), aspect = 0.5f;
        const View view = orbitView(frameBounds(bounds, fovY, aspect, yaw, 20.0f), fovY, aspect);
        // Every corner of the box projects inside clip space and in front of the camera.
        for (int corner = 0; corner < 8; ++corner) {
            const glm::vec3 p{corner & 1 ? bounds.max.x : bounds.min.x, corner & 2 ? bounds.max.y : bounds.min.y,
                              corner & 4 ? bounds.max.z : bounds.min.z};
            const glm::vec4 clip = view.clipFromWorld() * glm::vec4(p, 1.0f);
            ASSERT_GT(clip.w, 0.0f);
            EXPECT_LE(std::abs(clip.x / clip.w), 1.0f) << "yaw " << yaw << " corner " << corner;
            EXPECT_LE(std::abs(clip.y / clip.w), 1.0f) << "yaw " << yaw << " corner " << corner;
        }
        // And the centre lands in the middle.
        const glm::vec4 c = view.clipFromWorld() * glm::vec4(bounds.center(), 1.0f);
        EXPECT_NEAR(c.x / c.w, 0.0f, 1e-4f);
        EXPECT_NEAR(c.y / c.w, 0.0f, 1e-4f);
    }
}

TEST(Framing, YawZeroLooksFromFrontAndPositiveYawMovesRight) {
    const Bounds bounds{{-1, -1, -1}, {1, 1, 1}};
    const View front = orbitView(frameBounds(bounds, 1.0f, 1.0f, 0.0f, 0.0f), 1.0f, 1.0f);
    EXPECT_GT(front.position.z, 1.0f);
    EXPECT_NEAR(front.position.x, 0.0f, 1e-5f);
    const View right = orbitView(frameBounds(bounds, 1.0f, 1.0f, 90.0f, 0.0f), 1.0f, 1.0f);
    EXPECT_GT(right.position.x, 1.0f);
    const View top = orbitView(frameBounds(bounds, 1.0f, 1.0f, 0.0f, 90.0f), 1.0f, 1.0f);
    EXPECT_GT(top.position.y, 1.0f);
    EXPECT_FALSE(std::isnan(top.viewFromWorld[0][0]));
}

TEST(Stereo, EyesAreSeparatedByIpdAlongTheRightAxis) {
    const Bounds bounds{{-1, -1, -1}, {1, 1, 1}};
    const View center = orbitView(frameBounds(bounds, 1.0f, 1.0f, 30.0f, 10.0f), 1.0f, 1.0f);
    const auto eyes = stereoPair(center, 0.064f);
    EXPECT_NEAR(glm::distance(eyes[0].position, eyes[1].position), 0.064f, 1e-5f);
    // The left eye sees the centre point to the right of where the right eye sees it.
    const glm::vec4 left = eyes[0].clipFromWorld() * glm::vec4(bounds.center(), 1.0f);
    const glm::vec4 right = eyes[1].clipFromWorld() * glm::vec4(bounds.center(), 1.0f);
    EXPECT_GT(left.x / left.w, right.x / right.w);
    // Each eye's viewFromWorld really maps its own position to the view-space origin.
    for (const View& eye : eyes) {
        const glm::vec4 origin = eye.viewFromWorld * glm::vec4(eye.position, 1.0f);
        EXPECT_NEAR(glm::length(glm::vec3(origin)), 0.0f, 1e-4f);
    }
}

}  // namespace
}  // namespace vt::scene
