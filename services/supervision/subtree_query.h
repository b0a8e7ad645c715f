// How supervision answers a query over a subtree of offices (ListRedLights,
// ListGroupAlerts, GetIndicators; issue 19 item 4, README.md "Subtree
// queries"), once the handler has checked the caller and the scope:
//
//   - unpartitioned: from the one store;
//   - a call another instance forwarded (x-caserelay-forwarded): from the
//     partitions it asks for (x-caserelay-partitions) that this instance
//     holds, named in the answer's trailing metadata; never asked on;
//   - otherwise the instance scatters (common/rpc/scatter.h): it asks
//     every other current owner for its partitions with the caller's own
//     credentials, answers its own, and merges (subtree_merge.h); a
//     partition moving or an owner not answering within kScatterTimeout
//     (or the call's deadline) makes the answer UNAVAILABLE naming the
//     partitions.
//
// Thread safety: stateless; called from gRPC handler threads.

#ifndef CASERELAY_SERVICES_SUPERVISION_SUBTREE_QUERY_H_
#define CASERELAY_SERVICES_SUPERVISION_SUBTREE_QUERY_H_

#include <functional>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/scatter.h"
#include "common/service/service_main.h"
#include "services/supervision/held_view.h"

namespace caserelay::supervision {

// How long the instance a caller reached waits for the other owners.
inline constexpr absl::Duration kScatterTimeout = absl::Seconds(5);

// Answers `req` as the file comment says: `here` answers from a view,
// `merge` merges the shards (this instance's first). `forward` is the
// request asked of the other owners (the caller's, or with a value pinned,
// e.g. GetIndicators' `to`). The errors of `here`, of the caller's
// authentication (rpc::Caller) and of rpc::Scatter, as gRPC statuses.
template <typename Request, typename Response>
grpc::Status AnswerSubtree(
    const service::Context& context, grpc::ServerContext* ctx,
    const Request& forward,
    rpc::PrepareAsync<caserelay::v1::SupervisionService::Stub, Request,
                      Response>
        prepare,
    const std::function<absl::StatusOr<Response>(const HeldView&)>& here,
    const std::function<Response(std::vector<rpc::Shard<Response>>)>& merge,
    Response* resp) {
  if (context.partitions == nullptr || context.owners == nullptr) {
    absl::StatusOr<Response> r = here(HeldView::Single(context.store));
    if (!r.ok()) return rpc::ToGrpc(r.status());
    *resp = *std::move(r);
    return grpc::Status::OK;
  }
  if (ctx == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "supervision: no call context");
  }
  if (rpc::WasForwarded(*ctx)) {
    absl::StatusOr<std::optional<std::vector<int32_t>>> asked =
        rpc::AskedPartitions(*ctx, context.partitions->partitions());
    if (!asked.ok()) return rpc::ToGrpc(asked.status());
    const HeldView view = HeldView::Lease(*context.partitions, *asked);
    absl::StatusOr<Response> r = here(view);
    if (!r.ok()) return rpc::ToGrpc(r.status());
    rpc::SetAnsweredPartitions(ctx, view.partitions());
    *resp = *std::move(r);
    return grpc::Status::OK;
  }
  rpc::Principal caller;  // auth.mode none: nobody to name
  if (context.auth != nullptr) {
    absl::StatusOr<rpc::Principal> c = rpc::Caller(context.auth, *ctx);
    if (!c.ok()) return rpc::ToGrpc(c.status());
    caller = *std::move(c);
  }
  const store::PartitionedStore& partitions = *context.partitions;
  absl::StatusOr<std::vector<rpc::Shard<Response>>> shards =
      rpc::Scatter<caserelay::v1::SupervisionService::Stub>(
          *context.owners, *ctx, caller, prepare, forward,
          rpc::AnswerHere<Response>(
              [&](const std::vector<int32_t>& local)
                  -> absl::StatusOr<rpc::Shard<Response>> {
                const HeldView view = HeldView::Lease(partitions, local);
                absl::StatusOr<Response> r = here(view);
                if (!r.ok()) return r.status();
                return rpc::Shard<Response>{"", view.partitions(),
                                            *std::move(r)};
              }),
          kScatterTimeout);
  if (!shards.ok()) return rpc::ToGrpc(shards.status());
  *resp = merge(*std::move(shards));
  return grpc::Status::OK;
}

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_SUBTREE_QUERY_H_
