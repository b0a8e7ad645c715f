#include "services/notification/sender.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "domain/petition/identity.h"
#include "domain/sms/triggers.h"
#include "services/notification/notification_service.h"

namespace caserelay::notification {

using caserelay::v1::SmsRecord;

Sender::Sender(const service::Context& context, SmsGateway* gateway,
               const sms::TemplateSet* templates,
               std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
               SenderOptions options)
    : context_(context),
      gateway_(gateway),
      templates_(templates),
      intake_(std::move(intake)),
      options_(options),
      sent_(context.metrics->GetCounter("caserelay_sms_sent_total",
                                        "SMS accepted by the gateway.",
                                        {{"gateway", gateway->name()}})),
      failed_(context.metrics->GetCounter("caserelay_sms_failed_total",
                                          "SMS given up on.",
                                          {{"gateway", gateway->name()}})),
      retried_(context.metrics->GetCounter(
          "caserelay_sms_retries_total",
          "Temporary failures (gateway or intake) that will be retried.",
          {{"gateway", gateway->name()}})) {}

Sender::~Sender() { Stop(); }

absl::Status Sender::Start() {
  auto ids = QueuedIds();
  if (!ids.ok()) return ids.status();
  for (const std::string& id : *ids) {
    if (absl::Status r = Reconcile(id); !r.ok()) {
      log::Warn("reconcile deferred", {{"message", id},
                                       {"error", std::string(r.message())}});
    }
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Sender::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Sender::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void Sender::Run() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stop_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(500));
      if (stop_) return;
      wake_ = false;
    }
    Drain();
  }
}

void Sender::Drain() {
  auto queued = QueuedIds();
  if (!queued.ok()) {
    log::Error("queue scan failed", {{"error", std::string(queued.status().message())}});
    return;
  }
  const std::vector<std::string>& ids = *queued;
  absl::Time now = absl::Now();
  for (const std::string& id : ids) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    auto wait = backoff_.find(id);
    if (wait != backoff_.end() && wait->second.next > now) continue;
    absl::Status a = Advance(id);
    if (a.ok()) {
      backoff_.erase(id);
    } else {
      retried_.Increment();
      // Exponential: first_backoff, then twice the previous delay, capped.
      absl::Duration delay =
          wait == backoff_.end()
              ? options_.first_backoff
              : std::min(options_.max_backoff, 2 * wait->second.delay);
      backoff_[id] = Backoff{absl::Now() + delay, delay};
      log::Warn("sms delayed", {{"message", id},
                                {"error", std::string(a.message())}});
    }
  }
}

absl::StatusOr<SmsRecord> Sender::Load(const std::string& id) {
  auto raw = context_.store->Get(kMessages, id);
  if (!raw.ok()) return raw.status();
  SmsRecord record;
  if (!raw->has_value() || !record.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat("missing or corrupt message ", id));
  }
  return record;
}

absl::Status Sender::Save(SmsRecord& record, bool done,
                          const caserelay::v1::Envelope* event) {
  *record.mutable_message()->mutable_updated_at() =
      time::ToProto(context_.clock->Now());
  store::WriteBatch batch(context_.store);
  batch.Put(kMessages, record.message().message_id(), record.SerializeAsString());
  if (done) batch.Delete(kQueue, record.message().message_id());
  if (event != nullptr) {
    batch.AddOutbox("notification-events", record.message().case_id(),
                    event->SerializeAsString());
  }
  return context_.publisher->Commit(batch);
}

