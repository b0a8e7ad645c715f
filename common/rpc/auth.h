// Who is calling (来访单位的身份认证): every office's call to a service
// carries proof of the office it acts for, checked by an Authenticator
// (DESIGN.md "Security"). Production uses mTLS client certificates that name
// the office (MtlsAuthenticator, mtls_auth.h); local runs use bearer tokens
// listed by hash in a tokens file (TokenAuthenticator, token_auth.h).
//
// An office code is "<region code>:<unit>", e.g. "140431:bureau" or
// "140431:housing" (domain/routing/router.h).
//
// A handler asks once per call, before anything else:
//
//   absl::StatusOr<std::string> office = rpc::CallerOffice(auth_, *ctx);
//   if (!office.ok()) return rpc::ToGrpc(office.status());

#ifndef CASERELAY_COMMON_RPC_AUTH_H_
#define CASERELAY_COMMON_RPC_AUTH_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace caserelay::rpc {

// True for "<digits>:<unit>" where unit is one or more of [a-z0-9_-]
// starting with a letter, the whole at most 64 bytes.
bool IsOfficeCode(absl::string_view code);

// Tells which office a call comes from.
//
// Thread safety: implementations are thread-safe; OfficeOf may be called
// from any number of threads at once, also while Reload runs.
class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // The office code the call `ctx` proves it acts for (IsOfficeCode holds
  // for it). UNAUTHENTICATED with a message saying what is missing or wrong
  // when the call carries no valid proof; the message never repeats a
  // secret.
  virtual absl::StatusOr<std::string> OfficeOf(
      const grpc::ServerContext& ctx) const = 0;

  // Reads again the files the authenticator was made from (the services
  // call it on SIGHUP). OK when they were read, or when there is nothing to
  // read (the default). On error the proofs accepted before stay accepted,
  // and the status says what is wrong with which file.
  virtual absl::Status Reload() { return absl::OkStatus(); }
};

// auth->OfficeOf(ctx); UNAUTHENTICATED when `auth` is nullptr, i.e. the
// service runs with auth.mode = none and so cannot tell offices apart.
absl::StatusOr<std::string> CallerOffice(const Authenticator* auth,
                                         const grpc::ServerContext& ctx);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_AUTH_H_
