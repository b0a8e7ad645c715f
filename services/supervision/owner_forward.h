// Per-case calls of a partitioned supervision reach the owner of the
// case's partition (issue 19 item 4; common/rpc/forward.h): the call is
// forwarded with the caller's own proof, never twice.
//
// Thread safety: stateless.
#ifndef CASERELAY_SERVICES_SUPERVISION_OWNER_FORWARD_H_
#define CASERELAY_SERVICES_SUPERVISION_OWNER_FORWARD_H_

#include <optional>
#include <string_view>

#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/forward.h"
#include "common/service/service_main.h"
#include "common/store/partitioned_store.h"

namespace caserelay::supervision {

// nullopt: answer here (the service is not partitioned, or this instance
// owns the case's partition). Otherwise the owner's answer, or
// UNAVAILABLE while the partition has no owner (moving) or for a call
// already forwarded once; the caller's authentication errors as they are.
template <typename Request, typename Response>
std::optional<grpc::Status> ForwardToOwner(
    const service::Context& context, grpc::ServerContext* ctx,
    std::string_view case_id,
    grpc::Status (caserelay::v1::SupervisionService::Stub::*method)(
        grpc::ClientContext*, const Request&, Response*),
    const Request& req, Response* resp) {
  if (context.partitions == nullptr || context.owners == nullptr) {
    return std::nullopt;
  }
  if (ctx == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "supervision: no call context");
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  return rpc::ForwardUnary<caserelay::v1::SupervisionService::Stub>(
      *context.owners, context.partitions->PartitionOfCase(case_id), *ctx,
      *caller, method, req, resp);
}

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_OWNER_FORWARD_H_
