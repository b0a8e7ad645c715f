#include "tests/unit/common/rpc/whoami_server.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"

namespace caserelay::rpc::testing {

grpc::Status WhoAmIService::Office(grpc::ServerContext* ctx,
                                   const caserelay::test::OfficeRequest*,
                                   caserelay::test::OfficeReply* reply) {
  absl::StatusOr<Principal> caller = Caller(auth_, *ctx);
  if (!caller.ok()) return ToGrpc(caller.status());
  reply->set_office_code(caller->ToString());
  return grpc::Status::OK;
}

absl::StatusOr<std::unique_ptr<WhoAmIServer>> WhoAmIServer::Start(
    const Authenticator* auth, const ServerTlsFiles& tls) {
  auto s = std::unique_ptr<WhoAmIServer>(new WhoAmIServer(auth));
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.tls = tls;
  auto server = Server::Start(options, {&s->service_});
  if (!server.ok()) return server.status();
  s->server_ = *std::move(server);
  s->target_ = absl::StrCat("127.0.0.1:", s->server_->port());
  return s;
}

absl::StatusOr<std::string> AskOffice(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::multimap<std::string, std::string>& metadata) {
  auto stub = caserelay::test::WhoAmI::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [key, value] : metadata) ctx.AddMetadata(key, value);
  caserelay::test::OfficeRequest request;
  caserelay::test::OfficeReply reply;
  grpc::Status status = stub->Office(&ctx, request, &reply);
  if (!status.ok()) return FromGrpc(status);
  return reply.office_code();
}

absl::StatusOr<std::string> PresentedCertificate(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = caserelay::test::WhoAmI::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  caserelay::test::OfficeReply reply;
  grpc::Status status = stub->Office(&ctx, {}, &reply);
  if (!status.ok()) return FromGrpc(status);
  std::vector<grpc::string_ref> pem =
      ctx.auth_context()->FindPropertyValues("x509_pem_cert");
  if (pem.size() != 1) return absl::NotFoundError("no peer certificate");
  return std::string(pem[0].data(), pem[0].size());
}

std::string OrError(const absl::StatusOr<std::string>& office) {
  return office.ok() ? *office
                     : absl::StrCat("error: ", office.status().ToString());
}

std::string OrError(const absl::StatusOr<Principal>& principal) {
  return principal.ok()
             ? principal->ToString()
             : absl::StrCat("error: ", principal.status().ToString());
}

}  // namespace caserelay::rpc::testing
