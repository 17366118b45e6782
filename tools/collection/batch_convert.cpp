#include "batch_convert.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <xxhash.h>

#include "convert_scan.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"

namespace vt::collection {

namespace {

// Bump when the converter's output for the same scans changes, so old packs are not reused.
constexpr const char* kConverterTag = "vitrine-convert-1";

using Clock = std::chrono::steady_clock;

std::string hex128(XXH128_hash_t hash) { return std::format("{:016x}{:016x}", hash.high64, hash.low64); }

Result<std::string> hashFile(const std::filesystem::path& path, XXH3_state_t* state) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("{}: not found or unreadable", path.string());
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        if (in.gcount() > 0) XXH3_128bits_update(state, buffer.data(), size_t(in.gcount()));
    }
    return std::string();
}

Result<std::string> sourceKey(const std::vector<std::filesystem::path>& inputs, const BatchOptions& options) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    const std::string settings = std::format("{} maxTexture={}", kConverterTag, options.maxTextureSize);
    XXH3_128bits_update(state, settings.data(), settings.size());
    for (const auto& input : inputs) {
        // the extension picks the importer, so it is part of the content
        const std::string ext = input.extension().string() + "\n";
        XXH3_128bits_update(state, ext.data(), ext.size());
        if (auto r = hashFile(input, state); !r) {
            XXH3_freeState(state);
            return std::unexpected(r.error());
        }
    }
    const std::string key = hex128(XXH3_128bits_digest(state));
    XXH3_freeState(state);
    return key;
}

// Hashing every scan again on every rerun would read a whole collection: the key is remembered
// under a signature of the inputs' paths, sizes and modification times (as make and rsync trust
// them), in store/keys/.
std::string statSignature(const std::vector<std::filesystem::path>& inputs, const BatchOptions& options) {
    std::string text = std::format("{} maxTexture={}\n", kConverterTag, options.maxTextureSize);
    for (const auto& input : inputs) {
        std::error_code error;
        const auto size = std::filesystem::file_size(input, error);
        if (error) return {};
        const auto time = std::filesystem::last_write_time(input, error);
        if (error) return {};
        text += std::format("{}\n{}\n{}\n", input.string(), size, time.time_since_epoch().count());
    }
    return hex128(XXH3_128bits(text.data(), text.size()));
}

Result<std::string> cachedSourceKey(const std::vector<std::filesystem::path>& inputs, const BatchOptions& options) {
    const std::string signature = statSignature(inputs, options);
    const std::filesystem::path cache = options.store / "keys" / (signature + ".key");
    if (!signature.empty()) {
        std::ifstream in(cache);
        std::string key;
        if (in >> key && key.size() == 32 && key.find_first_not_of("0123456789abcdef") == std::string::npos) return key;
    }
    auto key = sourceKey(inputs, options);
    if (key && !signature.empty()) {
        std::error_code error;
        std::filesystem::create_directories(cache.parent_path(), error);
        const std::filesystem::path temp = cache.string() + ".tmp-" + std::to_string(::getpid());
        {
            std::ofstream out(temp);
            out << *key << "\n";
        }
        std::filesystem::rename(temp, cache, error);
    }
    return key;
}

Result<std::string> packHash(const std::filesystem::path& path) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    auto r = hashFile(path, state);
    const std::string hash = hex128(XXH3_128bits_digest(state));
    XXH3_freeState(state);
    if (!r) return std::unexpected(r.error());
    return hash;
}

std::string readSmallFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Written to a temporary name and renamed, so a reader never sees half a file.
void writeAtomically(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path temp = path.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    std::error_code error;
    std::filesystem::rename(temp, path, error);
}

void appendLine(const std::filesystem::path& path, const std::string& line) {
    // O_APPEND and one write(): lines from several shard processes never interleave
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    const std::string text = line + "\n";
    [[maybe_unused]] const ssize_t written = ::write(fd, text.data(), text.size());
    ::close(fd);
}

