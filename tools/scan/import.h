#pragma once
// Import a scan or model file of any supported format into an asset::Model.
//
// Supported: glTF 2.0 (.gltf, .glb, with KHR_draco_mesh_compression), PLY (ascii and binary, faces
// or triangle strips), and everything Assimp 5.4 reads (OBJ+MTL, STL, FBX, ...). The format is
// detected by content first and by extension second.
//
// Third-party parsers (tinygltf+Draco, Assimp) run in a forked child process with a deadline, so a
// malformed file that crashes or hangs them comes back as an error, never takes the caller down.
// Our own PLY reader runs in-process. On success the Model meets every guarantee in asset/model.h.
// On failure the error is one line that starts with the path and says what is wrong and where.
//
// importScan may fork(): call it from a process that tolerates that (no other thread holding a
// lock the child needs; glibc malloc is safe).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "asset/model.h"
#include "core/result.h"

namespace vt::scan {

struct ImportOptions {
    // How long a third-party parser may run in its child process before it is killed. Unset: scaled
    // with the file's size (parserDeadlineFor), so a tiny broken file fails in seconds and a huge
    // scan still has time.
    std::optional<std::chrono::milliseconds> parserTimeout;
};

// The default parser deadline for a file of `bytes`: kParserDeadlineBase plus
// kParserDeadlinePerMiB for each MiB, at most kParserDeadlineMax.
inline constexpr std::chrono::milliseconds kParserDeadlineBase{10000};   // fork, a small file, a busy machine
inline constexpr std::chrono::milliseconds kParserDeadlinePerMiB{4000};  // Assimp reads OBJ at ~5-10 MiB/s here
inline constexpr std::chrono::milliseconds kParserDeadlineMax{1800000};  // half an hour: a multi-GiB scan
std::chrono::milliseconds parserDeadlineFor(uint64_t bytes);

Result<asset::Model> importScan(const std::filesystem::path& path, const ImportOptions& options = {});

}  // namespace vt::scan
