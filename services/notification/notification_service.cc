#include "services/notification/notification_service.h"

#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"

namespace caserelay::notification {

NotificationServiceImpl::NotificationServiceImpl(const service::Context& context,
                                                 std::function<void()> on_queued)
    : context_(context), on_queued_(std::move(on_queued)) {}

grpc::Status NotificationServiceImpl::ListMessages(
    grpc::ServerContext*, const caserelay::v1::ListMessagesRequest* req,
    caserelay::v1::ListMessagesResponse* resp) {
  if (req->case_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "case_id: is required");
  }
  std::vector<std::string> ids;
  std::string prefix = req->case_id() + "/";
  absl::Status s = context_.store->ScanPrefix(
      kByCase, prefix, [&](std::string_view k, std::string_view) {
        ids.emplace_back(k.substr(prefix.size()));
        return true;
      });
  if (!s.ok()) return rpc::ToGrpc(s);
  for (const std::string& id : ids) {
    auto raw = context_.store->Get(kMessages, id);
    if (!raw.ok()) return rpc::ToGrpc(raw.status());
    caserelay::v1::SmsRecord record;
    if (!raw->has_value() || !record.ParseFromString(**raw)) {
      return grpc::Status(grpc::StatusCode::DATA_LOSS,
                          absl::StrCat("missing or corrupt message ", id));
    }
    *resp->add_messages() = record.message();
  }
  return grpc::Status::OK;
}

absl::Status NotificationServiceImpl::Apply(
    const caserelay::v1::Envelope& event, store::WriteBatch& batch) {
  if (!event.has_case_routed()) return absl::OkStatus();
  std::string id = absl::StrCat(event.event_id(), "/sms");
  auto known = batch.Get(kMessages, id);
  if (!known.ok()) return known.status();
  if (known->has_value()) return absl::OkStatus();

  caserelay::v1::SmsRecord record;
  auto* m = record.mutable_message();
  m->set_message_id(id);
  m->set_case_id(event.case_id());
  m->set_trigger("received");
  m->set_state(caserelay::v1::SMS_STATE_QUEUED);
  *m->mutable_updated_at() = rpc::ToProto(context_.clock->Now());
  *record.mutable_petitioner() = event.case_routed().petitioner();
  (*record.mutable_vars())["case_number"] = event.case_id();

  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat(id, "/queued"));
  out.set_case_id(event.case_id());
  out.set_producer("notification");
  *out.mutable_occurred_at() = m->updated_at();
  out.mutable_sms_queued()->set_message_id(id);
  out.mutable_sms_queued()->set_trigger(m->trigger());

  batch.Put(kMessages, id, record.SerializeAsString());
  batch.Put(kQueue, id, "");
  batch.Put(kByCase, absl::StrCat(event.case_id(), "/", id), "");
  batch.AddOutbox("notification-events", event.case_id(), out.SerializeAsString());
  queued_ = true;
  return absl::OkStatus();
}

void NotificationServiceImpl::Committed() {
  if (queued_) {
    queued_ = false;
    on_queued_();
  }
}

}  // namespace caserelay::notification
