// Test double for the kafka::Producer seam (CONVENTIONS.md #8): it records
// what is produced and sends delivery reports only when the test says so,
// with the status the test picks; Produce() can be made to refuse records
// (e.g. UNAVAILABLE, "local queue full").
//
// Reports run the delivery callback on the thread that calls Deliver*(),
// never inside Produce(), like the real producer's polling thread.
//
// Thread-safe.

#ifndef CASERELAY_TESTS_UNIT_COMMON_STORE_FAKE_PRODUCER_H_
#define CASERELAY_TESTS_UNIT_COMMON_STORE_FAKE_PRODUCER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/producer.h"
#include "common/store/outbox_publisher.h"

namespace caserelay::store::testing {

// One record accepted by Produce().
struct ProducedRecord {
  std::string topic;
  std::string key;
  std::string value;
  uint64_t token = 0;
  int32_t partition = -1;   // as produced (-1: by key)
  bool null_value = false;  // a tombstone
};

class FakeProducer : public kafka::Producer {
 public:
  explicit FakeProducer(kafka::DeliveryCallback on_delivery);

  // kafka::Producer. Produce() returns the refusal set for `token` (or the
  // default refusal) without keeping the record; otherwise it keeps the
  // record, awaiting a report, and returns OK. Flush() does not wait: OK if
  // no report is outstanding, else DEADLINE_EXCEEDED at once.
  absl::Status Produce(std::string_view topic, std::string_view key,
                       std::string_view value, uint64_t token) override;
  absl::Status ProduceRecord(const kafka::ProducerRecord& record,
                             uint64_t token) override;
  absl::Status Flush(absl::Duration timeout) override;

  // Fault switches. RefuseAll sets the default refusal for every token
  // (OK clears it; refusals of single tokens stay). RefuseToken refuses one
  // token with `status`, which must not be OK. AcceptAll clears both.
  void RefuseAll(absl::Status status);
  void RefuseToken(uint64_t token, absl::Status status);
  void AcceptAll();

  // Sends the report for outstanding `token` with `status`. Returns false
  // if `token` has no outstanding record.
  bool Deliver(uint64_t token, absl::Status status);
  // Reports every outstanding record with `status`, in Produce() order.
  // Returns how many were reported.
  int DeliverAll(absl::Status status);

  // Every accepted record, in Produce() order (including re-produced ones).
  std::vector<ProducedRecord> produced() const;
  // Tokens of every Produce() call, accepted or refused, in call order.
  std::vector<uint64_t> attempts() const;
  // Tokens produced but not yet reported, in Produce() order.
  std::vector<uint64_t> outstanding() const;
  // Waits until at least `n` records were accepted; false on timeout.
  bool WaitForProduced(size_t n, absl::Duration timeout) const;

 private:
  const kafka::DeliveryCallback on_delivery_;

  mutable absl::Mutex mu_;
  absl::Status default_refusal_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, absl::Status> token_refusals_ ABSL_GUARDED_BY(mu_);
  std::vector<ProducedRecord> produced_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> attempts_ ABSL_GUARDED_BY(mu_);
  std::vector<ProducedRecord> outstanding_ ABSL_GUARDED_BY(mu_);
};

// An OutboxPublisher::ProducerFactory that builds a FakeProducer and
// leaves a pointer to it in `*out` (owned by the publisher; valid while the
// publisher lives). `*out` must outlive the factory's use.
OutboxPublisher::ProducerFactory FakeProducerFactory(FakeProducer** out);

}  // namespace caserelay::store::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_STORE_FAKE_PRODUCER_H_
