// Conversion benchmark: our scan -> artifact pack conversion against gltfpack and Assimp's exporter
// (both native: Debian's packages), on the same uncompressed GLB inputs, in one run. Prints a table
// and ratios.
//
// Peers do different work: gltfpack quantizes, reorders and compresses one level; Assimp re-encodes
// one level; we build the whole cluster LOD hierarchy and compress it. The ratios say what the
// hierarchy costs and what it saves. Inputs: real corpus scans, and one real scan subdivided
// (each triangle into four) to reach millions of triangles.
//
// Method: every tool runs --runs times (default 3, at least 3 for a published table) on every input,
// interleaved (run r: every tool once, the order rotating), and each row prints min / median / max.
// A run that fails (non-zero exit, no output) prints FAILED with its log, and the program exits 1.
//
// --baseline PATH adds another vitrine build (say, the commit before a change) as one more interleaved
// row, "vitrine (baseline)", with a ratio line and whether its pack has exactly the same bytes.
//
// usage: convert_bench --vitrine PATH [--baseline PATH] [--gltfpack PATH] --work DIR [--corpus DIR] [--sizes 0,1,2,3] [--runs N]

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <format>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spread.h"
#include "glb_writer.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "tools/scan/import.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Measurement {
    bool ok = false;
    double seconds = 0.0;
    double peakMiB = 0.0;
    uint64_t outputBytes = 0;
};

