// message_rules.h: what each thing learnt about an SMS record does to it.
// Rows cite the rule they check: the header comments of message_rules.h
// ("MR"), gateway.h, DESIGN.md "Side effects outside Kafka ... reconciled,
// never blindly re-sent", Kannel 1.4.5's DLR types, issue 5's items (#3
// delivery reports per part, #4 exactly once).
//
// Parts are written one letter each: P PENDING, S SENDING, A ACCEPTED,
// C SMSC_ACCEPTED, D DELIVERED, F FAILED, U UNKNOWN, ? UNSPECIFIED.
// Events are written without the message id: "sent" is "<msg>/sent".

#include "services/notification/message_rules.h"
#include "tests/unit/services/notification/part_letters.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsPartState;
using caserelay::v1::SmsRecord;
using caserelay::v1::SmsState;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kMsg[] = "routing/140431-20261122-000001/3/sms";
constexpr char kCase[] = "140431-20261122-000001";
constexpr char kNote[] = "王五: 短信平台查无此条";
const absl::Time kStart = absl::FromUnixSeconds(1795000000);
const absl::Time kNow = kStart + absl::Minutes(5);

// Record(): the message in the state its parts give.
constexpr SmsState kAsParts = caserelay::v1::SMS_STATE_UNSPECIFIED;
constexpr SmsState kQueued = caserelay::v1::SMS_STATE_QUEUED;
constexpr SmsState kSending = caserelay::v1::SMS_STATE_SENDING;
constexpr SmsState kSent = caserelay::v1::SMS_STATE_SENT;
constexpr SmsState kDelivered = caserelay::v1::SMS_STATE_DELIVERED;
constexpr SmsState kFailed = caserelay::v1::SMS_STATE_FAILED;
constexpr SmsState kNoPhone = caserelay::v1::SMS_STATE_NO_PHONE;
constexpr SmsState kUnknown = caserelay::v1::SMS_STATE_UNKNOWN;

using parttest::Letters;
using parttest::PartState;

// A record of kMsg with one part per letter of `parts` (gateway id
// "gw-<index>" on parts the gateway took) in `state`.
SmsRecord Record(const std::string& parts, SmsState state = kAsParts) {
  SmsRecord r;
  r.mutable_message()->set_message_id(kMsg);
  r.mutable_message()->set_case_id(kCase);
  r.mutable_message()->set_trigger("received");
  r.set_queue_key(
      absl::StrCat(kCase, "\x1f", "00000000000000000003\x1f", kMsg));
  StartParts(r, static_cast<int>(parts.size()), kStart);
  for (size_t i = 0; i < parts.size(); ++i) {
    auto* p = r.mutable_message()->mutable_part_states(static_cast<int>(i));
    p->set_state(PartState(parts[i]));
    if (std::string("ACD").find(parts[i]) != std::string::npos) {
      p->set_gateway_message_id(absl::StrCat("gw-", i + 1));
    }
  }
  r.mutable_message()->set_state(state != kAsParts ? state : StateFromParts(r));
  return r;
}

std::string Id(const std::string& what) {
  return absl::StrCat(kMsg, "/", what);
}

// The change's event ids without "<msg>/", space-separated.
std::string Events(const Change& c) {
  std::vector<std::string> ids;
  for (const Envelope& e : c.events) {
    const std::string prefix = Id("");
    ids.push_back(e.event_id().rfind(prefix, 0) == 0
                      ? e.event_id().substr(prefix.size())
                      : e.event_id());
  }
  return absl::StrJoin(ids, " ");
}

enum class Queue { kStays, kEnqueue, kDequeue };

Queue QueueOf(const Change& c) {
  EXPECT_FALSE(c.enqueue && c.dequeue);
  return c.enqueue   ? Queue::kEnqueue
         : c.dequeue ? Queue::kDequeue
                     : Queue::kStays;
}

PartReport Report(int part, ReportOutcome outcome, int parts) {
  PartReport report;
  report.message_id = kMsg;
  report.part = part;
  report.parts = parts;
  report.outcome = outcome;
  report.detail = "ACK/";
  return report;
}

