#pragma once
// The GPU half of streaming: turns what a stream::StreamingScene hands over into GPU buffers and
// render::ClusterDraws, and frees what it evicts. Also streams each artifact's block-compressed
// textures mip by mip, coarse first: every texture's small mips come in one read (the pack keeps them
// together), so colour shows as soon as the artifact opens; finer levels follow while the screen
// needs them (a texel of the finest level shown should cover at most a pixel, from the scene's
// pixels per unit at the artifact), and a texture shrinks again when the artifact is left far
// behind. Fetches run on a worker through the artifact's own (thread-safe) source; texture memory is
// reserved in the scene's GPU budget with the same eviction rule as pages.
//
// Nothing here waits for the GPU or for I/O: pages, texture levels and material data all go up
// through gpu::UploadBatch (never waited for), at most `uploadBytesPerFrame` a frame (a single item
// larger than that goes alone, so nothing is stuck).
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
    uint32_t texturesLoaded = 0;      // textures with at least one level on the GPU now
    uint32_t textureUploads = 0;      // texture images (re)built with a new finest level
    uint64_t textureUploadedBytes = 0;
    uint64_t textureGpuBytes = 0;     // held now, reserved in the scene's budget
};

class GpuStreamer {
public:
    // Whether an artifact's textures stream (through the artifact's own source, on a worker thread),
    // or it draws with its materials' factors alone.
    enum class Textures { Stream, None };

    GpuStreamer(gpu::Context& context, render::Renderer& renderer, StreamingScene& scene);
    ~GpuStreamer();

    // Adds an artifact to the scene.
    ArtifactId add(std::unique_ptr<pack::ByteSource> source, std::string label, const glm::mat4& worldFromModel,
                   Textures textures = Textures::Stream);

    // Frees evicted pages, uploads up to `uploadBytesPerFrame` of decoded pages, sets up materials of
    // newly opened artifacts and installs textures that finished loading. Returns this frame's draws
    // (valid until the next call).
    std::span<const render::ClusterDraw> prepareFrame(uint64_t uploadBytesPerFrame);

    const GpuStreamerStats& stats() const { return stats_; }
    // True while some texture level the screen needs is still on its way.
    bool texturesPending() const;
    // For tests: the finest mip level of `texture` the GPU holds (its mip count while none).
    uint32_t textureGpuLevel(ArtifactId id, uint32_t texture) const;

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
    // One texture of an artifact, streamed level by level. Fetched levels are kept (compressed GPU
    // blocks, a fraction of the GPU image) so the image can be rebuilt finer or coarser without a refetch.
    struct StreamedTexture {
        pack::TextureInfo info;
        bool sampleable = false;              // this GPU can sample the format
        std::vector<std::vector<uint8_t>> levels;  // by mip level; empty until fetched
        uint32_t fetchedFinest = 0;           // every level >= this is fetched (mipCount: none)
        uint32_t gpuFinest = 0;               // the GPU image holds levels [gpuFinest, mipCount)
        uint32_t wanted = 0;                  // the finest level the screen needs now
        bool refused = false;                 // the budget had no room for the last growth asked
        gpu::Image image;
        uint64_t gpuBytes = 0;                // reserved in the scene's budget (the staged image's, once asked)
        // A rebuild in progress: a worker creates the image and fills a staging buffer from `levels`
        // (which it only reads: fetched levels never change), so the frame thread only records the copy.
        struct Staged {
            gpu::Image image;
            gpu::Buffer staging;
        };
        std::future<Staged> staging;
        uint32_t stagingFinest = 0;
    };
    struct FetchedLevel {
        uint32_t texture, level;
        std::vector<uint8_t> bytes;
    };
    struct ArtifactGpu {
        Textures textures = Textures::Stream;
        bool materialsReady = false;
        render::GpuMaterialSet materials;
        std::vector<StreamedTexture> streamed;
        std::future<Result<std::vector<FetchedLevel>>> pendingFetch;
        bool texturesFailed = false;
    };
    void setUpMaterials(ArtifactId id, ArtifactGpu& artifact);
    void chooseTextureLevels(ArtifactId id, ArtifactGpu& artifact);
    void fetchTextureLevels(ArtifactId id, ArtifactGpu& artifact);
    void collectFetchedLevels(ArtifactGpu& artifact);
    // Starts rebuilding images whose level should change, and installs those staged since; true when
    // a material must be rebuilt.
    bool rebuildTextures(ArtifactId id, ArtifactGpu& artifact, gpu::UploadBatch& batch, uint64_t& budgetBytes);
    void stageTexture(ArtifactId id, StreamedTexture& texture, uint32_t finest);
    void rebuildMaterials(ArtifactId id, ArtifactGpu& artifact);
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
