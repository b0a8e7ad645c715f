#include "services/notification/message_book.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/notification/message_case.h"
#include "services/notification/notification_service.h"

namespace caserelay::notification {

using caserelay::v1::SmsRecord;

std::string MessageBook::QueueKey(std::string_view case_id, uint64_t sequence,
                                  std::string_view message_id) {
  return absl::StrCat(std::string(case_id), "\x1f",
                      absl::StrFormat("%020u", sequence), "\x1f",
                      std::string(message_id));
}

std::string_view MessageBook::CaseOfQueueKey(std::string_view key) {
  return key.substr(0, key.find('\x1f'));
}

namespace {

// The record stored under `id`, as read: NOT_FOUND without one, DATA_LOSS
// for one that does not parse.
absl::StatusOr<SmsRecord> ParseStored(
    const std::string& id,
    const absl::StatusOr<std::optional<std::string>>& raw) {
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) {
    return absl::NotFoundError(absl::StrCat("no message ", id));
  }
  SmsRecord record;
  if (!record.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat("corrupt message ", id));
  }
  return record;
}

}  // namespace

absl::StatusOr<MessageBook::Db> MessageBook::OpenCase(
    std::string_view case_id) const {
  return PartitionDb::Open(context_, case_id);
}

absl::StatusOr<MessageBook::Db> MessageBook::OpenMessage(
    std::string_view id) const {
  if (context_.partitions == nullptr) return OpenCase("");
  std::optional<std::string> case_id = CaseOfMessageId(id);
  if (!case_id.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no message ", std::string(id), " (its id names no case)"));
  }
  return OpenCase(*case_id);
}

absl::StatusOr<SmsRecord> MessageBook::Load(const Db& db,
                                            const std::string& id) const {
  return ParseStored(id, db.store().Get(kMessages, id));
}

absl::StatusOr<SmsRecord> MessageBook::Load(const std::string& id) const {
  absl::StatusOr<Db> db = OpenMessage(id);
  if (!db.ok()) return db.status();
  return Load(*db, id);
}

absl::StatusOr<SmsRecord> MessageBook::Update(const std::string& id,
                                              const ChangeFn& change) {
  absl::StatusOr<Db> db = OpenMessage(id);
  if (!db.ok()) return db.status();
  return Update(*db, id, change);
}

absl::StatusOr<SmsRecord> MessageBook::Update(const Db& db,
                                              const std::string& id,
                                              const ChangeFn& change) {
  Pending self{&db, &id, &change};
  std::vector<Pending*> group;
  {
    absl::MutexLock lock(&mu_);
    waiting_.push_back(&self);
    auto turn = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return self.done || !committing_;
    };
    mu_.Await(absl::Condition(&turn));
    if (self.done) return std::move(self.result);
    // This Update leads: it takes itself and the oldest others waiting,
    // up to group_max_ in all, in arrival order. The rest wait for the
    // next group.
    committing_ = true;
    size_t others = 0;
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (*it != &self && others + 1 >= group_max_) {
        ++it;
        continue;
      }
      if (*it != &self) ++others;
      group.push_back(*it);
      it = waiting_.erase(it);
    }
  }
  CommitGroup(group);
  absl::MutexLock lock(&mu_);
  for (Pending* p : group) p->done = true;  // followers may return now
  committing_ = false;
  return std::move(self.result);
}

void MessageBook::CommitGroup(const std::vector<Pending*>& group) {
  // One batch per store (per partition), in the order of first arrival;
  // each store's changes in arrival order.
  std::vector<std::vector<Pending*>> by_store;
  for (Pending* p : group) {
    auto same = std::find_if(by_store.begin(), by_store.end(),
                             [p](const std::vector<Pending*>& g) {
                               return &g.front()->db->store() ==
                                      &p->db->store();
                             });
    if (same == by_store.end()) {
      by_store.push_back({p});
    } else {
      same->push_back(p);
    }
  }
  for (const std::vector<Pending*>& pendings : by_store) {
    const Db& db = *pendings.front()->db;
    store::WriteBatch batch(&db.store());
    std::vector<Pending*> written;
    bool sending = false;
    for (Pending* p : pendings) {
      bool wrote = false;
      p->result = ApplyTo(batch, *p->id, *p->change, &wrote, &sending);
      if (wrote) written.push_back(p);
    }
    if (batch.empty()) continue;
    // Only a part recorded SENDING must be in the changelog before the
    // gateway call; a lost answer is reconciled from it.
    absl::Status s = db.Commit(batch, /*confirm=*/sending);
    if (s.ok()) continue;
    for (Pending* p : written) p->result = s;
  }
}

absl::StatusOr<SmsRecord> MessageBook::ApplyTo(store::WriteBatch& batch,
                                               const std::string& id,
                                               const ChangeFn& change,
                                               bool* wrote, bool* sending) {
  auto stored = ParseStored(id, batch.Get(kMessages, id));
  if (!stored.ok()) return stored.status();
  SmsRecord record = *std::move(stored);
  const std::string before = record.SerializeAsString();
  auto c = change(record);
  if (!c.ok()) return c.status();
  std::string after = record.SerializeAsString();
  const bool changed = after != before;
  if (changed) {
    // Never write what Load could not read back (a proto3 string with
    // bytes that are not UTF-8): the record would be lost for good.
    SmsRecord check;
    if (!check.ParseFromString(after)) {
      return absl::InternalError(absl::StrCat(
          "message ", id, ": the change would not read back; not written"));
    }
    batch.Put(kMessages, id, after);
    for (const auto& p : record.message().part_states()) {
      *sending |= p.state() == caserelay::v1::SMS_PART_STATE_SENDING;
    }
  }
  const bool queue = !record.queue_key().empty() && (c->dequeue || c->enqueue);
  if (queue) {
    if (c->dequeue) batch.Delete(kQueue, record.queue_key());
    if (c->enqueue) batch.Put(kQueue, record.queue_key(), id);
  }
  for (const caserelay::v1::Envelope& e : c->events) {
    batch.AddOutbox("notification-events", e.case_id(), e.SerializeAsString());
  }
  *wrote = changed || queue || !c->events.empty();
  return record;
}

absl::StatusOr<std::vector<MessageBook::Queued>> MessageBook::Queue() const {
  std::vector<Queued> queued;
  auto visit = [&](std::string_view k, std::string_view v) {
    queued.push_back(Queued{std::string(k), std::string(v)});
    return true;
  };
  absl::Status s =
      context_.partitions == nullptr
          ? context_.store->Scan(kQueue, "", "", visit)
          : context_.partitions->Scan(kQueue, "", "", visit);
  if (!s.ok()) return s;
  return queued;
}

}  // namespace caserelay::notification
