// 群体访 / 联名 (issue 18 item 3) at intake: up to five representatives
// (Art. 18), each kept sealed like the petitioner and each reachable by
// notification's ResolveContact; the head count published for 人次.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/unit/services/intake/intake_fixture.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SubmitPetitionRequest;

// The four co-representatives 李一..李四, phones 13900139001..4.
SubmitPetitionRequest GroupPetition(int co_representatives, int head_count) {
  SubmitPetitionRequest req = ValidPetition();
  for (int i = 1; i <= co_representatives; ++i) {
    auto* rep = req.add_co_representatives();
    rep->set_name(absl::StrCat("李", i));
    rep->set_phone(absl::StrCat("1390013900", i));
    rep->set_address(absl::StrCat("山西省长治市沁源县沁河镇", i, "号"));
  }
  req.set_head_count(head_count);
  return req;
}

class GroupIntakeTest : public IntakeServiceTest {
 protected:
  grpc::Status SubmitGroup(const SubmitPetitionRequest& req,
                           caserelay::v1::SubmitPetitionResponse* resp) {
    caller_.Become("service:web");
    return service_->SubmitPetition(&ctx_, &req, resp);
  }
  grpc::Status Resolve(const std::string& ref, const std::string& case_number,
                       int representative,
                       caserelay::v1::ResolveContactResponse* resp) {
    caserelay::v1::ResolveContactRequest req;
    req.mutable_petitioner()->set_id(ref);
    req.set_case_number(case_number);
    req.set_representative(representative);
    caller_.Become("service:notification");
    return service_->ResolveContact(&ctx_, &req, resp);
  }
};

