#include "services/intake/receptions.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/reception/reception.h"

namespace caserelay::intake {
namespace {

namespace v1 = caserelay::v1;

std::string RecordKey(absl::string_view id) { return absl::StrCat("r/", id); }

std::string DayKey(absl::string_view day, absl::string_view id) {
  return absl::StrCat("d/", day, "/", id);
}

std::string RequestKeyOf(absl::string_view caller,
                         const v1::PublishReceptionRequest& req) {
  return absl::StrCat("q/", caller, "\x1f", req.request_id());
}

// The request without its id, serialised deterministically: what a retry
// must repeat.
std::string Canonical(v1::PublishReceptionRequest req) {
  req.clear_request_id();
  std::string out;
  req.SerializePartialToString(&out);
  return out;
}

absl::StatusOr<v1::Reception> Parse(absl::string_view id,
                                    const std::string& raw) {
  v1::Reception reception;
  if (!reception.ParseFromString(raw)) {
    return absl::DataLossError(
        absl::StrCat("intake: corrupt reception ", std::string(id)));
  }
  return reception;
}

}  // namespace

absl::StatusOr<std::optional<v1::Reception>> LoadReception(
    store::WriteBatch& batch, absl::string_view id) {
  auto raw = batch.Get(kReceptions, RecordKey(id));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  auto reception = Parse(id, **raw);
  if (!reception.ok()) return reception.status();
  return *std::move(reception);
}

absl::StatusOr<std::optional<v1::Reception>> FindPublished(
    store::WriteBatch& batch, absl::string_view caller,
    const v1::PublishReceptionRequest& req) {
  if (req.request_id().empty()) return std::nullopt;
  auto raw = batch.Get(kReceptions, RequestKeyOf(caller, req));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  v1::PublishReceptionRequest earlier;
  if (!earlier.ParseFromString(**raw)) {
    return absl::DataLossError("intake: corrupt reception request");
  }
  // The stored request carries the reception's id in request_id.
  const std::string id = earlier.request_id();
  if (Canonical(earlier) != Canonical(req)) {
    return absl::AlreadyExistsError(
        "request_id: 这个请求编号已用于另一项接访安排");
  }
  return LoadReception(batch, id);
}

absl::StatusOr<v1::Reception> AddReception(
    store::WriteBatch& batch, absl::string_view caller,
    const v1::PublishReceptionRequest& req, absl::string_view office_code,
    absl::string_view office_name, absl::Time now) {
  const absl::CivilDay today = time::ChinaDay(now);
  const std::string seq_key = absl::StrFormat(
      "n/%04d%02d%02d", today.year(), today.month(), today.day());
  auto counter = batch.Get(kReceptions, seq_key);
  if (!counter.ok()) return counter.status();
  const uint64_t seq =
      counter->has_value() ? store::DecodeUint64(**counter) : 1;

  v1::Reception reception;
  reception.set_reception_id(reception::ReceptionId(today, seq));
  reception.set_office_code(std::string(office_code));
  reception.set_office_name(std::string(office_name));
  reception.set_leader_name(req.leader_name());
  reception.set_leader_title(req.leader_title());
  reception.set_kind(req.kind());
  reception.set_day(req.day());
  reception.set_place(req.place());
  reception.set_topic(req.topic());
  *reception.mutable_published_at() = time::ToProto(now);

  batch.Put(kReceptions, seq_key, store::EncodeUint64(seq + 1));
  PutReception(batch, reception);
  batch.Put(kReceptions, DayKey(reception.day(), reception.reception_id()),
            "");
  if (!req.request_id().empty()) {
    v1::PublishReceptionRequest remembered = req;
    remembered.set_request_id(reception.reception_id());
    batch.Put(kReceptions, RequestKeyOf(caller, req),
              remembered.SerializeAsString());
  }
  return reception;
}

void PutReception(store::WriteBatch& batch, const v1::Reception& reception) {
  batch.Put(kReceptions, RecordKey(reception.reception_id()),
            reception.SerializeAsString());
}

absl::Status ScanReceptions(
    const store::Store& store, absl::CivilDay from,
    std::optional<absl::CivilDay> to,
    const std::function<bool(const v1::Reception&)>& visit) {
  const std::string begin = absl::StrCat("d/", reception::FormatDay(from));
  // "d/" + the day after `to`: every key of `to` sorts before it.
  const std::string end =
      to.has_value() ? absl::StrCat("d/", reception::FormatDay(*to + 1))
                     : std::string("d0");  // '0' follows '/'
  absl::Status failure;
  absl::Status scanned = store.Scan(
      kReceptions, begin, end, [&](std::string_view key, std::string_view) {
        const size_t slash = key.rfind('/');
        const absl::string_view id(key.substr(slash + 1).data(),
                                   key.size() - slash - 1);
        auto raw = store.Get(kReceptions, RecordKey(id));
        if (!raw.ok() || !raw->has_value()) {
          failure = raw.ok() ? absl::DataLossError(absl::StrCat(
                                   "intake: reception ", id, " indexed, absent"))
                             : raw.status();
          return false;
        }
        auto reception = Parse(id, **raw);
        if (!reception.ok()) {
          failure = reception.status();
          return false;
        }
        return visit(*reception);
      });
  if (!scanned.ok()) return scanned;
  return failure;
}

}  // namespace caserelay::intake
