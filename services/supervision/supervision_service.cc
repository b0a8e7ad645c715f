#include "services/supervision/supervision_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/convert.h"
#include "common/store/store.h"
#include "common/time/china_time.h"

namespace caserelay::supervision {
namespace {

std::string TimerKey(absl::Time due, std::string_view deadline_id) {
  return absl::StrCat(store::EncodeUint64(static_cast<uint64_t>(
                          absl::ToUnixMicros(due))),
                      std::string(deadline_id));
}

}  // namespace

SupervisionServiceImpl::SupervisionServiceImpl(const service::Context& context,
                                               const time::Calendar* calendar,
                                               DeadlineRules rules)
    : context_(context), calendar_(calendar), rules_(rules) {}

grpc::Status SupervisionServiceImpl::ListDeadlines(
    grpc::ServerContext*, const caserelay::v1::ListDeadlinesRequest* req,
    caserelay::v1::ListDeadlinesResponse* resp) {
  if (req->case_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "case_id: is required");
  }
  bool corrupt = false;
  absl::Status s = context_.store->ScanPrefix(
      kDeadlines, req->case_id() + "/", [&](std::string_view, std::string_view v) {
        if (!resp->add_deadlines()->ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          corrupt = true;
        }
        return !corrupt;
      });
  if (!s.ok()) return rpc::ToGrpc(s);
  if (corrupt) return grpc::Status(grpc::StatusCode::DATA_LOSS, "corrupt deadline");
  return grpc::Status::OK;
}

absl::Status SupervisionServiceImpl::Apply(const caserelay::v1::Envelope& event,
                                           store::WriteBatch& batch) {
  if (!event.has_case_routed()) return absl::OkStatus();
  std::string id = absl::StrCat(event.case_id(), "/transfer");
  auto known = batch.Get(kDeadlines, id);
  if (!known.ok()) return known.status();
  if (known->has_value()) return absl::OkStatus();  // armed before

  absl::Time received = rpc::FromProto(event.case_routed().received_at());
  auto last_day =
      calendar_->AddCalendarDays(time::ChinaDay(received), rules_.transfer_days);
  if (!last_day.ok()) return last_day.status();
  absl::Time due = time::EndOf(*last_day);

  caserelay::v1::Deadline d;
  d.set_deadline_id(id);
  d.set_case_id(event.case_id());
  d.set_kind(caserelay::v1::DEADLINE_KIND_TRANSFER);
  d.set_office_code(event.case_routed().office_code());
  *d.mutable_started_at() = event.case_routed().received_at();
  *d.mutable_due_at() = rpc::ToProto(due);
  d.set_state(caserelay::v1::DEADLINE_STATE_ARMED);
  batch.Put(kDeadlines, id, d.SerializeAsString());
  batch.Put(kTimers, TimerKey(due, id), "");
  return absl::OkStatus();
}

absl::Status SupervisionServiceImpl::Tick(store::WriteBatch& batch) {
  absl::Time now = context_.clock->Now();
  std::string end = store::EncodeUint64(
      static_cast<uint64_t>(absl::ToUnixMicros(now)) + 1);
  std::vector<std::string> due_keys;
  absl::Status s = context_.store->Scan(
      kTimers, "", end, [&](std::string_view k, std::string_view) {
        due_keys.emplace_back(k);
        return static_cast<int>(due_keys.size()) < rules_.fire_batch;
      });
  if (!s.ok()) return s;
  for (const std::string& key : due_keys) {
    std::string id = key.substr(8);
    batch.Delete(kTimers, key);
    auto raw = batch.Get(kDeadlines, id);
    if (!raw.ok()) return raw.status();
    caserelay::v1::Deadline d;
    if (!raw->has_value() || !d.ParseFromString(**raw) ||
        d.state() != caserelay::v1::DEADLINE_STATE_ARMED) {
      continue;  // cancelled or already fired
    }
    d.set_state(caserelay::v1::DEADLINE_STATE_MISSED);
    batch.Put(kDeadlines, id, d.SerializeAsString());
    caserelay::v1::Envelope out;
    out.set_event_id(absl::StrCat("supervision/", id, "/missed"));
    out.set_case_id(d.case_id());
    out.set_producer("supervision");
    *out.mutable_occurred_at() = rpc::ToProto(now);
    auto* missed = out.mutable_deadline_missed();
    missed->set_deadline_id(id);
    missed->set_kind(d.kind());
    missed->set_office_code(d.office_code());
    *missed->mutable_due_at() = d.due_at();
    batch.AddOutbox("supervision-events", d.case_id(), out.SerializeAsString());
    log::Info("deadline missed", {{"deadline", id}, {"office", d.office_code()}});
  }
  return absl::OkStatus();
}

}  // namespace caserelay::supervision
