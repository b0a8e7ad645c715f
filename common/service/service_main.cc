#include "common/service/service_main.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/config/command_line.h"
#include "common/file/file.h"
#include "common/kafka/cluster_id.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"
#include "common/kafka/wait_for_topics.h"
#include "common/log/log.h"
#include "common/rpc/auth_settings.h"
#include "common/rpc/server.h"
#include "common/service/dead_letters.h"
#include "common/service/kafka_options.h"
#include "common/service/outbox_health.h"
#include "common/service/partition_owners.h"
#include "common/service/partitioned_main.h"
#include "common/service/store_health.h"
#include "common/store/outbox_dead_letters.h"
#include "common/time/file_clock.h"

namespace caserelay::service {
namespace {

using config::Setting;

void PrintHelp(const ServiceDefinition& def) {
  std::vector<Setting> all = CommonSettings(def.name);
  all.insert(all.end(), def.settings.begin(), def.settings.end());
  // scripts/run reads this line (issue 19 item 6): may the service run as
  // several instances?
  // A service whose partitioned state is switched by a setting
  // (ServiceDefinition::partitioned_setting) runs one by default: scripts/run
  // starts one, and the line names the switch.
  std::string instances = "instances: one";
  if (def.partitioned) {
    instances =
        "instances: many (partitioned state: kafka.partitions partitions)";
  } else if (def.replicated) {
    instances =
        "instances: many (replicas: each instance reads every partition "
        "into its own store and answers alone)";
  } else if (!def.partitioned_setting.empty()) {
    instances = absl::StrCat("instances: one (many with ",
                             def.partitioned_setting,
                             " = true: not for production yet, see the setting)");
  }
  std::printf(
      "%s — %s\n%s\n\n"
      "Usage: %s [--config FILE]\n\n"
      "  --config FILE  settings as `key = value` lines (see deploy/config/)\n"
      "  --help         this text\n\n"
      "Every setting may also come from the environment (CASERELAY_...),\n"
      "which wins over the file. Settings:\n\n%s\n"
      "Stops cleanly on SIGTERM or SIGINT.\n",
      def.name.c_str(), def.summary.c_str(), instances.c_str(),
      def.name.c_str(), config::DescribeSettings(all).c_str());
}

// The bootstrap list from kafka.bootstrap, or from the `bootstrap=` line
// of the file devbroker writes.
absl::StatusOr<std::string> Bootstrap(const config::Config& cfg) {
  if (!cfg.GetString("kafka.bootstrap").empty()) {
    return cfg.GetString("kafka.bootstrap");
  }
  std::string path = cfg.GetString("kafka.bootstrap_file");
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "config: set kafka.bootstrap or kafka.bootstrap_file");
  }
  auto list = file::ReadKeyValue(path, "bootstrap");
  if (!list.ok()) {
    return absl::NotFoundError(absl::StrCat("config: kafka.bootstrap_file: ",
                                            list.status().message()));
  }
  return list;
}

// The clock of clock.file (a simulated clock shared with the test or
// replay that moves it), or nullptr for the system clock.
absl::StatusOr<std::unique_ptr<time::FileClock>> OpenClockFile(
    const config::Config& cfg) {
  const std::string path = cfg.GetString("clock.file");
  if (path.empty()) return nullptr;
  auto clock = time::FileClock::Open(path);
  if (!clock.ok()) {
    return absl::Status(
        clock.status().code(),
        absl::StrCat("config: clock.file: ", clock.status().message()));
  }
  log::Warn(
      "running on a simulated clock; every deadline and timestamp "
      "follows clock.file, not the real time",
      {{"clock_file", path},
       {"now", absl::FormatTime(absl::RFC3339_full, (*clock)->Now(),
                                absl::UTCTimeZone())}});
  return clock;
}

