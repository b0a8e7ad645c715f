// SupervisionServiceImpl's gRPC queries: ListDeadlines, ListRedLights
// (灭红灯) and GetIndicators. They only read the store.
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

// The lights key a page token continues after; INVALID_ARGUMENT if the
// token is not one of ours (lower-case hex of a lights key).
absl::StatusOr<std::string> DecodePageToken(const std::string& token) {
  bool hex = token.size() % 2 == 0 &&
             std::all_of(token.begin(), token.end(), [](char c) {
               return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
             });
  std::string key = hex ? absl::HexStringToBytes(token) : "";
  if (!ParseLightKey(key).has_value()) {
    return absl::InvalidArgumentError(
        "page_token: not a token of ListRedLights");
  }
  return key;
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

grpc::Status SupervisionServiceImpl::ListRedLights(
    grpc::ServerContext* ctx, const caserelay::v1::ListRedLightsRequest* req,
    caserelay::v1::ListRedLightsResponse* resp) {
  access::StaffRoles roles;
  auto caller = CallerOffice(ctx, &roles);
  if (!caller.ok()) return Error(caller.status());
  if (req->limit() < 0 || req->limit() > kMaxLimit) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("limit: ", req->limit(), " is not in 0..", kMaxLimit)));
  }
  const int limit = req->limit() == 0 ? kDefaultLimit : req->limit();
  std::string region = req->region_code();
  std::string office = req->office_code();
  if (!region.empty() && tables_.regions->Find(region) == nullptr) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("region_code: unknown region ", region)));
  }
  if (!office.empty() && !rpc::IsOfficeCode(office)) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("office_code: \"", office, "\" is not <region>:<unit>")));
  }
  if (!caller->empty()) {
    // The person's roles narrow the scope first (roles.h).
    if (absl::Status s =
            access::NarrowToRoleScope(roles, *caller, &region, &office);
        !s.ok()) {
      return Error(s);
    }
  }
  if (absl::Status s = MayAskScope(*caller, &region, &office); !s.ok()) {
    return Error(s);
  }
  std::string begin;
  if (!req->page_token().empty()) {
    auto after = DecodePageToken(req->page_token());
    if (!after.ok()) return Error(after.status());
    begin = *after + std::string(1, '\0');  // the next key after it
  }

  // One more than a page tells whether another page follows. A light of
  // a case the caller may not list (Art. 30) is left out, not counted.
  // Each kept light with its case, read once (for the Art. 30 check and
  // for the answer).
  struct Kept {
    std::string key;
    std::string deadline_id;
    SupervisionCaseRecord record;
  };
  std::vector<Kept> kept;
  absl::Status read;
  absl::Status s = ScanAll(
      kLights, begin, "", [&](std::string_view k, std::string_view v) {
        if (!office.empty() && v != office) return true;
        if (!region.empty() && !tables_.regions->IsWithin(RegionOf(v), region))
          return true;
        std::optional<ParsedLight> light = ParseLightKey(k);
        if (!light.has_value()) return true;
        const std::string_view case_id = CaseOfDeadline(light->deadline_id);
        auto db = DbOfCase(case_id);
        if (!db.ok()) {
          read = db.status();
          return false;
        }
        auto record = ReadCase(*db->store, case_id);
        if (!record.ok()) {
          read = record.status();
          return false;
        }
        if (!caller->empty() && !MayListRow(*caller, *record)) return true;
        kept.push_back(Kept{std::string(k), std::string(light->deadline_id),
                            *std::move(record)});
        return static_cast<int>(kept.size()) <= limit;
      });
  if (!s.ok()) return Error(s);
  if (!read.ok()) return Error(read);
  const absl::Time now = context_.clock->Now();
  if (static_cast<int>(kept.size()) > limit) {
    kept.resize(limit);
    resp->set_next_page_token(absl::BytesToHexString(kept.back().key));
  }
  for (const Kept& item : kept) {
    const SupervisionCaseRecord* record = &item.record;
    const caserelay::v1::Deadline* deadline = nullptr;
    for (const auto& d : record->deadlines()) {
      if (d.deadline_id() == item.deadline_id) deadline = &d;
    }
    if (deadline == nullptr) continue;  // not written together: never
    caserelay::v1::RedLight* out = resp->add_lights();
    *out->mutable_deadline() = *deadline;
    const absl::Duration overdue = now - time::FromProto(deadline->due_at());
    out->set_overdue_days(
        std::max<int64_t>(0, absl::ToInt64Hours(overdue) / 24));
    caserelay::v1::SupervisionLevel level =
        caserelay::v1::SUPERVISION_LEVEL_UNSPECIFIED;
    for (const auto& issued : record->supervisions()) {
      if (issued.target_office_code() == deadline->office_code()) {
        level = std::max(level, issued.level());
      }
    }
    out->set_supervision(level);
  }
  *resp->mutable_as_of() = time::ToProto(now);
  return grpc::Status::OK;
}

grpc::Status SupervisionServiceImpl::GetIndicators(
    grpc::ServerContext* ctx, const caserelay::v1::GetIndicatorsRequest* req,
    caserelay::v1::GetIndicatorsResponse* resp) {
  access::StaffRoles roles;
  auto caller = CallerOffice(ctx, &roles);
  if (!caller.ok()) return Error(caller.status());
  caserelay::v1::GetIndicatorsRequest request = *req;
  caserelay::v1::IndicatorScope* scope = request.mutable_scope();
  std::string region = scope->region_code();
  std::string office = scope->office_code();
  // An unknown region or a malformed office is Create's NOT_FOUND or
  // INVALID_ARGUMENT, as without auth.
  const bool known =
      office.empty()
          ? region.empty() || tables_.regions->Find(region) != nullptr
          : rpc::IsOfficeCode(office) &&
                tables_.regions->Find(RegionOf(office)) != nullptr;
  if (known) {
    if (!office.empty()) region.clear();  // office_code: others ignored
    if (absl::Status s =
            caller->empty()
                ? absl::OkStatus()
                : access::NarrowToRoleScope(roles, *caller, &region, &office);
        !s.ok()) {
      return Error(
          absl::PermissionDeniedError(absl::StrCat("scope: ", s.message())));
    }
    if (absl::Status s = MayAskScope(*caller, &region, &office); !s.ok()) {
      return Error(
          absl::PermissionDeniedError(absl::StrCat("scope: ", s.message())));
    }
    scope->set_region_code(region);
    scope->set_office_code(office);
  }
  auto calculator = IndicatorCalculator::Create(*tables_.regions, request,
                                                context_.clock->Now());
  if (!calculator.ok()) return Error(calculator.status());
  absl::Status corrupt;
  absl::Status s = ScanAll(
      kCases, "", "", [&](std::string_view k, std::string_view v) {
        SupervisionCaseRecord record;
        if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          corrupt = absl::DataLossError(absl::StrCat(
              "supervision: corrupt record of case ", std::string(k)));
          return false;
        }
        // A case the caller is accused in is left out of its figures:
        // counted, it could be learnt by difference (Art. 30).
        if (MayListRow(*caller, record)) calculator->Add(record);
        return true;
      });
  if (!s.ok()) return Error(s);
  if (!corrupt.ok()) return Error(corrupt);
  *resp = calculator->Result();
  return grpc::Status::OK;
}

}  // namespace caserelay::supervision
