// App: requests that read back the depth of what was drawn (picking, measuring, annotation markers on
// the surface and behind it), and what is done with the depth when it arrives.
#include "viewer/app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vt::viewer {

void App::click(glm::vec2 pixel) {
    picks_.push_back({panels_.measure ? PickRequest::Purpose::MeasurePoint : PickRequest::Purpose::Select, pixel, 0});
}

void App::measure(glm::vec2 a, glm::vec2 b) {
    panels_.measure = true;
    measurePoints_.clear();
    picks_.push_back({PickRequest::Purpose::MeasurePoint, a, 0});
    picks_.push_back({PickRequest::Purpose::MeasurePoint, b, 0});
}

void App::measureSpan(size_t artifact) {
    panels_.measure = true;
    measurePoints_.clear();
    picks_.push_back({PickRequest::Purpose::MeasureSpan, {}, artifact});
}

namespace {

// The world point drawn at the centre of pixel (x, y) with depth d.
glm::vec3 worldAt(const glm::mat4& worldFromClip, glm::uvec2 extent, float x, float y, float d) {
    const glm::vec4 ndc{(x + 0.5f) / float(extent.x) * 2.0f - 1.0f, (y + 0.5f) / float(extent.y) * 2.0f - 1.0f, d, 1.0f};
    const glm::vec4 world = worldFromClip * ndc;
    return glm::vec3(world) / world.w;
}

// The pixel a world point is drawn at; nullopt behind the camera or outside the image.
std::optional<glm::vec2> pixelOf(const scene::View& view, glm::uvec2 extent, glm::vec3 world) {
    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(world, 1.0f);
    if (clip.w <= 0.0f) return std::nullopt;
    const glm::vec2 pixel{(clip.x / clip.w * 0.5f + 0.5f) * float(extent.x), (clip.y / clip.w * 0.5f + 0.5f) * float(extent.y)};
    if (pixel.x < 0 || pixel.y < 0 || pixel.x >= float(extent.x) || pixel.y >= float(extent.y)) return std::nullopt;
    return pixel;
}

}  // namespace

std::optional<glm::vec3> App::unproject(const DepthImage& image, glm::vec2 pixel) const {
    const int x0 = int(pixel.x), y0 = int(pixel.y);
    // Snap to the nearest drawn pixel within a few pixels, so a click on a silhouette still lands.
    constexpr int kSnapPixels = 4;
    int bestX = -1, bestY = -1, bestDistance = 1 << 30;
    for (int dy = -kSnapPixels; dy <= kSnapPixels; ++dy)
        for (int dx = -kSnapPixels; dx <= kSnapPixels; ++dx) {
            const int x = x0 + dx, y = y0 + dy;
            if (x < 0 || y < 0 || x >= int(image.extent.x) || y >= int(image.extent.y)) continue;
            if (image.at(uint32_t(x), uint32_t(y)) <= 0.0f) continue;
            if (dx * dx + dy * dy < bestDistance) {
                bestDistance = dx * dx + dy * dy;
                bestX = x;
                bestY = y;
            }
        }
    if (bestX < 0) return std::nullopt;
    return worldAt(image.worldFromClip, image.extent, float(bestX), float(bestY), image.at(uint32_t(bestX), uint32_t(bestY)));
}

float App::markerReach(size_t artifact) const {
    return std::max(0.03f, 0.15f * scene_.artifacts()[artifact].worldBounds.radius());
}

void App::onDepth(const float* depth, glm::uvec2 extent, const scene::View& view) {
    const DepthImage image{depth, extent, view, glm::inverse(view.clipFromWorld())};
    const std::vector<PickRequest> picks = std::exchange(picks_, {});
    for (const PickRequest& pick : picks) {
        switch (pick.purpose) {
        case PickRequest::Purpose::Select: selectAt(image, pick.pixel); break;
        case PickRequest::Purpose::MeasurePoint: addMeasurePoint(image, pick.pixel); break;
        case PickRequest::Purpose::SnapAnnotations: snapAnnotations(image, pick.artifact); break;
        case PickRequest::Purpose::MarkerOcclusion: findHiddenMarkers(image); break;
        case PickRequest::Purpose::MeasureSpan: measureSpanOf(image, pick.artifact); break;
        }
    }
    std::fflush(stdout);
}

void App::selectAt(const DepthImage& image, glm::vec2 pixel) {
    const auto point = unproject(image, pixel);
    const auto artifact = point ? scene_.artifactAt(*point) : std::nullopt;
    if (artifact) {
        inspect(*artifact);
        std::printf("selected: %s\n", scene_.exhibit().artifacts[*artifact].id.c_str());
    } else {
        std::printf("selected: nothing at pixel (%.0f, %.0f)\n", pixel.x, pixel.y);
    }
}

void App::addMeasurePoint(const DepthImage& image, glm::vec2 pixel) {
    const auto point = unproject(image, pixel);
    if (!point) {
        std::printf("measure: nothing under pixel (%.0f, %.0f)\n", pixel.x, pixel.y);
        return;
    }
    if (measurePoints_.size() >= 2) measurePoints_.clear();
    measurePoints_.push_back(*point);
    if (measurePoints_.size() == 2) finishMeasure();
}

