#include "services/notification/notification_service.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/service/held_events.h"
#include "common/service/owner_forward.h"
#include "common/service/payload.h"
#include "common/time/timestamp.h"
#include "domain/access/case_access.h"
#include "domain/access/case_parties.h"
#include "domain/access/roles.h"
#include "domain/petition/group_petition.h"
#include "services/notification/message_case.h"

namespace caserelay::notification {

NotificationServiceImpl::NotificationServiceImpl(
    const service::Context& context, MessageBook* book,
    std::string gateway_name, std::function<void()> on_queued, SmsTexts texts,
    const offices::OfficeDirectory* offices, PhoneCodeBook* phone_codes)
    : context_(context),
      book_(book),
      gateway_name_(std::move(gateway_name)),
      on_queued_(std::move(on_queued)),
      texts_(std::move(texts)),
      offices_(offices),
      phone_codes_(phone_codes) {}

namespace {

// Per-case calls of a partitioned notification reach the owner of the
// partition of their key (a case id, or a phone's hash; issue 19 item 5):
// common/service/owner_forward.h for notification's stub.
template <typename Request, typename Response>
std::optional<grpc::Status> ForwardToOwner(
    const service::Context& context, grpc::ServerContext* ctx,
    std::string_view key,
    grpc::Status (caserelay::v1::NotificationService::Stub::*method)(
        grpc::ClientContext*, const Request&, Response*),
    const Request& req, Response* resp) {
  return service::ForwardToOwner(context, ctx, key, method, req, resp);
}

}  // namespace

std::optional<grpc::Status> NotificationServiceImpl::ForwardPhoneCode(
    grpc::ServerContext* ctx, std::string_view phone_key,
    const caserelay::v1::SendPhoneCodeRequest* send,
    caserelay::v1::SendPhoneCodeResponse* send_resp,
    const caserelay::v1::RedeemPhoneCodeRequest* redeem,
    caserelay::v1::RedeemPhoneCodeResponse* redeem_resp) const {
  using Stub = caserelay::v1::NotificationService::Stub;
  if (send != nullptr) {
    return ForwardToOwner(context_, ctx, phone_key, &Stub::SendPhoneCode,
                          *send, send_resp);
  }
  return ForwardToOwner(context_, ctx, phone_key, &Stub::RedeemPhoneCode,
                        *redeem, redeem_resp);
}

void NotificationServiceImpl::PartitionHeld(int32_t /*partition*/) {
  // Its queue (and any part its last owner left SENDING) is this
  // instance's now.
  on_queued_();
}

absl::Status NotificationServiceImpl::CallerMayRead(
    grpc::ServerContext* ctx, const store::Store& store,
    const std::string& case_id) const {
  if (context_.auth == nullptr) return absl::OkStatus();
  if (ctx == nullptr) {
    return absl::UnauthenticatedError("notification: no call context");
  }
  auto principal = rpc::Caller(context_.auth, *ctx);
  if (!principal.ok()) return principal.status();
  auto office = rpc::ActingOffice(*principal);
  if (!office.ok()) return office.status();
  // The person's roles (domain/access/roles.h); every role for the office's
  // own credential.
  const access::StaffRoles& roles =
      principal->HasEveryRole() ? access::EveryRole() : principal->roles;
  if (access::ReadScopeOf(roles) == access::ReadScope::kNone) {
    return access::MayReadCaseAs(roles, *office, {});
  }
  caserelay::v1::CaseParties kept;
  auto raw = store.Get(kParties, case_id);
  if (!raw.ok()) return raw.status();
  if (raw->has_value() && !kept.ParseFromString(**raw)) {
    return absl::DataLossError(
        absl::StrCat("notification: corrupt parties of case ", case_id));
  }
  access::CaseParties parties = access::FromKept(case_id, kept);
  if (!parties.accused.has_value()) {
    // Kept before parties were: the REGISTER's facts still tell whether
    // the case is an accusation; if it is not, nobody is accused.
    auto facts_raw = store.Get(kCases, case_id);
    if (!facts_raw.ok()) return facts_raw.status();
    if (!raw->has_value() && !facts_raw->has_value()) {
      // Nothing is kept of the case (never seen here, or not yet): it has
      // no message to show, and an empty list tells no more than
      // routing's NOT_FOUND does of a case number.
      return absl::OkStatus();
    }
    caserelay::v1::CaseEvent facts;
    if (facts_raw->has_value() && facts.ParseFromString(**facts_raw) &&
        facts.matter_class() != caserelay::v1::MATTER_CLASS_ACCUSATION) {
      parties.accused.emplace();
    }
  }
  if (absl::Status s = access::MayReadCaseAs(roles, *office, parties);
      !s.ok()) {
    return s;
  }
  return access::CaseAccess(offices_).MayRead(*office, parties);
}

grpc::Status NotificationServiceImpl::ResolveMessage(
    grpc::ServerContext* ctx, const caserelay::v1::ResolveMessageRequest* req,
    caserelay::v1::ResolveMessageResponse* resp) {
  if (req->message_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "message_id: is required");
  }
  if (context_.partitions != nullptr) {
    std::optional<std::string> case_id = CaseOfMessageId(req->message_id());
    if (!case_id.has_value()) {
      return grpc::Status(
          grpc::StatusCode::NOT_FOUND,
          absl::StrCat("no message ", req->message_id(),
                       " (its id names no case)"));
    }
    if (auto forwarded = ForwardToOwner(
            context_, ctx, *case_id,
            &caserelay::v1::NotificationService::Stub::ResolveMessage, *req,
            resp)) {
      return *forwarded;
    }
  }
  // With auth.mode token or mtls only a petition bureau (信访部门), which
  // runs the SMS, decides; who decided (the authenticated principal, with
  // its person) goes into the note (issue 14 item 2).
  std::string note = req->note();
  if (context_.auth != nullptr) {
    auto caller = rpc::Caller(context_.auth, *ctx);
    if (!caller.ok()) return rpc::ToGrpc(caller.status());
    auto office = rpc::ActingOffice(*caller);
    if (!office.ok()) return rpc::ToGrpc(office.status());
    if (!absl::EndsWith(*office, ":bureau")) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          absl::StrCat("caller ", *office,
                                       ": only a petition bureau (…:bureau) "
                                       "resolves an SMS"));
    }
    if (!note.empty()) note = absl::StrCat(caller->ToString(), ": ", note);
  }
  auto db = book_->OpenMessage(req->message_id());
  if (!db.ok()) return rpc::ToGrpc(db.status());
  if (context_.auth != nullptr) {
    // A bureau resolves only the messages of a case it may read.
    auto message = book_->Load(*db, req->message_id());
    if (!message.ok()) return rpc::ToGrpc(message.status());
    if (absl::Status s =
            CallerMayRead(ctx, db->store(), message->message().case_id());
        !s.ok()) {
      return rpc::ToGrpc(s);
    }
  }
  const absl::Time now = context_.clock->Now();
  auto record = book_->Update(
      *db, req->message_id(),
      [&](caserelay::v1::SmsRecord& r) -> absl::StatusOr<Change> {
        return ApplyResolution(r, req->resolution(), note, gateway_name_, now);
      });
  if (!record.ok()) return rpc::ToGrpc(record.status());
  log::Info(
      "sms resolved by an operator",
      {{"message", req->message_id()},
       {"resolution", caserelay::v1::SmsResolution_Name(req->resolution())},
       {"state", caserelay::v1::SmsState_Name(record->message().state())}});
  *resp->mutable_message() = record->message();
  if (record->message().state() == caserelay::v1::SMS_STATE_QUEUED)
    on_queued_();
  return grpc::Status::OK;
}

