// The authorisation matrix (issue 14, "Must show"): every read and act RPC
// of every service, through the real processes, called by the holder of a
// case, the bureau supervising it, a sibling office, another province's
// bureau, the accused unit of an accusation, other services' identities
// and a caller without credentials. Each cell is expected to be allowed,
// PERMISSION_DENIED or UNAUTHENTICATED (DESIGN.md "Security"; the shared
// rule of domain/access; Regulation Art. 30); an allowed list or figure
// must also leave the accusation out for its accused unit. The test
// prints the matrix and asserts 0 unexpected allows (and no other
// mismatch).
//
// "Allowed" means the call passed authentication and authorisation: OK,
// or an answer about the request itself (ABORTED for a stale version,
// FAILED_PRECONDITION for a message not awaiting a decision, NOT_FOUND
// for a wrong look-up code), which the test provokes so that no cell
// changes a case.

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/rpc/credentials.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kTownship[] = "140431100";          // 沁河镇, 沁源县
constexpr char kCounty[] = "140431";               // 沁源县
constexpr char kCountyBureau[] = "140431:bureau";  // holds the claim
constexpr char kCityBureau[] = "140400:bureau";    // 长治市: supervises it
constexpr char kSibling[] = "140404:bureau";  // 上党区, also under 长治市
constexpr char kCountyDiscipline[] = "140431:discipline";  // 沁源县纪委监委
constexpr char kOtherProvince[] = "130000:bureau";         // 河北省信访局
constexpr char kWeb[] = "service:web";  // the web gateway: speaks for users

// 2026-07-01 09:00 China time; the transfer deadlines fall due on 07-17.
const absl::Time kStart = China(2026, 7, 1, 9);

enum class Want { kAllow, kDeny, kUnauth };

const char* Name(Want w) {
  switch (w) {
    case Want::kAllow:
      return "allow";
    case Want::kDeny:
      return "DENIED";
    case Want::kUnauth:
      return "UNAUTH";
  }
  return "?";
}

// What a call gave: its code and, for an allowed list or figure, whether
// it showed the accusation to its accused unit.
struct Outcome {
  grpc::StatusCode code;
  bool leaked = false;
};

Want Classify(const Outcome& o) {
  if (o.code == grpc::StatusCode::UNAUTHENTICATED) return Want::kUnauth;
  if (o.code == grpc::StatusCode::PERMISSION_DENIED) return Want::kDeny;
  return Want::kAllow;
}

// Who calls, and about which case: the accused unit is asked about the
// accusation (whose holder it supervises), everyone else about the claim.
struct Caller {
  std::string label;
  std::string principal;  // "" : no credentials
  bool accused = false;
};

// What the calls need to know of the two cases.
struct Cases {
  std::string claim;
  std::string claim_holder;
  std::string claim_code;  // its look-up code
  std::string claim_sms;   // its receipt SMS
  std::string accusation;
  std::string accusation_holder;
  std::string accusation_sms;
  // The province bureau, which counts every Shanxi case, on the service
  // called.
  std::shared_ptr<grpc::Channel> province;
};

std::string RegionOf(const std::string& office) {
  return office.substr(0, office.find(':'));
}

