#include "services/statistics/bulletins/bulletin_log.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/time/timestamp.h"

namespace caserelay::bulletins {

namespace v1 = caserelay::v1;

absl::StatusOr<std::unique_ptr<BulletinLog>> BulletinLog::Create(
    store::Store* store, BulletinStore* bulletins,
    store::OutboxPublisher* publisher,
    std::unique_ptr<kafka::PartitionReader> reader,
    BulletinLogOptions options) {
  if (store == nullptr || bulletins == nullptr || publisher == nullptr ||
      reader == nullptr) {
    return absl::InvalidArgumentError(
        "BulletinLog: the store, bulletins, publisher and reader are required");
  }
  return std::unique_ptr<BulletinLog>(new BulletinLog(
      store, bulletins, publisher, std::move(reader), options));
}

BulletinLog::~BulletinLog() { Stop(); }

void BulletinLog::Start() {
  thread_ = std::thread([this] {
    absl::Status last_error;
    while (true) {
      absl::Status followed = Follow();
      if (!followed.ok() && followed.ToString() != last_error.ToString()) {
        log::Warn("bulletins: statistics-bulletins not applied yet; retrying",
                  {{"error", std::string(followed.message())}});
      }
      last_error = followed;
      absl::MutexLock lock(&mu_);
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&woken),
                           followed.ok() ? options_.poll : absl::Seconds(1));
      if (stopping_) return;
      wake_ = false;
    }
  });
}

void BulletinLog::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::Time BulletinLog::CaughtUpAt() const {
  absl::MutexLock lock(&mu_);
  return caught_up_at_;
}

absl::Status BulletinLog::Follow() {
  const absl::Time asked = absl::Now();
  absl::StatusOr<kafka::Watermarks> marks =
      reader_->Offsets(kBulletinsTopic, 0, options_.stall_timeout);
  if (!marks.ok()) return marks.status();
  absl::StatusOr<std::optional<store::StoredPosition>> stored =
      store_->Position(kBulletinsTopic, 0);
  if (!stored.ok()) return stored.status();
  int64_t next = stored->has_value() ? (*stored)->next_offset : 0;
  if (next > marks->end) {
    // The log is shorter than what was applied of it: a new log (the
    // embedded broker started again). Its records are applied from its
    // start; those of the old log stay in the store.
    log::Warn("bulletins: statistics-bulletins is a new log; reading it from "
              "its start",
              {{"stored_offset", absl::StrCat(next)},
               {"end", absl::StrCat(marks->end)}});
    next = 0;
  }
  if (next < marks->end) {
    absl::Status read = reader_->Read(
        kBulletinsTopic, 0, next, marks->end,
        [this](const kafka::PartitionRecord& record) {
          return ApplyRecord(record);
        },
        options_.stall_timeout);
    if (!read.ok()) return read;
  }
  absl::MutexLock lock(&mu_);
  caught_up_at_ = asked;
  return absl::OkStatus();
}

absl::Status BulletinLog::ApplyRecord(const kafka::PartitionRecord& record) {
  store::WriteBatch batch(store_);
  v1::BulletinIssued issued;
  absl::Status staged;
  if (!record.value.has_value()) {
    staged = absl::InvalidArgumentError("a null value");
  } else if (!issued.ParseFromString(*record.value)) {
    staged = absl::InvalidArgumentError("not a BulletinIssued");
  } else {
    staged = bulletins_->Stage(
        issued.bulletin(), {issued.html(), issued.pdf(), issued.csv()},
        issued.bulletin().scheduled(), batch);
  }
  if (!staged.ok()) {
    switch (staged.code()) {
      case absl::StatusCode::kAlreadyExists:
      case absl::StatusCode::kFailedPrecondition:
      case absl::StatusCode::kInvalidArgument:
        // Another record came first, or one no instance can apply: the
        // same on every instance, which all pass it over.
        log::Info("bulletins: a statistics-bulletins record passed over",
                  {{"offset", absl::StrCat(record.offset)},
                   {"key", record.key},
                   {"reason", std::string(staged.message())}});
        break;
      default:
        return staged;  // the store: tried again on the next round
    }
  }
  batch.SetOffset(kBulletinsTopic, 0, record.offset + 1);
  return store_->Commit(batch).status();
}

absl::StatusOr<Issued> BulletinLog::Record(const v1::Bulletin& record,
                                           const Documents& documents) {
  v1::BulletinIssued issued;
  *issued.mutable_bulletin() = record;
  issued.set_html(documents.html);
  issued.set_pdf(documents.pdf);
  issued.set_csv(documents.csv);
  store::WriteBatch batch(store_);
  batch.AddOutbox(kBulletinsTopic, record.id(), issued.SerializeAsString());
  if (absl::Status published =
          publisher_->CommitAndWait(batch, options_.record_timeout);
      !published.ok()) {
    return published;
  }
  // Every record below an end asked from now on includes this one.
  const absl::Time confirmed = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    wake_ = true;
    auto applied = [this, confirmed]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return caught_up_at_ > confirmed || stopping_;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&applied),
                              options_.record_timeout) ||
        caught_up_at_ <= confirmed) {
      return absl::UnavailableError(absl::StrCat(
          "bulletin ", record.id(),
          " is on statistics-bulletins but this instance has not applied "
          "it yet; ask again"));
    }
  }
  absl::StatusOr<std::optional<v1::Bulletin>> found =
      bulletins_->Find(record.id());
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::AbortedError(absl::StrCat(
        "bulletin ", record.id(), ": another instance took number ",
        record.number(), " of its series first; issue it again"));
  }
  const bool ours = (*found)->number() == record.number() &&
                    (*found)->issued_at().seconds() ==
                        record.issued_at().seconds() &&
                    (*found)->issued_at().nanos() == record.issued_at().nanos();
  return Issued{**found, !ours};
}

}  // namespace caserelay::bulletins
