// The authorisation matrix's table: how each RPC is called and what each
// caller must get (authz_matrix.h). "Allowed" is OK or an answer about the
// request itself, which the calls provoke so that no cell changes a case:
// ABORTED for a stale version, FAILED_PRECONDITION for a message not
// awaiting a decision.
#include <chrono>
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

// `method` of a fresh `Service` stub over `ch`, within the deadline; the
// answer in `resp`.
template <typename Service, typename Request, typename Response>
grpc::StatusCode Invoke(const std::shared_ptr<grpc::Channel>& ch,
                        grpc::Status (Service::Stub::*method)(
                            grpc::ClientContext*, const Request&, Response*),
                        const Request& req, Response* resp) {
  grpc::ClientContext ctx;
  Within(ctx);
  auto stub = Service::NewStub(ch);
  return ((*stub).*method)(&ctx, req, resp).error_code();
}

// As Invoke, with the web gateway's x-caserelay-petitioner-case naming
// `petitioner_case` (issue 15; common/rpc/auth.h): the gateway speaking for
// that case's petitioner, and any other principal sending a reserved key.
template <typename Service, typename Request, typename Response>
grpc::StatusCode InvokeForPetitioner(
    const std::shared_ptr<grpc::Channel>& ch,
    grpc::Status (Service::Stub::*method)(grpc::ClientContext*,
                                          const Request&, Response*),
    const Request& req, Response* resp, const std::string& petitioner_case) {
  grpc::ClientContext ctx;
  Within(ctx);
  ctx.AddMetadata("x-caserelay-petitioner-case", petitioner_case);
  auto stub = Service::NewStub(ch);
  return ((*stub).*method)(&ctx, req, resp).error_code();
}

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
                    v1::GetCaseRequest req;
                    req.set_case_id(c.accused ? k.accusation : k.claim);
                    v1::CaseDetail resp;
                    return Outcome{Invoke<v1::RoutingService>(
                        ch, &v1::RoutingService::Stub::GetCase, req, &resp)};
                  },
                  {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back({"routing.ListInbox",
                  [](auto ch, const Caller& c, const Cases& k) {
                    v1::ListInboxRequest req;
                    req.set_office_code(c.accused ? k.accusation_holder
                                                  : k.claim_holder);
                    req.set_page_size(500);
                    v1::ListInboxResponse resp;
                    Outcome o{Invoke<v1::RoutingService>(
                        ch, &v1::RoutingService::Stub::ListInbox, req, &resp)};
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
                    v1::ActRequest req;
                    req.set_case_id(c.accused ? k.accusation : k.claim);
                    req.set_expected_version(
                        1000);  // stale: ABORTED if allowed
                    req.mutable_accept();
                    v1::CaseView resp;
                    return Outcome{Invoke<v1::RoutingService>(
                        ch, &v1::RoutingService::Stub::Act, req, &resp)};
                  },
                  {A, D, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"routing.PreviewRoute",
       [](auto ch, const Caller&, const Cases&) {
         v1::PreviewRouteRequest req;
         *req.mutable_matter() = SamplePetition(kTownship, 90).matter();
         v1::RouteDecision resp;
         return Outcome{Invoke<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::PreviewRoute, req, &resp)};
       },
       // Any office may ask how a matter would be routed: no case is read.
       {A, A, A, A, A, D, D, D, U}});
  // The petitioner of a case (issue 15 item 2): only service:web names one,
  // and that petitioner reads only the petitioner's view of their own case
  // and takes only their own actions on it (domain/access PetitionerMay);
  // every other principal naming a petitioner is refused (auth.h).
  rpcs.push_back(
      {"routing.GetPetitionerView (the claim's petitioner)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::GetPetitionerViewRequest req;
         req.set_case_id(k.claim);
         v1::PetitionerView resp;
         return Outcome{InvokeForPetitioner<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::GetPetitionerView, req, &resp,
             k.claim)};
       },
       {D, D, D, D, D, D, A, D, U}});
  rpcs.push_back(
      {"routing.GetPetitionerView (another case's petitioner)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::GetPetitionerViewRequest req;
         req.set_case_id(k.claim);
         v1::PetitionerView resp;
         return Outcome{InvokeForPetitioner<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::GetPetitionerView, req, &resp,
             k.accusation)};
       },
       {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"routing.GetPetitionerView (no petitioner named)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::GetPetitionerViewRequest req;
         req.set_case_id(k.claim);
         v1::PetitionerView resp;
         return Outcome{Invoke<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::GetPetitionerView, req, &resp)};
       },
       {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"routing.Act (the claim's petitioner rates)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::ActRequest req;
         req.set_case_id(k.claim);
         req.set_expected_version(1000);  // stale: ABORTED if allowed
         req.mutable_evaluate()->set_satisfaction(v1::SATISFACTION_SATISFIED);
         v1::CaseView resp;
         return Outcome{InvokeForPetitioner<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::Act, req, &resp, k.claim)};
       },
       {D, D, D, D, D, D, A, D, U}});
  rpcs.push_back(
      {"routing.Act (the petitioner takes an office's action)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::ActRequest req;
         req.set_case_id(k.claim);
         req.set_expected_version(1000);
         req.mutable_accept();
         v1::CaseView resp;
         return Outcome{InvokeForPetitioner<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::Act, req, &resp, k.claim)};
       },
       {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"routing.GetCase (as the claim's petitioner)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::GetCaseRequest req;
         req.set_case_id(k.claim);
         v1::CaseDetail resp;
         return Outcome{InvokeForPetitioner<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::GetCase, req, &resp, k.claim)};
       },
       {D, D, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"routing.ListInbox (as the claim's petitioner)",
       [](auto ch, const Caller&, const Cases& k) {
         v1::ListInboxRequest req;
         req.set_office_code(k.claim_holder);
         v1::ListInboxResponse resp;
         return Outcome{InvokeForPetitioner<v1::RoutingService>(
             ch, &v1::RoutingService::Stub::ListInbox, req, &resp, k.claim)};
       },
       {D, D, D, D, D, D, D, D, U}});
  // --- supervision ---
  rpcs.push_back(
      {"supervision.ListDeadlines",
       [](auto ch, const Caller& c, const Cases& k) {
         v1::ListDeadlinesRequest req;
         req.set_case_id(c.accused ? k.accusation : k.claim);
         v1::ListDeadlinesResponse resp;
         return Outcome{Invoke<v1::SupervisionService>(
             ch, &v1::SupervisionService::Stub::ListDeadlines, req, &resp)};
       },
       {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"supervision.ListRedLights",
       [](auto ch, const Caller& c, const Cases& k) {
         v1::ListRedLightsRequest req;
         req.set_region_code(
             RegionOf(c.accused ? k.accusation_holder : k.claim_holder));
         v1::ListRedLightsResponse resp;
         Outcome o{Invoke<v1::SupervisionService>(
             ch, &v1::SupervisionService::Stub::ListRedLights, req, &resp)};
         for (const auto& light : resp.lights()) {
           if (c.accused &&
               light.deadline().deadline_id().rfind(k.accusation, 0) == 0) {
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
           v1::GetIndicatorsRequest req;
           req.mutable_scope()->set_region_code(
               RegionOf(c.accused ? k.accusation_holder : k.claim_holder));
           v1::GetIndicatorsResponse resp;
           o->code = Invoke<v1::SupervisionService>(
               channel, &v1::SupervisionService::Stub::GetIndicators, req,
               &resp);
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
  rpcs.push_back(
      {"notification.ListMessages",
       [](auto ch, const Caller& c, const Cases& k) {
         v1::ListMessagesRequest req;
         req.set_case_id(c.accused ? k.accusation : k.claim);
         v1::ListMessagesResponse resp;
         return Outcome{Invoke<v1::NotificationService>(
             ch, &v1::NotificationService::Stub::ListMessages, req, &resp)};
       },
       {A, A, D, D, D, D, D, D, U}});
  rpcs.push_back(
      {"notification.ResolveMessage",
       [](auto ch, const Caller& c, const Cases& k) {
         v1::ResolveMessageRequest req;
         req.set_message_id(c.accused ? k.accusation_sms : k.claim_sms);
         req.set_resolution(v1::SMS_RESOLUTION_SENT);
         req.set_note("authz matrix");  // not UNKNOWN: FAILED_PRECONDITION
         v1::ResolveMessageResponse resp;
         return Outcome{Invoke<v1::NotificationService>(
             ch, &v1::NotificationService::Stub::ResolveMessage, req, &resp)};
       },
       // Only a petition bureau resolves: the holder here is one.
       {A, A, D, D, D, D, D, D, U}});
  // Phone codes (issue 15 item 2): only the gateway asks for one (an SMS
  // to any number otherwise); only intake, which is no caller here,
  // redeems.
  rpcs.push_back(
      {"notification.SendPhoneCode",
       [](auto ch, const Caller&, const Cases&) {
         v1::SendPhoneCodeRequest req;
         req.set_phone("13800009999");
         v1::SendPhoneCodeResponse resp;
         return Outcome{Invoke<v1::NotificationService>(
             ch, &v1::NotificationService::Stub::SendPhoneCode, req, &resp)};
       },
       {D, D, D, D, D, D, A, D, U}});
  rpcs.push_back(
      {"notification.RedeemPhoneCode",
       [](auto ch, const Caller&, const Cases&) {
         v1::RedeemPhoneCodeRequest req;
         req.set_challenge_id(std::string(32, 'a'));
         req.set_phone("13800009999");
         req.set_code("123456");
         v1::RedeemPhoneCodeResponse resp;
         return Outcome{Invoke<v1::NotificationService>(
             ch, &v1::NotificationService::Stub::RedeemPhoneCode, req, &resp)};
       },
       {D, D, D, D, D, D, D, D, U}});
  // --- intake ---
  rpcs.push_back({"intake.SubmitPetition",
                  [](auto ch, const Caller&, const Cases&) {
                    static int n = 200;
                    v1::SubmitPetitionResponse resp;
                    return Outcome{Invoke<v1::IntakeService>(
                        ch, &v1::IntakeService::Stub::SubmitPetition,
                        SamplePetition(kTownship, ++n), &resp)};
                  },
                  // An office (a visit registered at its counter) or the web
                  // gateway for a user.
                  {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back(
      {"intake.GetCaseStatus",
       [](auto ch, const Caller&, const Cases& k) {
         v1::GetCaseStatusRequest req;
         req.set_case_number(k.claim);
         req.set_lookup_code(k.claim_code);
         v1::GetCaseStatusResponse resp;
         return Outcome{Invoke<v1::IntakeService>(
             ch, &v1::IntakeService::Stub::GetCaseStatus, req, &resp)};
       },
       {A, A, A, A, A, D, A, D, U}});
  rpcs.push_back(
      {"intake.ResolveContact",
       [](auto ch, const Caller&, const Cases& k) {
         v1::ResolveContactRequest req;
         req.set_case_number(k.claim);
         v1::ResolveContactResponse resp;
         return Outcome{Invoke<v1::IntakeService>(
             ch, &v1::IntakeService::Stub::ResolveContact, req, &resp)};
       },
       // Only notification, to send the petitioner's SMS.
       {D, D, D, D, D, D, D, A, U}});
  return rpcs;
}

}  // namespace caserelay::testing::authz
