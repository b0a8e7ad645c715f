// The store on /healthz and /metrics (issue 14 item 6): while a storage
// fault stops writes (an I/O error, a full disk, a failed fsync; store.h),
// the service is unhealthy and says why, and the fault's kind shows as a
// gauge where alerts look.
//
// Thread safety: StoreHealth and StoreMetrics::Update may be called from
// any thread (the admin server's); Store is thread-safe.

#ifndef CASERELAY_COMMON_SERVICE_STORE_HEALTH_H_
#define CASERELAY_COMMON_SERVICE_STORE_HEALTH_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::service {

// Empty while the store takes writes. Otherwise one line for /healthz, in
// English for operators: the kind of fault, since when, RocksDB's message,
// and that the service takes no input until it recovers. First asks the
// store to recover (Store::Recover), so that an idle service notices the
// disk came back when it is next asked.
std::string StoreHealth(store::Store& store);

// StoreHealth of every partition DB held (issue 19), one line each
// prefixed "partition <p>: "; empty while all take writes. A partition
// released meanwhile is skipped.
std::string PartitionsHealth(const store::PartitionedStore& partitions);

// The store's series of /metrics:
//   caserelay_store_fault{kind}  1 for the kind of the fault that stops
//       writes now (write_error, no_space, sync_error, other), else 0;
//   caserelay_store_reopens_total  times the database was opened again to
//       recover from a fault.
class StoreMetrics {
 public:
  // `registry` must outlive this object.
  explicit StoreMetrics(metrics::Registry* registry);
  // Sets the series from the store's state.
  void Update(const store::Store& store);

 private:
  metrics::Registry* const registry_;
  std::map<std::string, metrics::Gauge*> faults_;  // by kind; const
  metrics::Counter& reopens_;

  absl::Mutex mu_;
  uint64_t reopens_seen_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_STORE_HEALTH_H_