// ---------------------------------------------------------------- state

TEST(StateFromPartsTest, FollowsTheTableOfTheHeader) {
  struct Row {
    const char* parts;
    SmsState stored, expected;
    const char* rule;
  };
  // clang-format off
  const Row rows[] = {
      {"", kQueued, kQueued, "MR: no parts yet"},
      {"P", kQueued, kQueued, "MR: QUEUED some part PENDING"},
      {"AP", kQueued, kQueued, "MR: QUEUED some part PENDING"},
      {"DCP", kQueued, kQueued, "MR: QUEUED whatever reports said before"},
      {"?", kQueued, kQueued, "a part in no known state is not taken"},
      {"S", kQueued, kSending, "MR: SENDING a part SENDING"},
      {"AS", kQueued, kSending, "MR: SENDING"},
      {"SP", kQueued, kSending, "MR: QUEUED only if none SENDING"},
      {"U", kQueued, kUnknown, "MR: UNKNOWN a part UNKNOWN"},
      {"UP", kQueued, kUnknown, "MR: QUEUED only if none UNKNOWN"},
      {"AU", kQueued, kUnknown, "MR: UNKNOWN"},
      {"US", kQueued, kUnknown, "MR: UNKNOWN over SENDING"},
      {"A", kQueued, kSent, "MR: SENT every part ACCEPTED or further"},
      {"AC", kQueued, kSent, "MR: SENT"},
      {"DA", kQueued, kSent, "MR: SENT, not all DELIVERED"},
      {"DC", kQueued, kSent, "MR: SENT, not all DELIVERED"},
      {"D", kQueued, kDelivered, "MR: DELIVERED every part"},
      {"DDD", kQueued, kDelivered, "MR: DELIVERED every part"},
      {"F", kQueued, kFailed, "MR: FAILED a part FAILED"},
      {"DF", kQueued, kFailed, "MR: FAILED a part FAILED"},
      {"FU", kQueued, kFailed, "MR: FAILED over UNKNOWN"},
      {"SF", kQueued, kFailed, "MR: FAILED over SENDING"},
      {"PP", kFailed, kFailed, "MR: keeps FAILED (given up)"},
      {"DD", kFailed, kFailed, "MR: keeps FAILED"},
      {"", kNoPhone, kNoPhone, "MR: keeps NO_PHONE"},
      {"A", kSending, kSent, "the parts decide, not the stored state"},
      {"P", kDelivered, kQueued, "the parts decide, not the stored state"},
  };
  // clang-format on
  for (const Row& row : rows) {
    EXPECT_EQ(StateFromParts(Record(row.parts, row.stored)), row.expected)
        << row.parts << " stored " << SmsState_Name(row.stored) << ": "
        << row.rule;
  }
}

TEST(StartPartsTest, StartsEveryPartPendingOnce) {
  SmsRecord r;
  StartParts(r, 3, kStart);
  EXPECT_EQ(Letters(r), "PPP");
  EXPECT_EQ(r.message().parts(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.message().part_states(i).index(), i + 1);
    EXPECT_EQ(time::FromProto(r.message().part_states(i).updated_at()), kStart);
  }
  r.mutable_message()->mutable_part_states(0)->set_state(
      caserelay::v1::SMS_PART_STATE_ACCEPTED);
  const std::string before = r.SerializeAsString();
  StartParts(r, 2, kNow);  // MR: "does nothing when ... already has parts"
  EXPECT_EQ(r.SerializeAsString(), before);
}

TEST(NextPendingPartTest, IsTheFirstPendingPartOrZero) {
  const std::pair<const char*, int> rows[] = {
      {"P", 1}, {"PP", 1}, {"AP", 2}, {"DCP", 3}, {"APP", 2},
      {"A", 0}, {"AS", 0}, {"DD", 0}, {"", 0},    {"U", 0},
  };
  for (const auto& [parts, next] : rows) {
    EXPECT_EQ(NextPendingPart(Record(parts)), next) << parts;
  }
}

