// ConsumeLoop over a PartitionedStore (issue 19 items 1-3): the partition
// lifecycle and the partitioned round. consume_loop.h says what it does;
// the single-store round is in consume_loop.cc.

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log/log.h"
#include "common/service/consume_loop.h"

namespace caserelay::service {
namespace {

// The partition a dead letter key belongs to: "<topic>/<partition>/<offset>"
// names it; "held/<case>/<sequence>" is its case's. -1 if neither parses.
int32_t PartitionOfLetter(const std::string& key,
                          const store::PartitionedStore& partitions) {
  std::vector<std::string> parts = absl::StrSplit(key, '/');
  if (parts.size() >= 3 && parts[0] == "held") {
    return partitions.PartitionOfCase(parts[1]);
  }
  int32_t p = -1;
  if (parts.size() == 3 && absl::SimpleAtoi(parts[1], &p)) return p;
  return -1;
}

}  // namespace

void ConsumeLoop::Rebalance::Assigned(
    const std::vector<kafka::TopicPartition>& tps) {
  ConsumeLoop& loop = *loop_;
  for (const kafka::TopicPartition& tp : tps) {
    const int32_t p = tp.second;
    loop.assigned_tps_[p].push_back(tp);
    if (loop.partitions_held_.count(p) > 0 ||
        std::find(loop.to_acquire_.begin(), loop.to_acquire_.end(), p) !=
            loop.to_acquire_.end()) {
      // Another topic of a partition held or waiting: resume it with it.
      if (loop.partitions_held_.count(p) > 0) {
        absl::Status resumed = loop.consumer_->Resume({tp});
        if (!resumed.ok()) {
          log::Warn("partition not resumed yet; retried on the next poll",
                    {{"loop", loop.name_},
                     {"input", absl::StrCat(tp.first, "/", p)},
                     {"error", std::string(resumed.message())}});
        }
      }
      continue;
    }
    loop.to_acquire_.push_back(p);
    log::Info("partition assigned; restoring before it is applied",
              {{"loop", loop.name_}, {"partition", std::to_string(p)}});
  }
  loop.UpdatePartitionGauges();
}

void ConsumeLoop::Rebalance::Revoking(
    const std::vector<kafka::TopicPartition>& tps) {
  ConsumeLoop& loop = *loop_;
  for (const kafka::TopicPartition& tp : tps) {
    const int32_t p = tp.second;
    auto& assigned = loop.assigned_tps_[p];
    assigned.erase(std::remove(assigned.begin(), assigned.end(), tp),
                   assigned.end());
    if (!assigned.empty()) continue;  // another topic of it stays here
    loop.assigned_tps_.erase(p);
    auto waiting =
        std::find(loop.to_acquire_.begin(), loop.to_acquire_.end(), p);
    if (waiting != loop.to_acquire_.end()) {
      if (waiting == loop.to_acquire_.begin()) loop.acquire_attempts_ = 0;
      loop.to_acquire_.erase(waiting);  // never acquired: nothing to undo
    }
    if (loop.partitions_held_.count(p) > 0) loop.ReleasePartition(p);
  }
  loop.UpdatePartitionGauges();
}

void ConsumeLoop::ReleasePartition(int32_t p) {
  // Every round committed its batches before the Poll that revokes, and
  // the consumer dropped what that Poll read of the partition: nothing of
  // it is in hand.
  if (options_.on_releasing) options_.on_releasing(p);
  partitions_held_.erase(p);
  options_.partitions->Release(p);
  log::Info("partition released", {{"loop", name_},
                                    {"partition", std::to_string(p)}});
}

std::vector<int32_t> ConsumeLoop::HeldPartitions() const {
  absl::MutexLock lock(&partitions_mu_);
  return held_copy_;
}

std::vector<int32_t> ConsumeLoop::RestoringPartitions() const {
  absl::MutexLock lock(&partitions_mu_);
  return restoring_copy_;
}

void ConsumeLoop::UpdatePartitionGauges() {
  std::vector<int32_t> held;
  for (const auto& [p, unused] : partitions_held_) held.push_back(p);
  std::vector<int32_t> restoring(to_acquire_.begin(), to_acquire_.end());
  std::sort(restoring.begin(), restoring.end());
  restoring_gauge_.Set(static_cast<double>(restoring.size()));
  absl::MutexLock lock(&partitions_mu_);
  held_copy_ = std::move(held);
  restoring_copy_ = std::move(restoring);
}

absl::Status ConsumeLoop::AcquireNext() {
  if (to_acquire_.empty()) return absl::OkStatus();
  const int32_t p = to_acquire_.front();
  const absl::Time start = absl::Now();
  // Acquire is OK at once for a partition held already (a retry after the
  // held events failed to load).
  absl::Status s = options_.partitions->Acquire(p);
  HeldPartition held;
  if (s.ok()) {
    absl::StatusOr<store::PartitionLease> lease = options_.partitions->Lease(p);
    s = lease.status();
    if (lease.ok()) {
      auto loaded = HeldEvents::Load(lease->store(), name_);
      s = loaded.status();
      if (loaded.ok()) held.held = *std::move(loaded);
    }
  }
  if (!s.ok()) {
    acquire_failures_.Increment();
    ++acquire_attempts_;
    if (acquire_attempts_ >= options_.stuck_after) {
      absl::MutexLock lock(&mu_);
      stuck_ = absl::StrCat("stuck: restoring partition ", p, " failed ",
                            acquire_attempts_, " times: ", s.message());
    }
    return absl::Status(s.code(), absl::StrCat("restoring partition ", p,
                                               ": ", s.message()));
  }
  to_acquire_.pop_front();
  acquire_attempts_ = 0;
  partitions_held_[p] = std::move(held);
  handler_->PartitionHeld(p);
  UpdatePartitionGauges();
  // Only now is its stored position read (from the restored DB) and the
  // partition fetched.
  absl::Status resumed = consumer_->Resume(assigned_tps_[p]);
  if (!resumed.ok()) {
    log::Warn("partition restored but not resumed yet; retried on the next "
              "poll",
              {{"loop", name_},
               {"partition", std::to_string(p)},
               {"error", std::string(resumed.message())}});
  }
  if (options_.on_held) options_.on_held(p);
  log::Info("partition held",
            {{"loop", name_},
             {"partition", std::to_string(p)},
             {"restore_seconds",
              absl::StrCat(absl::ToDoubleSeconds(absl::Now() - start))}});
  return absl::OkStatus();
}

absl::Status ConsumeLoop::AcquireWaiting() {
  // Several waiting (a start, a rebalance): the first few are acquired
  // together, their DBs opened in parallel; AcquireNext then finds each
  // held (or reports and retries its error). A few per round, not all: a
  // partition's restore can take seconds (a stale copy restored from
  // offset 0), and the partitions held already are applied and ticked
  // between rounds.
  constexpr size_t kPerRound = 4;
  const size_t n = std::min(kPerRound, to_acquire_.size());
  if (n > 1 && acquire_attempts_ == 0) {
    const absl::Time start = absl::Now();
    (void)options_.partitions->AcquireAll(std::vector<int32_t>(
        to_acquire_.begin(),
        to_acquire_.begin() + static_cast<ptrdiff_t>(n)));
    log::Info("partitions opened and restored together",
              {{"loop", name_},
               {"partitions", std::to_string(n)},
               {"seconds",
                absl::StrCat(absl::ToDoubleSeconds(absl::Now() - start))}});
  }
  for (size_t i = 0; i < std::max<size_t>(n, 1) && !to_acquire_.empty();
       ++i) {
    if (absl::Status s = AcquireNext(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ConsumeLoop::RunOncePartitioned() {
  if (absl::Status s = AcquireWaiting(); !s.ok()) return s;
  auto messages = consumer_->Poll(
      options_.max_batch, handler_->MoreDue() || !to_acquire_.empty()
                              ? absl::ZeroDuration()
                              : options_.poll_timeout);
  if (!messages.ok()) {
    healthy_ = false;
    return messages.status();
  }
  healthy_ = true;
  assigned_ = !consumer_->Assignment().empty();
  const absl::Time start = absl::Now();

  // One lease and one WriteBatch per partition touched this round.
  struct Round {
    store::PartitionLease lease;
    std::unique_ptr<store::WriteBatch> batch;
    HeldEvents* held;
  };
  std::map<int32_t, Round> rounds;
  auto round_of = [&](int32_t p) -> Round* {
    auto it = rounds.find(p);
    if (it != rounds.end()) return &it->second;
    auto held = partitions_held_.find(p);
    if (held == partitions_held_.end()) return nullptr;
    absl::StatusOr<store::PartitionLease> lease = options_.partitions->Lease(p);
    if (!lease.ok()) return nullptr;  // not held: cannot happen here
    auto batch = std::make_unique<store::WriteBatch>(&lease->store());
    return &rounds
                .emplace(p, Round{*std::move(lease), std::move(batch),
                                  held->second.held.get()})
                .first->second;
  };
  std::map<std::pair<std::string, int32_t>, int64_t> next;
  ApplyResets(next, [&](int32_t p) -> store::WriteBatch* {
    Round* r = round_of(p);
    return r == nullptr ? nullptr : r->batch.get();
  });

  std::map<int32_t, std::vector<std::string>> replay;
  for (const std::string& key : TakeReplayKeys()) {
    replay[PartitionOfLetter(key, *options_.partitions)].push_back(key);
  }
  for (const auto& [p, keys] : replay) {
    Round* r = round_of(p);
    if (r == nullptr) {
      log::Warn("dead letters not replayed: their partition is not held here",
                {{"loop", name_}, {"partition", std::to_string(p)}});
      continue;
    }
    if (absl::Status s = ReplayKeys(keys, *r->held, *r->batch); !s.ok()) {
      return s;
    }
  }

  const std::string log_id = consumer_->LogId();
  for (const kafka::Message& m : *messages) {
    Round* r = round_of(m.partition);
    if (r == nullptr) {
      // The consumer fetches only resumed (held) partitions.
      log::Error("record of a partition not held; not applied",
                 {{"loop", name_},
                  {"input", absl::StrCat(m.topic, "/", m.partition)}});
      continue;
    }
    auto applied = AlreadyApplied(m, r->lease.store(), next);
    if (!applied.ok()) return applied.status();
    if (*applied) continue;
    if (absl::Status s = ApplyOne(m, *r->held, *r->batch); !s.ok()) return s;
    next[{m.topic, m.partition}] = m.offset + 1;
    r->batch->SetOffset(m.topic, m.partition, m.offset + 1, log_id);
  }
  bool committed = false;
  for (auto& [p, r] : rounds) {
    if (r.batch->empty()) continue;
    if (absl::Status s = CommitWithRetry(r.lease.publisher(), *r.batch);
        !s.ok()) {
      return s;
    }
    committed = true;
  }
  rounds.clear();  // the leases end: a revocation may release them now
  if (committed) {
    batch_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  }
  ShowNextOffsets(next);
  size_t held_events = 0;
  std::vector<std::string> late;
  for (const auto& [p, hp] : partitions_held_) {
    held_events += hp.held->size();
    for (std::string& c :
         hp.held->CasesHeldSince(absl::Now() - options_.gap_alert_after)) {
      late.push_back(std::move(c));
    }
  }
  held_gauge_.Set(static_cast<double>(held_events));
  {
    absl::MutexLock lock(&mu_);
    stuck_.clear();
    held_late_ = std::move(late);
  }
  if (absl::Status s = TickPartitions(); !s.ok()) return s;
  applied_through_.Round(
      *consumer_,
      [this](const std::string& topic,
             int32_t partition) -> absl::StatusOr<std::optional<int64_t>> {
        auto lease = options_.partitions->Lease(partition);
        if (!lease.ok()) return lease.status();
        auto stored = lease->store().Position(topic, partition);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return std::nullopt;
        return (*stored)->next_offset;
      },
      held_events == 0);
  return absl::OkStatus();
}

absl::Status ConsumeLoop::TickPartitions() {
  const absl::Time tick_began = TickClock();
  absl::Status failed;
  for (const auto& [p, unused] : partitions_held_) {
    absl::StatusOr<store::PartitionLease> lease = options_.partitions->Lease(p);
    if (!lease.ok()) continue;  // cannot happen on the loop's thread
    store::WriteBatch ticked(&lease->store());
    absl::Status tick = handler_->TickPartition(p, lease->store(), ticked);
    if (!tick.ok()) {
      // Discard this partition's batch only; the others go on.
      if (failed.ok()) {
        failed = absl::Status(tick.code(), absl::StrCat("partition ", p, ": ",
                                                        tick.message()));
      }
      continue;
    }
    if (!ticked.empty()) {
      if (absl::Status s = CommitWithRetry(lease->publisher(), ticked);
          !s.ok()) {
        return s;
      }
    }
  }
  if (!failed.ok()) return TickFailed(failed);
  TickCommitted(tick_began);
  return absl::OkStatus();
}

}  // namespace caserelay::service