// The int setting `key`, INVALID_ARGUMENT naming it unless in [lo, hi].
absl::StatusOr<int64_t> IntInRange(const config::Config& cfg,
                                   const std::string& key, int64_t lo,
                                   int64_t hi) {
  int64_t v = cfg.GetInt(key);
  if (v < lo || v > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: ", key, " must be ", lo, "..", hi, ", not ", v));
  }
  return v;
}

int Fail(const absl::Status& s, int code) {
  std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
  return code;
}

}  // namespace

std::vector<Setting> CommonSettings(const std::string& service) {
  using T = Setting::Type;
  std::vector<Setting> common = {
      {"grpc.listen", T::kHostPort, "127.0.0.1:0", false,
       "gRPC address; port 0 picks a free port (see endpoints.file)"},
      {"grpc.max_receive_bytes", T::kInt, "1048576", false,
       "largest gRPC request read, 4096..16777216 bytes; each field's own "
       "bounds are checked after"},
      {"admin.listen", T::kHostPort, "127.0.0.1:0", false,
       "admin HTTP address for /healthz and /metrics"},
      {"admin.workers", T::kInt, "4", false,
       "threads answering admin HTTP requests (/healthz, /metrics, "
       "notification's delivery reports)",
       1, 64},
      {"admin.max_queued", T::kInt, "1024", false,
       "complete admin HTTP requests that may wait for a worker; beyond it "
       "they are answered 503 (caserelay_admin_http_refused_total). Kannel's "
       "smsbox calls notification back with up to max-pending-requests (512) "
       "delivery reports at once and retries each 503 later",
       1, 65536},
      {"admin.max_pending", T::kInt, "1024", false,
       "admin HTTP connections whose request is still arriving; beyond it "
       "the oldest is closed unanswered (caserelay_admin_http_refused_total"
       "{reason=\"evicted\"}): at least smsbox's max-pending-requests, "
       "which opens a connection per delivery report",
       1, 65536},
      {"store.path", T::kPath, "", true, "RocksDB directory of this service"},
      {"store.sync", T::kBool, "true", false,
       "fsync every commit (off survives a killed process, not power loss)"},
      {"kafka.bootstrap", T::kString, "", false,
       "Kafka bootstrap servers host:port,...; or use kafka.bootstrap_file"},
      {"kafka.bootstrap_file", T::kString, "", false,
       "file with the bootstrap list (devbroker's --info-file)"},
      {"kafka.group", T::kString, service, false,
       "consumer group id (the instances of a service share it; "
       "statistics' replicas join it only to choose who issues the "
       "bulletins)"},
      {"kafka.fetch_wait", T::kDuration, "10ms", false,
       "longest a fetch waits for data (fetch.wait.max.ms); the embedded "
       "broker does not end a waiting fetch early when data arrives, so "
       "keep it low there; 100ms-500ms suits a real Kafka"},
      {"kafka.debug", T::kString, "", false,
       "librdkafka debug contexts for troubleshooting, e.g. fetch,broker"},
      {"kafka.security_protocol", T::kString, "plaintext", false,
       "how the service reaches Kafka: plaintext (the embedded broker only), "
       "ssl, sasl_plaintext or sasl_ssl"},
      {"kafka.sasl_mechanism", T::kString, "SCRAM-SHA-512", false,
       "SASL mechanism with a sasl_* protocol: SCRAM-SHA-512, SCRAM-SHA-256 "
       "or PLAIN"},
      {"kafka.sasl_username", T::kString, "", false,
       "the service's Kafka principal (SASL user), e.g. intake"},
      {"kafka.sasl_password", T::kString, "", false,
       "its SASL password; give it through the environment, never the file"},
      {"kafka.ssl_ca_path", T::kString, "", false,
       "PEM CA of the brokers' certificates (ssl, sasl_ssl)"},
      {"kafka.ssl_cert_path", T::kString, "", false,
       "PEM client certificate for mutual TLS to Kafka (with "
       "kafka.ssl_key_path)"},
      {"kafka.ssl_key_path", T::kString, "", false,
       "PEM private key of kafka.ssl_cert_path"},
      {"kafka.max_message_bytes", T::kInt, "1000000", false,
       "largest event published, 1000..100000000 bytes (librdkafka's "
       "message.max.bytes); keep it at most the brokers' message.max.bytes. "
       "A command whose event would be larger is refused; an event the "
       "broker refuses anyway goes to the outbox dead letters"},
      {"outbox.max_pending_age", T::kDuration, "2m", false,
       "/healthz fails (503) while the oldest event not yet confirmed by "
       "Kafka is older than this"},
      {"kafka.wait", T::kDuration, "30s", false,
       "how long to wait for the broker and topics at start-up"},
      {"endpoints.file", T::kString, "", false,
       "if set, grpc= and admin= addresses are written here once ready"},
      {"auth.mode", T::kString, "", false,
       "required: how callers (offices and services) prove who they are: "
       "token (auth.tokens_path) or mtls (client certificates; needs "
       "tls.client_ca_path). Every RPC is authenticated: there is no "
       "mode none"},
      {"auth.tokens_path", T::kString, "", false,
       "tokens file for auth.mode = token: `<office code or service:<name>> "
       "<sha-256 hex of the token> [<holder>]` lines, chmod 600"},
      {"tls.cert_path", T::kString, "", false,
       "PEM server certificate chain; with tls.key_path the gRPC server "
       "speaks TLS"},
      {"tls.key_path", T::kString, "", false,
       "PEM private key of tls.cert_path"},
      {"tls.client_ca_path", T::kString, "", false,
       "PEM CA of the callers' client certificates (auth.mode = mtls only)"},
      {"tls.crl_dir", T::kString, "", false,
       "directory of the client CA's PEM revocation lists, linked as "
       "<issuer hash>.r<n> by `openssl rehash`: a client certificate listed "
       "is refused in the handshake; a CRL added later is read at the next "
       "handshake (needs tls.client_ca_path)"},
      {"tls.reload_interval", T::kDuration, "1m", false,
       "how often tls.cert_path, tls.key_path and tls.client_ca_path are "
       "read again; new connections use what changed (1s to 24h)"},
      {log::kLevelSetting, T::kString, log::kLevelDefault, false,
       "the least severe log lines written: debug (also per-item detail, "
       "e.g. one line per fired timer), info, warn or error"},
      {"clock.file", T::kString, "", false,
       "empty: the system clock. Otherwise a simulated clock file "
       "(common/time/file_clock.h) that a test or replay moves; every "
       "\"now\" of the service comes from it"},
  };
  // Issue 19 (partitioned services; the others list them unused).
  for (Setting& setting : PartitionedSettings()) {
    common.push_back(std::move(setting));
  }
  return common;
}

