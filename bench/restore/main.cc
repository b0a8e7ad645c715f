// bench_restore: what restoring a partition from its changelog costs
// (issue 19 item 2; common/store/changelog_restore.h), beside the ceiling it
// is built on, measured in the same run: a raw read of the same changelog
// partition with the same PartitionReader, applying nothing.
//
// Against librdkafka's mock cluster hosted in-process (the embedded broker
// of DESIGN.md), one partition: a writer PartitionedStore commits --records
// changelog records in batches of --batch keys (--value-bytes each) through
// its partition's outbox and waits for Kafka; then
//   1. raw read: PartitionReader::Read over the whole partition;
//   2. restore: a second PartitionedStore's Acquire (open, read, apply
//      complete batches, reopen with the changelog);
//   3. writer re-Acquire: its position followed its confirmed markers, so
//      it reads nothing back (the cost of a partition coming back);
//   4. publish: what the outbox's changelog barrier costs, beside the same
//      publisher without it (barrier.h).
// Prints records/s and MB/s of each and restore/raw.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/common/util.h"
#include "bench/restore/barrier.h"
#include "common/kafka/partition_reader.h"
#include "common/kafka/producer.h"
#include "common/metrics/metrics.h"
#include "common/store/changelog_restore.h"
#include "common/store/partitioned_store.h"

namespace caserelay::bench {
namespace {

constexpr char kTopic[] = "bench-changelog";
constexpr int32_t kPartition = 0;

struct RestoreFlags {
  bool help = false;
  // Changelog records (keys written), markers apart. The mock keeps ~5 MiB
  // per partition and a restore of a trimmed changelog fails (DATA_LOSS),
  // so records x (value bytes + ~20) must stay below that.
  int records = 20000;
  int batch = 20;  // keys per WriteBatch (one marker each)
  int value_bytes = 200;
  std::string dir;
  BarrierFlags barrier;  // --barrier-batches 0 skips the publish phase
};

absl::StatusOr<RestoreFlags> Parse(const std::vector<std::string>& args) {
  RestoreFlags f;
  static constexpr absl::string_view kKnown[] = {
      "--records", "--batch",           "--value-bytes",
      "--dir",     "--barrier-batches", "--barrier-outputs"};
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      f.help = true;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, kKnown);
    if (!flag.ok()) return flag.status();
    const auto& [name, value] = *flag;
    absl::Status s;
    if (name == "--records") s = ParseInt(name, value, 1, 10000000, &f.records);
    if (name == "--batch") s = ParseInt(name, value, 1, 100000, &f.batch);
    if (name == "--value-bytes") {
      s = ParseInt(name, value, 0, 100000, &f.value_bytes);
    }
    if (name == "--dir") f.dir = value;
    if (name == "--barrier-batches") {
      s = ParseInt(name, value, 0, 1000000, &f.barrier.batches);
    }
    if (name == "--barrier-outputs") {
      s = ParseInt(name, value, 1, 10000, &f.barrier.outputs);
    }
    if (!s.ok()) return s;
  }
  return f;
}

std::string Usage() {
  return "bench_restore: restoring a partition from its changelog, beside a\n"
         "raw read of the same partition (the ceiling), on librdkafka's\n"
         "in-process mock cluster.\n\n"
         "  --records N      changelog records to write and restore "
         "(default 20000;\n"
         "                   the mock keeps ~5 MiB per partition: keep "
         "N x (value + 20) below)\n"
         "  --batch N        keys per WriteBatch, one end-of-batch marker "
         "each (default 20)\n"
         "  --value-bytes N  bytes per value (default 200)\n"
         "  --dir PATH       store directory (default: a new one under "
         "$TMPDIR, removed)\n"
         "  --barrier-batches N  batches of the publish phase: the "
         "changelog\n"
         "                   barrier's cost beside no barrier (default "
         "5000; 0 skips it)\n"
         "  --barrier-outputs N  outputs per batch there, 3 changelogged "
         "keys each\n"
         "                   (default 1)\n"
         "  --help           this text\n";
}

std::unique_ptr<store::PartitionedStore> OpenStore(const std::string& path,
                                                   const std::string& bootstrap,
                                                   metrics::Registry* metrics) {
  store::PartitionedStoreOptions o;
  o.path = path;
  o.partitions = 1;
  o.column_families = {"cases"};
  o.changelog_topic = kTopic;
  o.sync = false;
  o.producer_factory = [bootstrap](kafka::DeliveryCallback cb) {
    kafka::ProducerOptions po;
    po.bootstrap = bootstrap;
    return kafka::CreateKafkaProducer(po, std::move(cb));
  };
  o.changelog_reader = [bootstrap] {
    return kafka::CreateKafkaPartitionReader({bootstrap, "bench_restore", {}});
  };
  auto s = store::PartitionedStore::Open(o, metrics);
  if (!s.ok()) {
    std::cerr << "bench_restore: " << s.status().message() << std::endl;
    return nullptr;
  }
  return *std::move(s);
}

void Report(const char* what, uint64_t records, uint64_t bytes,
            absl::Duration took) {
  const double s = absl::ToDoubleSeconds(took);
  std::printf(
      "%-22s %9llu records %8.1f MB %7.2f s %10.0f records/s %7.1f MB/s\n",
      what, static_cast<unsigned long long>(records), bytes / 1e6, s,
      records / s, bytes / 1e6 / s);
}

