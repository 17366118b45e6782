// Pure XR logic on the CPU: views from FOV angles against scene/camera, the session state machine,
// teleport arcs and their validity, snap turn, the rig, grabbing and returning an artifact, the
// tour's controls and pointing at the tour panel.
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "scene/camera.h"
#include "xr/logic/grab.h"
#include "xr/logic/locomotion.h"
#include "xr/logic/session_machine.h"
#include "xr/logic/tour_controls.h"
#include "xr/logic/xr_math.h"

namespace vt::xr {
namespace {

constexpr float kEps = 1e-4f;

void expectNear(const glm::vec3& a, const glm::vec3& b, float eps = kEps) {
    EXPECT_NEAR(a.x, b.x, eps);
    EXPECT_NEAR(a.y, b.y, eps);
    EXPECT_NEAR(a.z, b.z, eps);
}

glm::vec3 project(const scene::View& view, glm::vec3 world) {
    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(world, 1.0f);
    return glm::vec3(clip) / clip.w;
}

// ---- views from FOV angles ----

TEST(XrViews, ProjectionIsTheCameraModulesAsymmetricFrustum) {
    const Fov fov{-0.9f, 0.7f, 0.8f, -0.6f};
    const scene::View view = eyeView(glm::mat4(1.0f), Pose{}, fov);
    const glm::mat4 expected = scene::perspectiveReversedZ(fov.angleLeft, fov.angleRight, fov.angleUp, fov.angleDown, kNearPlane);
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) EXPECT_FLOAT_EQ(view.clipFromView[c][r], expected[c][r]);
}

TEST(XrViews, FrustumEdgesLandOnTheClipEdges) {
    const Fov fov{-0.9f, 0.7f, 0.8f, -0.6f};
    const scene::View view = eyeView(glm::mat4(1.0f), Pose{}, fov);
    const float z = -3.0f;
    // A point on the left edge of the FOV maps to x = -1; right edge to +1. Vulkan clip y points down:
    // the upper edge maps to y = -1.
    EXPECT_NEAR(project(view, {std::tan(fov.angleLeft) * -z, 0.0f, z}).x, -1.0f, kEps);
    EXPECT_NEAR(project(view, {std::tan(fov.angleRight) * -z, 0.0f, z}).x, 1.0f, kEps);
    EXPECT_NEAR(project(view, {0.0f, std::tan(fov.angleUp) * -z, z}).y, -1.0f, kEps);
    EXPECT_NEAR(project(view, {0.0f, std::tan(fov.angleDown) * -z, z}).y, 1.0f, kEps);
    // Reversed Z: the near plane at depth 1, farther points towards 0.
    EXPECT_NEAR(project(view, {0.0f, 0.0f, -kNearPlane}).z, 1.0f, kEps);
    EXPECT_LT(project(view, {0.0f, 0.0f, -100.0f}).z, project(view, {0.0f, 0.0f, -1.0f}).z);
}

TEST(XrViews, EyePoseAndRigComposeIntoTheViewMatrix) {
    Pose eye;
    eye.position = {0.032f, 1.6f, 0.0f};
    eye.orientation = glm::angleAxis(glm::radians(30.0f), glm::vec3(0, 1, 0));
    const glm::mat4 worldFromTracking = glm::translate(glm::mat4(1.0f), glm::vec3(2.0f, 0.0f, -1.0f)) *
                                        glm::rotate(glm::mat4(1.0f), glm::radians(90.0f), glm::vec3(0, 1, 0));
    const scene::View view = eyeView(worldFromTracking, eye, Fov{});
    const glm::mat4 worldFromEye = worldFromTracking * eye.matrix();
    expectNear(view.position, glm::vec3(worldFromEye[3]));
    // The eye's own forward axis, one metre out, is straight ahead: centre of the image.
    const glm::vec3 ahead = glm::vec3(worldFromEye * glm::vec4(0.0f, 0.0f, -1.0f, 1.0f));
    const glm::vec3 ndc = project(view, ahead);
    EXPECT_NEAR(ndc.x, 0.0f, kEps);
    EXPECT_NEAR(ndc.y, 0.0f, kEps);
}

TEST(XrViews, LeftEyeSeesNearThingsFurtherRight) {
    // Parallel eyes 64 mm apart: a point ahead appears right of centre for the left eye and left of
    // centre for the right eye (what the integration test checks on captured images).
    Pose left, right;
    left.position = {-0.032f, 1.6f, 0.0f};
    right.position = {0.032f, 1.6f, 0.0f};
    const glm::vec3 point{0.0f, 1.6f, -2.0f};
    EXPECT_GT(project(eyeView(glm::mat4(1.0f), left, Fov{}), point).x, 0.0f);
    EXPECT_LT(project(eyeView(glm::mat4(1.0f), right, Fov{}), point).x, 0.0f);
}

// ---- session state machine ----

TEST(XrSession, NormalLifecycleBeginsRendersAndEnds) {
    SessionMachine m;
    EXPECT_EQ(m.onStateChanged(SessionState::Idle), SessionAction::None);
    EXPECT_FALSE(m.running());
    EXPECT_EQ(m.onStateChanged(SessionState::Ready), SessionAction::BeginSession);
    EXPECT_TRUE(m.running());
    EXPECT_FALSE(m.shouldSubmitLayers());
    EXPECT_EQ(m.onStateChanged(SessionState::Synchronized), SessionAction::None);
    EXPECT_FALSE(m.shouldSubmitLayers());
    EXPECT_EQ(m.onStateChanged(SessionState::Visible), SessionAction::None);
    EXPECT_TRUE(m.shouldSubmitLayers());
    EXPECT_FALSE(m.inputFocused());
    EXPECT_EQ(m.onStateChanged(SessionState::Focused), SessionAction::None);
    EXPECT_TRUE(m.inputFocused());
    EXPECT_EQ(m.onStateChanged(SessionState::Visible), SessionAction::None);
    EXPECT_FALSE(m.inputFocused());
    EXPECT_EQ(m.onStateChanged(SessionState::Synchronized), SessionAction::None);
    EXPECT_EQ(m.onStateChanged(SessionState::Stopping), SessionAction::EndSession);
    EXPECT_FALSE(m.running());
    EXPECT_EQ(m.onStateChanged(SessionState::Idle), SessionAction::None);
    EXPECT_FALSE(m.finished());
    EXPECT_EQ(m.onStateChanged(SessionState::Exiting), SessionAction::DestroyAndExit);
    EXPECT_TRUE(m.finished());
    EXPECT_FALSE(m.lost());
}

TEST(XrSession, RuntimeMayStopAndRestartTheSession) {
    SessionMachine m;
    m.onStateChanged(SessionState::Idle);
    m.onStateChanged(SessionState::Ready);
    m.onStateChanged(SessionState::Focused);
    EXPECT_EQ(m.onStateChanged(SessionState::Stopping), SessionAction::EndSession);
    EXPECT_EQ(m.onStateChanged(SessionState::Idle), SessionAction::None);
    EXPECT_EQ(m.onStateChanged(SessionState::Ready), SessionAction::BeginSession);
    EXPECT_TRUE(m.running());
}

TEST(XrSession, OurExitRequestGoesThroughTheRuntime) {
    SessionMachine m;
    m.onStateChanged(SessionState::Ready);
    m.onStateChanged(SessionState::Focused);
    EXPECT_EQ(m.requestExit(), SessionAction::RequestExit);
    EXPECT_EQ(m.requestExit(), SessionAction::None) << "asked once";
    EXPECT_FALSE(m.finished());
    EXPECT_EQ(m.onStateChanged(SessionState::Stopping), SessionAction::EndSession);
    EXPECT_EQ(m.onStateChanged(SessionState::Idle), SessionAction::None);
    EXPECT_EQ(m.onStateChanged(SessionState::Exiting), SessionAction::DestroyAndExit);
    EXPECT_TRUE(m.finished());
}

TEST(XrSession, ExitBeforeTheSessionRunsNeverBeginsIt) {
    SessionMachine m;
    m.onStateChanged(SessionState::Idle);
    EXPECT_EQ(m.requestExit(), SessionAction::DestroyAndExit);
    EXPECT_TRUE(m.finished());
    EXPECT_EQ(m.onStateChanged(SessionState::Ready), SessionAction::None) << "finished: nothing more";
}

const SessionState kAllStates[] = {SessionState::Unknown,  SessionState::Idle,     SessionState::Ready,
                                   SessionState::Synchronized, SessionState::Visible, SessionState::Focused,
                                   SessionState::Stopping};

// Drives a machine into `state` the way a runtime would.
SessionMachine machineIn(SessionState state) {
    SessionMachine m;
    const SessionState path[] = {SessionState::Idle, SessionState::Ready, SessionState::Synchronized,
                                 SessionState::Visible, SessionState::Focused, SessionState::Stopping};
    if (state == SessionState::Unknown) return m;
    for (SessionState s : path) {
        m.onStateChanged(s);
        if (s == state) break;
    }
    EXPECT_EQ(m.state(), state);
    return m;
}

TEST(XrSession, LossPendingFromAnyStateExitsOrRetries) {
    for (SessionState from : kAllStates) {
        SessionMachine m = machineIn(from);
        EXPECT_EQ(m.onStateChanged(SessionState::LossPending), SessionAction::DestroyAndExit) << stateName(from);
        EXPECT_TRUE(m.finished());
        EXPECT_TRUE(m.lost());
        EXPECT_FALSE(m.running());
    }
    SessionMachine retry(/*retryOnLoss=*/true);
    retry.onStateChanged(SessionState::Ready);
    EXPECT_EQ(retry.onStateChanged(SessionState::LossPending), SessionAction::DestroyAndRetry);
    EXPECT_FALSE(retry.finished());
    retry.resetForNewSession();
    EXPECT_EQ(retry.onStateChanged(SessionState::Ready), SessionAction::BeginSession);
}

TEST(XrSession, ExitingFromAnyStateExits) {
    for (SessionState from : kAllStates) {
        SessionMachine m = machineIn(from);
        EXPECT_EQ(m.onStateChanged(SessionState::Exiting), SessionAction::DestroyAndExit) << stateName(from);
        EXPECT_TRUE(m.finished());
        EXPECT_FALSE(m.running());
        EXPECT_FALSE(m.lost());
    }
}

TEST(XrSession, InstanceLossFromAnyStateExitsAtOnce) {
    for (SessionState from : kAllStates) {
        SessionMachine m = machineIn(from);
        EXPECT_EQ(m.onInstanceLost(), SessionAction::DestroyAndExit) << stateName(from);
        EXPECT_TRUE(m.finished());
        EXPECT_TRUE(m.lost());
        EXPECT_EQ(m.onInstanceLost(), SessionAction::None) << "reported once";
    }
}

TEST(XrSession, StateNamesAreTheSpecs) {
    EXPECT_EQ(stateName(SessionState::Focused), "FOCUSED");
    EXPECT_EQ(stateName(SessionState::LossPending), "LOSS_PENDING");
}

// ---- teleport ----

Pose aimFrom(glm::vec3 position, float pitchDegrees) {
    Pose p;
    p.position = position;
    p.orientation = glm::angleAxis(glm::radians(pitchDegrees), glm::vec3(1, 0, 0));
    return p;
}

TEST(XrTeleport, ArcLandsOnTheFloorAheadAndChecksWalkability) {
    const auto everywhere = [](glm::vec3, float) { return true; };
    const TeleportArc arc = teleportArc(aimFrom({0.0f, 1.2f, 0.0f}, -20.0f), ArcOptions{}, everywhere);
    ASSERT_TRUE(arc.hit);
    EXPECT_TRUE(arc.valid);
    EXPECT_NEAR(arc.target.y, 0.0f, 1e-5f);
    EXPECT_LT(arc.target.z, -0.5f) << "ahead is -Z";
    EXPECT_NEAR(arc.target.x, 0.0f, 1e-5f);
    EXPECT_GT(arc.points.size(), 3u);
    // Aiming higher (up to 45 degrees) throws further.
    const TeleportArc higher = teleportArc(aimFrom({0.0f, 1.2f, 0.0f}, 10.0f), ArcOptions{}, everywhere);
    ASSERT_TRUE(higher.hit);
    EXPECT_LT(higher.target.z, arc.target.z);
}

TEST(XrTeleport, TargetOutsideTheWalkableFloorIsInvalid) {
    // Walkable only within 1.5 m of the origin, with the visitor's radius.
    const auto nearOrigin = [](glm::vec3 p, float radius) { return glm::length(glm::vec2(p.x, p.z)) + radius < 1.5f; };
    const TeleportArc close = teleportArc(aimFrom({0.0f, 1.2f, 0.0f}, -45.0f), ArcOptions{}, nearOrigin);
    ASSERT_TRUE(close.hit);
    EXPECT_TRUE(close.valid) << close.target.z;
    const TeleportArc far = teleportArc(aimFrom({0.0f, 1.2f, 0.0f}, 20.0f), ArcOptions{}, nearOrigin);
    ASSERT_TRUE(far.hit);
    EXPECT_FALSE(far.valid) << far.target.z;
}

TEST(XrTeleport, StraightUpOrBlockedNeverHits) {
    ArcOptions options;
    options.maxSegments = 20;  // 0.6 s: a vertical throw at 7 m/s is still rising
    const TeleportArc up = teleportArc(aimFrom({0.0f, 1.2f, 0.0f}, 89.0f), options, nullptr);
    EXPECT_FALSE(up.hit);
    EXPECT_FALSE(up.valid);
    // A wall at z = -1 blocks the arc before it lands beyond it.
    const auto wall = [](glm::vec3 a, glm::vec3 b) { return (a.z + 1.0f) * (b.z + 1.0f) <= 0.0f; };
    const TeleportArc blocked = teleportArc(aimFrom({0.0f, 1.2f, 0.0f}, 0.0f), ArcOptions{}, nullptr, wall);
    EXPECT_FALSE(blocked.hit);
    EXPECT_FALSE(blocked.valid);
}

TEST(XrRig, TeleportMovesTheHeadsFloorPointToTheTarget) {
    Rig rig;
    Pose head;
    head.position = {0.3f, 1.7f, -0.2f};  // the visitor stands off-centre in their play area
    rig.snapTurn(head, glm::radians(40.0f));
    rig.teleport(head, {4.0f, 0.0f, -3.0f});
    const glm::vec3 world = glm::vec3(rig.worldFromTracking() * glm::vec4(head.position, 1.0f));
    EXPECT_NEAR(world.x, 4.0f, kEps);
    EXPECT_NEAR(world.z, -3.0f, kEps);
    EXPECT_NEAR(world.y, 1.7f, kEps) << "head height is the visitor's own";
    EXPECT_GT(rig.takeMotion(), 0.0f);
    EXPECT_EQ(rig.takeMotion(), 0.0f);
}

TEST(XrRig, SnapTurnKeepsTheHeadInPlaceAndTurnsByTheAngle) {
    Rig rig;
    Pose head;
    head.position = {0.5f, 1.6f, 0.5f};
    const glm::vec3 before = glm::vec3(rig.worldFromTracking() * glm::vec4(head.position, 1.0f));
    const glm::vec3 forwardBefore = glm::vec3(rig.worldFromTracking() * glm::vec4(head.forward(), 0.0f));
    rig.snapTurn(head, glm::radians(-30.0f));
    const glm::vec3 after = glm::vec3(rig.worldFromTracking() * glm::vec4(head.position, 1.0f));
    const glm::vec3 forwardAfter = glm::vec3(rig.worldFromTracking() * glm::vec4(head.forward(), 0.0f));
    expectNear(after, before);
    EXPECT_NEAR(glm::degrees(std::acos(glm::dot(forwardBefore, forwardAfter))), 30.0f, 1e-2f);
    EXPECT_GT(forwardAfter.x, 0.0f) << "a negative yaw turns to the right (+X from -Z)";
}

TEST(XrRig, PlaceHeadAndEyeHeightCalibration) {
    Rig rig;
    Pose head;
    head.position = {0.2f, 1.1f, 0.3f};  // seated
    head.orientation = glm::angleAxis(glm::radians(70.0f), glm::vec3(0, 1, 0));
    rig.calibrateEyeHeight(head, 1.6f);
    rig.placeHead(head, {2.0f, 5.0f}, glm::radians(180.0f));  // looking towards +Z
    const glm::vec3 world = glm::vec3(rig.worldFromTracking() * glm::vec4(head.position, 1.0f));
    expectNear(world, {2.0f, 1.6f, 5.0f});
    const glm::vec3 forward = glm::vec3(rig.worldFromTracking() * glm::vec4(head.forward(), 0.0f));
    expectNear(forward, {0.0f, 0.0f, 1.0f});
}

TEST(XrSnapTurn, OneTurnPerFlickWithHysteresis) {
    SnapTurnDetector snap;
    EXPECT_EQ(snap.update(0.0f), 0);
    EXPECT_EQ(snap.update(0.9f), 1);
    EXPECT_EQ(snap.update(0.95f), 0) << "held: no repeat";
    EXPECT_EQ(snap.update(0.5f), 0) << "between release and press: still held";
    EXPECT_EQ(snap.update(0.1f), 0);
    EXPECT_EQ(snap.update(-0.8f), -1);
    EXPECT_EQ(snap.update(-0.2f), 0);
    EXPECT_EQ(snap.update(-0.75f), -1);
}

TEST(XrComfort, VignetteRisesWhileMovingAndFades) {
    Vignette vignette;
    EXPECT_EQ(vignette.update(0.0f, 0.011f, 0.7f), 0.0f);
    EXPECT_FLOAT_EQ(vignette.update(0.5f, 0.011f, 0.7f), 0.7f);
    float s = 0.7f;
    for (int i = 0; i < 10; ++i) s = vignette.update(0.0f, 0.011f, 0.7f);
    EXPECT_LT(s, 0.7f);
    EXPECT_GT(s, 0.0f);
    for (int i = 0; i < 30; ++i) s = vignette.update(0.0f, 0.011f, 0.7f);
    EXPECT_EQ(s, 0.0f);
}

// ---- grab ----

TEST(XrGrab, HeldArtifactFollowsTheHandAndReturnsToItsPlinth) {
    Grab grab;
    const glm::mat4 home = glm::translate(glm::mat4(1.0f), glm::vec3(1.0f, 1.0f, -2.0f));
    glm::mat4 hand = glm::translate(glm::mat4(1.0f), glm::vec3(1.0f, 1.1f, -1.8f));
    grab.begin(3, hand, home, home);
    EXPECT_TRUE(grab.held());
    expectNear(glm::vec3(grab.worldFromObject()[3]), {1.0f, 1.0f, -2.0f});
    // Turn the hand 90 degrees about its own up axis and lift it: the object turns with it, keeping
    // its offset from the hand.
    hand = glm::translate(glm::mat4(1.0f), glm::vec3(1.0f, 1.5f, -1.8f)) *
           glm::rotate(glm::mat4(1.0f), glm::radians(90.0f), glm::vec3(0, 1, 0));
    grab.update(hand);
    const glm::mat4 held = grab.worldFromObject();
    expectNear(glm::vec3(held[3]), glm::vec3(hand * glm::vec4(0.0f, -0.1f, -0.2f, 1.0f)));
    expectNear(glm::vec3(held * glm::vec4(1, 0, 0, 0)), {0.0f, 0.0f, -1.0f});
    grab.release();
    EXPECT_FALSE(grab.held());
    EXPECT_TRUE(grab.active()) << "flying back";
    grab.advance(kReturnSeconds * 0.5f);
    const glm::vec3 midway = glm::vec3(grab.worldFromObject()[3]);
    EXPECT_GT(glm::length(midway - glm::vec3(home[3])), 0.01f);
    EXPECT_LT(glm::length(midway - glm::vec3(home[3])), glm::length(glm::vec3(held[3]) - glm::vec3(home[3])));
    grab.advance(kReturnSeconds);
    EXPECT_FALSE(grab.active());
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) EXPECT_NEAR(grab.worldFromObject()[c][r], home[c][r], kEps);
}

