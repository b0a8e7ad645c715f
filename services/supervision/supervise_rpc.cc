// SupervisionServiceImpl's command path: Supervise (督办 by hand, issue 18
// item 4; manual_supervision.h), and Committed, which lets it run between
// the consume loop's batches (supervision_service.h "Two writers").
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "services/supervision/manual_supervision.h"
#include "services/supervision/owner_forward.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

// How long Supervise waits for the loop to commit a batch holding its case.
constexpr absl::Duration kPendingWait = absl::Seconds(5);
// How long a partitioned Supervise waits for Kafka to confirm the 督办.
constexpr absl::Duration kConfirmWait = absl::Seconds(10);

grpc::Status Error(const absl::Status& s) { return rpc::ToGrpc(s); }

}  // namespace

void SupervisionServiceImpl::Committed() {
  absl::MutexLock lock(&mu_);
  pending_.clear();
}

grpc::Status SupervisionServiceImpl::Supervise(
    grpc::ServerContext* ctx, const caserelay::v1::SuperviseRequest* req,
    caserelay::v1::SuperviseResponse* resp) {
  if (context_.auth == nullptr) {
    // A 督办 names its issuing bureau; without an authenticator (auth.mode
    // none) there is no caller to name.
    return Error(absl::PermissionDeniedError(
        "supervision: a 督办 by hand needs an authenticated bureau (auth.mode "
        "token or mtls)"));
  }
  if (ctx == nullptr) {
    return Error(absl::UnauthenticatedError("supervision: no call context"));
  }
  // The case's partition's owner numbers the 督办 (its record holds the
  // case's one counter): a call reaching another instance goes there.
  if (std::optional<grpc::Status> forwarded = ForwardToOwner(
          context_, ctx, req->case_id(),
          &caserelay::v1::SupervisionService::Stub::Supervise, *req, resp)) {
    return *forwarded;
  }
  absl::StatusOr<rpc::Principal> principal = rpc::Caller(context_.auth, *ctx);
  if (!principal.ok()) return Error(principal.status());
  access::StaffRoles roles;
  absl::StatusOr<std::string> caller = CallerOffice(ctx, &roles);
  if (!caller.ok()) return Error(caller.status());
  if (std::string why = access::MayIssueSupervision(roles); !why.empty()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, why);
  }
  if (absl::Status s = CheckSuperviseRequest(*req); !s.ok()) return Error(s);

  const std::string& case_id = req->case_id();
  absl::MutexLock lock(&mu_);
  auto committed = [this, &case_id]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !pending_.contains(case_id);
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&committed), kPendingWait)) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "supervision: the case is being written; retry");
  }
  absl::StatusOr<CaseDb> db = DbOfCase(case_id);
  if (!db.ok()) return Error(db.status());
  store::WriteBatch batch(db->store);
  absl::StatusOr<caserelay::v1::SupervisionCaseRecord> record =
      LoadCase(batch, case_id);
  if (!record.ok()) return Error(record.status());
  if (record->sequence() == 0) {
    // Unknown: refused as an office outside the case is, so nothing is
    // revealed of which cases exist.
    return Error(absl::PermissionDeniedError(absl::StrCat(
        access::kRuleSuperviseSubtree, ": ", *caller,
        " may not supervise case ", case_id.substr(0, 64),
        "：无权督办该信访事项")));
  }
  const access::SuperviseCase c = SuperviseCaseOf(*record);
  const std::string target_code = req->target_office_code().empty()
                                      ? c.holder_office_code
                                      : req->target_office_code();
  if (absl::Status s =
          access::MaySupervise(*tables_.offices, *caller, target_code, c);
      !s.ok()) {
    return Error(s);
  }
  absl::StatusOr<offices::Office> issuer = tables_.offices->Find(*caller);
  if (!issuer.ok()) return Error(issuer.status());
  absl::StatusOr<offices::Office> target = tables_.offices->Find(target_code);
  if (!target.ok()) return Error(target.status());

  const absl::Time now = context_.clock->Now();
  caserelay::v1::SupervisionIssued issued = ManualInstrument(
      *record, *issuer, *target, *req, principal->Operator());
  caserelay::v1::Envelope out;
  out.set_event_id(
      absl::StrCat("supervision/", issued.supervision_id(), "/issued"));
  out.set_case_id(case_id);
  out.set_producer("supervision");
  *out.mutable_occurred_at() = time::ToProto(now);
  *out.mutable_supervision_issued() = issued;
  batch.AddOutbox(kSupervisionEvents, case_id, out.SerializeAsString());
  *record->add_supervisions() = issued;
  batch.Put(kCases, case_id, record->SerializeAsString());
  if (absl::Status s = db->publisher->CheckOutbox(batch); !s.ok()) {
    return Error(s);
  }
  if (context_.partitions == nullptr) {
    if (absl::Status s = db->publisher->Commit(batch); !s.ok()) {
      return Error(s);
    }
  } else if (absl::Status s = db->publisher->CommitAndWait(batch, kConfirmWait);
             !s.ok()) {
    // Partitioned: answered only once Kafka has the instrument and its
    // changelog, so it survives the loss of this instance (contract item
    // 3). DEADLINE_EXCEEDED: committed, it will be published.
    if (absl::IsDeadlineExceeded(s)) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "supervision: the 督办 is recorded but not yet "
                          "confirmed by Kafka; read the case's deadlines "
                          "before issuing it again");
    }
    return Error(s);
  }
  manual_issued_.Increment();
  // Codes and the ground only: the reason is the bureau's free text.
  log::Info("supervision issued by hand",
            {{"supervision", issued.supervision_id()},
             {"issuer", issued.issuer_office_code()},
             {"target", issued.target_office_code()},
             {"ground", caserelay::v1::SupervisionGround_Name(issued.ground())}});
  *resp->mutable_supervision() = std::move(issued);
  return grpc::Status::OK;
}

}  // namespace caserelay::supervision
