// Per-case calls of a partitioned supervision reach the owner of the
// case's partition (issue 19 item 4): common/service/owner_forward.h for
// supervision's stub.
//
// Thread safety: stateless.
#ifndef CASERELAY_SERVICES_SUPERVISION_OWNER_FORWARD_H_
#define CASERELAY_SERVICES_SUPERVISION_OWNER_FORWARD_H_

#include <optional>
#include <string_view>

#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/service/owner_forward.h"

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
  return service::ForwardToOwner(context, ctx, case_id, method, req, resp);
}

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_OWNER_FORWARD_H_
