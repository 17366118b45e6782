// Walking collision: walls stop a visitor, doorways let them through, moves into a wall slide along
// it, stands cannot be entered, and no step size tunnels through anything.
#include <cmath>

#include <gtest/gtest.h>

#include "exhibit/exhibit.h"
#include "gallery/collision.h"

namespace vt::gallery {
namespace {

constexpr float kRadius = 0.25f;

const char* kTwoRooms = R"({
  "rooms": [
    {"id": "a", "floor": [[0, 0], [8, 0], [8, 6], [0, 6]],
     "openings": [{"edge": 1, "center": 3, "width": 1.6, "height": 2.5}]},
    {"id": "b", "floor": [[8, 0], [8, 6], [14, 6], [14, 0]],
     "openings": [{"edge": 0, "center": 3, "width": 1.6, "height": 2.5}]}
  ],
  "artifacts": [
    {"id": "p", "pack": "p.vpk", "position": [4, 3], "rotationDegrees": [0, 45, 0],
     "stand": {"kind": "plinth", "size": [1.0, 1.0, 1.0]}},
    {"id": "n", "pack": "n.vpk", "position": [12, 4], "stand": {"kind": "none"}}
  ]
})";

Collision build() {
    exhibit::ParseResult result = exhibit::parseExhibit(kTwoRooms, "test.json");
    EXPECT_EQ(result.errorCount(), 0u);
    return Collision::build(result.exhibit);
}

TEST(Collision, WallsStopAVisitor) {
    const Collision c = build();
    // Straight at the shared wall beside the door: stops a radius short of x = 8.
    const glm::vec2 end = c.resolveMove({6, 1}, {10, 1}, kRadius);
    EXPECT_NEAR(end.x, 8.0f - kRadius, 1e-3f);
    EXPECT_NEAR(end.y, 1.0f, 1e-3f);
    // Outer walls too, from any direction, even with one huge step.
    EXPECT_NEAR(c.resolveMove({2, 3}, {-50, 3}, kRadius).x, kRadius, 1e-3f);
    EXPECT_NEAR(c.resolveMove({2, 5}, {2, 50}, kRadius).y, 6.0f - kRadius, 1e-3f);
    EXPECT_NEAR(c.resolveMove({13, 1}, {13, -3}, kRadius).y, kRadius, 1e-3f);
    // Absurd input from a caller (a NaN from a bad frame time, a teleport to infinity) goes nowhere odd.
    EXPECT_EQ(c.resolveMove({2, 3}, {std::nanf(""), 3}, kRadius), glm::vec2(2, 3));
    EXPECT_TRUE(c.walkable(c.resolveMove({2, 3}, {1e30f, 3}, kRadius), kRadius * 0.99f));
    EXPECT_FALSE(c.walkable({8.0f, 1.0f}, kRadius));
    // Starting closer than the radius to a wall (a spawn point), walking into it: stays on its side.
    const glm::vec2 close = c.resolveMove({7.9f, 1}, {9, 1}, kRadius);
    EXPECT_NEAR(close.x, 8.0f - kRadius, 1e-3f);
    EXPECT_FALSE(c.walkable({-1.0f, 1.0f}, kRadius)) << "outside every room";
}

TEST(Collision, DoorwayLetsAVisitorThrough) {
    const Collision c = build();
    const glm::vec2 end = c.resolveMove({6, 3}, {10, 3}, kRadius);
    EXPECT_NEAR(end.x, 10.0f, 1e-3f);
    EXPECT_NEAR(end.y, 3.0f, 1e-3f);
    EXPECT_TRUE(c.walkable({8.0f, 3.0f}, kRadius));
    // A visitor too wide for the doorway (1.6 m) does not fit.
    EXPECT_LT(c.resolveMove({6, 3}, {10, 3}, 0.9f).x, 8.0f);
}

