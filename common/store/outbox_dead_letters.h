// Outbox records that Kafka will never accept (too large, an invalid
// record), kept for operators instead of blocking every later record
// (issue 22 item 1, issue 14 item 6).
//
// They live in the store's "dead-letters" family beside the input dead
// letters of the consume loops, under the key prefix "outbox/" followed by
// the record's outbox sequence in 20 decimal digits (so they list in commit
// order; topic names cannot contain '/', so no input key starts so). Each
// keeps the record as it was committed (topic, key, value), the reason in
// English and when it was set aside, so an operator can see it, fix the
// cause and publish it again by hand.
//
// Thread safety: the functions are as thread-safe as the Store.

#ifndef CASERELAY_COMMON_STORE_OUTBOX_DEAD_LETTERS_H_
#define CASERELAY_COMMON_STORE_OUTBOX_DEAD_LETTERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/store.h"

namespace caserelay::store {

// The key prefix of outbox dead letters in the "dead-letters" family.
inline constexpr char kOutboxDeadLetterPrefix[] = "outbox/";

struct OutboxDeadLetter {
  OutboxRecord record;  // as committed, with its outbox sequence
  std::string reason;   // one line, English
  absl::Time at;        // when it was set aside
};

// Moves `letter.record` out of the outbox into the dead letters: first the
// dead letter is written (synced), then the outbox record is deleted, so a
// crash in between leaves the record in both places and the next start
// dead-letters it again under the same key. On error (UNAVAILABLE) the
// record may still be in the outbox.
absl::Status MoveToOutboxDeadLetters(Store& store,
                                     const OutboxDeadLetter& letter);

// Every outbox dead letter, oldest sequence first. DATA_LOSS if one cannot
// be decoded; UNAVAILABLE if the store fails.
absl::StatusOr<std::vector<OutboxDeadLetter>> ListOutboxDeadLetters(
    const Store& store);

// One line per letter for operators: "seq topic key bytes at reason",
// tab-separated, with a header line. Never the record's value (it holds a
// petition).
std::string FormatOutboxDeadLetters(
    const std::vector<OutboxDeadLetter>& letters);

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_OUTBOX_DEAD_LETTERS_H_
