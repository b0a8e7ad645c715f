// routing's gRPC handlers for the offices: thin adapters from requests to
// the case store and the life cycle (CONVENTIONS.md #1).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/service/owner_forward.h"
#include "common/time/timestamp.h"
#include "domain/access/petitioner_access.h"
#include "domain/routing/rules.h"
#include "services/routing/act_command.h"
#include "services/routing/inbox_request.h"
#include "services/routing/office_query.h"
#include "services/routing/request_bounds.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

namespace {

using caserelay::v1::ActRequest;
using caserelay::v1::CaseAction;
using Stub = caserelay::v1::RoutingService::Stub;

// How long Act waits for the loop to commit a case it has just written.
constexpr absl::Duration kPendingWait = absl::Seconds(5);
// Partitioned: how long Act waits for Kafka to confirm its event and
// changelog before answering (OutboxPublisher::CommitAndWait).
constexpr absl::Duration kConfirmWait = absl::Seconds(10);

}  // namespace

grpc::Status RoutingServiceImpl::GetCase(
    grpc::ServerContext* ctx, const caserelay::v1::GetCaseRequest* req,
    caserelay::v1::CaseDetail* resp) {
  auto actor = ActorOf(*ctx, access::PetitionerCall::kGetCase);
  if (!actor.ok()) return rpc::ToGrpc(actor.status());
  if (absl::Status s = CheckGetCase(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (auto forwarded = service::ForwardToOwner(context_, ctx, req->case_id(),
                                               &Stub::GetCase, *req, resp)) {
    return *forwarded;
  }
  auto db = DbOfCase(req->case_id());
  if (!db.ok()) return rpc::ToGrpc(db.status());
  const CaseStore cases = db->cases();
  auto record = cases.Read(req->case_id());
  if (!record.ok()) return rpc::ToGrpc(record.status());
  if (!record->has_value()) return NoCase(req->case_id());
  if (absl::Status s = ReadAs(*actor, **record); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto history = cases.History(req->case_id());
  if (!history.ok()) return rpc::ToGrpc(history.status());
  *resp->mutable_view() = (*record)->view();
  // 领导包案 covers the linked repeats: a repeat shows the leader of its
  // open case (issue 18 item 2; leaders' names are public). Partitioned,
  // a repeat is linked only to an open case of its own partition.
  const caserelay::v1::CaseView& view = (*record)->view();
  if (view.state() == caserelay::v1::CASE_STATE_LINKED &&
      !view.decision().linked_case_id().empty()) {
    auto open = CommittedCases()(view.decision().linked_case_id());
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
  // Each store's page (partitioned: each partition's, the scan bound
  // shared among them), merged in the inbox order (office_query.h).
  grpc::Status answered = AnswerOfficeQuery<caserelay::v1::ListInboxRequest,
                                            caserelay::v1::ListInboxResponse>(
      context_, ctx, *req, &Stub::PrepareAsyncListInbox,
      [&query](store::Store& store, int stores)
          -> absl::StatusOr<caserelay::v1::ListInboxResponse> {
        InboxQuery q = query;
        if (q.scan_limit > 0 && stores > 1) {
          q.scan_limit = std::max(1, q.scan_limit / stores);
        }
        auto page = CaseStore(&store).Inbox(q);
        if (!page.ok()) return page.status();
        caserelay::v1::ListInboxResponse list;
        for (auto& item : page->items) *list.add_items() = std::move(item);
        list.set_next_page_token(page->next_page_token);
        return list;
      },
      [&query](std::vector<caserelay::v1::ListInboxResponse> lists) {
        return MergeInboxLists(query.office_code, std::move(lists),
                               query.page_size);
      },
      resp);
  if (!answered.ok()) return answered;
  SetLights(context_.clock->Now(), parts_.inbox.warning_before, resp);
  return grpc::Status::OK;
}

grpc::Status RoutingServiceImpl::Act(grpc::ServerContext* ctx,
                                     const ActRequest* req,
                                     caserelay::v1::CaseView* resp) {
  auto principal = rpc::Caller(parts_.auth, *ctx);
  if (!principal.ok()) return rpc::ToGrpc(principal.status());
  // The owner of the case's partition applies it (the office's and the
  // petitioner's alike), and checks everything below itself.
  if (auto forwarded = service::ForwardToOwner(context_, ctx, req->case_id(),
                                               &Stub::Act, *req, resp)) {
    return *forwarded;
  }
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
  auto db = DbOfCase(id);
  if (!db.ok()) return rpc::ToGrpc(db.status());
  const CaseStore cases = db->cases();
  auto record = cases.Read(id);
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
  store::WriteBatch batch(db->store);
  // Partitioned, `matters` is in the instance-local DB: its change (a
  // correction's) is committed once the case is.
  store::WriteBatch matters(context_.store);
  cases.Append(batch, &before, after, out,
               partitioned() ? &matters : &batch);
  // Nothing is promised that Kafka would never take (issue 22 item 1).
  if (absl::Status s = db->publisher->CheckOutbox(batch); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (!partitioned()) {
    if (absl::Status s = db->publisher->Commit(batch); !s.ok()) {
      return rpc::ToGrpc(s);
    }
  } else if (absl::Status s = db->publisher->CommitAndWait(batch, kConfirmWait);
             !s.ok()) {
    // Answered only once Kafka has the event and its changelog, so the
    // action survives the loss of this instance and the office reads its
    // own write wherever its next call lands. DEADLINE_EXCEEDED: committed,
    // it will be published.
    if (absl::IsDeadlineExceeded(s)) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "routing: the action is recorded but not yet "
                          "confirmed by Kafka; read the case before acting "
                          "again");
    }
    return rpc::ToGrpc(s);
  }
  if (partitioned() && !matters.empty()) {
    if (auto c = context_.store->Commit(matters); !c.ok()) {
      // The case is corrected; only this instance's index of matters
      // lags (the `matters` gap, README).
      log::Warn("routing: matters index not updated after a correction",
                {{"case", id}, {"error", std::string(c.status().message())}});
    }
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
  const std::string office = actor->office;
  const int page_size = req->page_size() == 0 ? 50 : req->page_size();
  return AnswerOfficeQuery<caserelay::v1::ListApprovalsRequest,
                           caserelay::v1::ListApprovalsResponse>(
      context_, ctx, *req, &Stub::PrepareAsyncListApprovals,
      [&](store::Store& store, int)
          -> absl::StatusOr<caserelay::v1::ListApprovalsResponse> {
        auto page =
            CaseStore(&store).Approvals(office, page_size, req->page_token());
        if (!page.ok()) return page.status();
        caserelay::v1::ListApprovalsResponse list;
        for (auto& item : page->items) *list.add_items() = std::move(item);
        list.set_next_page_token(page->next_page_token);
        return list;
      },
      [&](std::vector<caserelay::v1::ListApprovalsResponse> lists) {
        return MergeApprovalLists(office, std::move(lists), page_size);
      },
      resp);
}

grpc::Status RoutingServiceImpl::PreviewRoute(
    grpc::ServerContext* ctx, const caserelay::v1::PreviewRouteRequest* req,
    caserelay::v1::RouteDecision* resp) {
  auto caller = Caller(*ctx, access::PetitionerCall::kPreviewRoute);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  if (absl::Status s = CheckPreviewRoute(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  // Committed state only (partitioned: the earlier cases this instance
  // holds, the `matters` gap, README).
  auto decision = Decide(req->matter(), req->identity_key(), CommittedCases(),
                         context_.clock->Now(), {}, nullptr);
  if (!decision.ok()) return rpc::ToGrpc(decision.status());
  // The linked case is named only to an office that may read it.
  if (!decision->linked_case_id().empty()) {
    auto linked = CommittedCases()(decision->linked_case_id());
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
