// Test helper: the WhoAmI service (whoami.proto) on a real rpc::Server,
// answering each call with the principal rpc::Caller finds (as
// Principal::ToString: the office code for an office without a person), and
// client calls to it: the principal, or the certificate the server
// presented.

#ifndef CASERELAY_TESTS_UNIT_COMMON_RPC_WHOAMI_SERVER_H_
#define CASERELAY_TESTS_UNIT_COMMON_RPC_WHOAMI_SERVER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/rpc/auth.h"
#include "common/rpc/credentials.h"
#include "common/rpc/server.h"
#include "whoami.grpc.pb.h"

namespace caserelay::rpc::testing {

// Thread-safe (the Authenticator is).
class WhoAmIService final : public caserelay::test::WhoAmI::Service {
 public:
  // `auth` may be nullptr (then every call is UNAUTHENTICATED); not owned.
  explicit WhoAmIService(const Authenticator* auth) : auth_(auth) {}
  grpc::Status Office(grpc::ServerContext* ctx,
                      const caserelay::test::OfficeRequest* request,
                      caserelay::test::OfficeReply* reply) override;

 private:
  const Authenticator* const auth_;
};

// A running WhoAmI server on 127.0.0.1:0. Not thread-safe; one owner.
class WhoAmIServer {
 public:
  // Starts it with `tls` (all empty: plaintext). `auth` is not owned and
  // must outlive the server. Returns Server::Start's status on failure.
  static absl::StatusOr<std::unique_ptr<WhoAmIServer>> Start(
      const Authenticator* auth, const ServerTlsFiles& tls);

  // "127.0.0.1:<port>".
  const std::string& target() const { return target_; }

 private:
  explicit WhoAmIServer(const Authenticator* auth) : service_(auth) {}
  WhoAmIService service_;
  std::unique_ptr<Server> server_;  // stops before service_ goes
  std::string target_;
};

// Calls WhoAmI.Office over `channel` with a 10 s deadline and `metadata`
// added to the call; the office code, or the call's status as absl.
absl::StatusOr<std::string> AskOffice(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::multimap<std::string, std::string>& metadata = {});

// Calls WhoAmI.Office over `channel` with a 10 s deadline; the certificate
// the server presented on that connection (PEM), the call's status as
// absl if it failed, or NOT_FOUND if the connection carried none
// (plaintext).
absl::StatusOr<std::string> PresentedCertificate(
    const std::shared_ptr<grpc::Channel>& channel);

// The value, or "error: <status>" so that a failed call reads well in an
// EXPECT_EQ against an office code.
std::string OrError(const absl::StatusOr<std::string>& office);
// The principal's ToString(), or "error: " and the status.
std::string OrError(const absl::StatusOr<Principal>& principal);

}  // namespace caserelay::rpc::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_RPC_WHOAMI_SERVER_H_