TEST(XrGrab, RayBoxHitsAndMisses) {
    const glm::mat4 box = glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 1.0f, -3.0f));
    const auto hit = rayBox({0.0f, 1.0f, 0.0f}, {0.0f, 0.0f, -1.0f}, box, glm::vec3(-0.5f), glm::vec3(0.5f));
    ASSERT_TRUE(hit);
    EXPECT_NEAR(*hit, 2.5f, kEps);
    EXPECT_FALSE(rayBox({0.0f, 1.0f, 0.0f}, {0.0f, 0.0f, 1.0f}, box, glm::vec3(-0.5f), glm::vec3(0.5f))) << "behind";
    EXPECT_FALSE(rayBox({2.0f, 1.0f, 0.0f}, {0.0f, 0.0f, -1.0f}, box, glm::vec3(-0.5f), glm::vec3(0.5f)));
}

// ---- tour controls ----

// The tour cursor itself (next, previous, pause) is engine/tour's, tested in tests/tour.

TEST(XrTour, RayMeetsThePanelAndItsThirdsAreTheControls) {
    // A 0.48 x 0.36 m panel 1 m ahead of the origin, facing it (its +Z towards the viewer), turned 30
    // degrees about the vertical and lifted a little: as Interaction::panelWorldPose places it.
    const glm::vec2 size{0.48f, 0.36f};
    const glm::mat4 panel = glm::translate(glm::mat4(1.0f), {0.2f, 1.5f, -1.0f}) *
                      glm::rotate(glm::mat4(1.0f), glm::radians(30.0f), glm::vec3(0.0f, 1.0f, 0.0f));
    const glm::vec3 eye{0.0f, 1.6f, 0.0f};
    auto pointAt = [&](float x, float y) {  // a point on the panel in its frame, metres from its centre
        return rayPanel(eye, glm::normalize(glm::vec3(panel * glm::vec4(x, y, 0.0f, 1.0f)) - eye), panel, size);
    };
    const auto centre = pointAt(0.0f, 0.0f);
    ASSERT_TRUE(centre);
    EXPECT_NEAR(centre->uv.x, 0.5f, 1e-4f);
    EXPECT_NEAR(centre->uv.y, 0.5f, 1e-4f);
    EXPECT_NEAR(centre->distance, glm::length(glm::vec3(0.2f, -0.1f, -1.0f)), 1e-4f);
    EXPECT_EQ(panelCommand(centre->uv), TourCommand::PauseResume);
    // Left and right thirds (u from the panel's left edge), top and bottom (v from its top edge).
    const auto left = pointAt(-0.2f, 0.15f);
    ASSERT_TRUE(left);
    EXPECT_NEAR(left->uv.x, 0.5f - 0.2f / 0.48f, 1e-4f);
    EXPECT_NEAR(left->uv.y, 0.5f - 0.15f / 0.36f, 1e-4f);
    EXPECT_EQ(panelCommand(left->uv), TourCommand::Previous);
    const auto right = pointAt(0.2f, -0.15f);
    ASSERT_TRUE(right);
    EXPECT_NEAR(right->uv.x, 0.5f + 0.2f / 0.48f, 1e-4f);
    EXPECT_NEAR(right->uv.y, 0.5f + 0.15f / 0.36f, 1e-4f);
    EXPECT_EQ(panelCommand(right->uv), TourCommand::Next);
    EXPECT_EQ(panelCommand({0.34f, 0.9f}), TourCommand::PauseResume);
    EXPECT_EQ(panelCommand({0.32f, 0.1f}), TourCommand::Previous);
    EXPECT_EQ(panelCommand({0.67f, 0.5f}), TourCommand::Next);
    // Beside the panel, behind the ray, or along its plane: no hit.
    EXPECT_FALSE(pointAt(0.25f, 0.0f));
    EXPECT_FALSE(pointAt(0.0f, 0.19f));
    EXPECT_FALSE(rayPanel(eye, {0.0f, 0.0f, 1.0f}, panel, size));
    const glm::vec3 along = glm::vec3(panel[0]);
    EXPECT_FALSE(rayPanel(glm::vec3(panel[3]) - along, along, panel, size));
    // From behind the panel it counts too (the same controls, mirrored as seen from there).
    const glm::vec3 behind = glm::vec3(panel * glm::vec4(0.0f, 0.0f, -1.0f, 1.0f));
    const auto back = rayPanel(behind, glm::normalize(glm::vec3(panel * glm::vec4(0.2f, 0.0f, 0.0f, 1.0f)) - behind), panel, size);
    ASSERT_TRUE(back);
    EXPECT_EQ(panelCommand(back->uv), TourCommand::Next);
}

}  // namespace
}  // namespace vt::xr
