#include "gallery/exhibit_scene.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include <glm/gtc/quaternion.hpp>

#include "core/log.h"
#include "exhibit/placement.h"
#include "gallery/gallery_model.h"
#include "gallery/lights.h"
#include "net/http_source.h"
#include "pack/pack_reader.h"
#include "stream_gpu/gpu_streamer.h"

namespace vt::gallery {

// A pack whose source is being opened off the render thread (its first HTTP request can take seconds).
struct ExhibitScene::Pending {
    size_t artifact = 0;
    std::string location;
    std::future<Result<std::unique_ptr<pack::ByteSource>>> source;
};

namespace {

constexpr float kMinObstacleClearance = 1.0f;  // metres: an object on no stand whose base is lower blocks walking

std::string streamLabel(const exhibit::Artifact& artifact, const std::string& location) {
    return std::format("artifact '{}': {}", artifact.id, location);
}

// Before its pack opens: a box the size of the stand's footprint, kDefaultObjectHeight tall, where
// the object will stand.
Bounds estimatedBounds(const exhibit::Artifact& artifact) {
    const glm::vec2 half = artifact.stand.kind == exhibit::StandKind::None
                               ? glm::vec2(0.25f)
                               : glm::vec2(artifact.stand.size.x, artifact.stand.size.z) * 0.5f;
    const float radius = std::max(half.x, half.y);
    const float y = artifact.baseY();
    return {{artifact.positionXZ.x - radius, y, artifact.positionXZ.y - radius},
            {artifact.positionXZ.x + radius, y + kDefaultObjectHeight, artifact.positionXZ.y + radius}};
}

float ceilingAbove(const exhibit::Exhibit& exhibit, const exhibit::Artifact& artifact) {
    if (const exhibit::Room* room = exhibit.findRoom(artifact.room)) return room->height;
    float lowest = std::numeric_limits<float>::max();
    for (const exhibit::Room& room : exhibit.rooms) lowest = std::min(lowest, room.height);
    return exhibit.rooms.empty() ? 4.0f : lowest;
}

// The key light's shadow region: the room the (first) eye stands in, from just below its floor to
// just below its ceiling (so the ceiling casts nothing); every room when the eye is in none. A
// visitor walking in one room keeps one region, so the key light's map stays cached.
Bounds keyShadowRegion(const exhibit::Exhibit& exhibit, const Collision& collision, glm::vec3 eye) {
    constexpr float kBelowFloor = 0.1f;     // metres: the floor surface lies inside
    constexpr float kBelowCeiling = 0.02f;  // metres: the ceiling lies outside
    constexpr float kBeyondWalls = 0.05f;   // metres: the walls lie inside
    const std::optional<size_t> room = collision.roomAt(glm::vec2(eye.x, eye.z));
    Bounds region{glm::vec3(std::numeric_limits<float>::max()), glm::vec3(-std::numeric_limits<float>::max())};
    float ceiling = std::numeric_limits<float>::max();
    for (size_t i = 0; i < exhibit.rooms.size(); ++i) {
        if (room && *room != i) continue;
        for (const glm::vec2 corner : exhibit.rooms[i].floor) {
            region.min = glm::min(region.min, glm::vec3(corner.x, 0.0f, corner.y));
            region.max = glm::max(region.max, glm::vec3(corner.x, 0.0f, corner.y));
        }
        ceiling = std::min(ceiling, exhibit.rooms[i].height);
    }
    if (!(region.max.x > region.min.x)) return Bounds{};
    region.min -= glm::vec3(kBeyondWalls, kBelowFloor, kBeyondWalls);
    region.max += glm::vec3(kBeyondWalls, 0.0f, kBeyondWalls);
    region.max.y = ceiling - kBelowCeiling;
    return region;
}

}  // namespace

ExhibitScene::ExhibitScene(gpu::Context& context, render::Renderer& renderer, exhibit::Exhibit exhibit,
                           std::string exhibitPath, SceneOptions options)
    : context_(context),
      renderer_(renderer),
      exhibit_(std::move(exhibit)),
      exhibitPath_(std::move(exhibitPath)),
      options_(options) {}

ExhibitScene::~ExhibitScene() {
    // The streamer's GPU objects and the scene's I/O threads go first; pending URL opens are waited for
    // by their futures (bounded by the HTTP connect timeout and retries).
    streamer_.reset();
    streaming_.reset();
    pending_.clear();
}

Result<std::unique_ptr<ExhibitScene>> ExhibitScene::create(gpu::Context& context, render::Renderer& renderer,
                                                           exhibit::Exhibit exhibit, std::string exhibitPath,
                                                           SceneOptions options) {
    std::unique_ptr<ExhibitScene> scene(
        new ExhibitScene(context, renderer, std::move(exhibit), std::move(exhibitPath), options));
    scene->streaming_ = std::make_unique<stream::StreamingScene>(options.stream);
    scene->streamer_ = std::make_unique<stream::GpuStreamer>(context, renderer, *scene->streaming_);
    scene->collision_ = Collision::build(scene->exhibit_);

    // Gallery lighting: the ambient environment and a dim, high fill standing in for the ceiling
    // lights; the spots do the rest.
    scene->lighting_.sun.direction = glm::normalize(glm::vec3(0.25f, -1.0f, -0.35f));
    scene->lighting_.sun.intensity = 0.6f;
    scene->lighting_.ambientIntensity = 0.8f;
    for (const exhibit::SpotLight& light : scene->exhibit_.lights) scene->extraSpots_.push_back(toSpotLight(light));

    scene->artifacts_.resize(scene->exhibit_.artifacts.size());
    scene->added_.assign(scene->exhibit_.artifacts.size(), false);
    scene->objectFromModel_.assign(scene->exhibit_.artifacts.size(), glm::mat4(1.0f));
    scene->modelBounds_.assign(scene->exhibit_.artifacts.size(), Bounds{});
    for (size_t i = 0; i < scene->artifacts_.size(); ++i) {
        const exhibit::Artifact& artifact = scene->exhibit_.artifacts[i];
        ArtifactInfo& info = scene->artifacts_[i];
        info.artifact = &artifact;
        info.worldFromObject = exhibit::worldFromObject(artifact);
        info.worldBounds = estimatedBounds(artifact);
    }
    scene->rebuildGallery();
    scene->startOpening();
    scene->rebuildLights();
    return scene;
}

void ExhibitScene::startOpening() {
    for (size_t i = 0; i < exhibit_.artifacts.size(); ++i) {
        const exhibit::Artifact& artifact = exhibit_.artifacts[i];
        ArtifactInfo& info = artifacts_[i];
        if (artifact.pack.empty()) {
            info.failed = true;
            errors_.push_back(std::format("artifact '{}': no pack given", artifact.id));
            continue;
        }
        const std::string location = exhibit::resolveResource(exhibitPath_, artifact.pack);
        if (!isHttpUrl(location)) {
            // A local file opens at once (no reading beyond the file's size happens here).
            auto source = pack::openFile(location);
            if (!source) {
                info.failed = true;
                errors_.push_back(std::format("artifact '{}': {}", artifact.id, source.error().message));
                continue;
            }
            info.id = streamer_->add(std::move(*source), streamLabel(artifact, location), info.worldFromModel);
            added_[i] = true;
            continue;
        }
        auto pending = std::make_unique<Pending>();
        pending->artifact = i;
        pending->location = location;
        pending->source = std::async(std::launch::async, [location] { return net::openSource(location); });
        pending_.push_back(std::move(pending));
    }
}

bool ExhibitScene::pollPendingOpens() {
    bool failed = false;
    for (auto it = pending_.begin(); it != pending_.end();) {
        Pending& pending = **it;
        if (pending.source.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            ++it;
            continue;
        }
        auto source = pending.source.get();
        const exhibit::Artifact& artifact = exhibit_.artifacts[pending.artifact];
        ArtifactInfo& info = artifacts_[pending.artifact];
        if (!source) {
            info.failed = true;
            failed = true;
            errors_.push_back(std::format("artifact '{}': {}", artifact.id, source.error().message));
        } else {
            info.id = streamer_->add(std::move(*source), streamLabel(artifact, pending.location), info.worldFromModel);
            added_[pending.artifact] = true;
        }
        it = pending_.erase(it);
    }
    return failed;
}

void ExhibitScene::onArtifactOpened(size_t index) {
    ArtifactInfo& info = artifacts_[index];
    const pack::PackHeader& header = streaming_->reader(info.id)->header();
    exhibit::ModelFrame frame;
    frame.millimetresPerUnit = header.millimetresPerUnit;
    // The pack stores x, y, z, w; glm's constructor takes w first.
    frame.orientation = glm::quat(header.orientation.w, header.orientation.x, header.orientation.y, header.orientation.z);
    frame.bounds = header.bounds;
    objectFromModel_[index] = exhibit::objectFromModel(*info.artifact, frame);
    modelBounds_[index] = header.bounds;
    info.worldFromModel = info.worldFromObject * objectFromModel_[index];
    info.worldBounds = transformBounds(header.bounds, info.worldFromModel);
    info.open = true;
    streaming_->setWorldFromModel(info.id, info.worldFromModel);
    if (info.artifact->stand.kind == exhibit::StandKind::Vitrine) galleryStale_ = true;
    // An object standing on the floor without a stand blocks the way with its own footprint.
    if (info.artifact->stand.kind == exhibit::StandKind::None && info.artifact->baseY() < kMinObstacleClearance) {
        const Bounds& b = info.worldBounds;
        collision_.addObstacle({{b.min.x, b.min.z}, {b.max.x, b.min.z}, {b.max.x, b.max.z}, {b.min.x, b.max.z}});
    }
}

void ExhibitScene::rebuildLights() {
    lighting_.spots = extraSpots_;
    for (const ArtifactInfo& info : artifacts_) {
        if (info.failed) continue;
        const float ceiling = ceilingAbove(exhibit_, *info.artifact);
        if (auto spot = artifactSpotLight(*info.artifact, info.worldBounds, ceiling)) lighting_.spots.push_back(*spot);
    }
}

void ExhibitScene::rebuildGallery() {
    std::vector<float> heights(artifacts_.size(), 0.0f);
    for (size_t i = 0; i < artifacts_.size(); ++i)
        if (artifacts_[i].open) heights[i] = artifacts_[i].worldBounds.max.y - artifacts_[i].artifact->baseY();
    galleryModel_ = buildGalleryModel(exhibit_, heights);
    // The old model may still be read by frames in flight: its buffers are retired, not freed.
    galleryGpu_ = std::make_unique<render::GpuModel>(renderer_.upload(galleryModel_));
    items_ = {render::DrawItem{galleryGpu_.get(), glm::mat4(1.0f)}};
    galleryStale_ = false;
}

render::FrameInput ExhibitScene::prepareFrame(std::span<const scene::View> views, glm::uvec2 viewportPixels) {
    // A failed artifact's light goes out; an opened one's is re-aimed at its real bounds.
    bool lightsChanged = pollPendingOpens();
    streaming_->update(views, viewportPixels);
    // Place each artifact as soon as its header is known: its root page becomes resident in this
    // frame's upload at the earliest, so it is drawn placed from its first frame on.
    for (size_t i = 0; i < artifacts_.size(); ++i) {
        ArtifactInfo& info = artifacts_[i];
        if (!added_[i] || info.open || info.failed) continue;
        const stream::ArtifactStatus status = streaming_->status(info.id);
        if (status.state == stream::ArtifactState::Failed) {
            info.failed = true;
            lightsChanged = true;
        } else if (streaming_->reader(info.id)) {
            onArtifactOpened(i);
            lightsChanged = true;
        }
    }
    if (lightsChanged) rebuildLights();
    if (galleryStale_) rebuildGallery();
    for (std::string& error : streaming_->takeErrors()) errors_.push_back(std::move(error));

    const std::span<const render::ClusterDraw> clusters = streamer_->prepareFrame(options_.uploadBytesPerFrame);

    frameLighting_.sun = lighting_.sun;
    if (!views.empty()) frameLighting_.sun.shadowRegion = keyShadowRegion(exhibit_, collision_, views[0].position);
    frameLighting_.environment = lighting_.environment;
    frameLighting_.ambientIntensity = lighting_.ambientIntensity;
    frameLighting_.exposure = lighting_.exposure;
    frameLighting_.toneMapper = lighting_.toneMapper;
    frameLighting_.spots.clear();
    // The shadow budget is chosen like the lights themselves: the best-scoring few cast shadows.
    const std::vector<uint32_t> shadowed = selectSpotLights(lighting_.spots, views, render::kMaxShadowedSpots);
    for (const SelectedSpot& chosen : chooseSpotLights(lighting_.spots, views, maxSpotLightsPerFrame())) {
        if (chosen.fade <= 0.0f) continue;
        scene::SpotLight spot = lighting_.spots[chosen.index];
        spot.intensity *= chosen.fade;
        spot.castsShadow = std::ranges::binary_search(shadowed, chosen.index);
        frameLighting_.spots.push_back(spot);
    }

    render::FrameInput input;
    input.views = views;
    input.items = items_;
    input.clusters = clusters;
    input.lighting = &frameLighting_;
    return input;
}

std::optional<size_t> ExhibitScene::artifactAt(glm::vec3 worldPoint, float tolerance) const {
    std::optional<size_t> best;
    float bestDistance = std::numeric_limits<float>::max();
    for (size_t i = 0; i < artifacts_.size(); ++i) {
        const ArtifactInfo& info = artifacts_[i];
        if (info.failed) continue;
        const glm::vec3 lo = info.worldBounds.min - tolerance, hi = info.worldBounds.max + tolerance;
        if (glm::any(glm::lessThan(worldPoint, lo)) || glm::any(glm::greaterThan(worldPoint, hi))) continue;
        const float distance = glm::length(worldPoint - info.worldBounds.center());
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best;
}

std::optional<size_t> ExhibitScene::rayPick(glm::vec3 origin, glm::vec3 direction) const {
    std::optional<size_t> best;
    float bestT = std::numeric_limits<float>::max();
    for (size_t i = 0; i < artifacts_.size(); ++i) {
        const ArtifactInfo& info = artifacts_[i];
        if (info.failed) continue;
        // Slab test; a zero direction component gives +-inf, which the min/max handle.
        float t0 = 0.0f, t1 = std::numeric_limits<float>::max();
        bool miss = false;
        for (int axis = 0; axis < 3 && !miss; ++axis) {
            const float d = direction[axis], o = origin[axis];
            const float lo = info.worldBounds.min[axis], hi = info.worldBounds.max[axis];
            if (std::abs(d) < 1e-12f) {
                miss = o < lo || o > hi;
                continue;
            }
            float a = (lo - o) / d, b = (hi - o) / d;
            if (a > b) std::swap(a, b);
            t0 = std::max(t0, a);
            t1 = std::min(t1, b);
            miss = t0 > t1;
        }
        if (!miss && t0 < bestT) {
            bestT = t0;
            best = i;
        }
    }
    return best;
}

void ExhibitScene::setWorldFromObject(size_t artifact, const glm::mat4& worldFromObject) {
    ArtifactInfo& info = artifacts_.at(artifact);
    info.worldFromObject = worldFromObject;
    if (!info.open) {
        info.worldBounds = transformBounds(
            estimatedBounds(*info.artifact), worldFromObject * glm::inverse(exhibit::worldFromObject(*info.artifact)));
        return;
    }
    info.worldFromModel = worldFromObject * objectFromModel_[artifact];
    info.worldBounds = transformBounds(modelBounds_[artifact], info.worldFromModel);
    streaming_->setWorldFromModel(info.id, info.worldFromModel);
}

void ExhibitScene::resetPlacement(size_t artifact) {
    setWorldFromObject(artifact, exhibit::worldFromObject(*artifacts_.at(artifact).artifact));
}

glm::vec3 ExhibitScene::annotationWorldPosition(size_t artifact, size_t annotation) const {
    const ArtifactInfo& info = artifacts_.at(artifact);
    const exhibit::Annotation& note = info.artifact->annotations.at(annotation);
    return glm::vec3(info.worldFromObject * glm::vec4(note.position, 1.0f));
}

std::vector<std::string> ExhibitScene::takeErrors() { return std::exchange(errors_, {}); }

stream::StreamStats ExhibitScene::stats() const { return streaming_->stats(); }

void ExhibitScene::setStreamOptions(const stream::StreamOptions& options) {
    options_.stream = options;
    streaming_->setOptions(options);
}

bool ExhibitScene::settled() const {
    if (!pending_.empty() || galleryStale_) return false;
    for (size_t i = 0; i < artifacts_.size(); ++i)
        if (added_[i] && !artifacts_[i].open && !artifacts_[i].failed) return false;
    return streaming_->settled() && !streamer_->texturesPending();
}

}  // namespace vt::gallery