int RunServiceMain(int argc, char** argv, const ServiceDefinition& given) {
  // The definition as this run uses it: `partitioned` may come from the
  // service's switch (partitioned_setting), read below before the store
  // opens.
  ServiceDefinition def = given;
  absl::StatusOr<config::CommandLine> line =
      config::ParseCommandLine(argc, argv);
  if (!line.ok()) {
    std::fprintf(stderr, "%s: %s\n", def.name.c_str(),
                 std::string(line.status().message()).c_str());
    return 2;
  }
  if (line->help) {
    PrintHelp(def);
    return 0;
  }
  const std::string& config_path = line->config_path;
  log::SetService(def.name);

  // Block the stop signals (and SIGHUP, "read the credentials again") in
  // every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::vector<Setting> schema = CommonSettings(def.name);
  schema.insert(schema.end(), def.settings.begin(), def.settings.end());
  auto cfg =
      config::Config::Load(config_path, schema, config::ProcessEnvironment());
  if (!cfg.ok()) return Fail(cfg.status(), 2);
  if (!def.partitioned_setting.empty() &&
      cfg->GetBool(def.partitioned_setting)) {
    def.partitioned = true;
    log::Warn(absl::StrCat(def.name, " runs with partitioned state (",
                           def.partitioned_setting,
                           " = true): not for production yet"));
  }
  absl::StatusOr<log::Level> log_level =
      log::ParseLevel(cfg->GetString(log::kLevelSetting));
  if (!log_level.ok()) return Fail(log_level.status(), 2);
  log::SetMinLevel(*log_level);
  // Without Kafka (ServiceDefinition::uses_kafka) the kafka.* settings
  // are not read.
  absl::StatusOr<std::string> bootstrap =
      def.uses_kafka ? Bootstrap(*cfg) : std::string();
  if (!bootstrap.ok()) return Fail(bootstrap.status(), 2);
  rpc::ServerAuthSettings auth_settings;
  auth_settings.mode = cfg->GetString("auth.mode");
  auth_settings.tokens_path = cfg->GetString("auth.tokens_path");
  auth_settings.tls.cert_path = cfg->GetString("tls.cert_path");
  auth_settings.tls.key_path = cfg->GetString("tls.key_path");
  auth_settings.tls.client_ca_path = cfg->GetString("tls.client_ca_path");
  auth_settings.tls.crl_dir = cfg->GetString("tls.crl_dir");
  auth_settings.tls.reload_interval = cfg->GetDuration("tls.reload_interval");
  auto created_auth = rpc::CreateAuthenticator(auth_settings);
  if (!created_auth.ok()) return Fail(created_auth.status(), 2);
  // Forwarded callers are believed only from this same service (auth.h).
  absl::StatusOr<std::unique_ptr<rpc::Authenticator>> authenticator =
      rpc::ServingService(*std::move(created_auth), def.name);
  auto simulated_clock = OpenClockFile(*cfg);
  if (!simulated_clock.ok()) return Fail(simulated_clock.status(), 2);
  auto max_receive_bytes =
      IntInRange(*cfg, "grpc.max_receive_bytes", 4096, 16 << 20);
  if (!max_receive_bytes.ok()) return Fail(max_receive_bytes.status(), 2);
  auto max_message_bytes =
      IntInRange(*cfg, "kafka.max_message_bytes", 1000, 100000000);
  if (!max_message_bytes.ok()) return Fail(max_message_bytes.status(), 2);
  const absl::Duration max_pending_age =
      cfg->GetDuration("outbox.max_pending_age");
  if (max_pending_age <= absl::ZeroDuration()) {
    return Fail(absl::InvalidArgumentError(
                    "config: outbox.max_pending_age must be longer than 0"),
                2);
  }

  KafkaSecurity kafka_security;
  kafka_security.protocol = cfg->GetString("kafka.security_protocol");
  kafka_security.sasl_mechanism = cfg->GetString("kafka.sasl_mechanism");
  kafka_security.sasl_username = cfg->GetString("kafka.sasl_username");
  kafka_security.sasl_password = cfg->GetString("kafka.sasl_password");
  kafka_security.ssl_ca_path = cfg->GetString("kafka.ssl_ca_path");
  kafka_security.ssl_cert_path = cfg->GetString("kafka.ssl_cert_path");
  kafka_security.ssl_key_path = cfg->GetString("kafka.ssl_key_path");
  auto kafka_props = KafkaSecurityProperties(kafka_security);
  if (!kafka_props.ok()) return Fail(kafka_props.status(), 2);

  if (def.partitioned && def.replicated) {
    return Fail(absl::InternalError(absl::StrCat(
                    def.name, " is both partitioned and replicated")),
                1);
  }
  if (def.partitioned && !def.uses_kafka) {
    return Fail(absl::InternalError(absl::StrCat(
                    def.name, " keeps partitioned state without Kafka")),
                1);
  }
  metrics::Registry registry;  // outlives every part that counts in it
  // The service's store: its own RocksDB, or (partitioned, issue 19) the
  // PartitionedStore's instance-local one, opened once Kafka is known.
  std::unique_ptr<store::Store> own_store;
  store::Store* the_store = nullptr;
  PartitionedParts partitioned;
  if (!def.partitioned) {
    store::StoreOptions store_options;
    store_options.path = cfg->GetPath("store.path");
    store_options.sync = cfg->GetBool("store.sync");
    store_options.column_families = def.column_families;
    auto store = store::Store::Open(store_options);
    if (!store.ok()) return Fail(store.status(), 1);
    own_store = *std::move(store);
    the_store = own_store.get();
  }

  // Kafka's part: the topics, the log the outbox was confirmed in, the
  // publisher. Without Kafka the service has no publisher (Context).
  std::unique_ptr<store::OutboxPublisher> publisher;
  if (def.uses_kafka) {
    std::vector<std::string> topics = {"petitions", "case-events",
                                       "supervision-events",
                                       "notification-events"};
    if (def.partitioned) {
      topics.push_back(ChangelogTopic(def.name));
      topics.push_back(OwnersTopic(def.name));
    }
    topics.insert(topics.end(), def.own_topics.begin(), def.own_topics.end());
    absl::Status ready = kafka::WaitForTopics(
        *bootstrap, topics, cfg->GetDuration("kafka.wait"), *kafka_props);
    if (!ready.ok()) return Fail(ready, 1);
    // Events Kafka confirmed in another log (the embedded broker started
    // again, a new cluster) may never have been read there: they go out
    // again, and consumers drop what they had by event id (issue 23 item 1).
    auto cluster =
        kafka::LogId(*bootstrap, cfg->GetDuration("kafka.wait"), *kafka_props);
    // Without it, events confirmed in an old log would not go out again:
    // fail start (the supervisor starts us again) rather than lose them.
    if (!cluster.ok()) return Fail(cluster.status(), 1);

    kafka::ProducerOptions producer_options = ServiceProducerOptions(
        *bootstrap, def.name, cfg->GetString("kafka.debug"));
    producer_options.extra["message.max.bytes"] =
        std::to_string(*max_message_bytes);
    for (const auto& [key, value] : *kafka_props) {
      producer_options.extra[key] = value;
    }
    store::OutboxOptions outbox_options;
    outbox_options.max_record_bytes = static_cast<size_t>(*max_message_bytes);
    auto producer_factory = [producer_options](kafka::DeliveryCallback cb) {
      return kafka::CreateKafkaProducer(producer_options, std::move(cb));
    };
    if (def.partitioned) {
      PartitionedInputs in;
      in.cfg = &*cfg;
      in.service = def.name;
      // A family the service keeps instance-local is not in the partition
      // DBs (a service that runs either way lists every family in
      // column_families).
      for (const std::string& cf : def.column_families) {
        if (std::find(def.local_column_families.begin(),
                      def.local_column_families.end(),
                      cf) == def.local_column_families.end()) {
          in.column_families.push_back(cf);
        }
      }
      in.local_column_families = def.local_column_families;
      in.bootstrap = *bootstrap;
      in.kafka_props = *kafka_props;
      in.log_id = *cluster;
      in.producer_factory = producer_factory;
      in.outbox = outbox_options;
      in.metrics = &registry;
      auto parts = OpenPartitioned(in);
      if (!parts.ok()) {
        return Fail(parts.status(),
                    parts.status().code() == absl::StatusCode::kInvalidArgument
                        ? 2
                        : 1);
      }
      partitioned = *std::move(parts);
      the_store = &partitioned.store->Local();
    }
    {
      auto requeued = the_store->RequeuePublished(*cluster);
      if (!requeued.ok()) return Fail(requeued.status(), 1);
      if (*requeued > 0) {
        log::Warn(
            "NEW LOG: Kafka is not the cluster these events were "
            "confirmed in; publishing them again",
            {{"cluster", *cluster}, {"events", std::to_string(*requeued)}});
      }
    }

    auto created = store::OutboxPublisher::Create(the_store, producer_factory,
                                                  outbox_options);
    if (!created.ok()) return Fail(created.status(), 1);
    publisher = *std::move(created);
  }

  time::SystemClock system_clock;
  time::Clock* clock = *simulated_clock
                           ? static_cast<time::Clock*>(simulated_clock->get())
                           : &system_clock;
  LoopProgress progress;
  Context context{&*cfg,     the_store,           publisher.get(), clock,
                  &registry, authenticator->get(), &progress};
  context.partitions = partitioned.store.get();
  context.owners = partitioned.owners.get();
  if (def.uses_kafka) {
    context.consumer_options =
        [&cfg, servers = *bootstrap,
         props = *kafka_props](const std::vector<std::string>& topics) {
          kafka::ConsumerOptions options = ServiceConsumerOptions(
              servers, cfg->GetString("kafka.group"), topics,
              cfg->GetDuration("kafka.fetch_wait"),
              cfg->GetString("kafka.debug"));
          for (const auto& [key, value] : props) options.extra[key] = value;
          return options;
        };
  }
  auto svc = def.create(context);
  if (!svc.ok()) return Fail(svc.status(), 1);
  Service& service = **svc;
  if (!def.uses_kafka && !service.Subscriptions().empty()) {
    return Fail(absl::InternalError(absl::StrCat(
                    def.name, " subscribes to topics without Kafka")),
                1);
  }

  if (def.partitioned) {
    // One loop owns the partitions' lifecycle, over per-case topics
    // co-partitioned with the changelog (contract item 1).
    if (service.Subscriptions().size() != 1) {
      return Fail(absl::InternalError(absl::StrCat(
                      def.name,
                      " keeps partitioned state: it must have exactly one "
                      "subscription")),
                  1);
    }
    std::vector<std::string> topics = service.Subscriptions()[0].topics;
    topics.push_back(ChangelogTopic(def.name));
    absl::Status counts = CheckPartitionCounts(
        *bootstrap, topics, partitioned.store->partitions(),
        cfg->GetDuration("kafka.wait"), *kafka_props);
    if (!counts.ok()) return Fail(counts, 1);
  }
  std::vector<std::unique_ptr<ConsumeLoop>> loops;
  for (const Subscription& sub : service.Subscriptions()) {
    kafka::ConsumerOptions consumer_options = ServiceConsumerOptions(
        *bootstrap, cfg->GetString("kafka.group"), sub.topics,
        cfg->GetDuration("kafka.fetch_wait"), cfg->GetString("kafka.debug"));
    for (const auto& [key, value] : *kafka_props) {
      consumer_options.extra[key] = value;
    }
    store::PartitionedStore* parts = partitioned.store.get();
    if (parts != nullptr) PartitionedConsumer(consumer_options);
    // A replica reads every partition, whatever the other instances do.
    consumer_options.assign_all = def.replicated;
    auto consumer = kafka::CreateKafkaConsumerWithPositions(
        consumer_options, StoredPositions(the_store, parts));
    if (!consumer.ok()) return Fail(consumer.status(), 1);
    ConsumeLoopOptions loop_options;
    loop_options.clock = clock;  // For its tick gauge (consume_loop.h).
    loop_options.topics = sub.topics;  // Its dead letters to replay.
    if (sub.track_applied_through) {
      loop_options.applied_through_probe = absl::Milliseconds(500);
    }
    if (parts != nullptr) {
      SetPartitionHooks(partitioned, cfg->GetInt("store.standby_replicas"),
                        loop_options);
    }
    loops.push_back(std::make_unique<ConsumeLoop>(
        sub.name, *std::move(consumer), the_store, publisher.get(),
        sub.handler, &registry, loop_options));
    progress.Add(sub.name, loops.back()->applied_through());
  }
  for (auto& loop : loops) loop->Start();
  // Ready means consuming: wait for the group to assign partitions (the
  // first rebalance of a group takes a few seconds) and, with partitioned
  // state, for the partitions assigned to be restored, so that Start()
  // sees the state they hold (notification reconciles the parts a crash
  // left SENDING in them before it sends anything).
  absl::Time assign_deadline = absl::Now() + cfg->GetDuration("kafka.wait");
  for (auto& loop : loops) {
    while ((!loop->assigned() ||
            (partitioned.store != nullptr &&
             !loop->RestoringPartitions().empty())) &&
           absl::Now() < assign_deadline) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    if (!loop->assigned()) {
      log::Warn(
          "no partitions assigned yet; other group members may hold them");
    }
  }
  absl::Status started = service.Start();
  if (!started.ok()) return Fail(started, 1);

  rpc::ServerOptions rpc_options;
  rpc_options.listen = cfg->GetHostPort("grpc.listen").ToString();
  rpc_options.max_receive_bytes = static_cast<int>(*max_receive_bytes);
  rpc_options.tls = auth_settings.tls;
  auto server = rpc::Server::Start(rpc_options, service.GrpcServices());
  if (!server.ok()) return Fail(server.status(), 1);

  OutboxMetrics outbox_metrics(&registry);
  StoreMetrics store_metrics(&registry);  // storage faults (store_health.h)
  std::map<std::string, admin::Handler> routes = service.AdminRoutes();
  store::OutboxPublisher* outbox = publisher.get();  // null: no Kafka
  routes["/healthz"] = [&loops, outbox, the_store,
                        parts = partitioned.store.get(),
                        max_pending_age](const admin::HttpRequest&) {
    std::string problems = StoreHealth(*the_store);
    if (parts != nullptr) {
      const std::string held = PartitionsHealth(*parts);
      if (!held.empty()) {
        absl::StrAppend(&problems, problems.empty() ? "" : "\n", held);
      }
    }
    if (!problems.empty()) problems += "\n";
    for (auto& loop : loops) {
      const std::string health = loop->Health();
      if (!health.empty()) absl::StrAppend(&problems, health, "\n");
    }
    if (!problems.empty()) {
      return admin::HttpResponse{503, "text/plain; charset=utf-8", problems};
    }
    if (outbox == nullptr) {
      return admin::HttpResponse{200, "text/plain; charset=utf-8", "ok\n"};
    }
    return OutboxHealth(AllOutboxStats(*outbox, parts), max_pending_age);
  };
  routes["/metrics"] = [&, parts = partitioned.store.get()](
                           const admin::HttpRequest&) {
    if (outbox != nullptr) {
      outbox_metrics.Update(AllOutboxStats(*outbox, parts));
    }
    store_metrics.Update(*the_store);
    return admin::HttpResponse{200, "text/plain; version=0.0.4",
                               registry.Render()};
  };
  // casectl dead-letters (common/service/dead_letters.h).
  routes["/dead-letters"] = [the_store, parts = partitioned.store.get()](
                                const admin::HttpRequest&) {
    return ListDeadLetters(*the_store, parts);
  };
  routes["/dead-letters/replay"] = [&loops](const admin::HttpRequest& req) {
    return ReplayDeadLetters(req, loops);
  };
  routes["/outbox/dead-letters"] = [the_store](const admin::HttpRequest&) {
    auto letters = store::ListOutboxDeadLetters(*the_store);
    if (!letters.ok()) {
      return admin::HttpResponse{
          500, "text/plain", absl::StrCat(letters.status().message(), "\n")};
    }
    return admin::HttpResponse{200, "text/plain; charset=utf-8",
                               store::FormatOutboxDeadLetters(*letters)};
  };
  admin::HttpServerOptions admin_options;
  admin_options.worker_threads = static_cast<int>(cfg->GetInt("admin.workers"));
  admin_options.max_queued_connections =
      static_cast<size_t>(cfg->GetInt("admin.max_queued"));
  admin_options.max_pending_connections =
      static_cast<size_t>(cfg->GetInt("admin.max_pending"));
  const std::string refused_help =
      "Admin HTTP requests refused for want of room: answered 503 because "
      "admin.max_queued requests already waited for a worker (busy), or "
      "closed unanswered because admin.max_pending connections were still "
      "arriving (evicted).";
  metrics::Counter& admin_busy =
      registry.GetCounter("caserelay_admin_http_refused_total", refused_help,
                          {{"reason", "busy"}});
  metrics::Counter& admin_evicted =
      registry.GetCounter("caserelay_admin_http_refused_total", refused_help,
                          {{"reason", "evicted"}});
  admin_options.on_refused_busy = [&admin_busy] { admin_busy.Increment(); };
  admin_options.on_evicted = [&admin_evicted] { admin_evicted.Increment(); };
  auto admin_server = admin::HttpServer::Create(
      cfg->GetHostPort("admin.listen").ToString(), routes, admin_options);
  if (!admin_server.ok()) return Fail(admin_server.status(), 1);

  std::string host = cfg->GetHostPort("grpc.listen").host;
  std::string grpc_address = absl::StrCat(host, ":", (*server)->port());
  if (partitioned.owners != nullptr) {
    // Only now is the address known (port 0): the partitions held so far
    // are published with it (partition_owners.h).
    const std::string advertise = cfg->GetString("grpc.advertise").empty()
                                      ? grpc_address
                                      : cfg->GetString("grpc.advertise");
    absl::Status advertised = partitioned.owners->Advertise(advertise);
    if (!advertised.ok()) {
      log::Warn("owner records not published yet; other instances answer "
                "UNAVAILABLE for this instance's partitions meanwhile",
                {{"error", std::string(advertised.message())}});
    }
  }
  std::string admin_address = absl::StrCat(
      cfg->GetHostPort("admin.listen").host, ":", (*admin_server)->port());
  if (!cfg->GetString("endpoints.file").empty()) {
    absl::Status w = file::WriteFileAtomically(
        cfg->GetString("endpoints.file"),
        absl::StrCat("grpc=", grpc_address, "\nadmin=", admin_address, "\n"));
    if (!w.ok()) return Fail(w, 1);
  }
  log::Info("ready", {{"grpc", grpc_address},
                      {"admin", admin_address},
                      {"kafka", def.uses_kafka ? *bootstrap : "(none)"}});

  int sig = 0;
  const std::string reloads_help =
      "Credential reloads asked for by SIGHUP, by result.";
  metrics::Counter& reloads_ok = registry.GetCounter(
      "caserelay_credentials_reloads_total", reloads_help, {{"result", "ok"}});
  metrics::Counter& reloads_failed =
      registry.GetCounter("caserelay_credentials_reloads_total", reloads_help,
                          {{"result", "failed"}});
  while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
    // The tokens file is also reloaded when it changes (token_file_auth.h);
    // SIGHUP does it at once.
    absl::Status reloaded = *authenticator == nullptr
                                ? absl::OkStatus()
                                : (*authenticator)->Reload();
    (reloaded.ok() ? reloads_ok : reloads_failed).Increment();
    if (reloaded.ok()) {
      log::Info("credentials reloaded", {{"signal", "SIGHUP"}});
    } else {
      log::Error("credentials not reloaded; the ones loaded before stay in use",
                 {{"error", std::string(reloaded.message())}});
    }
  }
  log::Info("stopping", {{"signal", strsignal(sig)}});
  (*server)->Shutdown(absl::Seconds(5));
  service.Stop();
  for (auto& loop : loops) loop->Stop();
  absl::Status flushed =
      publisher ? publisher->Flush(absl::Seconds(5)) : absl::OkStatus();
  if (!flushed.ok()) {
    log::Warn("stopped with events unpublished; they go out on next start",
              {{"detail", std::string(flushed.message())}});
  }
  (*admin_server)->Shutdown();
  log::Info("stopped");
  return 0;
}

}  // namespace caserelay::service
