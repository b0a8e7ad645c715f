// Issue 22 item 2: untrusted bytes never make an intake record unreadable.
// Every update path of IntakeServiceImpl (SubmitPetition, Apply of a
// CaseEvent) is driven with hostile text in each string that comes from
// outside; the request is refused with INVALID_ARGUMENT naming the field,
// or stored, and then every key of every proto family (cases,
// petitioners, requests) parses as its type and every published
// PetitionReceived parses back.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "common/text/utf8.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "services/intake/petitioner_vault.h"
#include "tests/unit/services/hostile_text.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SubmitPetitionRequest;

using svctest::Hostile;

std::vector<Hostile> InvalidTexts() { return svctest::InvalidTexts("张三"); }
std::vector<Hostile> OddTexts() { return svctest::OddTexts("张三"); }

// One string field of the request, by its path in INVALID_ARGUMENT.
struct TextField {
  const char* path;
  std::function<void(SubmitPetitionRequest&, const std::string&)> set;
};

std::vector<TextField> TextFields() {
  using R = SubmitPetitionRequest;
  using S = const std::string;
  return {
      {"petitioner.name",
       [](R& r, S& t) { r.mutable_petitioner()->set_name(t); }},
      {"petitioner.id_number",
       [](R& r, S& t) { r.mutable_petitioner()->set_id_number(t); }},
      {"petitioner.phone",
       [](R& r, S& t) { r.mutable_petitioner()->set_phone(t); }},
      {"petitioner.address",
       [](R& r, S& t) { r.mutable_petitioner()->set_address(t); }},
      {"matter.region_code",
       [](R& r, S& t) { r.mutable_matter()->set_region_code(t); }},
      {"matter.category",
       [](R& r, S& t) { r.mutable_matter()->set_category(t); }},
      {"matter.title", [](R& r, S& t) { r.mutable_matter()->set_title(t); }},
      {"matter.text", [](R& r, S& t) { r.mutable_matter()->set_text(t); }},
      {"matter.accused",
       [](R& r, S& t) { r.mutable_matter()->set_accused(t); }},
      {"matter.accused_offices",
       [](R& r, S& t) { r.mutable_matter()->add_accused_offices(t); }},
      {"matter.lodged_with",
       [](R& r, S& t) { r.mutable_matter()->set_lodged_with(t); }},
      {"matter.other_regions",
       [](R& r, S& t) { r.mutable_matter()->add_other_regions(t); }},
      {"matter.other_categories",
       [](R& r, S& t) { r.mutable_matter()->add_other_categories(t); }},
      {"request_id", [](R& r, S& t) { r.set_request_id(t); }},
  };
}

class IntakeStoredTextTest : public svctest::StoreFixture {
 protected:
  IntakeStoredTextTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    t_->set_auth(&caller_);
    service_ = NewIntakeService(*t_);
  }

  // Every key of every family intake keeps as a proto parses as its type.
  void ExpectEveryRecordLoads() {
    struct Family {
      const char* cf;
      std::function<bool(std::string_view, std::string_view)> parses;
    };
    const std::vector<Family> families = {
        {kCases,
         [](std::string_view, std::string_view v) {
           caserelay::v1::IntakeCaseRecord r;
           return r.ParseFromArray(v.data(), static_cast<int>(v.size()));
         }},
        {kPetitioners,
         // Sealed (petitioner_vault.h): it opens under its own key.
         [](std::string_view key, std::string_view v) {
           return OpenPetitioner(TestPii(), key, v).ok();
         }},
        {kRequests,
         [](std::string_view, std::string_view v) {
           caserelay::v1::IntakeRequestRecord r;
           return r.ParseFromArray(v.data(), static_cast<int>(v.size()));
         }},
    };
    for (const Family& f : families) {
      absl::Status s = t_->store().Scan(
          f.cf, "", "", [&](std::string_view key, std::string_view value) {
            EXPECT_TRUE(f.parses(key, value))
                << f.cf << "/" << key << " does not parse";
            return true;
          });
      EXPECT_TRUE(s.ok()) << s;
    }
    // Published() fails the test for an envelope that does not parse.
    for (const Envelope& e : t_->Published("petitions")) {
      EXPECT_TRUE(e.has_petition_received()) << e.event_id();
    }
  }

  // The portal's gateway submits and looks up (issue 14 item 1).
  svctest::FixedCaller caller_{"service:web"};
  grpc::ServerContext ctx_;
  std::unique_ptr<IntakeServiceImpl> service_;
};

