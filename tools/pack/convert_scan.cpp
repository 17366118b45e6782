#include "convert_scan.h"

#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <format>
#include <future>
#include <map>

#include "texture_compress.h"
#include "tools/scan/import.h"

namespace vt::convert {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

uint64_t peakMemoryBytes() {
    rusage self{}, children{};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);  // the importer's forked parser processes
    return uint64_t(std::max(self.ru_maxrss, children.ru_maxrss)) * 1024;
}

// Hands the allocator's free pages back to the system. The hierarchy build frees tens of thousands of
// small blocks; glibc keeps them (RSS stays at the build's high-water mark) unless asked, and the pack
// writer's own allocations then come on top of them.
void releaseFreeMemory() {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

bool isGltf(const std::filesystem::path& path) {
    std::string extension = path.extension().string();
    std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return extension == ".gltf" || extension == ".glb";
}

// Appends `part` to `whole`, offsetting material and image indices.
void merge(asset::Model& whole, asset::Model&& part) {
    const auto materialOffset = uint32_t(whole.materials.size());
    const auto imageOffset = int32_t(whole.images.size());
    for (asset::Material& material : part.materials) {
        for (int32_t* slot : {&material.baseColorTexture, &material.metallicRoughnessTexture, &material.normalTexture,
                              &material.occlusionTexture, &material.emissiveTexture})
            if (*slot >= 0) *slot += imageOffset;
        whole.materials.push_back(std::move(material));
    }
    for (asset::Mesh& mesh : part.meshes) {
        mesh.material += materialOffset;
        whole.meshes.push_back(std::move(mesh));
    }
    for (asset::Image& image : part.images) whole.images.push_back(std::move(image));
}

}  // namespace

Result<ConvertSummary> convertScans(const std::vector<std::filesystem::path>& inputs,
                                    const std::filesystem::path& output, const ConvertOptions& options) {
    if (inputs.empty()) return fail("import-scan: no input files");
    const auto start = Clock::now();
    auto report = [&](std::string_view stage, float progress) {
        if (options.progress) options.progress(stage, progress);
    };
    ConvertSummary summary;
    summary.inputFiles = inputs.size();

    // 1. Import every file (third-party parsers run isolated in child processes) and merge.
    asset::Model model;
    model.source = inputs.front().string();
    for (size_t i = 0; i < inputs.size(); ++i) {
        report("import", 0.1f * float(i) / float(inputs.size()));
        auto part = scan::importScan(inputs[i], options.import);
        if (!part) return std::unexpected(part.error());
        merge(model, std::move(*part));
    }
    summary.inputTriangles = model.triangleCount();
    summary.inputVertices = model.vertexCount();
    summary.materials = uint32_t(model.materials.size());
    summary.importSeconds = secondsSince(start);

    // 2. The cluster LOD hierarchy.
    auto lodStart = Clock::now();
    lod::LodOptions lodOptions = options.lod;
    lodOptions.progress = [&](float p) { report("hierarchy", 0.1f + 0.6f * p); };
    // The builder frees each mesh's geometry once it has merged it, so the input is held once, not twice.
    asset::Model geometry{.source = model.source, .meshes = std::move(model.meshes)};
    auto hierarchy = lod::buildClusterLod(std::move(geometry), lodOptions);
    if (!hierarchy) return std::unexpected(hierarchy.error());
    summary.hierarchySeconds = secondsSince(lodStart);
    summary.levels = hierarchy->levelCount;
    for (uint32_t level = 0; level < hierarchy->levelCount; ++level)
        summary.trianglesPerLevel.push_back(hierarchy->triangleCount(level));

    // 3. Textures: one pack texture per (image, usage); the same photo used as colour and as data
    // would need two encodings. Compressed in parallel, collected in a fixed order (deterministic).
    auto textureStart = Clock::now();
    report("textures", 0.7f);
    std::map<std::pair<int32_t, texture::TextureUsage>, int32_t> packIndex;
    std::vector<std::pair<int32_t, texture::TextureUsage>> jobs;
    auto use = [&](int32_t& slot, texture::TextureUsage usage) {
        if (slot < 0 || size_t(slot) >= model.images.size()) {
            slot = asset::kNoTexture;
            return;
        }
        auto key = std::make_pair(slot, usage);
        auto [it, inserted] = packIndex.emplace(key, int32_t(jobs.size()));
        if (inserted) jobs.push_back(key);
        slot = it->second;
    };
    std::vector<asset::Material> materials = model.materials;
    for (asset::Material& material : materials) {
        use(material.baseColorTexture, texture::TextureUsage::Color);
        use(material.emissiveTexture, texture::TextureUsage::Color);
        use(material.metallicRoughnessTexture, texture::TextureUsage::Data);
        use(material.occlusionTexture, texture::TextureUsage::Data);
        use(material.normalTexture, texture::TextureUsage::Normal);
    }
    std::vector<std::future<pack::PackTexture>> compressed;
    for (const auto& [image, usage] : jobs)
        compressed.push_back(std::async(std::launch::async, [&, image, usage] {
            return texture::encodeTexture(model.images[size_t(image)], usage, options.maxTextureSize, options.wire);
        }));
    pack::PackContents contents;
    for (auto& future : compressed) {
        contents.textures.push_back(future.get());
        const pack::PackTexture& texture = contents.textures.back();
        TextureSummary& line = summary.textures.emplace_back();
        line.format = texture.format;
        line.width = texture.width;
        line.height = texture.height;
        line.mips = uint32_t(texture.mips.size());
        for (size_t m = 0; m < texture.mips.size(); ++m) {
            line.storedBytes += texture.mips[m].size();
            line.blockBytes += pack::mipByteSize(texture.format, std::max(1u, texture.width >> m), std::max(1u, texture.height >> m));
        }
        line.topEncoding = texture.encodings.empty() ? pack::MipEncoding::Raw : texture.encodings[0];
    }
    summary.textureSeconds = secondsSince(textureStart);

    // 4. The pack, written atomically.
    auto writeStart = Clock::now();
    report("write", 0.9f);
    contents.name = options.name.empty() ? inputs.front().stem().string() : options.name;
    contents.source = inputs.front().filename().string();
    summary.millimetresPerUnit =
        options.millimetresPerUnit > 0.0f ? options.millimetresPerUnit : (isGltf(inputs.front()) ? 1000.0f : 1.0f);
    contents.millimetresPerUnit = summary.millimetresPerUnit;
    contents.orientation = options.orientation;
    contents.materials = std::move(materials);
    contents.hierarchy = std::move(*hierarchy);
    model = {};  // the input is no longer needed: lower the peak before encoding
    releaseFreeMemory();
    auto written = pack::writePack(output, contents, options.write);
    if (!written) return std::unexpected(written.error());
    summary.pack = *written;
    summary.writeSeconds = secondsSince(writeStart);
    summary.totalSeconds = secondsSince(start);
    summary.peakMemoryBytes = peakMemoryBytes();
    report("done", 1.0f);
    return summary;
}

