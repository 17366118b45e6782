// Camera controllers: walking with collision against a real exhibit's walls and plinths, inspect
// orbit/zoom/pan, and the tour's eased moves.
#include <gtest/gtest.h>

#include <cmath>

#include "exhibit/exhibit.h"
#include "gallery/collision.h"
#include "viewer/camera_control.h"

namespace vt::viewer {
namespace {

// One 6 x 4 m room with a 0.6 m plinth at (3, 2).
exhibit::Exhibit room() {
    const char* json = R"({"format": "vitrine-exhibit", "version": 1, "id": "t",
        "rooms": [{"id": "r", "floor": [[0, 0], [6, 0], [6, 4], [0, 4]]}],
        "artifacts": [{"id": "a", "pack": "a.vpk", "position": [3, 2]}]})";
    auto parsed = exhibit::parseExhibit(json, "t.json");
    EXPECT_EQ(parsed.errorCount(), 0u);
    return parsed.exhibit;
}

TEST(WalkCamera, WalksForwardAtEyeHeightAndTurnsWithTheMouse) {
    WalkCamera walk;
    walk.setEyeHeight(1.5f);
    walk.setPose({{1, 1.7f, 1}, {1, 1.7f, 0}});  // facing -Z
    EXPECT_NEAR(walk.yawDegrees(), 0.0f, 1e-4f);
    EXPECT_FLOAT_EQ(walk.position().y, 1.5f);
    walk.move({0, 1}, 1.0f, false, nullptr);
    EXPECT_NEAR(walk.position().z, 1.0f - WalkCamera::kWalkSpeed, 1e-4f);
    EXPECT_NEAR(walk.position().x, 1.0f, 1e-4f);
    walk.look({600, 0}, {0.15f, false});  // 90 degrees to the right: now facing +X
    EXPECT_NEAR(walk.forward().x, 1.0f, 1e-4f);
    walk.look({0, -100}, {0.15f, false});  // mouse up looks up
    EXPECT_GT(walk.forward().y, 0.2f);
    walk.look({0, -100}, {0.15f, true});   // inverted: mouse up looks down again
    EXPECT_NEAR(walk.forward().y, 0.0f, 1e-4f);
    walk.look({0, -10000}, {0.15f, false});
    EXPECT_NEAR(walk.pitchDegrees(), WalkCamera::kMaxPitchDegrees, 1e-4f);
}

TEST(WalkCamera, StopsAtWallsAndPlinths) {
    const exhibit::Exhibit e = room();
    const gallery::Collision collision = gallery::Collision::build(e);
    auto resolve = [&](glm::vec2 from, glm::vec2 to, float radius) { return collision.resolveMove(from, to, radius); };
    WalkCamera walk;
    walk.setPose({{1, 1.6f, 2}, {0, 1.6f, 2}});  // facing the west wall (x = 0)
    for (int i = 0; i < 100; ++i) walk.move({0, 1}, 0.1f, true, resolve);
    EXPECT_GE(walk.position().x, WalkCamera::kRadius - 0.01f) << "never through the wall";
    EXPECT_LT(walk.position().x, 0.5f) << "but right up to it";
    // Towards the plinth at (3, 2), 0.6 m wide: stop before its face at x = 2.7.
    walk.setPose({{1, 1.6f, 2}, {6, 1.6f, 2}});
    for (int i = 0; i < 100; ++i) walk.move({0, 1}, 0.1f, false, resolve);
    EXPECT_LE(walk.position().x, 2.7f - WalkCamera::kRadius + 0.01f);
    EXPECT_GT(walk.position().x, 2.2f);
    // Strafing along the wall slides instead of sticking.
    walk.setPose({{1, 1.6f, 0.5f}, {1, 1.6f, -1}});
    const float x0 = walk.position().x;
    walk.move({1, 1}, 1.0f, false, resolve);
    EXPECT_GT(walk.position().x, x0 + 0.5f);
    EXPECT_GE(walk.position().z, WalkCamera::kRadius - 0.01f);
}

TEST(InspectCamera, FramesOrbitsZoomsAndPans) {
    const Bounds box{{-0.1f, 1.0f, -0.1f}, {0.1f, 1.3f, 0.1f}};
    InspectCamera camera;
    camera.frame(box, 1.0f, 1.6f, 0.0f, 0.0f);
    const float home = camera.orbit().distance;
    EXPECT_GT(home, 0.15f);
    EXPECT_NEAR(camera.orbit().target.y, 1.15f, 1e-4f);
    EXPECT_NEAR(camera.pose().position.z, camera.orbit().target.z + home, 1e-4f) << "yaw 0 looks at the front";
    camera.rotate({100, 0}, {0.15f, false});
    EXPECT_NEAR(camera.orbit().yawDegrees, -30.0f, 1e-3f);
    camera.zoom(1);
    EXPECT_NEAR(camera.orbit().distance, home * 0.9f, 1e-5f);
    camera.zoom(1000);
    EXPECT_NEAR(camera.orbit().distance, home / 20.0f, 1e-5f) << "never inside the object";
    camera.zoom(-1000);
    EXPECT_NEAR(camera.orbit().distance, home * 4.0f, 1e-4f);
    const glm::vec3 before = camera.orbit().target;
    camera.pan({0, 100}, 600, 1.0f);
    EXPECT_GT(camera.orbit().target.y, before.y) << "dragging down moves the object down (the target up)";
}