TEST_F(IntakeStoredTextTest, InvalidUtf8InAnySubmittedFieldIsRefusedByName) {
  for (const TextField& f : TextFields()) {
    for (const Hostile& h : InvalidTexts()) {
      SCOPED_TRACE(absl::StrCat(f.path, " with ", h.what));
      SubmitPetitionRequest req = ValidPetition();
      f.set(req, h.bytes);
      // Over gRPC the request would not even parse.
      SubmitPetitionRequest wire;
      EXPECT_FALSE(wire.ParseFromString(req.SerializeAsString()));
      // In process, the service's own validation names the field.
      caserelay::v1::SubmitPetitionResponse resp;
      grpc::Status s = service_->SubmitPetition(&ctx_, &req, &resp);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_TRUE(absl::StartsWith(s.error_message(), f.path))
          << s.error_message();
      EXPECT_TRUE(absl::StrContains(s.error_message(), "not valid UTF-8"))
          << s.error_message();
    }
  }
  ExpectEveryRecordLoads();
  EXPECT_TRUE(t_->Published("petitions").empty());
}

TEST_F(IntakeStoredTextTest, OddValidTextIsRefusedByNameOrStoredAsItIs) {
  int stored = 0;
  for (const TextField& f : TextFields()) {
    for (const Hostile& h : OddTexts()) {
      SCOPED_TRACE(absl::StrCat(f.path, " with ", h.what));
      SubmitPetitionRequest req = ValidPetition();
      f.set(req, h.bytes);
      if (std::string(f.path) == "request_id") {
        req.set_request_id(absl::StrCat(h.bytes, stored));
      }
      caserelay::v1::SubmitPetitionResponse resp;
      grpc::Status s = service_->SubmitPetition(&ctx_, &req, &resp);
      if (!s.ok()) {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << s.error_message();
        EXPECT_TRUE(absl::StartsWith(s.error_message(), f.path))
            << s.error_message();
        continue;
      }
      ++stored;
      auto raw = t_->store().Get(kCases, resp.case_number());
      ASSERT_TRUE(raw.ok() && raw->has_value()) << resp.case_number();
      caserelay::v1::IntakeCaseRecord record;
      ASSERT_TRUE(record.ParseFromString(**raw));
      EXPECT_TRUE(text::IsValidUtf8(record.matter().text()));
    }
  }
  // The free texts take both (name, address, title, text, accused).
  EXPECT_GE(stored, 10);
  ExpectEveryRecordLoads();
}

TEST_F(IntakeStoredTextTest,
       CaseEventsWithHostileOfficeNamesLeaveTheCaseLoading) {
  caserelay::v1::SubmitPetitionResponse resp;
  SubmitPetitionRequest req = ValidPetition();
  ASSERT_TRUE(service_->SubmitPetition(&ctx_, &req, &resp).ok());
  const std::string& id = resp.case_number();
  uint64_t sequence = 0;
  auto event = [&](const std::string& office_name) {
    return Registered(id, ++sequence, "140431:bureau", office_name);
  };
  // Invalid bytes never reach Apply: the consumer parses the record off
  // case-events first, and such a record does not parse (dead letter).
  for (const Hostile& h : InvalidTexts()) {
    SCOPED_TRACE(h.what);
    Envelope e = event(h.bytes);
    --sequence;
    Envelope back;
    EXPECT_FALSE(back.ParseFromString(e.SerializeAsString()));
  }
  for (const Hostile& h : OddTexts()) {
    SCOPED_TRACE(h.what);
    store::WriteBatch batch(&t_->store());
    ASSERT_TRUE(service_->Apply(event(h.bytes), batch).ok());
    ASSERT_TRUE(t_->publisher().Commit(batch).ok());
    auto raw = t_->store().Get(kCases, id);
    ASSERT_TRUE(raw.ok() && raw->has_value());
    caserelay::v1::IntakeCaseRecord record;
    ASSERT_TRUE(record.ParseFromString(**raw));
    EXPECT_EQ(record.office_name(), h.bytes);
  }
  ExpectEveryRecordLoads();
}

}  // namespace
}  // namespace caserelay::intake
