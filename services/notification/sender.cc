#include "services/notification/sender.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "domain/petition/identity.h"
#include "domain/sms/triggers.h"

namespace caserelay::notification {

using caserelay::v1::SmsRecord;

namespace {

// The concatenation reference of a message: FNV-1a of its id, one byte,
// the same on every try and after a restart.
int Reference(const std::string& message_id) {
  uint32_t h = 2166136261u;
  for (unsigned char c : message_id) h = (h ^ c) * 16777619u;
  return static_cast<int>(h & 0xff);
}

absl::Duration NextDelay(absl::Duration previous, const SenderOptions& o) {
  return previous <= absl::ZeroDuration()
             ? o.first_backoff
             : std::min(o.max_backoff, 2 * previous);
}

}  // namespace

Sender::Sender(
    const service::Context& context, MessageBook* book, SmsGateway* gateway,
    const sms::TemplateSet* templates,
    std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
    SenderOptions options)
    : context_(context),
      book_(book),
      gateway_(gateway),
      templates_(templates),
      options_(std::move(options)),
      resolver_(std::move(intake),
                ContactResolverOptions{options_.intake_deadline,
                                       options_.intake_concurrency}),
      sent_(context.metrics->GetCounter(
          "caserelay_sms_sent_total", "SMS whose every part the gateway took.",
          {{"gateway", gateway->name()}})),
      parts_(context.metrics->GetCounter("caserelay_sms_parts_sent_total",
                                         "SMS parts the gateway took.",
                                         {{"gateway", gateway->name()}})),
      failed_(context.metrics->GetCounter(
          "caserelay_sms_failed_total",
          "SMS given up on by the sender (refused, or out of tries).",
          {{"gateway", gateway->name()}})),
      retried_(context.metrics->GetCounter(
          "caserelay_sms_retries_total",
          "Temporary failures (gateway or intake) that will be retried.",
          {{"gateway", gateway->name()}})),
      unknown_(context.metrics->GetCounter(
          "caserelay_sms_unknown_total",
          "SMS parts whose fate is unknown, left for a delivery report or an "
          "operator.",
          {{"gateway", gateway->name()}})),
      held_(context.metrics->GetGauge(
          "caserelay_sms_quiet_hours_held",
          "Messages held back by quiet hours at the last look at the queue.",
          {})),
      gateway_down_(context.metrics->GetGauge(
          "caserelay_sms_gateway_unreachable",
          "1 while the gateway cannot be reached (the sender pauses).",
          {{"gateway", gateway->name()}})),
      intake_down_(context.metrics->GetGauge(
          "caserelay_sms_intake_unreachable",
          "1 while intake does not answer ResolveContact in time (the "
          "sender pauses).",
          {})),
      scans_(context.metrics->GetCounter("caserelay_sms_queue_scans_total",
                                         "Passes of the sender over its queue.",
                                         {})),
      bucket_(options_.rate_limit, std::max(1.0, options_.rate_limit)) {}

Sender::~Sender() { Stop(); }

absl::Status Sender::Start() {
  auto queue = book_->Queue();
  if (!queue.ok()) return queue.status();
  for (const MessageBook::Queued& q : *queue) {
    auto record = book_->Load(q.message_id);
    if (record.ok() &&
        record->message().state() == caserelay::v1::SMS_STATE_SENDING) {
      Reconcile(q.message_id, *record);
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

bool Sender::stopping() {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void Sender::Run() {
  absl::Duration idle = absl::ZeroDuration();
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stop_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), idle);
      if (stop_) return;
      wake_ = false;
    }
    Drain();
    idle = Idle();
  }
}

absl::Duration Sender::Idle() const {
  const absl::Time now = absl::Now();
  absl::Time next = now + options_.idle_rescan;
  for (const Backoff* b : {&gateway_backoff_, &intake_backoff_}) {
    if (b->next > now) next = std::min(next, b->next);
  }
  for (const auto& [id, b] : backoff_) {
    if (b.next > now) next = std::min(next, b.next);
  }
  return std::max(absl::ZeroDuration(), next - now);
}

void Sender::Drain() {
  if (gateway_backoff_.next > absl::Now()) return;
  if (intake_backoff_.next > absl::Now()) return;
  scans_.Increment();
  auto queue = book_->Queue();
  if (!queue.ok()) {
    log::Error("queue scan failed",
               {{"error", std::string(queue.status().message())}});
    return;
  }
  const Contacts contacts = ResolveReady(*queue);
  if (stopping()) return;
  std::string blocked_case;  // a case whose earlier message waits
  int held = 0;
  for (const MessageBook::Queued& q : *queue) {
    std::string case_id(MessageBook::CaseOfQueueKey(q.key));
    if (case_id == blocked_case) continue;
    auto wait = backoff_.find(q.message_id);
    if (wait != backoff_.end() && wait->second.next > absl::Now()) {
      blocked_case = case_id;
      continue;
    }
    Step step = Advance(q.message_id, contacts);
    switch (step) {
      case Step::kDone:
        backoff_.erase(q.message_id);
        gateway_backoff_.delay = absl::ZeroDuration();
        gateway_down_.Set(0);
        break;
      case Step::kWait: {
        retried_.Increment();
        absl::Duration d = NextDelay(
            wait == backoff_.end() ? absl::ZeroDuration() : wait->second.delay,
            options_);
        backoff_[q.message_id] = Backoff{absl::Now() + d, d};
        blocked_case = case_id;
        break;
      }
      case Step::kHeld:
        ++held;
        blocked_case = case_id;
        break;
      case Step::kAgain:
        blocked_case = case_id;
        break;
      case Step::kGatewayDown: {
        retried_.Increment();
        gateway_down_.Set(1);
        absl::Duration d = NextDelay(gateway_backoff_.delay, options_);
        gateway_backoff_ = Backoff{absl::Now() + d, d};
        return;
      }
      case Step::kIntakeDown: {
        retried_.Increment();
        intake_down_.Set(1);
        absl::Duration d = NextDelay(intake_backoff_.delay, options_);
        intake_backoff_ = Backoff{absl::Now() + d, d};
        return;
      }
      case Step::kStopping:
        return;
    }
    if (stopping()) return;
  }
  held_.Set(held);
  // Forget the backoffs of messages that left the queue meanwhile (a
  // report or an operator finished them): they would wake Run for nothing.
  std::set<std::string> queued;
  for (const MessageBook::Queued& q : *queue) queued.insert(q.message_id);
  for (auto it = backoff_.begin(); it != backoff_.end();) {
    it = queued.count(it->first) ? std::next(it) : backoff_.erase(it);
  }
}

Sender::Contacts Sender::ResolveReady(
    const std::vector<MessageBook::Queued>& queue) {
  const absl::Time now = context_.clock->Now();
  std::vector<std::string> keys;
  std::vector<caserelay::v1::ResolveContactRequest> requests;
  std::string blocked_case;  // as in Drain: nothing of it goes this pass
  for (const MessageBook::Queued& q : queue) {
    std::string case_id(MessageBook::CaseOfQueueKey(q.key));
    if (case_id == blocked_case) continue;
    auto wait = backoff_.find(q.message_id);
    auto record = book_->Load(q.message_id);
    if ((wait != backoff_.end() && wait->second.next > absl::Now()) ||
        !record.ok() ||
        options_.quiet_hours.Holds(record->message().trigger(), now)) {
      blocked_case = case_id;
      continue;
    }
    if (record->message().state() != caserelay::v1::SMS_STATE_QUEUED) continue;
    std::string key = ContactResolver::KeyOf(*record);
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(std::move(key));
    requests.push_back(ContactResolver::RequestFor(*record));
  }
  std::vector<ContactResolver::Contact> answers =
      resolver_.ResolveAll(requests);
  Contacts out;
  for (size_t i = 0; i < keys.size(); ++i) {
    out.emplace(std::move(keys[i]), std::move(answers[i]));
  }
  return out;
}

bool Sender::Pace() {
  absl::Duration wait = bucket_.Take(absl::Now());
  if (wait <= absl::ZeroDuration()) return true;
  absl::MutexLock lock(&mu_);
  auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
  mu_.AwaitWithTimeout(absl::Condition(&stop), wait);
  return !stop_;
}

Sender::Step Sender::BookError(const std::string& id, const absl::Status& s) {
  log::Error("message record",
             {{"message", id}, {"error", std::string(s.message())}});
  return Step::kWait;
}

Sender::Step Sender::Reconcile(const std::string& id, const SmsRecord& record) {
  int index = 0;
  for (const auto& p : record.message().part_states()) {
    if (p.state() == caserelay::v1::SMS_PART_STATE_SENDING) index = p.index();
  }
  const absl::Time now = context_.clock->Now();
  absl::StatusOr<std::optional<std::string>> found =
      index == 0 ? absl::StatusOr<std::optional<std::string>>(std::nullopt)
                 : gateway_->Find(id, index);
  if (!found.ok() && absl::IsUnavailable(found.status())) {
    return Step::kGatewayDown;  // ask again later; never send meanwhile
  }
  auto updated = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
    if (index == 0) {  // a report moved the part on already
      r.mutable_message()->set_state(StateFromParts(r));
      return Change{};
    }
    if (found.ok() && found->has_value()) {
      log::Info("reconciled: the gateway has it",
                {{"message", id}, {"part", absl::StrCat(index)}});
      return MarkPartAccepted(r, index, **found, gateway_->name(), now);
    }
    if (found.ok()) {
      log::Info("reconciled: the gateway never got it, sending",
                {{"message", id}, {"part", absl::StrCat(index)}});
      MarkPartNotSent(r, index, "the gateway never got it", now);
      return Change{};
    }
    unknown_.Increment();
    log::Warn("unknown whether sent: reconcile (delivery report or operator)",
              {{"message", id},
               {"part", absl::StrCat(index)},
               {"error", std::string(found.status().message())}});
    return MarkPartUnknown(
        r, index,
        absl::StrCat("cut off while part ", index,
                     " was with the gateway, which cannot be asked (",
                     found.status().message(),
                     "): wait for its delivery report, or resolve it "
                     "(casectl sms-resolve)"),
        now);
  });
  if (!updated.ok()) return BookError(id, updated.status());
  if (updated->message().state() == caserelay::v1::SMS_STATE_QUEUED) {
    Wake();  // go on with it on the next pass
    return Step::kAgain;
  }
  return Step::kDone;
}

