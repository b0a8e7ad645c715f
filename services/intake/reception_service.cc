// IntakeService's reception schedule (领导接访安排, issue 18 item 1):
// PublishReception, CancelReception, ListReceptions, and the reception a
// visit is registered at (SubmitPetition's reception_id). The rules are
// domain/reception's and domain/access's; the records receptions.h's.

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/access/reception_access.h"
#include "domain/reception/reception.h"
#include "services/intake/intake_service.h"
#include "services/intake/receptions.h"

namespace caserelay::intake {
namespace {

namespace v1 = caserelay::v1;

// At most this many receptions in one listing.
constexpr int kMaxListed = 200;

access::ReceptionKeeper KeeperOf(const rpc::Principal& caller) {
  access::ReceptionKeeper keeper;
  if (caller.IsOffice()) keeper.office = caller.id;
  keeper.every_role = caller.HasEveryRole();
  keeper.roles = caller.roles;
  return keeper;
}

}  // namespace

absl::StatusOr<v1::Reception> IntakeServiceImpl::ManageableReception(
    const grpc::ServerContext* ctx, std::string_view office) const {
  if (ctx == nullptr) {
    return absl::UnauthenticatedError("intake: a call without its context");
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return caller.status();
  const std::string asked =
      office.empty() && caller->IsOffice() ? caller->id : std::string(office);
  if (absl::Status s = access::MayManageReception(KeeperOf(*caller), asked);
      !s.ok()) {
    return s;
  }
  auto found = offices_->Find(asked);
  if (!found.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("office_code: unknown office '", asked, "'"));
  }
  v1::Reception whose;
  whose.set_office_code(found->code);
  whose.set_office_name(found->name);
  return whose;
}

grpc::Status IntakeServiceImpl::PublishReception(
    grpc::ServerContext* ctx, const v1::PublishReceptionRequest* req,
    v1::Reception* resp) {
  auto office = ManageableReception(ctx, req->office_code());
  if (!office.ok()) return rpc::ToGrpc(office.status());
  const absl::Time now = context_.clock->Now();
  if (absl::Status s = reception::ValidatePublish(*req, time::ChinaDay(now));
      !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (req->request_id().size() > 64) {
    return rpc::ToGrpc(absl::InvalidArgumentError(
        "request_id: 最多 64 个字符"));
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  const std::string by = caller->Name();
  // A step of the submissions' group (group_commit.h): reception ids are
  // drawn serialised with every other write of intake.
  std::optional<v1::Reception> earlier_one;
  std::optional<v1::Reception> added_one;
  absl::Status s = group_.Run([&](store::WriteBatch& batch) -> absl::Status {
    auto earlier = FindPublished(batch, by, *req);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      earlier_one = **std::move(earlier);
      return absl::OkStatus();
    }
    auto added = AddReception(batch, by, *req, office->office_code(),
                              office->office_name(), now);
    if (!added.ok()) return added.status();
    added_one = *std::move(added);
    return absl::OkStatus();
  });
  if (!s.ok()) return rpc::ToGrpc(s);
  if (earlier_one.has_value()) {
    *resp = *std::move(earlier_one);
    return grpc::Status::OK;
  }
  const v1::Reception* added = &*added_one;
  // Ids, office and day only (leaders' names are public, but logs carry
  // no names at all).
  log::Info("reception published", {{"reception", added->reception_id()},
                                    {"office", added->office_code()},
                                    {"day", added->day()}});
  *resp = *added;
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::CancelReception(
    grpc::ServerContext* ctx, const v1::CancelReceptionRequest* req,
    v1::Reception* resp) {
  if (!reception::MayBeReceptionId(req->reception_id())) {
    return rpc::ToGrpc(absl::InvalidArgumentError(
        "reception_id: 请填写接访安排的编号，例如 JF20260304-0001"));
  }
  v1::Reception reception;
  // A step of the submissions' group (group_commit.h), serialised with
  // the visits registered at receptions.
  absl::Status s = group_.Run([&](store::WriteBatch& batch) -> absl::Status {
    auto found = LoadReception(batch, req->reception_id());
    if (!found.ok()) return found.status();
    if (!found->has_value()) {
      return absl::NotFoundError("reception_id: 没有这个接访安排");
    }
    reception = **std::move(found);
    auto office = ManageableReception(ctx, reception.office_code());
    if (!office.ok()) return office.status();
    const absl::Time now = context_.clock->Now();
    if (absl::Status c =
            reception::CheckCancel(reception, time::ChinaDay(now));
        !c.ok()) {
      return c;
    }
    reception.set_cancelled(true);
    *reception.mutable_cancelled_at() = time::ToProto(now);
    PutReception(batch, reception);
    return absl::OkStatus();
  });
  if (!s.ok()) return rpc::ToGrpc(s);
  log::Info("reception cancelled", {{"reception", reception.reception_id()},
                                    {"office", reception.office_code()}});
  *resp = std::move(reception);
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::ListReceptions(
    grpc::ServerContext* ctx, const v1::ListReceptionsRequest* req,
    v1::ListReceptionsResponse* resp) {
  // Public: the published schedule is for everyone (the portal's page).
  if (ctx == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "intake: a call without its context");
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  absl::CivilDay from = time::ChinaDay(context_.clock->Now());
  if (!req->from_day().empty()) {
    auto day = reception::ParseDay("from_day", req->from_day());
    if (!day.ok()) return rpc::ToGrpc(day.status());
    from = *day;
  }
  std::optional<absl::CivilDay> to;
  if (!req->to_day().empty()) {
    auto day = reception::ParseDay("to_day", req->to_day());
    if (!day.ok()) return rpc::ToGrpc(day.status());
    to = *day;
  }
  if (!req->region_code().empty() &&
      regions_->Find(req->region_code()) == nullptr) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "region_code: 没有这个行政区划");
  }
  absl::Status s = ScanReceptions(
      *context_.store, from, to, [&](const v1::Reception& reception) {
        if (!req->office_code().empty() &&
            reception.office_code() != req->office_code()) {
          return true;
        }
        if (!req->region_code().empty()) {
          auto office = offices_->Find(reception.office_code());
          if (!office.ok() ||
              !regions_->IsWithin(office->region_code, req->region_code())) {
            return true;
          }
        }
        if (resp->receptions_size() == kMaxListed) {
          resp->set_truncated(true);
          return false;
        }
        *resp->add_receptions() = reception;
        return true;
      });
  if (!s.ok()) return rpc::ToGrpc(s);
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<v1::ReceptionRef>>
IntakeServiceImpl::VisitReception(const v1::SubmitPetitionRequest& req,
                                  std::string_view caller,
                                  absl::CivilDay today) const {
  if (req.reception_id().empty()) return std::nullopt;
  if (!reception::MayBeReceptionId(req.reception_id())) {
    return absl::InvalidArgumentError(
        "reception_id: 请填写接访安排的编号，例如 JF20260304-0001");
  }
  store::WriteBatch batch(context_.store);
  auto found = LoadReception(batch, req.reception_id());
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::InvalidArgumentError("reception_id: 没有这个接访安排");
  }
  if (absl::Status s = reception::CheckVisit(
          **found, absl::string_view(caller.data(), caller.size()),
          req.matter().channel(), today);
      !s.ok()) {
    return s;
  }
  return reception::RefOf(**found);
}

}  // namespace caserelay::intake
