#include "throttle_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace vt::bench {
namespace {

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return address;
}

void noDelay(int fd) {
    // Small writes must leave at once: Nagle plus delayed ACKs would add up to 40 ms per request.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool sendAll(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
        data += sent;
        size -= size_t(sent);
    }
    return true;
}

ssize_t receive(int fd, uint8_t* data, size_t size) {
    for (;;) {
        const ssize_t got = ::recv(fd, data, size, 0);
        if (got < 0 && errno == EINTR) continue;
        return got;
    }
}

}  // namespace

struct ThrottleProxy::Connection {
    int clientFd = -1;
    int serverFd = -1;
    std::thread requests, responses;
    std::atomic<int> finished{0};  // relay threads that have returned
    std::chrono::steady_clock::time_point lastArrival{};  // when its last reserved chunk arrives (under mutex_)
};

Result<std::unique_ptr<ThrottleProxy>> ThrottleProxy::start(uint16_t upstreamPort, LinkOptions link) {
    if (!(link.bytesPerSecond > 0.0)) return fail("throttle proxy: the link rate must be positive");
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("throttle proxy: socket: {}", std::strerror(errno));
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const std::string error = std::strerror(errno);
        ::close(fd);
        return fail("throttle proxy: cannot listen on 127.0.0.1: {}", error);
    }
    std::unique_ptr<ThrottleProxy> proxy(new ThrottleProxy());
    proxy->link_ = link;
    proxy->upstreamPort_ = upstreamPort;
    proxy->port_ = ntohs(address.sin_port);
    proxy->listenFd_ = fd;
    proxy->listener_ = std::thread([p = proxy.get()] { p->acceptLoop(); });
    return proxy;
}

ThrottleProxy::~ThrottleProxy() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& connection : connections_) {
            ::shutdown(connection->clientFd, SHUT_RDWR);
            ::shutdown(connection->serverFd, SHUT_RDWR);
        }
    }
    ::shutdown(listenFd_, SHUT_RDWR);  // wakes accept()
    if (listener_.joinable()) listener_.join();
    ::close(listenFd_);
    // The listener has stopped, so connections_ no longer changes.
    for (auto& connection : connections_) {
        ::shutdown(connection->clientFd, SHUT_RDWR);
        ::shutdown(connection->serverFd, SHUT_RDWR);
        connection->requests.join();
        connection->responses.join();
        ::close(connection->clientFd);
        ::close(connection->serverFd);
    }
}

void ThrottleProxy::acceptLoop() {
    for (;;) {
        const int clientFd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (clientFd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;  // shut down (or broken): stop accepting
        }
        const int serverFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in upstream = loopback(upstreamPort_);
        if (serverFd < 0 || ::connect(serverFd, reinterpret_cast<const sockaddr*>(&upstream), sizeof upstream) != 0) {
            if (serverFd >= 0) ::close(serverFd);
            ::close(clientFd);  // the client sees a closed connection, as from a dead server
            continue;
        }
        noDelay(clientFd);
        noDelay(serverFd);
        std::lock_guard lock(mutex_);
        if (stopping_) {
            ::close(clientFd);
            ::close(serverFd);
            return;
        }
        // Reap connections whose both relays have returned, so a long run does not pile up threads.
        std::erase_if(connections_, [](std::unique_ptr<Connection>& c) {
            if (c->finished.load() < 2) return false;
            c->requests.join();
            c->responses.join();
            ::close(c->clientFd);
            ::close(c->serverFd);
            return true;
        });
        auto connection = std::make_unique<Connection>();
        connection->clientFd = clientFd;
        connection->serverFd = serverFd;
        Connection& c = *connection;
        connections_.push_back(std::move(connection));
        ++accepted_;
        c.requests = std::thread([this, &c] { relayRequests(c); });
        c.responses = std::thread([this, &c] { relayResponses(c); });
    }
}

void ThrottleProxy::relayRequests(Connection& connection) {
    std::vector<uint8_t> buffer(64 * 1024);
    for (;;) {
        const ssize_t got = receive(connection.clientFd, buffer.data(), buffer.size());
        if (got <= 0) break;
        // Every request byte reaches the server one latency after it left the client.
        std::this_thread::sleep_until(Clock::now() + link_.requestLatency);
        if (!sendAll(connection.serverFd, buffer.data(), size_t(got))) break;
    }
    ::shutdown(connection.serverFd, SHUT_WR);
    connection.finished++;
}

void ThrottleProxy::relayResponses(Connection& connection) {
    std::vector<uint8_t> buffer(kChunkBytes);
    for (;;) {
        const ssize_t got = receive(connection.serverFd, buffer.data(), buffer.size());
        if (got <= 0) break;
        const Clock::time_point available = Clock::now();
        std::this_thread::sleep_until(reserve(connection, size_t(got)));
        if (!sendAll(connection.clientFd, buffer.data(), size_t(got))) break;
        const Clock::time_point delivered = Clock::now();
        std::lock_guard lock(mutex_);
        bytes_ += uint64_t(got);
        intervals_.emplace_back(available, delivered);
    }
    ::shutdown(connection.clientFd, SHUT_WR);
    ::shutdown(connection.serverFd, SHUT_RD);
    connection.finished++;
}

ThrottleProxy::Clock::time_point ThrottleProxy::reserve(Connection& connection, size_t bytes) {
    const auto duration = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(double(bytes) / link_.bytesPerSecond));
    std::lock_guard lock(mutex_);
    const Clock::time_point now = Clock::now();
    // Queued behind the pipe's backlog; or this connection continuing its own transfer after its
    // thread woke late; otherwise the pipe was idle and starts now, with nothing stored up.
    // The window is below half the request latency: a new response needs a request that takes the
    // whole latency to reach the server, so it can never pass for a continuation and start early.
    const auto window = std::min<Clock::duration>(kCatchUp, link_.requestLatency / 2);
    const bool continuing = connection.lastArrival == pipeFree_ && now - pipeFree_ < window;
    const Clock::time_point start = pipeFree_ >= now || continuing ? pipeFree_ : now;
    pipeFree_ = start + duration;
    connection.lastArrival = pipeFree_;
    return pipeFree_;
}

void ThrottleProxy::resetMeasurement() {
    std::lock_guard lock(mutex_);
    intervals_.clear();
    bytes_ = 0;
    accepted_ = 0;
}

LinkMeasurement ThrottleProxy::measurement() const {
    std::vector<std::pair<Clock::time_point, Clock::time_point>> intervals;
    LinkMeasurement m;
    {
        std::lock_guard lock(mutex_);
        intervals = intervals_;
        m.bytes = bytes_;
        m.connections = accepted_;
    }
    std::ranges::sort(intervals);
    Clock::duration busy{0};
    for (size_t i = 0; i < intervals.size();) {
        Clock::time_point begin = intervals[i].first, end = intervals[i].second;
        for (++i; i < intervals.size() && intervals[i].first <= end; ++i) end = std::max(end, intervals[i].second);
        busy += end - begin;
    }
    m.busySeconds = std::chrono::duration<double>(busy).count();
    return m;
}

}  // namespace vt::bench
