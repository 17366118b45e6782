#pragma once
// The GPU half of streaming: turns what a stream::StreamingScene hands over into GPU buffers and
// render::ClusterDraws, and frees what it evicts. Also loads each artifact's materials and its
// block-compressed textures (on a background thread, through a second reader of the same pack, so
// the frame loop never waits for them; until they arrive the material's factors draw alone).
//
// Per frame, on the frame thread, after scene.update():
//     auto draws = streamer.prepareFrame(kUploadBytesPerFrame);
//     renderer.record(..., FrameInput{views, {}, draws, &lighting}, target);
//
// Owns one vertex and one index buffer per resident page (GpuVertex / uint32), freed through the
// Context's retire list, so evicting a page the GPU still reads is safe.

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "gpu/context.h"
#include "gpu/upload_batch.h"
#include "pack/byte_source.h"
#include "pack/pack_format.h"
#include "render/renderer.h"
#include "stream/streaming_scene.h"

namespace vt::stream {

struct GpuStreamerStats {
    uint64_t uploadedBytes = 0;   // all page uploads so far
    uint32_t pagesUploaded = 0;
    uint32_t pagesFreed = 0;
    uint32_t texturesLoaded = 0;
};

class GpuStreamer {
public:
    // How to open a second, independent source for an artifact's textures (e.g. net::openSource on
    // the same path or URL); null: the artifact draws untextured.
    using SourceOpener = std::function<Result<std::unique_ptr<pack::ByteSource>>()>;

    GpuStreamer(gpu::Context& context, render::Renderer& renderer, StreamingScene& scene);
    ~GpuStreamer();

    // Adds an artifact to the scene and remembers how to fetch its textures.
    ArtifactId add(std::unique_ptr<pack::ByteSource> source, std::string label, const glm::mat4& worldFromModel,
                   SourceOpener textureSource);

    // Frees evicted pages, uploads up to `uploadBytesPerFrame` of decoded pages, sets up materials of
    // newly opened artifacts and installs textures that finished loading. Returns this frame's draws
    // (valid until the next call).
    std::span<const render::ClusterDraw> prepareFrame(uint64_t uploadBytesPerFrame);

    const GpuStreamerStats& stats() const { return stats_; }
    // True while some artifact's textures are still on their way.
    bool texturesPending() const;

private:
    struct PageBuffers {
        gpu::Buffer vertices;
        gpu::Buffer indices;
        struct Range {
            uint32_t firstIndex, indexCount;
            int32_t vertexOffset;
            bool hasTexcoords;
        };
        std::vector<Range> clusters;  // by cluster index within the page
    };
    // Every mip of every texture of one artifact, as fetched by the background loader.
    struct LoadedTextures {
        struct Texture {
            pack::TextureFormat format;
            uint32_t width = 0, height = 0;
            std::vector<uint8_t> mips;  // mip 0 first, tightly packed
            uint32_t mipCount = 0;
        };
        std::vector<Texture> textures;
    };
    struct ArtifactGpu {
        SourceOpener textureSource;
        bool materialsReady = false;
        render::GpuMaterialSet materials;
        std::vector<gpu::Image> textures;
        std::future<Result<LoadedTextures>> pendingTextures;
        bool texturesRequested = false;
    };
    void setUpMaterials(ArtifactId id, ArtifactGpu& artifact);
    void installTextures(ArtifactId id, ArtifactGpu& artifact, LoadedTextures&& loaded);
    void upload(ReadyPage& page, gpu::UploadBatch& batch);

    gpu::Context& context_;
    render::Renderer& renderer_;
    StreamingScene& scene_;
    std::map<ArtifactId, ArtifactGpu> artifacts_;
    std::map<std::pair<ArtifactId, uint32_t>, PageBuffers> pages_;
    std::vector<render::ClusterDraw> draws_;
    GpuStreamerStats stats_;
};

}  // namespace vt::stream