TEST(Collision, SlidesAlongWalls) {
    const Collision c = build();
    // Diagonally into the north wall (z = 6): ends against it, having kept moving in x.
    const glm::vec2 end = c.resolveMove({1, 5}, {3, 7}, kRadius);
    EXPECT_NEAR(end.y, 6.0f - kRadius, 1e-3f);
    EXPECT_GT(end.x, 2.5f) << "the x part of the move should survive";
    // Into a corner: stays inside, clear of both walls.
    const glm::vec2 corner = c.resolveMove({1, 1}, {-3, -3}, kRadius);
    EXPECT_NEAR(corner.x, kRadius, 1e-3f);
    EXPECT_NEAR(corner.y, kRadius, 1e-3f);
    // Along the shared wall past the door jamb and into room b's side? No: x stays below the wall.
    const glm::vec2 along = c.resolveMove({7.5f, 0.5f}, {7.9f, 5.5f}, kRadius);
    EXPECT_LE(along.x, 8.0f - kRadius + 1e-3f);
}

TEST(Collision, CannotEnterAPlinth) {
    const Collision c = build();
    EXPECT_FALSE(c.walkable({4, 3}, kRadius));
    EXPECT_FALSE(c.walkable({4.6f, 3}, kRadius)) << "within a radius of the (45 degree turned) plinth";
    EXPECT_TRUE(c.walkable({5.2f, 3}, kRadius));
    // Walking straight at it stops outside: the corner of the turned 1 m plinth is at x = 4 - 0.707.
    const glm::vec2 end = c.resolveMove({1, 3}, {7, 3}, kRadius);
    EXPECT_LT(end.x, 4.0f - 0.707f);
    EXPECT_GT(end.x, 4.0f - 0.707f - kRadius - 0.05f);
    EXPECT_TRUE(c.walkable(end, kRadius * 0.99f));
    // A stand of kind "none" blocks nothing, until the object's own footprint is added.
    Collision withObject = c;
    EXPECT_TRUE(withObject.walkable({12, 4}, kRadius));
    EXPECT_EQ(withObject.standFootprints().size(), 1u);
    withObject.addObstacle({{11.8f, 3.8f}, {12.2f, 3.8f}, {12.2f, 4.2f}, {11.8f, 4.2f}});
    EXPECT_FALSE(withObject.walkable({12, 4}, kRadius));
    EXPECT_LT(withObject.resolveMove({10, 4}, {14, 4}, kRadius).x, 11.8f - kRadius + 1e-3f);
}

TEST(Collision, NeverTunnelsWhateverTheStep) {
    const Collision c = build();
    uint32_t state = 12345;
    auto random = [&] {
        state = state * 1664525u + 1013904223u;
        return float(state >> 8) / float(1u << 24);
    };
    // One move of any length from a walkable point ends walkable.
    int checked = 0;
    for (int i = 0; i < 2000; ++i) {
        const glm::vec2 from{random() * 14.0f, random() * 6.0f};
        if (!c.walkable(from, kRadius)) continue;
        const glm::vec2 to = from + glm::vec2(random() - 0.5f, random() - 0.5f) * 24.0f;
        const glm::vec2 end = c.resolveMove(from, to, kRadius);
        ASSERT_TRUE(c.walkable(end, kRadius * 0.98f)) << from.x << "," << from.y << " -> " << to.x << "," << to.y;
        ++checked;
    }
    EXPECT_GT(checked, 500);
    // Visitors walking at 0.1 m per frame towards random goals (sliding along whatever is in the way)
    // change sides of the shared wall x = 8 only through the doorway (z 2.2..3.8).
    for (int walk = 0; walk < 200; ++walk) {
        glm::vec2 p{random() * 14.0f, random() * 6.0f};
        if (!c.walkable(p, kRadius)) continue;
        const glm::vec2 goal{random() * 14.0f, random() * 6.0f};
        for (int frame = 0; frame < 200; ++frame) {
            const glm::vec2 delta = goal - p;
            const float length = glm::length(delta);
            if (length < 0.01f) break;
            const glm::vec2 next = c.resolveMove(p, p + delta * std::min(1.0f, 0.1f / length), kRadius);
            if ((p.x < 8.0f) != (next.x < 8.0f)) {
                const float z = p.y + (next.y - p.y) * (8.0f - p.x) / (next.x - p.x);
                EXPECT_GT(z, 2.2f + kRadius * 0.9f) << "crossed the wall at z " << z;
                EXPECT_LT(z, 3.8f - kRadius * 0.9f) << "crossed the wall at z " << z;
            }
            p = next;
        }
    }
}

}  // namespace
}  // namespace vt::gallery
