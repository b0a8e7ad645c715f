// Everything the four services' main() has in common, in one place:
// flags (--config, --help), configuration with environment overrides,
// the clock (the system clock, or a simulated one: clock.file), the
// RocksDB store, the outbox publisher, the consume loops, the gRPC
// server (health + reflection; plaintext or TLS) with the callers'
// authenticator (auth.*, tls.*: common/rpc/auth_settings.h), the admin
// HTTP server (/healthz, /metrics), an endpoints file for scripts and
// tests, and an orderly stop on SIGTERM / SIGINT.
//
// A service supplies a ServiceDefinition: its settings, its column
// families and a factory that builds its Service from a Context.

#ifndef CASERELAY_COMMON_SERVICE_SERVICE_MAIN_H_
#define CASERELAY_COMMON_SERVICE_SERVICE_MAIN_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/admin/http_server.h"
#include "common/config/config.h"
#include "common/kafka/consumer.h"
#include "common/metrics/metrics.h"
#include "common/rpc/auth.h"
#include "common/service/consume_loop.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::store {
class PartitionedStore;  // common/store/partitioned_store.h
}  // namespace caserelay::store

namespace caserelay::service {

class PartitionOwners;  // common/service/partition_owners.h

// What the runner hands a service's factory. Everything outlives the
// Service built from it.
struct Context {
  const config::Config* config;
  // The service's RocksDB store. For a service with partitioned state
  // (ServiceDefinition::partitioned) it is partitions->Local(): the
  // instance-local DB of its local_column_families, never moved.
  store::Store* store;
  store::OutboxPublisher* publisher;  // nullptr without Kafka (uses_kafka)
  time::Clock* clock;
  metrics::Registry* metrics;
  // Tells who calls (auth.mode token or mtls; RunServiceMain never runs a
  // service without one). Handlers call rpc::Caller or rpc::CallerOffice
  // (auth, *ctx), which answer UNAUTHENTICATED while it is nullptr (unit
  // tests that build a service without one).
  const rpc::Authenticator* auth = nullptr;
  // How far each consume loop has applied its inputs, by subscription name
  // (applied_through.h; InfinitePast unless the subscription tracks it);
  // filled as the loops are made, before Service::Start. Null in unit
  // tests that build a service without one.
  const LoopProgress* loops = nullptr;
  // Issue 19: the state kept per partition (one RocksDB per partition,
  // changelogged, moving between instances on a rebalance) when the
  // service's definition says `partitioned`; nullptr otherwise (the
  // service keeps everything in `store`). Handlers read and write a
  // partition through PartitionedStore::LeaseForCase, or through the batch
  // the consume loop hands to EventHandler::Apply.
  store::PartitionedStore* partitions = nullptr;
  // Who holds each partition (partition_owners.h), for forwarding per-case
  // calls (common/rpc/forward.h) and scatter-gather queries; nullptr when
  // `partitions` is.
  const PartitionOwners* owners = nullptr;
  // The options of a consumer of `topics` in the service's consumer group
  // (kafka.group) with its Kafka client settings (bootstrap, security,
  // fetch wait), for a consumer of the service's own beside its loops
  // (statistics: who issues the bulletins). Empty without Kafka.
  std::function<kafka::ConsumerOptions(const std::vector<std::string>& topics)>
      consumer_options = nullptr;
};

// One consumed set of topics and the handler that applies them.
struct Subscription {
  std::string name;  // for logs and metrics, e.g. "petitions"
  std::vector<std::string> topics;
  EventHandler* handler;  // owned by the Service
  // Track how far the loop has applied its inputs (applied_through.h:
  // a broker round trip per partition every 500 ms), for
  // Context::loops->AppliedThrough(name).
  bool track_applied_through = false;
};

// A running service's parts. Methods are called from the main thread.
class Service {
 public:
  virtual ~Service() = default;
  // gRPC services to serve (owned by the Service).
  virtual std::vector<grpc::Service*> GrpcServices() = 0;
  // Topics to consume; each gets its own consumer and loop.
  virtual std::vector<Subscription> Subscriptions() = 0;
  // Extra admin HTTP routes (besides /healthz and /metrics).
  virtual std::map<std::string, admin::Handler> AdminRoutes() { return {}; }
  // Starts the service's own threads, after the loops started.
  virtual absl::Status Start() { return absl::OkStatus(); }
  // Stops them, before the loops stop.
  virtual void Stop() {}
};

struct ServiceDefinition {
  std::string name;     // "intake"
  std::string summary;  // one line for --help
  std::vector<config::Setting> settings;  // the service's own
  std::vector<std::string> column_families;
  std::function<absl::StatusOr<std::unique_ptr<Service>>(const Context&)>
      create;
  // False for a service that neither consumes nor publishes (accounts):
  // it starts without Kafka, reads no kafka.* setting, its Context has no
  // publisher (nullptr) and it may subscribe to nothing (start fails).
  bool uses_kafka = true;
  // Issue 19: the service keeps its state per partition. Then
  // `column_families` go to the partition DBs (changelogged to
  // "<name>-changelog", moved with their partition) and
  // `local_column_families` to the instance-local DB (Context::store);
  // which families stay local is the service's choice. The service then
  // has exactly one Subscription, of per-case topics keyed by case id
  // with kafka.partitions partitions each (checked at start).
  bool partitioned = false;
  // With `partitioned`, these families go to the instance-local DB only
  // (a family also named in `column_families` is left out of the partition
  // DBs, so a service that runs either way lists every family there).
  std::vector<std::string> local_column_families;
  // A bool setting of the service's own (one of `settings`) that, when
  // true, makes this run `partitioned` (a switch for a service whose
  // partitioned mode is not yet for production: routing.partitioned). It
  // is read before the store opens; --help then says "instances: one (many
  // with <setting> = true ...)", so scripts/run starts one. Empty: none.
  std::string partitioned_setting;
  // Issue 19: every instance is a full replica of a read model (statistics):
  // each of its subscriptions reads every partition of its topics by
  // explicit assignment (kafka::ConsumerOptions::assign_all), joining no
  // consumer group, into the instance's own store. `--help` then says
  // `instances: many (replicas ...)`. Not with `partitioned`.
  bool replicated = false;
  // Topics of the service's own that it reads or writes besides the four
  // (statistics: statistics-bulletins): waited for at start as they are.
  std::vector<std::string> own_topics;
};

// The settings every service has (grpc.listen, admin.listen, store.path,
// kafka.bootstrap, ...), for --help and for the docs.
std::vector<config::Setting> CommonSettings(const std::string& service);

// Runs the service until SIGTERM or SIGINT; returns the process exit code:
// 0 after a clean stop, 2 for bad flags or configuration (one line on
// stderr naming the setting), 1 when a part fails to start.
int RunServiceMain(int argc, char** argv, const ServiceDefinition& definition);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_SERVICE_MAIN_H_
