// The authorisation matrix's table: how each RPC is called and what each
// caller must get (authz_matrix.h). "Allowed" is OK or an answer about the
// request itself, which the calls provoke so that no cell changes a case:
// ABORTED for a stale version, FAILED_PRECONDITION for a message not
// awaiting a decision.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "tests/integration/authz_matrix.h"
#include "tests/integration/harness.h"

namespace caserelay::testing::authz {

namespace v1 = caserelay::v1;

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

Want Classify(const Outcome& o) {
  if (o.code == grpc::StatusCode::UNAUTHENTICATED) return Want::kUnauth;
  if (o.code == grpc::StatusCode::PERMISSION_DENIED) return Want::kDeny;
  return Want::kAllow;
}

std::string RegionOf(const std::string& office) {
  return office.substr(0, office.find(':'));
}

void Within(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

// `method` of a fresh stub over `ch`, within the deadline; the answer in
// `resp`.
template <typename Stub, typename Request, typename Response>
grpc::StatusCode Invoke(const std::shared_ptr<grpc::Channel>& ch,
                        grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                     const Request&, Response*),
                        const Request& req, Response* resp) {
  grpc::ClientContext ctx;
  Within(ctx);
  Stub stub(ch);
  return (stub.*method)(&ctx, req, resp).error_code();
}

// The Call of a matrix cell whose outcome is the code alone: `method` with
// the request make(caller, cases) builds. With `petitioner`, the call
// carries the web gateway's x-caserelay-petitioner-case naming
// petitioner(cases) (issue 15; common/rpc/auth.h): the gateway speaking
// for that case's petitioner, and any other principal sending a reserved
// key.
template <typename Stub, typename Request, typename Response, typename Make>
Call Plain(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                        Response*),
           Make make,
           std::function<std::string(const Cases&)> petitioner = nullptr) {
  return [method, make, petitioner](const std::shared_ptr<grpc::Channel>& ch,
                                    const Caller& c, const Cases& k) {
    grpc::ClientContext ctx;
    Within(ctx);
    if (petitioner) {
      ctx.AddMetadata("x-caserelay-petitioner-case", petitioner(k));
    }
    Stub stub(ch);
    Response resp;
    return Outcome{(stub.*method)(&ctx, make(c, k), &resp).error_code()};
  };
}

// The case a caller is asked about: the accusation for its accused unit,
// the claim for everyone else.
const std::string& Asked(const Caller& c, const Cases& k) {
  return c.accused ? k.accusation : k.claim;
}

// A request naming case `id`.
template <typename Request>
Request About(const std::string& id) {
  Request req;
  req.set_case_id(id);
  return req;
}

// An ActRequest on `id` at a stale version (ABORTED if allowed), the
// action set by `set`.
template <typename Set>
v1::ActRequest StaleAct(const std::string& id, Set set) {
  v1::ActRequest req = About<v1::ActRequest>(id);
  req.set_expected_version(1000);
  set(req);
  return req;
}

