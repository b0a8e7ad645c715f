// intake (受理登记): takes petitions from every channel over gRPC, keeps
// the petitioner's personal data, assigns the case number and look-up
// code, and publishes PetitionReceived on "petitions" through the outbox.
// It answers the petitioner's status look-up from its read model of
// "case-events", and gives notification the phone number at send time.
//
// Column families: "petitioners" (random ref -> the Petitioner sealed
// with AES-256-GCM: petitioner_vault.h), "petitioner-index" (keyed
// digests of names and phones -> case numbers: petitioner_index.h), "cases" (case
// number -> IntakeCaseRecord), "counters" (region-date -> next sequence),
// "requests" (a caller's request_id per channel -> IntakeRequestRecord:
// request_ids.h).
//
// Thread safety: gRPC handlers run concurrently; the writes of submissions
// and receptions run as steps of one GroupCommit (group_commit.h: serialised
// as under one mutex, committed together with one fsync), which keeps case
// and reception numbering and request ids consistent; the read model is
// applied on the consume loop's thread only.

#ifndef CASERELAY_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define CASERELAY_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/config/config.h"
#include "common/region/region_tree.h"
#include "common/rpc/principal.h"
#include "common/service/service_main.h"
#include "domain/offices/office_directory.h"
#include "services/intake/group_commit.h"
#include "services/intake/lookup_code.h"
#include "services/intake/lookup_throttle.h"
#include "services/intake/petitioner_index.h"
#include "services/intake/phone_proof.h"
#include "services/intake/receptions.h"
#include "services/intake/pii_cipher.h"
#include "services/intake/request_ids.h"
#include "services/intake/validation.h"

