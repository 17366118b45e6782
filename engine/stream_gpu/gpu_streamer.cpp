#include "stream_gpu/gpu_streamer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/check.h"
#include "core/log.h"
#include "gpu/upload_batch.h"
#include "pack/pack_reader.h"
#include "stream/lod_cut.h"

namespace vt::stream {

namespace {

VkFormat vulkanFormat(pack::TextureFormat format) {
    switch (format) {
        case pack::TextureFormat::Rgba8Unorm: return VK_FORMAT_R8G8B8A8_UNORM;
        case pack::TextureFormat::Rgba8Srgb: return VK_FORMAT_R8G8B8A8_SRGB;
        case pack::TextureFormat::Bc1Unorm: return VK_FORMAT_BC1_RGBA_UNORM_BLOCK;
        case pack::TextureFormat::Bc1Srgb: return VK_FORMAT_BC1_RGBA_SRGB_BLOCK;
        case pack::TextureFormat::Bc3Unorm: return VK_FORMAT_BC3_UNORM_BLOCK;
        case pack::TextureFormat::Bc3Srgb: return VK_FORMAT_BC3_SRGB_BLOCK;
        case pack::TextureFormat::Bc4Unorm: return VK_FORMAT_BC4_UNORM_BLOCK;
        case pack::TextureFormat::Bc5Unorm: return VK_FORMAT_BC5_UNORM_BLOCK;
        case pack::TextureFormat::Bc7Unorm: return VK_FORMAT_BC7_UNORM_BLOCK;
        case pack::TextureFormat::Bc7Srgb: return VK_FORMAT_BC7_SRGB_BLOCK;
    }
    return VK_FORMAT_UNDEFINED;
}

// Levels up to this many stored bytes come in the first read: the writer keeps them together after
// the root page (pack::PackWriterOptions::earlyMipBytes), so every texture shows colour after one read.
constexpr uint64_t kCoarseLevelBytes = 16 * 1024;
// A texture shrinks only when it holds this many levels more than the screen needs, so a visitor
// walking to and fro does not make it rebuild every few steps.
constexpr uint32_t kShrinkHysteresisLevels = 2;

static_assert(sizeof(render::GpuVertex) == kGpuVertexBytes, "the scene's budget counts GPU vertices at this size");

// The size of one level-0 texel on the surface, in model units. A texture atlas spreads its texels
// over the surface; the bounding sphere's area stands in for the surface (larger than most scans',
// so it errs towards sharper).
float levelZeroTexelUnits(const pack::TextureInfo& info, const pack::PackHeader& header) {
    const float radius = std::max(header.bounds.radius(), 1e-6f);
    const float area = 4.0f * 3.14159265f * radius * radius;
    return std::sqrt(area / (float(std::max(info.width, 1u)) * float(std::max(info.height, 1u))));
}

// The image holding levels [finest, mipCount) of a texture.
gpu::ImageDesc imageDesc(const pack::TextureInfo& info, uint32_t finest) {
    return {vulkanFormat(info.format), {std::max(1u, info.width >> finest), std::max(1u, info.height >> finest)},
            info.mipCount - finest, 1, VK_SAMPLE_COUNT_1_BIT, VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT};
}

}  // namespace

GpuStreamer::GpuStreamer(gpu::Context& context, render::Renderer& renderer, StreamingScene& scene)
    : context_(context), renderer_(renderer), scene_(scene) {}

GpuStreamer::~GpuStreamer() {
    // Fetches and staging jobs read our textures' levels: let them finish before anything goes.
    for (auto& [id, artifact] : artifacts_) {
        if (artifact.pendingFetch.valid()) artifact.pendingFetch.wait();
        for (StreamedTexture& texture : artifact.streamed)
            if (texture.staging.valid()) texture.staging.wait();
    }
}

ArtifactId GpuStreamer::add(std::unique_ptr<pack::ByteSource> source, std::string label,
                            const glm::mat4& worldFromModel, Textures textures) {
    const ArtifactId id = scene_.add(std::move(source), std::move(label), worldFromModel);
    artifacts_[id].textures = textures;
    return id;
}

void GpuStreamer::setUpMaterials(ArtifactId id, ArtifactGpu& artifact) {
    const pack::PackReader* reader = scene_.reader(id);
    artifact.materials = renderer_.createMaterials(reader->materials(), {}, reader->label());
    artifact.materialsReady = true;
    if (artifact.textures == Textures::None) return;
    for (const pack::TextureInfo& info : reader->textures()) {
        StreamedTexture texture;
        texture.info = info;
        texture.levels.resize(info.mipCount);
        texture.fetchedFinest = texture.gpuFinest = texture.wanted = info.mipCount;
        VkFormatProperties properties;
        const VkFormat format = vulkanFormat(info.format);
        vkGetPhysicalDeviceFormatProperties(context_.physicalDevice(), format, &properties);
        texture.sampleable =
            format != VK_FORMAT_UNDEFINED && (properties.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT);
        if (!texture.sampleable)
            log::warn("{}: this GPU cannot sample {} textures; drawing without it", reader->label(),
                      pack::textureFormatName(info.format));
        artifact.streamed.push_back(std::move(texture));
    }
}

void GpuStreamer::chooseTextureLevels(ArtifactId id, ArtifactGpu& artifact) {
    // The finest level whose texel covers at most a pixel where the artifact is nearest.
    const float pixelsPerUnit = scene_.pixelsPerUnit(id);
    const pack::PackHeader& header = scene_.reader(id)->header();
    for (StreamedTexture& texture : artifact.streamed) {
        const uint32_t coarsest = texture.info.mipCount - 1;
        if (pixelsPerUnit <= 0.0f) {  // unseen: keep what is there, fetch nothing new
            texture.wanted = std::min(texture.wanted, coarsest);
            continue;
        }
        const float pixelsPerTexel0 = levelZeroTexelUnits(texture.info, header) * pixelsPerUnit;
        const float level = std::isfinite(pixelsPerTexel0) ? std::floor(std::log2(1.0f / pixelsPerTexel0)) : 0.0f;
        texture.wanted = uint32_t(std::clamp(level, 0.0f, float(coarsest)));
    }
}

void GpuStreamer::fetchTextureLevels(ArtifactId id, ArtifactGpu& artifact) {
    // One fetch in flight per artifact: the first takes every texture's coarse levels, later ones the
    // next finer level of each texture that needs it.
    std::vector<pack::PackReader::MipRef> wanted;
    for (uint32_t t = 0; t < artifact.streamed.size(); ++t) {
        const StreamedTexture& texture = artifact.streamed[t];
        if (!texture.sampleable) continue;
        const uint32_t count = texture.info.mipCount;
        if (texture.fetchedFinest == count) {
            uint32_t level = count - 1;
            wanted.push_back({t, level});
            const pack::PackReader* reader = scene_.reader(id);
            while (level > 0 && reader->mip(t, level - 1).bytes <= kCoarseLevelBytes) wanted.push_back({t, --level});
        } else if (texture.fetchedFinest > texture.wanted) {
            wanted.push_back({t, texture.fetchedFinest - 1});
        }
    }
    if (wanted.empty()) return;
    const pack::PackReader* reader = scene_.reader(id);
    // The reader's directory is immutable once open, so the worker may read it; the artifact's source
    // is thread-safe (StreamingScene::add), and the scene outlives us.
    artifact.pendingFetch = std::async(std::launch::async, [reader, wanted, &source = scene_.source(id)]()
                                       -> Result<std::vector<FetchedLevel>> {
        auto bytes = reader->readTextureMips(source, wanted);
        if (!bytes) return std::unexpected(bytes.error());
        std::vector<FetchedLevel> out;
        for (size_t i = 0; i < wanted.size(); ++i) out.push_back({wanted[i].texture, wanted[i].level, std::move((*bytes)[i])});
        return out;
    });
}

void GpuStreamer::upload(ReadyPage& page, gpu::UploadBatch& batch) {
    PageBuffers buffers;
    std::vector<render::GpuVertex> vertices;
    std::vector<uint32_t> indices;
    for (const asset::Cluster& cluster : page.clusters) {
        PageBuffers::Range range{uint32_t(indices.size()), uint32_t(cluster.indices.size()), int32_t(vertices.size()),
                                 cluster.texcoords.size() == cluster.positions.size() && !cluster.positions.empty()};
        for (size_t v = 0; v < cluster.positions.size(); ++v) {
            render::GpuVertex vertex{};
            vertex.position = cluster.positions[v];
            vertex.normal = v < cluster.normals.size() ? cluster.normals[v] : glm::vec3(0, 1, 0);
            vertex.texcoord = v < cluster.texcoords.size() ? cluster.texcoords[v] : glm::vec2(0.0f);
            vertex.color = v < cluster.colors.size() ? cluster.colors[v] : glm::vec4(1.0f);
            vertex.tangent = glm::vec4(0.0f);
            vertices.push_back(vertex);
        }
        indices.insert(indices.end(), cluster.indices.begin(), cluster.indices.end());
        buffers.clusters.push_back(range);
    }
    if (!vertices.empty()) {
        buffers.vertices = batch.uploadBuffer(std::as_bytes(std::span(vertices)), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT,
                                              "streamed page vertices");
        buffers.indices = batch.uploadBuffer(std::as_bytes(std::span(indices)), VK_BUFFER_USAGE_INDEX_BUFFER_BIT,
                                             "streamed page indices");
    }
    stats_.uploadedBytes += vertices.size() * sizeof(render::GpuVertex) + indices.size() * 4;
    stats_.pagesUploaded++;
    pages_[{page.artifact, page.page}] = std::move(buffers);
}

void GpuStreamer::collectFetchedLevels(ArtifactGpu& artifact) {
    if (!artifact.pendingFetch.valid() ||
        artifact.pendingFetch.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return;
    auto fetched = artifact.pendingFetch.get();
    if (!fetched) {
        log::warn("{} (drawing with the texture levels already here)", fetched.error().message);
        artifact.texturesFailed = true;
        return;
    }
    for (FetchedLevel& level : *fetched) {
        StreamedTexture& texture = artifact.streamed[level.texture];
        texture.levels[level.level] = std::move(level.bytes);
        while (texture.fetchedFinest > 0 && !texture.levels[texture.fetchedFinest - 1].empty()) --texture.fetchedFinest;
        if (texture.fetchedFinest == texture.info.mipCount && !texture.levels.back().empty())
            texture.fetchedFinest = texture.info.mipCount - 1;
    }
}

bool GpuStreamer::rebuildTextures(ArtifactId id, ArtifactGpu& artifact, gpu::UploadBatch& batch, uint64_t& budgetBytes) {
    bool changed = false;
    const float pixelsPerUnit = scene_.pixelsPerUnit(id);
    for (StreamedTexture& texture : artifact.streamed) {
        const uint32_t count = texture.info.mipCount;
        if (texture.staging.valid()) {
            // Install what a worker staged: the frame thread only records the copy.
            if (texture.staging.wait_for(std::chrono::seconds(0)) != std::future_status::ready) continue;
            if (batch.bytesRecorded() > 0 && texture.gpuBytes > budgetBytes) continue;  // next frame (the per-frame cap)
            StreamedTexture::Staged staged = texture.staging.get();
            batch.uploadImage(staged.image, std::move(staged.staging), count - texture.stagingFinest);
            budgetBytes -= std::min(budgetBytes, texture.gpuBytes);
            if (!texture.image) stats_.texturesLoaded++;
            stats_.textureUploads++;
            stats_.textureUploadedBytes += texture.gpuBytes;
            texture.image = std::move(staged.image);  // the old one retires once the frames using it are done
            texture.gpuFinest = texture.stagingFinest;
            changed = true;
            continue;
        }
        // Grow to the level the screen wants as far as it is fetched; shrink only when far more is
        // held than needed.
        const uint32_t grow = std::max(texture.fetchedFinest, texture.wanted);
        uint32_t target = texture.gpuFinest;
        if (grow < texture.gpuFinest) target = grow;
        else if (texture.gpuFinest < count && texture.wanted >= texture.gpuFinest + kShrinkHysteresisLevels) target = texture.wanted;
        if (target == texture.gpuFinest || target >= count || !texture.sampleable) continue;
        const uint64_t bytes = gpu::imageBytes(imageDesc(texture.info, target), count - target);
        if (bytes > texture.gpuBytes) {
            // The texel error this level removes (today's texel on screen, in pixels) competes with
            // pages' projected geometric error for the budget; a texture with nothing yet comes first.
            const float removed = texture.image ? levelZeroTexelUnits(texture.info, scene_.reader(id)->header()) *
                                                      float(1u << texture.gpuFinest) * pixelsPerUnit
                                                : std::numeric_limits<float>::infinity();
            texture.refused = !scene_.reserveTextureBytes(id, bytes - texture.gpuBytes, removed);
            if (texture.refused) continue;  // pages more useful hold the budget
        } else {
            scene_.releaseTextureBytes(id, texture.gpuBytes - bytes);
        }
        stats_.textureGpuBytes = stats_.textureGpuBytes - texture.gpuBytes + bytes;
        texture.gpuBytes = bytes;
        stageTexture(id, texture, target);
    }
    return changed;
}

void GpuStreamer::stageTexture(ArtifactId id, StreamedTexture& texture, uint32_t finest) {
    texture.stagingFinest = finest;
    const gpu::ImageDesc desc = imageDesc(texture.info, finest);
    const uint64_t bytes = gpu::imageBytes(desc, desc.mipLevels);
    // Creating Vulkan objects and VMA allocations is thread-safe; the levels it reads are fetched and
    // never written again (collectFetchedLevels only fills empty levels).
    texture.staging = std::async(std::launch::async, [&context = context_, &levels = texture.levels, desc, bytes, finest,
                                                      name = scene_.reader(id)->label() + " texture"] {
        StreamedTexture::Staged staged{gpu::Image(context, desc, name),
                                       gpu::Buffer(context, bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, gpu::MemoryUse::Upload,
                                                   name + " staging")};
        auto* out = static_cast<uint8_t*>(staged.staging.mapped());
        for (uint32_t level = finest; level < finest + desc.mipLevels; ++level) {
            std::memcpy(out, levels[level].data(), levels[level].size());
            out += levels[level].size();
        }
        staged.staging.flush();
        return staged;
    });
}

void GpuStreamer::rebuildMaterials(ArtifactId id, ArtifactGpu& artifact) {
    render::MaterialTextures views;
    for (const StreamedTexture& texture : artifact.streamed) {
        const VkImageView view = texture.image ? texture.image.view() : VK_NULL_HANDLE;
        // The converter gives each usage its own texture, so one view serves both slot kinds.
        views.srgbViews.push_back(pack::isSrgb(texture.info.format) ? view : VK_NULL_HANDLE);
        views.linearViews.push_back(pack::isSrgb(texture.info.format) ? VK_NULL_HANDLE : view);
        views.twoChannelNormals.push_back(texture.info.format == pack::TextureFormat::Bc5Unorm);
    }
    const pack::PackReader* reader = scene_.reader(id);
    artifact.materials = renderer_.createMaterials(reader->materials(), views, reader->label());
}

bool GpuStreamer::texturesPending() const {
    for (const auto& [id, artifact] : artifacts_) {
        if (artifact.pendingFetch.valid()) return true;
        for (const StreamedTexture& texture : artifact.streamed) {
            if (texture.staging.valid()) return true;
            if (artifact.texturesFailed || !texture.sampleable || texture.refused) continue;
            if (texture.fetchedFinest > texture.wanted || texture.gpuFinest > std::max(texture.fetchedFinest, texture.wanted))
                return true;
        }
    }
    return false;
}

uint32_t GpuStreamer::textureGpuLevel(ArtifactId id, uint32_t texture) const {
    const auto artifact = artifacts_.find(id);
    VT_CHECK(artifact != artifacts_.end() && texture < artifact->second.streamed.size(), "textureGpuLevel: no such texture");
    return artifact->second.streamed[texture].gpuFinest;
}

std::span<const render::ClusterDraw> GpuStreamer::prepareFrame(uint64_t uploadBytesPerFrame) {
    for (auto& [id, artifact] : artifacts_) {
        if (!artifact.materialsReady && scene_.reader(id)) setUpMaterials(id, artifact);
        if (!artifact.materialsReady || artifact.streamed.empty()) continue;
        collectFetchedLevels(artifact);
        chooseTextureLevels(id, artifact);
        if (!artifact.pendingFetch.valid() && !artifact.texturesFailed) fetchTextureLevels(id, artifact);
    }
    for (const PageKey& key : scene_.takeEvictions()) {
        if (pages_.erase({key.artifact, key.page})) stats_.pagesFreed++;
    }
    // This frame's arrivals go up in one batch the CPU never waits for; frames submitted after it
    // see the data (see gpu/upload_batch.h). Pages first (shape before colour), then texture levels
    // with what is left of the frame's bytes.
    gpu::UploadBatch batch(context_);
    for (ReadyPage& page : scene_.takeReadyPages(uploadBytesPerFrame)) {
        upload(page, batch);
        scene_.markResident(page.artifact, page.page);
    }
    uint64_t textureBytes = uploadBytesPerFrame - std::min(uploadBytesPerFrame, batch.bytesRecorded());
    for (auto& [id, artifact] : artifacts_)
        if (artifact.materialsReady && rebuildTextures(id, artifact, batch, textureBytes)) rebuildMaterials(id, artifact);
    batch.submit();
    draws_.clear();
    for (const DrawCluster& cluster : scene_.cut()) {
        auto page = pages_.find({cluster.artifact, cluster.page});
        auto artifact = artifacts_.find(cluster.artifact);
        if (page == pages_.end() || artifact == artifacts_.end() || !artifact->second.materialsReady) continue;
        if (cluster.clusterInPage >= page->second.clusters.size()) continue;
        const auto& materials = artifact->second.materials.materials;
        if (materials.empty()) continue;
        const PageBuffers::Range& range = page->second.clusters[cluster.clusterInPage];
        render::ClusterDraw draw;
        draw.vertices = page->second.vertices.handle();
        draw.indices = page->second.indices.handle();
        draw.firstIndex = range.firstIndex;
        draw.indexCount = range.indexCount;
        draw.vertexOffset = range.vertexOffset;
        draw.material = &materials[cluster.material < materials.size() ? cluster.material : 0];
        draw.hasTexcoords = range.hasTexcoords;
        draw.worldFromModel = cluster.worldFromModel;
        draws_.push_back(draw);
    }
    return draws_;
}

}  // namespace vt::stream
