#include "stream_gpu/gpu_streamer.h"

#include "core/log.h"
#include "gpu/upload_batch.h"
#include "pack/pack_reader.h"

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

}  // namespace

GpuStreamer::GpuStreamer(gpu::Context& context, render::Renderer& renderer, StreamingScene& scene)
    : context_(context), renderer_(renderer), scene_(scene) {}

GpuStreamer::~GpuStreamer() {
    // Texture loads hold no reference to us, but let them finish before their futures go.
    for (auto& [id, artifact] : artifacts_)
        if (artifact.pendingTextures.valid()) artifact.pendingTextures.wait();
}

ArtifactId GpuStreamer::add(std::unique_ptr<pack::ByteSource> source, std::string label,
                            const glm::mat4& worldFromModel, SourceOpener textureSource) {
    const ArtifactId id = scene_.add(std::move(source), std::move(label), worldFromModel);
    artifacts_[id].textureSource = std::move(textureSource);
    return id;
}

void GpuStreamer::setUpMaterials(ArtifactId id, ArtifactGpu& artifact) {
    const pack::PackReader* reader = scene_.reader(id);
    artifact.materials = renderer_.createMaterials(reader->materials(), {}, reader->label());
    artifact.materialsReady = true;
    if (!artifact.textureSource || reader->textures().empty()) return;
    // Textures come through their own reader on a worker thread: the scene's reader is for its I/O
    // threads and the frame thread, and a texture fetch (tens of MB over a slow link) must not block
    // a frame.
    artifact.texturesRequested = true;
    artifact.pendingTextures = std::async(std::launch::async, [opener = artifact.textureSource]() -> Result<LoadedTextures> {
        auto source = opener();
        if (!source) return std::unexpected(source.error());
        auto textureReader = pack::PackReader::open(**source, "textures");
        if (!textureReader) return std::unexpected(textureReader.error());
        LoadedTextures loaded;
        for (uint32_t t = 0; t < textureReader->textures().size(); ++t) {
            const pack::TextureInfo& info = textureReader->textures()[t];
            LoadedTextures::Texture texture{info.format, info.width, info.height, {}, info.mipCount};
            for (uint32_t mip = 0; mip < info.mipCount; ++mip) {
                auto bytes = textureReader->readTextureMip(t, mip);
                if (!bytes) return std::unexpected(bytes.error());
                texture.mips.insert(texture.mips.end(), bytes->begin(), bytes->end());
            }
            loaded.textures.push_back(std::move(texture));
        }
        return loaded;
    });
}

void GpuStreamer::installTextures(ArtifactId id, ArtifactGpu& artifact, LoadedTextures&& loaded) {
    const pack::PackReader* reader = scene_.reader(id);
    render::MaterialTextures views;
    std::vector<gpu::Image> images;
    for (const LoadedTextures::Texture& texture : loaded.textures) {
        const VkFormat format = vulkanFormat(texture.format);
        VkFormatProperties properties;
        vkGetPhysicalDeviceFormatProperties(context_.physicalDevice(), format, &properties);
        VkImageView view = VK_NULL_HANDLE;
        if (format != VK_FORMAT_UNDEFINED && (properties.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT)) {
            gpu::Image image(context_,
                             {format, {texture.width, texture.height}, texture.mipCount, 1, VK_SAMPLE_COUNT_1_BIT,
                              VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT},
                             reader->label() + " texture");
            gpu::uploadImageWithMips(context_, image, std::as_bytes(std::span(texture.mips)));
            view = image.view();
            images.push_back(std::move(image));
            stats_.texturesLoaded++;
        } else {
            log::warn("{}: this GPU cannot sample {} textures; drawing without it", reader->label(),
                      pack::textureFormatName(texture.format));
        }
        // The converter gives each usage its own texture, so one view serves both slot kinds.
        views.srgbViews.push_back(pack::isSrgb(texture.format) ? view : VK_NULL_HANDLE);
        views.linearViews.push_back(pack::isSrgb(texture.format) ? VK_NULL_HANDLE : view);
        views.twoChannelNormals.push_back(texture.format == pack::TextureFormat::Bc5Unorm);
    }
    artifact.materials = renderer_.createMaterials(reader->materials(), views, reader->label());
    artifact.textures = std::move(images);
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

bool GpuStreamer::texturesPending() const {
    for (const auto& [id, artifact] : artifacts_)
        if (artifact.pendingTextures.valid()) return true;
    return false;
}

std::span<const render::ClusterDraw> GpuStreamer::prepareFrame(uint64_t uploadBytesPerFrame) {
    for (auto& [id, artifact] : artifacts_) {
        if (!artifact.materialsReady && scene_.reader(id)) setUpMaterials(id, artifact);
        if (artifact.pendingTextures.valid() &&
            artifact.pendingTextures.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            auto loaded = artifact.pendingTextures.get();
            if (loaded) installTextures(id, artifact, std::move(*loaded));
            else log::warn("{} (drawing without textures)", loaded.error().message);
        }
    }
    for (const PageKey& key : scene_.takeEvictions()) {
        if (pages_.erase({key.artifact, key.page})) stats_.pagesFreed++;
    }
    // This frame's arrivals go up in one batch the CPU never waits for; frames submitted after it
    // see the data (see gpu/upload_batch.h).
    gpu::UploadBatch batch(context_);
    for (ReadyPage& page : scene_.takeReadyPages(uploadBytesPerFrame)) {
        upload(page, batch);
        scene_.markResident(page.artifact, page.page);
    }
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
