#include "tools/casectl/actions.h"

#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

// Parses a whole command line and builds the action's request.
absl::StatusOr<ActCommand> Act(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  if (!inv.ok()) return inv.status();
  return ActCommandOf(inv->command->name, inv->flags);
}

v1::ActRequest Text(const std::string& text) {
  v1::ActRequest req;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &req))
      << text;
  return req;
}

// Every action, with its flags, and the request it must send
// (routing.proto ActRequest; DOMAIN.md "Routing" for the actions).
TEST(ActionsTest, EachActionBuildsItsRequest) {
  struct Row {
    std::vector<std::string> args;
    std::string request;  // text format
  };
  const Row rows[] = {
      {{"transfer", "C1"}, "case_id: 'C1' transfer {}"},
      {{"transfer", "C1", "--to", "140431:housing"},
       "case_id: 'C1' transfer { office_code: '140431:housing' }"},
      {{"assign", "C1", "--to", "140431:labour"},
       "case_id: 'C1' assign { office_code: '140431:labour' }"},
      {{"object", "C1", "--reason", "不属本单位职责"},
       "case_id: 'C1' reason: '不属本单位职责' object {}"},
      {{"accept", "C1"}, "case_id: 'C1' accept {}"},
      {{"accept", "C1", "--simplified"},
       "case_id: 'C1' accept { simplified: true }"},
      {{"decline", "C1", "--route", "向人民法院起诉"},
       "case_id: 'C1' decline { route: '向人民法院起诉' }"},
      // Issue 23 item 4: 送达 by post, received on 3-10 (noon China time,
      // 04:00 UTC).
      {{"serve", "C1", "--method", "post", "--received", "2026-03-10"},
       "case_id: 'C1' serve { method: SERVICE_METHOD_POST received_at { "
       "seconds: 1773115200 } }"},
      // Issue 23 item 5: the office names the ground of its 不予受理.
      {{"decline", "C1", "--route", "向人民法院起诉", "--ground",
        "statutory-route"},
       "case_id: 'C1' decline { route: '向人民法院起诉' ground: "
       "REFUSAL_GROUND_STATUTORY_ROUTE }"},
      {{"extend", "C1", "--days", "30", "--reason", "情况复杂"},
       "case_id: 'C1' reason: '情况复杂' extend { days: 30 }"},
      {{"reply", "C1", "--outcome", "support"},
       "case_id: 'C1' reply { outcome: OUTCOME_SUPPORT }"},
      {{"report-result", "C1"}, "case_id: 'C1' report_result {}"},
      {{"evaluate", "C1", "--satisfaction", "basically"},
       "case_id: 'C1' evaluate { satisfaction: SATISFACTION_BASICALLY }"},
      {{"request-review", "C1"}, "case_id: 'C1' request_review {}"},
      {{"decide-review", "C1", "--outcome", "explain"},
       "case_id: 'C1' decide_review { outcome: OUTCOME_EXPLAIN }"},
      {{"request-rereview", "C1"}, "case_id: 'C1' request_rereview {}"},
      {{"start-hearing", "C1"}, "case_id: 'C1' start_hearing {}"},
      {{"end-hearing", "C1"}, "case_id: 'C1' end_hearing {}"},
      {{"decide-rereview", "C1", "--outcome", "reject"},
       "case_id: 'C1' decide_rereview { outcome: OUTCOME_REJECT }"},
      {{"close", "C1", "--version", "7"},
       "case_id: 'C1' expected_version: 7 close {}"},
      // routing.proto ActRequest.ReplySupervision: empty id, the oldest
      // unanswered 督办; an id is "<case>/supervision/<n>".
      {{"reply-supervision", "C1", "--reason", "已约谈"},
       "case_id: 'C1' reason: '已约谈' reply_supervision {}"},
      {{"reply-supervision", "C1", "--supervision-id", "2"},
       "case_id: 'C1' reply_supervision { supervision_id: 'C1/supervision/2' "
       "}"},
      {{"reply-supervision", "C1", "--supervision-id", "C1/supervision/12",
        "--version", "9"},
       "case_id: 'C1' expected_version: 9 "
       "reply_supervision { supervision_id: 'C1/supervision/12' }"},
      // Issue 18 item 5: 提级办理 by the caller's office, with a reason.
      {{"escalate", "C1", "--reason", "久拖未决"},
       "case_id: 'C1' reason: '久拖未决' escalate {}"},
      // Issue 18 item 6: 更正登记 sets only the fields given.
      {{"correct", "C1", "--category", "housing", "--reason", "类别有误"},
       "case_id: 'C1' reason: '类别有误' correct { category: 'housing' }"},
      {{"correct", "C1", "--region", "140402", "--class", "suggestion",
        "--statutory-route", "litigation"},
       "case_id: 'C1' correct { region_code: '140402' matter_class: "
       "MATTER_CLASS_SUGGESTION statutory_route: STATUTORY_ROUTE_LITIGATION }"},
      // Correcting back to no statutory route is a correction too.
      {{"correct", "C1", "--statutory-route", "none"},
       "case_id: 'C1' correct { statutory_route: STATUTORY_ROUTE_NONE }"},
      // 改进工作建议 / 追责建议 after the caller's 督办 (issue 18 item 4).
      {{"recommend", "C1", "--kind", "accountability", "--supervision-id", "2",
        "--reason", "建议追责"},
       "case_id: 'C1' reason: '建议追责' recommend { kind: "
       "RECOMMENDATION_KIND_ACCOUNTABILITY supervision_id: 'C1/supervision/2' }"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<ActCommand> cmd = Act(row.args);
    ASSERT_TRUE(cmd.ok()) << row.args[0] << ": " << cmd.status();
    v1::ActRequest want = Text(row.request);
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(cmd->request, want))
        << row.args[0] << "\n got: " << cmd->request.ShortDebugString()
        << "\nwant: " << want.ShortDebugString();
  }
}

