#include "services/statistics/statistics_service.h"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/statistics_index.pb.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/principal.h"
#include "common/service/held_events.h"
#include "common/service/payload.h"
#include "domain/access/case_access.h"
#include "domain/access/roles.h"
#include "services/statistics/case_record.h"
#include "services/statistics/counter_buffer.h"

namespace caserelay::statistics {
namespace {

using caserelay::v1::StatisticsCaseRecord;

std::string_view RegionOf(std::string_view office_code) {
  return office_code.substr(0, office_code.find(':'));
}

}  // namespace

absl::Status WriteDelta(const CountsByKey& delta, store::WriteBatch& batch) {
  CounterBuffer& buffer = CounterBuffer::Of(batch);
  // Every counter is read before any is changed: a failed read changes
  // nothing (EventHandler::Apply's contract).
  std::vector<caserelay::v1::StatisticsCounters*> loaded;
  loaded.reserve(delta.size());
  for (const auto& [key, dims] : delta) {
    auto counters = buffer.Load(key, batch);
    if (!counters.ok()) return counters.status();
    loaded.push_back(*counters);
  }
  auto next = loaded.begin();
  for (const auto& [key, dims] : delta) {
    auto& counts = *(*next++)->mutable_counts();
    for (const auto& [dim, n] : dims) {
      const int64_t v = counts[dim] + n;
      if (v == 0) {
        counts.erase(dim);
      } else {
        counts[dim] = v;
      }
    }
    buffer.Changed(key);
  }
  return absl::OkStatus();
}

StatisticsServiceImpl::StatisticsServiceImpl(const service::Context& context,
                                             StatisticsTables tables)
    : context_(context),
      tables_(tables),
      reader_(context.store, tables.regions, context.clock),
      scopes_(tables.regions) {}

absl::Status StatisticsServiceImpl::Apply(const caserelay::v1::Envelope& event,
                                          store::WriteBatch& batch) {
  if (absl::Status s = service::ExpectPayload(
          event, caserelay::v1::Envelope::kCaseEvent, "case-events");
      !s.ok()) {
    return s;
  }
  const std::string& case_id = event.case_id();
  if (event.sequence() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), " has no sequence"));
  }
  StatisticsCaseRecord record;
  auto raw = batch.Get(kCasesFamily, case_id);
  if (!raw.ok()) return raw.status();
  if (raw->has_value() && !record.ParseFromString(**raw)) {
    return absl::DataLossError(
        absl::StrCat("statistics: corrupt record of case ", case_id));
  }
  if (event.sequence() <= record.sequence()) return absl::OkStatus();
  if (event.sequence() > record.sequence() + 1) {
    return service::SequenceGapError(case_id, record.sequence(),
                                     event.sequence());
  }
  StatisticsCaseRecord updated = record;
  if (absl::Status s = UpdateRecord(event, &updated); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), ": ", s.message()));
  }
  const Contribution before = Contribute(record, scopes_);
  const Contribution after = Contribute(updated, scopes_);
  if (absl::Status s = WriteDelta(Diff(before.counts, after.counts), batch);
      !s.ok()) {
    return s;
  }
  for (const std::string& k : before.due_keys) {
    if (after.due_keys.count(k) == 0) batch.Delete(kDuesFamily, k);
  }
  for (const std::string& k : after.due_keys) {
    if (before.due_keys.count(k) == 0) batch.Put(kDuesFamily, k, "");
  }
  batch.Put(kCasesFamily, case_id, updated.SerializeAsString());
  return absl::OkStatus();
}

absl::Status StatisticsServiceImpl::MayAskScope(grpc::ServerContext* ctx,
                                                std::string* region,
                                                std::string* office) const {
  if (context_.auth == nullptr) return absl::OkStatus();
  if (ctx == nullptr) {
    return absl::UnauthenticatedError("statistics: no call context");
  }
  auto principal = rpc::Caller(context_.auth, *ctx);
  if (!principal.ok()) return principal.status();
  auto caller = rpc::ActingOffice(*principal);
  if (!caller.ok()) return caller.status();
  if (tables_.regions->Find(RegionOf(*caller)) == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("caller ", *caller, ": its region is not in the tree"));
  }
  // A person the gateway speaks for reads by their roles first (roles.h,
  // as supervision's boards and figures): ADMIN alone nothing, a
  // registrar, handler or head only the own office's figures, an inspector
  // or leader the subtree; the office's own credential keeps every role.
  if (!principal->HasEveryRole()) {
    if (absl::Status s = access::NarrowToRoleScope(principal->roles, *caller,
                                                   region, office);
        !s.ok()) {
      return s;
    }
  }
  const access::CaseAccess access(tables_.offices);
  if (region->empty() && office->empty()) {
    // The caller's own subtree; a department, which supervises nothing,
    // its own office.
    if (access.MayAskRegion(*caller, RegionOf(*caller)).ok()) {
      *region = std::string(RegionOf(*caller));
    } else {
      *office = *caller;
    }
    return absl::OkStatus();
  }
  // An unknown region or a malformed office is the reader's NOT_FOUND or
  // INVALID_ARGUMENT, as without auth.
  if (!office->empty()) {
    if (!rpc::IsOfficeCode(*office) ||
        tables_.regions->Find(RegionOf(*office)) == nullptr) {
      return absl::OkStatus();
    }
    return access.MayAskOffice(*caller, *office);
  }
  if (tables_.regions->Find(*region) == nullptr) return absl::OkStatus();
  return access.MayAskRegion(*caller, *region);
}

// Sets `scope` to what the caller may ask for (MayAskScope); the
// PERMISSION_DENIED names the scope.
template <typename Scope>
absl::Status StatisticsServiceImpl::Authorize(grpc::ServerContext* ctx,
                                              Scope* scope) const {
  std::string region = scope->office_code().empty() ? scope->region_code() : "";
  std::string office = scope->office_code();
  absl::Status s = MayAskScope(ctx, &region, &office);
  if (s.code() == absl::StatusCode::kPermissionDenied) {
    return absl::PermissionDeniedError(absl::StrCat("scope: ", s.message()));
  }
  if (!s.ok()) return s;
  scope->set_region_code(region);
  scope->set_office_code(office);
  return absl::OkStatus();
}

grpc::Status StatisticsServiceImpl::GetVolume(
    grpc::ServerContext* ctx, const caserelay::v1::GetVolumeRequest* req,
    caserelay::v1::GetVolumeResponse* resp) {
  caserelay::v1::GetVolumeRequest request = *req;
  if (absl::Status s = Authorize(ctx, request.mutable_scope()); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto answer = reader_.Volume(request);
  if (!answer.ok()) return rpc::ToGrpc(answer.status());
  *resp = *std::move(answer);
  return grpc::Status::OK;
}

grpc::Status StatisticsServiceImpl::GetIndicators(
    grpc::ServerContext* ctx, const caserelay::v1::GetIndicatorsRequest* req,
    caserelay::v1::GetIndicatorsResponse* resp) {
  caserelay::v1::GetIndicatorsRequest request = *req;
  if (absl::Status s = Authorize(ctx, request.mutable_scope()); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto answer = reader_.Indicators(request);
  if (!answer.ok()) return rpc::ToGrpc(answer.status());
  *resp = *std::move(answer);
  return grpc::Status::OK;
}

}  // namespace caserelay::statistics
