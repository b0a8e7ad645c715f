#include "common/service/partitioned_main.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/kafka/partition_reader.h"
#include "common/kafka/partitioning.h"
#include "common/kafka/wait_for_topics.h"
#include "common/log/log.h"

namespace caserelay::service {

std::string ChangelogTopic(const std::string& service) {
  return service + "-changelog";
}

std::string OwnersTopic(const std::string& service) {
  return service + "-owners";
}

std::vector<config::Setting> PartitionedSettings() {
  using T = config::Setting::Type;
  config::Setting partitions{
      "kafka.partitions", T::kInt, "8", false,
      "partitions of every per-case topic and of this service's "
      "<service>-changelog (1..999); a service that may run as several "
      "instances refuses to start when its topics' counts differ from it"};
  partitions.min = 1;
  partitions.max = 999;
  config::Setting standby{
      "store.standby_replicas", T::kInt, "0", false,
      "partitioned services: keep a warm copy of the next N partitions "
      "after each one held, caught up from the changelog every few "
      "seconds, so taking one over reads only what changed since; 0: none"};
  standby.min = 0;
  standby.max = 999;
  return {
      partitions,
      standby,
      {"grpc.advertise", T::kString, "", false,
       "host:port the other instances of this service forward per-case "
       "calls to; empty: the host of grpc.listen and the port bound"},
      {"cluster.tls_ca_path", T::kString, "", false,
       "PEM CA of the other instances' server certificates, when they "
       "serve TLS (forwarded calls, issue 19)"},
      {"cluster.tls_cert_path", T::kString, "", false,
       "auth.mode mtls: this instance's client certificate naming "
       "service:<service>, for calls it forwards to another instance"},
      {"cluster.tls_key_path", T::kString, "", false,
       "its private key (chmod 600)"},
      {"cluster.tls_server_name", T::kString, "", false,
       "the name the other instances' certificates carry, when it is not "
       "the host of their grpc.advertise"},
  };
}

absl::Status CheckPartitionCounts(
    const std::string& bootstrap, const std::vector<std::string>& topics,
    int32_t partitions, absl::Duration wait,
    const std::map<std::string, std::string>& kafka_props) {
  absl::StatusOr<std::map<std::string, int32_t>> counts =
      kafka::WaitForTopicPartitions(bootstrap, topics, wait, kafka_props);
  if (!counts.ok()) return counts.status();
  if (absl::Status s = kafka::CheckCoPartitioned(*counts); !s.ok()) return s;
  for (const auto& [topic, count] : *counts) {
    if (count != partitions) {
      return absl::FailedPreconditionError(absl::StrCat(
          "topic ", topic, " has ", count,
          " partitions but kafka.partitions is ", partitions,
          ": set kafka.partitions to the topics' count (cases would be "
          "looked for in the wrong partition otherwise)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<PartitionedParts> OpenPartitioned(const PartitionedInputs& in) {
  const config::Config& cfg = *in.cfg;
  PartitionedParts parts;
  // A store of the single-instance layout (a RocksDB right in store.path,
  // from before issue 19) holds the state and the consumed offsets that
  // the partition DBs beside it would not: started over it, the service
  // would read its inputs from the start and act on every past one again
  // (notification: every SMS sent again; supervision: every deadline fired
  // again). Nothing migrates it yet: refuse, for every partitioned service.
  std::error_code ec;
  if (std::filesystem::exists(
          std::filesystem::path(cfg.GetPath("store.path")) / "CURRENT", ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "config: store.path ", cfg.GetPath("store.path"), " holds a ",
        in.service,
        " store of the single-instance layout (a RocksDB at its top, from "
        "before partitioned state): started over it, every past input "
        "would be acted on again; it is not migrated (common/service/"
        "README.md \"Several instances of a service\")"));
  }
  store::PartitionedStoreOptions options;
  options.path = cfg.GetPath("store.path");
  options.partitions = static_cast<int32_t>(cfg.GetInt("kafka.partitions"));
  options.column_families = in.column_families;
  options.local_column_families = in.local_column_families;
  options.changelog_topic = ChangelogTopic(in.service);
  options.service = in.service;
  options.sync = cfg.GetBool("store.sync");
  options.producer_factory = in.producer_factory;
  options.outbox = in.outbox;
  options.log_id = in.log_id;
  options.changelog_reader =
      [bootstrap = in.bootstrap, props = in.kafka_props, service = in.service]()
      -> absl::StatusOr<std::unique_ptr<kafka::PartitionReader>> {
    kafka::PartitionReaderOptions reader;
    reader.bootstrap = bootstrap;
    reader.client_id = ChangelogTopic(service) + "-restore";
    reader.extra = props;
    return kafka::CreateKafkaPartitionReader(reader);
  };
  auto store = store::PartitionedStore::Open(options, in.metrics);
  if (!store.ok()) return store.status();
  parts.store = *std::move(store);

  rpc::ForwarderOptions forwarding;
  forwarding.mode = cfg.GetString("auth.mode");
  forwarding.service = in.service;
  forwarding.channel.tls_ca_path = cfg.GetString("cluster.tls_ca_path");
  forwarding.channel.tls_cert_path = cfg.GetString("cluster.tls_cert_path");
  forwarding.channel.tls_key_path = cfg.GetString("cluster.tls_key_path");
  forwarding.channel.tls_server_name =
      cfg.GetString("cluster.tls_server_name");
  auto forwarder = rpc::Forwarder::Create(std::move(forwarding));
  if (!forwarder.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: ", forwarder.status().message()));
  }
  parts.forwarder = *std::move(forwarder);

  auto log =
      CreateKafkaOwnersLog(in.bootstrap, OwnersTopic(in.service), in.kafka_props);
  if (!log.ok()) return log.status();
  PartitionOwnersOptions owners;
  owners.service = in.service;
  owners.instance_id = MakeInstanceId(cfg.GetHostPort("grpc.listen").ToString());
  owners.grpc_address = "";  // Advertise, once the server is bound
  owners.partitions = options.partitions;
  owners.forwarder = parts.forwarder.get();
  auto made = PartitionOwners::Create(owners, *std::move(log), in.metrics);
  if (!made.ok()) return made.status();
  parts.owners = *std::move(made);
  return parts;
}

std::vector<int32_t> StandbyPartitions(const std::vector<int32_t>& held,
                                       int32_t partitions, int64_t replicas) {
  const std::set<int32_t> holding(held.begin(), held.end());
  std::set<int32_t> warm;
  for (int32_t p : held) {
    for (int64_t k = 1; k <= replicas && k < partitions; ++k) {
      const int32_t q = static_cast<int32_t>((p + k) % partitions);
      if (holding.count(q) == 0) warm.insert(q);
    }
  }
  return {warm.begin(), warm.end()};
}

kafka::PositionLookup StoredPositions(store::Store* single,
                                      store::PartitionedStore* parts) {
  return [single, parts](const std::string& topic, int32_t partition)
             -> absl::StatusOr<std::optional<kafka::Position>> {
    std::optional<store::PartitionLease> lease;
    store::Store* from = single;
    if (parts != nullptr) {
      auto leased = parts->Lease(partition);
      if (!leased.ok()) return leased.status();
      lease.emplace(*std::move(leased));
      from = &lease->store();
    }
    auto stored = from->Position(topic, partition);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return std::nullopt;
    return kafka::Position{(*stored)->next_offset, (*stored)->log_id};
  };
}

void SetPartitionHooks(const PartitionedParts& parts, int64_t standby_replicas,
                       ConsumeLoopOptions& options) {
  store::PartitionedStore* store = parts.store.get();
  PartitionOwners* owners = parts.owners.get();
  options.partitions = store;
  auto keep_warm = [store, standby_replicas](std::vector<int32_t> held) {
    if (standby_replicas > 0) {
      store->SetStandby(
          StandbyPartitions(held, store->partitions(), standby_replicas));
    }
  };
  options.on_held = [owners, store, keep_warm](int32_t p) {
    keep_warm(store->Held());
    absl::StatusOr<uint64_t> held = owners->Held(p);
    if (!held.ok()) {
      log::Warn("partition held but its owner record not published; "
                "other instances answer UNAVAILABLE for it meanwhile",
                {{"partition", std::to_string(p)},
                 {"error", std::string(held.status().message())}});
    }
  };
  options.on_releasing = [owners, store, keep_warm](int32_t p) {
    std::vector<int32_t> held = store->Held();
    held.erase(std::remove(held.begin(), held.end(), p), held.end());
    keep_warm(std::move(held));
    absl::Status released = owners->Released(p);
    if (!released.ok()) {
      log::Warn("owner record of a released partition not published",
                {{"partition", std::to_string(p)},
                 {"error", std::string(released.message())}});
    }
  };
}

void PartitionedConsumer(kafka::ConsumerOptions& options) {
  options.extra["partition.assignment.strategy"] = "cooperative-sticky";
  options.pause_assigned = true;
}

}  // namespace caserelay::service
