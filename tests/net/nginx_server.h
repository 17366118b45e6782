#pragma once
// A real nginx (Debian nginx-light) serving a folder on 127.0.0.1 at a free port, for as long as
// the object lives: `/` plain and `/slow/` throttled to 1 MB/s (limit_rate 1m, ~8 Mbit/s: a rural
// link). Config, pid, logs and temp folders live in the work folder; no root, no system files.
// The access log has one line per request: `CONNECTION_SERIAL STATUS BYTES_SENT "REQUEST" "RANGE"`
// (RANGE: the Range header as sent, "-" when none).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vt::net::test {

inline constexpr const char* kNginxBinary = "/usr/sbin/nginx";

class NginxServer {
public:
    static Result<std::unique_ptr<NginxServer>> start(const std::filesystem::path& servedDir,
                                                      const std::filesystem::path& workDir);
    ~NginxServer();  // SIGTERM, then waitpid
    NginxServer(const NginxServer&) = delete;
    NginxServer& operator=(const NginxServer&) = delete;

    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + "/" + path; }
    std::string slowUrl(const std::string& path) const { return url("slow/" + path); }
    const std::filesystem::path& accessLog() const { return accessLog_; }
    // The access log's lines that contain `marker`, once there are at least `lines` of them, or as
    // they are after `timeout`. nginx writes a request's line only after the response is finished,
    // so a client can hold its last byte a moment before the line appears; reading the log at
    // once races with that (and with the last lines of an earlier test on the same server).
    std::vector<std::string> accessLogLines(std::string_view marker, size_t lines,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

private:
    NginxServer() = default;
    pid_t pid_ = -1;
    uint16_t port_ = 0;
    std::filesystem::path accessLog_;
};

}  // namespace vt::net::test
