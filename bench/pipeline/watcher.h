// Sees cases (信访事项) become routed, and when: either from routing's
// REGISTER CaseEvent on "case-events" or by polling routing's GetCase until
// it shows the case REGISTERED. With kEvents it also sees the rest of the
// pipeline (issue 20 item 1, "end to end"): the receipt SMS queued
// (notification's first SmsQueued of the case on "notification-events")
// and the deadlines armed (supervision has applied and committed the
// REGISTER event: its caserelay_loop_input_next_offset for the event's
// partition of case-events is past the event's offset, read from its
// /metrics every metrics_interval).
#ifndef CASERELAY_BENCH_PIPELINE_WATCHER_H_
#define CASERELAY_BENCH_PIPELINE_WATCHER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/pipeline/flags.h"
#include "bench/pipeline/stats.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/kafka/consumer.h"

namespace caserelay::bench {

struct WatcherOptions {
  Detect detect = Detect::kEvents;
  // kEvents: the system's Kafka bootstrap list.
  std::string bootstrap;
  // kPoll: routing's gRPC address, the file holding the bearer token of an
  // office that may read every case (the harness's province bureau), and
  // the pause between sweeps.
  std::string routing_address;
  std::string routing_token_file;
  absl::Duration poll_interval = absl::Milliseconds(5);
  // kEvents, end to end: supervision's /metrics text (empty: deadlines
  // are not watched), how often it is read, and whether notification's
  // SmsQueued is watched.
  std::function<absl::StatusOr<std::string>()> supervision_metrics;
  absl::Duration metrics_interval = absl::Milliseconds(5);
  bool watch_sms = false;
};

// supervision's applied offsets of case-events from its /metrics text (of
// one instance, or several concatenated): partition -> the next offset to
// apply (every record below it is applied and committed), the furthest
// where several instances show a partition.
std::map<int32_t, int64_t> AppliedCaseEventOffsets(const std::string& metrics);

// The stages a case is seen reaching.
enum class Stage { kRouted, kDone };

// Records, per case number, the first time this process saw it routed:
// routing decided the new petition and registered it (登记) at a bureau,
// REGISTERED (DOMAIN.md "Routing"; no office acts on the bench's cases, so
// they stay so).
// A background thread does the watching from Create() until destruction.
//
// Thread-safe: every public method may be called from any thread.
class RoutedWatcher {
 public:
  // Starts watching. kEvents reads case-events from its beginning in a
  // consumer group of its own; kPoll polls only cases passed to Track().
  // Returns INVALID_ARGUMENT if the address for the mode is empty, or the
  // consumer's or the office channel's creation error.
  static absl::StatusOr<std::unique_ptr<RoutedWatcher>> Create(
      const WatcherOptions& options);
  ~RoutedWatcher();  // stops and joins the thread

  // Adds a submitted case to poll for (kPoll); kEvents needs no tracking
  // and ignores it.
  void Track(const std::string& case_number);

  // When `case_number` was first seen routed, or nullopt if not yet.
  std::optional<SteadyTime> RoutedAt(const std::string& case_number);
  // When `case_number` was seen through every watched stage (routed,
  // deadlines armed, receipt SMS queued): the latest of them; nullopt
  // until all are seen. Equal to RoutedAt when nothing else is watched.
  std::optional<SteadyTime> DoneAt(const std::string& case_number);

  // Waits until every case of `cases` has been seen at `stage`. Returns OK
  // then; DEADLINE_EXCEEDED with the counts seen if `timeout` passes first;
  // the watching threads' error (e.g. a failed Kafka poll) if one stopped.
  absl::Status WaitForAll(const std::vector<std::string>& cases,
                          absl::Duration timeout, Stage stage = Stage::kRouted);

  // kPoll: the longest sweep over the outstanding cases so far, which
  // bounds the resolution of RoutedAt() together with the poll interval.
  // Zero for kEvents.
  absl::Duration LongestSweep();

 private:
  explicit RoutedWatcher(const WatcherOptions& options) : options_(options) {}
  void ConsumeEvents();
  void PollRouting();
  void PollSupervision();
  void Record(const std::string& case_number, SteadyTime at);
  std::optional<SteadyTime> DoneAtLocked(const std::string& case_number)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Const after construction.
  const WatcherOptions options_;
  std::unique_ptr<kafka::Consumer> consumer_;  // kEvents; used by thread_
  std::unique_ptr<caserelay::v1::RoutingService::Stub> routing_;  // kPoll

  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::thread metrics_thread_;  // PollSupervision, if watched

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, SteadyTime> routed_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SteadyTime> armed_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SteadyTime> sms_ ABSL_GUARDED_BY(mu_);
  // REGISTER events supervision has not applied yet, per partition of
  // case-events, in offset order: (offset, case).
  std::map<int32_t, std::deque<std::pair<int64_t, std::string>>> unarmed_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::string> inbox_ ABSL_GUARDED_BY(mu_);  // kPoll: to track
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  absl::Duration longest_sweep_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_WATCHER_H_
