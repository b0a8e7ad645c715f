// What a service's unit test needs to build a service::Context by hand: a
// temp-dir RocksDB Store, an OutboxPublisher over a FakeProducer that
// reports every record OK, a SimulatedClock and a metrics Registry.
//
// The FakeProducer keeps every record it was handed, so a test can read the
// events a service published (TestContext::Published) even after their
// delivery reports removed them from the outbox.
//
// Thread safety: FakeProducer is thread-safe. TestContext is used from the
// test's thread; what it hands out (store, publisher, clock, metrics) is as
// thread-safe as those classes are.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_TEST_CONTEXT_H_
#define CASERELAY_TESTS_UNIT_SERVICES_TEST_CONTEXT_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/producer.h"
#include "common/metrics/metrics.h"
#include "common/region/region_tree.h"
#include "common/rpc/auth.h"
#include "common/rpc/principal.h"
#include "common/service/service_main.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "domain/offices/office_directory.h"

namespace caserelay::svctest {

// A kafka::Producer that accepts every record and reports it OK from its
// own thread (as librdkafka does: never from inside Produce()).
class FakeProducer final : public kafka::Producer {
 public:
  explicit FakeProducer(kafka::DeliveryCallback on_delivery);
  // Reports what is still pending (OK), then stops the thread.
  ~FakeProducer() override;

  // Always OK; a report with offset = the count of earlier records follows.
  absl::Status Produce(std::string_view topic, std::string_view key,
                       std::string_view value, uint64_t token) override;
  // The same for a record with an explicit partition or a null value (a
  // partitioned store's changelog): kept with them in Produced().
  absl::Status ProduceRecord(const kafka::ProducerRecord& record,
                             uint64_t token) override;
  // OK once every record produced so far was reported, DEADLINE_EXCEEDED
  // after `timeout` otherwise.
  absl::Status Flush(absl::Duration timeout) override;

  // Every record handed to Produce(), in order (seq = the token).
  std::vector<store::OutboxRecord> Produced() const;

 private:
  void Run();

  const kafka::DeliveryCallback on_delivery_;
  mutable absl::Mutex mu_;
  std::vector<store::OutboxRecord> produced_ ABSL_GUARDED_BY(mu_);
  std::deque<kafka::DeliveryReport> pending_ ABSL_GUARDED_BY(mu_);
  bool delivering_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Owns everything a service::Context points to. The temp dir is removed
// on destruction.
class TestContext {
 public:
  // Opens a Store in a new temp dir with `column_families` (the service's
  // own), a publisher over a FakeProducer, a SimulatedClock at `start`.
  // Fails with the Store's or the publisher's status.
  static absl::StatusOr<std::unique_ptr<TestContext>> Create(
      const std::vector<std::string>& column_families, absl::Time start);
  ~TestContext();

  // config is nullptr (the code under test reads no settings); auth is
  // set_auth's (nullptr by default); the rest points into this object.
  service::Context context();
  // The authenticator context() hands out from now on (not owned).
  void set_auth(const rpc::Authenticator* auth) { auth_ = auth; }

  store::Store& store() { return *store_; }
  store::OutboxPublisher& publisher() { return *publisher_; }
  time::SimulatedClock& clock() { return clock_; }
  metrics::Registry& metrics() { return metrics_; }
  const std::string& dir() const { return dir_; }

  // The envelopes produced on `topic` so far, in order. A record that does
  // not parse as an Envelope fails the current test.
  std::vector<caserelay::v1::Envelope> Published(std::string_view topic) const;

 private:
  TestContext(std::string dir, absl::Time start);

  const std::string dir_;
  const rpc::Authenticator* auth_ = nullptr;
  time::SimulatedClock clock_;
  metrics::Registry metrics_;
  std::unique_ptr<store::Store> store_;
  FakeProducer* producer_ = nullptr;  // owned by publisher_
  std::unique_ptr<store::OutboxPublisher> publisher_;
};

// The China-time instant of a civil second, for clocks and fixtures.
absl::Time ChinaTime(int year, int month, int day, int hour, int minute);

// The region tree the project ships (data/regions/regions.tsv), loaded
// once per test binary; fails the calling test if it cannot be loaded.
const region::RegionTree& ShippedRegions();

// The office data the project ships (data/offices) over ShippedRegions(),
// loaded once per test binary; fails the calling test if it cannot be
// loaded.
const offices::OfficeDirectory& ShippedOfficeDirectory();

// Every call comes from one principal (as a token or certificate would
// say): an office code or "service:<name>" (rpc::ParsePrincipal), with an
// optional person; a name that does not parse makes every call
// UNAUTHENTICATED.
class FixedCaller final : public rpc::Authenticator {
 public:
  explicit FixedCaller(std::string principal, std::string person = "") {
    Become(std::move(principal), std::move(person));
  }
  absl::StatusOr<rpc::Principal> PrincipalOf(
      const grpc::ServerContext&) const override {
    absl::MutexLock lock(&mu_);
    if (!principal_.ok()) {
      return absl::UnauthenticatedError(principal_.status().message());
    }
    return principal_;
  }
  // Every call from now on comes from `principal` (as the constructor).
  void Become(std::string principal, std::string person = "") {
    absl::StatusOr<rpc::Principal> parsed = rpc::ParsePrincipal(principal);
    if (parsed.ok()) parsed->person = std::move(person);
    absl::MutexLock lock(&mu_);
    principal_ = std::move(parsed);
  }

 private:
  mutable absl::Mutex mu_;
  absl::StatusOr<rpc::Principal> principal_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::svctest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_TEST_CONTEXT_H_
