// Test double for the kafka::Consumer seam (CONVENTIONS.md #8): Poll()
// hands out batches the test scripted, in order, and can be made to fail.
//
// Thread-safe (the test scripts batches while a ConsumeLoop polls on its
// own thread).

#ifndef CASERELAY_TESTS_UNIT_COMMON_SERVICE_FAKE_CONSUMER_H_
#define CASERELAY_TESTS_UNIT_COMMON_SERVICE_FAKE_CONSUMER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/consumer.h"

namespace caserelay::service::testing {

class FakeConsumer : public kafka::Consumer {
 public:
  // kafka::Consumer. Poll() returns, in this order of precedence:
  // FAILED_PRECONDITION after Close(); the status queued by FailNextPoll()
  // (once); up to `max_messages` of the oldest scripted batch (the rest of
  // it stays for the next Poll); or, with nothing scripted, an empty batch
  // after min(timeout, 5 ms).
  absl::StatusOr<std::vector<kafka::Message>> Poll(
      int max_messages, absl::Duration timeout) override;
  std::vector<std::pair<std::string, int32_t>> Assignment() override;
  void Close() override;
  // The resets queued by AddReset, once.
  std::vector<kafka::PositionReset> TakeResets() override;
  std::string LogId() override;

  // Scripts the next batch (after those already scripted).
  void AddBatch(std::vector<kafka::Message> batch);
  // The next Poll() returns `status` (not OK) instead of records.
  void FailNextPoll(absl::Status status);
  void SetAssignment(std::vector<std::pair<std::string, int32_t>> assignment);
  // The next TakeResets() reports `reset` (after those already queued).
  void AddReset(kafka::PositionReset reset);
  void SetLogId(std::string log_id);

  int polls() const;
  // The max_messages of the last Poll(); 0 before any.
  int last_max_messages() const;
  // The timeout of the last Poll(); zero before any.
  absl::Duration last_timeout() const;
  bool closed() const;
  // Scripted batches not yet handed out.
  size_t batches_left() const;

 private:
  mutable absl::Mutex mu_;
  std::deque<std::vector<kafka::Message>> batches_ ABSL_GUARDED_BY(mu_);
  absl::Status next_failure_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, int32_t>> assignment_ ABSL_GUARDED_BY(mu_);
  int polls_ ABSL_GUARDED_BY(mu_) = 0;
  int last_max_messages_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration last_timeout_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<kafka::PositionReset> resets_ ABSL_GUARDED_BY(mu_);
  std::string log_id_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::service::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_SERVICE_FAKE_CONSUMER_H_
