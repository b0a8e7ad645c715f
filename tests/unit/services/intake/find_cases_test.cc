// intake's FindCases (issue 16, the console's petitioner search): found by
// name, by phone, by both; only offices ask; the index keeps no name or
// phone in clear; a store from before the index is indexed at start.
// Each row cites its rule (intake.proto FindCases, petitioner_index.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/petitioner_index.h"
#include "tests/unit/services/intake/intake_fixture.h"

namespace caserelay::intake {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Code = grpc::StatusCode;

class FindCasesTest : public IntakeServiceTest {
 protected:
  // Submits as an office (no phone proof needed) a petition of `name`
  // with `phone`, and applies routing's REGISTER of it at the county
  // bureau (the read model's parties); returns its case number.
  std::string SubmitOf(const std::string& name, const std::string& phone) {
    caller_.Become("140431:bureau");
    caserelay::v1::SubmitPetitionRequest req = ValidPetition();
    req.mutable_petitioner()->set_name(name);
    req.mutable_petitioner()->set_phone(phone);
    req.mutable_matter()->set_channel(caserelay::v1::CHANNEL_VISIT);
    caserelay::v1::SubmitPetitionResponse resp;
    grpc::Status s = service_->SubmitPetition(&ctx_, &req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(ApplyAndCommit(Registered(resp.case_number(), 1,
                                          "140431:bureau", "沁源县信访局"))
                    .ok());
    return resp.case_number();
  }

  grpc::Status Find(const std::string& name, const std::string& phone,
                    caserelay::v1::FindCasesResponse* resp) {
    caserelay::v1::FindCasesRequest req;
    req.set_name(name);
    req.set_phone(phone);
    return service_->FindCases(&ctx_, &req, resp);
  }
};

TEST_F(FindCasesTest, FindsByNameByPhoneAndByBoth) {
  const std::string zhang = SubmitOf("张三", "13800138000");
  const std::string zhang2 = SubmitOf("张三", "13900139000");
  const std::string li = SubmitOf("李四", "13800138000");
  caller_.Become("140431:bureau");
  struct Row {
    const char* rule;
    std::string name, phone;
    std::vector<std::string> want;  // newest first: here by case number
  };
  for (const Row& r : std::vector<Row>{
           {"by name alone: every case of that name", "张三", "",
            {zhang2, zhang}},
           {"by phone alone: every case with that phone", "", "13800138000",
            {li, zhang}},
           {"both: the cases matching both", "张三", "13800138000", {zhang}},
           {"the name compacted as for the identity key (U+3000, spaces)",
            " 张\xE3\x80\x80三 ", "", {zhang2, zhang}},
           {"a mobile in any accepted form (NormalizeMobile)", "",
            "+86 138-0013-8000", {li, zhang}},
           {"nobody of that name", "王五", "", {}},
       }) {
    caserelay::v1::FindCasesResponse resp;
    grpc::Status s = Find(r.name, r.phone, &resp);
    ASSERT_TRUE(s.ok()) << r.rule << ": " << s.error_message();
    EXPECT_EQ(std::vector<std::string>(resp.case_ids().begin(),
                                       resp.case_ids().end()),
              r.want)
        << r.rule;
    EXPECT_FALSE(resp.truncated()) << r.rule;
  }
}

TEST_F(FindCasesTest, RefusesAnEmptyOrBadRequestNamingTheField) {
  caller_.Become("140431:bureau");
  caserelay::v1::FindCasesResponse resp;
  grpc::Status none = Find("", "", &resp);
  EXPECT_EQ(none.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(none.error_message(), HasSubstr("name: "));
  grpc::Status bad = Find("", "12ab", &resp);
  EXPECT_EQ(bad.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("phone: "));
}

// intake.proto FindCases: only offices, directly or through the gateway
// for an office's user; never a service identity nor the petitioner.
TEST_F(FindCasesTest, OnlyOfficesSearch) {
  const std::string zhang = SubmitOf("张三", "13800138000");
  struct Row {
    const char* rule;
    const char* caller;
    Code want;
    bool finds;
  };
  for (const Row& r : std::vector<Row>{
           {"the holder (MaySeePetitioner: an acting office)", "140431:bureau",
            Code::OK, true},
           {"its city bureau (MaySeePetitioner: supervises the holder)",
            "140400:bureau", Code::OK, true},
           {"a county department (supervises nothing): not even the id",
            "140431:hrss", Code::OK, false},
           {"another county's bureau: not even the id", "140404:bureau",
            Code::OK, false},
           {"the gateway's own identity is no office", "service:web",
            Code::PERMISSION_DENIED, false},
           {"notification reads contacts, never searches",
            "service:notification", Code::PERMISSION_DENIED, false},
           {"no credentials", "no-credentials", Code::UNAUTHENTICATED, false},
       }) {
    caller_.Become(r.caller);
    caserelay::v1::FindCasesResponse resp;
    EXPECT_EQ(Find("张三", "", &resp).error_code(), r.want) << r.rule;
    if (r.finds) {
      EXPECT_THAT(resp.case_ids(), ElementsAre(zhang)) << r.rule;
    } else {
      EXPECT_THAT(resp.case_ids(), IsEmpty()) << r.rule;
    }
  }
}

// Art. 30: an accusation is found by nobody accused in it, and a case
// routing has not registered (no parties yet) by nobody.
TEST_F(FindCasesTest, NeitherTheAccusedNorAnyoneBeforeRegistration) {
  caller_.Become("140431:bureau");
  caserelay::v1::SubmitPetitionRequest req = ValidPetition();
  req.mutable_matter()->set_channel(caserelay::v1::CHANNEL_VISIT);
  req.mutable_petitioner()->set_name("赵六");
  caserelay::v1::SubmitPetitionResponse resp;
  ASSERT_TRUE(service_->SubmitPetition(&ctx_, &req, &resp).ok());
  caserelay::v1::FindCasesResponse before;
  ASSERT_TRUE(Find("赵六", "", &before).ok());
  EXPECT_THAT(before.case_ids(), IsEmpty()) << "not registered yet";
  caserelay::v1::Envelope registered = Registered(
      resp.case_number(), 1, "140431:discipline", "沁源县纪委监委");
  registered.mutable_case_event()->add_accused_office_codes("140400:bureau");
  ASSERT_TRUE(ApplyAndCommit(registered).ok());
  for (const auto& [office, finds] : std::vector<std::pair<const char*, bool>>{
           {"140431:discipline", true},  // the holder
           {"140431:bureau", true},      // supervises the holder
           {"140400:bureau", false},     // accused (Art. 30)
       }) {
    caller_.Become(office);
    caserelay::v1::FindCasesResponse found;
    ASSERT_TRUE(Find("赵六", "", &found).ok());
    EXPECT_EQ(found.case_ids_size(), finds ? 1 : 0) << office;
  }
}

// petitioner_index.h: keyed digests only; no name or phone in clear.
TEST_F(FindCasesTest, TheIndexKeepsNoNameOrPhoneInClear) {
  SubmitOf("张三", "13800138000");
  int keys = 0;
  ASSERT_TRUE(t_->store()
                  .Scan(kPetitionerIndex, "", "",
                        [&](std::string_view key, std::string_view value) {
                          ++keys;
                          EXPECT_THAT(std::string(key),
                                      ::testing::Not(HasSubstr("张三")));
                          EXPECT_THAT(std::string(key),
                                      ::testing::Not(HasSubstr("13800138000")));
                          EXPECT_TRUE(value.empty());
                          return true;
                        })
                  .ok());
  EXPECT_EQ(keys, 2);  // one for the name, one for the phone
}

// petitioner_index.h: a store written before the index is indexed once at
// start; a second run finds the marker and looks at nothing.
TEST_F(FindCasesTest, AStoreFromBeforeTheIndexIsIndexedAtStart) {
  const std::string zhang = SubmitOf("张三", "13800138000");
  // Forget the index, as a store from before it.
  std::vector<std::string> keys;
  ASSERT_TRUE(t_->store()
                  .Scan(kPetitionerIndex, "", "",
                        [&](std::string_view key, std::string_view) {
                          keys.emplace_back(key);
                          return true;
                        })
                  .ok());
  store::WriteBatch forget(&t_->store());
  for (const auto& k : keys) forget.Delete(kPetitionerIndex, k);
  ASSERT_TRUE(t_->store().Commit(forget).ok());
  caller_.Become("140431:bureau");
  caserelay::v1::FindCasesResponse before;
  ASSERT_TRUE(Find("", "13800138000", &before).ok());
  EXPECT_THAT(before.case_ids(), IsEmpty());

  const LookupCodes identity(TestPii().identity_secret());
  auto first = IndexStoredPetitioners(t_->store(), TestPii(), identity);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->cases, 1u);
  EXPECT_EQ(first->indexed, 1u);
  EXPECT_FALSE(first->already_done);
  auto second = IndexStoredPetitioners(t_->store(), TestPii(), identity);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->already_done);

  caserelay::v1::FindCasesResponse after;
  ASSERT_TRUE(Find("", "13800138000", &after).ok());
  EXPECT_THAT(after.case_ids(), ElementsAre(zhang));
}

// intake.find_max_cases: at most that many, newest first, truncated said.
TEST_F(FindCasesTest, AnswersAtMostTheLimitAndSaysSo) {
  const LookupCodes identity(TestPii().identity_secret());
  caserelay::v1::Petitioner p;
  p.set_name("王五");
  store::WriteBatch batch(&t_->store());
  for (int day = 1; day <= 3; ++day) {
    for (const std::string& key : PetitionerIndexKeys(
             identity, p, absl::StrCat("140431-2026110", day, "-000001"))) {
      batch.Put(kPetitionerIndex, key, "");
    }
  }
  ASSERT_TRUE(t_->store().Commit(batch).ok());
  auto found = FindPetitionerCases(t_->store(), identity, "王五", "", 2);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->case_ids, ElementsAre("140431-20261103-000001",
                                           "140431-20261102-000001"));
  EXPECT_TRUE(found->truncated);
}

}  // namespace
}  // namespace caserelay::intake
