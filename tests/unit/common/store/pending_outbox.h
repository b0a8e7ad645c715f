// Test helpers: what a store's outbox holds pending, read once and checked
// (a failed read is a test failure and reads as empty).

#ifndef CASERELAY_TESTS_UNIT_COMMON_STORE_PENDING_OUTBOX_H_
#define CASERELAY_TESTS_UNIT_COMMON_STORE_PENDING_OUTBOX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/store/store.h"
#include "gtest/gtest.h"

namespace caserelay::store::testing {

// Every pending outbox record, in seq order.
inline std::vector<OutboxRecord> PendingRecords(const Store& store) {
  auto pending = store.PendingOutbox();
  EXPECT_TRUE(pending.ok()) << pending.status();
  return pending.ok() ? *std::move(pending) : std::vector<OutboxRecord>{};
}

// Their values, in seq order.
inline std::vector<std::string> PendingValues(const Store& store) {
  std::vector<std::string> values;
  for (const OutboxRecord& r : PendingRecords(store)) values.push_back(r.value);
  return values;
}

// Their seqs, in order.
inline std::vector<uint64_t> PendingSeqs(const Store& store) {
  std::vector<uint64_t> seqs;
  for (const OutboxRecord& r : PendingRecords(store)) seqs.push_back(r.seq);
  return seqs;
}

// The seq of the pending record holding `value`; a test failure and 0 if
// none does.
inline uint64_t PendingSeqOf(const Store& store, const std::string& value) {
  for (const OutboxRecord& r : PendingRecords(store)) {
    if (r.value == value) return r.seq;
  }
  ADD_FAILURE() << "no pending record " << value;
  return 0;
}

}  // namespace caserelay::store::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_STORE_PENDING_OUTBOX_H_