// A new action in the proto's oneof without a command fails this test.
TEST(ActionsTest, EveryOneofFieldHasACommandSettingIt) {
  const google::protobuf::OneofDescriptor* oneof =
      v1::ActRequest::descriptor()->FindOneofByName("action");
  ASSERT_NE(oneof, nullptr);
  ASSERT_EQ(static_cast<int>(Actions().size()), oneof->field_count());
  // The smallest valid flags of the actions that require some.
  const std::map<std::string, std::vector<std::string>> required = {
      {"decline", {"--route", "R"}},
      {"extend", {"--days", "1"}},
      {"reply", {"--outcome", "support"}},
      {"evaluate", {"--satisfaction", "satisfied"}},
      {"decide-review", {"--outcome", "support"}},
      {"decide-rereview", {"--outcome", "support"}},
      {"serve", {"--method", "post", "--received", "2026-03-10"}},
      {"correct", {"--category", "housing"}},
      {"take-charge", {"--leader", "王某某", "--title", "县长"}},
      {"record-follow-up", {"--method", "phone", "--view", "agree"}},
      {"recommend", {"--kind", "improvement"}},
  };
  for (int i = 0; i < oneof->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = oneof->field(i);
    const std::string name = absl::StrReplaceAll(field->name(), {{"_", "-"}});
    std::vector<std::string> args = {name, "C1"};
    if (auto it = required.find(name); it != required.end()) {
      args.insert(args.end(), it->second.begin(), it->second.end());
    }
    absl::StatusOr<ActCommand> cmd = Act(args);
    ASSERT_TRUE(cmd.ok()) << name << ": " << cmd.status();
    EXPECT_EQ(static_cast<int>(cmd->request.action_case()), field->number())
        << name;
  }
}

TEST(ActionsTest, VersionIsOptional) {
  absl::StatusOr<ActCommand> cmd = Act({"close", "C1"});
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_FALSE(cmd->version_given);
  cmd = Act({"close", "C1", "--version", "0"});
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_TRUE(cmd->version_given);
  EXPECT_EQ(cmd->request.expected_version(), 0u);
}

