#include "tests/unit/common/store/fake_producer.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace caserelay::store::testing {

FakeProducer::FakeProducer(kafka::DeliveryCallback on_delivery)
    : on_delivery_(std::move(on_delivery)) {}

absl::Status FakeProducer::Produce(std::string_view topic, std::string_view key,
                                   std::string_view value, uint64_t token) {
  return ProduceRecord(kafka::ProducerRecord{topic, -1, key, value}, token);
}

absl::Status FakeProducer::ProduceRecord(const kafka::ProducerRecord& record,
                                         uint64_t token) {
  absl::MutexLock lock(&mu_);
  attempts_.push_back(token);
  auto refused = token_refusals_.find(token);
  if (refused != token_refusals_.end()) return refused->second;
  if (!default_refusal_.ok()) return default_refusal_;
  ProducedRecord r{std::string(record.topic),
                   std::string(record.key),
                   std::string(record.value.value_or("")),
                   token,
                   record.partition,
                   !record.value.has_value()};
  produced_.push_back(r);
  outstanding_.push_back(std::move(r));
  return absl::OkStatus();
}

absl::Status FakeProducer::Flush(absl::Duration /*timeout*/) {
  absl::MutexLock lock(&mu_);
  if (outstanding_.empty()) return absl::OkStatus();
  return absl::DeadlineExceededError(
      absl::StrCat("fake producer: ", outstanding_.size(), " unreported"));
}

void FakeProducer::RefuseAll(absl::Status status) {
  absl::MutexLock lock(&mu_);
  default_refusal_ = std::move(status);
}

void FakeProducer::RefuseToken(uint64_t token, absl::Status status) {
  absl::MutexLock lock(&mu_);
  token_refusals_[token] = std::move(status);
}

void FakeProducer::AcceptAll() {
  absl::MutexLock lock(&mu_);
  default_refusal_ = absl::OkStatus();
  token_refusals_.clear();
}

bool FakeProducer::Deliver(uint64_t token, absl::Status status) {
  kafka::DeliveryReport report;
  {
    absl::MutexLock lock(&mu_);
    auto it = outstanding_.begin();
    while (it != outstanding_.end() && it->token != token) ++it;
    if (it == outstanding_.end()) return false;
    report.token = token;
    report.topic = it->topic;
    if (status.ok()) {
      report.partition = 0;
      report.offset = static_cast<int64_t>(token);
    }
    report.status = std::move(status);
    outstanding_.erase(it);
  }
  // Outside mu_: the callback takes the publisher's lock, and the
  // publisher holds that lock while it calls Produce().
  on_delivery_(report);
  return true;
}

int FakeProducer::DeliverAll(absl::Status status) {
  int n = 0;
  for (uint64_t token : outstanding()) {
    if (Deliver(token, status)) ++n;
  }
  return n;
}

std::vector<ProducedRecord> FakeProducer::produced() const {
  absl::MutexLock lock(&mu_);
  return produced_;
}

std::vector<uint64_t> FakeProducer::attempts() const {
  absl::MutexLock lock(&mu_);
  return attempts_;
}

std::vector<uint64_t> FakeProducer::outstanding() const {
  absl::MutexLock lock(&mu_);
  std::vector<uint64_t> tokens;
  for (const auto& r : outstanding_) tokens.push_back(r.token);
  return tokens;
}

bool FakeProducer::WaitForProduced(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return produced_.size() >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

OutboxPublisher::ProducerFactory FakeProducerFactory(FakeProducer** out) {
  return [out](kafka::DeliveryCallback on_delivery)
             -> absl::StatusOr<std::unique_ptr<kafka::Producer>> {
    auto producer = std::make_unique<FakeProducer>(std::move(on_delivery));
    *out = producer.get();
    return std::unique_ptr<kafka::Producer>(std::move(producer));
  };
}

}  // namespace caserelay::store::testing
