// The bulletins' gRPC handlers of StatisticsServiceImpl (statistics.proto
// IssueBulletin, ListBulletins, GetBulletin): the caller's access, then
// bulletins::BulletinParts (services/statistics/bulletins).
#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"
#include "services/statistics/statistics_service.h"

namespace caserelay::statistics {
namespace {

namespace v1 = caserelay::v1;

absl::Status NotReady() {
  return absl::UnavailableError("statistics: bulletins not set up");
}

}  // namespace

absl::Status StatisticsServiceImpl::MayAskBureau(
    grpc::ServerContext* ctx, const offices::Office& bureau) const {
  std::string region = bureau.region_code;
  std::string office;
  absl::Status s = MayAskScope(ctx, &region, &office);
  if (s.code() == absl::StatusCode::kPermissionDenied) {
    return absl::PermissionDeniedError(
        absl::StrCat("bureau_code ", bureau.code, ": ", s.message()));
  }
  return s;
}

grpc::Status StatisticsServiceImpl::IssueBulletin(
    grpc::ServerContext* ctx, const v1::IssueBulletinRequest* req,
    v1::IssueBulletinResponse* resp) {
  if (bulletins_ == nullptr) return rpc::ToGrpc(NotReady());
  auto bureau = bulletins_->BureauOf(req->bureau_code());
  if (!bureau.ok()) return rpc::ToGrpc(bureau.status());
  if (absl::Status s = MayAskBureau(ctx, *bureau); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto answer = bulletins_->Issue(*req);
  if (!answer.ok()) return rpc::ToGrpc(answer.status());
  *resp = *std::move(answer);
  return grpc::Status::OK;
}

grpc::Status StatisticsServiceImpl::ListBulletins(
    grpc::ServerContext* ctx, const v1::ListBulletinsRequest* req,
    v1::ListBulletinsResponse* resp) {
  if (bulletins_ == nullptr) return rpc::ToGrpc(NotReady());
  auto bureau = bulletins_->BureauOf(req->bureau_code());
  if (!bureau.ok()) return rpc::ToGrpc(bureau.status());
  if (absl::Status s = MayAskBureau(ctx, *bureau); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto answer = bulletins_->List(*req);
  if (!answer.ok()) return rpc::ToGrpc(answer.status());
  *resp = *std::move(answer);
  return grpc::Status::OK;
}

grpc::Status StatisticsServiceImpl::GetBulletin(
    grpc::ServerContext* ctx, const v1::GetBulletinRequest* req,
    v1::GetBulletinResponse* resp) {
  if (bulletins_ == nullptr) return rpc::ToGrpc(NotReady());
  auto bureau = bulletins_->BureauOfBulletin(req->id());
  if (!bureau.ok()) return rpc::ToGrpc(bureau.status());
  if (absl::Status s = MayAskBureau(ctx, *bureau); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto answer = bulletins_->Get(*req);
  if (!answer.ok()) return rpc::ToGrpc(answer.status());
  *resp = *std::move(answer);
  return grpc::Status::OK;
}

}  // namespace caserelay::statistics