TEST(MarkPartSendingTest, RecordsThePartAndTheMessageSendingBeforeTheCall) {
  SmsRecord r = Record("AP");
  MarkPartSending(r, 2, kNow);  // DESIGN.md: record "sending" before the call
  EXPECT_EQ(Letters(r), "AS");
  EXPECT_EQ(r.message().state(), kSending);
  EXPECT_EQ(time::FromProto(r.message().part_states(1).updated_at()), kNow);
  EXPECT_EQ(time::FromProto(r.message().updated_at()), kNow);
}

TEST(MarkPartNotSentTest, PartPendingAgainMessageQueuedWithTheReason) {
  // gateway.h UNAVAILABLE / RESOURCE_EXHAUSTED: not sent, tried again.
  SmsRecord r = Record("AS", kSending);
  MarkPartNotSent(r, 2, "gateway unreachable: refused", kNow);
  EXPECT_EQ(Letters(r), "AP");
  EXPECT_EQ(r.message().state(), kQueued);
  EXPECT_EQ(r.message().last_error(), "gateway unreachable: refused");
  EXPECT_EQ(time::FromProto(r.message().updated_at()), kNow);
}

// ---------------------------------------------------------- transitions

// What is learnt: the sender's record of the gateway's answer, a delivery
// report (Kannel's DLR type in the name), an operator's decision.
enum class Do {
  kAccepted,     // MarkPartAccepted(index, "gw-<index>")
  kNoAnswer,     // MarkPartUnknown(index, "no answer")
  kGiveUp,       // MarkFailed(index, "refused: bad number")
  kSmsc8,        // ApplyReport kSmscAccepted (Kannel type 8)
  kBuffered4,    // ApplyReport kQueued (type 4)
  kDelivered1,   // ApplyReport kDelivered (type 1)
  kFailed2,      // ApplyReport kFailed (types 2, 16)
  kResolveSent,  // ApplyResolution SENT
  kResend,       // ApplyResolution RESEND
  kAbandon,      // ApplyResolution ABANDON
  kSending,      // MarkPartSending (runs of steps only, below)
};

absl::StatusOr<Change> Learn(SmsRecord& r, Do what, int index) {
  static const ReportOutcome kOutcomes[] = {
      ReportOutcome::kSmscAccepted, ReportOutcome::kQueued,
      ReportOutcome::kDelivered, ReportOutcome::kFailed};
  static const caserelay::v1::SmsResolution kResolutions[] = {
      caserelay::v1::SMS_RESOLUTION_SENT, caserelay::v1::SMS_RESOLUTION_RESEND,
      caserelay::v1::SMS_RESOLUTION_ABANDON};
  const int step = static_cast<int>(what);
  const int n = r.message().part_states_size();
  switch (what) {
    case Do::kAccepted:
      return MarkPartAccepted(r, index, absl::StrCat("gw-", index), "kannel",
                              kNow);
    case Do::kNoAnswer:
      return MarkPartUnknown(r, index, "no answer", kNow);
    case Do::kGiveUp:
      return MarkFailed(r, index, "refused: bad number", kNow);
    case Do::kSmsc8:
    case Do::kBuffered4:
    case Do::kDelivered1:
    case Do::kFailed2: {
      const ReportOutcome o = kOutcomes[step - static_cast<int>(Do::kSmsc8)];
      return ApplyReport(r, Report(index, o, n), "kannel", kNow);
    }
    case Do::kResolveSent:
    case Do::kResend:
    case Do::kAbandon:
      return ApplyResolution(
          r, kResolutions[step - static_cast<int>(Do::kResolveSent)], kNote,
          "kannel", kNow);
    case Do::kSending:
      MarkPartSending(r, index, kNow);
      return Change{};
  }
  return absl::InternalError("no such step");
}

struct Row {
  const char* parts;
  SmsState stored;
  Do what;
  int index;
  const char* parts_after;
  SmsState after;
  const char* events;
  Queue queue;
  const char* rule;
};

constexpr Queue kStays = Queue::kStays, kEnqueue = Queue::kEnqueue,
                kDequeue = Queue::kDequeue;