TEST(ActionsTest, BadOrMissingFlagsAreUsageErrorsNamingTheFlag) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"decline", "C1"}, "decline needs --route R"},
      {{"decline", "C1", "--route="}, "decline needs --route R"},
      // Issue 23 item 4: 送达 names the way and the day of receipt.
      {{"serve", "C1", "--received", "2026-03-10"},
       "serve needs --method in-person, post, portal or sms"},
      {{"serve", "C1", "--method", "fax", "--received", "2026-03-10"},
       "--method must be one of in-person, post, portal or sms; got 'fax'"},
      {{"serve", "C1", "--method", "post"},
       "serve needs --received YYYY-MM-DD"},
      {{"serve", "C1", "--method", "post", "--received", "3/10"},
       "--received must be a date YYYY-MM-DD; got '3/10'"},
      {{"decline", "C1", "--route", "R", "--ground", "because"},
       "--ground must be one of statutory-route, in-progress-below, "
       "terminated, level-skipping or out-of-scope; got 'because'"},
      {{"extend", "C1"}, "extend needs --days N"},
      {{"extend", "C1", "--days", "0"},
       "--days must be a whole number of days, 1 or more; got '0'"},
      {{"extend", "C1", "--days", "ten"},
       "--days must be a whole number of days, 1 or more; got 'ten'"},
      {{"extend", "C1", "--days", "99999999999"},
       "--days must be a whole number of days, 1 or more; got '99999999999'"},
      {{"reply", "C1"}, "reply needs --outcome support, explain or reject"},
      {{"reply", "C1", "--outcome", "yes"},
       "--outcome must be one of support, explain or reject; got 'yes'"},
      {{"decide-review", "C1"},
       "decide-review needs --outcome support, explain or reject"},
      {{"decide-rereview", "C1", "--outcome", "unspecified"},
       "--outcome must be one of support, explain or reject; got "
       "'unspecified'"},
      {{"evaluate", "C1"},
       "evaluate needs --satisfaction satisfied, basically or dissatisfied"},
      {{"evaluate", "C1", "--satisfaction", "happy"},
       "--satisfaction must be one of satisfied, basically or dissatisfied; "
       "got 'happy'"},
      {{"transfer", "C1", "--to", "housing"},
       "--to must be an office code such as 140431:housing; got 'housing'"},
      {{"assign", "C1", "--to="},
       "--to must be an office code such as 140431:housing; got ''"},
      {{"accept", "C1", "--version", "v3"},
       "--version must be a case version (a number); got 'v3'"},
      {{"accept", "C1", "--version", "-1"},
       "--version must be a case version (a number); got '-1'"},
      {{"accept", ""}, "accept takes CASE"},
      {{"reply-supervision", "C1", "--supervision-id", "C2/supervision/1"},
       "--supervision-id must be C1/supervision/N or N (N = 1, 2, ...); got "
       "'C2/supervision/1'"},
      {{"reply-supervision", "C1", "--supervision-id", "0"},
       "--supervision-id must be C1/supervision/N or N (N = 1, 2, ...); got "
       "'0'"},
      {{"reply-supervision", "C1", "--supervision-id", "01"},
       "--supervision-id must be C1/supervision/N or N (N = 1, 2, ...); got "
       "'01'"},
      {{"reply-supervision", "C1", "--supervision-id="},
       "--supervision-id must be C1/supervision/N or N (N = 1, 2, ...); got "
       "''"},
      // The global --supervision is an address; taken for the instrument it
      // would answer the oldest 督办 instead of the one meant.
      {{"reply-supervision", "C1", "--supervision", "C1/supervision/2"},
       "reply-supervision names the instrument with --supervision-id ID; "
       "--supervision is supervision's address (HOST:PORT)"},
      // Issue 18 item 6: a correction names what it corrects.
      {{"correct", "C1", "--reason", "R"},
       "correct needs at least one of --category, --class, --region, "
       "--statutory-route"},
      {{"correct", "C1", "--class", "complaint"},
       "--class must be one of suggestion, accusation or claim; got "
       "'complaint'"},
      // Issue 14 item 2: the person acting comes from the credentials.
      {{"close", "C1", "--operator", "王五"},
       "--operator is no longer taken: the history records the person your "
       "token or certificate names (casectl token add OFFICE --holder NAME "
       "makes a token that names them)"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<ActCommand> cmd = Act(row.args);
    EXPECT_EQ(cmd.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(cmd.status().message(), row.message);
  }
}

TEST(ActionsTest, FlagsOfOtherActionsAreRefused) {
  absl::StatusOr<ActCommand> cmd = Act({"accept", "C1", "--days", "3"});
  EXPECT_EQ(cmd.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cmd.status().message(), "unknown flag --days");
}

TEST(ActionsTest, UnknownActionIsRefused) {
  ParsedFlags none;
  EXPECT_EQ(ActCommandOf("show", none).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::casectl
