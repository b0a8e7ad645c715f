#include "services/intake/group_commit.h"

#include <utility>
#include <vector>

namespace caserelay::intake {
namespace {

metrics::Histogram* StepsHistogram(metrics::Registry* metrics) {
  if (metrics == nullptr) return nullptr;
  return &metrics->GetHistogram(
      "caserelay_intake_group_commit_steps",
      "Submissions committed together in one store write (one fsync): "
      "group commit of concurrent SubmitPetition calls.",
      {1, 2, 4, 8, 16, 32, 64, 128, 256});
}

}  // namespace

GroupCommit::GroupCommit(const store::Store* store,
                         store::OutboxPublisher* publisher,
                         metrics::Registry* metrics, GroupCommitOptions options)
    : store_(store),
      publisher_(publisher),
      options_(std::move(options)),
      steps_(StepsHistogram(metrics)) {}

absl::Status GroupCommit::Run(Step step) {
  Waiter me(step);
  mu_.Lock();
  queue_.push_back(&me);
  // Wait until a leader has committed this step, or no group runs and
  // this caller may lead one.
  auto ready = [this, &me]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return me.done || !leading_;
  };
  for (;;) {
    mu_.Await(absl::Condition(&ready));
    if (me.done) break;
    leading_ = true;
    // The queue's first max_group steps. This caller's own is among them
    // unless more than max_group were queued before it: then it commits
    // theirs and waits again (it leads again, or a later leader takes it).
    std::deque<Waiter*> group;
    while (!queue_.empty() &&
           static_cast<int>(group.size()) < options_.max_group) {
      group.push_back(queue_.front());
      queue_.pop_front();
    }
    mu_.Unlock();
    CommitGroup(group);
    mu_.Lock();
    for (Waiter* w : group) w->done = true;
    leading_ = false;
  }
  absl::Status result = me.result;
  mu_.Unlock();
  return result;
}

int GroupCommit::Waiting() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

void GroupCommit::CommitGroup(const std::deque<Waiter*>& group) {
  store::WriteBatch batch(store_);
  std::vector<Waiter*> written;
  written.reserve(group.size());
  for (Waiter* w : group) {
    w->result = w->step(batch);
    if (w->result.ok()) written.push_back(w);
  }
  absl::Status s = absl::OkStatus();
  if (!written.empty() && options_.finish) {
    s = options_.finish(batch, static_cast<int>(written.size()));
  }
  if (s.ok() && !batch.empty()) s = publisher_->Commit(batch);
  if (!s.ok()) {
    for (Waiter* w : written) w->result = s;
  }
  if (steps_ != nullptr) steps_->Observe(static_cast<double>(group.size()));
}

}  // namespace caserelay::intake