// The surface point under each marker, if it is near the given position (a marker behind the
// object, or off screen, keeps its position).
void App::snapAnnotations(const DepthImage& image, size_t artifact) {
    const auto& notes = scene_.exhibit().artifacts[artifact].annotations;
    const float reach = markerReach(artifact);
    for (size_t n = 0; n < notes.size(); ++n) {
        const glm::vec3 given = scene_.annotationWorldPosition(artifact, n);
        const auto pixel = pixelOf(image.view, image.extent, given);
        if (!pixel) continue;
        const auto surface = unproject(image, *pixel);
        if (surface && glm::distance(*surface, given) <= reach) snapped_[{artifact, n}] = *surface;
    }
    occlusionClipFromWorld_ = glm::mat4(0.0f);  // the markers moved: read which are hidden again
    size_t onSurface = 0;
    for (size_t n = 0; n < notes.size(); ++n) onSurface += snapped_.contains({artifact, n});
    std::printf("annotations: %zu of %zu on the surface of '%s'\n", onSurface, notes.size(),
                scene_.exhibit().artifacts[artifact].id.c_str());
}

// A marker is hidden where the surface drawn at its pixel is nearer than the marker by more than
// the snapping reach (markers not snapped may sit a little inside the surface).
void App::findHiddenMarkers(const DepthImage& image) {
    std::set<std::pair<size_t, size_t>> hidden;
    const auto& artifacts = scene_.exhibit().artifacts;
    const scene::View& view = image.view;
    for (size_t a = 0; a < artifacts.size(); ++a) {
        if (!showsMarkers(a, view)) continue;
        const float reach = markerReach(a);
        for (size_t n = 0; n < artifacts[a].annotations.size(); ++n) {
            const glm::vec3 marker = annotationPosition(a, n);
            const auto pixel = pixelOf(view, image.extent, marker);
            if (!pixel) continue;
            const float d = image.at(uint32_t(pixel->x), uint32_t(pixel->y));
            if (d <= 0.0f) continue;  // nothing drawn there
            const glm::vec3 surface = worldAt(image.worldFromClip, image.extent, std::floor(pixel->x), std::floor(pixel->y), d);
            if (glm::distance(surface, view.position) < glm::distance(marker, view.position) - reach) hidden.insert({a, n});
        }
    }
    if (hidden != hiddenMarkers_)
        std::printf("annotations: %zu marker%s behind the surface\n", hidden.size(), hidden.size() == 1 ? "" : "s");
    hiddenMarkers_ = std::move(hidden);
}

// Between the leftmost and rightmost drawn pixels that belong to the object (not its plinth's top).
void App::measureSpanOf(const DepthImage& image, size_t artifact) {
    const Bounds bounds = scene_.artifacts()[artifact].worldBounds;
    float left = 1e9f, right = -1e9f;
    glm::vec3 leftPoint{0.0f}, rightPoint{0.0f};
    for (uint32_t y = 0; y < image.extent.y; ++y)
        for (uint32_t x = 0; x < image.extent.x; ++x) {
            const float d = image.at(x, y);
            if (d <= 0.0f) continue;
            const glm::vec3 p = worldAt(image.worldFromClip, image.extent, float(x), float(y), d);
            if (p.y <= bounds.min.y + 0.002f) continue;
            if (glm::any(glm::lessThan(p, bounds.min - 0.002f)) || glm::any(glm::greaterThan(p, bounds.max + 0.002f)))
                continue;
            if (float(x) < left) left = float(x), leftPoint = p;
            if (float(x) > right) right = float(x), rightPoint = p;
        }
    if (right < left) {
        std::printf("measure: artifact '%s' is not in view\n", scene_.exhibit().artifacts[artifact].id.c_str());
        return;
    }
    measurePoints_ = {leftPoint, rightPoint};
    finishMeasure();
}

void App::finishMeasure() {
    const glm::vec3 a = measurePoints_[0], b = measurePoints_[1];
    // The gallery shows the object at `scale` times life size (metres); the real object is what counts.
    const auto artifact = scene_.artifactAt((a + b) * 0.5f, 0.05f);
    float scale = 1.0f;
    std::string id = "-";
    if (artifact) {
        scale = scene_.exhibit().artifacts[*artifact].scale;
        id = scene_.exhibit().artifacts[*artifact].id;
    }
    lastMeasureMm_ = double(glm::distance(a, b)) * 1000.0 / double(scale);
    std::printf("measure: %.1f mm on '%s' (%s), from (%.4f, %.4f, %.4f) to (%.4f, %.4f, %.4f) m\n", lastMeasureMm_,
                id.c_str(), formatLength(lastMeasureMm_).c_str(), a.x, a.y, a.z, b.x, b.y, b.z);
    std::fflush(stdout);
}

}  // namespace vt::viewer