grpc::Status NotificationServiceImpl::ListMessages(
    grpc::ServerContext* ctx, const caserelay::v1::ListMessagesRequest* req,
    caserelay::v1::ListMessagesResponse* resp) {
  if (req->case_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "case_id: is required");
  }
  if (auto forwarded = ForwardToOwner(
          context_, ctx, req->case_id(),
          &caserelay::v1::NotificationService::Stub::ListMessages, *req,
          resp)) {
    return *forwarded;
  }
  auto db = book_->OpenCase(req->case_id());
  if (!db.ok()) return rpc::ToGrpc(db.status());
  const store::Store& store = db->store();
  if (absl::Status s = CallerMayRead(ctx, store, req->case_id()); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  std::vector<std::string> ids;
  std::string prefix = req->case_id() + "/";
  absl::Status s = store.ScanPrefix(
      kByCase, prefix, [&](std::string_view k, std::string_view) {
        ids.emplace_back(k.substr(prefix.size()));
        return true;
      });
  if (!s.ok()) return rpc::ToGrpc(s);
  for (const std::string& id : ids) {
    auto raw = store.Get(kMessages, id);
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

std::string SmsMessageId(absl::string_view event_id, int representative) {
  if (representative == 0) return absl::StrCat(event_id, "/sms");
  return absl::StrCat(event_id, "/sms/", representative);
}

void NotificationServiceImpl::QueueMessage(
    const caserelay::v1::Envelope& event, const std::string& id,
    int representative, const caserelay::v1::CaseEvent& facts,
    const PlannedSms& sms, store::WriteBatch& batch) const {
  caserelay::v1::SmsRecord record;
  auto* m = record.mutable_message();
  m->set_message_id(id);
  m->set_case_id(event.case_id());
  m->set_trigger(sms.trigger);
  m->set_state(caserelay::v1::SMS_STATE_QUEUED);
  *m->mutable_updated_at() = time::ToProto(context_.clock->Now());
  *record.mutable_petitioner() = facts.petitioner();
  record.set_representative(representative);
  for (const auto& [k, v] : sms.vars) (*record.mutable_vars())[k] = v;

  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat(id, "/queued"));
  out.set_case_id(event.case_id());
  out.set_producer("notification");
  *out.mutable_occurred_at() = m->updated_at();
  out.mutable_sms_queued()->set_message_id(id);
  out.mutable_sms_queued()->set_trigger(m->trigger());

  record.set_queue_key(
      MessageBook::QueueKey(event.case_id(), event.sequence(), id));
  batch.Put(kMessages, id, record.SerializeAsString());
  batch.Put(kQueue, record.queue_key(), id);
  batch.Put(kByCase, absl::StrCat(event.case_id(), "/", id), "");
  batch.AddOutbox("notification-events", event.case_id(),
                  out.SerializeAsString());
}

absl::Status NotificationServiceImpl::Apply(
    const caserelay::v1::Envelope& event, store::WriteBatch& batch) {
  // A record on case-events that is no CaseEvent is poison: refused, so
  // the loop dead-letters it with this reason (issue 14 item 5).
  if (absl::Status s = service::ExpectPayload(
          event, caserelay::v1::Envelope::kCaseEvent, "case-events");
      !s.ok()) {
    return s;
  }
  if (event.sequence() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), " has no sequence"));
  }
  const caserelay::v1::CaseEvent& e = event.case_event();
  const bool is_register = e.action() == caserelay::v1::CASE_ACTION_REGISTER;
  const std::string id = SmsMessageId(event.event_id(), 0);
  auto known = batch.Get(kMessages, id);
  if (!known.ok()) return known.status();
  if (known->has_value()) return absl::OkStatus();

  // What this case's REGISTER said: from the event itself, or as kept.
  caserelay::v1::CaseEvent facts;
  auto stored = batch.Get(kCases, event.case_id());
  if (!stored.ok()) return stored.status();
  if (stored->has_value() && !facts.ParseFromString(**stored)) {
    return absl::DataLossError(
        absl::StrCat("notification: corrupt case ", event.case_id()));
  }

  // The case's last applied sequence. None recorded: a case never seen
  // (0, as supervision's), or one stored before sequences were (its
  // REGISTER is kept): then this event is taken as next in line.
  auto raw_sequence = batch.Get(kSequences, event.case_id());
  if (!raw_sequence.ok()) return raw_sequence.status();
  uint64_t applied = 0;
  if (raw_sequence->has_value() &&
      !absl::SimpleAtoi(**raw_sequence, &applied)) {
    return absl::DataLossError(absl::StrCat(
        "notification: corrupt sequence of case ", event.case_id()));
  }
  const bool legacy = !raw_sequence->has_value() && stored->has_value();
  if (!legacy) {
    if (event.sequence() <= applied) return absl::OkStatus();
    if (event.sequence() > applied + 1) {
      // An earlier event of the case is missing: held by the consume loop,
      // never applied out of order (issue 22 item 5).
      return service::SequenceGapError(event.case_id(), applied,
                                       event.sequence());
    }
  }
  bool keep_facts = false;
  if (is_register && !stored->has_value()) {
    if (e.petitioner().id().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "case_event.petitioner.id: is required on REGISTER (event ",
          event.event_id(), ")"));
    }
    *facts.mutable_petitioner() = e.petitioner();
    facts.set_matter_class(e.matter_class());
    // 群体访 / 联名 (issue 18 item 3): every representative is told.
    facts.set_representatives(e.representatives());
    keep_facts = true;
  }
  // 更正登记 (issue 18 item 6): the corrected class decides from now on
  // whether an office's reason may be told (an accusation's never is).
  if (e.action() == caserelay::v1::CASE_ACTION_CORRECT && stored->has_value() &&
      e.matter_class() != caserelay::v1::MATTER_CLASS_UNSPECIFIED &&
      e.matter_class() != facts.matter_class()) {
    facts.set_matter_class(e.matter_class());
    keep_facts = true;
  }

  auto plan = PlanSms(
      event.case_id(), e,
      facts.matter_class() == caserelay::v1::MATTER_CLASS_ACCUSATION, texts_);
  if (!plan.ok()) return plan.status();
  if (plan->has_value() && !is_register && !stored->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "case-events: no REGISTER applied for case ", event.case_id(),
        ", so no petitioner to tell of event ", event.event_id()));
  }
  caserelay::v1::CaseParties parties;
  auto raw_parties = batch.Get(kParties, event.case_id());
  if (!raw_parties.ok()) return raw_parties.status();
  if (raw_parties->has_value() && !parties.ParseFromString(**raw_parties)) {
    return absl::DataLossError(absl::StrCat(
        "notification: corrupt parties of case ", event.case_id()));
  }
  access::UpdateParties(e, event.sequence(), &parties);

  if (keep_facts) batch.Put(kCases, event.case_id(), facts.SerializeAsString());
  batch.Put(kSequences, event.case_id(), absl::StrCat(event.sequence()));
  batch.Put(kParties, event.case_id(), parties.SerializeAsString());
  if (!plan->has_value()) return absl::OkStatus();
  const PlannedSms& sms = **plan;
  // One message per representative (0: one, the petitioner), each with
  // its own parts and "sending" records, so each is sent exactly once.
  const int representatives = std::clamp(facts.representatives(), 1,
                                         petition::kMaxRepresentatives);
  for (int r = 0; r < representatives; ++r) {
    QueueMessage(event, SmsMessageId(event.event_id(), r), r, facts, sms,
                 batch);
  }
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
