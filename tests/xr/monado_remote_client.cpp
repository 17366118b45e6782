// monado_remote_client: moves the head and the controllers of Monado's remote driver, so an OpenXR
// app sees them through its own action bindings (tests). Connects to 127.0.0.1:4242 only, checks
// the packet layout against what the hub sends on connecting, then reads commands from stdin, one a
// line, and sends the whole state after each:
//
//   head X Y Z YAW               head centre (metres, tracking space), yaw in degrees (+ turns left)
//   point HAND X Y Z TX TY TZ    controller HAND (left|right) at X Y Z, pointing (its -Z) at T
//   trigger HAND 0|1             trigger pulled through its click, or let go
//   squeeze HAND VALUE           grip, 0..1
//   stick HAND X Y               thumbstick, -1..1 (x right, y forward)
//   button HAND a|b|system 0|1   a face button held or let go
//   # comment
//
// Each command is echoed as "remote: sent COMMAND" once sent. Exit codes: 0 at the end of input,
// 1 when the hub cannot be reached or its layout differs, 2 for a bad command.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "monado_remote_packet.h"

namespace {

using vt::xr::test::RemoteController;
using vt::xr::test::RemotePacket;
using vt::xr::test::RemotePose;

constexpr int kConnectSeconds = 20;      // the hub listens once monado-service has built its devices
constexpr int kHubPacketsMs = 5000;      // the hub sends its two packets at once on accepting
constexpr int kExtraBytesMs = 300;       // silence after them: no longer packets than ours

int connectToHub() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(vt::xr::test::kRemotePort);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never another host: the hub listens on every interface
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kConnectSeconds);
    for (;;) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return -1;
        if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) {
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // each packet goes out at once
            return fd;
        }
        close(fd);
        if (std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Reads up to `size` bytes, waiting at most `ms` in all; returns how many arrived.
size_t readFor(int fd, void* data, size_t size, int ms) {
    size_t got = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (got < size) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, int(left.count())) <= 0) break;
        const ssize_t n = recv(fd, static_cast<char*>(data) + got, size - got, 0);
        if (n <= 0) break;
        got += size_t(n);
    }
    return got;
}

bool near(float a, float b) { return std::fabs(a - b) < 1e-4f; }

bool isDefaultController(const RemoteController& c, float x) {
    return near(c.pose.qw, 1.0f) && near(c.pose.px, x) && near(c.pose.py, 1.3f) && near(c.pose.pz, -0.5f) && c.active == 1;
}

// The hub's first packet is its reset state: the service's defaults where this layout puts them.
bool checkLayout(int fd, RemotePacket& reset) {
    RemotePacket packets[2];
    const size_t got = readFor(fd, packets, sizeof(packets), kHubPacketsMs);
    char extra[64];
    const size_t more = got == sizeof(packets) ? readFor(fd, extra, sizeof(extra), kExtraBytesMs) : 0;
    if (got != sizeof(packets) || more != 0) {
        std::fprintf(stderr, "remote: the hub sent %zu bytes on connecting, expected two packets of %zu: "
                             "this Monado's remote driver has another packet layout\n", got + more, sizeof(RemotePacket));
        return false;
    }
    reset = packets[0];
    const RemotePose& head = reset.head.center;
    if (!near(head.qw, 1.0f) || !near(head.py, 1.6f) || !isDefaultController(reset.left, -0.2f) ||
        !isDefaultController(reset.right, 0.2f)) {
        std::fprintf(stderr, "remote: the hub's reset packet does not hold its defaults where expected (head y %g, left x %g, "
                             "right x %g): another packet layout\n", head.py, reset.left.pose.px, reset.right.pose.px);
        return false;
    }
    std::printf("remote: the hub's packets match the layout (%zu bytes; head at %.2f m, controllers at (+-0.20, 1.30, -0.50))\n",
                sizeof(RemotePacket), head.py);
    return true;
}

