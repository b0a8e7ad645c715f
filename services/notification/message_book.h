// The MessageBook: every read-modify-write of an SMS record (短信记录) goes
// through it, so the sender's workers, the delivery-report receiver (admin
// HTTP threads) and ResolveMessage (gRPC threads) never overwrite each
// other's change. Each Update commits the record, its place on the queue
// and its events (notification-events, through the outbox) in one batch.
//
// Group commit (issue 20 item 2): Updates that arrive while another
// group is being committed wait, and the first of them then applies them
// all (up to group_max: itself and the oldest others), in arrival order,
// on one batch (each change reads the record as the changes before it in
// the group left it) and commits it once: one
// store write (one fsync with store.sync) for a window's worth of parts
// and their delivery reports instead of one each. Each Update still
// returns only once its change is committed (or failed), so a part is
// recorded SENDING before its gateway call exactly as before.
//
// The "queue" family orders unfinished messages by case, then by the
// per-case sequence of the event that queued them (QueueKey), so a case's
// messages go out in the order of its events.
//
// Several instances (issue 19 item 5; Context::partitions set): every
// family of a message lives in the partition DB of its case
// (kafka::PartitionOf(case id)), so a record is read and changed through
// a Db: a lease of that partition (its store and outbox publisher) held
// while the caller works on the message, so the partition is never
// released in the middle of it (PartitionedStore::Release waits for the
// lease). A group holding changes of several partitions commits one batch
// per partition, each through the lease its Update came with. Without
// partitions a Db is the one store and publisher.
//
// Thread safety: thread-safe; a Db is used by one thread at a time.

#ifndef CASERELAY_SERVICES_NOTIFICATION_MESSAGE_BOOK_H_
#define CASERELAY_SERVICES_NOTIFICATION_MESSAGE_BOOK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/records.pb.h"
#include "common/service/service_main.h"
#include "common/store/store.h"
#include "services/notification/message_rules.h"
#include "services/notification/partition_db.h"

namespace caserelay::notification {

class MessageBook {
 public:
  // `context` outlives the book; its store has ColumnFamilies().
  // `group_max` (sms.group_commit_max, >= 1): the most Updates committed
  // in one batch; 1 commits each on its own.
  explicit MessageBook(const service::Context& context, int group_max = 64)
      : context_(context), group_max_(group_max < 1 ? 1 : group_max) {}

  // The queue key of a message: case id, '\x1f', the 20-digit sequence,
  // '\x1f', message id.
  static std::string QueueKey(std::string_view case_id, uint64_t sequence,
                              std::string_view message_id);
  // The case id a queue key starts with.
  static std::string_view CaseOfQueueKey(std::string_view key);

  // Where the records of a case are read and written (partition_db.h).
  using Db = PartitionDb;

  // The Db of case `case_id`. Without partitions, the one store (OK).
  // With them: UNAVAILABLE "partition moving" when this instance does not
  // hold the case's partition (or is releasing it).
  absl::StatusOr<Db> OpenCase(std::string_view case_id) const;
  // The Db of message `id`'s case (message_case.h CaseOfMessageId).
  // Without partitions, the one store; with them, NOT_FOUND for an id that
  // names no case, else OpenCase's errors.
  absl::StatusOr<Db> OpenMessage(std::string_view id) const;

  // The record of `id` in `db`. NOT_FOUND if there is none; DATA_LOSS if
  // it does not parse.
  absl::StatusOr<caserelay::v1::SmsRecord> Load(const Db& db,
                                                const std::string& id) const;
  // Load in OpenMessage(id) (its errors too).
  absl::StatusOr<caserelay::v1::SmsRecord> Load(const std::string& id) const;

  using ChangeFn =
      std::function<absl::StatusOr<Change>(caserelay::v1::SmsRecord&)>;

  // Loads `id`, lets `change` modify it and commits, in one batch: the
  // record (when it changed), the queue entry (Change::enqueue/dequeue, by
  // record.queue_key) and Change::events. Returns the record as committed.
  // Errors: Load's; `change`'s (nothing of it written); INTERNAL if the
  // changed record would not parse back (nothing of it written); the
  // commit's (nothing of the group written). `change` may run on another
  // Update's thread (group commit), once, before this returns; it must
  // not call the book. REQUIRES: `db` holds the message's case.
  absl::StatusOr<caserelay::v1::SmsRecord> Update(const Db& db,
                                                  const std::string& id,
                                                  const ChangeFn& change);
  // Update in OpenMessage(id) (its errors too).
  absl::StatusOr<caserelay::v1::SmsRecord> Update(const std::string& id,
                                                  const ChangeFn& change);

  struct Queued {
    std::string key;
    std::string message_id;
  };
  // The unfinished messages in queue order (of every partition held, each
  // partition's in order, merged by key).
  absl::StatusOr<std::vector<Queued>> Queue() const;

 private:
  // An Update waiting for its group's commit.
  struct Pending {
    const Db* db;
    const std::string* id;
    const ChangeFn* change;
    absl::StatusOr<caserelay::v1::SmsRecord> result =
        absl::InternalError("not applied");
    bool done = false;  // guarded by mu_
  };

  // Applies one change on `batch` (reading through it) and adds its
  // writes to it, setting *wrote if there were any; nothing is added on
  // an error.
  // *sending: the record written has a part SENDING (its batch must be
  // confirmed before the caller acts on it: PartitionDb::Commit).
  absl::StatusOr<caserelay::v1::SmsRecord> ApplyTo(store::WriteBatch& batch,
                                                   const std::string& id,
                                                   const ChangeFn& change,
                                                   bool* wrote, bool* sending);
  // Applies `group` in order, one batch per Db store, and commits each;
  // sets each Pending::result.
  void CommitGroup(const std::vector<Pending*>& group);

  const service::Context context_;
  const size_t group_max_;
  absl::Mutex mu_;
  // Updates not yet taken into a group, in arrival order.
  std::vector<Pending*> waiting_ ABSL_GUARDED_BY(mu_);
  // True while a group is applied and committed (by the Update that took
  // it): Update serialised, as a whole group at a time.
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_MESSAGE_BOOK_H_
