// ListChargedCases (领导包案, issue 18 item 2): a people's government's
// leaders' list with the quarter's count per leader against the quota.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "services/routing/act_command.h"
#include "services/routing/charged_index.h"
#include "services/routing/charged_quarter.h"
#include "services/routing/office_query.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

grpc::Status RoutingServiceImpl::ListChargedCases(
    grpc::ServerContext* ctx,
    const caserelay::v1::ListChargedCasesRequest* req,
    caserelay::v1::ListChargedCasesResponse* resp) {
  // Petitioners list nothing here, as they list no inbox.
  auto actor = ActorOf(*ctx, access::PetitionerCall::kListInbox);
  if (!actor.ok()) return rpc::ToGrpc(actor.status());
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"office_code",
                                                   &req->office_code()},
        {"leader_name", &req->leader_name()},
        {"page_token", &req->page_token()}}) {
    if (value->size() > static_cast<size_t>(parts_.bounds.max_page_token_chars)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat(field, ": too long"));
    }
  }
  if (req->page_size() < 0 || req->page_size() > 500) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "page_size: must be 0..500");
  }
  // Whose list: the caller's own government, or one under the caller
  // (a superior bureau or government, domain/offices Supervises), narrowed
  // by the person's roles (access::NarrowToRoleScope: 承办人 and the like
  // only their own office's).
  std::string office =
      req->office_code().empty() ? actor->office : req->office_code();
  std::string region;
  if (absl::Status s = access::NarrowToRoleScope(actor->roles, actor->office,
                                                 &region, &office);
      !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (office != actor->office &&
      !parts_.offices->Supervises(actor->office, office)) {
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        absl::StrCat("office_code: 只能查看本单位或所辖单位的领导包案（",
                     office.substr(0, 64), "）"));
  }
  const int page_size = req->page_size() == 0 ? 50 : req->page_size();
  // Each store's list (partitioned: each partition's, merged newest first
  // with the counts summed, office_query.h).
  return AnswerOfficeQuery<caserelay::v1::ListChargedCasesRequest,
                           caserelay::v1::ListChargedCasesResponse>(
      context_, ctx, *req,
      &caserelay::v1::RoutingService::Stub::PrepareAsyncListChargedCases,
      [&](store::Store& store, int) {
        return ChargedIn(store, *actor, office, *req, page_size);
      },
      [&](std::vector<caserelay::v1::ListChargedCasesResponse> lists) {
        return MergeChargedLists(office, std::move(lists), page_size);
      },
      resp);
}

absl::StatusOr<caserelay::v1::ListChargedCasesResponse>
RoutingServiceImpl::ChargedIn(store::Store& store, const Actor& actor,
                              const std::string& office,
                              const caserelay::v1::ListChargedCasesRequest& req,
                              int page_size) const {
  caserelay::v1::ListChargedCasesResponse out;
  auto* resp = &out;
  const ChargedIndex index(&store);
  const CaseStore cases(&store);
  auto page = index.List(office, req.leader_name(), page_size,
                         req.page_token());
  if (!page.ok()) return page.status();
  for (const ChargedIndex::Entry& entry : page->entries) {
    auto record = cases.Read(entry.case_id);
    if (!record.ok()) return record.status();
    // A case the caller may not read (Art. 30, the roles' scope) is left
    // out, not named.
    if (!record->has_value() || !ReadAs(actor, **record).ok()) continue;
    const caserelay::v1::CaseView& view = (*record)->view();
    caserelay::v1::ChargedCase* item = resp->add_cases();
    item->set_case_id(view.case_id());
    item->set_title(view.matter().title());
    item->set_state(view.state());
    *item->mutable_leader() = entry.leader;
    item->set_holder_office_code(view.office_code());
    item->set_holder_office_name(view.office_name());
    if (auto due = NextDue(view); due.has_value()) {
      *item->mutable_next_due() = *due;
    }
  }
  resp->set_next_page_token(page->next_page_token);

  auto all = index.All(office);
  if (!all.ok()) return all.status();
  std::vector<caserelay::v1::LeaderInCharge> taken;
  for (ChargedIndex::Entry& entry : *all) taken.push_back(entry.leader);
  const ChargedQuarter quarter = QuarterOf(context_.clock->Now());
  resp->set_quarter(quarter.label);
  *resp->mutable_quarter_start() = time::ToProto(quarter.start);
  *resp->mutable_quarter_end() = time::ToProto(quarter.end);
  resp->set_quota_per_quarter(parts_.charge_quota_per_quarter);
  for (caserelay::v1::LeaderQuota& row :
       CountQuarter(taken, quarter, req.leader_name(),
                    parts_.charge_quota_per_quarter)) {
    *resp->add_leaders() = std::move(row);
  }
  return out;
}

}  // namespace caserelay::routing
