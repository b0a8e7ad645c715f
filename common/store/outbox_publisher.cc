#include "common/store/outbox_publisher.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace caserelay::store {

absl::StatusOr<std::unique_ptr<OutboxPublisher>> OutboxPublisher::Create(
    Store* store, const ProducerFactory& factory) {
  std::unique_ptr<OutboxPublisher> publisher(new OutboxPublisher(store));
  OutboxPublisher* self = publisher.get();
  auto producer =
      factory([self](const kafka::DeliveryReport& r) { self->OnDelivery(r); });
  if (!producer.ok()) return producer.status();
  publisher->producer_ = *std::move(producer);

  auto pending = store->PendingOutbox();
  if (!pending.ok()) return pending.status();
  if (!pending->empty()) {
    log::Info("republishing outbox",
              {{"records", std::to_string(pending->size())}});
  }
  {
    absl::MutexLock lock(&publisher->mu_);
    publisher->EnqueueLocked(*std::move(pending));
  }
  publisher->retry_thread_ = std::thread([self] { self->RetryLoop(); });
  return publisher;
}

OutboxPublisher::OutboxPublisher(Store* store) : store_(store) {}

OutboxPublisher::~OutboxPublisher() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (retry_thread_.joinable()) retry_thread_.join();
  // Give in-flight records a moment; what is left is republished on start.
  if (producer_) (void)producer_->Flush(absl::Seconds(2));
  producer_.reset();
}

absl::Status OutboxPublisher::Commit(WriteBatch& batch) {
  absl::MutexLock lock(&mu_);
  auto records = store_->Commit(batch);
  if (!records.ok()) return records.status();
  EnqueueLocked(*std::move(records));
  return absl::OkStatus();
}

void OutboxPublisher::EnqueueLocked(std::vector<OutboxRecord> records) {
  for (auto& r : records) {
    if (!backlog_.empty()) {
      backlog_.push_back(std::move(r));
      continue;
    }
    absl::Status s = producer_->Produce(r.topic, r.key, r.value, r.seq);
    if (s.ok()) {
      uint64_t seq = r.seq;
      in_flight_.emplace(seq, std::move(r));
    } else {
      backlog_.push_back(std::move(r));
    }
  }
}

void OutboxPublisher::OnDelivery(const kafka::DeliveryReport& report) {
  if (report.status.ok()) {
    absl::Status s = store_->DeleteOutbox({report.token});
    if (!s.ok()) {
      // The record stays and is republished on start; consumers dedupe.
      log::Warn("outbox delete failed", {{"error", std::string(s.message())}});
    }
    absl::MutexLock lock(&mu_);
    in_flight_.erase(report.token);
    return;
  }
  log::Error("publish failed, will retry",
             {{"topic", report.topic}, {"error", std::string(report.status.message())}});
  absl::MutexLock lock(&mu_);
  auto it = in_flight_.find(report.token);
  if (it == in_flight_.end()) return;
  OutboxRecord r = std::move(it->second);
  in_flight_.erase(it);
  // Keep sequence order in the backlog.
  auto pos = backlog_.begin();
  while (pos != backlog_.end() && pos->seq < r.seq) ++pos;
  backlog_.insert(pos, std::move(r));
}

void OutboxPublisher::RetryLoop() {
  for (;;) {
    absl::MutexLock lock(&mu_);
    auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
    mu_.AwaitWithTimeout(absl::Condition(&wake), absl::Milliseconds(200));
    if (stopping_) return;
    while (!backlog_.empty()) {
      OutboxRecord& r = backlog_.front();
      if (!producer_->Produce(r.topic, r.key, r.value, r.seq).ok()) break;
      uint64_t seq = r.seq;
      in_flight_.emplace(seq, std::move(r));
      backlog_.pop_front();
    }
  }
}

absl::Status OutboxPublisher::Flush(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return in_flight_.empty() && backlog_.empty();
  };
  if (mu_.AwaitWithDeadline(absl::Condition(&drained), deadline)) {
    return absl::OkStatus();
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "outbox: ", in_flight_.size() + backlog_.size(), " records unconfirmed"));
}

uint64_t OutboxPublisher::Pending() const {
  absl::MutexLock lock(&mu_);
  return in_flight_.size() + backlog_.size();
}

}  // namespace caserelay::store
