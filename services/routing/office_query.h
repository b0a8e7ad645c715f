// routing's lists over an office (ListInbox, ListApprovals,
// ListChargedCases) answered whole when routing runs as N instances
// (routing.partitioned; issue 19 item 4, README "Routing as N
// instances"), once the handler has checked the caller and the request:
//
//   - one store: the list of that store;
//   - a call another instance forwarded (x-caserelay-forwarded): the lists
//     of the partitions it asks for (x-caserelay-partitions) that this
//     instance holds, merged, and those partitions named in the answer's
//     trailing metadata; never asked on;
//   - otherwise the instance scatters (common/rpc/scatter.h): it asks
//     every other current owner for its partitions with the caller's own
//     credentials, answers its own, and merges; a partition moving or an
//     owner not answering within kOfficeScatterTimeout (or the call's
//     deadline) makes the answer UNAVAILABLE naming the partitions, so a
//     list is whole (every partition answered exactly once) or refused.
//
// Every index these lists read holds one case's entries per key, so a
// partition's list is a page in the list's order, and pages merge by key
// (InboxPartOfPage / MergeInboxParts, rpc::MergePages). Supervision's
// subtree queries do the same over their own view (services/supervision/
// subtree_query.h).
//
// Thread safety: stateless; called from gRPC handler threads.

#ifndef CASERELAY_SERVICES_ROUTING_OFFICE_QUERY_H_
#define CASERELAY_SERVICES_ROUTING_OFFICE_QUERY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/scatter.h"
#include "common/service/service_main.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::routing {

// How long the instance a caller reached waits for the other owners.
inline constexpr absl::Duration kOfficeScatterTimeout = absl::Seconds(5);

// The stores a list reads on this instance: the one store, or the
// partitions of `wanted` (nullopt: all) held now, each leased while this
// lives (one not held, or being released, is left out).
class HeldStores {
 public:
  static HeldStores Single(store::Store* store);
  static HeldStores Lease(const store::PartitionedStore& partitions,
                          const std::optional<std::vector<int32_t>>& wanted);
  HeldStores(HeldStores&&) = default;
  HeldStores& operator=(HeldStores&&) = default;

  const std::vector<store::Store*>& stores() const { return stores_; }
  // Ascending; empty for the one store.
  const std::vector<int32_t>& partitions() const { return partitions_; }

 private:
  HeldStores() = default;
  std::vector<store::PartitionLease> leases_;
  std::vector<store::Store*> stores_;
  std::vector<int32_t> partitions_;
};

// The list of one store: `stores` is how many this instance reads for the
// call (a bound per call, such as routing.inbox_scan_limit, is shared).
template <typename Response>
using ListIn =
    std::function<absl::StatusOr<Response>(store::Store& store, int stores)>;
// The lists of several stores or instances as one (empty: the empty list).
template <typename Response>
using MergeLists =
    std::function<absl::StatusOr<Response>(std::vector<Response> lists)>;

// Answers `req` as the file comment says. The errors of `list_in` and
// `merge`, of the caller's authentication (rpc::Caller) and of
// rpc::Scatter, as gRPC statuses.
template <typename Request, typename Response>
grpc::Status AnswerOfficeQuery(
    const service::Context& context, grpc::ServerContext* ctx,
    const Request& req,
    rpc::PrepareAsync<caserelay::v1::RoutingService::Stub, Request, Response>
        prepare,
    const ListIn<Response>& list_in, const MergeLists<Response>& merge,
    Response* resp) {
  auto here = [&](const HeldStores& held) -> absl::StatusOr<Response> {
    std::vector<Response> lists;
    const int n = static_cast<int>(held.stores().size());
    for (store::Store* store : held.stores()) {
      absl::StatusOr<Response> list = list_in(*store, n);
      if (!list.ok()) return list.status();
      lists.push_back(*std::move(list));
    }
    if (context.partitions == nullptr && lists.size() == 1) {
      return std::move(lists.front());  // the one store's list as it is
    }
    return merge(std::move(lists));
  };
  if (context.partitions == nullptr || context.owners == nullptr) {
    absl::StatusOr<Response> r = here(HeldStores::Single(context.store));
    if (!r.ok()) return rpc::ToGrpc(r.status());
    *resp = *std::move(r);
    return grpc::Status::OK;
  }
  if (rpc::WasForwarded(*ctx)) {
    absl::StatusOr<std::optional<std::vector<int32_t>>> asked =
        rpc::AskedPartitions(*ctx, context.partitions->partitions());
    if (!asked.ok()) return rpc::ToGrpc(asked.status());
    const HeldStores held = HeldStores::Lease(*context.partitions, *asked);
    absl::StatusOr<Response> r = here(held);
    if (!r.ok()) return rpc::ToGrpc(r.status());
    rpc::SetAnsweredPartitions(ctx, held.partitions());
    *resp = *std::move(r);
    return grpc::Status::OK;
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  const store::PartitionedStore& partitions = *context.partitions;
  absl::StatusOr<std::vector<rpc::Shard<Response>>> shards =
      rpc::Scatter<caserelay::v1::RoutingService::Stub>(
          *context.owners, *ctx, *caller, prepare, req,
          rpc::AnswerHere<Response>(
              [&](const std::vector<int32_t>& local)
                  -> absl::StatusOr<rpc::Shard<Response>> {
                const HeldStores held = HeldStores::Lease(partitions, local);
                absl::StatusOr<Response> r = here(held);
                if (!r.ok()) return r.status();
                return rpc::Shard<Response>{"", held.partitions(),
                                            *std::move(r)};
              }),
          kOfficeScatterTimeout);
  if (!shards.ok()) return rpc::ToGrpc(shards.status());
  std::vector<Response> lists;
  for (rpc::Shard<Response>& shard : *shards) {
    lists.push_back(std::move(shard.response));
  }
  absl::StatusOr<Response> merged = merge(std::move(lists));
  if (!merged.ok()) return rpc::ToGrpc(merged.status());
  *resp = *std::move(merged);
  return grpc::Status::OK;
}

// The merges (pure): each list in its order, a page of at most
// `page_size` (>= 1), continued after the last row every list vouches for
// (page_merge.h). INVALID_ARGUMENT for a list whose next_page_token is not
// one of `office`'s.
absl::StatusOr<caserelay::v1::ListInboxResponse> MergeInboxLists(
    const std::string& office, std::vector<caserelay::v1::ListInboxResponse> lists,
    int page_size);
absl::StatusOr<caserelay::v1::ListApprovalsResponse> MergeApprovalLists(
    const std::string& office,
    std::vector<caserelay::v1::ListApprovalsResponse> lists, int page_size);
// Also each leader's count of the quarter, summed over the lists (by
// name; the quarter and quota as the lists say).
absl::StatusOr<caserelay::v1::ListChargedCasesResponse> MergeChargedLists(
    const std::string& office,
    std::vector<caserelay::v1::ListChargedCasesResponse> lists, int page_size);

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_OFFICE_QUERY_H_