// clang-format off
const Row kRows[] = {
  // MarkPartAccepted
  {"AS", kSending, Do::kAccepted, 2, "AA", kSent, "sent", kDequeue,
   "MR: every part taken: SENT, dequeued, SmsSent"},
  {"S", kSending, Do::kAccepted, 1, "A", kSent, "sent", kDequeue,
   "MR: every part taken (1 part)"},
  {"SP", kSending, Do::kAccepted, 1, "AP", kQueued, "", kStays,
   "MR: part 2 still to send; SmsSent only when every part is taken"},
  {"C", kAsParts, Do::kAccepted, 1, "C", kSent, "", kDequeue,
   "MR: a report that came first is kept; SmsSent was published then"},
  {"D", kAsParts, Do::kAccepted, 1, "D", kDelivered, "", kDequeue,
   "MR: a report that came first is kept"},
  {"FP", kAsParts, Do::kAccepted, 1, "FP", kFailed, "", kDequeue,
   "MR: reported undeliverable first: FAILED kept"},
  // MarkPartUnknown
  {"AS", kSending, Do::kNoAnswer, 2, "AU", kUnknown, "", kDequeue,
   "gateway.h UNKNOWN: never retried blindly, off the queue"},
  {"SP", kSending, Do::kNoAnswer, 1, "UP", kUnknown, "", kDequeue,
   "DESIGN.md: later parts wait for the reconciliation"},
  {"C", kAsParts, Do::kNoAnswer, 1, "C", kSent, "", kDequeue,
   "MR: the DLR came during the call: a report never moves a part back"},
  {"D", kAsParts, Do::kNoAnswer, 1, "D", kDelivered, "", kDequeue,
   "MR: the DLR came during the call: a report never moves a part back"},
  // MarkFailed
  {"P", kQueued, Do::kGiveUp, 0, "P", kFailed, "failed", kDequeue,
   "MR: given up (sms.max_attempts): SmsFailed part 0"},
  {"AS", kSending, Do::kGiveUp, 2, "AF", kFailed, "failed/2", kDequeue,
   "MR + gateway.h: one part refused for good"},
  {"AC", kAsParts, Do::kGiveUp, 2, "AF", kFailed, "failed/2", kDequeue,
   "MR: a SENT message can still fail"},
  {"PP", kFailed, Do::kGiveUp, 1, "PP", kFailed, "", kStays,
   "MR: already FAILED is kept"},
  {"", kNoPhone, Do::kGiveUp, 0, "", kNoPhone, "", kStays,
   "MR: NO_PHONE is kept"},
  {"DD", kAsParts, Do::kGiveUp, 2, "DD", kDelivered, "", kStays,
   "MR: DELIVERED is kept"},
  // ApplyReport
  {"A", kAsParts, Do::kSmsc8, 1, "C", kSent, "", kDequeue,
   "Kannel type 8 on a SENT part: proof, no event"},
  {"C", kAsParts, Do::kDelivered1, 1, "D", kDelivered, "delivered/1",
   kDequeue, "#3 type 1: SmsDelivered; MR DELIVERED every part"},
  {"AA", kAsParts, Do::kDelivered1, 1, "DA", kSent, "delivered/1", kDequeue,
   "#3 per part: the message stays SENT"},
  {"DC", kAsParts, Do::kDelivered1, 2, "DD", kDelivered, "delivered/2",
   kDequeue, "MR: DELIVERED every part"},
  {"AA", kAsParts, Do::kFailed2, 2, "AF", kFailed, "failed/2", kDequeue,
   "MR: a failure report on a SENT message: FAILED, SmsFailed(part)"},
  {"CS", kAsParts, Do::kFailed2, 1, "FS", kFailed, "failed/1", kDequeue,
   "MR: reported undeliverable while the next part is sent"},
  {"S", kSending, Do::kBuffered4, 1, "S", kSending, "", kStays,
   "Kannel type 4 buffered: no change of state"},
  {"S", kSending, Do::kSmsc8, 1, "C", kSent, "sent", kDequeue,
   "MR: DLR before the sender's record: kept, SENT, SmsSent"},
  {"SP", kSending, Do::kDelivered1, 1, "DP", kQueued, "delivered/1", kStays,
   "MR: DLR before the sender's record, part 2 still to send"},
  {"U", kAsParts, Do::kSmsc8, 1, "C", kSent, "sent", kDequeue,
   "MR + DESIGN.md: UNKNOWN reconciled by a report, every part taken"},
  {"AU", kAsParts, Do::kSmsc8, 2, "AC", kSent, "sent", kDequeue,
   "MR: UNKNOWN last part reconciled: SENT"},
  {"UP", kAsParts, Do::kSmsc8, 1, "CP", kQueued, "", kEnqueue,
   "MR: UNKNOWN reconciled, later parts PENDING: QUEUED again"},
  {"AUP", kAsParts, Do::kDelivered1, 2, "ADP", kQueued, "delivered/2",
   kEnqueue, "MR: UNKNOWN reconciled by type 1, part 3 still to send"},
  {"U", kAsParts, Do::kFailed2, 1, "F", kFailed, "failed/1", kDequeue,
   "MR: UNKNOWN reconciled as undeliverable"},
  {"UP", kAsParts, Do::kBuffered4, 1, "UP", kUnknown, "", kStays,
   "Kannel type 4: no change of state"},
  {"PP", kFailed, Do::kFailed2, 1, "FP", kFailed, "", kStays,
   "MR: FAILED as a whole: the part recorded, nothing new published"},
  {"FA", kAsParts, Do::kDelivered1, 2, "FD", kFailed, "delivered/2", kDequeue,
   "MR: SmsDelivered once per part a report names; FAILED kept"},
  // ApplyResolution
  {"U", kAsParts, Do::kResolveSent, 0, "A", kSent, "sent", kDequeue,
   "notification.proto SENT: the unknown parts count as taken"},
  {"UP", kAsParts, Do::kResolveSent, 0, "AP", kQueued, "", kEnqueue,
   "notification.proto SENT: parts never tried are sent"},
  {"U", kAsParts, Do::kResend, 0, "P", kQueued, "", kEnqueue,
   "notification.proto RESEND: the unknown parts are sent again"},
  {"AUP", kAsParts, Do::kResend, 0, "APP", kQueued, "", kEnqueue,
   "RESEND: the unknown part only, not the accepted one"},
  {"AU", kAsParts, Do::kAbandon, 0, "AU", kFailed, "failed", kDequeue,
   "notification.proto ABANDON: FAILED, SmsFailed part 0"},
};
// clang-format on

