// SupervisionServiceImpl::ListGroupAlerts (群体访 alerts, issue 18 item 3):
// reads the "group-alerts" family under the red-light board's scope rule,
// answered whole across instances (subtree_query.h).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "services/supervision/group_alerts.h"
#include "services/supervision/subtree_merge.h"
#include "services/supervision/subtree_query.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::ListGroupAlertsResponse;

// The key a page token continues after; INVALID_ARGUMENT if the token is
// not one of ours (lower-case hex of a group-alerts key).
absl::StatusOr<std::string> DecodeAlertToken(const std::string& token) {
  bool hex = token.size() % 2 == 0;
  for (char c : token) {
    hex = hex && (absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'));
  }
  std::string key = hex ? absl::HexStringToBytes(token) : "";
  if (!IsGroupAlertKey(key)) {
    return absl::InvalidArgumentError(
        "page_token: not a token of ListGroupAlerts");
  }
  return key;
}

}  // namespace

absl::StatusOr<ListGroupAlertsResponse> SupervisionServiceImpl::GroupAlertsIn(
    const HeldView& view, const BoardScope& scope,
    const std::string& begin) const {
  // One more than a page tells whether another page follows.
  std::vector<std::pair<std::string, caserelay::v1::GroupPetitionAlert>> kept;
  absl::Status corrupt;
  absl::Status s = view.Scan(
      kGroupAlerts, begin, [&](std::string_view k, std::string_view v) {
        caserelay::v1::GroupPetitionAlert alert;
        if (!alert.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          corrupt = absl::DataLossError("supervision: corrupt group alert");
          return false;
        }
        if (!InBoardScope(scope, alert.office_code())) return true;
        kept.emplace_back(std::string(k), std::move(alert));
        return static_cast<int>(kept.size()) <= scope.limit;
      });
  if (!s.ok()) return s;
  if (!corrupt.ok()) return corrupt;
  ListGroupAlertsResponse resp;
  if (static_cast<int>(kept.size()) > scope.limit) {
    kept.resize(scope.limit);
    resp.set_next_page_token(absl::BytesToHexString(kept.back().first));
  }
  for (auto& [key, alert] : kept) *resp.add_alerts() = std::move(alert);
  return resp;
}

grpc::Status SupervisionServiceImpl::ListGroupAlerts(
    grpc::ServerContext* ctx, const caserelay::v1::ListGroupAlertsRequest* req,
    ListGroupAlertsResponse* resp) {
  // The red lights' rule: the person's roles narrow the scope, then the
  // office asks only its subtree (BoardScopeOf).
  absl::StatusOr<BoardScope> scope = BoardScopeOf(
      ctx, req->region_code(), req->office_code(), req->limit());
  if (!scope.ok()) return rpc::ToGrpc(scope.status());
  std::string begin;
  if (!req->page_token().empty()) {
    auto after = DecodeAlertToken(req->page_token());
    if (!after.ok()) return rpc::ToGrpc(after.status());
    begin = *after + std::string(1, '\0');  // the next key after it
  }
  return AnswerSubtree<caserelay::v1::ListGroupAlertsRequest,
                       ListGroupAlertsResponse>(
      context_, ctx, *req,
      &caserelay::v1::SupervisionService::Stub::PrepareAsyncListGroupAlerts,
      [&](const HeldView& view) { return GroupAlertsIn(view, *scope, begin); },
      [&](std::vector<rpc::Shard<ListGroupAlertsResponse>> shards) {
        return MergeGroupAlerts(std::move(shards), scope->limit);
      },
      resp);
}

}  // namespace caserelay::supervision