int Run(const RestoreFlags& f) {
  std::printf("bench_restore: %s; load %s\n", BuildType(),
              LoadAverage().c_str());
  auto dir = FreshStoreDir(f.dir, "restore");
  if (!dir.ok()) {
    std::cerr << "bench_restore: " << dir.status().message() << std::endl;
    return kExitFailure;
  }
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t* handle =
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, 1);
  rd_kafka_mock_topic_create(cluster, kTopic, 1, 1);
  rd_kafka_mock_topic_create(cluster, "bench-outputs", 1, 1);
  rd_kafka_mock_topic_create(cluster, "bench-barrier-changelog", 1, 1);
  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  int rc = 0;
  {
    metrics::Registry metrics;
    auto writer = OpenStore(*dir + "/writer", bootstrap, &metrics);
    auto reader = OpenStore(*dir + "/reader", bootstrap, &metrics);
    if (writer == nullptr || reader == nullptr ||
        !writer->Acquire(kPartition).ok()) {
      return kExitFailure;
    }
    // Write.
    const std::string value(static_cast<size_t>(f.value_bytes), 'v');
    absl::Time start = absl::Now();
    int written = 0;
    {
      auto lease = writer->Lease(kPartition);
      while (written < f.records) {
        store::WriteBatch batch(&lease->store());
        for (int i = 0; i < f.batch && written < f.records; ++i, ++written) {
          batch.Put("cases", absl::StrFormat("case-%09d", written), value);
        }
        if (absl::Status s = lease->publisher().Commit(batch); !s.ok()) {
          std::cerr << "bench_restore: commit: " << s.message() << std::endl;
          return kExitFailure;
        }
      }
      if (absl::Status s = lease->publisher().Flush(absl::Minutes(10));
          !s.ok()) {
        std::cerr << "bench_restore: flush: " << s.message() << std::endl;
        return kExitFailure;
      }
    }
    const uint64_t record_bytes =
        static_cast<uint64_t>(f.records) * (6 + 14 + value.size());
    Report("write+confirm", f.records, record_bytes, absl::Now() - start);

    // 1. Raw read (the ceiling).
    auto raw = kafka::CreateKafkaPartitionReader({bootstrap, "raw", {}});
    auto marks = (*raw)->Offsets(kTopic, kPartition, absl::Seconds(30));
    if (!marks.ok()) return kExitFailure;
    uint64_t raw_records = 0;
    uint64_t raw_bytes = 0;
    start = absl::Now();
    absl::Status read = (*raw)->Read(
        kTopic, kPartition, 0, marks->end,
        [&](const kafka::PartitionRecord& r) {
          ++raw_records;
          raw_bytes += r.key.size() + (r.value ? r.value->size() : 0);
          return absl::OkStatus();
        },
        absl::Seconds(30));
    const absl::Duration raw_took = absl::Now() - start;
    if (!read.ok()) return kExitFailure;
    Report("raw read (ceiling)", raw_records, raw_bytes, raw_took);

    // 2a. The restore alone (changelog_restore.h: open, read, apply
    // complete batches), into a fresh DB.
    {
      store::StoreOptions so;
      so.path = *dir + "/restore-only";
      so.column_families = {"cases"};
      store::RestoreOptions ro;
      ro.topic = kTopic;
      ro.partition = kPartition;
      auto reader_only =
          kafka::CreateKafkaPartitionReader({bootstrap, "restore-only", {}});
      if (!reader_only.ok()) return kExitFailure;
      auto restored = store::OpenRestored(so, **reader_only, ro);
      if (!restored.ok()) {
        std::cerr << "bench_restore: restore: " << restored.status().message()
                  << std::endl;
        return kExitFailure;
      }
      Report("restore alone", restored->records, restored->bytes,
             restored->took);
      std::printf(
          "restore alone/raw      %.2f (records/s of the restore "
          "over those of the raw read)\n",
          absl::ToDoubleSeconds(raw_took) /
              absl::ToDoubleSeconds(restored->took));
    }

    // 2b. A whole Acquire: restore, open again with the changelog, start
    // the partition's publisher.
    start = absl::Now();
    if (absl::Status s = reader->Acquire(kPartition); !s.ok()) {
      std::cerr << "bench_restore: restore: " << s.message() << std::endl;
      return kExitFailure;
    }
    const absl::Duration restore_took = absl::Now() - start;
    Report("restore (Acquire)", raw_records, raw_bytes, restore_took);

    // 3. The writer takes its partition back: the fixed cost of an
    // Acquire (two opens of the DB, the reader's connection, the end
    // offset), as it reads nothing.
    writer->Release(kPartition);
    start = absl::Now();
    if (!writer->Acquire(kPartition).ok()) rc = kExitFailure;
    const absl::Duration fixed = absl::Now() - start;
    std::printf(
        "writer re-Acquire      %7.3f s (reads nothing back: the "
        "fixed cost)\n",
        absl::ToDoubleSeconds(fixed));
    std::printf(
        "Acquire/raw            %.2f (a whole Acquire over the raw "
        "read)\n",
        absl::ToDoubleSeconds(raw_took) / absl::ToDoubleSeconds(restore_took));

    // 4. The changelog barrier's cost when publishing.
    if (f.barrier.batches > 0 &&
        RunBarrierPhase(f.barrier, *dir + "/barrier", bootstrap,
                        "bench-outputs", "bench-barrier-changelog") != 0) {
      rc = kExitFailure;
    }
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  if (f.dir.empty()) std::filesystem::remove_all(*dir);
  return rc;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  return caserelay::bench::BenchMain(
      argc, argv, "bench_restore", caserelay::bench::Parse,
      caserelay::bench::Usage, caserelay::bench::Run);
}
