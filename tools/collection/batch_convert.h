#pragma once
// Batch conversion: every object in a catalog whose record names 3D scans becomes one artifact pack
// (all its model files in one pack), through the same converter as `vitrine import-scan`.
//
// - All cores: one forked converter process per scan set, `jobs` at a time. A crash or a hang in a
//   converter fails that object only; the reason is stored and the rest go on.
// - Content-addressed: a pack is stored as packs/KK/KEY.vpk under the store, KEY being the XXH3-128
//   of the scans' bytes and the converter settings; objects that share scans share the pack. A
//   rerun finds the key of unchanged scans (same paths, sizes and modification times) in
//   store/keys/ instead of reading them again.
// - Resumable: packs are written atomically, so a pack in the store is complete. A rerun after
//   kill -9 at any point reuses every finished pack and converts only what is missing; a failure
//   is remembered (KEY.failed) and not retried unless asked.
// - Sharded: --shard I/N takes the objects whose id hashes to I mod N, a deterministic slice, so N
//   processes (a Kubernetes Indexed Job, a Slurm array) convert a collection side by side into one
//   shared store. Each writes its results into the catalog it is given; a final unsharded run over
//   the full catalog finds every pack already in the store and records them all without converting.
//
// Uses fork(): call it from a process with no other threads.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "media_policy.h"
#include "tools/catalog/catalog.h"

namespace vt::collection {

struct BatchOptions {
    std::filesystem::path store;       // pack store folder (created when missing)
    unsigned jobs = 0;                 // converter processes at once; 0 = all cores
    uint32_t shardIndex = 0;
    uint32_t shardCount = 1;
    std::vector<MediaMapping> mediaMap;
    bool retryFailed = false;
    uint32_t maxTextureSize = 0;       // 0 keeps the source size
    std::function<void(const std::string& line)> progress;  // one line per finished object
};

struct BatchFailure {
    std::string objectId;
    std::string reason;
};

struct BatchSummary {
    size_t objectsWithScans = 0;  // in the whole catalog
    size_t objectsInShard = 0;
    size_t converted = 0;         // scan sets converted by this run
    size_t reused = 0;            // scan sets whose pack was already in the store
    size_t failed = 0;            // objects without a pack
    uint64_t trianglesConverted = 0;
    double seconds = 0;
    std::vector<BatchFailure> failures;
};

// Which shard (0..count-1) an object belongs to.
uint32_t shardOf(const std::string& objectId, uint32_t shardCount);

// "I/N" -> index and count.
Result<std::pair<uint32_t, uint32_t>> parseShard(const std::string& text);

Result<BatchSummary> convertCollection(catalog::Catalog& catalog, const BatchOptions& options);

// The store's log of conversions this store has seen, one line per finished conversion:
// "KEY OBJECT_ID SECONDS TRIANGLES".
std::filesystem::path conversionLogPath(const std::filesystem::path& store);

}  // namespace vt::collection
