// Issue 22 item 2: no case event can leave supervision a record that does
// not load. supervision takes text only from routing's case-events (its
// gRPC methods only read): every string of a CaseEvent and its deadlines
// is given hostile text; invalid UTF-8 never reaches Apply (the record off
// Kafka does not parse: a dead letter), valid but odd text (emoji, NUL) is
// applied, timers fire (Tick: warnings, misses, red lights, 督办), and then
// every key of "cases" parses as a SupervisionCaseRecord and every
// published supervision event parses back.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/hostile_text.h"
#include "tests/unit/services/supervision/supervision_fixture.h"

namespace caserelay::supervision::testing {
namespace {

using svctest::Hostile;

std::vector<Hostile> InvalidTexts() { return svctest::InvalidTexts("沁源"); }
std::vector<Hostile> OddTexts() { return svctest::OddTexts("a"); }

// Sets every string field of `m` and of its set messages (lists: each
// item) to `text`; codes too when `codes`, otherwise fields ending in
// "_code" or "_id" keep their value.
void SetTexts(google::protobuf::Message& m, const std::string& text,
              bool codes) {
  using google::protobuf::FieldDescriptor;
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      const std::string& name = f->name();
      const bool code =
          absl::EndsWith(name, "_code") || absl::EndsWith(name, "_id");
      if (code && !codes) continue;
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          r->SetRepeatedString(&m, f, j, text);
        }
      } else {
        r->SetString(&m, f, text);
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          SetTexts(*r->MutableRepeatedMessage(&m, f, j), text, codes);
        }
      } else if (r->HasField(m, f)) {
        SetTexts(*r->MutableMessage(&m, f), text, codes);
      }
    }
  }
}

class SupervisionStoredTextTest : public SupervisionTest {
 protected:
  // A TRANSFER of case `id` with its running transfer deadline, every
  // string of which holds `text`.
  static Envelope Hostile(const std::string& id, const std::string& text,
                          bool codes) {
    Envelope e = Event(1, Received(), {Transfer()}, id);
    auto* c = e.mutable_case_event();
    c->set_actor_office_code("140431:bureau");
    c->set_holder_office_code("140431:bureau");
    c->set_region_code("140431");
    SetTexts(*c, text, codes);
    return e;
  }

  void ExpectEveryRecordLoads() {
    int n = 0;
    absl::Status s = t_->store().Scan(
        kCases, "", "", [&](std::string_view key, std::string_view value) {
          caserelay::v1::SupervisionCaseRecord r;
          EXPECT_TRUE(
              r.ParseFromArray(value.data(), static_cast<int>(value.size())))
              << "cases/" << key << " does not parse";
          ++n;
          return true;
        });
    EXPECT_TRUE(s.ok()) << s;
    EXPECT_GT(n, 0);
    // Published() fails the test for an envelope that does not parse.
    t_->Published("supervision-events");
  }
};

TEST_F(SupervisionStoredTextTest, InvalidUtf8InACaseEventNeverReachesApply) {
  for (const auto& h : InvalidTexts()) {
    for (bool codes : {false, true}) {
      SCOPED_TRACE(absl::StrCat(h.what, codes ? " in every string" : ""));
      Envelope e = Hostile(kCase, h.bytes, codes);
      Envelope back;
      EXPECT_FALSE(back.ParseFromString(e.SerializeAsString()));
    }
  }
}

TEST_F(SupervisionStoredTextTest, OddTextInEveryFieldLeavesRecordsThatLoad) {
  int n = 0;
  for (const auto& h : OddTexts()) {
    for (bool codes : {false, true}) {
      SCOPED_TRACE(absl::StrCat(h.what, codes ? " in every string" : ""));
      const std::string id = absl::StrCat("140431-20261122-00000", ++n);
      Envelope e = Hostile(id, h.bytes, codes);
      store::WriteBatch batch(&t_->store());
      absl::Status s = service_->Apply(e, batch);
      if (codes && !s.ok()) {
        // A code no table knows may be refused, by name.
        EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
        continue;
      }
      ASSERT_EQ(s.code(), absl::StatusCode::kOk) << s;
      ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
    }
  }
  ExpectEveryRecordLoads();
  // The deadlines fall due: warnings, misses, red lights and the 督办
  // carry the stored text on.
  TickAt(TransferDue() - absl::Hours(1));
  TickAt(TransferDue() + absl::Hours(1));
  TickAt(TransferDue() + absl::Hours(24 * 30));
  ExpectEveryRecordLoads();
  EXPECT_FALSE(Missed().empty());
}

}  // namespace
}  // namespace caserelay::supervision::testing
