// ControlServer: the devbroker control channel (控制通道), a line protocol on
// a loopback TCP port. The mock cluster's fault API is in-process only, so
// tests and scripts reach it through this.
//
// Each line a client sends is passed to the handler; the handler's answer
// goes back followed by '\n', in order. Any number of clients may be
// connected; a client that sends a line longer than kMaxLineBytes gets one
// error answer and is disconnected.
#ifndef CASERELAY_TOOLS_DEVBROKER_CONTROL_SERVER_H_
#define CASERELAY_TOOLS_DEVBROKER_CONTROL_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caserelay::devbroker {

// Not thread-safe: Create, port and Serve are called from one thread, and
// the handler runs on the thread that calls Serve.
class ControlServer {
 public:
  // Takes one command line (no newline), returns the answer (no newline).
  using Handler = std::function<std::string(absl::string_view)>;

  static constexpr size_t kMaxLineBytes = 4096;

  // Listens on host:port (port 0 picks a free one). The handler is called
  // only from Serve. Returns the listening server; INVALID_ARGUMENT if host
  // is not an IPv4 literal; UNAVAILABLE if the socket cannot be bound (e.g.
  // the port is taken).
  static absl::StatusOr<std::unique_ptr<ControlServer>> Create(
      const std::string& host, int port, Handler handler);

  // Closes the listening socket and every client connection.
  ~ControlServer();

  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // The port actually bound (never 0).
  int port() const { return port_; }

  // "HOST:PORT" as bound.
  std::string address() const;

  // Serves clients until stop_fd becomes readable (a signalfd, an eventfd
  // or a pipe; it is not read). Returns OK then; INTERNAL if poll() fails
  // for any reason other than EINTR. Client errors only drop that client.
  absl::Status Serve(int stop_fd);

 private:
  struct Client {
    int fd = -1;
    std::string in;        // received bytes not yet ending in '\n'
    std::string out;       // answers not yet sent
    bool closing = false;  // disconnect once `out` is sent
  };

  ControlServer(int listen_fd, std::string host, int port, Handler handler);

  void Accept();
  // Reads what is available and answers complete lines. Returns false when
  // the client should be dropped now.
  bool ReadFrom(Client& client);
  // Sends what the socket takes. Returns false when the client should be
  // dropped now.
  bool WriteTo(Client& client);

  // Const after construction.
  const int listen_fd_;
  const std::string host_;
  const int port_;
  const Handler handler_;

  std::vector<Client> clients_;
};

}  // namespace caserelay::devbroker

#endif  // CASERELAY_TOOLS_DEVBROKER_CONTROL_SERVER_H_
