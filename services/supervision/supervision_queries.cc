// SupervisionServiceImpl's gRPC queries: ListDeadlines, and the caller and
// scope checks the subtree queries share (red_light_queries.cc,
// group_alert_queries.cc, indicator_queries.cc). They only read the store.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "domain/access/case_parties.h"
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/indicators.h"
#include "services/supervision/keys.h"
#include "services/supervision/manual_supervision.h"
#include "services/supervision/owner_forward.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::SupervisionCaseRecord;

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 10000;

grpc::Status Error(const absl::Status& s) { return rpc::ToGrpc(s); }

// The region part of an office code "<region>:<unit>".
std::string_view RegionOf(std::string_view office_code) {
  return office_code.substr(0, office_code.find(':'));
}

absl::StatusOr<SupervisionCaseRecord> ReadCase(const store::Store& store,
                                               std::string_view case_id) {
  SupervisionCaseRecord record;
  auto raw = store.Get(kCases, case_id);
  if (!raw.ok()) return raw.status();
  if (raw->has_value() && !record.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat(
        "supervision: corrupt record of case ", std::string(case_id)));
  }
  return record;
}

// The rule's view of a case (domain/access): the parties kept from its
// events, and the office of each deadline not ended in time (armed,
// paused or missed) as an acting office: the office that must act (or
// failed to), which it and its superiors supervise. The office of a
// deadline ended in time reads as a past holder does (not its superiors).
access::CaseParties PartiesOf(const SupervisionCaseRecord& record) {
  access::CaseParties parties =
      access::FromKept(record.case_id(), record.parties());
  for (const caserelay::v1::Deadline& d : record.deadlines()) {
    (d.state() == caserelay::v1::DEADLINE_STATE_DONE ? parties.past_holders
                                                     : parties.acting_offices)
        .push_back(d.office_code());
  }
  return parties;
}

}  // namespace

absl::StatusOr<std::string> SupervisionServiceImpl::CallerOffice(
    grpc::ServerContext* ctx, access::StaffRoles* roles) const {
  if (roles != nullptr) *roles = access::EveryRole();
  if (context_.auth == nullptr) return std::string();
  if (ctx == nullptr) {
    return absl::UnauthenticatedError("supervision: no call context");
  }
  auto principal = rpc::Caller(context_.auth, *ctx);
  if (!principal.ok()) return principal.status();
  auto office = rpc::ActingOffice(*principal);
  if (!office.ok()) return office.status();
  if (roles != nullptr && !principal->HasEveryRole()) {
    *roles = principal->roles;
  }
  if (tables_.regions->Find(RegionOf(*office)) == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("caller ", *office, ": its region is not in the tree"));
  }
  return *office;
}

absl::Status SupervisionServiceImpl::MayAskScope(const std::string& caller,
                                                 std::string* region,
                                                 std::string* office) const {
  if (caller.empty()) return absl::OkStatus();
  const access::CaseAccess access(tables_.offices);
  if (region->empty() && office->empty()) {
    // The caller's own subtree; a department, which supervises nothing,
    // its own office.
    if (access.MayAskRegion(caller, RegionOf(caller)).ok()) {
      *region = std::string(RegionOf(caller));
    } else {
      *office = caller;
    }
    return absl::OkStatus();
  }
  if (!region->empty()) {
    if (absl::Status s = access.MayAskRegion(caller, *region); !s.ok()) {
      return s;
    }
  }
  if (!office->empty()) return access.MayAskOffice(caller, *office);
  return absl::OkStatus();
}

bool SupervisionServiceImpl::MayListRow(
    const std::string& caller, const SupervisionCaseRecord& record) const {
  if (caller.empty()) return true;
  return access::CaseAccess(tables_.offices)
      .MayListRow(caller, PartiesOf(record));
}

absl::StatusOr<SupervisionServiceImpl::BoardScope>
SupervisionServiceImpl::BoardScopeOf(grpc::ServerContext* ctx,
                                     const std::string& region_code,
                                     const std::string& office_code,
                                     int32_t limit) const {
  access::StaffRoles roles;
  auto caller = CallerOffice(ctx, &roles);
  if (!caller.ok()) return caller.status();
  if (limit < 0 || limit > kMaxLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: ", limit, " is not in 0..", kMaxLimit));
  }
  BoardScope scope;
  scope.caller = *caller;
  scope.limit = limit == 0 ? kDefaultLimit : limit;
  scope.region = region_code;
  scope.office = office_code;
  if (!scope.region.empty() && tables_.regions->Find(scope.region) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("region_code: unknown region ", scope.region));
  }
  if (!scope.office.empty() && !rpc::IsOfficeCode(scope.office)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "office_code: \"", scope.office, "\" is not <region>:<unit>"));
  }
  if (!caller->empty()) {
    // The person's roles narrow the scope first (roles.h).
    if (absl::Status s = access::NarrowToRoleScope(roles, *caller,
                                                   &scope.region, &scope.office);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = MayAskScope(*caller, &scope.region, &scope.office);
      !s.ok()) {
    return s;
  }
  return scope;
}

bool SupervisionServiceImpl::InBoardScope(const BoardScope& scope,
                                          std::string_view office) const {
  if (!scope.office.empty() && office != scope.office) return false;
  return scope.region.empty() ||
         tables_.regions->IsWithin(RegionOf(office), scope.region);
}

grpc::Status SupervisionServiceImpl::ListDeadlines(
    grpc::ServerContext* ctx, const caserelay::v1::ListDeadlinesRequest* req,
    caserelay::v1::ListDeadlinesResponse* resp) {
  if (req->case_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "case_id: is required");
  }
  if (std::optional<grpc::Status> forwarded = ForwardToOwner(
          context_, ctx, req->case_id(),
          &caserelay::v1::SupervisionService::Stub::ListDeadlines, *req, resp)) {
    return *forwarded;
  }
  access::StaffRoles roles;
  auto caller = CallerOffice(ctx, &roles);
  if (!caller.ok()) return Error(caller.status());
  auto db = DbOfCase(req->case_id());
  if (!db.ok()) return Error(db.status());
  auto record = ReadCase(*db->store, req->case_id());
  if (!record.ok()) return Error(record.status());
  if (!caller->empty()) {
    // An unknown case has no parties: refused as any other, so nothing is
    // revealed of which cases exist. The person's roles first (roles.h).
    record->set_case_id(req->case_id());
    const access::CaseParties parties = PartiesOf(*record);
    if (absl::Status s = access::MayReadCaseAs(roles, *caller, parties);
        !s.ok()) {
      return Error(s);
    }
    if (absl::Status s =
            access::CaseAccess(tables_.offices).MayRead(*caller, parties);
        !s.ok()) {
      return Error(s);
    }
  }
  *resp->mutable_deadlines() = record->deadlines();
  *resp->mutable_supervisions() = record->supervisions();
  // What the caller may issue by hand here (issue 18 item 4): the console
  // offers exactly this.
  if (!caller->empty() && record->sequence() > 0) {
    if (auto offer = OfferFor(*tables_.offices, *caller, roles, *record);
        offer.has_value()) {
      *resp->mutable_supervise_offer() = *std::move(offer);
    }
  }
  return grpc::Status::OK;
}

}  // namespace caserelay::supervision
