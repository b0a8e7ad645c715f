// Scatter-gather of a query over an office or a subtree (issue 19 item 4;
// the team's contract, item 5): with a service's state partitioned
// (common/store/partitioned_store.h) and its partitions spread over several
// instances, the instance a caller reached asks every other current owner
// for the partitions it holds, in parallel and within a deadline, answers
// its own share itself, and merges (page_merge.h for paged lists). The
// answer is whole or an error: a partition with no owner (moving) or whose
// owner does not answer in time makes the query UNAVAILABLE naming it,
// never a silently partial answer.
//
// A handler of a partitioned service:
//
//   if (rpc::WasForwarded(*ctx)) {
//     // Asked by another instance: answer from the partitions it names
//     // (AskedPartitions) that this instance holds, and say which
//     // (SetAnsweredPartitions). Never fan out again.
//   } else {
//     absl::StatusOr<std::vector<rpc::Shard<Resp>>> shards =
//         rpc::Scatter<Stub>(*owners, *ctx, caller,
//                            &Stub::PrepareAsyncListThings, *req,
//                            answer_here, timeout);
//     ... merge shards ...
//   }
//
// The call to an owner is made as rpc::ForwardUnary makes it
// (Forwarder::Prepare: the caller's own token and on-behalf metadata, or in
// auth.mode mtls the instance's own certificate naming the verified
// caller, believed only from the same service), with
// x-caserelay-forwarded: 1 (never forwarded or scattered again) and
// x-caserelay-partitions naming the partitions asked of it. The owner
// checks the caller's access again itself. Its answer's trailing metadata
// x-caserelay-partitions names the partitions it answered from (those it
// still held); a partition asked of an owner and not named there (it
// moved meanwhile) is not answered, so the query is UNAVAILABLE.
//
// Consistency: each owner answers from its state as of the moment it
// answered (an office reads its own writes: a write is answered only after
// its batch was committed and confirmed, forward.h). Each partition is
// answered by exactly one instance (the one the owners map names, and only
// if it still holds it), so nothing is counted twice.
//
// Thread safety: the functions are stateless; Scatter is called from gRPC
// handler threads, and what it uses (PartitionOwners, Forwarder) is
// thread-safe.

#ifndef CASERELAY_COMMON_RPC_SCATTER_H_
#define CASERELAY_COMMON_RPC_SCATTER_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/rpc/forwarder.h"
#include "common/rpc/principal.h"
#include "common/service/partition_owners.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::rpc {

// "0,3,5" for {0, 3, 5} (sorted, without duplicates, as given).
std::string EncodePartitions(const std::vector<int32_t>& partitions);
// The partitions of "0,3,5" (sorted, without duplicates); "" is none.
// INVALID_ARGUMENT naming the metadata for anything else or a partition
// outside [0, partitions).
absl::StatusOr<std::vector<int32_t>> ParsePartitions(absl::string_view text,
                                                     int32_t partitions);

// Owner side. The partitions a forwarded call asks this instance to answer
// from (its x-caserelay-partitions); nullopt when the call names none
// (answer from every partition held). ParsePartitions' errors.
absl::StatusOr<std::optional<std::vector<int32_t>>> AskedPartitions(
    const grpc::ServerContext& ctx, int32_t partitions);
// Names in the answer's trailing metadata the partitions answered from.
void SetAnsweredPartitions(grpc::ServerContext* ctx,
                           const std::vector<int32_t>& answered);

// Who is asked for which partitions, from the owners map.
struct ScatterPlan {
  std::vector<int32_t> local;  // this instance holds them (the map says)
  // Owner address -> its partitions, ascending.
  std::map<std::string, std::vector<int32_t>> remote;
  std::vector<int32_t> unowned;  // no owner known: moving
};

// The plan over partitions [0, owners.partitions()), from owners.Of(p)
// (PartitionOwners, or OwnersMap in tests): the distinct remote addresses
// are those of PartitionOwners::Instances() other than this instance's.
template <typename Owners>
ScatterPlan PlanScatter(const Owners& owners) {
  ScatterPlan plan;
  for (int32_t p = 0; p < owners.partitions(); ++p) {
    absl::StatusOr<service::Owner> owner = owners.Of(p);
    if (!owner.ok()) {
      plan.unowned.push_back(p);
    } else if (owner->local()) {
      plan.local.push_back(p);
    } else {
      plan.remote[owner->address].push_back(p);
    }
  }
  return plan;
}

// What one instance was asked and what it answered.
struct ShardOutcome {
  std::string from;               // "" this instance, else the owner address
  std::vector<int32_t> asked;     // ascending
  grpc::Status status;            // its answer's
  std::vector<int32_t> answered;  // its trailing x-caserelay-partitions
};

// Whether the outcomes answer every partition of [0, partitions) exactly
// once. OK if so. Otherwise: the first outcome refused for a reason of its
// own (a code other than UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED or
// UNKNOWN: the owner checked the caller and the request as this instance
// does) with its code and "owner <address>: <message>"; else UNAVAILABLE
// "partitions 2, 5 of <service> not answered (partition 2: no owner known,
// moving; partition 5: owner <address> did not answer: <code> <message>);
// try again". A partition answered that was not asked of that outcome is
// ignored (never counted twice).
absl::Status CheckCovered(absl::string_view service, int32_t partitions,
                          const std::vector<int32_t>& unowned,
                          const std::vector<ShardOutcome>& outcomes);

// The partitions of `answered` that are in `asked` (both ascending).
std::vector<int32_t> Within(const std::vector<int32_t>& answered,
                            const std::vector<int32_t>& asked);

