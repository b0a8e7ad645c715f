// Issue 22 item 2: untrusted bytes never make an SMS record unreadable.
// Every kind of update of message_rules.h is applied through the
// MessageBook (a real temp-dir store) with hostile text where the update
// takes text from outside (a gateway's id and answer, an SMSC's words in a
// delivery report, an operator's note); after each, the record must load
// again (Load, not DATA_LOSS), every event must parse back, and each text
// must be valid UTF-8. Rows cite the rule of message_rules.h ("MR") or the
// issue's source of the bytes.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "common/text/utf8.h"
#include "gtest/gtest.h"
#include "services/notification/message_book.h"
#include "services/notification/message_rules.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/part_letters.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;

constexpr char kCase[] = "140431-20261122-000001";

// Bytes that reach the record from outside, and where they come from.
struct Hostile {
  const char* source;
  std::string bytes;
};

std::vector<Hostile> HostileTexts() {
  std::string cut;  // Kannel's body cut at byte 200 inside a character
  for (int i = 0; i < 66; ++i) cut += "错";
  cut += "\xE9\x94";
  return {
      {"Kannel's a=%FF%FE (DLR %A)", "\xFF\xFE"},
      {"a GBK answer of an SMSC (信访)", "\xD0\xC5\xB7\xC3"},
      {"an error body cut at byte 200", cut},
      {"an overlong '/'", "\xC0\xAF"},
      {"a UTF-8-encoded surrogate", "\xED\xA0\x80"},
  };
}

// One kind of update, with the parts the record starts with (one letter a
// part: P PENDING, S SENDING, A ACCEPTED, C SMSC_ACCEPTED, U UNKNOWN) and
// whether the message starts FAILED.
struct Update {
  const char* rule;
  const char* parts;
  bool failed;
  std::function<absl::StatusOr<Change>(SmsRecord&, const std::string&)> apply;
};

const absl::Time kNow = absl::FromUnixSeconds(1795000300);

PartReport Report(ReportOutcome outcome, const std::string& detail) {
  PartReport r;
  r.part = 1;
  r.parts = 1;
  r.outcome = outcome;
  r.detail = detail;
  return r;
}

std::vector<Update> Updates() {
  using R = absl::StatusOr<Change>;
  return {
      {"MR MarkPartSending (no outside text)", "P", false,
       [](SmsRecord& r, const std::string&) -> R {
         MarkPartSending(r, 1, kNow);
         return Change{};
       }},
      {"MR MarkPartAccepted: the gateway's message id", "S", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return MarkPartAccepted(r, 1, t, "kannel", kNow);
       }},
      {"MR MarkPartNotSent: the gateway's 'not now' words", "S", false,
       [](SmsRecord& r, const std::string& t) -> R {
         MarkPartNotSent(r, 1, t, kNow);
         return Change{};
       }},
      {"MR MarkPartUnknown: the gateway's words", "S", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return MarkPartUnknown(r, 1, t, kNow);
       }},
      {"MR MarkFailed of a part: the gateway's refusal", "S", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return MarkFailed(r, 1, t, kNow);
       }},
      {"MR MarkFailed part 0: given up, the last answer", "P", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return MarkFailed(r, 0, t, kNow);
       }},
      {"MR ApplyReport SMSC accepted (Kannel type 8): %A", "A", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyReport(r, Report(ReportOutcome::kSmscAccepted, t),
                            "kannel", kNow);
       }},
      {"MR ApplyReport buffered (type 4): %A", "A", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyReport(r, Report(ReportOutcome::kQueued, t), "kannel",
                            kNow);
       }},
      {"MR ApplyReport delivered (type 1): %A", "C", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyReport(r, Report(ReportOutcome::kDelivered, t), "kannel",
                            kNow);
       }},
      {"MR ApplyReport undeliverable (type 2/16): %A", "A", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyReport(r, Report(ReportOutcome::kFailed, t), "kannel",
                            kNow);
       }},
      {"MR ApplyReport undeliverable on a FAILED message: %A", "P", true,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyReport(r, Report(ReportOutcome::kFailed, t), "kannel",
                            kNow);
       }},
      {"MR ApplyReport on an UNKNOWN part (type 8): %A", "U", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyReport(r, Report(ReportOutcome::kSmscAccepted, t),
                            "kannel", kNow);
       }},
      {"MR ApplyResolution SENT: the operator's note", "U", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyResolution(r, caserelay::v1::SMS_RESOLUTION_SENT, t,
                                "kannel", kNow);
       }},
      {"MR ApplyResolution RESEND: the operator's note", "U", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyResolution(r, caserelay::v1::SMS_RESOLUTION_RESEND, t,
                                "kannel", kNow);
       }},
      {"MR ApplyResolution ABANDON: the operator's note", "U", false,
       [](SmsRecord& r, const std::string& t) -> R {
         return ApplyResolution(r, caserelay::v1::SMS_RESOLUTION_ABANDON, t,
                                "kannel", kNow);
       }},
  };
}

