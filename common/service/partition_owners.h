// Which instance of a service holds each partition (issue 19 item 4,
// "requests reach the owner"; the team's contract item 5).
//
// Every instance publishes, when it holds or releases a partition, a record
// to the compacted topic "<service>-owners" (key: the partition number in
// decimal; value: proto caserelay.v1.PartitionOwner {instance_id,
// grpc_address (setting grpc.advertise, default grpc.listen), epoch,
// since_micros, released}, proto/caserelay/v1/cluster.proto), and reads
// that topic whole (assigned, not as a group member: every instance reads
// every record). A gRPC handler asks Of(partition) and either serves the
// call (kLocal) or forwards it to the owner's address
// (common/rpc/forward.h); a partition with no known owner (moving between
// instances, or the owners topic not read yet) answers UNAVAILABLE
// "partition moving, try again".
//
// Which partitions are local is known from this instance's own loop
// (Held/Released are called by the consume loop once a partition is
// restored and before it is released), never from the topic: an old
// record naming this instance (written before a restart) does not make a
// partition local. Records from other instances are ordered by epoch: the
// new holder takes the highest epoch it has read for the partition plus
// one; a record with a lower epoch than the one known is old news, and a
// release counts only if it comes from the instance the map names.
//
// Thread safety: thread-safe. Of and Instances are called from gRPC
// threads, Held/Released from the loop's thread, and the reader thread
// applies the topic's records.

#ifndef CASERELAY_COMMON_SERVICE_PARTITION_OWNERS_H_
#define CASERELAY_COMMON_SERVICE_PARTITION_OWNERS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/cluster.pb.h"
#include "common/kafka/consumer.h"
#include "common/metrics/metrics.h"

namespace caserelay::rpc {
class Forwarder;  // common/rpc/forwarder.h
}  // namespace caserelay::rpc

namespace caserelay::service {

// Where a partition's per-case calls are served.
struct Owner {
  enum class Where { kLocal, kRemote };
  Where where = Where::kLocal;
  // kRemote: the owner's gRPC host:port. kLocal: this instance's own.
  std::string address;
  bool local() const { return where == Where::kLocal; }
};

// The owners topic as the map reads it, without Kafka (unit-testable).
//
// Thread safety: not thread-safe; PartitionOwners guards it.
class OwnersMap {
 public:
  // `instance_id`: this instance's own id; `address`: its grpc address.
  OwnersMap(std::string instance_id, std::string address, int32_t partitions);

  // Applies one record of "<service>-owners". INVALID_ARGUMENT (and no
  // change) for a key that is not a partition number in [0, partitions)
  // or a value that is not a PartitionOwner; a record with a lower epoch
  // than the one known for the partition, a release from an instance the
  // map does not name, and a record naming this instance are ignored (OK).
  absl::Status Apply(absl::string_view key, absl::string_view value);

  // This instance holds `partition` now (restored) / no longer.
  void SetLocal(int32_t partition, bool held);
  // This instance's gRPC address (known once its server is bound).
  void SetAddress(std::string address);
  // The next epoch of `partition` for a new holder: the highest known + 1
  // (remembered as known).
  uint64_t TakeEpoch(int32_t partition);
  // How many partitions have a known holder (this instance or another).
  size_t known() const;

  // kLocal if this instance holds `partition`; kRemote with the address
  // the topic names; UNAVAILABLE "partition <p> of the service is moving,
  // try again" when nobody is known to hold it; INVALID_ARGUMENT for a
  // partition outside [0, partitions).
  absl::StatusOr<Owner> Of(int32_t partition) const;

  // The distinct gRPC addresses of every instance holding a partition,
  // this instance's own first when it holds one; sorted otherwise. For
  // scatter-gather queries over an office or a subtree.
  std::vector<std::string> Instances() const;

  // The highest epoch read or taken for `partition` (0: none).
  uint64_t Epoch(int32_t partition) const;

  int32_t partitions() const { return partitions_; }

