// Intake and routing judge a matter by the same tables, through the real
// processes (devbroker and the four services):
//   - 无头事项 (issue 13 item 4): a petition without a category gets a case
//     number and lands in the triage queue of the receiving bureau, with a
//     running transfer deadline, also when submitted with casectl;
//   - 三跨 (issue 13 item 5): a span goes to the lowest common superior's
//     level, not the one above;
//   - issue 22 item 3: a code routing does not know is refused by intake
//     before any case number, and a matter the rules cannot place is still
//     registered at the receiving bureau's triage queue with the reason,
//     never dead-lettered — also one that reaches routing with a code its
//     tables refuse.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/producer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

namespace v1 = ::caserelay::v1;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kQinyuanBureau[] = "140431:bureau";   // 沁源县信访局
constexpr char kChangzhiBureau[] = "140400:bureau";  // 长治市信访局
constexpr char kDeadLetters[] = "caserelay_events_dead_letter_total";

class MatterRoutingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SystemOptions options;
    // 沁源's bureau reads the case whose matter accuses 山西省人民政府:
    // the province bureau, a member of it, may not (Art. 30).
    options.offices = {kQinyuanBureau};
    auto started = System::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    sys_ = started->release();
  }
  static void TearDownTestSuite() {
    delete sys_;
    sys_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(sys_, nullptr); }

  static grpc::Status Submit(const v1::SubmitPetitionRequest& req,
                             v1::SubmitPetitionResponse* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    return sys_->intake().SubmitPetition(&ctx, req, resp);
  }

  // The case as `stub` reads it, once routing has registered it (polls up
  // to 30 s); fails the test otherwise.
  static v1::CaseDetail Registered(const std::string& case_id,
                                   v1::RoutingService::Stub& stub) {
    v1::CaseDetail detail;
    grpc::Status s;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      grpc::ClientContext ctx;
      v1::GetCaseRequest req;
      req.set_case_id(case_id);
      s = stub.GetCase(&ctx, req, &detail);
      if (s.ok()) return detail;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << case_id << " not registered: " << s.error_message();
    return detail;
  }

  // Whether `office`'s inbox (read by `stub`) lists `case_id`.
  static bool InInbox(const std::string& office, const std::string& case_id,
                      v1::RoutingService::Stub& stub) {
    grpc::ClientContext ctx;
    v1::ListInboxRequest req;
    req.set_office_code(office);
    req.set_page_size(500);
    v1::ListInboxResponse resp;
    grpc::Status s = stub.ListInbox(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const v1::InboxItem& item : resp.items()) {
      if (item.case_id() == case_id) return true;
    }
    return false;
  }

  // The deadlines supervision keeps for `case_id`, once it has one (polls
  // up to 30 s).
  // The case's deadlines as `office` sees them (every call is
  // authenticated, and an accused office sees nothing: issue 14).
  static v1::ListDeadlinesResponse Deadlines(
      const std::string& case_id,
      const std::string& office = System::kProvinceBureau) {
    auto supervision =
        v1::SupervisionService::NewStub(sys_->Channel("supervision", office));
    v1::ListDeadlinesResponse resp;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      grpc::ClientContext ctx;
      v1::ListDeadlinesRequest req;
      req.set_case_id(case_id);
      resp.Clear();
      if (supervision->ListDeadlines(&ctx, req, &resp).ok() &&
          resp.deadlines_size() > 0) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return resp;
  }

  static double RoutingDeadLetters() {
    absl::StatusOr<double> n = sys_->MetricSum("routing", kDeadLetters);
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }

  static System* sys_;
};

System* MatterRoutingTest::sys_ = nullptr;

