#include "isolated_process.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_sanitizer.h"
#include "model_wire.h"

namespace vt::scan {
namespace {

using Clock = std::chrono::steady_clock;

// Exit codes the child uses for its own failures (not the parser's), so the parent can tell them apart.
constexpr int kChildWriteFailed = 3;

bool writeAll(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += written;
        size -= size_t(written);
    }
    return true;
}

[[noreturn]] void runChild(int fd, const IsolatedTask& task, const std::function<Result<asset::Model>()>& work,
                          const ChildReportSink& sanitizerReports) {
    // A parent that gave up closes its end; a write then fails with EPIPE instead of killing us quietly.
    std::signal(SIGPIPE, SIG_IGN);
    sanitizerReports.installInChild();
    Result<asset::Model> result = fail("{}: {} failed", task.label, task.importer);
    try {
        result = work();
    } catch (const std::bad_alloc&) {
        result = fail("{}: {} ran out of memory reading this file", task.label, task.importer);
    } catch (const std::exception& e) {
        result = fail("{}: {} threw an exception: {}", task.label, task.importer, e.what());
    } catch (...) {
        result = fail("{}: {} threw an unknown exception", task.label, task.importer);
    }
    std::vector<uint8_t> bytes;
    try {
        bytes = encodeModelResult(result);
    } catch (...) {
        ::_exit(kChildWriteFailed);
    }
    const bool ok = writeAll(fd, bytes.data(), bytes.size());
    ::close(fd);
    ::_exit(ok ? 0 : kChildWriteFailed);
}

std::string describeSeconds(std::chrono::milliseconds timeout) {
    return std::format("{:g} s", double(timeout.count()) / 1000.0);
}

// A sanitizer report from the child (sanitizer builds only). A report inside a listed third-party
// library is that library's bug, contained like a crash: an import error naming the upstream bug.
// Any other report is a bug in our code reached through this file: print it and abort, so no test
// and no command can mistake it for a malformed file.
Result<void> judgeSanitizerReport(const IsolatedTask& task, const std::string& report) {
    if (report.empty()) return {};
    if (const SanitizerSuppression* known = matchSuppression(report, configuredSanitizerSuppressions()))
        return fail("{}: {} crashed inside {} reading this file (a known upstream bug: {})", task.label, task.importer,
                    known->pattern, known->reason);
    std::fprintf(stderr, "%.*s: sanitizer report from our code in the child process of %.*s (not an import error):\n%s\n",
                 int(task.label.size()), task.label.data(), int(task.importer.size()), task.importer.data(), report.c_str());
    std::fflush(stderr);
    std::abort();
}

}  // namespace

Result<asset::Model> runIsolated(const IsolatedTask& task, const std::function<Result<asset::Model>()>& work) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return fail("{}: cannot create a pipe: {}", task.label, std::strerror(errno));
    const ChildReportSink sanitizerReports;
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int error = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return fail("{}: cannot fork a process for {}: {}", task.label, task.importer, std::strerror(error));
    }
    if (pid == 0) {
        ::close(fds[0]);
        // Die with the parent: a converter killed with SIGKILL cannot stop its importer, which would
        // go on parsing a large scan for nothing. (A parent already gone before this: leave now.)
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(kChildWriteFailed);
        runChild(fds[1], task, work, sanitizerReports);
    }
    ::close(fds[1]);
    const int fd = fds[0];

    // A larger pipe: fewer round trips between the two processes for a model of hundreds of MB.
    // Best effort (the system's limit for unprivileged processes is usually 1 MiB).
    ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);

    const Clock::time_point deadline = Clock::now() + task.timeout;
    std::vector<uint8_t> received;
    size_t used = 0;  // bytes of `received` filled; the rest is room for the next read
    bool timedOut = false;
    std::string readError;
    constexpr size_t kChunk = 1 << 20;    // room added at a time
    constexpr size_t kMinRoom = 1 << 16;  // a read gets at least this much room (a default pipe's worth)
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, int(std::min<int64_t>(left.count(), 1 << 30)));
        if (ready < 0) {
            if (errno == EINTR) continue;
            readError = std::strerror(errno);
            break;
        }
        if (ready == 0) continue;  // the loop re-checks the deadline
        // A read returns at most a pipe's worth: zero-filling a fresh chunk for each one cost more than
        // the transfer itself, so room is added only when little is left.
        if (received.size() - used < kMinRoom) received.resize(used + kChunk);
        const ssize_t got = ::read(fd, received.data() + used, received.size() - used);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            readError = std::strerror(errno);
            break;
        }
        used += size_t(got);
        if (got == 0) break;  // EOF: the child closed its end (finished or died)
    }
    received.resize(used);
    ::close(fd);
    if (timedOut || !readError.empty()) ::kill(pid, SIGKILL);

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }

    if (Result<void> judged = judgeSanitizerReport(task, sanitizerReports.read()); !judged)
        return std::unexpected(judged.error());
    if (timedOut)
        return fail("{}: {} did not finish within the {} timeout; the file may be malformed or too large", task.label,
                    task.importer, describeSeconds(task.timeout));
    if (!readError.empty()) return fail("{}: reading the result of {} failed: {}", task.label, task.importer, readError);
    if (WIFSIGNALED(status))
        return fail("{}: {} crashed (signal {}) reading this file", task.label, task.importer, WTERMSIG(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail("{}: {} exited with status {} reading this file", task.label, task.importer, WEXITSTATUS(status));

    Result<Result<asset::Model>> decoded = decodeModelResult(received);
    if (!decoded) return fail("{}: {} returned malformed data: {}", task.label, task.importer, decoded.error().message);
    return std::move(*decoded);
}

}  // namespace vt::scan
