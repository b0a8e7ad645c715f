// routing (转送交办): owns the case life cycle and is the single writer of
// "case-events". It consumes "petitions", decides each new case by the
// rules of domain/routing and registers it (domain/lifecycle), and
// "supervision-events", recording each SupervisionIssued (督办) on its
// case; it serves the offices' API: inbox, case detail with history, every
// action of the life cycle, and PreviewRoute. See README.md.
//
// Two paths write cases: the consume loop (new petitions, a repeat linked
// to its open case, supervision recorded on a case; one loop consumes both
// topics) and the gRPC Act handler. Both take mu_. A case
// the loop has written but not yet committed is "pending": Act waits until
// the loop's commit lands (Committed()), so an office's read-modify-write
// never works from a state the loop is about to overwrite.
//
// With partitioned state (routing.partitioned, issue 19 item 4; README
// "Routing as N instances"): the families of a case live in its
// partition's DB and `matters` in the instance-local DB (Context::store);
// a per-case call is forwarded to the owner of the case's partition
// (common/service/owner_forward.h), and an office's lists are answered by
// every owner and merged (office_query.h).
//
// Thread safety: thread-safe. Apply/Committed run on the loop's thread;
// the gRPC handlers on gRPC's threads.

#ifndef CASERELAY_SERVICES_ROUTING_ROUTING_SERVICE_H_
#define CASERELAY_SERVICES_ROUTING_ROUTING_SERVICE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/rpc/auth.h"
#include "common/service/key_db.h"
#include "common/service/service_main.h"
#include "common/store/partitioned_store.h"
#include "services/routing/approvals.h"
#include "services/routing/inbox_request.h"
#include "services/routing/request_bounds.h"
#include "domain/access/case_access.h"
#include "domain/access/petitioner_access.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/offices/office_directory.h"
#include "domain/routing/router.h"
#include "services/routing/case_store.h"

