#include "gallery/collision.h"

#include <algorithm>
#include <cmath>

#include "gallery/gallery_model.h"

namespace vt::gallery {
namespace {

constexpr int kMaxSteps = 10000;           // longest move taken in full: 10000 half-radii (1.25 km at 0.25 m)
constexpr int kPushPasses = 4;             // relaxation passes per step (corners need more than one)
constexpr float kMinOpeningHeight = 1.2f;  // metres: lower openings (a window, a hatch) are not walked through

glm::vec2 closestOnSegment(glm::vec2 p, glm::vec2 a, glm::vec2 b) {
    const glm::vec2 ab = b - a;
    const float lengthSquared = glm::dot(ab, ab);
    const float t = lengthSquared > 0.0f ? std::clamp(glm::dot(p - a, ab) / lengthSquared, 0.0f, 1.0f) : 0.0f;
    return a + ab * t;
}

bool insidePolygon(glm::vec2 p, std::span<const glm::vec2> polygon) {
    bool inside = false;
    for (size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const glm::vec2 a = polygon[i], b = polygon[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
    return inside;
}

}  // namespace

Collision Collision::build(const exhibit::Exhibit& exhibit) {
    Collision collision;
    for (const exhibit::Room& room : exhibit.rooms) {
        const size_t n = room.floor.size();
        // Kept by index, so roomAt() indexes the exhibit's rooms; an unusable floor holds nothing.
        collision.rooms_.push_back(n < 3 ? std::vector<glm::vec2>{} : room.floor);
        if (n < 3) continue;
        for (size_t i = 0; i < n; ++i) {
            const glm::vec2 a = room.floor[i], b = room.floor[(i + 1) % n];
            const float length = glm::length(b - a);
            if (length <= 0.0f) continue;
            // The wall minus its walkable openings, as pieces along its length.
            std::vector<std::pair<float, float>> gaps;
            for (const exhibit::Opening& opening : room.openings)
                if (opening.edge == i && opening.height >= kMinOpeningHeight)
                    gaps.emplace_back(opening.center - opening.width * 0.5f, opening.center + opening.width * 0.5f);
            std::sort(gaps.begin(), gaps.end());
            float s = 0.0f;
            auto piece = [&](float s0, float s1) {
                s0 = std::clamp(s0, 0.0f, length);
                s1 = std::clamp(s1, 0.0f, length);
                if (s1 > s0) collision.walls_.push_back({a + (b - a) * (s0 / length), a + (b - a) * (s1 / length)});
            };
            for (const auto& [start, end] : gaps) {
                piece(s, start);
                s = std::max(s, end);
            }
            piece(s, length);
        }
    }
    collision.blockers_ = collision.walls_;
    for (const exhibit::Artifact& artifact : exhibit.artifacts) collision.addObstacle(standFootprint(artifact));
    return collision;
}

void Collision::addObstacle(std::vector<glm::vec2> footprint) {
    if (footprint.size() < 3) return;
    for (size_t i = 0; i < footprint.size(); ++i) blockers_.push_back({footprint[i], footprint[(i + 1) % footprint.size()]});
    stands_.push_back(std::move(footprint));
}

bool Collision::insideRoom(glm::vec2 p) const {
    return roomAt(p).has_value();
}

std::optional<size_t> Collision::roomAt(glm::vec2 p) const {
    for (size_t i = 0; i < rooms_.size(); ++i)
        if (insidePolygon(p, rooms_[i])) return i;
    return std::nullopt;
}

bool Collision::walkable(glm::vec2 p, float radius) const {
    if (!insideRoom(p)) return false;
    for (const auto& stand : stands_)
        if (insidePolygon(p, stand)) return false;
    const float r2 = radius * radius;
    for (const Segment& segment : blockers_) {
        const glm::vec2 d = p - closestOnSegment(p, segment.a, segment.b);
        if (glm::dot(d, d) < r2) return false;
    }
    return true;
}

glm::vec2 Collision::pushOut(glm::vec2 p, float radius) const {
    for (int pass = 0; pass < kPushPasses; ++pass) {
        bool moved = false;
        for (const Segment& segment : blockers_) {
            const glm::vec2 closest = closestOnSegment(p, segment.a, segment.b);
            const glm::vec2 d = p - closest;
            const float distance = glm::length(d);
            if (distance >= radius || distance <= 1e-7f) continue;
            p = closest + d * (radius / distance);
            moved = true;
        }
        if (!moved) break;
    }
    return p;
}

glm::vec2 Collision::resolveMove(glm::vec2 from, glm::vec2 to, float radius) const {
    const glm::vec2 delta = to - from;
    const float length = glm::length(delta);
    if (!(length > 0.0f) || !std::isfinite(length)) return from;  // no move, or NaN/inf from the caller
    // Steps of at most half the radius: a disc resting against a wall cannot cross it in one step, so
    // pushing out always pushes back to the side it came from.
    const float maxStep = std::max(radius * 0.5f, 1e-3f);
    const int steps = int(std::min(std::ceil(length / maxStep), float(kMaxSteps)));
    const glm::vec2 step = delta / float(steps);
    // A start closer than `radius` to a wall (a spawn point, a changed radius) first steps back out to
    // its own side, so the first step cannot cross.
    glm::vec2 p = walkable(from, radius * 0.999f) ? from : pushOut(from, radius);
    const bool startWalkable = walkable(p, radius * 0.99f);
    for (int i = 0; i < steps; ++i) {
        const glm::vec2 next = pushOut(p + step, radius);
        if (!walkable(next, radius * 0.99f) && startWalkable) break;  // wedged in a corner: stay at the last good place
        p = next;  // (from an odd start, outside every room, it moves on until it gets somewhere walkable)
    }
    return p;
}

}  // namespace vt::gallery
