// Group commit (成组提交) of concurrent submissions: the writes of many
// callers in one store WriteBatch and one synced RocksDB write, instead of
// one synced write each (issue 20 item 1; bench/pipeline/README.md "Levers").
//
// Leader/follower, as RocksDB's own write path does it: a caller queues
// its step and waits; the first caller to find no group running becomes the
// leader, takes every queued step (at most max_group), runs them one after
// another on its own thread over ONE WriteBatch, runs `finish` once on that
// batch, commits it through the OutboxPublisher (one fsync, the outbox in
// commit order), and wakes the followers with their results. Steps are
// thus serialised exactly as under one mutex, in queue order: a step reads
// through the batch (WriteBatch::Get) and sees every earlier step of its
// group, and the store for the groups before.
//
// A step's contract: it either writes its item into the batch and returns
// OK, or writes NOTHING and returns an error; the error is that caller's
// alone, the rest of the group goes on. (store::WriteBatch has no rollback,
// so every fallible check of a step comes before its first write.) A step
// that answers without writing (an idempotent retry) just returns OK.
// If the commit fails (UNAVAILABLE: a full disk, an I/O error) nothing of
// the group is written and every caller whose step succeeded gets the
// commit's status; a failed `finish` fails the group the same way.
//
// Thread safety: thread-safe. Run() blocks until its group is committed;
// steps run on some caller's thread (the leader's) while their own caller
// waits, so a step may use its caller's stack.

#ifndef CASERELAY_SERVICES_INTAKE_GROUP_COMMIT_H_
#define CASERELAY_SERVICES_INTAKE_GROUP_COMMIT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"

namespace caserelay::intake {

struct GroupCommitOptions {
  // The most steps one commit takes; a larger queue goes in several.
  int max_group = 256;
  // Runs once per group after its steps, when at least one of them
  // succeeded (their count is passed), before the commit: e.g. a sweep of
  // expired records. An error fails the whole group. May be empty.
  std::function<absl::Status(store::WriteBatch&, int succeeded)> finish;
};

class GroupCommit {
 public:
  using Step = absl::FunctionRef<absl::Status(store::WriteBatch&)>;

  // None of the pointers is owned; all outlive this. `metrics` may be null
  // (no metrics); otherwise it gets caserelay_intake_group_commit_steps
  // (a histogram of the steps per commit).
  GroupCommit(const store::Store* store, store::OutboxPublisher* publisher,
              metrics::Registry* metrics, GroupCommitOptions options = {});
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `step` in a group and commits the group (see the file comment).
  // Returns the step's error, else the commit's (or finish's) error, else
  // OK once the step's writes are durably committed and queued for
  // publishing.
  absl::Status Run(Step step);

  // Steps queued and not yet taken by a leader (for tests and metrics).
  int Waiting() const;

 private:
  struct Waiter {
    explicit Waiter(Step s) : step(s) {}
    Step step;
    absl::Status result;
    bool done = false;
  };
  // Runs `group`'s steps over one batch and commits it; sets each result.
  void CommitGroup(const std::deque<Waiter*>& group);

  // Const after construction.
  const store::Store* const store_;
  store::OutboxPublisher* const publisher_;
  const GroupCommitOptions options_;
  metrics::Histogram* const steps_;  // null without metrics

  mutable absl::Mutex mu_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mu_);
  bool leading_ ABSL_GUARDED_BY(mu_) = false;  // a group is being committed
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_GROUP_COMMIT_H_