namespace caserelay::routing {

// What the service works with; all not owned and outliving it.
struct RoutingParts {
  const offices::OfficeDirectory* offices;
  const Router* router;
  const lifecycle::Lifecycle* lifecycle;
  // Who calls (rpc::Caller); nullptr only in tests that build the service
  // without one: then every office call is UNAUTHENTICATED (there is no
  // anonymous office). The operator an Act records is the caller's
  // (rpc::Principal::Operator), never ActRequest.operator.
  const rpc::Authenticator* auth;
  // The bounds of every request field (routing.max_reason_chars).
  RequestBounds bounds = {};
  // ListInbox's lights and scan bound (supervision.warning_before,
  // routing.inbox_scan_limit).
  InboxSettings inbox = {};
  // 领导包案's quota per leader and quarter
  // (leadership.charge_quota_per_quarter; 0: none set).
  int charge_quota_per_quarter = 2;
};

class RoutingServiceImpl final : public caserelay::v1::RoutingService::Service,
                                 public service::EventHandler {
 public:
  RoutingServiceImpl(const service::Context& context, RoutingParts parts);

  grpc::Status GetCase(grpc::ServerContext* ctx,
                       const caserelay::v1::GetCaseRequest* req,
                       caserelay::v1::CaseDetail* resp) override;
  grpc::Status ListInbox(grpc::ServerContext* ctx,
                         const caserelay::v1::ListInboxRequest* req,
                         caserelay::v1::ListInboxResponse* resp) override;
  grpc::Status Act(grpc::ServerContext* ctx,
                   const caserelay::v1::ActRequest* req,
                   caserelay::v1::CaseView* resp) override;
  grpc::Status PreviewRoute(grpc::ServerContext* ctx,
                            const caserelay::v1::PreviewRouteRequest* req,
                            caserelay::v1::RouteDecision* resp) override;
  // The head's queue (approvals.h): only a caller whose roles may answer
  // proposals (HEAD, or the office's own credential), for its own office.
  grpc::Status ListApprovals(grpc::ServerContext* ctx,
                             const caserelay::v1::ListApprovalsRequest* req,
                             caserelay::v1::ListApprovalsResponse* resp) override;
  // The leaders' list of 包案 (charged_api.cc, routing.proto's contract).
  grpc::Status ListChargedCases(
      grpc::ServerContext* ctx,
      const caserelay::v1::ListChargedCasesRequest* req,
      caserelay::v1::ListChargedCasesResponse* resp) override;
  // Only for the petitioner of req.case_id (rpc::Principal::Petitioner:
  // service:web with x-caserelay-petitioner-case; access::PetitionerMay);
  // PERMISSION_DENIED for every other caller (petitioner_api.cc).
  grpc::Status GetPetitionerView(
      grpc::ServerContext* ctx,
      const caserelay::v1::GetPetitionerViewRequest* req,
      caserelay::v1::PetitionerView* resp) override;

  // PetitionReceived -> decide, register the case (REGISTER, event id:
  // the input's id + "/registered"), and for a repeat append LINK_REPEAT
  // to the open case (id + "/linked"). A petition seen before is skipped.
  // SupervisionIssued -> append SUPERVISE to its case (Lifecycle::Supervise,
  // the deadline starting at the envelope's occurred_at; event id: the
  // input's id + "/supervised"). A supervision_id the case has recorded
  // before (its history, or this batch) is skipped. DeadlineWarning and
  // DeadlineMissed are supervision's own business: ignored (OK).
  // Errors (the loop dead-letters the event, nothing written):
  // INVALID_ARGUMENT for another payload or a malformed one, NOT_FOUND for
  // a SupervisionIssued of an unknown case, the life cycle's refusals;
  // UNAVAILABLE / DATA_LOSS from the store.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;
  void Committed() override;

 private:
  // Where a case is stored: the one store, or (partitioned) its
  // partition's DB, leased while this lives.
  struct CaseDb : service::KeyDb {
    CaseStore cases() const { return CaseStore(store); }
  };
  // The DB of case `case_id`. UNAVAILABLE "routing: partition moving, try
  // again" when its partition is not held here (it moved after the call
  // reached this instance).
  absl::StatusOr<CaseDb> DbOfCase(std::string_view case_id) const;
  // Reads a committed case from wherever this instance keeps it; nullopt
  // for an unknown case and (partitioned) for one of a partition held
  // elsewhere: what PreviewRoute and a correction see of earlier cases of
  // a matter (the `matters` gap, README).
  CaseReader CommittedCases() const;
  bool partitioned() const { return context_.partitions != nullptr; }
  // ListChargedCases of one store (charged_api.cc): `office`'s page of
  // 包案 readable by `actor`, and its leaders' counts of the quarter.
  absl::StatusOr<caserelay::v1::ListChargedCasesResponse> ChargedIn(
      store::Store& store, const Actor& actor, const std::string& office,
      const caserelay::v1::ListChargedCasesRequest& req,
      int page_size) const;

  // A check of Act's caller against the case as read under mu_, which may
  // complete the command (the petitioner's organ).
  using ActCheck = std::function<absl::Status(
      const caserelay::v1::RoutingCaseRecord& before, lifecycle::Command& cmd)>;
  // What Act records on the case: from `before` and the checked `cmd`,
  // the event, with `after` (a copy of `before`) changed to match.
  using ActStep = std::function<absl::StatusOr<caserelay::v1::CaseEvent>(
      const caserelay::v1::RoutingCaseRecord& before,
      const lifecycle::Command& cmd, caserelay::v1::RoutingCaseRecord& after)>;
  // The common part of Act: waits for the case to be committed, reads it,
  // runs `may`, checks req.expected_version, runs `step` (nullptr: the life
  // cycle applies `cmd`) and commits the event. Answers with the case after
  // it (for the petitioner only its id, state and version), with the
  // actions `viewer` may take next when given.
  grpc::Status ApplyAct(const caserelay::v1::ActRequest& req,
                        lifecycle::Command cmd, const ActCheck& may,
                        caserelay::v1::CaseView* resp,
                        const ActStep& step = nullptr,
                        const Actor* viewer = nullptr);
  // Act by an office's person (office_api.cc): the role table decides
  // whether the action applies or becomes a proposal; approve and
  // return_proposal answer the pending one (approvals.h).
  grpc::Status OfficeAct(const Actor& actor,
                         const caserelay::v1::ActRequest& req,
                         caserelay::v1::CaseView* resp);
  // Act by the petitioner of a case (petitioner_api.cc): evaluate,
  // request_review, request_rereview on their own case only, reason at
  // most bounds.max_petitioner_reason_chars; the life cycle's windows
  // refuse in plain Chinese (FAILED_PRECONDITION).
  grpc::Status PetitionerAct(const rpc::Principal& petitioner,
                             const caserelay::v1::ActRequest& req,
                             caserelay::v1::CaseView* resp);
  // The name the petitioner of `record` may read for office `code`:
  // nullopt for an accused unit of the case or a member of one (Art. 30)
  // and for an unknown code.
  std::optional<std::string> NameForPetitioner(
      const caserelay::v1::RoutingCaseRecord& record,
      const std::string& code) const;

  // The decision for `matter` of the petitioner `identity_key`, with the
  // earlier cases of the same matter (the `matters` index) read by `read`
  // (from the loop: through its batch, which also holds `uncommitted`),
  // leaving out the case `except_case` (a corrected case is no earlier
  // case of itself).
  absl::StatusOr<caserelay::v1::RouteDecision> Decide(
      const caserelay::v1::Matter& matter, const std::string& identity_key,
      const CaseReader& read, absl::Time now,
      const std::vector<std::string>& uncommitted,
      std::vector<caserelay::v1::RoutingCaseRecord>* same_matter,
      const std::string& except_case = "") const;

  // 更正登记 (correction.cc): fills cmd.correction for a CORRECT of `before`
  // — the registered matter with `req`'s fields (CorrectedMatter) and the
  // decision Decide() gives it, as for a new petition — at `now`. Errors
  // of Decide (INVALID_ARGUMENT naming matter.<field> for an unknown
  // category or region; FAILED_PRECONDITION naming accused-excluded), with
  // `cmd` unchanged.
  absl::Status FillCorrection(const caserelay::v1::RoutingCaseRecord& before,
                              const caserelay::v1::ActRequest::Correct& req,
                              absl::Time now, lifecycle::Command& cmd) const;

  // Apply() of the two payloads.
  absl::Status ApplyPetition(const caserelay::v1::Envelope& event,
                             store::WriteBatch& batch);
  absl::Status ApplySupervision(const caserelay::v1::Envelope& event,
                                store::WriteBatch& batch);

  // The calling office, or UNAUTHENTICATED; PERMISSION_DENIED for a
  // service's identity, and for a petitioner (issue 15) by the rule of
  // access::PetitionerMay for `call` (GetCase, ListInbox, PreviewRoute).
  absl::StatusOr<std::string> Caller(const grpc::ServerContext& ctx,
                                     access::PetitionerCall call) const;
  // As Caller, with the person and their roles (access::EveryRole() for
  // the office's own credential, common/rpc/auth.h).
  absl::StatusOr<Actor> ActorOf(const grpc::ServerContext& ctx,
                                access::PetitionerCall call) const;
  // OK if `actor` may read the case: MayRead for its office, narrowed by
  // its roles' access::ReadScopeOf (kOffice: only the cases the office is
  // named in; kNone: none). PERMISSION_DENIED otherwise.
  absl::Status ReadAs(const Actor& actor,
                      const caserelay::v1::RoutingCaseRecord& record) const;
  // Sets view->allowed_actions to what `actor` may do on `record` now.
  void FillAllowed(const Actor& actor,
                   const caserelay::v1::RoutingCaseRecord& record,
                   caserelay::v1::CaseView* view) const;
  // OK if `office` may see the case's petitioner (and so find the case by
  // the petitioner's name or phone): CaseAccess::MaySeePetitioner over the
  // same parties as MayRead.
  absl::Status MaySeePetitioner(
      const std::string& office,
      const caserelay::v1::RoutingCaseRecord& record) const;
  // The access rule's parties of `record` as `office` asks (MayRead).
  access::CaseParties PartiesOf(
      const std::string& office,
      const caserelay::v1::RoutingCaseRecord& record) const;
  // OK if `office` may read the case: not accused, and its holder, a past
  // holder, a superior bureau or government of the holder, or another
  // party the life cycle names (Lifecycle::IsPartyOf: a review organ).
  // The rule is domain/access's CaseAccess::MayRead.
  absl::Status MayRead(const std::string& office,
                       const caserelay::v1::RoutingCaseRecord& record) const;
  // OK if `office` may take `action` on the case: never an accused unit
  // (Art. 30); otherwise what Lifecycle::MayTake says (the party the
  // table names for the action: the holder, the handler for its result
  // report, the review and re-review organs, the office a supervision
  // awaits a reply from). Checked before the life cycle's Apply, so an
  // office outside the case learns nothing of its state.
  absl::Status MayAct(const std::string& office,
                      caserelay::v1::CaseAction action,
                      const caserelay::v1::RoutingCaseRecord& record) const;
  // PERMISSION_DENIED (Art. 30) if `office` is one of the `accused` units
  // of case `case_id` or a member of one; OK otherwise
  // (CaseAccess::NotAccused).
  absl::Status NotAccused(
      const std::string& office,
      const google::protobuf::RepeatedPtrField<std::string>& accused,
      const std::string& case_id) const;

  const service::Context context_;
  const RoutingParts parts_;
  // The one store's cases; partitioned, the instance-local DB: only its
  // `matters` is read through it (SameMatter).
  const CaseStore cases_;
  const access::CaseAccess access_;  // over parts_.offices

  mutable absl::Mutex mu_;
  // Cases written by the loop's current batch, not yet committed, with the
  // version the batch gives each (partitioned, the loop commits a round
  // one partition at a time: a case stays pending until its own
  // partition's commit shows that version).
  absl::flat_hash_map<std::string, uint64_t> pending_ ABSL_GUARDED_BY(mu_);
  // New cases of the current batch by matter (identity + matter key), so
  // two filings of one matter in one batch are seen as a repeat.
  absl::flat_hash_map<std::string, std::vector<std::string>> pending_matters_
      ABSL_GUARDED_BY(mu_);
  // Supervisions recorded by the current batch ("<case>\0<supervision id>"),
  // so a duplicate in the same batch is skipped like one in the history.
  absl::flat_hash_set<std::string> pending_supervisions_ ABSL_GUARDED_BY(mu_);
};

// The switch of partitioned state (issue 19 item 4): off by default, not
// for production yet (README "Routing as N instances").
inline constexpr char kPartitionedSetting[] = "routing.partitioned";

service::ServiceDefinition RoutingDefinition();

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_ROUTING_SERVICE_H_
