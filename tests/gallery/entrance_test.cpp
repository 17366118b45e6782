// Where a visitor enters an exhibit that does not say: a free standing spot in the first room, clear
// of every wall, stand and object, facing the first artifact. Found on a real exhibit: three busts in
// a 12 x 8 m hall, one at its centre, put both eyes of a headset inside the centre bust.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "exhibit/exhibit.h"
#include "gallery/collision.h"
#include "gallery/entrance.h"
#include "gallery/gallery_model.h"

namespace vt::gallery {
namespace {

constexpr float kVisitorRadius = 0.25f;  // metres, as the viewer and the headset walk

exhibit::Exhibit parse(const std::string& json) {
    exhibit::ParseResult result = exhibit::parseExhibit(json, "test.json");
    EXPECT_EQ(result.errorCount(), 0u);
    return std::move(result.exhibit);
}

// Three busts on plinths in a 12 x 8 m hall; `first` names the one listed first.
std::string threeBusts(const std::string& first, const std::string& rest) {
    return R"({"rooms": [{"id": "hall", "floor": [[0, 0], [12, 0], [12, 8], [0, 8]]}],
               "artifacts": [)" +
           first + ", " + rest + "]}";
}
const std::string kCentreBust = R"({"id": "centre", "pack": "c.vpk", "position": [6, 4], "stand": {"kind": "plinth", "size": [0.5, 1.1, 0.5]}})";
const std::string kSideBusts = R"({"id": "west", "pack": "w.vpk", "position": [3, 4], "stand": {"kind": "plinth", "size": [0.5, 1.1, 0.5]}},
    {"id": "east", "pack": "e.vpk", "position": [9, 4], "stand": {"kind": "plinth", "size": [0.5, 1.1, 0.5]}})";

// The pose has the visitor standing free and looking straight at `artifact`.
void expectFreeAndFacing(const exhibit::Exhibit& e, const exhibit::CameraPose& start, const exhibit::Artifact& artifact) {
    const glm::vec2 at{start.position.x, start.position.z};
    const Collision collision = Collision::build(e);
    EXPECT_TRUE(collision.walkable(at, kVisitorRadius)) << "start (" << at.x << ", " << at.y << ") is not a free standing spot";
    for (const exhibit::Artifact& a : e.artifacts) {
        // Clear of the object itself too, stand or no stand (its footprint is unknown until its pack opens).
        EXPECT_GT(glm::distance(at, a.positionXZ), 0.5f) << "start (" << at.x << ", " << at.y << ") is inside '" << a.id << "'";
    }
    EXPECT_NEAR(start.position.y, e.eyeHeight, 1e-4f);
    const glm::vec2 look = glm::vec2(start.target.x, start.target.z) - at;
    const glm::vec2 toArtifact = artifact.positionXZ - at;
    ASSERT_GT(glm::length(look), 1e-3f);
    EXPECT_GT(glm::dot(glm::normalize(look), glm::normalize(toArtifact)), 0.999f)
        << "looking towards (" << start.target.x << ", " << start.target.z << "), not at '" << artifact.id << "'";
    // The headset turns the visitor by the yaw of the same pose (xr/frame_loop.cpp: atan2(-look.x, -look.z)).
    const float yaw = std::atan2(-look.x, -look.y);
    const glm::vec2 forward{-std::sin(yaw), -std::cos(yaw)};
    EXPECT_GT(glm::dot(forward, glm::normalize(toArtifact)), 0.999f);
}

TEST(Entrance, NotInsideTheBustAtTheCentreFacingIt) {
    const exhibit::Exhibit e = parse(threeBusts(kCentreBust, kSideBusts));
    expectFreeAndFacing(e, entrance(e), e.artifacts.front());
}

TEST(Entrance, NotInsideTheBustAtTheCentreFacingTheFirstListed) {
    const exhibit::Exhibit e = parse(threeBusts(kSideBusts, kCentreBust));
    ASSERT_EQ(e.artifacts.front().id, "west");
    expectFreeAndFacing(e, entrance(e), e.artifacts.front());
}

TEST(Entrance, ClearOfAStatueStandingOnTheFloor) {
    const exhibit::Exhibit e = parse(threeBusts(R"({"id": "statue", "pack": "s.vpk", "position": [6, 4], "stand": {"kind": "none"}})",
                                                kSideBusts));
    const exhibit::CameraPose start = entrance(e);
    expectFreeAndFacing(e, start, e.artifacts.front());
    EXPECT_GT(glm::distance(glm::vec2(start.position.x, start.position.z), glm::vec2(6, 4)), 1.0f);
}

TEST(Entrance, AnotherStandDoesNotBlockTheView) {
    // The first artifact in a corner behind another plinth as seen from the centre.
    const exhibit::Exhibit e = parse(R"({"rooms": [{"id": "hall", "floor": [[0, 0], [12, 0], [12, 8], [0, 8]]}],
        "artifacts": [{"id": "corner", "pack": "c.vpk", "position": [10, 6]},
                      {"id": "block", "pack": "b.vpk", "position": [8, 5], "stand": {"size": [1.5, 1.0, 1.5]}}]})");
    const exhibit::CameraPose start = entrance(e);
    expectFreeAndFacing(e, start, e.artifacts.front());
    const glm::vec2 from{start.position.x, start.position.z};
    const std::vector<glm::vec2> block = standFootprint(e.artifacts[1]);
    for (int i = 0; i <= 100; ++i) {
        const glm::vec2 p = glm::mix(from, e.artifacts[0].positionXZ, float(i) / 100.0f);
        const bool inside = p.x > block[0].x && p.x < block[2].x && p.y > block[0].y && p.y < block[2].y;
        EXPECT_FALSE(inside) << "the plinth of 'block' stands between the start and 'corner'";
    }
}

TEST(Entrance, AGivenStartIsKept) {
    const exhibit::Exhibit e = parse(R"({"rooms": [{"id": "hall", "floor": [[0, 0], [12, 0], [12, 8], [0, 8]]}],
        "start": {"position": [1, 1.7, 1], "target": [2, 1.5, 2]},
        "artifacts": [{"id": "centre", "pack": "c.vpk", "position": [6, 4]}]})");
    const exhibit::CameraPose start = entrance(e);
    EXPECT_EQ(start.position, glm::vec3(1, 1.7f, 1));
    EXPECT_EQ(start.target, glm::vec3(2, 1.5f, 2));
}

TEST(Entrance, ARoomWithoutArtifactsStartsNearItsCentre) {
    const exhibit::Exhibit e = parse(R"({"rooms": [{"id": "hall", "floor": [[0, 0], [12, 0], [12, 8], [0, 8]]}]})");
    const exhibit::CameraPose start = entrance(e);
    EXPECT_LT(glm::distance(glm::vec2(start.position.x, start.position.z), glm::vec2(6, 4)), 0.2f);
    EXPECT_GT(glm::distance(start.position, start.target), 0.5f);
}

TEST(Entrance, AnExhibitWithoutAStartWritesNone) {
    // The chosen entrance is the engine's, not the file's: writing the exhibit back adds no "start".
    const exhibit::Exhibit e = parse(threeBusts(kCentreBust, kSideBusts));
    EXPECT_EQ(exhibit::toJson(e).find("\"start\""), std::string::npos);
}

}  // namespace
}  // namespace vt::gallery
