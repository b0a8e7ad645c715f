// gRPC server bootstrap shared by the services: the standard health
// service (grpc.health.v1, so load balancers and grpc_health_probe work),
// server reflection (so grpcurl works without .proto files) and a graceful
// shutdown with a deadline. Plaintext, or TLS with optional client
// certificates (credentials.h); who calls is the Authenticator's business
// (auth.h), asked by each handler.
//
// Thread safety: Shutdown() may be called from any thread, once or more.

#ifndef CASERELAY_COMMON_RPC_SERVER_H_
#define CASERELAY_COMMON_RPC_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rpc/credentials.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::rpc {

struct ServerOptions {
  std::string listen = "127.0.0.1:0";  // host:port; port 0 picks a free one
  // Largest request accepted; larger ones fail with RESOURCE_EXHAUSTED.
  int max_receive_bytes = 4 * 1024 * 1024;
  // PEM files for TLS; all empty (the default) serves plaintext. With
  // client_ca_path, clients without a certificate it signed are refused
  // in the handshake (with crl_dir, also one its CRLs list). The files are
  // read again every tls.reload_interval while the server runs; new
  // connections use what changed (MakeServerCredentials).
  ServerTlsFiles tls;
  // Idle threads of the synchronous server kept waiting for calls (gRPC's
  // MAX_POLLERS; its default, 2, made a service answering many concurrent
  // calls create and end a thread for most of them: ~7 % of intake's CPU
  // under bench_pipeline's 16 submitters, issue 20 item 1). Threads are
  // still made as calls need them; this only bounds how many idle ones stay.
  int max_idle_threads = 32;
};

class Server {
 public:
  // Starts serving `services` (not owned; they must outlive the server).
  // Fails with UNAVAILABLE naming the address if it cannot be bound, or
  // with MakeServerCredentials' status if options.tls is bad.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services);
  ~Server();  // Shutdown(absl::Seconds(5))

  // The bound port (the chosen one when options.listen had port 0).
  int port() const { return port_; }

  // Refuses new calls, lets running ones finish until `grace` passes, then
  // cancels them. Marks the health service NOT_SERVING first.
  void Shutdown(absl::Duration grace);

 private:
  Server(std::unique_ptr<grpc::Server> server, int port,
         std::unique_ptr<TlsStage> tls_stage);
  std::unique_ptr<TlsStage> tls_stage_;   // what gRPC's TLS reads; or null
  std::unique_ptr<grpc::Server> server_;  // stops before tls_stage_ goes
  int port_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_SERVER_H_
