// The admin routes of a service's input dead letters (死信, issue 22 item
// 5), behind `casectl dead-letters`:
//   GET /dead-letters                    one line per input dead letter
//   GET /dead-letters/replay?key=KEY     apply one again (its loop's next
//   GET /dead-letters/replay?all=1       round), or all of them
// The outbox's own dead letters (records Kafka never took) are at
// /outbox/dead-letters (common/store/outbox_dead_letters.h).
//
// Thread safety: the handlers are thread-safe (Store and
// ConsumeLoop::RequestReplay are).

#ifndef CASERELAY_COMMON_SERVICE_DEAD_LETTERS_H_
#define CASERELAY_COMMON_SERVICE_DEAD_LETTERS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/admin/http_message.h"
#include "common/service/consume_loop.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::service {

// "key<TAB>reason<TAB>bytes" lines under a header, in key order, for every
// dead letter that is not the outbox's: inputs ("<topic>/<partition>/
// <offset>", "held/<case>/<sequence>") and supervision's timers
// ("timer/..."). Never the record (it may hold a petition).
// UNAVAILABLE if the store cannot be read.
absl::StatusOr<std::string> FormatInputDeadLetters(const store::Store& store);

// The same for a service with partitioned state (issue 19): the dead
// letters of its local DB, then those of every partition it holds (the
// inputs' and timers' dead letters live in their partition's DB), each part
// in key order.
absl::StatusOr<std::string> FormatInputDeadLetters(
    const store::Store& local, const store::PartitionedStore& partitions);

// GET /dead-letters: 200 with FormatInputDeadLetters (of `partitions` too
// when not null), 503 on a store error.
admin::HttpResponse ListDeadLetters(
    const store::Store& store,
    const store::PartitionedStore* partitions = nullptr);

// GET /dead-letters/replay: queues the key of ?key= on the loop that reads
// its topic, or with ?all=1 every dead letter of every loop. 202 with how
// many were queued; 400 without key or all; 404 for a key no loop reads
// or not a dead letter; 503 on a store error.
admin::HttpResponse ReplayDeadLetters(
    const admin::HttpRequest& request,
    const std::vector<std::unique_ptr<ConsumeLoop>>& loops);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_DEAD_LETTERS_H_