std::string Claim(const Cases& k) { return k.claim; }
std::string Accusation(const Cases& k) { return k.accusation; }

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
  using RS = v1::RoutingService::Stub;
  using SS = v1::SupervisionService::Stub;
  using NS = v1::NotificationService::Stub;
  using IS = v1::IntakeService::Stub;
  std::vector<Rpc> rpcs;
  // --- routing ---
  rpcs.push_back({"routing.GetCase",
                  Plain(&RS::GetCase,
                        [](const Caller& c, const Cases& k) {
                          return About<v1::GetCaseRequest>(Asked(c, k));
                        }),
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.ListInbox",
                  [](auto ch, const Caller& c, const Cases& k) {
                    v1::ListInboxRequest req;
                    req.set_office_code(c.accused ? k.accusation_holder
                                                  : k.claim_holder);
                    req.set_page_size(500);
                    v1::ListInboxResponse resp;
                    Outcome o{Invoke(ch, &RS::ListInbox, req, &resp)};
                    for (const auto& item : resp.items()) {
                      if (c.accused && item.case_id() == k.accusation)
                        o.leaked = true;
                    }
                    return o;
                  },
                  // The accused bureau supervises the holder: it lists the
                  // inbox, without the accusation.
                  {A, A, D, D, A, D, D, D, U}});
  // Issue 16: the head's queue is its own office's only (an office's own
  // credential has every role, the head's among them).
  rpcs.push_back({"routing.ListApprovals",
                  Plain(&RS::ListApprovals,
                        [](const Caller&, const Cases& k) {
                          v1::ListApprovalsRequest req;
                          req.set_office_code(k.claim_holder);
                          return req;
                        }),
                  {A, D, D, D, D, D, D, D, U}});
  // Issue 18 item 2: a government's (or bureau's) list of 领导包案 is its
  // own and its superiors' (domain/offices Supervises); each case in it
  // only if the caller may read it.
  rpcs.push_back({"routing.ListChargedCases",
                  Plain(&RS::ListChargedCases,
                        [](const Caller&, const Cases& k) {
                          v1::ListChargedCasesRequest req;
                          req.set_office_code(k.claim_holder);
                          return req;
                        }),
                  {A, A, D, D, A, D, D, D, U}});
  rpcs.push_back({"routing.Act",
                  Plain(&RS::Act,
                        [](const Caller& c, const Cases& k) {
                          return StaleAct(Asked(c, k),
                                          [](auto& r) { r.mutable_accept(); });
                        }),
                  {A, D, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.PreviewRoute",
                  Plain(&RS::PreviewRoute,
                        [](const Caller&, const Cases&) {
                          v1::PreviewRouteRequest req;
                          *req.mutable_matter() =
                              SamplePetition(kTownship, 90).matter();
                          return req;
                        }),
                  // Any office may ask how a matter would be routed: no
                  // case is read.
                  {A, A, A, A, A, D, D, D, U}});
  // The petitioner of a case (issue 15 item 2): only service:web names one,
  // and that petitioner reads only the petitioner's view of their own case
  // and takes only their own actions on it (domain/access PetitionerMay);
  // every other principal naming a petitioner is refused (auth.h).
  const auto claim_view = [](const Caller&, const Cases& k) {
    return About<v1::GetPetitionerViewRequest>(k.claim);
  };
  rpcs.push_back({"routing.GetPetitionerView (the claim's petitioner)",
                  Plain(&RS::GetPetitionerView, claim_view, Claim),
                  {D, D, D, D, D, D, A, D, U}});
  rpcs.push_back({"routing.GetPetitionerView (another case's petitioner)",
                  Plain(&RS::GetPetitionerView, claim_view, Accusation),
                  {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.GetPetitionerView (no petitioner named)",
                  Plain(&RS::GetPetitionerView, claim_view),
                  {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.Act (the claim's petitioner rates)",
                  Plain(
                      &RS::Act,
                      [](const Caller&, const Cases& k) {
                        return StaleAct(k.claim, [](auto& r) {
                          r.mutable_evaluate()->set_satisfaction(
                              v1::SATISFACTION_SATISFIED);
                        });
                      },
                      Claim),
                  {D, D, D, D, D, D, A, D, U}});
  rpcs.push_back({"routing.Act (the petitioner takes an office's action)",
                  Plain(
                      &RS::Act,
                      [](const Caller&, const Cases& k) {
                        return StaleAct(k.claim,
                                        [](auto& r) { r.mutable_accept(); });
                      },
                      Claim),
                  {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.GetCase (as the claim's petitioner)",
                  Plain(
                      &RS::GetCase,
                      [](const Caller&, const Cases& k) {
                        return About<v1::GetCaseRequest>(k.claim);
                      },
                      Claim),
                  {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.ListInbox (as the claim's petitioner)",
                  Plain(
                      &RS::ListInbox,
                      [](const Caller&, const Cases& k) {
                        v1::ListInboxRequest req;
                        req.set_office_code(k.claim_holder);
                        return req;
                      },
                      Claim),
                  {D, D, D, D, D, D, D, D, U}});
  // --- supervision ---
  rpcs.push_back({"supervision.ListDeadlines",
                  Plain(&SS::ListDeadlines,
                        [](const Caller& c, const Cases& k) {
                          return About<v1::ListDeadlinesRequest>(Asked(c, k));
                        }),
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back({"supervision.ListRedLights",
                  [](auto ch, const Caller& c, const Cases& k) {
                    v1::ListRedLightsRequest req;
                    req.set_region_code(RegionOf(c.accused ? k.accusation_holder
                                                           : k.claim_holder));
                    v1::ListRedLightsResponse resp;
                    Outcome o{Invoke(ch, &SS::ListRedLights, req, &resp)};
                    for (const auto& light : resp.lights()) {
                      if (c.accused && light.deadline().deadline_id().rfind(
                                           k.accusation, 0) == 0) {
                        o.leaked = true;
                      }
                    }
                    return o;
                  },
                  {A, A, D, D, A, D, D, D, U}});
  // 群体访预警 (issue 18 item 3): the red lights' scope rule; the alerts
  // are figures only, so nothing of a case can leak through them.
  rpcs.push_back({"supervision.ListGroupAlerts",
                  [](auto ch, const Caller& c, const Cases& k) {
                    v1::ListGroupAlertsRequest req;
                    req.set_region_code(RegionOf(c.accused ? k.accusation_holder
                                                           : k.claim_holder));
                    v1::ListGroupAlertsResponse resp;
                    return Outcome{
                        Invoke(ch, &SS::ListGroupAlerts, req, &resp)};
                  },
                  {A, A, D, D, A, D, D, D, U}});
  // Issue 19 G item 2: supervision's indicators scan answers
  // service:statistics only (not a column here; supervision_scatter_test
  // shows it allowed); every office and other identity asks statistics.
  rpcs.push_back(
      {"supervision.GetIndicators",
       [](auto ch, const Caller& c, const Cases& k) {
         auto backlog = [&](const std::shared_ptr<grpc::Channel>& channel,
                            Outcome* o) {
           v1::GetIndicatorsRequest req;
           req.mutable_scope()->set_region_code(
               RegionOf(c.accused ? k.accusation_holder : k.claim_holder));
           v1::GetIndicatorsResponse resp;
           o->code = Invoke(channel, &SS::GetIndicators, req, &resp);
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
       {D, D, D, D, D, D, D, D, U}});
  // --- notification ---
  rpcs.push_back({"notification.ListMessages",
                  Plain(&NS::ListMessages,
                        [](const Caller& c, const Cases& k) {
                          return About<v1::ListMessagesRequest>(Asked(c, k));
                        }),
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"notification.ResolveMessage",
       Plain(&NS::ResolveMessage,
             [](const Caller& c, const Cases& k) {
               v1::ResolveMessageRequest req;
               req.set_message_id(c.accused ? k.accusation_sms : k.claim_sms);
               req.set_resolution(v1::SMS_RESOLUTION_SENT);
               req.set_note(
                   "authz matrix");  // not UNKNOWN: FAILED_PRECONDITION
               return req;
             }),
       // Only a petition bureau resolves: the holder here is one.
       {A, A, D, D, D, D, D, D, U}});
  // Phone codes (issue 15 item 2): only the gateway asks for one (an SMS
  // to any number otherwise); only intake, which is no caller here,
  // redeems.
  rpcs.push_back({"notification.SendPhoneCode",
                  Plain(&NS::SendPhoneCode,
                        [](const Caller&, const Cases&) {
                          v1::SendPhoneCodeRequest req;
                          req.set_phone("13800009999");
                          return req;
                        }),
                  {D, D, D, D, D, D, A, D, U}});
  rpcs.push_back({"notification.RedeemPhoneCode",
                  Plain(&NS::RedeemPhoneCode,
                        [](const Caller&, const Cases&) {
                          v1::RedeemPhoneCodeRequest req;
                          req.set_challenge_id(std::string(32, 'a'));
                          req.set_phone("13800009999");
                          req.set_code("123456");
                          return req;
                        }),
                  {D, D, D, D, D, D, D, D, U}});
  // --- intake ---
  rpcs.push_back({"intake.SubmitPetition",
                  Plain(&IS::SubmitPetition,
                        [](const Caller&, const Cases&) {
                          static int n = 200;
                          return SamplePetition(kTownship, ++n);
                        }),
                  // An office (a visit registered at its counter) or the web
                  // gateway for a user.
                  {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back({"intake.GetCaseStatus",
                  Plain(&IS::GetCaseStatus,
                        [](const Caller&, const Cases& k) {
                          v1::GetCaseStatusRequest req;
                          req.set_case_number(k.claim);
                          req.set_lookup_code(k.claim_code);
                          return req;
                        }),
                  {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back({"intake.DescribeForm",
                  Plain(&IS::DescribeForm,
                        [](const Caller&, const Cases&) {
                          return v1::DescribeFormRequest();
                        }),
                  // Whoever submits: an office's form, the web gateway's page.
                  {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back({"intake.ResolveContact",
                  Plain(&IS::ResolveContact,
                        [](const Caller&, const Cases& k) {
                          v1::ResolveContactRequest req;
                          req.set_case_number(k.claim);
                          return req;
                        }),
                  // Only notification, to send the petitioner's SMS.
                  {D, D, D, D, D, D, D, A, U}});
  rpcs.push_back({"intake.GetPetitioner",
                  Plain(&IS::GetPetitioner,
                        [](const Caller& c, const Cases& k) {
                          return About<v1::GetPetitionerRequest>(Asked(c, k));
                        }),
                  // The console's case page (issue 16): the offices entitled
                  // to contact the petitioner (MaySeePetitioner), never the
                  // accused unit nor a service's own identity.
                  {A, A, D, D, D, D, D, D, U}});
  return rpcs;
}

}  // namespace caserelay::testing::authz
