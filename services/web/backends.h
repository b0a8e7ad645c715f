// The gateway's calls to the services (网关调用的后端服务), behind one
// interface so the handlers can be tested without processes (a test's
// Backends records what reached it). GrpcBackends is the real one: it
// calls intake, routing and notification over gRPC as service:web, with
// the end user's address and, for the petitioner's own case, the case the
// session names (web-contract.md "Who speaks for whom").
//
// Thread safety: implementations are thread-safe; every method may be
// called from any number of the HTTP server's threads at once.

#ifndef CASERELAY_SERVICES_WEB_BACKENDS_H_
#define CASERELAY_SERVICES_WEB_BACKENDS_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace caserelay::web {

// The request metadata of one call (common/rpc/auth.h "Speaking for a
// user"). AddCallMetadata below is the one place that sends them.
struct CallMeta {
  // The end user's address (x-caserelay-client-address); never empty.
  std::string client_address;
  // The session's case (x-caserelay-petitioner-case); empty: none sent.
  std::string petitioner_case;
  // The console user the gateway speaks for, once accounts authenticated
  // their session (console_session.h): the username
  // (x-caserelay-user-bin), the user's office (x-caserelay-office) and
  // roles (x-caserelay-roles, comma-separated lower-case names). All three
  // or none; none for the portal and for accounts' own calls (the session
  // token in the request names the user there).
  std::string user;
  std::string office;
  std::string roles;
};

// A call's status and the seconds the service asked to wait before the
// next try (trailing metadata rpc::kRetryAfterMetadata; 0: none).
struct RpcResult {
  grpc::Status status;
  int retry_after_seconds = 0;
};

// Each method makes one call and fills `response` only when the status is
// OK. The status is the service's, or the transport's (UNAVAILABLE,
// DEADLINE_EXCEEDED).
class Backends {
 public:
  virtual ~Backends() = default;
  virtual RpcResult SubmitPetition(const CallMeta& meta,
                                   const v1::SubmitPetitionRequest& request,
                                   v1::SubmitPetitionResponse* response) = 0;
  virtual RpcResult GetCaseStatus(const CallMeta& meta,
                                  const v1::GetCaseStatusRequest& request,
                                  v1::GetCaseStatusResponse* response) = 0;
  // intake's form limits (the size limits SubmitPetition enforces).
  virtual RpcResult DescribeForm(const CallMeta& meta,
                                 const v1::DescribeFormRequest& request,
                                 v1::DescribeFormResponse* response) = 0;
  // intake's published schedule of leaders' reception days (领导接访安排,
  // public; issue 18 item 1).
  virtual RpcResult ListReceptions(const CallMeta& meta,
                                   const v1::ListReceptionsRequest& request,
                                   v1::ListReceptionsResponse* response) = 0;
  virtual RpcResult SendPhoneCode(const CallMeta& meta,
                                  const v1::SendPhoneCodeRequest& request,
                                  v1::SendPhoneCodeResponse* response) = 0;
  virtual RpcResult GetPetitionerView(
      const CallMeta& meta, const v1::GetPetitionerViewRequest& request,
      v1::PetitionerView* response) = 0;
  virtual RpcResult Act(const CallMeta& meta, const v1::ActRequest& request,
                        v1::CaseView* response) = 0;
};

// Prepares `ctx` for one call: its deadline `timeout` from now and the
// metadata of `meta` (each key only when its value is set).
void AddCallMetadata(const CallMeta& meta, absl::Duration timeout,
                     grpc::ClientContext* ctx);

// The whole seconds the service asked to wait (trailing metadata
// rpc::kRetryAfterMetadata) after a call on `ctx` finished; 0: none.
int RetryAfterSeconds(const grpc::ClientContext& ctx);

// One call made with `rpc(ctx)` on a context prepared by AddCallMetadata.
template <typename Rpc>
RpcResult CallWithMeta(const CallMeta& meta, absl::Duration timeout, Rpc rpc) {
  grpc::ClientContext ctx;
  AddCallMetadata(meta, timeout, &ctx);
  RpcResult result;
  result.status = rpc(&ctx);
  result.retry_after_seconds = RetryAfterSeconds(ctx);
  return result;
}

struct GrpcBackendsOptions {
  std::shared_ptr<grpc::Channel> intake;
  std::shared_ptr<grpc::Channel> routing;
  std::shared_ptr<grpc::Channel> notification;
  absl::Duration timeout = absl::Seconds(5);  // each call's deadline
};

// REQUIRES: every channel is set.
std::unique_ptr<Backends> NewGrpcBackends(const GrpcBackendsOptions& options);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_BACKENDS_H_