namespace {

caserelay::v1::Envelope Outcome(const SmsRecord& r, std::string_view what,
                                absl::Time now) {
  caserelay::v1::Envelope e;
  e.set_event_id(absl::StrCat(r.message().message_id(), "/", std::string(what)));
  e.set_case_id(r.message().case_id());
  e.set_producer("notification");
  *e.mutable_occurred_at() = time::ToProto(now);
  return e;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Sender::QueuedIds() const {
  std::vector<std::string> ids;
  absl::Status s = context_.store->Scan(kQueue, "", "",
                                        [&](std::string_view k, std::string_view) {
                                          ids.emplace_back(k);
                                          return true;
                                        });
  if (!s.ok()) return s;
  return ids;
}

absl::Status Sender::MarkSent(SmsRecord& record, const std::string& gateway_id) {
  auto* m = record.mutable_message();
  m->set_state(caserelay::v1::SMS_STATE_SENT);
  m->set_gateway_message_id(gateway_id);
  sent_.Increment();
  auto e = Outcome(record, "sent", context_.clock->Now());
  e.mutable_sms_sent()->set_message_id(m->message_id());
  e.mutable_sms_sent()->set_gateway(gateway_->name());
  e.mutable_sms_sent()->set_gateway_message_id(gateway_id);
  return Save(record, /*done=*/true, &e);
}

absl::Status Sender::MarkFailed(SmsRecord& record, absl::string_view reason) {
  auto* m = record.mutable_message();
  m->set_state(caserelay::v1::SMS_STATE_FAILED);
  failed_.Increment();
  log::Warn("sms failed", {{"message", m->message_id()}, {"error", std::string(reason)}});
  auto e = Outcome(record, "failed", context_.clock->Now());
  e.mutable_sms_failed()->set_message_id(m->message_id());
  e.mutable_sms_failed()->set_reason(std::string(reason));
  return Save(record, /*done=*/true, &e);
}

absl::Status Sender::Reconcile(const std::string& id) {
  auto record = Load(id);
  if (!record.ok()) return record.status();
  if (record->message().state() != caserelay::v1::SMS_STATE_SENDING) {
    return absl::OkStatus();
  }
  auto found = gateway_->Find(id);
  if (found.ok() && found->has_value()) {
    log::Info("reconciled: gateway has it", {{"message", id}});
    return MarkSent(*record, **found);
  }
  if (found.ok()) {
    record->mutable_message()->set_state(caserelay::v1::SMS_STATE_QUEUED);
    log::Info("reconciled: gateway never got it, sending", {{"message", id}});
    return Save(*record, /*done=*/false, nullptr);
  }
  if (!absl::IsUnimplemented(found.status())) {
    // The gateway could not answer now (e.g. down): stay "sending" and
    // ask again on the next pass; never send meanwhile.
    return found.status();
  }
  record->mutable_message()->set_state(caserelay::v1::SMS_STATE_UNKNOWN);
  log::Warn("unknown whether sent: reconcile by hand",
            {{"message", id}, {"error", std::string(found.status().message())}});
  return Save(*record, /*done=*/true, nullptr);
}

absl::Status Sender::Advance(const std::string& id) {
  auto loaded = Load(id);
  if (!loaded.ok()) return loaded.status();
  SmsRecord& record = *loaded;
  auto* m = record.mutable_message();
  if (m->state() == caserelay::v1::SMS_STATE_SENDING) {
    // Left "sending" by a crash or by a failed save after the gateway
    // call: ask the gateway, never send again blindly.
    return Reconcile(id);
  }
  if (m->state() != caserelay::v1::SMS_STATE_QUEUED) {
    return Save(record, /*done=*/true, nullptr);  // finished elsewhere
  }
  // The phone number (and look-up code) come from intake, now; nothing
  // of it is stored here.
  caserelay::v1::ResolveContactRequest req;
  *req.mutable_petitioner() = record.petitioner();
  req.set_case_number(m->case_id());
  caserelay::v1::ResolveContactResponse contact;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::Status rs = intake_->ResolveContact(&ctx, req, &contact);
  if (!rs.ok()) {
    return absl::UnavailableError(absl::StrCat("intake: ", rs.error_message()));
  }
  if (contact.phone().empty() || !petition::IsMobile(contact.phone())) {
    m->set_state(caserelay::v1::SMS_STATE_NO_PHONE);
    return Save(record, /*done=*/true, nullptr);
  }
  auto phone = petition::NormalizeMobile(contact.phone());
  std::map<std::string, std::string> vars;
  auto trigger = sms::StandardTriggers().find(m->trigger());
  if (trigger == sms::StandardTriggers().end()) {
    return MarkFailed(record, "unknown trigger " + m->trigger());
  }
  const auto& declared = trigger->second;
  for (const auto& [k, v] : record.vars()) {
    if (declared.count(k)) vars[k] = v;
  }
  if (declared.count("lookup_code")) vars["lookup_code"] = contact.lookup_code();
  auto text = templates_->Render(m->trigger(), vars);
  auto parts = text.ok() ? sms::SegmentUcs2(*text, options_.segments)
                         : absl::StatusOr<std::vector<std::u16string>>(text.status());
  if (!parts.ok() || !phone.ok()) {
    return MarkFailed(record, (!parts.ok() ? parts.status() : phone.status()).message());
  }
  m->set_text(*text);
  m->set_parts(static_cast<int>(parts->size()));
  m->set_phone_masked(log::MaskPhone(*phone));
  m->set_state(caserelay::v1::SMS_STATE_SENDING);
  record.set_attempts(record.attempts() + 1);
  if (absl::Status s = Save(record, /*done=*/false, nullptr); !s.ok()) return s;

  auto gateway_id = gateway_->Send(OutgoingSms{id, *phone, *text, m->parts()});
  if (gateway_id.ok()) {
    log::Info("sms sent", {{"message", id}, {"phone", m->phone_masked()}});
    return MarkSent(record, *gateway_id);
  }
  bool temporary = absl::IsUnavailable(gateway_id.status());
  if (temporary && record.attempts() < options_.max_attempts) {
    m->set_state(caserelay::v1::SMS_STATE_QUEUED);
    if (absl::Status s = Save(record, /*done=*/false, nullptr); !s.ok()) return s;
    return gateway_id.status();
  }
  return MarkFailed(record, gateway_id.status().message());
}

}  // namespace caserelay::notification
