#include "common/service/outbox_health.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caserelay::service {

admin::HttpResponse OutboxHealth(const store::OutboxStats& stats,
                                 absl::Duration max_pending_age) {
  std::string summary = absl::StrCat(
      "outbox: pending ", stats.pending, ", oldest ",
      absl::ToInt64Seconds(stats.oldest_pending_age), "s, dead letters ",
      stats.dead_lettered, ", producer rebuilds ", stats.producer_rebuilds,
      "\n");
  if (!stats.producer_ready) {
    return {503, "text/plain",
            absl::StrCat("Kafka producer failed fatally and is not rebuilt "
                         "yet: ",
                         stats.producer_error, "\n", summary)};
  }
  if (stats.pending > 0 && stats.oldest_pending_age > max_pending_age) {
    return {503, "text/plain",
            absl::StrCat("outbox stalled: an event has waited ",
                         absl::ToInt64Seconds(stats.oldest_pending_age),
                         "s for Kafka, over outbox.max_pending_age (",
                         absl::FormatDuration(max_pending_age), ")\n",
                         summary)};
  }
  return {200, "text/plain", absl::StrCat("ok\n", summary)};
}

store::OutboxStats SumOutboxStats(
    const std::vector<store::OutboxStats>& each) {
  store::OutboxStats sum;
  for (const store::OutboxStats& s : each) {
    sum.pending += s.pending;
    sum.oldest_pending_age =
        std::max(sum.oldest_pending_age, s.oldest_pending_age);
    sum.dead_lettered += s.dead_lettered;
    sum.producer_rebuilds += s.producer_rebuilds;
    if (!s.producer_ready && sum.producer_ready) {
      sum.producer_ready = false;
      sum.producer_error = s.producer_error;
    }
  }
  return sum;
}

store::OutboxStats AllOutboxStats(const store::OutboxPublisher& local,
                                  const store::PartitionedStore* partitions) {
  std::vector<store::OutboxStats> each = {local.Stats()};
  if (partitions != nullptr) {
    for (store::OutboxStats& s : partitions->PartitionOutboxStats()) {
      each.push_back(std::move(s));
    }
  }
  return SumOutboxStats(each);
}

OutboxMetrics::OutboxMetrics(metrics::Registry* registry)
    : pending_(registry->GetGauge(
          "caserelay_outbox_pending",
          "Committed events not yet confirmed by Kafka.", {})),
      oldest_(registry->GetGauge(
          "caserelay_outbox_oldest_pending_seconds",
          "Age of the oldest event not yet confirmed by Kafka (0 if none).",
          {})),
      dead_letters_(registry->GetCounter(
          "caserelay_outbox_dead_letter_total",
          "Events Kafka will never accept, set aside in the outbox dead "
          "letters.",
          {})),
      rebuilds_(registry->GetCounter(
          "caserelay_kafka_producer_rebuilds_total",
          "Kafka producers rebuilt after a fatal error.", {})) {}

void OutboxMetrics::Update(const store::OutboxStats& stats) {
  pending_.Set(static_cast<double>(stats.pending));
  oldest_.Set(absl::ToDoubleSeconds(stats.oldest_pending_age));
  absl::MutexLock lock(&mu_);
  if (stats.dead_lettered > dead_letters_seen_) {
    dead_letters_.Increment(stats.dead_lettered - dead_letters_seen_);
    dead_letters_seen_ = stats.dead_lettered;
  }
  if (stats.producer_rebuilds > rebuilds_seen_) {
    rebuilds_.Increment(stats.producer_rebuilds - rebuilds_seen_);
    rebuilds_seen_ = stats.producer_rebuilds;
  }
}

}  // namespace caserelay::service