Sender::Step Sender::Advance(const std::string& id, const Contacts& contacts) {
  auto loaded = book_->Load(id);
  if (!loaded.ok()) return BookError(id, loaded.status());
  const SmsRecord& record = *loaded;
  const caserelay::v1::SmsMessage& m = record.message();
  const absl::Time now = context_.clock->Now();
  if (m.state() == caserelay::v1::SMS_STATE_SENDING) {
    return Reconcile(id, record);
  }
  if (m.state() != caserelay::v1::SMS_STATE_QUEUED) {  // finished elsewhere
    auto done = book_->Update(id, [](SmsRecord&) -> absl::StatusOr<Change> {
      Change c;
      c.dequeue = true;
      return c;
    });
    return done.ok() ? Step::kDone : BookError(id, done.status());
  }
  if (options_.quiet_hours.Holds(m.trigger(), now)) {
    return Step::kHeld;
  }

  // The phone number (and look-up code) come from intake, now (this
  // pass); nothing of them is stored here.
  auto asked = contacts.find(ContactResolver::KeyOf(record));
  ContactResolver::Contact contact =
      asked != contacts.end()
          ? asked->second
          : resolver_.Resolve(ContactResolver::RequestFor(record));
  if (!contact.ok()) {
    log::Warn(
        "intake: no contact now",
        {{"message", id}, {"error", std::string(contact.status().message())}});
    // Not reached, or hanging: every other case would wait as long.
    return ContactResolver::IntakeDown(contact.status()) ? Step::kIntakeDown
                                                         : Step::kWait;
  }
  intake_backoff_.delay = absl::ZeroDuration();
  intake_down_.Set(0);
  if (contact->phone().empty() || !petition::IsMobile(contact->phone())) {
    auto saved = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
      r.mutable_message()->set_state(caserelay::v1::SMS_STATE_NO_PHONE);
      Change c;
      c.dequeue = true;
      return c;
    });
    return saved.ok() ? Step::kDone : BookError(id, saved.status());
  }
  auto phone = petition::NormalizeMobile(contact->phone());
  std::map<std::string, std::string> vars;
  auto trigger = sms::StandardTriggers().find(m.trigger());
  absl::Status problem = absl::OkStatus();
  if (trigger == sms::StandardTriggers().end()) {
    problem = absl::InvalidArgumentError("unknown trigger " + m.trigger());
  } else {
    for (const auto& [k, v] : record.vars()) {
      if (trigger->second.count(k)) vars[k] = v;
    }
  }
  // The look-up code goes to the phone only: the record keeps the text
  // with it masked.
  std::map<std::string, std::string> kept_vars = vars;
  if (problem.ok() && trigger->second.count("lookup_code")) {
    vars["lookup_code"] = contact->lookup_code();
    kept_vars["lookup_code"] = std::string(contact->lookup_code().size(), '*');
  }
  absl::StatusOr<std::string> text = problem.ok()
                                         ? templates_->Render(m.trigger(), vars)
                                         : absl::StatusOr<std::string>(problem);
  absl::StatusOr<std::string> kept_text =
      text.ok() ? templates_->Render(m.trigger(), kept_vars) : text;
  absl::StatusOr<std::vector<std::u16string>> parts =
      text.ok() ? sms::SegmentUcs2(*text, options_.segments)
                : absl::StatusOr<std::vector<std::u16string>>(text.status());
  if (parts.ok() && !phone.ok()) parts = phone.status();
  if (parts.ok() && !kept_text.ok()) parts = kept_text.status();
  int count = parts.ok() ? static_cast<int>(parts->size()) : 0;
  auto started = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
    auto* rm = r.mutable_message();
    if (!parts.ok()) {
      failed_.Increment();
      return MarkFailed(r, 0, std::string(parts.status().message()), now);
    }
    if (rm->part_states_size() > 0 && rm->part_states_size() != count) {
      failed_.Increment();
      return MarkFailed(
          r, 0,
          absl::StrCat("the text now takes ", count, " parts, not the ",
                       rm->part_states_size(), " already sent in part"),
          now);
    }
    StartParts(r, count, now);
    rm->set_text(*kept_text);
    rm->set_phone_masked(log::MaskPhone(*phone));
    return Change{};
  });
  if (!started.ok()) return BookError(id, started.status());
  if (started->message().state() != caserelay::v1::SMS_STATE_QUEUED) {
    return Step::kDone;
  }

  const int reference = Reference(id);
  for (;;) {
    int index = NextPendingPart(*started);
    if (index == 0) break;
    if (!Pace()) return Step::kStopping;
    started = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
      MarkPartSending(r, index, context_.clock->Now());
      return Change{};
    });
    if (!started.ok()) return BookError(id, started.status());

    auto result = gateway_->SendPart(
        OutgoingPart{id, *phone, index, count, reference, (*parts)[index - 1]});
    const absl::Time at = context_.clock->Now();
    std::string why(result.status().message());
    Step next = Step::kDone;
    started = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
      if (result.ok()) {
        parts_.Increment();
        return MarkPartAccepted(r, index, *result, gateway_->name(), at);
      }
      switch (result.status().code()) {
        case absl::StatusCode::kUnavailable:
          next = Step::kGatewayDown;
          MarkPartNotSent(r, index, absl::StrCat("gateway unreachable: ", why),
                          at);
          return Change{};
        case absl::StatusCode::kResourceExhausted: {
          auto* rm = r.mutable_message();
          rm->set_attempts(rm->attempts() + 1);
          if (rm->attempts() >= options_.max_attempts) {
            failed_.Increment();
            // The gateway said "not now": the part never went out.
            MarkPartNotSent(r, index, why, at);
            return MarkFailed(
                r, 0,
                absl::StrCat("gave up after ", rm->attempts(), " tries: ", why),
                at);
          }
          next = Step::kWait;
          MarkPartNotSent(r, index, absl::StrCat("gateway: ", why), at);
          return Change{};
        }
        case absl::StatusCode::kUnknown:
          unknown_.Increment();
          return MarkPartUnknown(
              r, index,
              absl::StrCat("no answer from the gateway for part ", index, " (",
                           why,
                           "): wait for its delivery report, or resolve it "
                           "(casectl sms-resolve)"),
              at);
        default:
          failed_.Increment();
          return MarkFailed(r, index, absl::StrCat("gateway refused: ", why),
                            at);
      }
    });
    if (!started.ok()) return BookError(id, started.status());
    if (!result.ok()) {
      log::Warn("sms part not sent", {{"message", id},
                                      {"part", absl::StrCat(index)},
                                      {"phone", log::MaskPhone(*phone)},
                                      {"error", why}});
    }
    if (next != Step::kDone) return next;
    if (started->message().state() != caserelay::v1::SMS_STATE_QUEUED) break;
    if (stopping()) return Step::kStopping;
  }
  const auto state = started->message().state();
  if (state == caserelay::v1::SMS_STATE_SENT ||
      state == caserelay::v1::SMS_STATE_DELIVERED) {
    sent_.Increment();
    log::Info("sms sent", {{"message", id},
                           {"phone", started->message().phone_masked()},
                           {"parts", absl::StrCat(count)}});
  }
  return Step::kDone;
}

}  // namespace caserelay::notification
