#include "tools/devbroker/control_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caserelay::devbroker {
namespace {

std::string Errno(absl::string_view what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ControlServer>> ControlServer::Create(
    const std::string& host, int port, Handler handler) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("control host \"", host, "\" is not an IPv4 address"));
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError(Errno("control socket"));
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) !=
          0 ||
      listen(fd, 16) != 0) {
    std::string message =
        Errno(absl::StrCat("control channel ", host, ":", port));
    close(fd);
    return absl::UnavailableError(message);
  }
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::string message = Errno("control getsockname");
    close(fd);
    return absl::UnavailableError(message);
  }
  return std::unique_ptr<ControlServer>(
      new ControlServer(fd, host, ntohs(address.sin_port), std::move(handler)));
}

ControlServer::ControlServer(int listen_fd, std::string host, int port,
                             Handler handler)
    : listen_fd_(listen_fd),
      host_(std::move(host)),
      port_(port),
      handler_(std::move(handler)) {}

ControlServer::~ControlServer() {
  for (Client& client : clients_) close(client.fd);
  close(listen_fd_);
}

std::string ControlServer::address() const {
  return absl::StrCat(host_, ":", port_);
}

absl::Status ControlServer::Serve(int stop_fd) {
  std::vector<pollfd> fds;
  while (true) {
    fds.clear();
    fds.push_back({stop_fd, POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const Client& client : clients_) {
      short events = client.closing ? 0 : POLLIN;
      if (!client.out.empty()) events |= POLLOUT;
      fds.push_back({client.fd, events, 0});
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(Errno("control poll"));
    }
    if (fds[0].revents != 0) return absl::OkStatus();
    // Clients first: Accept() appends to clients_, which fds doesn't cover.
    std::vector<Client> kept;
    kept.reserve(clients_.size());
    for (size_t i = 0; i < clients_.size(); ++i) {
      Client& client = clients_[i];
      const short revents = fds[i + 2].revents;
      bool keep = true;
      if (!client.closing && (revents & (POLLIN | POLLHUP | POLLERR))) {
        keep = ReadFrom(client);
      }
      if (keep && !client.out.empty()) keep = WriteTo(client);
      if (keep && client.closing && client.out.empty()) keep = false;
      if (keep) {
        kept.push_back(std::move(client));
      } else {
        close(client.fd);
      }
    }
    clients_ = std::move(kept);
    if (fds[1].revents & POLLIN) Accept();
  }
}

void ControlServer::Accept() {
  while (true) {
    const int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or a client that already went away
    Client client;
    client.fd = fd;
    clients_.push_back(std::move(client));
  }
}

bool ControlServer::ReadFrom(Client& client) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(client.fd, buffer, sizeof(buffer));
    if (n == 0) {  // peer done sending: answer what it sent, then drop it
      client.closing = true;
      return true;
    }
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    client.in.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t end = client.in.find('\n'); end != std::string::npos;
         end = client.in.find('\n', start)) {
      absl::string_view line(client.in.data() + start, end - start);
      absl::StrAppend(&client.out, handler_(line), "\n");
      start = end + 1;
    }
    client.in.erase(0, start);
    if (client.in.size() > kMaxLineBytes) {
      absl::StrAppend(&client.out, "error line longer than ", kMaxLineBytes,
                      " bytes\n");
      client.in.clear();
      client.closing = true;
      return true;
    }
  }
}

bool ControlServer::WriteTo(Client& client) {
  const ssize_t n =
      send(client.fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  client.out.erase(0, static_cast<size_t>(n));
  return true;
}

}  // namespace caserelay::devbroker
