// The MessageBook: every read-modify-write of an SMS record (短信记录) goes
// through it, so the sender thread, the delivery-report receiver (admin
// HTTP threads) and ResolveMessage (gRPC threads) never overwrite each
// other's change. Each Update commits the record, its place on the queue
// and its events (notification-events, through the outbox) in one batch.
//
// The "queue" family orders unfinished messages by case, then by the
// per-case sequence of the event that queued them (QueueKey), so a case's
// messages go out in the order of its events.
//
// Thread safety: thread-safe.

#ifndef CASERELAY_SERVICES_NOTIFICATION_MESSAGE_BOOK_H_
#define CASERELAY_SERVICES_NOTIFICATION_MESSAGE_BOOK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/records.pb.h"
#include "common/service/service_main.h"
#include "services/notification/message_rules.h"

namespace caserelay::notification {

class MessageBook {
 public:
  // `context` outlives the book; its store has ColumnFamilies().
  explicit MessageBook(const service::Context& context) : context_(context) {}

  // The queue key of a message: case id, '\x1f', the 20-digit sequence,
  // '\x1f', message id.
  static std::string QueueKey(std::string_view case_id, uint64_t sequence,
                              std::string_view message_id);
  // The case id a queue key starts with.
  static std::string_view CaseOfQueueKey(std::string_view key);

  // The record of `id`. NOT_FOUND if there is none; DATA_LOSS if it does
  // not parse.
  absl::StatusOr<caserelay::v1::SmsRecord> Load(const std::string& id) const;

  // Loads `id`, lets `change` modify it and commits, in one batch: the
  // record (when it changed), the queue entry (Change::enqueue/dequeue, by
  // record.queue_key) and Change::events. Returns the record as committed.
  // Errors: Load's; `change`'s (nothing written); INTERNAL if the changed
  // record would not parse back (nothing written); the commit's.
  absl::StatusOr<caserelay::v1::SmsRecord> Update(
      const std::string& id,
      const std::function<absl::StatusOr<Change>(caserelay::v1::SmsRecord&)>&
          change);

  struct Queued {
    std::string key;
    std::string message_id;
  };
  // The unfinished messages in queue order.
  absl::StatusOr<std::vector<Queued>> Queue() const;

 private:
  const service::Context context_;
  absl::Mutex mu_;  // serialises Update
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_MESSAGE_BOOK_H_
