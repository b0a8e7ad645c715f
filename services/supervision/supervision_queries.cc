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
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/indicators.h"
#include "services/supervision/keys.h"
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

}  // namespace

absl::StatusOr<std::string> SupervisionServiceImpl::CallerRegion(
    grpc::ServerContext* ctx) const {
  if (context_.auth == nullptr) return std::string();
  if (ctx == nullptr) {
    return absl::UnauthenticatedError("supervision: no call context");
  }
  auto office = rpc::CallerOffice(context_.auth, *ctx);
  if (!office.ok()) return office.status();
  std::string region(RegionOf(*office));
  if (tables_.regions->Find(region) == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("caller ", *office, ": its region is not in the tree"));
  }
  return region;
}

grpc::Status SupervisionServiceImpl::ListDeadlines(
    grpc::ServerContext* ctx, const caserelay::v1::ListDeadlinesRequest* req,
    caserelay::v1::ListDeadlinesResponse* resp) {
  if (req->case_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "case_id: is required");
  }
  auto caller = CallerRegion(ctx);
  if (!caller.ok()) return Error(caller.status());
  auto record = ReadCase(*context_.store, req->case_id());
  if (!record.ok()) return Error(record.status());
  if (!caller->empty()) {
    bool visible = std::any_of(
        record->deadlines().begin(), record->deadlines().end(),
        [&](const caserelay::v1::Deadline& d) {
          return tables_.regions->IsWithin(RegionOf(d.office_code()), *caller);
        });
    if (!visible) {
      return Error(absl::PermissionDeniedError(
          absl::StrCat("case ", req->case_id(),
                       ": no deadline of an office within region ", *caller)));
    }
  }
  *resp->mutable_deadlines() = record->deadlines();
  *resp->mutable_supervisions() = record->supervisions();
  return grpc::Status::OK;
}

grpc::Status SupervisionServiceImpl::ListRedLights(
    grpc::ServerContext* ctx, const caserelay::v1::ListRedLightsRequest* req,
    caserelay::v1::ListRedLightsResponse* resp) {
  auto caller = CallerRegion(ctx);
  if (!caller.ok()) return Error(caller.status());
  if (req->limit() < 0 || req->limit() > kMaxLimit) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("limit: ", req->limit(), " is not in 0..", kMaxLimit)));
  }
  const int limit = req->limit() == 0 ? kDefaultLimit : req->limit();
  std::string region = req->region_code();
  const std::string& office = req->office_code();
  if (!region.empty() && tables_.regions->Find(region) == nullptr) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("region_code: unknown region ", region)));
  }
  if (!office.empty() && !rpc::IsOfficeCode(office)) {
    return Error(absl::InvalidArgumentError(
        absl::StrCat("office_code: \"", office, "\" is not <region>:<unit>")));
  }
  if (!caller->empty()) {
    if (region.empty()) region = *caller;
    if (!tables_.regions->IsWithin(region, *caller) ||
        (!office.empty() &&
         !tables_.regions->IsWithin(RegionOf(office), *caller))) {
      return Error(absl::PermissionDeniedError(
          absl::StrCat("the caller sees only region ", *caller, " and below")));
    }
  }
  std::string begin;
  if (!req->page_token().empty()) {
    auto after = DecodePageToken(req->page_token());
    if (!after.ok()) return Error(after.status());
    begin = *after + std::string(1, '\0');  // the next key after it
  }

  // One more than a page tells whether another page follows.
  std::vector<std::string> keys;
  absl::Status s = context_.store->Scan(
      kLights, begin, "", [&](std::string_view k, std::string_view v) {
        if (!office.empty() && v != office) return true;
        if (!region.empty() && !tables_.regions->IsWithin(RegionOf(v), region))
          return true;
        keys.emplace_back(k);
        return static_cast<int>(keys.size()) <= limit;
      });
  if (!s.ok()) return Error(s);
  const absl::Time now = context_.clock->Now();
  if (static_cast<int>(keys.size()) > limit) {
    keys.resize(limit);
    resp->set_next_page_token(absl::BytesToHexString(keys.back()));
  }
  for (const std::string& key : keys) {
    std::optional<ParsedLight> light = ParseLightKey(key);
    if (!light.has_value()) continue;
    auto record = ReadCase(*context_.store, CaseOfDeadline(light->deadline_id));
    if (!record.ok()) return Error(record.status());
    const caserelay::v1::Deadline* deadline = nullptr;
    for (const auto& d : record->deadlines()) {
      if (d.deadline_id() == light->deadline_id) deadline = &d;
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
  auto caller = CallerRegion(ctx);
  if (!caller.ok()) return Error(caller.status());
  caserelay::v1::GetIndicatorsRequest request = *req;
  if (!caller->empty()) {
    caserelay::v1::IndicatorScope* scope = request.mutable_scope();
    std::string region = scope->office_code().empty()
                             ? scope->region_code()
                             : std::string(RegionOf(scope->office_code()));
    if (region.empty()) {
      scope->set_region_code(*caller);
    } else if (tables_.regions->Find(region) != nullptr &&
               !tables_.regions->IsWithin(region, *caller)) {
      // (an unknown region is Create's NOT_FOUND)
      return Error(absl::PermissionDeniedError(absl::StrCat(
          "scope: the caller sees only region ", *caller, " and below")));
    }
  }
  auto calculator = IndicatorCalculator::Create(*tables_.regions, request,
                                                context_.clock->Now());
  if (!calculator.ok()) return Error(calculator.status());
  absl::Status corrupt;
  absl::Status s = context_.store->Scan(
      kCases, "", "", [&](std::string_view k, std::string_view v) {
        SupervisionCaseRecord record;
        if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          corrupt = absl::DataLossError(absl::StrCat(
              "supervision: corrupt record of case ", std::string(k)));
          return false;
        }
        calculator->Add(record);
        return true;
      });
  if (!s.ok()) return Error(s);
  if (!corrupt.ok()) return Error(corrupt);
  *resp = calculator->Result();
  return grpc::Status::OK;
}

}  // namespace caserelay::supervision