bool sendPacket(int fd, const RemotePacket& packet) {
    size_t sent = 0;
    while (sent < sizeof(packet)) {
        const ssize_t n = send(fd, reinterpret_cast<const char*>(&packet) + sent, sizeof(packet) - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += size_t(n);
    }
    return true;
}

// Quaternion (x, y, z, w) of a yaw about +Y followed by a pitch about the turned +X.
void setOrientation(RemotePose& pose, float yawRadians, float pitchRadians) {
    const float cy = std::cos(yawRadians / 2), sy = std::sin(yawRadians / 2);
    const float cp = std::cos(pitchRadians / 2), sp = std::sin(pitchRadians / 2);
    pose.qw = cy * cp;
    pose.qx = cy * sp;
    pose.qy = sy * cp;
    pose.qz = -sy * sp;
}

constexpr float kDegrees = 3.14159265f / 180.0f;

// Applies one command to `packet`; false (with a message) when it is not one.
bool applyCommand(const std::string& line, RemotePacket& packet) {
    std::istringstream in(line);
    std::string verb, hand;
    in >> verb;
    auto controller = [&]() -> RemoteController* {
        in >> hand;
        return hand == "left" ? &packet.left : hand == "right" ? &packet.right : nullptr;
    };
    auto done = [&] {
        std::string rest;
        return !in.fail() && !(in >> rest);
    };
    if (verb == "head") {
        float x, y, z, yaw;
        in >> x >> y >> z >> yaw;
        RemotePose& head = packet.head.center;
        head.px = x, head.py = y, head.pz = z;
        setOrientation(head, yaw * kDegrees, 0.0f);
        return done();
    }
    RemoteController* c = controller();
    if (!c) return false;
    if (verb == "point") {
        float x, y, z, tx, ty, tz;
        in >> x >> y >> z >> tx >> ty >> tz;
        const float dx = tx - x, dy = ty - y, dz = tz - z;
        const float length = std::sqrt(dx * dx + dy * dy + dz * dz);
        if (length < 1e-4f) return false;
        c->pose.px = x, c->pose.py = y, c->pose.pz = z;
        // -Z turned by yaw then pitch: forward = (-sin yaw cos pitch, sin pitch, -cos yaw cos pitch).
        setOrientation(c->pose, std::atan2(-dx, -dz), std::asin(dy / length));
    } else if (verb == "trigger") {
        int on;
        in >> on;
        c->trigger = on ? 1.0f : 0.0f;
        c->triggerClick = c->triggerTouch = uint8_t(on != 0);
    } else if (verb == "squeeze") {
        in >> c->squeeze;
    } else if (verb == "stick") {
        in >> c->thumbstick[0] >> c->thumbstick[1];
        c->thumbstickTouch = c->thumbstick[0] != 0.0f || c->thumbstick[1] != 0.0f;
    } else if (verb == "button") {
        std::string name;
        int on;
        in >> name >> on;
        uint8_t* click = name == "a" ? &c->aClick : name == "b" ? &c->bClick : name == "system" ? &c->systemClick : nullptr;
        uint8_t* touch = name == "a" ? &c->aTouch : name == "b" ? &c->bTouch : name == "system" ? &c->systemTouch : nullptr;
        if (!click) return false;
        *click = *touch = uint8_t(on != 0);
    } else {
        return false;
    }
    return done();
}

}  // namespace

int main() {
    const int fd = connectToHub();
    if (fd < 0) {
        std::fprintf(stderr, "remote: nothing listens on 127.0.0.1:%u (is monado-service running with "
                             "P_OVERRIDE_ACTIVE_CONFIG=remote?)\n", unsigned(vt::xr::test::kRemotePort));
        return 1;
    }
    RemotePacket packet;
    if (!checkLayout(fd, packet)) return 1;
    std::memcpy(&packet.header, vt::xr::test::kRemoteHeader, sizeof(packet.header));
    std::fflush(stdout);

    std::string line;
    int lineNumber = 0;
    while (std::getline(std::cin, line)) {
        ++lineNumber;
        const size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        line = line.substr(start);
        if (!applyCommand(line, packet)) {
            std::fprintf(stderr, "remote: stdin:%d: not a command: %s\n", lineNumber, line.c_str());
            return 2;
        }
        if (!sendPacket(fd, packet)) {
            std::fprintf(stderr, "remote: the hub closed the connection\n");
            return 1;
        }
        std::printf("remote: sent %s\n", line.c_str());
        std::fflush(stdout);
    }
    close(fd);
    return 0;
}
