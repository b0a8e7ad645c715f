#include "services/statistics/bulletins/issuer_lease.h"

#include <string>
#include <utility>

#include "common/log/log.h"

namespace caserelay::bulletins {

absl::StatusOr<std::unique_ptr<IssuerLease>> IssuerLease::Create(
    kafka::ConsumerOptions options) {
  std::unique_ptr<IssuerLease> lease(new IssuerLease());
  options.extra["partition.assignment.strategy"] = "cooperative-sticky";
  options.pause_assigned = true;  // held, never fetched
  options.assign_all = false;
  options.listener = lease.get();
  auto consumer = kafka::CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
  if (!consumer.ok()) return consumer.status();
  lease->consumer_ = *std::move(consumer);
  return lease;
}

IssuerLease::~IssuerLease() { Stop(); }

void IssuerLease::Start() {
  thread_ = std::thread([this] {
    std::string last_error;
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) break;
      }
      // Nothing is fetched: Poll only keeps the membership (heartbeats,
      // rebalances, which call Assigned and Revoking here).
      absl::StatusOr<std::vector<kafka::Message>> polled =
          consumer_->Poll(1, absl::Milliseconds(200));
      if (!polled.ok() && polled.status().ToString() != last_error) {
        last_error = polled.status().ToString();
        log::Warn("bulletins: the issuer's group membership failed; retrying",
                  {{"error", std::string(polled.status().message())}});
        absl::SleepFor(absl::Seconds(1));
      }
    }
    consumer_->Close();  // Revoking runs here: the partition moves now
  });
}

void IssuerLease::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

std::optional<absl::Time> IssuerLease::HeldSince() const {
  absl::MutexLock lock(&mu_);
  return held_since_;
}

void IssuerLease::Assigned(
    const std::vector<kafka::TopicPartition>& partitions) {
  if (partitions.empty()) return;
  absl::MutexLock lock(&mu_);
  held_since_ = absl::Now();
  log::Info("bulletins: this instance issues the scheduled bulletins now",
            {{"partition", partitions.front().first}});
}

void IssuerLease::Revoking(
    const std::vector<kafka::TopicPartition>& partitions) {
  if (partitions.empty()) return;
  absl::MutexLock lock(&mu_);
  held_since_.reset();
  log::Info("bulletins: another instance issues the scheduled bulletins now",
            {{"partition", partitions.front().first}});
}

}  // namespace caserelay::bulletins
