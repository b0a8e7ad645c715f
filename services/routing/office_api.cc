// routing's gRPC handlers for the offices: thin adapters from requests to
// the case store and the life cycle (CONVENTIONS.md #1).
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "domain/access/petitioner_access.h"
#include "domain/routing/rules.h"
#include "services/routing/act_command.h"
#include "services/routing/inbox_request.h"
#include "services/routing/request_bounds.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

namespace {

using caserelay::v1::ActRequest;
using caserelay::v1::CaseAction;

// How long Act waits for the loop to commit a case it has just written.
constexpr absl::Duration kPendingWait = absl::Seconds(5);

}  // namespace

grpc::Status RoutingServiceImpl::GetCase(
    grpc::ServerContext* ctx, const caserelay::v1::GetCaseRequest* req,
    caserelay::v1::CaseDetail* resp) {
  auto actor = ActorOf(*ctx, access::PetitionerCall::kGetCase);
  if (!actor.ok()) return rpc::ToGrpc(actor.status());
  if (absl::Status s = CheckGetCase(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto record = cases_.Read(req->case_id());
  if (!record.ok()) return rpc::ToGrpc(record.status());
  if (!record->has_value()) return NoCase(req->case_id());
  if (absl::Status s = ReadAs(*actor, **record); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto history = cases_.History(req->case_id());
  if (!history.ok()) return rpc::ToGrpc(history.status());
  *resp->mutable_view() = (*record)->view();
  // 领导包案 covers the linked repeats: a repeat shows the leader of its
  // open case (issue 18 item 2; leaders' names are public).
  const caserelay::v1::CaseView& view = (*record)->view();
  if (view.state() == caserelay::v1::CASE_STATE_LINKED &&
      !view.decision().linked_case_id().empty()) {
    auto open = cases_.Read(view.decision().linked_case_id());
    if (!open.ok()) return rpc::ToGrpc(open.status());
    if (open->has_value() && (*open)->view().has_leader_in_charge()) {
      *resp->mutable_view()->mutable_leader_in_charge() =
          (*open)->view().leader_in_charge();
    }
  }
  FillRuleTexts(resp->mutable_view()->mutable_decision());  // answer only
  FillAllowed(*actor, **record, resp->mutable_view());
  for (auto& bytes : *history) resp->add_events(std::move(bytes));
  return grpc::Status::OK;
}

grpc::Status RoutingServiceImpl::ListInbox(
    grpc::ServerContext* ctx, const caserelay::v1::ListInboxRequest* req,
    caserelay::v1::ListInboxResponse* resp) {
  auto actor = ActorOf(*ctx, access::PetitionerCall::kListInbox);
  if (!actor.ok()) return rpc::ToGrpc(actor.status());
  const std::string* caller = &actor->office;
  if (absl::Status s = CheckListInbox(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  InboxQuery query;
  query.office_code = req->office_code().empty() ? *caller : req->office_code();
  if (absl::Status s = access_.MayAskOffice(*caller, query.office_code);
      !s.ok()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        absl::StrCat("office_code: ", s.message()));
  }
  // The roles' scope (domain/access/roles.h): the subtree only for those
  // who read it, no inbox for the administrator.
  const access::ReadScope scope = access::ReadScopeOf(actor->roles);
  if (scope == access::ReadScope::kNone ||
      (scope == access::ReadScope::kOffice && query.office_code != *caller)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        scope == access::ReadScope::kNone
                            ? "office_code: 您的角色不查阅信访事项"
                            : "office_code: 您的角色只能查阅本单位的待办");
  }
  if (req->page_size() < 0 || req->page_size() > 500) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "page_size: must be 0..500");
  }
  query.page_size = req->page_size() == 0 ? 50 : req->page_size();
  for (int s : req->states()) {
    query.states.push_back(static_cast<caserelay::v1::CaseState>(s));
  }
  if (req->has_due_before())
    query.due_before = time::FromProto(req->due_before());
  query.page_token = req->page_token();
  if (absl::Status s = SetInboxFilters(*req, &query); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  query.scan_limit = parts_.inbox.scan_limit;
  const std::string office = *caller;
  query.hidden = [this, office](const caserelay::v1::RoutingInboxEntry& e) {
    return !NotAccused(office, e.accused_offices(), e.item().case_id()).ok();
  };
  if (!req->case_ids().empty()) {
    // A petitioner search's ids (intake FindCases): only the cases whose
    // petitioner this office may see (domain/access, MaySeePetitioner).
    query.admit = [this, office](const caserelay::v1::RoutingCaseRecord& r) {
      return MaySeePetitioner(office, r).ok();
    };
  }
  auto page = cases_.Inbox(query);
  if (!page.ok()) return rpc::ToGrpc(page.status());
  for (auto& item : page->items) *resp->add_items() = std::move(item);
  resp->set_next_page_token(page->next_page_token);
  SetLights(context_.clock->Now(), parts_.inbox.warning_before, resp);
  return grpc::Status::OK;
}

grpc::Status RoutingServiceImpl::Act(grpc::ServerContext* ctx,
                                     const ActRequest* req,
                                     caserelay::v1::CaseView* resp) {
  auto principal = rpc::Caller(parts_.auth, *ctx);
  if (!principal.ok()) return rpc::ToGrpc(principal.status());
  if (principal->IsPetitioner()) return PetitionerAct(*principal, *req, resp);
  auto caller = rpc::ActingOffice(*principal);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  if (absl::Status s = CheckAct(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  return OfficeAct(ActorFor(*principal, *caller), *req, resp);
}

grpc::Status RoutingServiceImpl::OfficeAct(const Actor& actor,
                                           const ActRequest& req,
                                           caserelay::v1::CaseView* resp) {
  const absl::Time now = context_.clock->Now();
  if (req.has_approve() || req.has_return_proposal()) {
    // The head answers the proposal: checked against the case as read.
    const bool approve = req.has_approve();
    lifecycle::Command cmd;
    cmd.now = now;
    auto may = [this, &actor, approve, now](
                   const caserelay::v1::RoutingCaseRecord& before,
                   lifecycle::Command& c) -> absl::Status {
      if (absl::Status s = ReadAs(actor, before); !s.ok()) return s;
      const caserelay::v1::CaseAction action =
          before.view().has_pending() ? before.view().pending().action()
                                      : caserelay::v1::CASE_ACTION_UNSPECIFIED;
      if (action != caserelay::v1::CASE_ACTION_UNSPECIFIED) {
        if (absl::Status s = MayAct(actor.office, action, before); !s.ok()) {
          return s;
        }
      }
      if (!approve) return absl::OkStatus();  // ReturnStep checks the rest
      auto approved = ApprovalCommand(actor, before, now);
      if (!approved.ok()) return approved.status();
      c = *std::move(approved);
      return absl::OkStatus();
    };
    auto step = [this, &actor, &req, approve, now](
                    const caserelay::v1::RoutingCaseRecord&,
                    const lifecycle::Command& c,
                    caserelay::v1::RoutingCaseRecord& after)
        -> absl::StatusOr<caserelay::v1::CaseEvent> {
      if (approve) return ApproveStep(*parts_.lifecycle, actor, c, after);
      return ReturnStep(actor, req.reason(), now, after);
    };
    return ApplyAct(req, std::move(cmd), may, resp, step, &actor);
  }
  auto cmd = CommandOf(req, rpc::Principal::Office(actor.office, actor.person),
                       actor.office, now);
  if (!cmd.ok()) return rpc::ToGrpc(cmd.status());
  return ApplyAct(
      req, *std::move(cmd),
      [this, &actor, &req, now](const caserelay::v1::RoutingCaseRecord& before,
                                lifecycle::Command& c) -> absl::Status {
        if (absl::Status s = MayAct(actor.office, c.action, before); !s.ok()) {
          return s;
        }
        // 更正登记: the corrected matter routed by the rules (correction.cc).
        if (c.action != caserelay::v1::CASE_ACTION_CORRECT) {
          return absl::OkStatus();
        }
        return FillCorrection(before, req.correct(), now, c);
      },
      resp,
      [this, &actor, &req](const caserelay::v1::RoutingCaseRecord& before,
                           const lifecycle::Command& c,
                           caserelay::v1::RoutingCaseRecord& after) {
        auto event =
            OfficeStep(*parts_.lifecycle, actor, req, c, before, after);
        // The corrected matter is what repeats are found by from now on.
        if (event.ok() && c.action == caserelay::v1::CASE_ACTION_CORRECT) {
          after.set_matter_key(MatterKey(after.view().matter()));
        }
        return event;
      },
      &actor);
}

grpc::Status RoutingServiceImpl::ApplyAct(const ActRequest& req,
                                          lifecycle::Command cmd,
                                          const ActCheck& may,
                                          caserelay::v1::CaseView* resp,
                                          const ActStep& step,
                                          const Actor* viewer) {
  const std::string& id = req.case_id();
  absl::MutexLock lock(&mu_);
  auto committed = [this, &id]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !pending_.contains(id);
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&committed), kPendingWait)) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "routing: the case is being written; retry");
  }
  auto record = cases_.Read(id);
  if (!record.ok()) return rpc::ToGrpc(record.status());
  if (!record->has_value()) return NoCase(id);
  const caserelay::v1::RoutingCaseRecord& before = **record;
  if (absl::Status s = may(before, cmd); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (req.expected_version() != before.view().version()) {
    return grpc::Status(
        grpc::StatusCode::ABORTED,
        absl::StrCat("expected_version: case ", id, " is at version ",
                     before.view().version(), ", not ", req.expected_version(),
                     "; read it again"));
  }
  caserelay::v1::RoutingCaseRecord after = before;
  auto event = step ? step(before, cmd, after)
                    : parts_.lifecycle->Apply(cmd, after);
  if (!event.ok()) return rpc::ToGrpc(event.status());

  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat(id, "/", before.view().version() + 1));
  out.set_case_id(id);
  out.set_producer("routing");
  *out.mutable_occurred_at() = time::ToProto(cmd.now);
  *out.mutable_case_event() = *std::move(event);
  store::WriteBatch batch(context_.store);
  cases_.Append(batch, &before, after, out);
  // Nothing is promised that Kafka would never take (issue 22 item 1).
  if (absl::Status s = context_.publisher->CheckOutbox(batch); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (absl::Status s = context_.publisher->Commit(batch); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (cmd.by_petitioner) {
    // The petitioner's answer: where the case stands, nothing of the
    // offices' record (GetPetitionerView has the rest).
    resp->set_case_id(after.view().case_id());
    resp->set_state(after.view().state());
    resp->set_version(after.view().version());
    return grpc::Status::OK;
  }
  *resp = after.view();
  FillRuleTexts(resp->mutable_decision());  // answer only
  if (viewer != nullptr) FillAllowed(*viewer, after, resp);
  return grpc::Status::OK;
}

grpc::Status RoutingServiceImpl::ListApprovals(
    grpc::ServerContext* ctx, const caserelay::v1::ListApprovalsRequest* req,
    caserelay::v1::ListApprovalsResponse* resp) {
  auto actor = ActorOf(*ctx, access::PetitionerCall::kListInbox);
  if (!actor.ok()) return rpc::ToGrpc(actor.status());
  if (absl::Status s = CheckListApprovals(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (std::string why = access::MayAnswerProposal(actor->roles); !why.empty()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, why);
  }
  if (!req->office_code().empty() && req->office_code() != actor->office) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "office_code: 只能查看本单位的审批事项");
  }
  if (req->page_size() < 0 || req->page_size() > 500) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "page_size: must be 0..500");
  }
  auto page = cases_.Approvals(actor->office,
                               req->page_size() == 0 ? 50 : req->page_size(),
                               req->page_token());
  if (!page.ok()) return rpc::ToGrpc(page.status());
  for (auto& item : page->items) *resp->add_items() = std::move(item);
  resp->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status RoutingServiceImpl::PreviewRoute(
    grpc::ServerContext* ctx, const caserelay::v1::PreviewRouteRequest* req,
    caserelay::v1::RouteDecision* resp) {
  auto caller = Caller(*ctx, access::PetitionerCall::kPreviewRoute);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  if (absl::Status s = CheckPreviewRoute(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  store::WriteBatch nothing(context_.store);  // reads committed state only
  auto decision = Decide(req->matter(), req->identity_key(), nothing,
                         context_.clock->Now(), {}, nullptr);
  if (!decision.ok()) return rpc::ToGrpc(decision.status());
  // The linked case is named only to an office that may read it.
  if (!decision->linked_case_id().empty()) {
    auto linked = cases_.Read(decision->linked_case_id());
    if (!linked.ok()) return rpc::ToGrpc(linked.status());
    if (!linked->has_value() || !MayRead(*caller, **linked).ok()) {
      decision->clear_linked_case_id();
    }
  }
  *resp = *std::move(decision);
  FillRuleTexts(resp);
  return grpc::Status::OK;
}

}  // namespace caserelay::routing
