#include "services/notification/message_rules.h"

#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"
#include "common/time/timestamp.h"

namespace caserelay::notification {

using caserelay::v1::SmsMessage;
using caserelay::v1::SmsPart;
using caserelay::v1::SmsRecord;
using caserelay::v1::SmsState;

namespace {

// How far a part has got; a report never moves a part back.
int Rank(caserelay::v1::SmsPartState s) {
  switch (s) {
    case caserelay::v1::SMS_PART_STATE_PENDING:
      return 0;
    case caserelay::v1::SMS_PART_STATE_SENDING:
    case caserelay::v1::SMS_PART_STATE_UNKNOWN:
      return 1;
    case caserelay::v1::SMS_PART_STATE_ACCEPTED:
      return 2;
    case caserelay::v1::SMS_PART_STATE_SMSC_ACCEPTED:
      return 3;
    case caserelay::v1::SMS_PART_STATE_DELIVERED:
    case caserelay::v1::SMS_PART_STATE_FAILED:
      return 4;
    default:
      return 0;
  }
}

bool Taken(const SmsPart& p) {
  return Rank(p.state()) >= 2 &&
         p.state() != caserelay::v1::SMS_PART_STATE_FAILED;
}

bool Final(SmsState s) {
  return s == caserelay::v1::SMS_STATE_SENT ||
         s == caserelay::v1::SMS_STATE_DELIVERED ||
         s == caserelay::v1::SMS_STATE_FAILED ||
         s == caserelay::v1::SMS_STATE_NO_PHONE;
}

SmsPart* Part(SmsRecord& r, int index) {
  auto* parts = r.mutable_message()->mutable_part_states();
  if (index < 1 || index > parts->size()) return nullptr;
  return &(*parts)[index - 1];
}

void SetPart(SmsPart& p, caserelay::v1::SmsPartState s, std::string_view detail,
             absl::Time now) {
  p.set_state(s);
  if (!detail.empty()) p.set_detail(text::ToValidUtf8(detail));
  *p.mutable_updated_at() = time::ToProto(now);
}

caserelay::v1::Envelope Event(const SmsRecord& r, std::string_view what,
                              absl::Time now) {
  caserelay::v1::Envelope e;
  e.set_event_id(
      absl::StrCat(r.message().message_id(), "/", std::string(what)));
  e.set_case_id(r.message().case_id());
  e.set_producer("notification");
  *e.mutable_occurred_at() = time::ToProto(now);
  return e;
}

// Moves the message's state to what its parts say; publishes SmsSent on
// the first arrival at SENT or DELIVERED, and dequeues when it is final or
// unknown.
Change Settle(SmsRecord& r, std::string_view gateway_name, absl::Time now,
              Change change = {}) {
  SmsMessage* m = r.mutable_message();
  SmsState before = m->state();
  SmsState after = StateFromParts(r);
  m->set_state(after);
  *m->mutable_updated_at() = time::ToProto(now);
  bool was_sent = before == caserelay::v1::SMS_STATE_SENT ||
                  before == caserelay::v1::SMS_STATE_DELIVERED;
  bool is_sent = after == caserelay::v1::SMS_STATE_SENT ||
                 after == caserelay::v1::SMS_STATE_DELIVERED;
  if (is_sent && !was_sent) {
    auto e = Event(r, "sent", now);
    auto* s = e.mutable_sms_sent();
    s->set_message_id(m->message_id());
    s->set_gateway(std::string(gateway_name));
    if (m->part_states_size() > 0) {
      s->set_gateway_message_id(m->part_states(0).gateway_message_id());
    }
    s->set_parts(m->part_states_size());
    change.events.push_back(std::move(e));
  }
  if (Final(after) || after == caserelay::v1::SMS_STATE_UNKNOWN) {
    change.dequeue = true;
  } else if (after == caserelay::v1::SMS_STATE_QUEUED &&
             (before == caserelay::v1::SMS_STATE_UNKNOWN)) {
    change.enqueue = true;
  }
  return change;
}

}  // namespace

void StartParts(SmsRecord& record, int parts, absl::Time now) {
  SmsMessage* m = record.mutable_message();
  if (m->part_states_size() > 0) return;
  m->set_parts(parts);
  for (int i = 1; i <= parts; ++i) {
    SmsPart* p = m->add_part_states();
    p->set_index(i);
    SetPart(*p, caserelay::v1::SMS_PART_STATE_PENDING, "", now);
  }
}

int NextPendingPart(const SmsRecord& record) {
  for (const SmsPart& p : record.message().part_states()) {
    if (p.state() == caserelay::v1::SMS_PART_STATE_PENDING) return p.index();
  }
  return 0;
}

SmsState StateFromParts(const SmsRecord& record) {
  const SmsMessage& m = record.message();
  if (m.state() == caserelay::v1::SMS_STATE_FAILED ||
      m.state() == caserelay::v1::SMS_STATE_NO_PHONE) {
    return m.state();
  }
  if (m.part_states_size() == 0) return caserelay::v1::SMS_STATE_QUEUED;
  bool sending = false, unknown = false, all_taken = true, all_delivered = true;
  for (const SmsPart& p : m.part_states()) {
    if (p.state() == caserelay::v1::SMS_PART_STATE_FAILED) {
      return caserelay::v1::SMS_STATE_FAILED;
    }
    sending |= p.state() == caserelay::v1::SMS_PART_STATE_SENDING;
    unknown |= p.state() == caserelay::v1::SMS_PART_STATE_UNKNOWN;
    all_taken &= Taken(p);
    all_delivered &= p.state() == caserelay::v1::SMS_PART_STATE_DELIVERED;
  }
  if (unknown) return caserelay::v1::SMS_STATE_UNKNOWN;
  if (sending) return caserelay::v1::SMS_STATE_SENDING;
  if (all_delivered) return caserelay::v1::SMS_STATE_DELIVERED;
  if (all_taken) return caserelay::v1::SMS_STATE_SENT;
  return caserelay::v1::SMS_STATE_QUEUED;
}

void MarkPartSending(SmsRecord& record, int index, absl::Time now) {
  if (SmsPart* p = Part(record, index)) {
    SetPart(*p, caserelay::v1::SMS_PART_STATE_SENDING, "", now);
  }
  record.mutable_message()->set_state(caserelay::v1::SMS_STATE_SENDING);
  *record.mutable_message()->mutable_updated_at() = time::ToProto(now);
}

Change MarkPartAccepted(SmsRecord& record, int index,
                        const std::string& gateway_id,
                        std::string_view gateway_name, absl::Time now) {
  if (SmsPart* p = Part(record, index)) {
    p->set_gateway_message_id(text::ToValidUtf8(gateway_id));
    if (Rank(p->state()) < 2) {
      SetPart(*p, caserelay::v1::SMS_PART_STATE_ACCEPTED, "", now);
    }
  }
  record.mutable_message()->clear_last_error();
  return Settle(record, gateway_name, now);
}

void MarkPartNotSent(SmsRecord& record, int index, std::string_view why,
                     absl::Time now) {
  // Never back to PENDING (a re-send) once a report proved it out.
  SmsPart* p = Part(record, index);
  if (p != nullptr && Rank(p->state()) < 2) {
    SetPart(*p, caserelay::v1::SMS_PART_STATE_PENDING, "", now);
  }
  SmsMessage* m = record.mutable_message();
  m->set_last_error(text::ToValidUtf8(why));
  m->set_state(StateFromParts(record));
  *m->mutable_updated_at() = time::ToProto(now);
}

Change MarkPartUnknown(SmsRecord& record, int index, std::string_view why,
                       absl::Time now) {
  // A report that came during the call already proved the part out.
  SmsPart* p = Part(record, index);
  if (p != nullptr && Rank(p->state()) < 2) {
    SetPart(*p, caserelay::v1::SMS_PART_STATE_UNKNOWN, "", now);
    record.mutable_message()->set_last_error(text::ToValidUtf8(why));
  }
  // No SmsSent can come of it: a report that took the part on settled the
  // message itself.
  return Settle(record, "", now);
}

Change MarkFailed(SmsRecord& record, int index, std::string_view reason_in,
                  absl::Time now) {
  const std::string reason = text::ToValidUtf8(reason_in);
  SmsMessage* m = record.mutable_message();
  if (m->state() == caserelay::v1::SMS_STATE_FAILED ||
      m->state() == caserelay::v1::SMS_STATE_NO_PHONE ||
      m->state() == caserelay::v1::SMS_STATE_DELIVERED) {
    return {};
  }
  if (SmsPart* p = Part(record, index)) {
    SetPart(*p, caserelay::v1::SMS_PART_STATE_FAILED, reason, now);
  }
  m->set_state(caserelay::v1::SMS_STATE_FAILED);
  m->set_last_error(reason);
  *m->mutable_updated_at() = time::ToProto(now);
  Change change;
  change.dequeue = true;
  auto e =
      Event(record, index > 0 ? absl::StrCat("failed/", index) : "failed", now);
  auto* f = e.mutable_sms_failed();
  f->set_message_id(m->message_id());
  f->set_reason(reason);
  f->set_part(index);
  f->set_parts(m->part_states_size());
  change.events.push_back(std::move(e));
  return change;
}

absl::StatusOr<Change> ApplyReport(SmsRecord& record, const PartReport& report,
                                   std::string_view gateway_name,
                                   absl::Time now) {
  SmsMessage* m = record.mutable_message();
  SmsPart* p = Part(record, report.part);
  if (p == nullptr || report.parts != m->part_states_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("delivery report: part ", report.part, " of ",
                     report.parts, " does not match message ", m->message_id(),
                     " of ", m->part_states_size(), " parts"));
  }
  switch (report.outcome) {
    case ReportOutcome::kQueued:
      return Change{};
    case ReportOutcome::kSmscAccepted:
      if (Rank(p->state()) >= 3) return Change{};
      SetPart(*p, caserelay::v1::SMS_PART_STATE_SMSC_ACCEPTED, report.detail,
              now);
      return Settle(record, gateway_name, now);
    case ReportOutcome::kDelivered: {
      if (Rank(p->state()) >= 4) return Change{};
      SetPart(*p, caserelay::v1::SMS_PART_STATE_DELIVERED, report.detail, now);
      Change change;
      auto e = Event(record, absl::StrCat("delivered/", report.part), now);
      auto* d = e.mutable_sms_delivered();
      d->set_message_id(m->message_id());
      d->set_part(report.part);
      d->set_parts(report.parts);
      change.events.push_back(std::move(e));
      return Settle(record, gateway_name, now, std::move(change));
    }
    case ReportOutcome::kFailed: {
      if (Rank(p->state()) >= 4) return Change{};
      if (m->state() == caserelay::v1::SMS_STATE_FAILED) {
        // Already failed as a whole: record the part, publish nothing new.
        SetPart(*p, caserelay::v1::SMS_PART_STATE_FAILED, report.detail, now);
        return Change{};
      }
      // Also a SENT message: the SMSC says it will not arrive after all.
      return MarkFailed(record, report.part,
                        absl::StrCat("SMSC: undeliverable ", report.detail),
                        now);
    }
  }
  return Change{};
}