const char* Name(Do what) {
  static const char* const kNames[] = {
      "MarkPartAccepted", "MarkPartUnknown", "MarkFailed",     "DLR type 8",
      "DLR type 4",       "DLR type 1",      "DLR type 2/16",  "resolve SENT",
      "resolve RESEND",   "resolve ABANDON", "MarkPartSending"};
  return kNames[static_cast<int>(what)];
}

std::string Describe(const Row& row) {
  return absl::StrCat(row.parts, " ", SmsState_Name(row.stored), ", ",
                      Name(row.what), " part ", row.index, ": ", row.rule);
}

// The payload of each event agrees with the row and the record after it.
void ExpectPayloads(const Row& row, const SmsRecord& r, const Change& c) {
  const int n = r.message().part_states_size();
  for (const Envelope& e : c.events) {
    EXPECT_EQ(e.case_id(), kCase) << e.event_id();
    EXPECT_EQ(e.producer(), "notification") << e.event_id();
    EXPECT_EQ(time::FromProto(e.occurred_at()), kNow) << e.event_id();
    if (e.has_sms_sent()) {
      EXPECT_EQ(e.sms_sent().message_id(), kMsg);
      EXPECT_EQ(e.sms_sent().gateway(), "kannel");
      EXPECT_EQ(e.sms_sent().parts(), n);
      EXPECT_EQ(e.sms_sent().gateway_message_id(),
                r.message().part_states(0).gateway_message_id())
          << "events.proto: the first part's";
    } else if (e.has_sms_delivered()) {
      EXPECT_EQ(e.sms_delivered().message_id(), kMsg);
      EXPECT_EQ(e.sms_delivered().part(), row.index);
      EXPECT_EQ(e.sms_delivered().parts(), n);
    } else {
      ASSERT_TRUE(e.has_sms_failed()) << e.event_id();
      EXPECT_EQ(e.sms_failed().message_id(), kMsg);
      EXPECT_EQ(e.sms_failed().part(), row.index);
      EXPECT_EQ(e.sms_failed().parts(), n);
      EXPECT_EQ(e.sms_failed().reason(), r.message().last_error());
      const std::string why = row.what == Do::kFailed2   ? "ACK/"
                              : row.what == Do::kAbandon ? kNote
                                                         : "bad number";
      EXPECT_THAT(e.sms_failed().reason(), HasSubstr(why));
      if (row.index > 0) {
        EXPECT_EQ(r.message().part_states(row.index - 1).detail(),
                  e.sms_failed().reason());
      }
    }
  }
}

