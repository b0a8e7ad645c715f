// The statistics' counters (index_keys.h) as the batch being filled leaves
// them, held parsed in memory and written into the batch once, when it is
// committed (store::DeferredWrites; issue 20 item 1).
//
// Every case of a region changes the same counters (its province's and
// the deployment's year, month and day, and their "all" lists of offices);
// written per event, a batch of N events read, parsed, serialised and put
// each such counter N times, and RocksDB inserted N copies of it. Held
// here, a batch reads each counter once and puts its last value once. What
// the store ends with is the same.
//
// Thread safety: thread-compatible, like the WriteBatch that owns it (the
// statistics' loop thread).

#ifndef CASERELAY_SERVICES_STATISTICS_COUNTER_BUFFER_H_
#define CASERELAY_SERVICES_STATISTICS_COUNTER_BUFFER_H_

#include <string>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/statistics_index.pb.h"
#include "common/store/store.h"

namespace caserelay::statistics {

class CounterBuffer final : public store::DeferredWrites {
 public:
  // The buffer of `batch`, attached to it (WriteBatch::Defer) on first
  // use; owned by the batch.
  static CounterBuffer& Of(store::WriteBatch& batch);

  // The counters of `key` as this batch leaves them: read through `batch`
  // the first time (absent: empty counters), then the ones held. The
  // pointer stays valid as long as the buffer; a change through it is
  // written at commit only after Changed(key). DATA_LOSS for a stored
  // value that does not parse, the store's error (UNAVAILABLE) for a
  // failed read; nothing is held then.
  absl::StatusOr<caserelay::v1::StatisticsCounters*> Load(
      const std::string& key, const store::WriteBatch& batch);

  // Marks the counters of `key` to be written at commit: put, or deleted
  // once every count is gone. REQUIRES: Load(key) succeeded.
  void Changed(const std::string& key);

  // Puts (or deletes) each changed counter into `batch` (DeferredWrites).
  void WriteInto(store::WriteBatch& batch) override;

 private:
  struct Held {
    caserelay::v1::StatisticsCounters counters;
    bool changed = false;
  };
  // Node-based: Load's pointers survive later inserts.
  absl::node_hash_map<std::string, Held> held_;
};

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_COUNTER_BUFFER_H_