TEST_F(MatterRoutingTest, NoCategoryIsTriagedAtTheReceivingBureau) {
  // DOMAIN.md Routing: "Cases with no identifiable responsible unit
  // (无头事项) go to a triage queue of the receiving bureau." The region is
  // still required; the receiving bureau is 沁河镇's county bureau, or the
  // bureau the letter was addressed to.
  struct Row {
    const char* why;
    const char* lodged_with;
    const char* bureau;
  } rows[] = {
      {"online: the county bureau of the matter's township", "",
       kQinyuanBureau},
      {"a letter to 长治市信访局: the bureau that received it", kChangzhiBureau,
       kChangzhiBureau},
  };
  int n = 1300;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    v1::SubmitPetitionRequest req = SamplePetition("140431100", ++n);
    req.mutable_matter()->clear_category();
    if (*row.lodged_with != '\0') {
      req.mutable_matter()->set_channel(v1::CHANNEL_LETTER);
      req.mutable_matter()->set_lodged_with(row.lodged_with);
    }
    v1::SubmitPetitionResponse resp;
    grpc::Status s = Submit(req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_FALSE(resp.case_number().empty());
    EXPECT_FALSE(resp.lookup_code().empty());

    v1::CaseDetail detail = Registered(resp.case_number(), sys_->routing());
    const v1::CaseView& view = detail.view();
    EXPECT_EQ(view.state(), v1::CASE_STATE_REGISTERED);
    EXPECT_EQ(view.office_code(), row.bureau);
    EXPECT_EQ(view.decision().disposition(), v1::DISPOSITION_TRIAGE);
    EXPECT_THAT(view.decision().rules(), ElementsAre("no-responsible-unit"));
    EXPECT_TRUE(InInbox(row.bureau, resp.case_number(), sys_->routing()));
    v1::ListDeadlinesResponse deadlines = Deadlines(resp.case_number());
    ASSERT_EQ(deadlines.deadlines_size(), 1);
    EXPECT_EQ(deadlines.deadlines(0).kind(), v1::DEADLINE_KIND_TRANSFER)
        << "DOMAIN.md Deadlines: the bureau registers, then 转送/交办 "
           "within 15 days (Art. 22)";
    EXPECT_EQ(deadlines.deadlines(0).office_code(), row.bureau);
  }
}

TEST_F(MatterRoutingTest, NoCategoryWithCasectlSubmitAsItsHelpSays) {
  // casectl submit --help: "--category C  kind of matter, e.g. labour
  // (empty: 无头事项)". Submitted without --category, the petitioner's
  // look-up shows the case registered at 沁源县信访局.
  const std::string casectl =
      absl::StrCat(Binary("tools/casectl/casectl"), " --intake ",
                   sys_->grpc_address("intake"), " --token-file ",
                   sys_->token_file(System::kProvinceBureau));
  CommandResult help = RunCommand(casectl + " submit --help");
  EXPECT_THAT(help.output, HasSubstr("无头事项"));
  CommandResult submitted = RunCommand(
      casectl +
      " submit --name 李四 --address 沁源县郭道镇 --phone 13800001399"
      " --region 140431101 --class claim --channel online"
      " --text 村口道路长期积水无人管理");
  ASSERT_EQ(submitted.code, 0) << submitted.output;
  auto field = [](const std::string& out, const std::string& key) {
    size_t at = out.find(key + ": ");
    if (at == std::string::npos) return std::string();
    size_t end = out.find('\n', at);
    return out.substr(at + key.size() + 2, end - at - key.size() - 2);
  };
  const std::string number = field(submitted.output, "case_number");
  const std::string lookup = field(submitted.output, "lookup_code");
  ASSERT_FALSE(number.empty()) << submitted.output;
  Registered(number, sys_->routing());
  CommandResult status =
      RunCommand(absl::StrCat(casectl, " status ", number, " ", lookup));
  for (int i = 0; i < 50 && !absl::StrContains(status.output, "registered");
       ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    status = RunCommand(absl::StrCat(casectl, " status ", number, " ", lookup));
  }
  EXPECT_THAT(status.output, HasSubstr("state: registered"));
  EXPECT_THAT(status.output, HasSubstr("140431:bureau"));
}

TEST_F(MatterRoutingTest, CrossJurisdictionGoesToTheLowestCommonSuperior) {
  // DOMAIN.md Routing: 三跨 — "their lowest common superior decides (2005
  // Art. 24)": the office is of the lowest region holding every region of
  // the matter, never one level above.
  struct Row {
    const char* why;
    const char* region;
    const char* other;
    const char* category;
    const char* target;
    const char* registering;
  } rows[] = {
      {"two townships of 沁源, environment (no county office): 沁源's "
       "government, not 长治市生态环境局",
       "140431100", "140431101", "environment", "140431:gov", kQinyuanBureau},
      {"沁源 and 潞州区, two counties of 长治: 长治's labour bureau", "140431",
       "140403", "labour", "140400:hrss", kChangzhiBureau},
  };
  int n = 1400;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    v1::SubmitPetitionRequest req = SamplePetition(row.region, ++n);
    req.mutable_matter()->set_category(row.category);
    req.mutable_matter()->add_other_regions(row.other);
    v1::SubmitPetitionResponse resp;
    grpc::Status s = Submit(req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    v1::CaseDetail detail = Registered(resp.case_number(), sys_->routing());
    const v1::RouteDecision& d = detail.view().decision();
    EXPECT_EQ(d.target_office_code(), row.target);
    EXPECT_TRUE(d.cross_jurisdiction());
    EXPECT_THAT(d.rules(), Contains("cross-jurisdiction"));
    EXPECT_EQ(detail.view().office_code(), row.registering);
    EXPECT_TRUE(InInbox(row.registering, resp.case_number(), sys_->routing()));
  }
}