 private:
  const std::string instance_id_;
  std::string address_;
  const int32_t partitions_;
  std::map<int32_t, caserelay::v1::PartitionOwner> remote_;  // not released
  std::map<int32_t, uint64_t> epochs_;
  std::set<int32_t> local_;
};

// The Kafka side of PartitionOwners: the owners topic (a seam, so tests
// give a fake with faults).
//
// Thread safety: Append from any thread; Read from one thread at a time.
class OwnersLog {
 public:
  virtual ~OwnersLog() = default;
  // Appends one record and returns once Kafka confirmed it; UNAVAILABLE
  // when it could not be confirmed within the log's timeout.
  virtual absl::Status Append(const std::string& key,
                              const std::string& value) = 0;
  // The records appended since the last call (from the topic's beginning
  // on the first), waiting up to `timeout` for one; empty when none.
  virtual absl::StatusOr<std::vector<kafka::Message>> Read(
      absl::Duration timeout) = 0;
};

// The OwnersLog of `topic` on the brokers `bootstrap` with the service's
// client properties `extra` (security); reads every partition of the topic
// from its beginning, assigned (no group). INVALID_ARGUMENT for an empty
// bootstrap or topic or a property librdkafka refuses.
absl::StatusOr<std::unique_ptr<OwnersLog>> CreateKafkaOwnersLog(
    const std::string& bootstrap, const std::string& topic,
    const std::map<std::string, std::string>& extra);

struct PartitionOwnersOptions {
  std::string service;        // "supervision": the topic "<service>-owners"
  std::string instance_id;    // this process: unique per start
  // Setting grpc.advertise; empty until the server is bound: holds are
  // then published by Advertise().
  std::string grpc_address;
  int32_t partitions = 8;     // setting kafka.partitions
  // The channels and credentials used to forward to other instances
  // (common/rpc/forward.h); not owned, outlives the PartitionOwners. May
  // be null in tests that only read the map.
  rpc::Forwarder* forwarder = nullptr;
};

class PartitionOwners {
 public:
  // Starts a thread reading `log` into the map. `metrics` must outlive the
  // PartitionOwners (gauge caserelay_partition_owners_known). INVALID_ARGUMENT
  // for an empty service or instance_id, partitions < 1 or no log.
  static absl::StatusOr<std::unique_ptr<PartitionOwners>> Create(
      PartitionOwnersOptions options, std::unique_ptr<OwnersLog> log,
      metrics::Registry* metrics);
  ~PartitionOwners();  // stops the reader thread

  // See OwnersMap::Of.
  absl::StatusOr<Owner> Of(int32_t partition) const;
  // See OwnersMap::Instances.
  std::vector<std::string> Instances() const;

  // The loop holds `partition` now (restored): marks it local and
  // publishes a PartitionOwner with the next epoch (once the address is
  // known: Advertise). Returns the epoch taken; the map is local even when
  // publishing fails (the error is returned: other instances then keep
  // forwarding to the old owner, who answers UNAVAILABLE, until a later
  // Held succeeds).
  absl::StatusOr<uint64_t> Held(int32_t partition);
  // The loop is about to release `partition`: no longer local; publishes
  // a release record (errors as for Held).
  absl::Status Released(int32_t partition);
  // This instance's gRPC address is known now (its server is bound):
  // publishes every partition held so far. Returns the first error.
  absl::Status Advertise(std::string grpc_address);

  const std::string& instance_id() const { return options_.instance_id; }
  // The service's name ("supervision"), for messages.
  const std::string& service() const { return options_.service; }
  std::string grpc_address() const;
  int32_t partitions() const { return options_.partitions; }
  // The forwarder of the options (null if none was given).
  rpc::Forwarder* forwarder() const { return options_.forwarder; }

 private:
  PartitionOwners(PartitionOwnersOptions options,
                  std::unique_ptr<OwnersLog> log, metrics::Registry* metrics);
  void ReadLoop();
  absl::Status Publish(int32_t partition, uint64_t epoch,
                       const std::string& address, bool released);

  const PartitionOwnersOptions options_;
  const std::unique_ptr<OwnersLog> log_;
  metrics::Gauge& known_;
  mutable absl::Mutex mu_;
  OwnersMap map_ ABSL_GUARDED_BY(mu_);
  std::string address_ ABSL_GUARDED_BY(mu_);  // empty until Advertise
  std::map<int32_t, uint64_t> held_epochs_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

// "<listen address>/<pid>/<start time in Unix microseconds>": an instance
// id unique per process start, for PartitionOwnersOptions::instance_id.
std::string MakeInstanceId(const std::string& listen);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_PARTITION_OWNERS_H_