namespace caserelay::intake {

// GetCaseStatus's RESOURCE_EXHAUSTED message, for the petitioner.
inline constexpr char kTooManyLookUps[] = "查询失败次数过多，请稍后再试。";

inline constexpr char kPetitioners[] = "petitioners";
inline constexpr char kCases[] = "cases";
inline constexpr char kCounters[] = "counters";
// Every family the service's store needs.
inline const std::vector<std::string>& ColumnFamilies() {
  static const auto* const kFamilies = new std::vector<std::string>{
      kPetitioners,    kCases,         kCounters,        kRequests,
      kLookupFailures, kLookupWindows, kLookupAddresses, kLookupAddressEnds,
      kPetitionerIndex, kReceptions};
  return *kFamilies;
}

class IntakeServiceImpl final : public caserelay::v1::IntakeService::Service,
                                public service::EventHandler {
 public:
  // None of the pointers is owned; all outlive the service. The store of
  // `context` has every family of ColumnFamilies(). `pii` seals the
  // petitioners' personal data and holds the identity key's secret.
  // `phone_proofs` redeems online petitions' phone codes; null: no online
  // petition is accepted (UNAVAILABLE). At most `group_commit_max`
  // submissions share one store commit (GroupCommit, group_commit.h).
  IntakeServiceImpl(const service::Context& context,
                    const region::RegionTree* regions,
                    const offices::OfficeDirectory* offices,
                    const PiiCipher* pii, LookupCodes codes, Limits limits,
                    LookupLimits lookup_limits = {},
                    RequestIdOptions request_ids = {},
                    PhoneProofs* phone_proofs = nullptr,
                    int find_max_cases = 100, int group_commit_max = 256);

  // Who may call (issue 14 item 1; rpc::Caller over context.auth): an
  // office or service:web (the portal) submits, looks up and asks the
  // form's limits (DescribeForm); only service:notification resolves
  // contacts. UNAUTHENTICATED without credentials, PERMISSION_DENIED for
  // any other principal.
  //
  // A group petition (群体访 / 联名, issue 18 item 3) keeps each
  // co-representative sealed under a reference of its own
  // (IntakeCaseRecord.co_representatives) and publishes head_count (the
  // persons, petition::EffectiveHeadCount) and representatives.
  //
  // Validates and stores the petition (ValidateSubmission), or, for a
  // request_id the same caller used on the same channel within
  // intake.request_id_ttl, answers the case it made then (request_ids.h):
  // the same request gets the same case number and look-up code; a
  // different one ALREADY_EXISTS. The caller is the principal's Name()
  // (an office code, or service:web). The petitioner gets a
  // random reference (petitioner_vault.h) and is stored sealed.
  //
  // An online petition (the web gateway's call, common/peer's
  // FromWebGateway) must prove its phone (issue 15 item 2): unless it is
  // a retry of a request already accepted (answered as above, with no
  // second code), its phone_proof is redeemed with notification before
  // anything is stored (CheckPhoneProof). Offices' petitions (casectl,
  // letters and visits entered by staff) need no proof; one they send is
  // ignored.
  grpc::Status SubmitPetition(
      grpc::ServerContext* ctx, const caserelay::v1::SubmitPetitionRequest* req,
      caserelay::v1::SubmitPetitionResponse* resp) override;
  // The petitioner's look-up: LookUp for the call's client address
  // (common/peer/client_address.h: the peer's, or the end user's named by the
  // web gateway), its answer as a gRPC status; RESOURCE_EXHAUSTED carries
  // kTooManyLookUps for people.
  grpc::Status GetCaseStatus(
      grpc::ServerContext* ctx, const caserelay::v1::GetCaseStatusRequest* req,
      caserelay::v1::GetCaseStatusResponse* resp) override;
  // The case's state, office and times from the read model, for a client
  // at `address` (a key of common/peer/client_address.h). NOT_FOUND alike for
  // an unknown case number and a wrong code; RESOURCE_EXHAUSTED while the
  // address's budget is spent or the case number waits (LookupThrottle,
  // lookup_limits.h), alike whether the case exists; UNAVAILABLE or
  // DATA_LOSS when the store fails.
  absl::StatusOr<caserelay::v1::GetCaseStatusResponse> LookUp(
      const caserelay::v1::GetCaseStatusRequest& req, std::string_view address);
  // The phone of the petitioner with reference `petitioner.id`, opened
  // from its sealed record, and the case's look-up code when the case is
  // that petitioner's. NOT_FOUND for an unknown reference; DATA_LOSS or
  // FAILED_PRECONDITION when the record does not open (PiiCipher::Open).
  // For service:notification only. With `representative` i > 0 (a group
  // petition, issue 18 item 3) the phone is the case's i-th
  // co-representative's, and only when `petitioner` is the case's own
  // petitioner; NOT_FOUND for any other representative number. Every
  // representative's message carries the case's look-up code.
  grpc::Status ResolveContact(
      grpc::ServerContext* ctx, const caserelay::v1::ResolveContactRequest* req,
      caserelay::v1::ResolveContactResponse* resp) override;
  // The size limits SubmitPetition enforces (the Limits intake was made
  // with, from its settings), for a front end's form. An office or the
  // web gateway, like SubmitPetition; PERMISSION_DENIED for any other
  // principal, UNAUTHENTICATED without credentials.
  grpc::Status DescribeForm(grpc::ServerContext* ctx,
                            const caserelay::v1::DescribeFormRequest* req,
                            caserelay::v1::DescribeFormResponse* resp) override;
  // The console's petitioner search (issue 16): FindPetitionerCases over
  // the petitioner index (petitioner_index.h), at most find_max_cases
  // (intake.find_max_cases), keeping only the cases whose petitioner the
  // caller's office may see (domain/access CaseAccess::MaySeePetitioner
  // over the parties the read model keeps from case events: holder, past
  // holders, accused offices; a case routing has not registered yet is
  // found by nobody). Only an office: its own credential, or the
  // web gateway speaking for one of its users; PERMISSION_DENIED for
  // services and the petitioner, UNAUTHENTICATED without credentials.
  // Nothing of the request is logged.
  grpc::Status FindCases(grpc::ServerContext* ctx,
                         const caserelay::v1::FindCasesRequest* req,
                         caserelay::v1::FindCasesResponse* resp) override;
  // The petitioner of a case for the console's case page (issue 16;
  // petitioner_reads.cc): name, phone and address opened from the sealed
  // record, the ID number masked (log::MaskIdNumber), never the look-up
  // code. Only an office (as FindCases) that MayContactPetitioner of the
  // case, and for a console user within their roles' read scope
  // (domain/access/roles.h MayReadCaseAs, as routing's GetCase: an
  // administrator reads no case); PERMISSION_DENIED "<office> may not see the petitioner of case
  // <id>" alike for an office not entitled, an accused unit and a case
  // intake does not have (no office learns which cases exist or why);
  // PERMISSION_DENIED for services and the petitioner, UNAUTHENTICATED
  // without credentials; DATA_LOSS or FAILED_PRECONDITION when the record
  // does not open, UNAVAILABLE when the store fails. Logs one audit line
  // per call (office, user, case, shown or refused), nothing of the
  // petitioner. *resp is untouched on error.
  grpc::Status GetPetitioner(
      grpc::ServerContext* ctx, const caserelay::v1::GetPetitionerRequest* req,
      caserelay::v1::GetPetitionerResponse* resp) override;

  // 领导接访安排 (issue 18 item 1; reception_service.cc, README.md
  // "Receptions"). PublishReception: a reception of req.office_code (empty:
  // the caller's office) if domain/access MayManageReception lets the
  // caller (PERMISSION_DENIED with its Chinese reason), its fields valid by
  // domain/reception ValidatePublish (INVALID_ARGUMENT naming the field; an
  // unknown office names office_code); a retry with the same request_id
  // answers the same reception, another request under it ALREADY_EXISTS.
  // CancelReception: NOT_FOUND for an unknown id, then the same rule of
  // who, then reception::CheckCancel (FAILED_PRECONDITION on or after its
  // day, or twice); the reception stays listed, cancelled.
  // ListReceptions: any authenticated caller; receptions of days from
  // from_day (default today, China) to to_day, of one office or of the
  // offices within region_code, by day then id, at most 200 (truncated).
  // UNAVAILABLE or DATA_LOSS from the store; *resp untouched on error.
  grpc::Status PublishReception(
      grpc::ServerContext* ctx,
      const caserelay::v1::PublishReceptionRequest* req,
      caserelay::v1::Reception* resp) override;
  grpc::Status CancelReception(
      grpc::ServerContext* ctx,
      const caserelay::v1::CancelReceptionRequest* req,
      caserelay::v1::Reception* resp) override;
  grpc::Status ListReceptions(
      grpc::ServerContext* ctx, const caserelay::v1::ListReceptionsRequest* req,
      caserelay::v1::ListReceptionsResponse* resp) override;

  // The read model: each CaseEvent sets the case's state (to_state), its
  // office (the holder after the event), its parties (access::UpdateParties)
  // and updated_at (the envelope's occurred_at). An event whose sequence is not above the last applied
  // one is skipped, writing nothing (redelivery, replay). NOT_FOUND for a
  // case intake never stored, INVALID_ARGUMENT for another payload
  // (ExpectPayload) or a sequence of 0; nothing is written then.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

 private:
  // SubmitPetition's work (submit.cc) for an authorized `caller`.
  absl::StatusOr<caserelay::v1::SubmitPetitionResponse> Submit(
      const caserelay::v1::SubmitPetitionRequest& req,
      const std::string& caller, bool online);
  // The group's finish (group_commit.h): deletes expired request ids,
  // kRequestSweepBatch per submission of the group (request_ids.h).
  absl::Status SweepExpiredRequests(store::WriteBatch& batch, int submissions);
  // An online petition's phone proof: FAILED_PRECONDITION naming
  // petitioner.phone without a phone, or phone_proof without a challenge
  // and code ("请先验证手机号码"); UNAVAILABLE without a notification
  // client; else PhoneProofs::Redeem's answer.
  absl::Status CheckPhoneProof(
      const caserelay::v1::SubmitPetitionRequest& req) const;
  enum class IntakeCall {
    kSubmitOrLookUp,
    kResolveContact,
    kFindCases,
    kGetPetitioner
  };
  // The principal of `ctx` if it may make `call` (rules above).
  absl::StatusOr<rpc::Principal> Authorize(const grpc::ServerContext* ctx,
                                           IntakeCall call) const;
  absl::StatusOr<std::optional<caserelay::v1::IntakeCaseRecord>> LoadCase(
      std::string_view case_number) const;
  // OK if `office` may see the petitioner of `record` (domain/access
  // CaseAccess::MaySeePetitioner over the parties the read model keeps
  // from case events); its PERMISSION_DENIED otherwise. The one check of
  // FindCases and GetPetitioner.
  absl::Status MayContactPetitioner(
      std::string_view office,
      const caserelay::v1::IntakeCaseRecord& record) const;

  // The reception a visit is registered at (SubmitPetition's
  // reception_id, issue 18 item 1): nullopt when none is named; its
  // ReceptionRef when domain/reception CheckVisit allows it for `caller`
  // (the registering office) on `today`; INVALID_ARGUMENT for an unknown
  // id, FAILED_PRECONDITION citing the rule otherwise.
  absl::StatusOr<std::optional<caserelay::v1::ReceptionRef>> VisitReception(
      const caserelay::v1::SubmitPetitionRequest& req, std::string_view caller,
      absl::CivilDay today) const;
  // The office (code and name, as a Reception) whose schedule the caller
  // of `ctx` asks to change (`office`, empty: the caller's own), if
  // domain/access MayManageReception allows; its PERMISSION_DENIED, or
  // INVALID_ARGUMENT naming office_code for an unknown office.
  absl::StatusOr<caserelay::v1::Reception> ManageableReception(
      const grpc::ServerContext* ctx, std::string_view office) const;

  const service::Context context_;
  const region::RegionTree* const regions_;
  const offices::OfficeDirectory* const offices_;  // loaded over regions_
  const PiiCipher* const pii_;
  const LookupCodes codes_;
  const LookupCodes identity_hmac_;  // under pii_->identity_secret()
  const Limits limits_;
  const RequestIdOptions request_ids_;
  PhoneProofs* const phone_proofs_;  // not owned; may be null
  const int find_max_cases_;
  LookupThrottle throttle_;
  GroupCommit group_;  // after context_, which it uses
};

// The service's definition for RunServiceMain: its settings and factory.
service::ServiceDefinition IntakeDefinition();

// The Limits SubmitPetition enforces (and DescribeForm answers) under
// `config`, loaded with IntakeDefinition()'s settings: intake.max_text_chars
// and intake.max_list_items, the rest Limits' defaults. The schema has
// already checked the ranges.
Limits LimitsFromConfig(const config::Config& config);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_INTAKE_SERVICE_H_