TEST(CameraMove, EasesBetweenStopsAndEndsExactly) {
    const Pose from{{0, 1.6f, 0}, {0, 1.6f, -1}}, to{{4, 1.6f, 0}, {4, 1.0f, -1}};
    CameraMove move(from, to);
    EXPECT_GE(move.duration(), CameraMove::kMinSeconds);
    EXPECT_LE(move.duration(), CameraMove::kMaxSeconds);
    move.advance(move.duration() * 0.1f);
    const float early = move.pose().position.x;
    EXPECT_LT(early, 0.4f * 0.5f) << "eased in: slower than linear at the start";
    move.advance(move.duration() * 0.4f);
    EXPECT_NEAR(move.pose().position.x, 2.0f, 1e-4f) << "half way at half time";
    EXPECT_FALSE(move.done());
    move.advance(move.duration());
    EXPECT_TRUE(move.done());
    EXPECT_EQ(move.pose().position, to.position);
    EXPECT_EQ(move.pose().target, to.target);
}

TEST(CameraMove, FieldOfViewEasesToTheStopsOwn) {
    const Pose from{{0, 1.6f, 0}, {0, 1.6f, -1}, 1.0f}, to{{4, 1.6f, 0}, {4, 1.0f, -1}, 0.6f};
    CameraMove move(from, to);
    move.advance(move.duration() * 0.5f);
    EXPECT_NEAR(move.pose().fovY, 0.8f, 1e-5f) << "half way at half time";
    move.advance(move.duration());
    EXPECT_EQ(move.pose().fovY, 0.6f);
    // from a pose without one: the destination's at once
    CameraMove fromNone(Pose{{0, 1.6f, 0}, {0, 1.6f, -1}}, to);
    EXPECT_EQ(fromNone.pose().fovY, 0.6f);
}

TEST(ViewFromPose, UsesThePosesFieldOfViewOverTheDefault) {
    // a point at the edge of a 0.5 rad view sits at the top of the picture (Vulkan's y points down:
    // -1); with the default 1 rad, further in
    const float halfAngle = 0.25f;
    const glm::vec4 point(0, 2 + std::tan(halfAngle) * 3, 0, 1);
    const scene::View framed = viewFromPose({{0, 2, 3}, {0, 2, 0}, 2 * halfAngle}, 1.0f, 1.0f);
    const glm::vec4 clip = framed.clipFromWorld() * point;
    EXPECT_NEAR(clip.y / clip.w, -1.0f, 1e-4f);
    const scene::View own = viewFromPose({{0, 2, 3}, {0, 2, 0}}, 1.0f, 1.0f);
    const glm::vec4 wide = own.clipFromWorld() * point;
    EXPECT_NEAR(wide.y / wide.w, -std::tan(halfAngle) / std::tan(0.5f), 1e-4f);
}

TEST(ViewFromPose, LooksAtTheTarget) {
    const scene::View view = viewFromPose({{1, 2, 3}, {1, 2, 0}}, 1.0f, 1.5f);
    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(1, 2, 0, 1);
    EXPECT_NEAR(clip.x / clip.w, 0.0f, 1e-5f);
    EXPECT_NEAR(clip.y / clip.w, 0.0f, 1e-5f);
    EXPECT_GT(clip.z / clip.w, 0.0f);
    // Straight down stays defined.
    const scene::View down = viewFromPose({{0, 2, 0}, {0, 0, 0}}, 1.0f, 1.0f);
    EXPECT_FALSE(glm::any(glm::isnan(down.viewFromWorld[0])));
}

}  // namespace
}  // namespace vt::viewer

namespace vt::viewer {
namespace {

TEST(InspectCamera, LensShiftMovesThePictureNotTheOrbit) {
    InspectCamera camera;
    camera.frame({{-0.1f, 0.0f, -0.1f}, {0.1f, 0.2f, 0.1f}}, 1.0f, 1.0f, 0.0f, 0.0f);
    for (float yaw : {0.0f, 90.0f, 200.0f}) {
        camera.setAngles(yaw, 10.0f);
        const scene::View view = camera.view(1.0f, 1.0f, -0.4f);
        const glm::vec4 clip = view.clipFromWorld() * glm::vec4(camera.orbit().target, 1.0f);
        EXPECT_NEAR(clip.x / clip.w, -0.4f, 1e-4f) << "the target stays 0.4 left of centre at yaw " << yaw;
        EXPECT_NEAR(clip.y / clip.w, 0.0f, 1e-4f);
    }
}

}  // namespace
}  // namespace vt::viewer
