// The outbox publisher on /healthz and /metrics (issue 22 item 1, issue 14
// item 6): an outbox that stopped moving fails the health check, and dead
// letters and producer rebuilds are counted where alerts look.
//
// Thread safety: OutboxHealth is a pure function; OutboxMetrics::Update
// may be called from any thread (the admin server's).

#ifndef CASERELAY_COMMON_SERVICE_OUTBOX_HEALTH_H_
#define CASERELAY_COMMON_SERVICE_OUTBOX_HEALTH_H_

#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/admin/http_message.h"
#include "common/metrics/metrics.h"
#include "common/store/outbox_publisher.h"
#include "common/store/partitioned_store.h"

namespace caserelay::service {

// The /healthz answer for the outbox: 503 while the oldest unconfirmed
// event is older than `max_pending_age` or the producer is down after a
// fatal error (naming which, in English, for operators); otherwise 200
// "ok". Either body carries a line "outbox: pending N, oldest Xs, dead
// letters D, producer rebuilds R".
admin::HttpResponse OutboxHealth(const store::OutboxStats& stats,
                                 absl::Duration max_pending_age);

// One service's outbox over several publishers (a partitioned service has
// the local DB's and one per held partition, sharing one producer):
// pending, dead letters and rebuilds summed, the oldest age the largest,
// the producer ready only if every publisher's is (the first error named).
// Empty: an idle outbox.
store::OutboxStats SumOutboxStats(const std::vector<store::OutboxStats>& each);

// The service's whole outbox: `local`'s counts and, for a partitioned
// service (`partitions` not null), every held partition's, summed.
store::OutboxStats AllOutboxStats(const store::OutboxPublisher& local,
                                  const store::PartitionedStore* partitions);

// The outbox series of /metrics: caserelay_outbox_pending,
// caserelay_outbox_oldest_pending_seconds,
// caserelay_outbox_dead_letter_total and
// caserelay_kafka_producer_rebuilds_total.
class OutboxMetrics {
 public:
  // `registry` must outlive this object.
  explicit OutboxMetrics(metrics::Registry* registry);
  // Sets the series from the publisher's counts (counters move by the
  // difference since the last call).
  void Update(const store::OutboxStats& stats);

 private:
  metrics::Gauge& pending_;
  metrics::Gauge& oldest_;
  metrics::Counter& dead_letters_;
  metrics::Counter& rebuilds_;

  absl::Mutex mu_;
  uint64_t dead_letters_seen_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t rebuilds_seen_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_OUTBOX_HEALTH_H_