TEST(TransitionTest, EachRuleMovesTheRecordAndSaysWhatToDo) {
  for (const Row& row : kRows) {
    SCOPED_TRACE(Describe(row));
    SmsRecord r = Record(row.parts, row.stored);
    r.mutable_message()->set_last_error("an earlier trouble");
    const std::string before = r.SerializeAsString();
    const SmsState stored = r.message().state();
    absl::StatusOr<Change> c = Learn(r, row.what, row.index);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(Letters(r), row.parts_after);
    EXPECT_EQ(r.message().state(), row.after);
    EXPECT_EQ(Events(*c), row.events);
    EXPECT_EQ(QueueOf(*c), row.queue);
    ExpectPayloads(row, r, *c);
    if (row.what == Do::kAccepted) {
      EXPECT_THAT(r.message().last_error(), IsEmpty());
    }
    if (row.after == kUnknown && row.what == Do::kNoAnswer) {
      EXPECT_EQ(r.message().last_error(), "no answer");
    }
    if (row.what >= Do::kResolveSent && row.what <= Do::kAbandon) {
      EXPECT_EQ(r.message().resolution_note(), kNote);
    }
    if (row.queue == kStays && row.parts == std::string(row.parts_after) &&
        row.after == stored && *row.events == '\0') {
      EXPECT_EQ(r.SerializeAsString(), before) << "nothing learnt, no change";
    }
    if (row.after != stored) {
      EXPECT_EQ(time::FromProto(r.message().updated_at()), kNow);
    }
  }
}

TEST(TransitionTest, ReportTheRecordReflectsChangesAndPublishesNothing) {
  // MR ApplyReport: "A report the record already reflects changes nothing
  // and publishes nothing (Kannel may call twice)": every report row of
  // the table, applied again.
  for (const Row& row : kRows) {
    if (row.what < Do::kSmsc8 || row.what > Do::kFailed2) continue;
    SCOPED_TRACE(Describe(row));
    SmsRecord r = Record(row.parts, row.stored);
    ASSERT_TRUE(Learn(r, row.what, row.index).ok());
    const std::string once = r.SerializeAsString();
    absl::StatusOr<Change> again = Learn(r, row.what, row.index);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(r.SerializeAsString(), once);
    EXPECT_EQ(Events(*again), "");
    EXPECT_NE(QueueOf(*again), kEnqueue);
  }
}

TEST(TransitionTest, LaterReportOfLessProgressChangesNothing) {
  // MR: a report never moves a part back (type 8 after type 1 over HTTP).
  for (const char* parts : {"D", "F"}) {
    for (Do what :
         {Do::kSmsc8, Do::kBuffered4, Do::kDelivered1, Do::kFailed2}) {
      SmsRecord r = Record(parts);
      const std::string before = r.SerializeAsString();
      absl::StatusOr<Change> c = Learn(r, what, 1);
      ASSERT_TRUE(c.ok()) << c.status();
      EXPECT_EQ(Events(*c), "") << parts;
      EXPECT_EQ(r.SerializeAsString(), before) << parts;
    }
  }
}

