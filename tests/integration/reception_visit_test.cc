// 领导接访 through the real processes (issue 18 item 1): the county
// government publishes its 县长's reception day at intake; two visits are
// registered at it that day; routing's REGISTER and the case views carry
// the reception; one is resolved on the spot (当场解决) and its view and
// history say so; 当场解决 of a visit at no reception is refused citing the
// rule; the schedule is listed for anyone (casectl reception list).

#include <string>

#include <httplib.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/reception/reception.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

// The case's event number `i` (from the end if negative) as published.
v1::CaseEvent EventOf(const v1::CaseDetail& detail, int i) {
  if (i < 0) i += detail.events_size();
  v1::Envelope envelope;
  EXPECT_TRUE(i >= 0 && i < detail.events_size() &&
              envelope.ParseFromString(detail.events(i)));
  return envelope.case_event();
}

constexpr char kCounty[] = "140431";  // 沁源县: labour claims go to its 人社局
constexpr char kCountyGov[] = "140431:gov";    // holds the reception
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kCountyHrss[] = "140431:hrss";  // handles labour claims

std::unique_ptr<v1::IntakeService::Stub> IntakeAs(System& sys,
                                                  const std::string& office) {
  return v1::IntakeService::NewStub(sys.Channel("intake", office));
}

grpc::Status Publish(System& sys, const std::string& as,
                     const v1::PublishReceptionRequest& req,
                     v1::Reception* out) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return IntakeAs(sys, as)->PublishReception(&ctx, req, out);
}

grpc::Status SubmitAs(System& sys, const std::string& as,
                      const v1::SubmitPetitionRequest& req,
                      v1::SubmitPetitionResponse* out) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return IntakeAs(sys, as)->SubmitPetition(&ctx, req, out);
}

// A visit of petitioner `n` at `reception` ("" none).
v1::SubmitPetitionRequest Visit(int n, const std::string& reception) {
  v1::SubmitPetitionRequest req = SamplePetition(kCounty, n);
  req.mutable_matter()->set_channel(v1::CHANNEL_VISIT);
  req.set_reception_id(reception);
  return req;
}

v1::ActRequest Reply(bool on_the_spot) {
  v1::ActRequest req;
  req.mutable_reply()->set_outcome(v1::OUTCOME_SUPPORT);
  req.mutable_reply()->set_on_the_spot(on_the_spot);
  return req;
}

