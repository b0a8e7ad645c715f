#include "services/supervision/supervision_service.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/convert.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "services/supervision/deadline_mirror.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::ListDeadlinesResponse;

constexpr size_t kTimeBytes = 8;

std::string TimerKey(absl::Time due, std::string_view deadline_id) {
  return absl::StrCat(
      store::EncodeUint64(static_cast<uint64_t>(absl::ToUnixMicros(due))),
      std::string(deadline_id));
}

// The case's deadlines as stored (empty if none yet).
absl::StatusOr<ListDeadlinesResponse> LoadCase(const store::WriteBatch& batch,
                                               std::string_view case_id) {
  ListDeadlinesResponse record;
  auto raw = batch.Get(kDeadlines, case_id);
  if (!raw.ok()) return raw.status();
  if (raw->has_value() && !record.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat(
        "supervision: corrupt deadlines of case ", std::string(case_id)));
  }
  return record;
}

}  // namespace

SupervisionServiceImpl::SupervisionServiceImpl(const service::Context& context,
                                               TimerOptions options)
    : context_(context), options_(options) {}

grpc::Status SupervisionServiceImpl::ListDeadlines(
    grpc::ServerContext*, const caserelay::v1::ListDeadlinesRequest* req,
    caserelay::v1::ListDeadlinesResponse* resp) {
  if (req->case_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "case_id: is required");
  }
  auto raw = context_.store->Get(kDeadlines, req->case_id());
  if (!raw.ok()) return rpc::ToGrpc(raw.status());
  if (raw->has_value() && !resp->ParseFromString(**raw)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "corrupt deadlines");
  }
  return grpc::Status::OK;
}

absl::Status SupervisionServiceImpl::Apply(const caserelay::v1::Envelope& event,
                                           store::WriteBatch& batch) {
  if (!event.has_case_event()) return absl::OkStatus();
  const std::string& case_id = event.case_id();
  if (event.sequence() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), " has no sequence"));
  }
  if (absl::Status s = CheckListed(event.case_event().deadlines()); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), ": ", s.message()));
  }
  auto last = batch.Get(kSequences, case_id);
  if (!last.ok()) return last.status();
  if (last->has_value() && (*last)->size() == 8 &&
      event.sequence() <= store::DecodeUint64(**last)) {
    return absl::OkStatus();  // applied before
  }
  auto record = LoadCase(batch, case_id);
  if (!record.ok()) return record.status();

  TimerChanges changes =
      Mirror(case_id, event.case_event().deadlines(),
             time::FromProto(event.occurred_at()), record->mutable_deadlines());
  for (const Timer& t : changes.disarm)
    batch.Delete(kTimers, TimerKey(t.due, t.id));
  for (const Timer& t : changes.arm)
    batch.Put(kTimers, TimerKey(t.due, t.id), "");
  batch.Put(kDeadlines, case_id, record->SerializeAsString());
  batch.Put(kSequences, case_id, store::EncodeUint64(event.sequence()));
  return absl::OkStatus();
}

absl::Status SupervisionServiceImpl::Tick(store::WriteBatch& batch) {
  absl::Time now = context_.clock->Now();
  std::string end =
      store::EncodeUint64(static_cast<uint64_t>(absl::ToUnixMicros(now)) + 1);
  std::vector<std::string> due_keys;
  absl::Status s = context_.store->Scan(
      kTimers, "", end, [&](std::string_view k, std::string_view) {
        due_keys.emplace_back(k);
        return static_cast<int>(due_keys.size()) < options_.fire_batch;
      });
  if (!s.ok()) return s;
  for (const std::string& key : due_keys) {
    batch.Delete(kTimers, key);
    if (key.size() <= kTimeBytes) continue;
    std::string id = key.substr(kTimeBytes);
    std::string case_id(CaseOfDeadline(id));
    auto record = LoadCase(batch, case_id);
    if (!record.ok()) return record.status();
    caserelay::v1::Deadline* d = nullptr;
    for (caserelay::v1::Deadline& k : *record->mutable_deadlines()) {
      if (k.deadline_id() == id) d = &k;
    }
    // Only an armed deadline that is really due fires: a paused, done,
    // missed or moved one left this timer behind.
    if (d == nullptr || d->state() != caserelay::v1::DEADLINE_STATE_ARMED ||
        time::FromProto(d->due_at()) > now) {
      continue;
    }
    d->set_state(caserelay::v1::DEADLINE_STATE_MISSED);
    batch.Put(kDeadlines, case_id, record->SerializeAsString());
    caserelay::v1::Envelope out;
    out.set_event_id(absl::StrCat("supervision/", id, "/missed"));
    out.set_case_id(case_id);
    out.set_producer("supervision");
    *out.mutable_occurred_at() = time::ToProto(now);
    auto* missed = out.mutable_deadline_missed();
    missed->set_deadline_id(id);
    missed->set_kind(d->kind());
    missed->set_office_code(d->office_code());
    *missed->mutable_due_at() = d->due_at();
    batch.AddOutbox("supervision-events", case_id, out.SerializeAsString());
    log::Info("deadline missed",
              {{"deadline", id}, {"office", d->office_code()}});
  }
  return absl::OkStatus();
}

}  // namespace caserelay::supervision