TEST_F(MatterRoutingTest, CodeRoutingDoesNotKnowIsRefusedBeforeACaseNumber) {
  // Issue 22 item 3, the reproduction: category "nosuchcategory" was
  // given a case number and look-up code, never reached an inbox, and
  // routing's dead-letter counter went up by one. Now intake refuses it,
  // by routing's own check, naming the field; nothing reaches routing.
  const double dead_before = RoutingDeadLetters();
  struct Row {
    const char* field;
    void (*spoil)(v1::SubmitPetitionRequest&);
  } rows[] = {
      {"matter.category",
       [](v1::SubmitPetitionRequest& r) {
         r.mutable_matter()->set_category("nosuchcategory");
       }},
      {"matter.other_categories[0]",
       [](v1::SubmitPetitionRequest& r) {
         r.mutable_matter()->add_other_categories("nosuchcategory");
       }},
      {"matter.other_regions[0]",
       [](v1::SubmitPetitionRequest& r) {
         r.mutable_matter()->add_other_regions("149999");
       }},
      {"matter.lodged_with",
       [](v1::SubmitPetitionRequest& r) {
         r.mutable_matter()->set_lodged_with("140431:nosuchunit");
       }},
      {"matter.accused_offices[0]",
       [](v1::SubmitPetitionRequest& r) {
         r.mutable_matter()->set_matter_class(v1::MATTER_CLASS_ACCUSATION);
         r.mutable_matter()->add_accused_offices("140431100:hrss");
       }},
  };
  int n = 1500;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.field);
    v1::SubmitPetitionRequest req = SamplePetition("140431100", ++n);
    row.spoil(req);
    v1::SubmitPetitionResponse resp;
    grpc::Status s = Submit(req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(
        absl::StartsWith(s.error_message(), absl::StrCat(row.field, ": ")))
        << s.error_message();
    EXPECT_TRUE(resp.case_number().empty());
  }
  // A good petition submitted after them is the next thing routing
  // applies; once it is registered nothing of the refused went anywhere.
  v1::SubmitPetitionResponse good;
  ASSERT_TRUE(Submit(SamplePetition("140431100", ++n), &good).ok());
  Registered(good.case_number(), sys_->routing());
  EXPECT_EQ(RoutingDeadLetters(), dead_before);
}

