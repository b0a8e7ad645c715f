#include "common/rpc/server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

namespace caserelay::rpc {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services) {
  auto credentials = MakeServerCredentials(options.tls);
  if (!credentials.ok()) return credentials.status();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, credentials->credentials, &port);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              options.max_idle_threads);
  for (grpc::Service* s : services) builder.RegisterService(s);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("grpc: cannot listen on ", options.listen));
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  return std::unique_ptr<Server>(
      new Server(std::move(server), port, std::move(credentials->stage)));
}

Server::Server(std::unique_ptr<grpc::Server> server, int port,
               std::unique_ptr<TlsStage> tls_stage)
    : tls_stage_(std::move(tls_stage)),
      server_(std::move(server)),
      port_(port) {}

Server::~Server() { Shutdown(absl::Seconds(5)); }

void Server::Shutdown(absl::Duration grace) {
  if (shut_down_.exchange(true)) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
}

}  // namespace caserelay::rpc