// One instance's answer to a scattered query.
template <typename Response>
struct Shard {
  std::string from;                // "" this instance, else owner address
  std::vector<int32_t> partitions;  // answered from, ascending
  Response response;
};

// A stub's PrepareAsync<Method>, e.g. &Stub::PrepareAsyncListRedLights.
template <typename Stub, typename Request, typename Response>
using PrepareAsync =
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*)(
        grpc::ClientContext*, const Request&, grpc::CompletionQueue*);

// Answers the query from this instance's own partitions: given those the
// map says it holds, the Shard answered from (those it could read).
template <typename Response>
using AnswerHere = std::function<absl::StatusOr<Shard<Response>>(
    const std::vector<int32_t>& local)>;

// Scatters `req` to every remote owner of the plan (PlanScatter(owners)),
// in parallel, each asked for its partitions, with `ctx`'s deadline or
// `timeout` from now, whichever is sooner; meanwhile answers this
// instance's share with `answer_here`. Returns every shard, this
// instance's first, then by owner address, once CheckCovered is OK; its
// error otherwise, or answer_here's error as it is. INTERNAL if an owner
// is remote and `owners` has no forwarder; FAILED_PRECONDITION if `ctx`
// was forwarded already (such a call answers from its held partitions and
// never scatters). `caller` is rpc::Caller's principal of `ctx` (what an
// mtls forward names).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<std::vector<Shard<Response>>> Scatter(
    const service::PartitionOwners& owners, const grpc::ServerContext& ctx,
    const Principal& caller, PrepareAsync<Stub, Request, Response> prepare,
    const Request& req, const AnswerHere<Response>& answer_here,
    absl::Duration timeout) {
  if (WasForwarded(ctx)) {
    return absl::FailedPreconditionError(
        "a forwarded call answers from its held partitions and is never "
        "scattered again");
  }
  const ScatterPlan plan = PlanScatter(owners);
  Forwarder* forwarder = owners.forwarder();
  if (!plan.remote.empty() && forwarder == nullptr) {
    return absl::InternalError(
        "this service cannot ask other instances (no forwarder)");
  }
  auto deadline = std::chrono::system_clock::now() +
                  absl::ToChronoMilliseconds(timeout);
  if (ctx.deadline() < deadline) deadline = ctx.deadline();

  // One call per owner, all started before any is awaited.
  struct Call {
    ShardOutcome outcome;
    grpc::ClientContext context;
    Response response;
    std::unique_ptr<Stub> stub;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
    bool started = false;
  };
  grpc::CompletionQueue cq;  // shut down and drained before it goes
  std::vector<std::unique_ptr<Call>> calls;
  for (const auto& [address, partitions] : plan.remote) {
    auto call = std::make_unique<Call>();
    call->outcome.from = address;
    call->outcome.asked = partitions;
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        forwarder->ChannelTo(address);
    absl::Status prepared =
        channel.ok() ? forwarder->Prepare(ctx, caller, &call->context)
                     : channel.status();
    if (!prepared.ok()) {
      call->outcome.status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                          std::string(prepared.message()));
    } else {
      call->context.set_deadline(deadline);
      call->context.AddMetadata(kPartitionsMetadata,
                                EncodePartitions(partitions));
      call->stub = std::make_unique<Stub>(*channel);
      call->reader = ((*call->stub).*prepare)(&call->context, req, &cq);
      call->reader->StartCall();
      call->reader->Finish(&call->response, &call->outcome.status,
                           call.get());
      call->started = true;
    }
    calls.push_back(std::move(call));
  }

  absl::StatusOr<Shard<Response>> here = answer_here(plan.local);

  // Every started call ends by its deadline at the latest.
  size_t pending = 0;
  for (const auto& call : calls) pending += call->started ? 1 : 0;
  void* tag = nullptr;
  bool ok = false;
  while (pending > 0 && cq.Next(&tag, &ok)) {
    Call* call = static_cast<Call*>(tag);
    --pending;
    if (!call->outcome.status.ok()) continue;
    const auto& trailing = call->context.GetServerTrailingMetadata();
    auto it = trailing.find(kPartitionsMetadata);
    absl::StatusOr<std::vector<int32_t>> answered =
        it == trailing.end()
            ? absl::StatusOr<std::vector<int32_t>>(std::vector<int32_t>{})
            : ParsePartitions(absl::string_view(it->second.data(),
                                                it->second.size()),
                              owners.partitions());
    if (!answered.ok()) {
      call->outcome.status = grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          std::string(answered.status().message()));
    } else {
      call->outcome.answered = Within(*answered, call->outcome.asked);
    }
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!here.ok()) return here.status();

  here->partitions = Within(here->partitions, plan.local);
  std::vector<ShardOutcome> outcomes;
  ShardOutcome mine;
  mine.asked = plan.local;
  mine.answered = here->partitions;
  outcomes.push_back(std::move(mine));
  for (const auto& call : calls) outcomes.push_back(call->outcome);
  if (absl::Status s = CheckCovered(owners.service(), owners.partitions(),
                                    plan.unowned, outcomes);
      !s.ok()) {
    return s;
  }
  std::vector<Shard<Response>> shards;
  shards.push_back(*std::move(here));
  for (auto& call : calls) {
    Shard<Response> shard;
    shard.from = call->outcome.from;
    shard.partitions = call->outcome.answered;
    shard.response = std::move(call->response);
    shards.push_back(std::move(shard));
  }
  return shards;
}

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_SCATTER_H_
