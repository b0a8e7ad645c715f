#include "bench/restore/barrier.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/kafka/producer.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"

namespace caserelay::bench {
namespace {

struct Measured {
  double batches_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * v.size()));
  return v[i];
}

// One mode: a fresh store in `path`, its publisher with `barrier_topic`
// (empty: no barrier). False (said on stderr) on a failure.
bool Measure(const BarrierFlags& f, const std::string& path,
             const std::string& bootstrap, const std::string& outputs_topic,
             const std::string& changelog_topic,
             const std::string& barrier_topic, Measured* out) {
  store::StoreOptions so;
  so.path = path;
  so.column_families = {"timers"};
  so.sync = false;
  so.changelog_topic = changelog_topic;
  so.changelog_partition = 0;
  so.changelog_epoch = 1;
  so.changelog_owner = 1;
  auto db = store::Store::Open(so);
  if (!db.ok()) {
    std::cerr << "bench_restore: " << db.status().message() << std::endl;
    return false;
  }
  store::OutboxOptions oo;
  oo.changelog_topic = barrier_topic;
  auto publisher = store::OutboxPublisher::Create(
      db->get(),
      [bootstrap](kafka::DeliveryCallback cb) {
        kafka::ProducerOptions po;
        po.bootstrap = bootstrap;
        return kafka::CreateKafkaProducer(po, std::move(cb));
      },
      std::move(oo));
  if (!publisher.ok()) {
    std::cerr << "bench_restore: " << publisher.status().message() << std::endl;
    return false;
  }
  const std::string output(static_cast<size_t>(f.output_bytes), 'o');
  int n = 0;
  auto fill = [&](store::WriteBatch& batch) {
    for (int o = 0; o < f.outputs; ++o, ++n) {
      for (int k = 0; k < f.keys; ++k) {
        batch.Put("timers", absl::StrFormat("t-%09d-%d", n, k), "x");
      }
      batch.AddOutbox(outputs_topic, absl::StrFormat("case-%09d", n), output);
    }
  };
  const absl::Time start = absl::Now();
  for (int b = 0; b < f.batches; ++b) {
    store::WriteBatch batch(db->get());
    fill(batch);
    if (absl::Status s = (*publisher)->Commit(batch); !s.ok()) {
      std::cerr << "bench_restore: commit: " << s.message() << std::endl;
      return false;
    }
  }
  if (absl::Status s = (*publisher)->Flush(absl::Minutes(5)); !s.ok()) {
    std::cerr << "bench_restore: flush: " << s.message() << std::endl;
    return false;
  }
  out->batches_per_s = f.batches / absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<double> waits;
  for (int w = 0; w < f.waits; ++w) {
    store::WriteBatch batch(db->get());
    fill(batch);
    const absl::Time t = absl::Now();
    absl::Status s = (*publisher)->CommitAndWait(batch, absl::Seconds(30));
    if (!s.ok()) {
      std::cerr << "bench_restore: commit and wait: " << s.message()
                << std::endl;
      return false;
    }
    waits.push_back(absl::ToDoubleMilliseconds(absl::Now() - t));
  }
  out->p50_ms = Percentile(waits, 0.50);
  out->p99_ms = Percentile(waits, 0.99);
  return true;
}

}  // namespace

int RunBarrierPhase(const BarrierFlags& f, const std::string& dir,
                    const std::string& bootstrap,
                    const std::string& outputs_topic,
                    const std::string& changelog_topic) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "bench_restore: cannot create " << dir << ": " << ec.message()
              << std::endl;
    return 1;
  }
  Measured none;
  Measured barrier;
  // Alternated twice so that neither mode always runs on a warmer broker.
  for (int round = 0; round < 2; ++round) {
    Measured a;
    Measured b;
    if (!Measure(f, absl::StrFormat("%s/none-%d", dir, round), bootstrap,
                 outputs_topic, changelog_topic, "", &a) ||
        !Measure(f, absl::StrFormat("%s/barrier-%d", dir, round), bootstrap,
                 outputs_topic, changelog_topic, changelog_topic, &b)) {
      return 1;
    }
    std::printf(
        "publish, round %d       no barrier: %8.0f batches/s, CommitAndWait "
        "p50 %6.2f p99 %6.2f ms | barrier: %8.0f batches/s, p50 %6.2f p99 "
        "%6.2f ms\n",
        round + 1, a.batches_per_s, a.p50_ms, a.p99_ms, b.batches_per_s,
        b.p50_ms, b.p99_ms);
    if (round == 1) {
      none = a;
      barrier = b;
    }
  }
  std::printf(
      "RESULT_BARRIER batches=%d outputs=%d keys=%d none_batches_per_s=%.0f "
      "barrier_batches_per_s=%.0f ratio=%.2f none_wait_p50_ms=%.2f "
      "barrier_wait_p50_ms=%.2f none_wait_p99_ms=%.2f "
      "barrier_wait_p99_ms=%.2f\n",
      f.batches, f.outputs, f.keys, none.batches_per_s, barrier.batches_per_s,
      barrier.batches_per_s / none.batches_per_s, none.p50_ms, barrier.p50_ms,
      none.p99_ms, barrier.p99_ms);
  return 0;
}

}  // namespace caserelay::bench
