// Per-case calls of a partitioned service reach the owner of the case's
// partition (issue 19 item 4; common/rpc/forward.h), in one place for
// every service: the handler asks first
//
//   if (auto forwarded = service::ForwardToOwner(
//           context_, ctx, req->case_id(), &Stub::GetCase, *req, resp)) {
//     return *forwarded;
//   }
//   ... serve it here ...
//
// The call is forwarded with the caller's own proof, never twice.
//
// Thread safety: stateless.
#ifndef CASERELAY_COMMON_SERVICE_OWNER_FORWARD_H_
#define CASERELAY_COMMON_SERVICE_OWNER_FORWARD_H_

#include <optional>
#include <string_view>

#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/forward.h"
#include "common/service/service_main.h"
#include "common/store/partitioned_store.h"

namespace caserelay::service {

// nullopt: answer here (the service is not partitioned, or this instance
// owns the case's partition). Otherwise the owner's answer, or
// UNAVAILABLE while the partition has no owner (moving) or for a call
// already forwarded once; the caller's authentication errors as they are
// (UNAUTHENTICATED without a call context).
template <typename Stub, typename Request, typename Response>
std::optional<grpc::Status> ForwardToOwner(
    const Context& context, grpc::ServerContext* ctx, std::string_view case_id,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& req, Response* resp) {
  if (context.partitions == nullptr || context.owners == nullptr) {
    return std::nullopt;
  }
  if (ctx == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no call context");
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  return rpc::ForwardUnary<Stub>(*context.owners,
                                 context.partitions->PartitionOfCase(case_id),
                                 *ctx, *caller, method, req, resp);
}

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_OWNER_FORWARD_H_