struct Work {
    std::string key;
    std::vector<std::filesystem::path> inputs;
    std::vector<std::string> objects;
    std::string name;  // first object's title, for the pack's display name
};

}  // namespace

uint32_t shardOf(const std::string& objectId, uint32_t shardCount) {
    if (shardCount <= 1) return 0;
    return uint32_t(XXH64(objectId.data(), objectId.size(), 0) % shardCount);
}

Result<std::pair<uint32_t, uint32_t>> parseShard(const std::string& text) {
    unsigned index = 0, count = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%u/%u%c", &index, &count, &extra) != 2 || count == 0 || index >= count)
        return fail("--shard '{}': expected I/N with 0 <= I < N", text);
    return std::pair<uint32_t, uint32_t>{index, count};
}

std::filesystem::path conversionLogPath(const std::filesystem::path& store) { return store / "conversions.log"; }

Result<BatchSummary> convertCollection(catalog::Catalog& catalog, const BatchOptions& options) {
    const auto start = Clock::now();
    BatchSummary summary;
    std::error_code error;
    std::filesystem::create_directories(options.store / "packs", error);
    if (error) return fail("{}: cannot create the pack store: {}", options.store.string(), error.message());
    auto records = catalog.all();
    if (!records) return std::unexpected(records.error());

    const auto recordResult = [&](const std::string& objectId, const catalog::PackEntry& entry) -> Result<void> {
        catalog::PackEntry e = entry;
        e.objectId = objectId;
        return catalog.setPack(e);
    };
    const auto failObject = [&](const std::string& objectId, const std::string& key, const std::string& reason) -> Result<void> {
        summary.failures.push_back({objectId, reason});
        ++summary.failed;
        if (options.progress) options.progress(std::format("failed     {}: {}", objectId, reason));
        catalog::PackEntry entry;
        entry.sourceKey = key;
        entry.status = catalog::PackStatus::Failed;
        entry.error = reason;
        return recordResult(objectId, entry);
    };

    // Objects of this shard, grouped by the content of their scans.
    std::map<std::string, Work> byKey;
    for (const catalog::Record& record : *records) {
        std::vector<const catalog::Media*> models;
        for (const catalog::Media& m : record.media)
            if (m.kind == catalog::MediaKind::Model) models.push_back(&m);
        if (models.empty()) continue;
        ++summary.objectsWithScans;
        if (shardOf(record.id, options.shardCount) != options.shardIndex) continue;
        ++summary.objectsInShard;
        std::vector<std::filesystem::path> inputs;
        std::string reason;
        for (const catalog::Media* m : models) {
            auto path = localMediaPath(m->uri, options.mediaMap);
            if (!path) { reason = path.error().message; break; }
            inputs.push_back(*path);
        }
        Result<std::string> key = reason.empty() ? cachedSourceKey(inputs, options) : Result<std::string>(fail("{}", reason));
        if (!key) {
            if (auto r = failObject(record.id, "", key.error().message); !r) return std::unexpected(r.error());
            continue;
        }
        Work& work = byKey[*key];
        work.key = *key;
        work.inputs = inputs;
        work.objects.push_back(record.id);
        if (work.name.empty()) work.name = catalog::pick(record.title);
    }

    const auto packPath = [&](const std::string& key) { return options.store / "packs" / key.substr(0, 2) / (key + ".vpk"); };
    const auto failedPath = [&](const std::string& key) { return options.store / "packs" / key.substr(0, 2) / (key + ".failed"); };
    const auto relativePack = [&](const std::string& key) { return "packs/" + key.substr(0, 2) + "/" + key + ".vpk"; };

    // A finished pack: hash it, read its triangle count, record it for every object that uses it.
    const auto recordPack = [&](const Work& work) -> Result<uint64_t> {
        const std::filesystem::path path = packPath(work.key);
        auto source = pack::openFile(path);
        if (!source) return std::unexpected(source.error());
        auto reader = pack::PackReader::open(**source, path.string());
        if (!reader) return std::unexpected(reader.error());
        auto hash = packHash(path);
        if (!hash) return std::unexpected(hash.error());
        catalog::PackEntry entry;
        entry.sourceKey = work.key;
        entry.pack = relativePack(work.key);
        entry.packHash = *hash;
        entry.triangles = reader->header().inputTriangles;
        for (const std::string& id : work.objects)
            if (auto r = recordResult(id, entry); !r) return std::unexpected(r.error());
        return entry.triangles;
    };

    std::deque<const Work*> queue;
    for (const auto& [key, work] : byKey) {
        if (std::filesystem::exists(packPath(key))) {
            auto triangles = recordPack(work);
            if (triangles) {
                ++summary.reused;
                if (options.progress) options.progress(std::format("in store   {} ({} triangles)", work.objects.front(), *triangles));
                continue;
            }
            // an unreadable pack in the store is converted again
            std::filesystem::remove(packPath(key), error);
        }
        if (std::filesystem::exists(failedPath(key)) && !options.retryFailed) {
            const std::string reason = readSmallFile(failedPath(key));
            for (const std::string& id : work.objects)
                if (auto r = failObject(id, key, reason); !r) return std::unexpected(r.error());
            continue;
        }
        queue.push_back(&work);
    }

    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    std::map<pid_t, std::pair<const Work*, Clock::time_point>> running;
    const pid_t parent = ::getpid();
    while (!queue.empty() || !running.empty()) {
        while (running.size() < jobs && !queue.empty()) {
            const Work* work = queue.front();
            queue.pop_front();
            std::filesystem::create_directories(packPath(work->key).parent_path(), error);
            std::fflush(nullptr);
            const pid_t pid = ::fork();
            if (pid < 0) return fail("fork failed: {}", std::strerror(errno));
            if (pid == 0) {
                // the converter dies with its batch, so a killed batch leaves no orphan writing packs
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (::getppid() != parent) ::_exit(3);
                convert::ConvertOptions convertOptions;
                convertOptions.maxTextureSize = options.maxTextureSize;
                // the cores are shared among the jobs (the hierarchy is the same for any thread count)
                convertOptions.lod.threads = std::max(1u, std::max(1u, std::thread::hardware_concurrency()) / jobs);
                convertOptions.name = work->name;
                auto converted = convert::convertScans(work->inputs, packPath(work->key), convertOptions);
                if (!converted) {
                    writeAtomically(failedPath(work->key), converted.error().message);
                    ::_exit(1);
                }
                ::_exit(0);
            }
            running[pid] = {work, Clock::now()};
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            return fail("waitpid failed: {}", std::strerror(errno));
        }
        auto it = running.find(pid);
        if (it == running.end()) continue;
        const Work& work = *it->second.first;
        const double seconds = std::chrono::duration<double>(Clock::now() - it->second.second).count();
        running.erase(it);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && std::filesystem::exists(packPath(work.key))) {
            auto triangles = recordPack(work);
            if (!triangles) {
                for (const std::string& id : work.objects)
                    if (auto r = failObject(id, work.key, triangles.error().message); !r) return std::unexpected(r.error());
                continue;
            }
            ++summary.converted;
            summary.trianglesConverted += *triangles;
            appendLine(conversionLogPath(options.store), std::format("{} {} {:.3f} {}", work.key, work.objects.front(), seconds, *triangles));
            if (options.progress)
                options.progress(std::format("converted  {} ({} triangles, {:.2f} s)", work.objects.front(), *triangles, seconds));
            continue;
        }
        std::string reason;
        if (std::filesystem::exists(failedPath(work.key))) reason = readSmallFile(failedPath(work.key));
        else if (WIFSIGNALED(status)) reason = std::format("the converter crashed (signal {})", WTERMSIG(status));
        else reason = std::format("the converter exited with status {}", WEXITSTATUS(status));
        if (!std::filesystem::exists(failedPath(work.key))) writeAtomically(failedPath(work.key), reason);
        for (const std::string& id : work.objects)
            if (auto r = failObject(id, work.key, reason); !r) return std::unexpected(r.error());
    }
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary;
}

}  // namespace vt::collection