using parttest::PartState;

// Every string of the record and its parts is valid UTF-8.
void ExpectValidTexts(const SmsRecord& r) {
  const auto& m = r.message();
  for (const std::string* s :
       {&m.message_id(), &m.case_id(), &m.trigger(), &m.text(),
        &m.phone_masked(), &m.gateway_message_id(), &m.last_error(),
        &m.resolution_note()}) {
    EXPECT_TRUE(text::IsValidUtf8(*s)) << *s;
  }
  for (const auto& p : m.part_states()) {
    EXPECT_TRUE(text::IsValidUtf8(p.detail())) << p.detail();
    EXPECT_TRUE(text::IsValidUtf8(p.gateway_message_id()));
  }
}

class StoredTextTest : public svctest::StoreFixture {
 protected:
  StoredTextTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    book_ = std::make_unique<MessageBook>(t_->context());
  }

  void Put(const std::string& id, const Update& u) {
    SmsRecord r;
    r.mutable_message()->set_message_id(id);
    r.mutable_message()->set_case_id(kCase);
    r.mutable_message()->set_trigger("received");
    r.set_queue_key(MessageBook::QueueKey(kCase, 3, id));
    const std::string parts = u.parts;
    StartParts(r, static_cast<int>(parts.size()), t_->clock().Now());
    for (size_t i = 0; i < parts.size(); ++i) {
      r.mutable_message()
          ->mutable_part_states(static_cast<int>(i))
          ->set_state(PartState(parts[i]));
    }
    r.mutable_message()->set_state(u.failed ? caserelay::v1::SMS_STATE_FAILED
                                            : StateFromParts(r));
    store::WriteBatch batch(&t_->store());
    batch.Put(kMessages, id, r.SerializeAsString());
    batch.Put(kQueue, r.queue_key(), id);
    ASSERT_TRUE(t_->publisher().Commit(batch).ok());
  }

  std::unique_ptr<MessageBook> book_;
};

TEST_F(StoredTextTest, EveryUpdateWithHostileTextLeavesARecordThatLoads) {
  int n = 0;
  for (const Update& u : Updates()) {
    for (const Hostile& h : HostileTexts()) {
      SCOPED_TRACE(absl::StrCat(u.rule, " with ", h.source));
      const std::string id = absl::StrCat("routing/", kCase, "/", ++n, "/sms");
      Put(id, u);
      std::vector<Envelope> events;
      auto updated =
          book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
            auto c = u.apply(r, h.bytes);
            if (c.ok()) events = c->events;
            return c;
          });
      ASSERT_TRUE(updated.ok()) << updated.status();
      auto loaded = book_->Load(id);
      ASSERT_TRUE(loaded.ok()) << loaded.status();
      EXPECT_EQ(loaded->SerializeAsString(), updated->SerializeAsString());
      ExpectValidTexts(*loaded);
      for (const Envelope& e : events) {
        Envelope back;
        EXPECT_TRUE(back.ParseFromString(e.SerializeAsString()))
            << "event " << e.event_id() << " would not parse on the topic";
        EXPECT_TRUE(text::IsValidUtf8(e.sms_failed().reason()));
      }
    }
  }
  // The events on notification-events, as consumers will read them.
  for (const Envelope& e : t_->Published("notification-events")) {
    EXPECT_TRUE(text::IsValidUtf8(e.sms_failed().reason())) << e.event_id();
  }
}

TEST_F(StoredTextTest, ValidTextIsKeptAsItIs) {
  // MR: repair only what is broken: the SMSC's own Chinese words stay.
  const Update report = Updates()[6];  // ApplyReport SMSC accepted
  const std::string id = absl::StrCat("routing/", kCase, "/1/sms");
  Put(id, report);
  auto updated = book_->Update(id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
    return report.apply(r, "已提交短信中心");
  });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->message().part_states(0).detail(), "已提交短信中心");
}

}  // namespace
}  // namespace caserelay::notification