TEST(ApplyReportTest, PartsThatDoNotMatchTheRecordAreRefused) {
  const std::pair<int, int> rows[] = {{0, 2}, {3, 2}, {3, 3},
                                      {1, 1}, {2, 3}, {-1, 2}};
  for (const auto& [part, parts] : rows) {
    SmsRecord r = Record("AA");
    const std::string before = r.SerializeAsString();
    auto c = ApplyReport(r, Report(part, ReportOutcome::kDelivered, parts),
                         "kannel", kNow);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument)
        << "MR: part " << part << " of " << parts << " on 2 parts";
    EXPECT_EQ(r.SerializeAsString(), before) << "MR: nothing changed";
  }
}

TEST(ApplyResolutionTest, RefusedDecisionsChangeNothing) {
  struct Refused {
    const char* parts;
    int resolution;
    const char* note;
    absl::StatusCode code;
    const char* rule;
  };
  constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  // clang-format off
  const Refused rows[] = {
      {"A", caserelay::v1::SMS_RESOLUTION_SENT, "n", kPrecondition,
       "MR: only an UNKNOWN message (SENT)"},
      {"AP", caserelay::v1::SMS_RESOLUTION_RESEND, "n", kPrecondition,
       "MR: QUEUED is not UNKNOWN"},
      {"S", caserelay::v1::SMS_RESOLUTION_ABANDON, "n", kPrecondition,
       "MR: SENDING is not UNKNOWN"},
      {"F", caserelay::v1::SMS_RESOLUTION_RESEND, "n", kPrecondition,
       "MR: FAILED is not UNKNOWN"},
      {"U", caserelay::v1::SMS_RESOLUTION_SENT, "", kInvalid,
       "MR: a note is required"},
      {"U", caserelay::v1::SMS_RESOLUTION_UNSPECIFIED, "n", kInvalid,
       "MR: a resolution is required"},
      {"U", 99, "n", kInvalid, "MR: one of SENT, RESEND, ABANDON"},
  };
  // clang-format on
  for (const Refused& row : rows) {
    SmsRecord r = Record(row.parts);
    const std::string before = r.SerializeAsString();
    auto c = ApplyResolution(
        r, static_cast<caserelay::v1::SmsResolution>(row.resolution), row.note,
        "kannel", kNow);
    EXPECT_EQ(c.status().code(), row.code) << row.rule;
    EXPECT_EQ(r.SerializeAsString(), before)
        << row.rule << ": MR \"Errors, nothing changed\" (resolution_note \""
        << r.message().resolution_note() << "\")";
  }
}

// ---------------------------------------------------------------- orders

// One step of a run: Do::kSending(part) is the sender recording the part
// SENDING, which it does only while the message is QUEUED with that part
// next; the other steps as in the table above.
struct Learnt {
  Do what;
  int part;
};

// A fresh record of `parts` PENDING parts after `steps`; `ids` gets every
// event published.
SmsRecord RunSteps(int parts, const std::vector<Learnt>& steps,
                   std::vector<std::string>& ids) {
  SmsRecord r = Record(std::string(parts, 'P'));
  for (const Learnt& l : steps) {
    if (l.what == Do::kSending) {
      if (r.message().state() == kQueued && NextPendingPart(r) == l.part) {
        MarkPartSending(r, l.part, kNow);
      }
      continue;
    }
    absl::StatusOr<Change> c = Learn(r, l.what, l.part);
    EXPECT_TRUE(c.ok()) << c.status();
    if (!c.ok()) continue;
    for (const Envelope& e : c->events) ids.push_back(e.event_id());
  }
  return r;
}

bool BySender(Do what) {
  return what == Do::kSending || what == Do::kAccepted || what == Do::kNoAnswer;
}

