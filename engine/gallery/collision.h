#pragma once
// Walking collision for visitors, in 2D on the floor plane (x, z): the gallery's walls (minus their
// openings) and the footprints of plinths and vitrines. A visitor is a disc of some radius.

#include <optional>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "exhibit/exhibit.h"

namespace vt::gallery {

class Collision {
public:
    struct Segment {
        glm::vec2 a{0.0f}, b{0.0f};
    };

    static Collision build(const exhibit::Exhibit& exhibit);

    // Moves a disc of `radius` metres from `from` towards `to`: it stops at walls and stands and
    // slides along them, and never passes through one (the move is taken in steps shorter than the
    // radius). Returns where it ends up. A start closer than `radius` to a wall first steps back out
    // to its own side; a start outside every room moves as asked, pushed out of walls on the way.
    glm::vec2 resolveMove(glm::vec2 from, glm::vec2 to, float radius) const;

    // Inside some room's floor and at least `radius` from every wall and stand.
    bool walkable(glm::vec2 p, float radius) const;

    // Inside some room's floor polygon (ignoring walls' and stands' clearance).
    bool insideRoom(glm::vec2 p) const;
    // The first room (index into the exhibit's rooms) whose floor polygon holds p.
    std::optional<size_t> roomAt(glm::vec2 p) const;

    // Adds a convex obstacle (corners in order, either winding), e.g. the footprint of an object that
    // stands on the floor without a plinth, known once its pack opens.
    void addObstacle(std::vector<glm::vec2> footprint);

    std::span<const Segment> walls() const { return walls_; }                          // room walls minus openings
    std::span<const std::vector<glm::vec2>> standFootprints() const { return stands_; }  // stands and obstacles, convex

private:
    // Pushes p out of everything it overlaps (a few relaxation passes).
    glm::vec2 pushOut(glm::vec2 p, float radius) const;

    std::vector<Segment> walls_;                   // room walls minus openings
    std::vector<Segment> blockers_;                // walls_ + every stand's edges, for pushing out
    std::vector<std::vector<glm::vec2>> rooms_;    // floor polygons
    std::vector<std::vector<glm::vec2>> stands_;   // footprints
};

}  // namespace vt::gallery
