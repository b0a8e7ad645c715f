// Events held back because their case has a sequence gap (issue 22 item 5).
//
// case-events carry a per-case sequence (1, 2, 3, ...). A consumer that
// sees event n+2 of a case before n+1 (a dead-lettered or lost event, a
// log that lost a record) must not apply it out of order: its handler
// answers SequenceGapError, and the consume loop holds the event here —
// written in the loop's batch, so it is as durable as the offset that
// moved past it — and offers it again, in sequence order, each time an
// event of that case has been applied.
//
// Stored in the "meta" family under "held/<loop>/<case id> NUL
// <sequence, 8 bytes big-endian>", value the record as consumed.
//
// Thread safety: not thread-safe; used by one consume loop's thread.

#ifndef CASERELAY_COMMON_SERVICE_HELD_EVENTS_H_
#define CASERELAY_COMMON_SERVICE_HELD_EVENTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/store.h"

namespace caserelay::service {

// The status an EventHandler::Apply returns for event `got` of a case whose
// last applied event is `applied` (got > applied + 1): FAILED_PRECONDITION
// with a payload the loop recognises (IsSequenceGap).
absl::Status SequenceGapError(std::string_view case_id, uint64_t applied,
                              uint64_t got);
bool IsSequenceGap(const absl::Status& status);

class HeldEvents {
 public:
  // Loads what `loop` held before (a restart). UNAVAILABLE if the store
  // cannot be read.
  static absl::StatusOr<std::unique_ptr<HeldEvents>> Load(
      const store::Store& store, std::string loop);

  // Holds `record` (event `sequence` of `case_id`) in `batch`, since `now`.
  void Hold(store::WriteBatch& batch, const std::string& case_id,
            uint64_t sequence, std::string record, absl::Time now);

  // The held events of `case_id`, lowest sequence first.
  std::vector<std::pair<uint64_t, std::string>> Of(
      const std::string& case_id) const;

  // Drops event `sequence` of `case_id` (applied or dead-lettered) in
  // `batch`.
  void Release(store::WriteBatch& batch, const std::string& case_id,
               uint64_t sequence);

  // How many events are held, and the cases held since before `before`.
  size_t size() const;
  std::vector<std::string> CasesHeldSince(absl::Time before) const;

 private:
  explicit HeldEvents(std::string loop) : loop_(std::move(loop)) {}
  std::string Key(std::string_view case_id, uint64_t sequence) const;

  const std::string loop_;
  struct Case {
    absl::Time since;
    std::map<uint64_t, std::string> events;
  };
  std::map<std::string, Case> cases_;
};

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_HELD_EVENTS_H_