void Within(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

// A channel to `service` as `principal` (its token, which the harness
// writes for every office of SystemOptions::offices and every service's
// identity); no credentials at all for "".
std::shared_ptr<grpc::Channel> ChannelAs(System& sys,
                                         const std::string& service,
                                         const std::string& principal) {
  if (principal.empty()) {
    return grpc::CreateChannel(sys.grpc_address(service),
                               grpc::InsecureChannelCredentials());
  }
  rpc::ClientAuth auth;
  auth.target = sys.grpc_address(service);
  auth.token_file = sys.token_file(principal);
  auto channel = rpc::OfficeChannel(auth);
  if (!channel.ok()) {
    std::fprintf(stderr, "authz_matrix_test: %s\n",
                 channel.status().ToString().c_str());
    std::abort();  // a broken harness, not a failing system
  }
  return *channel;
}

using Call = std::function<Outcome(const std::shared_ptr<grpc::Channel>&,
                                   const Caller&, const Cases&)>;

struct Rpc {
  std::string name;
  Call call;
  // Expected per caller label (see Callers()).
  std::vector<Want> want;
};

std::vector<Caller> Callers() {
  return {
      {"holder", kCountyBureau},
      {"supervising bureau", kCityBureau},
      {"sibling office", kSibling},
      {"other province", kOtherProvince},
      {"accused unit", kCityBureau, /*accused=*/true},
      {"service:routing", "service:routing"},
      {"service:web", kWeb},
      {"service:notification", "service:notification"},
      {"no credentials", ""},
  };
}

constexpr Want A = Want::kAllow;
constexpr Want D = Want::kDeny;
constexpr Want U = Want::kUnauth;

std::vector<Rpc> Rpcs() {
  std::vector<Rpc> rpcs;
  // --- routing ---
  rpcs.push_back({"routing.GetCase",
                  [](auto ch, const Caller& c, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::GetCaseRequest req;
                    req.set_case_id(c.accused ? k.accusation : k.claim);
                    v1::CaseDetail resp;
                    return Outcome{v1::RoutingService::NewStub(ch)
                                       ->GetCase(&ctx, req, &resp)
                                       .error_code()};
                  },
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.ListInbox",
                  [](auto ch, const Caller& c, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::ListInboxRequest req;
                    req.set_office_code(c.accused ? k.accusation_holder
                                                  : k.claim_holder);
                    req.set_page_size(500);
                    v1::ListInboxResponse resp;
                    Outcome o{v1::RoutingService::NewStub(ch)
                                  ->ListInbox(&ctx, req, &resp)
                                  .error_code()};
                    for (const auto& item : resp.items()) {
                      if (c.accused && item.case_id() == k.accusation)
                        o.leaked = true;
                    }
                    return o;
                  },
                  // The accused bureau supervises the holder: it lists the
                  // inbox, without the accusation.
                  {A, A, D, D, A, D, D, D, U}});
  rpcs.push_back({"routing.Act",
                  [](auto ch, const Caller& c, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::ActRequest req;
                    req.set_case_id(c.accused ? k.accusation : k.claim);
                    req.set_expected_version(
                        1000);  // stale: ABORTED if allowed
                    req.mutable_accept();
                    v1::CaseView resp;
                    return Outcome{v1::RoutingService::NewStub(ch)
                                       ->Act(&ctx, req, &resp)
                                       .error_code()};
                  },
                  {A, D, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"routing.PreviewRoute",
       [](auto ch, const Caller&, const Cases&) {
         grpc::ClientContext ctx;
         Within(ctx);
         v1::PreviewRouteRequest req;
         *req.mutable_matter() = SamplePetition(kTownship, 90).matter();
         v1::RouteDecision resp;
         return Outcome{v1::RoutingService::NewStub(ch)
                            ->PreviewRoute(&ctx, req, &resp)
                            .error_code()};
       },
       // Any office may ask how a matter would be routed: no case is read.
       {A, A, A, A, A, D, D, D, U}});
  // --- supervision ---
  rpcs.push_back({"supervision.ListDeadlines",
                  [](auto ch, const Caller& c, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::ListDeadlinesRequest req;
                    req.set_case_id(c.accused ? k.accusation : k.claim);
                    v1::ListDeadlinesResponse resp;
                    return Outcome{v1::SupervisionService::NewStub(ch)
                                       ->ListDeadlines(&ctx, req, &resp)
                                       .error_code()};
                  },
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back({"supervision.ListRedLights",
                  [](auto ch, const Caller& c, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::ListRedLightsRequest req;
                    req.set_region_code(RegionOf(c.accused ? k.accusation_holder
                                                           : k.claim_holder));
                    v1::ListRedLightsResponse resp;
                    Outcome o{v1::SupervisionService::NewStub(ch)
                                  ->ListRedLights(&ctx, req, &resp)
                                  .error_code()};
                    for (const auto& light : resp.lights()) {
                      if (c.accused && light.deadline().deadline_id().rfind(
                                           k.accusation, 0) == 0) {
                        o.leaked = true;
                      }
                    }
                    return o;
                  },
                  {A, A, D, D, A, D, D, D, U}});
  rpcs.push_back(
      {"supervision.GetIndicators",
       [](auto ch, const Caller& c, const Cases& k) {
         auto backlog = [&](const std::shared_ptr<grpc::Channel>& channel,
                            Outcome* o) {
           grpc::ClientContext ctx;
           Within(ctx);
           v1::GetIndicatorsRequest req;
           req.mutable_scope()->set_region_code(
               RegionOf(c.accused ? k.accusation_holder : k.claim_holder));
           v1::GetIndicatorsResponse resp;
           o->code = v1::SupervisionService::NewStub(channel)
                         ->GetIndicators(&ctx, req, &resp)
                         .error_code();
           return resp.total().backlog();
         };
         Outcome o{grpc::StatusCode::OK};
         const int got = backlog(ch, &o);
         if (c.accused && o.code == grpc::StatusCode::OK) {
           // The province bureau counts the accusation; its accused unit,
           // over the same scope, must count one case less.
           Outcome province{grpc::StatusCode::OK};
           const int all = backlog(k.province, &province);
           o.leaked = province.code != grpc::StatusCode::OK || got != all - 1;
         }
         return o;
       },
       {A, A, D, D, A, D, D, D, U}});
  // --- notification ---
  rpcs.push_back({"notification.ListMessages",
                  [](auto ch, const Caller& c, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::ListMessagesRequest req;
                    req.set_case_id(c.accused ? k.accusation : k.claim);
                    v1::ListMessagesResponse resp;
                    return Outcome{v1::NotificationService::NewStub(ch)
                                       ->ListMessages(&ctx, req, &resp)
                                       .error_code()};
                  },
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"notification.ResolveMessage",
       [](auto ch, const Caller& c, const Cases& k) {
         grpc::ClientContext ctx;
         Within(ctx);
         v1::ResolveMessageRequest req;
         req.set_message_id(c.accused ? k.accusation_sms : k.claim_sms);
         req.set_resolution(v1::SMS_RESOLUTION_SENT);
         req.set_note("authz matrix");  // not UNKNOWN: FAILED_PRECONDITION
         v1::ResolveMessageResponse resp;
         return Outcome{v1::NotificationService::NewStub(ch)
                            ->ResolveMessage(&ctx, req, &resp)
                            .error_code()};
       },
       // Only a petition bureau resolves: the holder here is one.
       {A, A, D, D, D, D, D, D, U}});
  // --- intake ---
  rpcs.push_back(
      {"intake.SubmitPetition",
       [](auto ch, const Caller&, const Cases&) {
         static int n = 200;
         grpc::ClientContext ctx;
         Within(ctx);
         v1::SubmitPetitionResponse resp;
         return Outcome{
             v1::IntakeService::NewStub(ch)
                 ->SubmitPetition(&ctx, SamplePetition(kTownship, ++n), &resp)
                 .error_code()};
       },
       // An office (a visit registered at its counter) or the web gateway
       // for a user.
       {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back({"intake.GetCaseStatus",
                  [](auto ch, const Caller&, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::GetCaseStatusRequest req;
                    req.set_case_number(k.claim);
                    req.set_lookup_code(k.claim_code);
                    v1::GetCaseStatusResponse resp;
                    return Outcome{v1::IntakeService::NewStub(ch)
                                       ->GetCaseStatus(&ctx, req, &resp)
                                       .error_code()};
                  },
                  {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back({"intake.ResolveContact",
                  [](auto ch, const Caller&, const Cases& k) {
                    grpc::ClientContext ctx;
                    Within(ctx);
                    v1::ResolveContactRequest req;
                    req.set_case_number(k.claim);
                    v1::ResolveContactResponse resp;
                    return Outcome{v1::IntakeService::NewStub(ch)
                                       ->ResolveContact(&ctx, req, &resp)
                                       .error_code()};
                  },
                  // Only notification, to send the petitioner's SMS.
                  {D, D, D, D, D, D, D, A, U}});
  return rpcs;
}

// The service an RPC's name starts with ("routing.GetCase" -> "routing").
std::string ServiceOf(const std::string& rpc) {
  return rpc.substr(0, rpc.find('.'));
}

// An accusation about 沁河镇 naming 长治市信访局, which supervises every
// office of 沁源县, as the accused unit.
v1::SubmitPetitionRequest Accusation(int n) {
  auto req = SamplePetition(kTownship, n);
  auto* m = req.mutable_matter();
  m->set_matter_class(v1::MATTER_CLASS_ACCUSATION);
  m->set_category("discipline");
  m->set_title("检举工作人员收受好处");
  m->set_accused("某单位工作人员");
  m->add_accused_offices(kCityBureau);
  return req;
}

TEST(AuthzMatrixTest, NoUnexpectedAllowForAnyCallerOfAnyRpc) {
  SystemOptions options;
  options.offices = {kCountyBureau, kCityBureau, kSibling, kOtherProvince,
                     kCountyDiscipline};
  options.simulated_start = kStart;
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Steps steps(sys);

  auto intake = v1::IntakeService::NewStub(ChannelAs(sys, "intake", kWeb));
  auto supervision = v1::SupervisionService::NewStub(
      ChannelAs(sys, "supervision", System::kProvinceBureau));
  auto notification = v1::NotificationService::NewStub(
      ChannelAs(sys, "notification", System::kProvinceBureau));
  Cases k;
  for (auto [req, id, code] :
       {std::tuple{SamplePetition(kTownship, 1), &k.claim, &k.claim_code},
        std::tuple{Accusation(2), &k.accusation,
                   static_cast<std::string*>(nullptr)}}) {
    grpc::ClientContext ctx;
    Within(ctx);
    v1::SubmitPetitionResponse resp;
    grpc::Status s = intake->SubmitPetition(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    *id = resp.case_number();
    if (code != nullptr) *code = resp.lookup_code();
  }
  auto claim = steps.AwaitState(System::kProvinceBureau, k.claim,
                                v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(claim.ok()) << claim.status();
  auto accusation = steps.AwaitState(System::kProvinceBureau, k.accusation,
                                     v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(accusation.ok()) << accusation.status();
  k.claim_holder = claim->view().office_code();
  ASSERT_EQ(k.claim_holder, kCountyBureau);
  // The accusation is registered above its accused unit; its registering
  // bureau transfers it to 沁源县纪委监委, which 长治市信访局 supervises.
  {
    v1::ActRequest transfer;
    transfer.mutable_transfer()->set_office_code(kCountyDiscipline);
    grpc::Status s =
        steps.Act(accusation->view().office_code(), k.accusation, transfer);
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto moved = steps.Get(System::kProvinceBureau, k.accusation);
    ASSERT_TRUE(moved.ok()) << moved.status();
    k.accusation_holder = moved->view().office_code();
  }
  // The accused unit would read the accusation as a superior of its holder
  // but for Art. 30: otherwise its row would prove nothing.
  ASSERT_EQ(RegionOf(k.accusation_holder).rfind("1404", 0), 0u)
      << k.accusation_holder << " is not under 长治市";

  // Both receipts are queued, and both transfer deadlines missed (red
  // lights) on the simulated clock, so every list has something to show.
  for (auto [id, sms] : {std::pair{k.claim, &k.claim_sms},
                         std::pair{k.accusation, &k.accusation_sms}}) {
    const absl::Time until = absl::Now() + absl::Seconds(20);
    while (sms->empty() && absl::Now() < until) {
      grpc::ClientContext ctx;
      Within(ctx);
      v1::ListMessagesRequest req;
      req.set_case_id(id);
      v1::ListMessagesResponse resp;
      // PERMISSION_DENIED until notification has seen the case (a case
      // it never saw reads as no one's).
      grpc::Status s = notification->ListMessages(&ctx, req, &resp);
      ASSERT_TRUE(s.ok() ||
                  s.error_code() == grpc::StatusCode::PERMISSION_DENIED)
          << s.error_message();
      if (resp.messages_size() > 0) {
        *sms = resp.messages(0).message_id();
      } else {
        absl::SleepFor(absl::Milliseconds(200));
      }
    }
    ASSERT_FALSE(sms->empty()) << "no SMS queued for " << id;
  }
  sys.clock().Set(China(2026, 7, 20, 9));
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  for (int lit = 0; lit < 2 && absl::Now() < give_up;) {
    grpc::ClientContext ctx;
    Within(ctx);
    v1::ListRedLightsRequest req;
    req.set_region_code(kCounty);
    v1::ListRedLightsResponse resp;
    grpc::Status s = supervision->ListRedLights(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    lit = 0;
    for (const auto& l : resp.lights()) {
      const std::string& d = l.deadline().deadline_id();
      if (d.rfind(k.claim, 0) == 0 || d.rfind(k.accusation, 0) == 0) ++lit;
    }
    if (lit < 2) absl::SleepFor(absl::Milliseconds(200));
    ASSERT_TRUE(lit == 2 || absl::Now() < give_up)
        << "the two transfer deadlines were not missed in 30 s";
  }

  const std::vector<Caller> callers = Callers();
  int unexpected_allows = 0;
  int mismatches = 0;
  int cells = 0;
  std::string matrix = absl::StrCat("\n", std::string(30, ' '));
  for (const Caller& c : callers) absl::StrAppend(&matrix, " | ", c.label);
  absl::StrAppend(&matrix, "\n");
  std::string failures;
  for (const Rpc& rpc : Rpcs()) {
    ASSERT_EQ(rpc.want.size(), callers.size()) << rpc.name;
    absl::StrAppend(
        &matrix, rpc.name,
        std::string(30 - std::min<size_t>(30, rpc.name.size()), ' '));
    for (size_t i = 0; i < callers.size(); ++i) {
      const Caller& c = callers[i];
      const std::string service = ServiceOf(rpc.name);
      auto channel = ChannelAs(sys, service, c.principal);
      Cases with_province = k;
      with_province.province = ChannelAs(sys, service, System::kProvinceBureau);
      Outcome got = rpc.call(channel, c, with_province);
      Want seen = got.leaked ? Want::kAllow : Classify(got);
      const Want want = rpc.want[i];
      ++cells;
      std::string cell = got.leaked ? "LEAK" : Name(seen);
      if (seen != want || got.leaked) {
        ++mismatches;
        if ((seen == Want::kAllow && want != Want::kAllow) || got.leaked) {
          ++unexpected_allows;
        }
        cell = absl::StrCat(cell, "(want ", Name(want), ")");
        absl::StrAppend(&failures, rpc.name, " by ", c.label, " (",
                        c.principal.empty() ? "none" : c.principal,
                        "): got code ", static_cast<int>(got.code),
                        got.leaked ? " showing the accusation" : "", ", want ",
                        Name(want), "\n");
      }
      absl::StrAppend(&matrix, " | ", cell);
    }
    absl::StrAppend(&matrix, "\n");
  }
  std::printf(
      "authorisation matrix (%d cells; accused unit = %s on the accusation "
      "%s held by %s, every other caller on the claim %s held by %s; an "
      "'allow' of a list or figure to the accused unit was checked to leave "
      "the accusation out, else LEAK):%s",
      cells, kCityBureau, k.accusation.c_str(), k.accusation_holder.c_str(),
      k.claim.c_str(), k.claim_holder.c_str(), matrix.c_str());
  std::printf("unexpected allows: %d, other mismatches: %d\n",
              unexpected_allows, mismatches - unexpected_allows);
  EXPECT_EQ(unexpected_allows, 0) << failures;
  EXPECT_EQ(mismatches, 0) << failures;
}

}  // namespace
}  // namespace caserelay::testing
