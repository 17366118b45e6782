#include "scan_test_util.h"

#include <atomic>
#include <format>
#include <fstream>

#include <unistd.h>

namespace vt::scan::test {

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() / std::format("vitrine_scan_test_{}_{}", ::getpid(), counter++);
    std::filesystem::create_directories(dir);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

std::filesystem::path TempDir::write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path file = dir / name;
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    return file;
}

std::filesystem::path TempDir::write(const std::string& name, const std::vector<uint8_t>& bytes) const {
    return write(name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::filesystem::path corpusDir() {
    const std::filesystem::path dir = VITRINE_CORPUS_DIR;
    std::error_code ec;
    return std::filesystem::is_directory(dir, ec) ? dir : std::filesystem::path();
}

std::vector<uint8_t> makeGlb(std::string_view json, const std::vector<uint8_t>& bin) {
    std::string paddedJson(json);
    while (paddedJson.size() % 4) paddedJson += ' ';
    std::vector<uint8_t> paddedBin = bin;
    while (paddedBin.size() % 4) paddedBin.push_back(0);
    const uint32_t total = uint32_t(12 + 8 + paddedJson.size() + (bin.empty() ? 0 : 8 + paddedBin.size()));
    std::vector<uint8_t> out;
    append(out, uint32_t(0x46546C67));  // "glTF"
    append(out, uint32_t(2));
    append(out, total);
    append(out, uint32_t(paddedJson.size()));
    append(out, uint32_t(0x4E4F534A));  // "JSON"
    out.insert(out.end(), paddedJson.begin(), paddedJson.end());
    if (!bin.empty()) {
        append(out, uint32_t(paddedBin.size()));
        append(out, uint32_t(0x004E4942));  // "BIN\0"
        out.insert(out.end(), paddedBin.begin(), paddedBin.end());
    }
    return out;
}

std::vector<uint8_t> tetrahedronGlb(std::string_view nodeExtra, float firstX, uint16_t lastIndex) {
    const float positions[4][3] = {{firstX, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    // Outward-facing (counter-clockwise seen from outside).
    const uint16_t indices[12] = {0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, lastIndex};
    std::vector<uint8_t> bin;
    for (const auto& p : positions)
        for (float f : p) append(bin, f);
    for (uint16_t i : indices) append(bin, i);
    const std::string json = std::format(
        R"({{"asset":{{"version":"2.0"}},"scene":0,"scenes":[{{"nodes":[0]}}],)"
        R"("nodes":[{{"mesh":0,"translation":[1,2,3]{}}}],)"
        R"("meshes":[{{"name":"tet","primitives":[{{"attributes":{{"POSITION":0}},"indices":1,"material":0}}]}}],)"
        R"("materials":[{{"name":"stone","pbrMetallicRoughness":{{"baseColorFactor":[0.5,0.25,1,0.75],)"
        R"("metallicFactor":0.125,"roughnessFactor":0.625}},"emissiveFactor":[0.1,0.2,0.3],)"
        R"("doubleSided":true,"alphaMode":"MASK","alphaCutoff":0.25}}],)"
        R"("buffers":[{{"byteLength":72}}],)"
        R"("bufferViews":[{{"buffer":0,"byteOffset":0,"byteLength":48}},{{"buffer":0,"byteOffset":48,"byteLength":24}}],)"
        R"("accessors":[{{"bufferView":0,"componentType":5126,"count":4,"type":"VEC3","min":[0,0,0],"max":[1,1,1]}},)"
        R"({{"bufferView":1,"componentType":5123,"count":12,"type":"SCALAR"}}]}})",
        nodeExtra);
    return makeGlb(json, bin);
}

}  // namespace vt::scan::test
