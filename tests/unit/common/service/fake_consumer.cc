#include "tests/unit/common/service/fake_consumer.h"

#include <algorithm>
#include <utility>

namespace caserelay::service::testing {

absl::StatusOr<std::vector<kafka::Message>> FakeConsumer::Poll(
    int max_messages, absl::Duration timeout) {
  {
    absl::MutexLock lock(&mu_);
    ++polls_;
    last_max_messages_ = max_messages;
    last_timeout_ = timeout;
    if (closed_) return absl::FailedPreconditionError("consumer is closed");
    if (!next_failure_.ok())
      return std::exchange(next_failure_, absl::OkStatus());
    if (!batches_.empty()) {
      std::vector<kafka::Message>& front = batches_.front();
      size_t n = std::min(front.size(), static_cast<size_t>(max_messages));
      std::vector<kafka::Message> out(front.begin(), front.begin() + n);
      front.erase(front.begin(), front.begin() + n);
      if (front.empty()) batches_.pop_front();
      return out;
    }
  }
  absl::SleepFor(std::min(timeout, absl::Milliseconds(5)));
  return std::vector<kafka::Message>{};
}

std::vector<std::pair<std::string, int32_t>> FakeConsumer::Assignment() {
  absl::MutexLock lock(&mu_);
  if (closed_) return {};
  return assignment_;
}

std::vector<kafka::PositionReset> FakeConsumer::TakeResets() {
  absl::MutexLock lock(&mu_);
  return std::exchange(resets_, {});
}

std::string FakeConsumer::LogId() {
  absl::MutexLock lock(&mu_);
  return log_id_;
}

void FakeConsumer::AddReset(kafka::PositionReset reset) {
  absl::MutexLock lock(&mu_);
  resets_.push_back(std::move(reset));
}

void FakeConsumer::SetLogId(std::string log_id) {
  absl::MutexLock lock(&mu_);
  log_id_ = std::move(log_id);
}

void FakeConsumer::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

void FakeConsumer::AddBatch(std::vector<kafka::Message> batch) {
  absl::MutexLock lock(&mu_);
  batches_.push_back(std::move(batch));
}

void FakeConsumer::FailNextPoll(absl::Status status) {
  absl::MutexLock lock(&mu_);
  next_failure_ = std::move(status);
}

void FakeConsumer::SetAssignment(
    std::vector<std::pair<std::string, int32_t>> assignment) {
  absl::MutexLock lock(&mu_);
  assignment_ = std::move(assignment);
}

int FakeConsumer::polls() const {
  absl::MutexLock lock(&mu_);
  return polls_;
}

absl::Duration FakeConsumer::last_timeout() const {
  absl::MutexLock lock(&mu_);
  return last_timeout_;
}

int FakeConsumer::last_max_messages() const {
  absl::MutexLock lock(&mu_);
  return last_max_messages_;
}

bool FakeConsumer::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

size_t FakeConsumer::batches_left() const {
  absl::MutexLock lock(&mu_);
  return batches_.size();
}

}  // namespace caserelay::service::testing
