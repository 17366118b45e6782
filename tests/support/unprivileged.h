#pragma once
// Runs a check as an unprivileged user, so permission tests mean something when the suite runs as
// root (CI does, inside the build root): root reads unreadable files and writes into read-only
// folders, so those tests would otherwise prove nothing.
//
// The check runs in a forked child that drops to nobody (uid/gid 65534) when it is root, then
// returns an empty string on success or what went wrong. Paths it uses must be reachable by that
// user (make their folders world-searchable). Header-only: the CPU test binaries that use it do not
// link the GPU test support library.

#include <functional>
#include <string>

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vt::test {

inline constexpr uid_t kNobody = 65534;

inline std::string runUnprivileged(const std::function<std::string()>& check) {
    int fds[2];
    if (::pipe(fds) != 0) return "runUnprivileged: cannot create a pipe";
    const pid_t pid = ::fork();
    if (pid < 0) return "runUnprivileged: cannot fork";
    if (pid == 0) {
        ::close(fds[0]);
        std::string message;
        if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0))
            message = "runUnprivileged: cannot drop to uid 65534";
        else if (::geteuid() == 0)
            message = "runUnprivileged: still root after dropping privileges";
        else
            message = check();
        const bool written = ::write(fds[1], message.data(), message.size()) == ssize_t(message.size());
        ::_exit(written ? 0 : 1);
    }
    ::close(fds[1]);
    std::string message;
    char buffer[512];
    for (ssize_t got; (got = ::read(fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, size_t(got));
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return message.empty() ? "runUnprivileged: the unprivileged check did not finish" : message;
    return message;
}

}  // namespace vt::test