absl::StatusOr<Change> ApplyResolution(SmsRecord& record,
                                       caserelay::v1::SmsResolution resolution,
                                       std::string_view note,
                                       std::string_view gateway_name,
                                       absl::Time now) {
  SmsMessage* m = record.mutable_message();
  if (note.empty()) {
    return absl::InvalidArgumentError("note: is required (who decided, why)");
  }
  if (resolution != caserelay::v1::SMS_RESOLUTION_SENT &&
      resolution != caserelay::v1::SMS_RESOLUTION_RESEND &&
      resolution != caserelay::v1::SMS_RESOLUTION_ABANDON) {
    return absl::InvalidArgumentError(
        "resolution: one of SENT, RESEND, ABANDON is required");
  }
  if (m->state() != caserelay::v1::SMS_STATE_UNKNOWN) {
    return absl::FailedPreconditionError(
        absl::StrCat("message ", m->message_id(), " is ",
                     caserelay::v1::SmsState_Name(m->state()),
                     ", not UNKNOWN: there is nothing to resolve"));
  }
  m->set_resolution_note(text::ToValidUtf8(note));
  std::string why = absl::StrCat("operator: ", std::string(note));
  switch (resolution) {
    case caserelay::v1::SMS_RESOLUTION_ABANDON:
      return MarkFailed(record, 0, absl::StrCat("abandoned by ", why), now);
    case caserelay::v1::SMS_RESOLUTION_SENT:
    case caserelay::v1::SMS_RESOLUTION_RESEND:
      for (SmsPart& p : *m->mutable_part_states()) {
        if (p.state() != caserelay::v1::SMS_PART_STATE_UNKNOWN) continue;
        SetPart(p,
                resolution == caserelay::v1::SMS_RESOLUTION_SENT
                    ? caserelay::v1::SMS_PART_STATE_ACCEPTED
                    : caserelay::v1::SMS_PART_STATE_PENDING,
                why, now);
      }
      m->clear_last_error();
      return Settle(record, gateway_name, now);
    default:
      return absl::InvalidArgumentError(
          "resolution: one of SENT, RESEND, ABANDON is required");
  }
}

}  // namespace caserelay::notification
