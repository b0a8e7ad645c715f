// Requests reach the owner (issue 19 item 4; the team's contract item 5).
//
// A per-case RPC of a service whose state is partitioned
// (common/store/partitioned_store.h) is served by the instance that holds
// the case's partition. Its handler asks first:
//
//   absl::StatusOr<rpc::Principal> caller = rpc::Caller(auth_, *ctx);
//   if (!caller.ok()) return rpc::ToGrpc(caller.status());
//   const int32_t p = partitions_->PartitionOfCase(req->case_id());
//   if (auto forwarded = rpc::ForwardUnary<Supervision::Stub>(
//           *owners_, p, *ctx, *caller, &Supervision::Stub::Get, *req, resp))
//     return *forwarded;
//   ... serve it here (LeaseForCase; FAILED_PRECONDITION if the partition
//       left meanwhile: answer UNAVAILABLE, the caller retries) ...
//
// ForwardUnary calls the owner with the caller's own authentication
// (common/rpc/forwarder.h: token mode passes the caller's authorization
// metadata on; mtls mode proves the instance's own identity and names the
// verified caller) plus `x-caserelay-forwarded: 1`. A forwarded call is
// never forwarded again: if the receiver does not hold the partition
// either it answers UNAVAILABLE "partition moving, try again".
//
// Queries over an office or a subtree scatter-gather to every distinct
// owner address (PartitionOwners::Instances()) and merge. Consistency the
// caller gets: an office reads its own writes, because the owner answered a
// write only after its batch was committed and confirmed by Kafka
// (OutboxPublisher::CommitAndWait); a query merges each instance's state as
// of the moment it answered, so a case moving during the query may be
// missing from the result or appear twice (the merge drops duplicates by
// case id).
//
// Thread safety: ForwardUnary is called from gRPC handler threads; what it
// uses (PartitionOwners, Forwarder) is thread-safe.

#ifndef CASERELAY_COMMON_RPC_FORWARD_H_
#define CASERELAY_COMMON_RPC_FORWARD_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/rpc/forwarder.h"
#include "common/rpc/principal.h"
#include "common/service/partition_owners.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::rpc {

// nullopt when this instance holds `partition`: the caller serves the call
// itself. Otherwise the answer of the call forwarded to the owner
// (`method` of a Stub made on the owner's cached channel), or:
//   UNAVAILABLE "partition <p> ... moving, try again" when no owner is
//     known, or when the call was forwarded to us already (never twice);
//   INTERNAL when `owners` has no forwarder;
//   UNAVAILABLE when the owner's channel cannot be made.
// The forwarded call keeps `ctx`'s deadline; `resp` is filled only by the
// owner's answer.
template <typename Stub, typename Request, typename Response>
std::optional<grpc::Status> ForwardUnary(
    const service::PartitionOwners& owners, int32_t partition,
    const grpc::ServerContext& ctx, const Principal& caller,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& req, Response* resp) {
  absl::StatusOr<service::Owner> owner = owners.Of(partition);
  if (owner.ok() && owner->local()) return std::nullopt;
  if (!owner.ok()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        std::string(owner.status().message()));
  }
  if (WasForwarded(ctx)) {
    return grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("partition ", partition,
                     " is not held here either (moving); try again"));
  }
  Forwarder* forwarder = owners.forwarder();
  if (forwarder == nullptr) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "this service cannot forward calls (no forwarder)");
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      forwarder->ChannelTo(owner->address);
  if (!channel.ok()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        std::string(channel.status().message()));
  }
  grpc::ClientContext out;
  if (absl::Status s = forwarder->Prepare(ctx, caller, &out); !s.ok()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        std::string(s.message()));
  }
  Stub stub(*channel);
  return (stub.*method)(&out, req, resp);
}

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_FORWARD_H_
