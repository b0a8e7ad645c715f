#include "tools/devbroker/broker_listen.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace caserelay::devbroker {
namespace {

// The armed address; armed_ is set last and cleared by the one bind that
// uses it.
sockaddr_in armed_address;
std::atomic<bool> armed{false};
std::atomic<bool> used{false};

}  // namespace

absl::StatusOr<sockaddr_in> ResolveBrokerListen(const std::string& value) {
  const size_t colon = value.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 1 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--broker-listen: expected HOST:PORT (port 1..65535), got \"", value,
        "\""));
  }
  const std::string host = value.substr(0, colon);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "--broker-listen: cannot resolve \"", host, "\": ", gai_strerror(rc)));
  }
  sockaddr_in address;
  std::memcpy(&address, found->ai_addr, sizeof(address));
  freeaddrinfo(found);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

absl::Status CheckBrokerListen(const sockaddr_in& address) {
  const int probe = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open a socket: ", std::strerror(errno)));
  }
  const int on = 1;
  setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  const int rc = static_cast<int>(
      syscall(SYS_bind, probe, &address, sizeof(address)));
  const int error = errno;
  close(probe);
  if (rc != 0) {
    char text[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &address.sin_addr, text, sizeof(text));
    return absl::UnavailableError(absl::StrCat(
        "cannot start the broker on the chosen address ", text, ":",
        ntohs(address.sin_port), ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

void ArmBrokerListen(const sockaddr_in& address) {
  armed_address = address;
  used.store(false);
  armed.store(true);
}

bool DisarmBrokerListen() {
  armed.store(false);
  return used.load();
}

}  // namespace caserelay::devbroker

// The process's bind(2) (see broker_listen.h): librdkafka's call resolves
// to this definition before libc's.
extern "C" int bind(int fd, const sockaddr* address, socklen_t length) {
  using caserelay::devbroker::armed;
  using caserelay::devbroker::armed_address;
  using caserelay::devbroker::used;
  if (address != nullptr && address->sa_family == AF_INET &&
      length >= sizeof(sockaddr_in)) {
    sockaddr_in requested;
    std::memcpy(&requested, address, sizeof(requested));
    bool expected = true;
    if (requested.sin_port == 0 &&
        requested.sin_addr.s_addr == htonl(INADDR_LOOPBACK) &&
        armed.compare_exchange_strong(expected, false)) {
      used.store(true);
      return static_cast<int>(syscall(SYS_bind, fd, &armed_address,
                                      sizeof(armed_address)));
    }
  }
  return static_cast<int>(syscall(SYS_bind, fd, address, length));
}