// Linux carries a process's peak RSS across fork and exec (the forked mm copies the parent's high-water
// mark), so a peer spawned straight from this process would report at least our own peak. Instead we
// re-execute ourselves as a small "measurer" that forks the peer and reports its wait4 peak: the
// measurer's fresh image has a tiny high-water mark.
int measureChild(const fs::path& resultFile, char** command) {
    const pid_t pid = fork();
    if (pid == 0) {
        execvp(command[0], command);
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    std::ofstream(resultFile) << usage.ru_maxrss << '\n';
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

fs::path selfPath;

// Runs `argv` with output to `log`, measuring wall time and the child's peak resident memory.
Measurement run(const std::vector<std::string>& command, const fs::path& output, const fs::path& log) {
    const fs::path peakFile = log.string() + ".peak";
    std::vector<std::string> argv{selfPath.string(), "--measure", peakFile.string()};
    argv.insert(argv.end(), command.begin(), command.end());
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    fs::remove(output);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    Measurement m;
    if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return m;
    }
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    waitpid(pid, &status, 0);
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    long peakKiB = 0;
    std::ifstream(peakFile) >> peakKiB;
    m.peakMiB = double(peakKiB) / 1024.0;
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(output);
    m.outputBytes = m.ok ? fs::file_size(output) : 0;
    return m;
}


// One tool's runs on one input.
struct Row {
    std::string tool;
    std::vector<std::string> command;
    fs::path output, log;
    std::vector<double> seconds, peakMiB;
    uint64_t outputBytes = 0;
    std::vector<int> failedRuns;  // 1-based
    bool ok() const { return failedRuns.empty() && !seconds.empty(); }
};

struct Input {
    std::string name;
    fs::path glb;
    size_t triangles = 0;
};

std::vector<char> bytesOf(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 4 && std::string(argv[1]) == "--measure") return measureChild(argv[2], argv + 3);
    selfPath = fs::read_symlink("/proc/self/exe");
    const std::string vitrine = arg(argc, argv, "--vitrine", "");
    const std::string gltfpack = arg(argc, argv, "--gltfpack", "");
    const std::string baseline = arg(argc, argv, "--baseline", "");
    const fs::path work = arg(argc, argv, "--work", "/tmp/vitrine-bench");
    const fs::path corpus = arg(argc, argv, "--corpus", VITRINE_CORPUS_DIR);
    const std::string sizes = arg(argc, argv, "--sizes", "1,2,3");
    const int runs = std::stoi(arg(argc, argv, "--runs", "3"));
    if (runs < 3) std::fprintf(stderr, "note: %d runs per row; published tables need at least 3\n", runs);
    if (vitrine.empty() || runs < 1) {
        std::fprintf(stderr, "usage: convert_bench --vitrine PATH [--baseline PATH] [--gltfpack PATH] [--work DIR] [--sizes 1,2,3] [--runs N]\n");
        return 2;
    }
    fs::create_directories(work);

    // Inputs: real scans as plain GLB (geometry only, so every peer does the same job).
    std::vector<Input> inputs;
    const std::pair<const char*, const char*> scans[] = {
        {"bunny", "meshes/stanford-bunny/bunny/reconstruction/bun_zipper.ply"},
        {"whale_cranium", "meshes/iiif3d-assets/assets/whale/whale_cranium.glb"},
        {"zenobia", "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb"},
    };
    std::optional<vt::asset::Model> zenobia;
    for (const auto& [name, relative] : scans) {
        fs::path path = corpus / relative;
        if (!fs::exists(path))
            for (const auto& entry : fs::recursive_directory_iterator(corpus / "meshes"))
                if (entry.path().filename() == fs::path(relative).filename()) path = entry.path();
        auto model = vt::scan::importScan(path);
        if (!model) {
            std::fprintf(stderr, "%s\n", model.error().message.c_str());
            return 1;
        }
        for (auto& mesh : model->meshes) mesh.colors.clear();
        const fs::path glb = work / (std::string(name) + ".glb");
        if (auto written = vt::bench::writePlainGlb(glb, *model); !written) return 1;
        inputs.push_back({name, glb, model->triangleCount()});
        if (std::string(name) == "zenobia") zenobia = std::move(*model);
    }
    for (size_t start = 0; start < sizes.size(); start += 2) {
        const int times = sizes[start] - '0';
        if (times < 1 || times > 4 || !zenobia) continue;
        const vt::asset::Model big = vt::bench::subdivide(*zenobia, times);
        const std::string name = std::format("zenobia_x{}", 1 << (2 * times));
        const fs::path glb = work / (name + ".glb");
        if (!fs::exists(glb) && !vt::bench::writePlainGlb(glb, big)) return 1;
        inputs.push_back({name, glb, big.triangleCount()});
    }

    std::printf("%d runs per tool and input, tools interleaved (the order rotates each run); time and peak "
                "memory as min / median / max over the runs\n\n", runs);
    std::printf("| input | triangles | tool | time s | peak MiB | B/tri peak (median) | output B/tri | hierarchy tris/input |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    std::vector<std::string> ratios;
    bool failed = false;
    for (const Input& input : inputs) {
        const double tris = double(input.triangles);
        const fs::path ours = work / (input.name + ".vpk");
        std::vector<Row> rows;
        rows.push_back({"vitrine", {vitrine, "import-scan", input.glb.string(), "-o", ours.string()}, ours,
                        work / (input.name + ".vitrine.log")});
        if (!gltfpack.empty()) {
            const fs::path out = work / (input.name + ".gltfpack.glb");
            rows.push_back({"gltfpack -cc", {gltfpack, "-i", input.glb.string(), "-o", out.string(), "-cc"}, out,
                            work / (input.name + ".gltfpack.log")});
        }
        const fs::path assimpOut = work / (input.name + ".assimp.glb");
        rows.push_back({"assimp export", {"assimp", "export", input.glb.string(), assimpOut.string(), "-fglb2"}, assimpOut,
                        work / (input.name + ".assimp.log")});
        if (!baseline.empty()) {
            const fs::path out = work / (input.name + ".baseline.vpk");
            rows.push_back({"vitrine (baseline)", {baseline, "import-scan", input.glb.string(), "-o", out.string()}, out,
                            work / (input.name + ".baseline.log")});
        }
        // Interleaved: run r runs every tool once, starting with tool r mod count, so no tool always
        // follows the same one (caches, thermal state, a neighbour's load).
        for (int r = 0; r < runs; ++r) {
            for (size_t k = 0; k < rows.size(); ++k) {
                Row& row = rows[(size_t(r) + k) % rows.size()];
                const Measurement m = run(row.command, row.output, row.log);
                if (!m.ok) {
                    row.failedRuns.push_back(r + 1);
                    continue;
                }
                row.seconds.push_back(m.seconds);
                row.peakMiB.push_back(m.peakMiB);
                row.outputBytes = m.outputBytes;
            }
        }
        double hierarchyRatio = 0.0;
        if (rows[0].ok()) {
            auto source = vt::pack::openFile(ours);
            if (source) {
                auto reader = vt::pack::PackReader::open(**source, ours.string());
                if (reader) {
                    size_t total = 0;
                    for (const auto& page : reader->pages()) total += page.triangleCount;
                    hierarchyRatio = double(total) / tris;
                }
            }
        }
        for (const Row& row : rows) {
            if (!row.failedRuns.empty()) {
                std::string which;
                for (int r : row.failedRuns) which += (which.empty() ? "" : ", ") + std::to_string(r);
                std::printf("| %s | %zu | %s | FAILED (run %s: see %s) | | | | |\n", input.name.c_str(), input.triangles,
                            row.tool.c_str(), which.c_str(), row.log.c_str());
                failed = true;
                continue;
            }
            const Spread t = spread(row.seconds), p = spread(row.peakMiB);
            const std::string hierarchy = row.tool.starts_with("vitrine") ? std::format("{:.2f}", hierarchyRatio) : "1 level";
            std::printf("| %s | %zu | %s | %.2f / %.2f / %.2f | %.0f / %.0f / %.0f | %.0f | %.2f | %s |\n", input.name.c_str(),
                        input.triangles, row.tool.c_str(), t.min, t.median, t.max, p.min, p.median, p.max,
                        p.median * 1048576.0 / tris, double(row.outputBytes) / tris, hierarchy.c_str());
        }
        auto find = [&](std::string_view tool) -> const Row* {
            for (const Row& row : rows)
                if (row.tool == tool && row.ok()) return &row;
            return nullptr;
        };
        const Row* a = find("vitrine");
        const Row* b = find("gltfpack -cc");
        const Row* c = find("assimp export");
        if (a && b)
            ratios.push_back(std::format("{}: time {:.2f}x gltfpack, {:.2f}x assimp; output {:.2f}x gltfpack's bytes; "
                                         "{:.2f} M input triangles/s",
                                         input.name, spread(a->seconds).median / spread(b->seconds).median,
                                         c ? spread(a->seconds).median / spread(c->seconds).median : 0.0,
                                         double(a->outputBytes) / double(b->outputBytes),
                                         tris / spread(a->seconds).median / 1e6));
        if (const Row* before = find("vitrine (baseline)"); a && before)
            ratios.push_back(std::format("{}: vitrine vs its baseline: time {:.2f}x faster ({:.2f} vs {:.2f} M input "
                                         "triangles/s), peak {:.0f} vs {:.0f} MiB; packs byte-identical: {}",
                                         input.name, spread(before->seconds).median / spread(a->seconds).median,
                                         tris / spread(a->seconds).median / 1e6, tris / spread(before->seconds).median / 1e6,
                                         spread(a->peakMiB).median, spread(before->peakMiB).median,
                                         bytesOf(a->output) == bytesOf(before->output) ? "yes" : "NO"));
        std::fflush(stdout);
    }
    std::printf("\nratios (vitrine / peer; the hierarchy holds every level, the peers one):\n");
    for (const std::string& line : ratios) std::printf("  %s\n", line.c_str());
    if (failed) {
        std::printf("\nFAILED: at least one run failed (see above)\n");
        return 1;
    }
    return 0;
}
