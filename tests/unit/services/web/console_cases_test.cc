// The console's case endpoints through the gateway (services/web/
// console_api.h; console-contract.md): the case page assembled from the
// four services with the chain check of casectl verify, the refusals the
// gateway makes itself, the services' refusals in Chinese, the CSV export.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/digest/digest.h"
#include "gtest/gtest.h"
#include "services/web/indicators_csv.h"
#include "tests/unit/services/web/console_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ConsoleTest;
using webtest::ErrorCode;

// A case of `n` chained events (domain/chain: each carries the SHA-256 of
// the one before), its view at version n; the first is the REGISTER with
// the petitioner's reference.
std::shared_ptr<v1::CaseDetail> CaseOf(int n) {
  auto detail = std::make_shared<v1::CaseDetail>();
  detail->mutable_view()->set_case_id("C-1");
  detail->mutable_view()->set_version(n);
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    v1::Envelope env;
    env.set_case_id("C-1");
    env.set_sequence(i);
    env.set_event_id(absl::StrCat("e", i));
    if (!prev.empty()) env.set_prev_hash(digest::Sha256(prev));
    v1::CaseEvent* event = env.mutable_case_event();
    event->set_action(i == 1 ? v1::CASE_ACTION_REGISTER
                             : v1::CASE_ACTION_ACCEPT);
    event->set_operator_(i == 1 ? "clerk1" : "handler1");
    if (i == 1) event->mutable_petitioner()->set_id("P-9");
    prev = env.SerializeAsString();
    detail->add_events(prev);
  }
  return detail;
}

// The page's JSON object (its top-level keys: "case", "petitioner", ...).
google::protobuf::Struct TopLevel(const std::string& body) {
  google::protobuf::Struct page;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(body, &page).ok())
      << body;
  return page;
}

