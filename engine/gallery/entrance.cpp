#include "gallery/entrance.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "gallery/collision.h"
#include "gallery/gallery_model.h"

namespace vt::gallery {
namespace {

constexpr float kVisitorRadius = 0.25f;   // metres: the clearance a visitor walks with, the last one tried
constexpr int kMaxSpotsPerSide = 160;     // candidate spots along the longer side of the room at most
constexpr float kSpotSpacing = 0.1f;      // metres between candidate spots in a room up to 16 m across
constexpr float kViewPenalty = 2.0f;      // score per metre the entrance is nearer the artifact than kViewingDistance
constexpr float kLevelGaze = 0.8f;        // times the eye height: the lowest point the entrance looks at

float cross(glm::vec2 u, glm::vec2 v) { return u.x * v.y - u.y * v.x; }

// The open segments ab and cd cross.
bool crosses(glm::vec2 a, glm::vec2 b, glm::vec2 c, glm::vec2 d) {
    return cross(b - a, c - a) * cross(b - a, d - a) < 0.0f && cross(d - c, a - c) * cross(d - c, b - c) < 0.0f;
}

float distanceToSegment(glm::vec2 p, glm::vec2 a, glm::vec2 b) {
    const glm::vec2 ab = b - a;
    const float lengthSquared = glm::dot(ab, ab);
    const float t = lengthSquared > 0.0f ? std::clamp(glm::dot(p - a, ab) / lengthSquared, 0.0f, 1.0f) : 0.0f;
    return glm::distance(p, a + ab * t);
}

// The artifact a visitor entering `room` faces: the first standing in it, else the first of all.
const exhibit::Artifact* firstArtifact(const exhibit::Exhibit& exhibit, const exhibit::Room& room) {
    for (const exhibit::Artifact& a : exhibit.artifacts)
        if (a.room == room.id) return &a;
    return exhibit.artifacts.empty() ? nullptr : &exhibit.artifacts.front();
}

struct Spot {
    glm::vec2 at{0.0f};
    float score = 0.0f;  // lower is better
};

class Finder {
public:
    Finder(const exhibit::Exhibit& exhibit, const exhibit::Room& room, const exhibit::Artifact* facing)
        : exhibit_(exhibit), facing_(facing) {
        // The first room alone: a spot must be in it, and only its walls matter there.
        exhibit::Exhibit firstRoom;
        firstRoom.rooms = {room};
        firstRoom.artifacts = exhibit.artifacts;
        collision_ = Collision::build(firstRoom);
        for (glm::vec2 p : room.floor) centre_ += p;
        centre_ /= float(room.floor.size());
        low_ = high_ = room.floor.front();
        for (glm::vec2 p : room.floor) {
            low_ = glm::min(low_, p);
            high_ = glm::max(high_, p);
        }
    }

    glm::vec2 centre() const { return centre_; }

    // Every spot in the room that keeps `clearance` from walls and stands, best first.
    std::vector<Spot> freeSpots(float clearance) const {
        const glm::vec2 size = high_ - low_;
        const float spacing = std::max(kSpotSpacing, std::max(size.x, size.y) / float(kMaxSpotsPerSide));
        if (!std::isfinite(spacing)) return {};  // a floor the parser let through with an unusable size
        const int columns = std::max(1, int(size.x / spacing)), rows = std::max(1, int(size.y / spacing));
        std::vector<Spot> spots;
        auto consider = [&](glm::vec2 p) {
            if (free(p, clearance)) spots.push_back({p, score(p)});
        };
        consider(centre_);
        for (int row = 0; row < rows; ++row)
            for (int column = 0; column < columns; ++column)
                consider(low_ + (glm::vec2(float(column), float(row)) + 0.5f) * spacing);
        std::stable_sort(spots.begin(), spots.end(), [](const Spot& a, const Spot& b) { return a.score < b.score; });
        return spots;
    }

    // Nothing stands between p and the artifact faced: no wall of the room, no other stand or object.
    bool clearView(glm::vec2 p) const {
        if (!facing_) return true;
        const glm::vec2 target = facing_->positionXZ;
        for (const Collision::Segment& wall : collision_.walls())
            if (crosses(p, target, wall.a, wall.b)) return false;
        for (const exhibit::Artifact& a : exhibit_.artifacts) {
            if (&a == facing_) continue;
            if (a.stand.kind == exhibit::StandKind::None) {
                if (distanceToSegment(a.positionXZ, p, target) < kFloorObjectClearance * 0.5f) return false;
                continue;
            }
            const std::vector<glm::vec2> footprint = standFootprint(a);
            for (size_t i = 0; i < footprint.size(); ++i)
                if (crosses(p, target, footprint[i], footprint[(i + 1) % footprint.size()])) return false;
        }
        return true;
    }

private:
    bool free(glm::vec2 p, float clearance) const {
        if (!collision_.walkable(p, clearance)) return false;
        for (const exhibit::Artifact& a : exhibit_.artifacts)
            if (a.stand.kind == exhibit::StandKind::None && glm::distance(p, a.positionXZ) < kFloorObjectClearance) return false;
        return true;
    }

    // Near the centre, an overview of the room; but not so near the artifact faced that it fills the view.
    float score(glm::vec2 p) const {
        float s = glm::distance(p, centre_);
        if (facing_) s += kViewPenalty * std::max(0.0f, kViewingDistance - glm::distance(p, facing_->positionXZ));
        return s;
    }

    const exhibit::Exhibit& exhibit_;
    const exhibit::Artifact* facing_;
    Collision collision_;
    glm::vec2 centre_{0.0f}, low_{0.0f}, high_{0.0f};
};

}  // namespace

exhibit::CameraPose entrance(const exhibit::Exhibit& exhibit) {
    if (exhibit.start) return *exhibit.start;
    exhibit::CameraPose pose;
    pose.position = {0.0f, exhibit.eyeHeight, 0.0f};
    pose.target = {0.0f, exhibit.eyeHeight, -1.0f};
    if (exhibit.rooms.empty() || exhibit.rooms.front().floor.size() < 3) return pose;
    const exhibit::Room& room = exhibit.rooms.front();
    const exhibit::Artifact* facing = firstArtifact(exhibit, room);
    const Finder finder(exhibit, room, facing);

    // The best spot with a clear view at the wider clearance, then at a visitor's own; else the best
    // free spot whatever stands in the way; else the centre.
    std::optional<glm::vec2> at, blocked;
    for (float clearance : {kEntranceClearance, kVisitorRadius}) {
        const std::vector<Spot> spots = finder.freeSpots(clearance);
        if (!blocked && !spots.empty()) blocked = spots.front().at;
        const auto clear = std::find_if(spots.begin(), spots.end(), [&](const Spot& s) { return finder.clearView(s.at); });
        if (clear != spots.end()) {
            at = clear->at;
            break;
        }
    }
    const glm::vec2 p = at ? *at : blocked ? *blocked : finder.centre();
    pose.position = {p.x, exhibit.eyeHeight, p.y};
    if (facing) {
        // At the object's middle (its height is unknown until its pack opens), never below a level gaze.
        const float y = std::max(facing->baseY() + kDefaultObjectHeight * 0.5f, exhibit.eyeHeight * kLevelGaze);
        pose.target = {facing->positionXZ.x, y, facing->positionXZ.y};
        if (glm::distance(glm::vec2(p), facing->positionXZ) < 1e-3f) pose.target = pose.position + glm::vec3(0, 0, -1);
    } else {
        pose.target = pose.position + glm::vec3(0.0f, 0.0f, -1.0f);
    }
    return pose;
}

}  // namespace vt::gallery
