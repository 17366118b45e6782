#pragma once
// An exhibit, live: the gallery geometry on the GPU, every artifact streamed from its pack (a file
// next to the exhibit or an http(s) URL), the lights, picking and walking collision. Shared by the
// desktop viewer and the XR app; both call prepareFrame() once per frame on their render thread and
// hand the returned FrameInput to Renderer::record().
//
// Artifacts open in the background; the frame loop never waits on the disk or the network. A pack
// that is missing, unreachable or malformed is reported once through takeErrors() (naming the
// artifact id and the file or URL) and left out; its stand still shows and every other artifact
// opens as usual. Each artifact's placement (exhibit/placement.h) is applied as soon as its pack
// header is known, before it draws anything.
//
// Threads: every member function must be called from the render thread (the one calling
// prepareFrame()). The scene must be destroyed before the Renderer and Context it was created with.

#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "core/bounds.h"
#include "core/result.h"
#include "exhibit/exhibit.h"
#include "gallery/collision.h"
#include "gpu/context.h"
#include "render/renderer.h"
#include "scene/camera.h"
#include "scene/lighting.h"
#include "stream/streaming_scene.h"

namespace vt::stream {
class GpuStreamer;
}

namespace vt::gallery {

struct SceneOptions {
    stream::StreamOptions stream;
    uint64_t uploadBytesPerFrame = 32ull << 20;  // decoded page bytes uploaded per frame at most
};

struct ArtifactInfo {
    const exhibit::Artifact* artifact = nullptr;  // into ExhibitScene::exhibit()
    stream::ArtifactId id = 0;                    // in the streaming scene; meaningless while !added
    bool open = false;    // its pack header is known: worldFromModel and worldBounds are exact
    bool failed = false;  // missing, unreachable or malformed pack: it will never show
    // World bounds of the placed object; until open, an estimate (a box of the stand's footprint,
    // kDefaultObjectHeight tall, on the stand).
    Bounds worldBounds;
    glm::mat4 worldFromObject{1.0f};  // the artifact's frame (centre of its base, Y up), from the exhibit
    glm::mat4 worldFromModel{1.0f};   // pack model units -> world; identity until open
};

class ExhibitScene {
public:
    // Uploads the gallery geometry and starts opening every artifact's pack. exhibitPath: the exhibit
    // file's path, against which relative pack paths resolve. Errors only for a device failure;
    // missing packs are reported by takeErrors().
    static Result<std::unique_ptr<ExhibitScene>> create(gpu::Context& context, render::Renderer& renderer,
                                                        exhibit::Exhibit exhibit, std::string exhibitPath,
                                                        SceneOptions options = {});
    ~ExhibitScene();
    ExhibitScene(const ExhibitScene&) = delete;
    ExhibitScene& operator=(const ExhibitScene&) = delete;

    // Per frame on the render thread: streams for these views (one, or two eyes), uploads what
    // arrived, chooses the spot lights that matter for these views, and returns the frame's input
    // (its spans and lighting stay valid until the next call or the scene's destruction).
    render::FrameInput prepareFrame(std::span<const scene::View> views, glm::uvec2 viewportPixels);

    const exhibit::Exhibit& exhibit() const { return exhibit_; }
    // Same order as exhibit().artifacts.
    std::span<const ArtifactInfo> artifacts() const { return artifacts_; }

    // The artifact whose world bounds, grown by `tolerance` metres, hold `worldPoint` (e.g. a depth
    // readback under the cursor); the one with the nearest centre when several do.
    std::optional<size_t> artifactAt(glm::vec3 worldPoint, float tolerance = 0.02f) const;
    // The artifact whose world bounds the ray hits first (XR pointing); `direction` need not be unit.
    // Only hits in front of the origin count; walls do not block it.
    std::optional<size_t> rayPick(glm::vec3 origin, glm::vec3 direction) const;

    // Walls, stands, and (once open) the footprints of objects standing on the floor without a stand.
    const Collision& collision() const { return collision_; }

    // Moves an artifact (an XR hand holding it, a curator nudging it): its object frame in the world,
    // as ArtifactInfo::worldFromObject. worldFromModel, worldBounds, annotations and the streamed LOD
    // follow from the next prepareFrame(); its spot light and stand stay where the exhibit put them.
    void setWorldFromObject(size_t artifact, const glm::mat4& worldFromObject);
    // Puts it back where the exhibit places it.
    void resetPlacement(size_t artifact);

    // An annotation's position in the world (its Annotation::position is in the artifact's object
    // frame, so it is known before the pack opens).
    glm::vec3 annotationWorldPosition(size_t artifact, size_t annotation) const;

    // Problems since the last call, each reported once: "artifact 'whale': packs/whale.vpk: ...".
    std::vector<std::string> takeErrors();

    stream::StreamStats stats() const;
    // Quality (pixel error threshold) and memory budgets; ioThreads stays as created.
    void setStreamOptions(const stream::StreamOptions& options);
    // Everything the current views need is resident, every texture loaded, every pack open or failed.
    bool settled() const;

    // The lights: sun, environment, exposure and every spot (the exhibit's extra lights first, then one
    // per open artifact, rebuilt when an artifact opens). prepareFrame() draws the most relevant
    // maxSpotLightsPerFrame() of them. Edit freely between frames.
    scene::Lighting& lighting() { return lighting_; }

    // The gallery geometry as built (for tools and tests).
    const asset::Model& galleryModel() const { return galleryModel_; }

private:
    struct Pending;
    ExhibitScene(gpu::Context& context, render::Renderer& renderer, exhibit::Exhibit exhibit, std::string exhibitPath,
                 SceneOptions options);
    void startOpening();
    bool pollPendingOpens();  // true when an open failed
    void onArtifactOpened(size_t index);
    void rebuildLights();
    void rebuildGallery();

    gpu::Context& context_;
    render::Renderer& renderer_;
    exhibit::Exhibit exhibit_;
    std::string exhibitPath_;
    SceneOptions options_;

    std::unique_ptr<stream::StreamingScene> streaming_;
    std::unique_ptr<stream::GpuStreamer> streamer_;
    std::vector<ArtifactInfo> artifacts_;
    std::vector<bool> added_;                           // by artifact: handed to the streaming scene
    std::vector<glm::mat4> objectFromModel_;            // by artifact, once open
    std::vector<Bounds> modelBounds_;                   // by artifact, once open: the pack's bounds
    std::vector<std::unique_ptr<Pending>> pending_;     // URL opens in flight
    std::vector<std::string> errors_;

    Collision collision_;
    asset::Model galleryModel_;
    std::unique_ptr<render::GpuModel> galleryGpu_;
    bool galleryStale_ = false;                         // a vitrine's object height became known
    std::vector<render::DrawItem> items_;

    scene::Lighting lighting_;
    std::vector<scene::SpotLight> extraSpots_;          // the exhibit's lights
    scene::Lighting frameLighting_;
};

}  // namespace vt::gallery