// console-contract.md "GET /api/v1/console/cases/{id}": the view, the
// history, the chain check, deadlines, messages, and the petitioner only
// where intake allows it.
TEST_F(ConsoleTest, CasePageAssemblesTheServicesAndVerifiesTheChain) {
  const std::string token = SessionOf("handler1");
  backends_.answers[ConsoleRpc::kGetCase] = CaseOf(3);
  auto deadlines = std::make_shared<v1::ListDeadlinesResponse>();
  deadlines->add_deadlines()->set_deadline_id("D-1");
  backends_.answers[ConsoleRpc::kListDeadlines] = deadlines;
  auto messages = std::make_shared<v1::ListMessagesResponse>();
  messages->add_messages()->set_message_id("M-1");
  backends_.answers[ConsoleRpc::kListMessages] = messages;
  backends_.status[ConsoleRpc::kGetPetitioner] =
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not entitled");

  HttpAnswer answer = console_.Handle(Get("/api/v1/console/cases/C-1", token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string& b = answer.body;
  EXPECT_TRUE(absl::StrContains(b, "\"case\":{")) << b;
  EXPECT_TRUE(absl::StrContains(b, "\"operator\":\"handler1\"")) << b;
  EXPECT_TRUE(absl::StrContains(b, "\"verified\":true")) << b;
  EXPECT_TRUE(absl::StrContains(b, "逐条哈希校验通过")) << b;
  EXPECT_TRUE(absl::StrContains(b, "\"deadline_id\":\"D-1\"")) << b;
  EXPECT_TRUE(absl::StrContains(b, "\"message_id\":\"M-1\"")) << b;
  // intake refused: no petitioner part at all.
  EXPECT_FALSE(absl::StrContains(b, "\"petitioner\":{\"phone")) << b;
  EXPECT_FALSE(TopLevel(b).fields().contains("petitioner")) << b;
  ASSERT_EQ(backends_.Of(ConsoleRpc::kGetPetitioner).size(), 1u);
  EXPECT_TRUE(absl::StrContains(
      backends_.Of(ConsoleRpc::kGetPetitioner)[0].request, "C-1"));
  // Each part asked for the user, with the user's office.
  for (ConsoleRpc rpc : {ConsoleRpc::kGetCase, ConsoleRpc::kListDeadlines,
                         ConsoleRpc::kListMessages,
                         ConsoleRpc::kGetPetitioner}) {
    ASSERT_EQ(backends_.Of(rpc).size(), 1u);
    EXPECT_EQ(backends_.Of(rpc)[0].meta.office, "140431001:government");
  }
}

// issue 16 case page: "the petitioner (to the offices entitled to contact
// them)": intake's GetPetitioner answer as it is, for the user's office;
// the console never asks notification's ResolveContact (the look-up code).
TEST_F(ConsoleTest, CasePageShowsThePetitionerIntakeAllows) {
  const std::string token = SessionOf("handler1");
  backends_.answers[ConsoleRpc::kGetCase] = CaseOf(2);
  auto petitioner = std::make_shared<v1::GetPetitionerResponse>();
  petitioner->set_name("张三");
  petitioner->set_phone("13800138000");
  petitioner->set_address("沁河镇1号");
  petitioner->set_id_number_masked("110105**********2X");
  backends_.answers[ConsoleRpc::kGetPetitioner] = petitioner;

  HttpAnswer answer = console_.Handle(Get("/api/v1/console/cases/C-1", token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string& b = answer.body;
  const google::protobuf::Struct page = TopLevel(b);
  ASSERT_TRUE(page.fields().contains("petitioner")) << b;
  const auto& shown = page.fields().at("petitioner").struct_value().fields();
  ASSERT_EQ(shown.size(), 4u) << b;
  EXPECT_EQ(shown.at("name").string_value(), "张三");
  EXPECT_EQ(shown.at("phone").string_value(), "13800138000");
  EXPECT_EQ(shown.at("address").string_value(), "沁河镇1号");
  EXPECT_EQ(shown.at("id_number_masked").string_value(), "110105**********2X");
  EXPECT_FALSE(absl::StrContains(b, "lookup_code")) << b;
  ASSERT_EQ(backends_.Of(ConsoleRpc::kGetPetitioner).size(), 1u);
  EXPECT_EQ(backends_.Of(ConsoleRpc::kGetPetitioner)[0].meta.office,
            "140431001:government");
  EXPECT_EQ(backends_.Of(ConsoleRpc::kGetPetitioner)[0].meta.user, "handler1");
}

// intake unreachable: the page still shows, naming the missing part.
TEST_F(ConsoleTest, CasePageNamesThePetitionerUnavailableWhenIntakeIsDown) {
  const std::string token = SessionOf("handler1");
  backends_.answers[ConsoleRpc::kGetCase] = CaseOf(1);
  backends_.status[ConsoleRpc::kGetPetitioner] =
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  HttpAnswer answer = console_.Handle(Get("/api/v1/console/cases/C-1", token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(
      absl::StrContains(answer.body, "\"unavailable\":[\"petitioner\"]"))
      << answer.body;
}

TEST_F(ConsoleTest, CasePageShowsAnAlteredHistory) {
  // casectl verify's rule (domain/chain/history.h): a rewritten event
  // breaks the chain, and the page says so.
  const std::string token = SessionOf("handler1");
  auto detail = CaseOf(3);
  v1::Envelope env;
  ASSERT_TRUE(env.ParseFromString(detail->events(1)));
  env.mutable_case_event()->set_reason("rewritten");
  detail->set_events(1, env.SerializeAsString());
  backends_.answers[ConsoleRpc::kGetCase] = detail;
  HttpAnswer answer = console_.Handle(Get("/api/v1/console/cases/C-1", token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"verified\":false"));
  EXPECT_TRUE(absl::StrContains(answer.body, "第2条记录与哈希链不符"))
      << answer.body;
}

TEST_F(ConsoleTest, CasePageStillShowsWhenAServiceIsDown) {
  const std::string token = SessionOf("handler1");
  backends_.answers[ConsoleRpc::kGetCase] = CaseOf(1);
  backends_.status[ConsoleRpc::kListMessages] =
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  HttpAnswer answer = console_.Handle(Get("/api/v1/console/cases/C-1", token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"unavailable\":[\"messages\"]"))
      << answer.body;
}

// The services' refusals through errors.h, in Chinese; routing's role
// table gives its own reason (console-contract.md: "refused (with the
// Chinese reason)").
TEST_F(ConsoleTest, ServiceRefusalsAreChinese) {
  const std::string token = SessionOf("handler1");
  struct Row {
    const char* why;
    grpc::Status status;
    int http;
    const char* code;
    const char* words;
  };
  const std::vector<Row> rows = {
      {"another county's case (routing PERMISSION_DENIED, access rule)",
       grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                    "case C-1: 本单位无权查看此信访事项"),
       403, "forbidden", "本单位无权查看此信访事项"},
      {"no Chinese reason: the table's words",
       grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not yours"), 403,
       "forbidden", "您无权查看或办理此项"},
      {"unknown case", grpc::Status(grpc::StatusCode::NOT_FOUND, "no case"),
       404, "not_found", "未找到该信访事项"},
      {"routing down", grpc::Status(grpc::StatusCode::UNAVAILABLE, "x"), 503,
       "unavailable", "系统繁忙"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    backends_.status[ConsoleRpc::kGetCase] = row.status;
    HttpAnswer answer =
        console_.Handle(Get("/api/v1/console/cases/C-1", token));
    EXPECT_EQ(answer.status, row.http) << answer.body;
    EXPECT_EQ(ErrorCode(answer), row.code);
    EXPECT_TRUE(absl::StrContains(answer.body, row.words)) << answer.body;
  }
}

// The gateway's own refusals (console_api.h), each before any service.
TEST_F(ConsoleTest, GatewayRefusals) {
  const std::string token = SessionOf("handler1");
  struct Row {
    const char* why;
    HttpCall call;
    int http;
    const char* code;
  };
  HttpCall wrong_method = Get("/api/v1/console/cases/C-1/actions", token);
  HttpCall online =
      Post("/api/v1/console/registrations",
           "{\"matter\":{\"channel\":\"CHANNEL_ONLINE\"}}", token);
  HttpCall no_version =
      Post("/api/v1/console/cases/C-1/actions", "{\"accept\":{}}", token);
  HttpCall bad_state = Get("/api/v1/console/inbox", token);
  bad_state.query = {{"state", "CASE_STATE_NO_SUCH"}};
  HttpCall unknown_filter = Get("/api/v1/console/inbox", token);
  unknown_filter.query = {{"colour", "red"}};
  const std::vector<Row> rows = {
      {"unknown path", Get("/api/v1/console/nothing", token), 404, "not_found"},
      {"GET on a POST endpoint", wrong_method, 405, "method_not_allowed"},
      {"online petitions come through the portal (contract: channel "
       "visit/letter/fax/phone)",
       online, 400, "invalid_field"},
      {"an action without the version the page showed", no_version, 400,
       "invalid_field"},
      {"a state routing has no name for", bad_state, 400, "bad_query"},
      {"a filter the inbox does not have", unknown_filter, 400, "bad_query"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    HttpAnswer answer = console_.Handle(row.call);
    EXPECT_EQ(answer.status, row.http) << answer.body;
    EXPECT_EQ(ErrorCode(answer), row.code);
  }
  EXPECT_TRUE(backends_.Of(ConsoleRpc::kSubmitPetition).empty());
  EXPECT_TRUE(backends_.Of(ConsoleRpc::kAct).empty());
  EXPECT_TRUE(backends_.Of(ConsoleRpc::kListInbox).empty());
}

TEST_F(ConsoleTest, InboxFiltersReachRouting) {
  const std::string token = SessionOf("handler1");
  HttpCall call = Get("/api/v1/console/inbox", token);
  call.query = {{"state", "CASE_STATE_ACCEPTED,CASE_STATE_ASSIGNED"},
                {"due_before", "2026-12-31"},
                {"office", ""}};
  HttpAnswer answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto calls = backends_.Of(ConsoleRpc::kListInbox);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(
      absl::StrContains(calls[0].request, "states: CASE_STATE_ACCEPTED"))
      << calls[0].request;
  EXPECT_TRUE(
      absl::StrContains(calls[0].request, "states: CASE_STATE_ASSIGNED"));
  // A day is its start in China: 2026-12-30T16:00:00Z.
  EXPECT_TRUE(absl::StrContains(
      calls[0].request,
      absl::StrCat("seconds: ", absl::ToUnixSeconds(absl::FromCivil(
                                    absl::CivilSecond(2026, 12, 30, 16, 0, 0),
                                    absl::UTCTimeZone())))))
      << calls[0].request;
  EXPECT_FALSE(absl::StrContains(calls[0].request, "office_code"));
}

// console-contract.md "inbox": "name/phone: intake FindCases first, then
// routing with case_ids"; routing decides which of them the office may
// see (CaseAccess::MaySeePetitioner), the name and phone never reach it.
TEST_F(ConsoleTest, PetitionerSearchGoesThroughIntakeThenRouting) {
  const std::string token = SessionOf("handler1");
  auto found = std::make_shared<v1::FindCasesResponse>();
  found->add_case_ids("C-7");
  found->add_case_ids("C-9");
  backends_.answers[ConsoleRpc::kFindCases] = found;
  HttpCall call = Get("/api/v1/console/inbox", token);
  call.query = {{"name", "张三"}, {"phone", "13800001234"}, {"q", "工资"}};
  HttpAnswer answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto finds = backends_.Of(ConsoleRpc::kFindCases);
  ASSERT_EQ(finds.size(), 1u);
  EXPECT_EQ(finds[0].meta.office, "140431001:government");
  auto lists = backends_.Of(ConsoleRpc::kListInbox);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_TRUE(absl::StrContains(lists[0].request, "case_ids: \"C-7\""))
      << lists[0].request;
  EXPECT_TRUE(absl::StrContains(lists[0].request, "case_ids: \"C-9\""));
  EXPECT_FALSE(absl::StrContains(lists[0].request, "13800001234"));

  // Nobody found: an empty inbox, routing not asked.
  backends_.calls.clear();
  backends_.answers[ConsoleRpc::kFindCases] =
      std::make_shared<v1::FindCasesResponse>();
  answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(backends_.Of(ConsoleRpc::kListInbox).empty());
}

TEST_F(ConsoleTest, PreviewPutsTheChannelIntoTheMatter) {
  const std::string token = SessionOf("handler1");
  auto decision = std::make_shared<v1::RouteDecision>();
  decision->add_rules("territorial-tiered");
  // The rule in words, as routing answers it (domain/routing/rules.h): the
  // gateway passes them on; no copy of the words in the gateway or its JS.
  decision->add_rule_texts("属地管理、分级负责");
  backends_.answers[ConsoleRpc::kPreviewRoute] = decision;
  HttpAnswer answer = console_.Handle(
      Post("/api/v1/console/preview",
           "{\"matter\":{\"region_code\":\"140431001\"},\"channel\":"
           "\"CHANNEL_VISIT\"}",
           token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"rules\":[\"territorial-tiered\"]"))
      << answer.body;
  EXPECT_TRUE(
      absl::StrContains(answer.body, "\"rule_texts\":[\"属地管理、分级负责\"]"))
      << answer.body;
  auto calls = backends_.Of(ConsoleRpc::kPreviewRoute);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(calls[0].request, "channel: CHANNEL_VISIT"))
      << calls[0].request;
}

// issue 16 item 3: "a CSV export" of the indicators; the figures are
// supervision's as they are.
TEST_F(ConsoleTest, IndicatorsAsCsv) {
  const std::string token = SessionOf("handler1");
  auto indicators = std::make_shared<v1::GetIndicatorsResponse>();
  v1::Rate* rate = indicators->mutable_total()->mutable_on_time_completion();
  rate->set_numerator(3);
  rate->set_denominator(4);
  rate->set_value(0.75);
  indicators->mutable_total()->set_backlog(2);
  v1::Indicators* row = indicators->add_rows();
  row->set_key("140431:bureau");
  backends_.answers[ConsoleRpc::kGetIndicators] = indicators;
  HttpCall call = Get("/api/v1/console/indicators", token);
  call.query = {{"scope", "140431"},
                {"breakdown", "BREAKDOWN_OFFICE"},
                {"format", "csv"}};
  HttpAnswer answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(answer.body, IndicatorsCsv(*indicators));
  EXPECT_TRUE(absl::StartsWith(answer.body, "\xEF\xBB\xBF范围,"))
      << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, ",3,4,75.00%,")) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\r\n140431:bureau,"));
  auto calls = backends_.Of(ConsoleRpc::kGetIndicators);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(calls[0].request, "region_code: \"140431\""))
      << calls[0].request;
  EXPECT_TRUE(absl::StrContains(calls[0].request, "BREAKDOWN_OFFICE"));
}

TEST_F(ConsoleTest, RouteLabelsNameNoCaseOrUser) {
  EXPECT_EQ(ConsoleApi::RouteLabel("/api/v1/console/cases/SX-1/actions"),
            "/api/v1/console/cases/*/actions");
  EXPECT_EQ(ConsoleApi::RouteLabel("/api/v1/console/users/wang"),
            "/api/v1/console/users/*");
  EXPECT_EQ(ConsoleApi::RouteLabel("/api/v1/console/nope"), "other");
}

}  // namespace
}  // namespace caserelay::web
