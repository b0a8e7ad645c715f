// SupervisionServiceImpl::GetIndicators: the indicators (indicators.h) by a
// scan of every case record, answered whole across instances
// (subtree_query.h), for service:statistics only (README.md "Serves").
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "services/supervision/indicators.h"
#include "services/supervision/subtree_merge.h"
#include "services/supervision/subtree_query.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::GetIndicatorsRequest;
using caserelay::v1::GetIndicatorsResponse;

}  // namespace

absl::Status MayAskIndicators(const rpc::Principal& caller) {
  if (caller.IsService(kIndicatorsCaller)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      caller.ToString(),
      " may not call supervision's GetIndicators: it scans every case and "
      "is kept as the reference of statistics' index, for service:",
      kIndicatorsCaller,
      " only; offices ask statistics' GetIndicators (casectl stats, the "
      "console's 指标)"));
}

absl::StatusOr<GetIndicatorsResponse> SupervisionServiceImpl::IndicatorsIn(
    const HeldView& view, const GetIndicatorsRequest& request) const {
  auto calculator = IndicatorCalculator::Create(*tables_.regions, request,
                                                context_.clock->Now());
  if (!calculator.ok()) return calculator.status();
  absl::Status corrupt;
  absl::Status s =
      view.Scan(kCases, "", [&](std::string_view k, std::string_view v) {
        caserelay::v1::SupervisionCaseRecord record;
        if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          corrupt = absl::DataLossError(absl::StrCat(
              "supervision: corrupt record of case ", std::string(k)));
          return false;
        }
        calculator->Add(record);
        return true;
      });
  if (!s.ok()) return s;
  if (!corrupt.ok()) return corrupt;
  return calculator->Result();
}

grpc::Status SupervisionServiceImpl::GetIndicators(
    grpc::ServerContext* ctx, const GetIndicatorsRequest* req,
    GetIndicatorsResponse* resp) {
  if (context_.auth != nullptr) {
    if (ctx == nullptr) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "supervision: no call context");
    }
    absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
    if (!caller.ok()) return rpc::ToGrpc(caller.status());
    if (absl::Status s = MayAskIndicators(*caller); !s.ok()) {
      return rpc::ToGrpc(s);
    }
  }
  // Every instance counts the same period: an open `to` is pinned to this
  // instance's clock before the others are asked.
  GetIndicatorsRequest request = *req;
  if (!request.has_to()) {
    *request.mutable_to() = time::ToProto(context_.clock->Now());
  }
  // The request's own errors (IndicatorCalculator::Create) before asking.
  if (auto checked = IndicatorCalculator::Create(*tables_.regions, request,
                                                 context_.clock->Now());
      !checked.ok()) {
    return rpc::ToGrpc(checked.status());
  }
  return AnswerSubtree<GetIndicatorsRequest, GetIndicatorsResponse>(
      context_, ctx, request,
      &caserelay::v1::SupervisionService::Stub::PrepareAsyncGetIndicators,
      [&](const HeldView& view) { return IndicatorsIn(view, request); },
      [](std::vector<rpc::Shard<GetIndicatorsResponse>> shards) {
        return MergeIndicators(shards);
      },
      resp);
}

}  // namespace caserelay::supervision