TEST_F(MatterRoutingTest, MatterTheRulesCannotPlaceIsTriagedNotDeadLettered) {
  // Issue 22 item 3 and DOMAIN.md Classification (Art. 30): an accusation
  // against 山西省人民政府 leaves no discipline office of the tree free of
  // the accused (every office of the province is a member); routing used
  // to refuse it, so it went to dead letters with a case number. Now it is
  // registered at the receiving bureau's triage queue (沁源县信访局, not
  // accused) with the reason, and its transfer deadline runs.
  const double dead_before = RoutingDeadLetters();
  v1::SubmitPetitionRequest req = SamplePetition("140431100", 1600);
  req.mutable_matter()->set_category("discipline");
  req.mutable_matter()->set_matter_class(v1::MATTER_CLASS_ACCUSATION);
  req.mutable_matter()->set_accused("省政府有关负责人");
  req.mutable_matter()->add_accused_offices("140000:gov");
  v1::SubmitPetitionResponse resp;
  grpc::Status s = Submit(req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::CaseDetail detail =
      Registered(resp.case_number(), sys_->routing_as(kQinyuanBureau));
  const v1::CaseView& view = detail.view();
  EXPECT_EQ(view.state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(view.office_code(), kQinyuanBureau);
  EXPECT_EQ(view.decision().disposition(), v1::DISPOSITION_TRIAGE);
  EXPECT_THAT(view.decision().rules(), ElementsAre("undecided"));
  EXPECT_THAT(view.decision().undecided_reason(),
              HasSubstr("accused-excluded"));
  EXPECT_TRUE(InInbox(kQinyuanBureau, resp.case_number(),
                      sys_->routing_as(kQinyuanBureau)));
  // Asked as the holder: every bureau above it is a member of the accused
  // 山西省人民政府 and sees nothing of the case (Art. 30).
  v1::ListDeadlinesResponse deadlines =
      Deadlines(resp.case_number(), kQinyuanBureau);
  ASSERT_EQ(deadlines.deadlines_size(), 1);
  EXPECT_EQ(deadlines.deadlines(0).kind(), v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(RoutingDeadLetters(), dead_before);

  // Only a matter no bureau may even receive is refused, by intake, before
  // a case number: every bureau from 沁源 up to 山西 is a member of an
  // accused government.
  req = SamplePetition("140431100", 1601);
  req.mutable_matter()->set_category("discipline");
  req.mutable_matter()->set_matter_class(v1::MATTER_CLASS_ACCUSATION);
  for (const char* accused : {"140431:gov", "140400:gov", "140000:gov"}) {
    req.mutable_matter()->add_accused_offices(accused);
  }
  v1::SubmitPetitionResponse refused;
  s = Submit(req, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("matter.accused_offices: "));
  EXPECT_THAT(s.error_message(), HasSubstr("accused-excluded"));
  EXPECT_TRUE(refused.case_number().empty());
}

TEST(MatterRoutingAloneTest, PetitionRoutingsTablesRefuseIsTriagedNotDropped) {
  // Issue 22 item 3, "never dropped": a PetitionReceived that already holds
  // a case number but whose category routing's tables do not know (an
  // intake under other tables, or from before it checked them) is
  // registered at the receiving bureau's triage queue with the reason, not
  // dead-lettered. Routing alone, fed on "petitions" as intake feeds it.
  SystemOptions options;
  options.services = {"routing"};
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  absl::StatusOr<double> dead_before = sys.MetricSum("routing", kDeadLetters);
  ASSERT_TRUE(dead_before.ok()) << dead_before.status();

  const std::string case_id = "140431-20261206-990001";
  v1::Envelope event;
  event.set_event_id(absl::StrCat("intake/", case_id, "/received"));
  event.set_case_id(case_id);
  event.set_producer("intake");
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  event.mutable_occurred_at()->set_seconds(now);
  v1::PetitionReceived* petition = event.mutable_petition_received();
  petition->set_case_number(case_id);
  petition->mutable_petitioner()->set_id(absl::StrCat("P", case_id));
  *petition->mutable_matter() = SamplePetition("140431100", 1700).matter();
  petition->mutable_matter()->set_category("nosuchcategory");
  petition->mutable_received_at()->set_seconds(now);

  std::atomic<int> failed{0};
  auto producer = kafka::CreateKafkaProducer(
      {sys.bootstrap(), "matter-routing-test", {}, absl::Seconds(10)},
      [&](const kafka::DeliveryReport& r) {
        if (!r.status.ok()) ++failed;
      });
  ASSERT_TRUE(producer.ok()) << producer.status();
  ASSERT_TRUE((*producer)
                  ->Produce("petitions", case_id, event.SerializeAsString(), 1)
                  .ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(failed.load(), 0);

  v1::CaseDetail detail;
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    v1::GetCaseRequest req;
    req.set_case_id(case_id);
    s = sys.routing().GetCase(&ctx, req, &detail);
    if (s.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(s.ok()) << case_id << " not registered: " << s.error_message();
  const v1::CaseView& view = detail.view();
  EXPECT_EQ(view.state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(view.office_code(), kQinyuanBureau);
  EXPECT_EQ(view.decision().disposition(), v1::DISPOSITION_TRIAGE);
  EXPECT_THAT(view.decision().rules(), ElementsAre("undecided"));
  EXPECT_THAT(view.decision().undecided_reason(),
              HasSubstr("matter.category: unknown category"));
  EXPECT_EQ(view.deadlines_size(), 1) << "the bureau's transfer deadline";
  absl::StatusOr<double> dead_after = sys.MetricSum("routing", kDeadLetters);
  ASSERT_TRUE(dead_after.ok()) << dead_after.status();
  EXPECT_EQ(*dead_after, *dead_before);
}

}  // namespace
}  // namespace caserelay::testing
