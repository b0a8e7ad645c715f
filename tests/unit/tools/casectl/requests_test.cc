// submit's and inbox's flags into their requests.
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/intake_commands.h"
#include "tools/casectl/office_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

ParsedFlags Flags(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  EXPECT_TRUE(inv.ok()) << inv.status();
  return inv.ok() ? inv->flags : ParsedFlags();
}

TEST(SubmitRequestTest, EveryFlagLandsInItsField) {
  absl::StatusOr<v1::SubmitPetitionRequest> req =
      SubmitRequestOf(Flags({"submit",
                             "--name",
                             "张三",
                             "--address",
                             "沁源县沁河镇",
                             "--phone",
                             "13800000000",
                             "--id-number",
                             "11010519491231002X",
                             "--region",
                             "140431100",
                             "--category",
                             "housing",
                             "--class",
                             "accusation",
                             "--channel",
                             "visit",
                             "--title",
                             "T",
                             "--text",
                             "X",
                             "--accused",
                             "某局",
                             "--accused-office",
                             "140431:housing",
                             "--accused-office",
                             "140400:housing",
                             "--lodged-with",
                             "140400:bureau",
                             "--statutory-route",
                             "admin-review",
                             "--other-region",
                             "140430",
                             "--other-category",
                             "labour",
                             "--request-id",
                             "r-1"}));
  ASSERT_TRUE(req.ok()) << req.status();
  v1::SubmitPetitionRequest want;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        petitioner {
          name: "张三"
          address: "沁源县沁河镇"
          phone: "13800000000"
          id_number: "11010519491231002X"
        }
        matter {
          region_code: "140431100"
          category: "housing"
          matter_class: MATTER_CLASS_ACCUSATION
          channel: CHANNEL_VISIT
          title: "T"
          text: "X"
          accused: "某局"
          accused_offices: [ "140431:housing", "140400:housing" ]
          lodged_with: "140400:bureau"
          statutory_route: STATUTORY_ROUTE_ADMIN_REVIEW
          other_regions: "140430"
          other_categories: "labour"
        }
        request_id: "r-1"
      )pb",
      &want));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*req, want))
      << req->ShortDebugString();
}

TEST(SubmitRequestTest, FlagsNotGivenStayEmptyForIntakeToJudge) {
  absl::StatusOr<v1::SubmitPetitionRequest> req =
      SubmitRequestOf(Flags({"submit", "--name", "张三"}));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->matter().matter_class(), v1::MATTER_CLASS_UNSPECIFIED);
  EXPECT_EQ(req->matter().statutory_route(), v1::STATUTORY_ROUTE_NONE);
  EXPECT_TRUE(req->matter().accused_offices().empty());
}

TEST(SubmitRequestTest, BadEnumWordsNameTheFlag) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"submit", "--class", "complaint"},
       "--class must be one of suggestion, accusation or claim; got "
       "'complaint'"},
      {{"submit", "--channel", "email"},
       "--channel must be one of online, letter, phone, fax or visit; got "
       "'email'"},
      {{"submit", "--statutory-route", "court"},
       "--statutory-route must be one of none, litigation, arbitration, "
       "admin-review, admin-ruling or party-appeal; got 'court'"},
  };
  for (const Row& row : rows) {
    auto req = SubmitRequestOf(Flags(row.args));
    EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(req.status().message(), row.message);
  }
}

TEST(StatusRequestTest, TakesCaseNumberAndLookupCode) {
  v1::GetCaseStatusRequest req =
      StatusRequestOf(Flags({"status", "C-2026-1", "ABCD2345"}));
  EXPECT_EQ(req.case_number(), "C-2026-1");
  EXPECT_EQ(req.lookup_code(), "ABCD2345");
}

TEST(InboxCommandTest, FlagsLandInTheRequest) {
  absl::StatusOr<InboxCommand> cmd = InboxCommandOf(Flags(
      {"inbox", "--office", "140431:housing", "--state", "assigned", "--state",
       "extended", "--page-size", "20", "--page-token", "p2", "--all"}));
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_TRUE(cmd->all);
  EXPECT_EQ(cmd->request.office_code(), "140431:housing");
  ASSERT_EQ(cmd->request.states_size(), 2);
  EXPECT_EQ(cmd->request.states(0), v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(cmd->request.states(1), v1::CASE_STATE_EXTENDED);
  EXPECT_EQ(cmd->request.page_size(), 20);
  EXPECT_EQ(cmd->request.page_token(), "p2");
  EXPECT_FALSE(cmd->request.has_due_before());
}

// DOMAIN.md "Counting": a deadline's last day ends at 24:00 China time, so
// a deadline whose last day is 04-30 falls due at 05-01 00:00 +08:00 and
// is "due before 05-01"; one whose last day is 05-01 is not.
TEST(InboxCommandTest, DueBeforeIsAChinaDateCountingLastDays) {
  absl::StatusOr<InboxCommand> cmd =
      InboxCommandOf(Flags({"inbox", "--due-before", "2026-05-01"}));
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  ASSERT_TRUE(cmd->request.has_due_before());
  const absl::Time due_before = time::FromProto(cmd->request.due_before());
  const absl::Time last_day_april_30 = time::EndOf(absl::CivilDay(2026, 4, 30));
  const absl::Time last_day_may_1 = time::EndOf(absl::CivilDay(2026, 5, 1));
  EXPECT_LT(last_day_april_30, due_before);
  EXPECT_GE(last_day_may_1, due_before);
}

TEST(InboxCommandTest, BadFlagsNameTheFlag) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"inbox", "--state", "open"},
       "--state must be one of received, registered, transferred, assigned, "
       "accepted, not-accepted, extended, replied, evaluated, "
       "review-requested, reviewed, rereview-requested, hearing, "
       "terminated, closed or linked; got 'open'"},
      {{"inbox", "--due-before", "2026-5-1x"},
       "--due-before must be a date YYYY-MM-DD; got '2026-5-1x'"},
      {{"inbox", "--page-size", "0"}, "--page-size must be 1..500; got '0'"},
      {{"inbox", "--page-size", "501"},
       "--page-size must be 1..500; got '501'"},
      {{"inbox", "--office", "bureau"},
       "--office must be an office code such as 140431:bureau; got 'bureau'"},
  };
  for (const Row& row : rows) {
    auto cmd = InboxCommandOf(Flags(row.args));
    EXPECT_EQ(cmd.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(cmd.status().message(), row.message);
  }
}

}  // namespace
}  // namespace caserelay::casectl
