#pragma once
// Helpers shared by the scan tests: a per-test temporary directory, file writers, the corpus path,
// and a small GLB builder so glTF tests do not depend on the corpus.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace vt::scan::test {

// A fresh directory, removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return dir; }
    std::filesystem::path write(const std::string& name, std::string_view bytes) const;
    std::filesystem::path write(const std::string& name, const std::vector<uint8_t>& bytes) const;

private:
    std::filesystem::path dir;
};

// The shared corpus, or empty if it is not there (tests then fail: the corpus is a prerequisite).
std::filesystem::path corpusDir();

#define VT_REQUIRE_CORPUS_FILE(var, relative)                                                   \
    const std::filesystem::path var = ::vt::scan::test::corpusDir() / (relative);               \
    if (::vt::scan::test::corpusDir().empty() || !std::filesystem::exists(var))                 \
        FAIL() << "corpus file not available: " << (relative) << " (set VITRINE_CORPUS_DIR)"

// A GLB file: 12-byte header, JSON chunk (padded with spaces), BIN chunk (padded with zeros).
std::vector<uint8_t> makeGlb(std::string_view json, const std::vector<uint8_t>& bin);

// A small valid GLB: a tetrahedron (4 vertices, 4 triangles, ushort indices), one material,
// node translation (1, 2, 3). `nodeExtra` is spliced into the node object (e.g. ",\"scale\":[-1,1,1]").
std::vector<uint8_t> tetrahedronGlb(std::string_view nodeExtra = "", float firstX = 0.0f, uint16_t lastIndex = 3);

template <class T>
void append(std::vector<uint8_t>& out, const T& value) {
    const auto* p = reinterpret_cast<const uint8_t*>(&value);
    out.insert(out.end(), p, p + sizeof(T));
}

}  // namespace vt::scan::test
