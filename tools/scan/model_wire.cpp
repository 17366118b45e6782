#include "model_wire.h"

#include <cstring>
#include <string>
#include <type_traits>

namespace vt::scan {
namespace {

constexpr char kMagic[4] = {'V', 'T', 'M', 'W'};
constexpr uint8_t kStatusModel = 0;
constexpr uint8_t kStatusError = 1;

class Writer {
public:
    template <class T>
    void pod(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const uint8_t*>(&value);
        bytes.insert(bytes.end(), p, p + sizeof(T));
    }
    void string(const std::string& s) {
        pod(uint64_t(s.size()));
        bytes.insert(bytes.end(), s.begin(), s.end());
    }
    template <class T>
    void array(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        pod(uint64_t(v.size()));
        const auto* p = reinterpret_cast<const uint8_t*>(v.data());
        bytes.insert(bytes.end(), p, p + v.size() * sizeof(T));
    }
    std::vector<uint8_t> bytes;
};

class Reader {
public:
    explicit Reader(std::span<const uint8_t> input) : data(input) {}

    template <class T>
    bool pod(T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (data.size() - offset < sizeof(T)) return false;
        std::memcpy(&value, data.data() + offset, sizeof(T));
        offset += sizeof(T);
        return true;
    }
    bool string(std::string& s) {
        uint64_t size = 0;
        if (!pod(size) || size > data.size() - offset) return false;
        s.assign(reinterpret_cast<const char*>(data.data() + offset), size_t(size));
        offset += size_t(size);
        return true;
    }
    // The count is checked against the remaining bytes before anything is allocated.
    template <class T>
    bool array(std::vector<T>& v) {
        uint64_t count = 0;
        if (!pod(count) || count > (data.size() - offset) / sizeof(T)) return false;
        v.resize(size_t(count));
        if (count > 0) std::memcpy(v.data(), data.data() + offset, size_t(count) * sizeof(T));  // empty: data() may be null
        offset += size_t(count) * sizeof(T);
        return true;
    }
    size_t remaining() const { return data.size() - offset; }
    size_t position() const { return offset; }

private:
    std::span<const uint8_t> data;
    size_t offset = 0;
};

void writeMaterial(Writer& w, const asset::Material& m) {
    w.string(m.name);
    w.pod(m.baseColorFactor);
    w.pod(m.emissiveFactor);
    w.pod(m.metallicFactor);
    w.pod(m.roughnessFactor);
    w.pod(m.normalScale);
    w.pod(m.occlusionStrength);
    w.pod(m.alphaCutoff);
    w.pod(uint8_t(m.alphaMode));
    w.pod(uint8_t(m.doubleSided));
    w.pod(m.baseColorTexture);
    w.pod(m.metallicRoughnessTexture);
    w.pod(m.normalTexture);
    w.pod(m.occlusionTexture);
    w.pod(m.emissiveTexture);
}

bool readMaterial(Reader& r, asset::Material& m) {
    uint8_t alphaMode = 0, doubleSided = 0;
    bool ok = r.string(m.name) && r.pod(m.baseColorFactor) && r.pod(m.emissiveFactor) && r.pod(m.metallicFactor) &&
              r.pod(m.roughnessFactor) && r.pod(m.normalScale) && r.pod(m.occlusionStrength) && r.pod(m.alphaCutoff) &&
              r.pod(alphaMode) && r.pod(doubleSided) && r.pod(m.baseColorTexture) &&
              r.pod(m.metallicRoughnessTexture) && r.pod(m.normalTexture) && r.pod(m.occlusionTexture) &&
              r.pod(m.emissiveTexture);
    if (!ok || alphaMode > uint8_t(asset::AlphaMode::Blend) || doubleSided > 1) return false;
    m.alphaMode = asset::AlphaMode(alphaMode);
    m.doubleSided = doubleSided != 0;
    return true;
}

}  // namespace

std::vector<uint8_t> encodeModelResult(const Result<asset::Model>& result) {
    Writer w;
    w.bytes.insert(w.bytes.end(), std::begin(kMagic), std::end(kMagic));
    w.pod(kModelWireVersion);
    if (!result) {
        w.pod(kStatusError);
        w.string(result.error().message);
        return std::move(w.bytes);
    }
    const asset::Model& model = *result;
    // Sized up front: growing a vector of hundreds of MB by doubling copies it again and again, and
    // briefly holds it twice.
    size_t bytes = 256 + model.source.size() + model.materials.size() * 256;
    for (const asset::Mesh& mesh : model.meshes)
        bytes += 128 + mesh.name.size() + mesh.positions.size() * sizeof(mesh.positions[0]) +
                 mesh.normals.size() * sizeof(mesh.normals[0]) + mesh.tangents.size() * sizeof(mesh.tangents[0]) +
                 mesh.texcoords.size() * sizeof(mesh.texcoords[0]) + mesh.colors.size() * sizeof(mesh.colors[0]) +
                 mesh.indices.size() * sizeof(mesh.indices[0]);
    for (const asset::Image& image : model.images) bytes += 64 + image.name.size() + image.rgba.size();
    w.bytes.reserve(bytes);
    w.pod(kStatusModel);
    w.string(model.source);
    w.pod(uint64_t(model.meshes.size()));
    for (const asset::Mesh& mesh : model.meshes) {
        w.string(mesh.name);
        w.array(mesh.positions);
        w.array(mesh.normals);
        w.array(mesh.tangents);
        w.array(mesh.texcoords);
        w.array(mesh.colors);
        w.array(mesh.indices);
        w.pod(mesh.material);
    }
    w.pod(uint64_t(model.materials.size()));
    for (const asset::Material& material : model.materials) writeMaterial(w, material);
    w.pod(uint64_t(model.images.size()));
    for (const asset::Image& image : model.images) {
        w.string(image.name);
        w.pod(image.width);
        w.pod(image.height);
        w.array(image.rgba);
        w.array(image.jpeg);
    }
    return std::move(w.bytes);
}

Result<Result<asset::Model>> decodeModelResult(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    char magic[4] = {};
    uint32_t version = 0;
    uint8_t status = 0;
    if (!r.pod(magic) || std::memcmp(magic, kMagic, 4) != 0) return fail("no model data (bad magic)");
    if (!r.pod(version) || version != kModelWireVersion) return fail("model data version {} (expected {})", version, kModelWireVersion);
    if (!r.pod(status) || status > kStatusError) return fail("bad status byte");
    if (status == kStatusError) {
        Error error;
        if (!r.string(error.message)) return fail("truncated error message");
        return Result<asset::Model>(std::unexpected(std::move(error)));
    }

    asset::Model model;
    uint64_t meshCount = 0;
    if (!r.string(model.source) || !r.pod(meshCount)) return fail("truncated model header");
    // Each mesh takes at least its fixed-size fields, so the count is bounded by the bytes left.
    constexpr size_t kMinMeshBytes = 7 * sizeof(uint64_t) + sizeof(uint32_t);
    if (meshCount > r.remaining() / kMinMeshBytes) return fail("mesh count {} exceeds the data", meshCount);
    model.meshes.resize(size_t(meshCount));
    for (asset::Mesh& mesh : model.meshes) {
        if (!(r.string(mesh.name) && r.array(mesh.positions) && r.array(mesh.normals) && r.array(mesh.tangents) &&
              r.array(mesh.texcoords) && r.array(mesh.colors) && r.array(mesh.indices) && r.pod(mesh.material)))
            return fail("truncated mesh data at byte {}", r.position());
    }
    uint64_t materialCount = 0;
    if (!r.pod(materialCount) || materialCount > r.remaining() / 40) return fail("bad material count");
    model.materials.resize(size_t(materialCount));
    for (asset::Material& material : model.materials)
        if (!readMaterial(r, material)) return fail("bad material data at byte {}", r.position());
    uint64_t imageCount = 0;
    if (!r.pod(imageCount) || imageCount > r.remaining() / 32) return fail("bad image count");
    model.images.resize(size_t(imageCount));
    for (asset::Image& image : model.images) {
        if (!(r.string(image.name) && r.pod(image.width) && r.pod(image.height) && r.array(image.rgba) && r.array(image.jpeg)))
            return fail("truncated image data at byte {}", r.position());
        if (image.rgba.size() != uint64_t(image.width) * image.height * 4)
            return fail("image '{}' has {} bytes for {}x{} RGBA", image.name, image.rgba.size(), image.width, image.height);
    }
    if (r.remaining() != 0) return fail("{} unexpected bytes after the model", r.remaining());
    return Result<asset::Model>(std::move(model));
}

}  // namespace vt::scan
