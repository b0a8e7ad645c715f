#include "services/statistics/bulletins/bulletin_store.h"

#include <cstdint>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;

std::string RecordKey(absl::string_view id) { return absl::StrCat("r/", id); }

absl::StatusOr<absl::string_view> FormatWord(v1::BulletinFormat format) {
  switch (format) {
    case v1::BULLETIN_FORMAT_UNSPECIFIED:
    case v1::BULLETIN_FORMAT_HTML:
      return "html";
    case v1::BULLETIN_FORMAT_PDF:
      return "pdf";
    case v1::BULLETIN_FORMAT_CSV:
      return "csv";
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("format: unknown BulletinFormat ", format));
  }
}

std::string DocumentKey(absl::string_view id, absl::string_view format) {
  return absl::StrCat("d/", id, "/", format);
}

std::string NumberKey(absl::string_view bureau, BulletinKind kind, int year) {
  return absl::StrCat("n/", bureau, "/", KindWord(kind), "/", year);
}

std::string ListPrefix(absl::string_view bureau) {
  return absl::StrCat("l/", bureau, "/");
}

// The store's count of saved bulletins: the order they were issued in.
constexpr char kSequenceKey[] = "q";

// Newest first: the save's sequence subtracted from the largest value,
// zero-padded so that keys sort like the numbers.
std::string ListKey(const v1::Bulletin& record, int64_t sequence) {
  return absl::StrFormat("%s%020d/%s", ListPrefix(record.bureau_code()),
                         std::numeric_limits<int64_t>::max() - sequence,
                         record.id());
}

std::string CursorKey(absl::string_view bureau, BulletinKind kind) {
  return absl::StrCat("s/", bureau, "/", KindWord(kind));
}

// The number after the series' last (`last`, its counter at `key`): 1 for
// a new series; DATA_LOSS for a counter that is not a number.
absl::StatusOr<int> NumberAfter(absl::string_view key,
                                const std::optional<std::string>& last) {
  if (!last.has_value()) return 1;
  int n = 0;
  if (!absl::SimpleAtoi(*last, &n) || n < 1) {
    return absl::DataLossError(
        absl::StrCat("bulletin counter ", key, " holds \"", *last, "\""));
  }
  return n + 1;
}

absl::StatusOr<std::optional<v1::Bulletin>> ParseRecord(
    absl::string_view key, const std::optional<std::string>& bytes) {
  if (!bytes.has_value()) return std::nullopt;
  v1::Bulletin record;
  if (!record.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("bulletin record ", key, " does not parse"));
  }
  return record;
}

}  // namespace

std::string BulletinId(absl::string_view bureau_code, BulletinKind kind,
                       absl::CivilDay first_day) {
  return absl::StrCat(bureau_code, "/", KindWord(kind), "/",
                      absl::FormatCivilTime(first_day));
}

v1::BulletinKind ToProto(BulletinKind kind) {
  switch (kind) {
    case BulletinKind::kDaily:
      return v1::BULLETIN_KIND_DAILY;
    case BulletinKind::kWeekly:
      return v1::BULLETIN_KIND_WEEKLY;
    case BulletinKind::kMonthly:
      return v1::BULLETIN_KIND_MONTHLY;
  }
  return v1::BULLETIN_KIND_UNSPECIFIED;
}

absl::StatusOr<BulletinKind> FromProto(v1::BulletinKind kind) {
  switch (kind) {
    case v1::BULLETIN_KIND_DAILY:
      return BulletinKind::kDaily;
    case v1::BULLETIN_KIND_WEEKLY:
      return BulletinKind::kWeekly;
    case v1::BULLETIN_KIND_MONTHLY:
      return BulletinKind::kMonthly;
    default:
      return absl::InvalidArgumentError(
          "kind: daily (每日信访), weekly (周通报) or monthly (月分析)");
  }
}

absl::StatusOr<std::optional<v1::Bulletin>> BulletinStore::Find(
    absl::string_view id) const {
  const std::string key = RecordKey(id);
  absl::StatusOr<std::optional<std::string>> bytes =
      store_->Get(kBulletinsFamily, key);
  if (!bytes.ok()) return bytes.status();
  return ParseRecord(key, *bytes);
}

absl::StatusOr<std::string> BulletinStore::Document(
    absl::string_view id, v1::BulletinFormat format) const {
  absl::StatusOr<absl::string_view> word = FormatWord(format);
  if (!word.ok()) return word.status();
  absl::StatusOr<std::optional<std::string>> bytes =
      store_->Get(kBulletinsFamily, DocumentKey(id, *word));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    return absl::NotFoundError(absl::StrCat("no bulletin ", id));
  }
  return **bytes;
}

absl::StatusOr<int> BulletinStore::NextNumber(absl::string_view bureau_code,
                                              BulletinKind kind,
                                              int year) const {
  const std::string key = NumberKey(bureau_code, kind, year);
  absl::StatusOr<std::optional<std::string>> bytes =
      store_->Get(kBulletinsFamily, key);
  if (!bytes.ok()) return bytes.status();
  return NumberAfter(key, *bytes);
}