// Calls `check` with every order of `steps` in which the sender's steps
// keep their order and each report comes after its part was SENDING.
template <typename F>
void ForEveryOrder(const std::vector<Learnt>& steps, F check) {
  std::vector<int> order(steps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  do {
    std::vector<Learnt> run;
    std::map<int, bool> sending;
    bool valid = true;
    int sender = -1;
    for (int i : order) {
      const Learnt& l = steps[i];
      if (BySender(l.what)) {
        valid &= i > sender;
        sender = i;
      } else {
        valid &= sending[l.part];
      }
      if (l.what == Do::kSending) sending[l.part] = true;
      run.push_back(l);
    }
    if (valid) check(run);
  } while (std::next_permutation(order.begin(), order.end()));
}

std::string Describe(const std::vector<Learnt>& run) {
  std::string out;
  for (const Learnt& l : run) {
    absl::StrAppend(&out, " ", Name(l.what), "(", l.part, ")");
  }
  return out;
}

int Count(const std::vector<std::string>& ids, const std::string& what) {
  return static_cast<int>(std::count(ids.begin(), ids.end(), Id(what)));
}

TEST(MessageOrdersTest, SmsSentOnceAndEachPartDeliveredOnceInEveryOrder) {
  // #4 exactly once; MR "SmsSent is published once ... SmsDelivered once
  // per part": 2 parts, Kannel's types 8 and 1 for each part (dlr-mask 31
  // through the fake SMSC) in every order after the part left, then each
  // report again.
  const std::vector<Learnt> steps = {{Do::kSending, 1}, {Do::kAccepted, 1},
                                     {Do::kSending, 2}, {Do::kAccepted, 2},
                                     {Do::kSmsc8, 1},   {Do::kDelivered1, 1},
                                     {Do::kSmsc8, 2},   {Do::kDelivered1, 2}};
  int orders = 0;
  ForEveryOrder(steps, [&](const std::vector<Learnt>& run) {
    ++orders;
    std::vector<Learnt> twice = run;
    for (const Learnt& l : run) {
      if (!BySender(l.what)) twice.push_back(l);
    }
    std::vector<std::string> ids;
    SmsRecord r = RunSteps(2, twice, ids);
    EXPECT_THAT(ids, ::testing::UnorderedElementsAre(
                         Id("sent"), Id("delivered/1"), Id("delivered/2")))
        << Describe(run);
    EXPECT_EQ(Letters(r), "DD") << Describe(run);
    EXPECT_EQ(r.message().state(), kDelivered) << Describe(run);
  });
  EXPECT_GT(orders, 100) << "the orders were generated";
}

TEST(MessageOrdersTest, UnansweredPartThenReportsSendsOnceInEveryOrder) {
  // gateway.h UNKNOWN + DESIGN.md "reconciled, never blindly re-sent": the
  // gateway's answer to part 1 is lost; Kannel's types 8 and 1 for it may
  // come before or after the sender records UNKNOWN. A 1-part message ends
  // DELIVERED with one SmsSent; of 2 parts, part 2 goes once part 1 is
  // proved, and the message ends DELIVERED with one SmsSent.
  const std::vector<Learnt> steps = {{Do::kSending, 1},
                                     {Do::kNoAnswer, 1},
                                     {Do::kSmsc8, 1},
                                     {Do::kDelivered1, 1}};
  const std::vector<Learnt> part2 = {
      {Do::kSending, 2}, {Do::kAccepted, 2}, {Do::kDelivered1, 2}};
  for (int parts : {1, 2}) {
    ForEveryOrder(steps, [&](std::vector<Learnt> run) {
      const std::string what = absl::StrCat(parts, " parts:", Describe(run));
      if (parts == 2) run.insert(run.end(), part2.begin(), part2.end());
      std::vector<std::string> ids;
      SmsRecord r = RunSteps(parts, run, ids);
      EXPECT_EQ(Count(ids, "sent"), 1) << what;
      EXPECT_EQ(Count(ids, "delivered/1"), 1) << what;
      EXPECT_EQ(Letters(r), std::string(parts, 'D')) << what;
      EXPECT_EQ(r.message().state(), kDelivered) << what;
    });
  }
}

}  // namespace
}  // namespace caserelay::notification