std::string formatSummary(const ConvertSummary& s, const std::filesystem::path& output) {
    std::string text;
    const double tris = double(std::max<size_t>(s.inputTriangles, 1));
    size_t hierarchyTriangles = 0;
    for (size_t t : s.trianglesPerLevel) hierarchyTriangles += t;
    text += std::format("{}\n", output.string());
    text += std::format("  input        {} file(s), {} triangles, {} vertices, {} materials\n", s.inputFiles,
                        s.inputTriangles, s.inputVertices, s.materials);
    text += std::format("  hierarchy    {} levels, {} clusters, {} triangles in all ({:.2f}x input)\n", s.levels,
                        s.pack.clusterCount, hierarchyTriangles, double(hierarchyTriangles) / tris);
    std::string levels;
    for (size_t level = 0; level < s.trianglesPerLevel.size(); ++level)
        levels += std::format("{}{}", level ? " / " : "", s.trianglesPerLevel[level]);
    text += std::format("  per level    {} triangles (finest first)\n", levels);
    text += std::format("  pack         {} bytes, {} pages, root page {} bytes ({} levels)\n", s.pack.totalBytes,
                        s.pack.pageCount, s.pack.rootPageBytes, s.pack.rootLevels);
    text += std::format("  bytes/tri    {:.2f} geometry, {:.2f} total (per input triangle)\n",
                        double(s.pack.geometryBytes) / tris, double(s.pack.totalBytes) / tris);
    for (const TextureSummary& t : s.textures)
        text += std::format("  texture      {} {}x{}, {} mips, {} bytes as {} ({:.0f}% of the blocks)\n", pack::textureFormatName(t.format),
                            t.width, t.height, t.mips, t.storedBytes, pack::mipEncodingName(t.topEncoding),
                            100.0 * double(t.storedBytes) / double(std::max<uint64_t>(t.blockBytes, 1)));
    text += std::format("  scale        {} mm per unit\n", s.millimetresPerUnit);
    text += std::format("  time         {:.2f} s (import {:.2f}, hierarchy {:.2f}, textures {:.2f}, write {:.2f})\n",
                        s.totalSeconds, s.importSeconds, s.hierarchySeconds, s.textureSeconds, s.writeSeconds);
    text += std::format("  peak memory  {:.1f} MiB ({:.0f} B per input triangle)\n",
                        double(s.peakMemoryBytes) / (1024.0 * 1024.0), double(s.peakMemoryBytes) / tris);
    return text;
}

}  // namespace vt::convert