absl::Status BulletinStore::Save(const v1::Bulletin& record,
                                 const Documents& documents,
                                 bool schedule_cursor) {
  absl::MutexLock lock(&save_mu_);
  store::WriteBatch batch(store_);
  if (absl::Status s = Stage(record, documents, schedule_cursor, batch);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<store::OutboxRecord>> committed =
      store_->Commit(batch);
  return committed.status();
}

absl::Status BulletinStore::Stage(const v1::Bulletin& record,
                                  const Documents& documents,
                                  bool schedule_cursor,
                                  store::WriteBatch& batch) const {
  absl::StatusOr<BulletinKind> kind = FromProto(record.kind());
  if (!kind.ok()) return kind.status();
  if (record.id().empty() || record.bureau_code().empty() ||
      record.year() <= 0 || record.number() <= 0 || !record.has_issued_at()) {
    return absl::InvalidArgumentError(
        "bulletin: id, bureau_code, year, number and issued_at are required");
  }
  if (documents.html.empty() || documents.pdf.empty() ||
      documents.csv.empty()) {
    return absl::InvalidArgumentError("bulletin: a document is empty");
  }
  absl::CivilDay first;
  if (schedule_cursor && !absl::ParseCivilTime(record.first_day(), &first)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bulletin: first_day \"", record.first_day(), "\""));
  }
  const std::string record_key = RecordKey(record.id());
  absl::StatusOr<std::optional<std::string>> existing =
      batch.Get(kBulletinsFamily, record_key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat("bulletin ", record.id(), " was issued before"));
  }
  const std::string number_key =
      NumberKey(record.bureau_code(), *kind, record.year());
  absl::StatusOr<std::optional<std::string>> last_number =
      batch.Get(kBulletinsFamily, number_key);
  if (!last_number.ok()) return last_number.status();
  absl::StatusOr<int> next = NumberAfter(number_key, *last_number);
  if (!next.ok()) return next.status();
  if (record.number() != *next) {
    return absl::FailedPreconditionError(
        absl::StrCat("bulletin ", record.id(), ": number ", record.number(),
                     " but the series ", record.year(), " is at ", *next));
  }
  absl::StatusOr<std::optional<std::string>> last_sequence =
      batch.Get(kBulletinsFamily, kSequenceKey);
  if (!last_sequence.ok()) return last_sequence.status();
  int64_t sequence = 0;
  if (last_sequence->has_value() &&
      !absl::SimpleAtoi(**last_sequence, &sequence)) {
    return absl::DataLossError(
        absl::StrCat("bulletin sequence holds \"", **last_sequence, "\""));
  }
  ++sequence;
  batch.Put(kBulletinsFamily, kSequenceKey, absl::StrCat(sequence));
  batch.Put(kBulletinsFamily, record_key, record.SerializeAsString());
  batch.Put(kBulletinsFamily, DocumentKey(record.id(), "html"), documents.html);
  batch.Put(kBulletinsFamily, DocumentKey(record.id(), "pdf"), documents.pdf);
  batch.Put(kBulletinsFamily, DocumentKey(record.id(), "csv"), documents.csv);
  batch.Put(kBulletinsFamily, number_key, absl::StrCat(record.number()));
  batch.Put(kBulletinsFamily, ListKey(record, sequence), "");
  if (schedule_cursor) {
    batch.Put(kBulletinsFamily, CursorKey(record.bureau_code(), *kind),
              absl::FormatCivilTime(first));
  }
  return absl::OkStatus();
}

absl::StatusOr<BulletinPage> BulletinStore::List(
    absl::string_view bureau_code, std::optional<BulletinKind> kind, int year,
    int page_size, absl::string_view page_token) const {
  const std::string prefix = ListPrefix(bureau_code);
  if (!page_token.empty() && !absl::StartsWith(page_token, prefix)) {
    return absl::InvalidArgumentError("page_token: not from this listing");
  }
  BulletinPage page;
  absl::Status failed;
  bool past_token = page_token.empty();
  std::string last_key;
  absl::Status scanned = store_->ScanPrefix(
      kBulletinsFamily, prefix, [&](std::string_view key, std::string_view) {
        const absl::string_view id = absl::string_view(key.data(), key.size())
                                         .substr(prefix.size() + 21);
        absl::StatusOr<std::optional<v1::Bulletin>> record = Find(id);
        if (!record.ok() || !record->has_value()) {
          failed = record.ok() ? absl::DataLossError(absl::StrCat(
                                     "bulletin listed but missing: ", id))
                               : record.status();
          return false;
        }
        const v1::Bulletin& bulletin = **record;
        if (kind.has_value() && bulletin.kind() != ToProto(*kind)) return true;
        if (year != 0 && bulletin.year() != year) return true;
        ++page.total;
        if (!past_token) {
          past_token = absl::string_view(key.data(), key.size()) == page_token;
          return true;
        }
        if (static_cast<int>(page.bulletins.size()) < page_size) {
          page.bulletins.push_back(bulletin);
          last_key = std::string(key);
        } else if (page.next_page_token.empty()) {
          page.next_page_token = last_key;
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!failed.ok()) return failed;
  return page;
}

absl::StatusOr<std::optional<absl::CivilDay>> BulletinStore::ScheduleCursor(
    absl::string_view bureau_code, BulletinKind kind) const {
  const std::string key = CursorKey(bureau_code, kind);
  absl::StatusOr<std::optional<std::string>> bytes =
      store_->Get(kBulletinsFamily, key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(**bytes, &day)) {
    return absl::DataLossError(absl::StrCat("bulletin schedule cursor ", key,
                                            " holds \"", **bytes, "\""));
  }
  return day;
}

absl::Status BulletinStore::SetScheduleCursor(absl::string_view bureau_code,
                                              BulletinKind kind,
                                              absl::CivilDay first_day) {
  store::WriteBatch batch(store_);
  batch.Put(kBulletinsFamily, CursorKey(bureau_code, kind),
            absl::FormatCivilTime(first_day));
  return store_->Commit(batch).status();
}

}  // namespace caserelay::bulletins
