#include "services/notification/message_book.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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

absl::StatusOr<SmsRecord> MessageBook::Load(const std::string& id) const {
  auto raw = context_.store->Get(kMessages, id);
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

absl::StatusOr<SmsRecord> MessageBook::Update(
    const std::string& id,
    const std::function<absl::StatusOr<Change>(SmsRecord&)>& change) {
  absl::MutexLock lock(&mu_);
  auto record = Load(id);
  if (!record.ok()) return record.status();
  std::string before = record->SerializeAsString();
  auto c = change(*record);
  if (!c.ok()) return c.status();
  std::string after = record->SerializeAsString();
  if (after != before) {
    // Never write what Load could not read back (a proto3 string with
    // bytes that are not UTF-8): the record would be lost for good.
    SmsRecord check;
    if (!check.ParseFromString(after)) {
      return absl::InternalError(absl::StrCat(
          "message ", id, ": the change would not read back; not written"));
    }
  }
  store::WriteBatch batch(context_.store);
  if (after != before) batch.Put(kMessages, id, after);
  if (!record->queue_key().empty()) {
    if (c->dequeue) batch.Delete(kQueue, record->queue_key());
    if (c->enqueue) batch.Put(kQueue, record->queue_key(), id);
  }
  for (const caserelay::v1::Envelope& e : c->events) {
    batch.AddOutbox("notification-events", e.case_id(), e.SerializeAsString());
  }
  if (batch.empty()) return record;
  if (absl::Status s = context_.publisher->Commit(batch); !s.ok()) return s;
  return record;
}

absl::StatusOr<std::vector<MessageBook::Queued>> MessageBook::Queue() const {
  std::vector<Queued> queued;
  absl::Status s = context_.store->Scan(
      kQueue, "", "", [&](std::string_view k, std::string_view v) {
        queued.push_back(Queued{std::string(k), std::string(v)});
        return true;
      });
  if (!s.ok()) return s;
  return queued;
}

}  // namespace caserelay::notification
