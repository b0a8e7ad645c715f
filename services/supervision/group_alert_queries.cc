// SupervisionServiceImpl::ListGroupAlerts (群体访 alerts, issue 18 item 3):
// reads the "group-alerts" family under the red-light board's scope rule.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "services/supervision/group_alerts.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 10000;

std::string_view RegionOf(std::string_view office_code) {
  return office_code.substr(0, office_code.find(':'));
}

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

grpc::Status SupervisionServiceImpl::ListGroupAlerts(
    grpc::ServerContext* ctx, const caserelay::v1::ListGroupAlertsRequest* req,
    caserelay::v1::ListGroupAlertsResponse* resp) {
  access::StaffRoles roles;
  auto caller = CallerOffice(ctx, &roles);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  if (req->limit() < 0 || req->limit() > kMaxLimit) {
    return rpc::ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("limit: ", req->limit(), " is not in 0..", kMaxLimit)));
  }
  const int limit = req->limit() == 0 ? kDefaultLimit : req->limit();
  std::string region = req->region_code();
  std::string office = req->office_code();
  if (!region.empty() && tables_.regions->Find(region) == nullptr) {
    return rpc::ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("region_code: unknown region ", region)));
  }
  if (!office.empty() && !rpc::IsOfficeCode(office)) {
    return rpc::ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("office_code: \"", office, "\" is not <region>:<unit>")));
  }
  if (!caller->empty()) {
    // The person's roles narrow the scope first (roles.h), as for the
    // red lights.
    if (absl::Status s =
            access::NarrowToRoleScope(roles, *caller, &region, &office);
        !s.ok()) {
      return rpc::ToGrpc(s);
    }
  }
  if (absl::Status s = MayAskScope(*caller, &region, &office); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  std::string begin;
  if (!req->page_token().empty()) {
    auto after = DecodeAlertToken(req->page_token());
    if (!after.ok()) return rpc::ToGrpc(after.status());
    begin = *after + std::string(1, '\0');  // the next key after it
  }
  // One more than a page tells whether another page follows.
  std::vector<std::pair<std::string, caserelay::v1::GroupPetitionAlert>> kept;
  absl::Status corrupt;
  absl::Status s = ScanAll(
      kGroupAlerts, begin, "", [&](std::string_view k, std::string_view v) {
        caserelay::v1::GroupPetitionAlert alert;
        if (!alert.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          corrupt = absl::DataLossError("supervision: corrupt group alert");
          return false;
        }
        if (!office.empty() && alert.office_code() != office) return true;
        if (!region.empty() &&
            !tables_.regions->IsWithin(RegionOf(alert.office_code()), region)) {
          return true;
        }
        kept.emplace_back(std::string(k), std::move(alert));
        return static_cast<int>(kept.size()) <= limit;
      });
  if (!s.ok()) return rpc::ToGrpc(s);
  if (!corrupt.ok()) return rpc::ToGrpc(corrupt);
  if (static_cast<int>(kept.size()) > limit) {
    kept.resize(limit);
    resp->set_next_page_token(absl::BytesToHexString(kept.back().first));
  }
  for (auto& [key, alert] : kept) *resp->add_alerts() = std::move(alert);
  return grpc::Status::OK;
}

}  // namespace caserelay::supervision
