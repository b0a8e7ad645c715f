// bench_restore's publish phase: what the outbox's changelog barrier costs
// (common/store/outbox_publisher.h, "A batch's changelog after its
// outputs"; issue 19, F4 item 1), beside the same publisher without it.
//
// A partition DB (a Store with a changelog) commits loop-like batches —
// `outputs` outputs of `output_bytes` and `keys` changelogged keys per
// output, so outputs x keys changelog records and a marker — through an
// OutboxPublisher whose producer is the services' (kafka::CreateKafkaProducer:
// idempotent, acks=all, linger.ms=5) on the in-process mock cluster, twice:
// with OutboxOptions::changelog_topic set (the barrier) and empty (none):
//   - throughput: `batches` batches committed back to back, then Flush:
//     batches/s until every record is confirmed;
//   - latency: `waits` batches one at a time through CommitAndWait (what
//     a gRPC write path waits): p50/p99 ms.
// Prints a table and one RESULT_BARRIER line.

#ifndef CASERELAY_BENCH_RESTORE_BARRIER_H_
#define CASERELAY_BENCH_RESTORE_BARRIER_H_

#include <string>

namespace caserelay::bench {

struct BarrierFlags {
  int batches = 5000;
  int waits = 300;
  int keys = 3;     // per output
  int outputs = 1;  // per batch (a loop batch: its inputs' outputs)
  int output_bytes = 300;
};

// `dir`: a directory for the two stores; `bootstrap`: the mock cluster,
// with topics `outputs_topic` and `changelog_topic` (1 partition each).
// Returns 0, or 1 (after saying why on stderr) if a store or the producer
// failed.
int RunBarrierPhase(const BarrierFlags& flags, const std::string& dir,
                    const std::string& bootstrap,
                    const std::string& outputs_topic,
                    const std::string& changelog_topic);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_RESTORE_BARRIER_H_