TEST_F(GroupIntakeTest, EveryRepresentativeIsKeptSealedAndReachable) {
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status s = SubmitGroup(GroupPetition(4, 37), &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Issue 18.3: "the head count kept for 人次"; the representatives counted.
  std::vector<Envelope> published = t_->Published("petitions");
  ASSERT_EQ(published.size(), 1u);
  const auto& received = published[0].petition_received();
  EXPECT_EQ(received.head_count(), 37);
  EXPECT_EQ(received.representatives(), 5);
  // Nothing of any representative on Kafka (DESIGN.md: personal data
  // stays in intake).
  const std::string bytes = published[0].SerializeAsString();
  for (const char* clear : {"李1", "李4", "13900139001", "沁河镇3号"}) {
    EXPECT_EQ(bytes.find(clear), std::string::npos) << clear;
  }

  // "whose contact data stays in intake like any petitioner's": sealed.
  const caserelay::v1::IntakeCaseRecord record = LoadCase(resp.case_number());
  ASSERT_EQ(record.co_representatives_size(), 4);
  for (int i = 0; i < 4; ++i) {
    const std::string& ref = record.co_representatives(i).id();
    EXPECT_NE(ref, record.petitioner().id());
    auto raw = t_->store().Get(kPetitioners, ref);
    ASSERT_TRUE(raw.ok() && raw->has_value()) << i;
    EXPECT_EQ((*raw)->find(absl::StrCat("1390013900", i + 1)),
              std::string::npos);
  }

  // "the SMS going to the representatives": each phone, each with the code.
  const std::string ref = record.petitioner().id();
  const std::vector<std::string> phones = {"13800138000", "13900139001",
                                           "13900139002", "13900139003",
                                           "13900139004"};
  for (int i = 0; i < 5; ++i) {
    caserelay::v1::ResolveContactResponse contact;
    s = Resolve(ref, resp.case_number(), i, &contact);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
    EXPECT_EQ(contact.phone(), phones[i]) << i;
    EXPECT_EQ(contact.lookup_code(), resp.lookup_code()) << i;
  }
  caserelay::v1::ResolveContactResponse none;
  EXPECT_EQ(Resolve(ref, resp.case_number(), 5, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Resolve(ref, resp.case_number(), -1, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(GroupIntakeTest, AnotherCasesPetitionerReachesNoRepresentative) {
  caserelay::v1::SubmitPetitionResponse group;
  ASSERT_TRUE(SubmitGroup(GroupPetition(2, 0), &group).ok());
  caserelay::v1::SubmitPetitionResponse other = Submit();
  const std::string other_ref = LoadCase(other.case_number()).petitioner().id();
  caserelay::v1::ResolveContactResponse contact;
  // A reference is no key to another case's representatives.
  EXPECT_EQ(Resolve(other_ref, group.case_number(), 1, &contact).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(contact.phone().empty());
  // Without a case number there is no representative but the petitioner.
  EXPECT_EQ(Resolve(other_ref, "", 1, &contact).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(GroupIntakeTest, TheGroupIsValidatedLikeThePetitioner) {
  struct Row {
    const char* rule;
    std::function<void(SubmitPetitionRequest&)> edit;
    grpc::StatusCode code;
    const char* field;  // the message starts with it
    int head_count;     // published when accepted
  };
  const std::vector<Row> rows = {
      {"Art. 18: 代表人数不超过5人 — a fifth co-representative is a sixth "
       "representative",
       [](SubmitPetitionRequest& r) {
         *r.add_co_representatives() = r.co_representatives(0);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "co_representatives: ", 0},
      {"issue 18.3: each validated like the petitioner — a bad phone",
       [](SubmitPetitionRequest& r) {
         r.mutable_co_representatives(1)->set_phone("12345");
       },
       grpc::StatusCode::INVALID_ARGUMENT, "co_representatives[1].phone: ",
       0},
      {"issue 18.3: each validated like the petitioner — a name is required",
       [](SubmitPetitionRequest& r) {
         r.mutable_co_representatives(2)->clear_name();
       },
       grpc::StatusCode::INVALID_ARGUMENT, "co_representatives[2].name: ", 0},
      {"issue 18.3: each validated like the petitioner — the ID checksum",
       [](SubmitPetitionRequest& r) {
         r.mutable_co_representatives(0)->set_id_number("110105194912310020");
       },
       grpc::StatusCode::INVALID_ARGUMENT,
       "co_representatives[0].id_number: ", 0},
      {"issue 18.3: the head count is at least the representatives",
       [](SubmitPetitionRequest& r) { r.set_head_count(4); },
       grpc::StatusCode::INVALID_ARGUMENT, "head_count: ", 0},
      {"intake.max_head_count (1000): above it is refused",
       [](SubmitPetitionRequest& r) { r.set_head_count(1001); },
       grpc::StatusCode::INVALID_ARGUMENT, "head_count: ", 0},
      {"SubmitPetitionRequest.head_count: unset is the representatives",
       [](SubmitPetitionRequest& r) { r.set_head_count(0); },
       grpc::StatusCode::OK, "", 5},
  };
  for (const Row& row : rows) {
    SubmitPetitionRequest req = GroupPetition(4, 20);
    row.edit(req);
    caserelay::v1::SubmitPetitionResponse resp;
    const size_t before = t_->Published("petitions").size();
    grpc::Status s = SubmitGroup(req, &resp);
    EXPECT_EQ(s.error_code(), row.code) << row.rule << ": " << s.error_message();
    EXPECT_TRUE(absl::StartsWith(s.error_message(), row.field))
        << row.rule << ": " << s.error_message();
    std::vector<Envelope> published = t_->Published("petitions");
    if (row.code == grpc::StatusCode::OK) {
      ASSERT_EQ(published.size(), before + 1) << row.rule;
      EXPECT_EQ(published.back().petition_received().head_count(),
                row.head_count)
          << row.rule;
    } else {
      EXPECT_EQ(published.size(), before) << row.rule;
    }
  }
}

TEST_F(GroupIntakeTest, AnIndividualPetitionCountsOnePerson) {
  Submit();
  std::vector<Envelope> published = t_->Published("petitions");
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].petition_received().head_count(), 1);
  EXPECT_EQ(published[0].petition_received().representatives(), 1);
}

}  // namespace
}  // namespace caserelay::intake