TEST(ReceptionVisitTest, VisitsAtALeadersReceptionAndTheirOnTheSpotResolution) {
  SystemOptions options{{kCountyGov, kCountyBureau, kCountyHrss}};
  options.web = true;  // the portal's 领导接访安排
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Steps steps(sys);
  const std::string today =
      reception::FormatDay(time::ChinaDay(absl::Now()));

  // The county government publishes its 县长's reception today.
  v1::PublishReceptionRequest publish;
  publish.set_leader_name("王某某");
  publish.set_leader_title("县长");
  publish.set_kind(v1::RECEPTION_KIND_SCHEDULED);
  publish.set_day(today);
  publish.set_place("沁源县信访局接待大厅");
  publish.set_topic("劳动工资");
  v1::Reception reception;
  grpc::Status s = Publish(sys, kCountyGov, publish, &reception);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(reception.reception_id(), "JF"));
  EXPECT_EQ(reception.office_code(), kCountyGov);
  EXPECT_FALSE(reception.office_name().empty());
  const std::string id = reception.reception_id();

  // Another office does not publish for it (domain/access).
  v1::Reception ignored;
  publish.set_office_code(kCountyGov);
  s = Publish(sys, kCountyHrss, publish, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("issue 18 item 1"), std::string::npos);

  // Two visits registered at it; a letter is no visit; a visit at no
  // reception by the county bureau for comparison.
  v1::SubmitPetitionResponse first, second, plain, letter;
  s = SubmitAs(sys, kCountyGov, Visit(181, id), &first);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = SubmitAs(sys, kCountyGov, Visit(182, id), &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::SubmitPetitionRequest by_letter = Visit(183, id);
  by_letter.mutable_matter()->set_channel(v1::CHANNEL_LETTER);
  s = SubmitAs(sys, kCountyGov, by_letter, &letter);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "reception_id: "))
      << s.error_message();
  // Only the office holding the reception registers visits at it.
  s = SubmitAs(sys, kCountyBureau, Visit(184, id), &letter);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  s = SubmitAs(sys, kCountyBureau, Visit(185, ""), &plain);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Routing registers each; the views carry the reception (or none).
  for (const std::string& c : {first.case_number(), second.case_number()}) {
    auto registered = steps.AwaitState(kCountyBureau, c,
                                       v1::CASE_STATE_REGISTERED);
    ASSERT_TRUE(registered.ok()) << c << ": " << registered.status();
    const v1::CaseView& view = registered->view();
    EXPECT_EQ(view.reception().reception_id(), id) << c;
    EXPECT_EQ(view.reception().leader_name(), "王某某") << c;
    EXPECT_EQ(view.reception().leader_title(), "县长") << c;
    EXPECT_EQ(view.reception().office_code(), kCountyGov) << c;
    EXPECT_EQ(view.reception().kind(), v1::RECEPTION_KIND_SCHEDULED) << c;
    EXPECT_EQ(time::ChinaDay(time::FromProto(view.reception().day())),
              time::ChinaDay(absl::Now()))
        << c;
    ASSERT_GT(registered->events_size(), 0);
    EXPECT_EQ(EventOf(*registered, 0).reception().reception_id(), id);
  }
  auto at_none =
      steps.AwaitState(kCountyBureau, plain.case_number(),
                       v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(at_none.ok()) << at_none.status();
  EXPECT_FALSE(at_none->view().has_reception());

  // The first is transferred, accepted and resolved on the spot.
  for (const std::string& c : {first.case_number(), plain.case_number()}) {
    v1::ActRequest transfer;
    transfer.mutable_transfer();
    s = steps.Act(kCountyBureau, c, transfer);
    ASSERT_TRUE(s.ok()) << c << ": " << s.error_message();
    v1::ActRequest accept;
    accept.mutable_accept();
    s = steps.Act(kCountyHrss, c, accept);
    ASSERT_TRUE(s.ok()) << c << ": " << s.error_message();
  }
  // The console's form asks 当场解决 only of the reception's case.
  auto offered = [&](const std::string& c) {
    auto detail = steps.Get(kCountyHrss, c);
    EXPECT_TRUE(detail.ok()) << detail.status();
    for (const auto& a : detail->view().allowed_actions()) {
      if (a.action() != v1::CASE_ACTION_REPLY) continue;
      for (const std::string& f : a.fields()) {
        if (f == "reply.on_the_spot") return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(offered(first.case_number()));
  EXPECT_FALSE(offered(plain.case_number()));
  s = steps.Act(kCountyHrss, first.case_number(), Reply(true));
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto resolved = steps.AwaitState(kCountyBureau, first.case_number(),
                                   v1::CASE_STATE_REPLIED);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_TRUE(resolved->view().on_the_spot());
  EXPECT_EQ(resolved->view().outcome(), v1::OUTCOME_SUPPORT);
  EXPECT_EQ(resolved->view().reception().reception_id(), id);
  const v1::CaseEvent last = EventOf(*resolved, -1);
  EXPECT_EQ(last.action(), v1::CASE_ACTION_REPLY);
  EXPECT_TRUE(last.on_the_spot());

  // The second stays as it is: registered at the reception, not resolved.
  auto waiting = steps.Get(kCountyBureau, second.case_number());
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_FALSE(waiting->view().on_the_spot());

  // 当场解决 of a visit at no reception is refused, citing the rule; the
  // case is unchanged and may be replied as ever.
  s = steps.Act(kCountyHrss, plain.case_number(), Reply(true));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("issue 18 item 1 (领导接访)"),
            std::string::npos)
      << s.error_message();
  auto unchanged = steps.Get(kCountyBureau, plain.case_number());
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->view().state(), v1::CASE_STATE_ACCEPTED);
  s = steps.Act(kCountyHrss, plain.case_number(), Reply(false));
  EXPECT_TRUE(s.ok()) << s.error_message();

  // casectl: the schedule lists the reception for anyone, the case shows
  // 当场解决.
  CommandResult listed = RunCommand(absl::StrCat(
      Binary("tools/casectl/casectl"), " --intake ", sys.grpc_address("intake"),
      " --token-file ", sys.token_file(kCountyHrss),
      " reception list --region 140431"));
  EXPECT_EQ(listed.code, 0) << listed.output;
  EXPECT_NE(listed.output.find(id), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("县长 王某某"), std::string::npos)
      << listed.output;
  // The portal lists it, for anyone, on its page's API.
  std::string base = sys.web_url();
  if (!base.empty() && base.back() == '/') base.pop_back();
  httplib::Client portal(base);
  auto page = portal.Get("/receptions.html");
  ASSERT_TRUE(page) << "no answer from " << base;
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("领导接访安排"), std::string::npos);
  auto api = portal.Get("/api/v1/receptions?region=140431");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200) << api->body;
  EXPECT_NE(api->body.find(absl::StrCat("\"reception_id\":\"", id, "\"")),
            std::string::npos)
      << api->body;
  EXPECT_NE(api->body.find("\"leader_title\":\"县长\""), std::string::npos);
  EXPECT_NE(api->body.find("\"kind_text\":\"领导接访日\""),
            std::string::npos);

  CommandResult shown = RunCommand(absl::StrCat(
      steps.Casectl(kCountyBureau), " show ", first.case_number()));
  EXPECT_EQ(shown.code, 0) << shown.output;
  EXPECT_NE(shown.output.find("当场解决"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find(id), std::string::npos) << shown.output;
}

}  // namespace
}  // namespace caserelay::testing
