// One message on a worker of the window (sender.h): its contact, text and
// parts, and each part's "sending" record around its gateway call; and the
// reconciliation of a part a crash left SENDING.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "domain/petition/identity.h"
#include "domain/sms/triggers.h"
#include "services/notification/sender.h"

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

}  // namespace

Sender::Step Sender::BookError(const std::string& id, const absl::Status& s) {
  log::Error("message record",
             {{"message", id}, {"error", std::string(s.message())}});
  return Step::kWait;
}

Sender::Step Sender::Reconcile(const MessageBook::Db& db, const std::string& id,
                               const SmsRecord& record) {
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
  auto updated = book_->Update(db, id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
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

Sender::Outcome Sender::Advance(
    const std::string& id, const std::string& case_id,
    const std::optional<ContactResolver::Contact>& asked) {
  // The case's partition stays leased until this message is done with
  // (several instances): it is released only between messages, never
  // while one of its parts is SENDING here.
  absl::StatusOr<MessageBook::Db> db = book_->OpenCase(case_id);
  if (!db.ok()) {
    log::Info("message left to the partition's new owner",
              {{"message", id}, {"error", std::string(db.status().message())}});
    return {Step::kDone};
  }
  return Advance(*db, id, asked);
}

Sender::Outcome Sender::Advance(
    const MessageBook::Db& db, const std::string& id,
    const std::optional<ContactResolver::Contact>& asked) {
  auto loaded = book_->Load(db, id);
  if (!loaded.ok()) return {BookError(id, loaded.status())};
  const SmsRecord& record = *loaded;
  const caserelay::v1::SmsMessage& m = record.message();
  const absl::Time now = context_.clock->Now();
  if (m.state() == caserelay::v1::SMS_STATE_SENDING) {
    return {Reconcile(db, id, record)};
  }
  if (m.state() != caserelay::v1::SMS_STATE_QUEUED) {  // finished elsewhere
    auto done = book_->Update(db, id, [](SmsRecord&) -> absl::StatusOr<Change> {
      Change c;
      c.dequeue = true;
      return c;
    });
    return {done.ok() ? Step::kDone : BookError(id, done.status())};
  }
  if (options_.quiet_hours.Holds(m.trigger(), now)) {
    return {Step::kHeld};
  }

  // The phone number (and look-up code) come from intake, now (this
  // pass); nothing of them is stored here.
  ContactResolver::Contact contact =
      asked.has_value()
          ? *asked
          : resolver_.Resolve(ContactResolver::RequestFor(record));
  if (!contact.ok()) {
    log::Warn(
        "intake: no contact now",
        {{"message", id}, {"error", std::string(contact.status().message())}});
    // Not reached, or hanging: every other case would wait as long.
    return {ContactResolver::IntakeDown(contact.status()) ? Step::kIntakeDown
                                                          : Step::kWait};
  }
  // intake answered: the scheduler ends its pause, if any.
  Outcome outcome{Step::kDone, true};
  if (contact->phone().empty() || !petition::IsMobile(contact->phone())) {
    auto saved = book_->Update(db, id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
      r.mutable_message()->set_state(caserelay::v1::SMS_STATE_NO_PHONE);
      Change c;
      c.dequeue = true;
      return c;
    });
    outcome.step = saved.ok() ? Step::kDone : BookError(id, saved.status());
    return outcome;
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
  // The first part to go is paced before anything is recorded, so that
  // the parts and that part's SENDING go in one commit (two commits per
  // one-part SMS, not three: bench/sms).
  if (parts.ok() && !Pace()) {
    outcome.step = Step::kStopping;
    return outcome;
  }
  int recorded = 0;  // the part recorded SENDING with the parts, if any
  auto started = book_->Update(db, id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
    recorded = 0;
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
    if (StateFromParts(r) == caserelay::v1::SMS_STATE_QUEUED) {
      recorded = NextPendingPart(r);
      if (recorded != 0) MarkPartSending(r, recorded, context_.clock->Now());
    }
    return Change{};
  });
  if (!started.ok()) {
    outcome.step = BookError(id, started.status());
    return outcome;
  }
  if (recorded == 0) return outcome;  // not to be sent (any more)

  const int reference = Reference(id);
  for (;;) {
    int index = recorded;
    if (index == 0) {  // the next part: paced, then recorded SENDING
      index = NextPendingPart(*started);
      if (index == 0) break;
      if (!Pace()) {
        outcome.step = Step::kStopping;
        return outcome;
      }
      started = book_->Update(db, id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
        MarkPartSending(r, index, context_.clock->Now());
        return Change{};
      });
      if (!started.ok()) {
        outcome.step = BookError(id, started.status());
        return outcome;
      }
    }
    recorded = 0;
    // Recorded SENDING: in flight until its answer is recorded (a crash
    // from here on leaves it for Reconcile).
    in_flight_parts_.Add(1);

    auto result = gateway_->SendPart(
        OutgoingPart{id, *phone, index, count, reference, (*parts)[index - 1]});
    const absl::Time at = context_.clock->Now();
    std::string why(result.status().message());
    Step next = Step::kDone;
    started = book_->Update(db, id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
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
    in_flight_parts_.Add(-1);
    if (!started.ok()) {
      outcome.step = BookError(id, started.status());
      return outcome;
    }
    if (!result.ok()) {
      log::Warn("sms part not sent", {{"message", id},
                                      {"part", absl::StrCat(index)},
                                      {"phone", log::MaskPhone(*phone)},
                                      {"error", why}});
    }
    if (next != Step::kDone) {
      outcome.step = next;
      return outcome;
    }
    if (started->message().state() != caserelay::v1::SMS_STATE_QUEUED) break;
    if (stopping()) {
      outcome.step = Step::kStopping;
      return outcome;
    }
  }
  const auto state = started->message().state();
  if (state == caserelay::v1::SMS_STATE_SENT ||
      state == caserelay::v1::SMS_STATE_DELIVERED) {
    sent_.Increment();
    log::Info("sms sent", {{"message", id},
                           {"phone", started->message().phone_masked()},
                           {"parts", absl::StrCat(count)}});
  }
  return outcome;
}

}  // namespace caserelay::notification
