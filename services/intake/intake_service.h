// intake (受理登记): takes petitions from every channel over gRPC, keeps
// the petitioner's personal data, assigns the case number and look-up
// code, and publishes PetitionReceived on "petitions" through the outbox.
// It answers the petitioner's status look-up from its read model of
// "case-events", and gives notification the phone number at send time.
//
// Column families: "petitioners" (ref -> Petitioner), "cases" (case
// number -> IntakeCaseRecord), "counters" (region-date -> next sequence),
// "requests" (request_id -> case number).
//
// Thread safety: gRPC handlers run concurrently; submissions serialise on
// submit_mu_ (case numbering); the read model is applied on the consume
// loop's thread only.

#ifndef CASERELAY_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define CASERELAY_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/region/region_tree.h"
#include "common/service/service_main.h"
#include "services/intake/lookup_code.h"
#include "services/intake/validation.h"

namespace caserelay::intake {

inline constexpr char kPetitioners[] = "petitioners";
inline constexpr char kCases[] = "cases";
inline constexpr char kCounters[] = "counters";
inline constexpr char kRequests[] = "requests";

class IntakeServiceImpl final : public caserelay::v1::IntakeService::Service,
                                public service::EventHandler {
 public:
  // None of the pointers is owned; all outlive the service.
  IntakeServiceImpl(const service::Context& context,
                    const region::RegionTree* regions, LookupCodes codes,
                    Limits limits);

  grpc::Status SubmitPetition(
      grpc::ServerContext* ctx,
      const caserelay::v1::SubmitPetitionRequest* req,
      caserelay::v1::SubmitPetitionResponse* resp) override;
  grpc::Status GetCaseStatus(grpc::ServerContext* ctx,
                             const caserelay::v1::GetCaseStatusRequest* req,
                             caserelay::v1::GetCaseStatusResponse* resp) override;
  grpc::Status ResolveContact(
      grpc::ServerContext* ctx,
      const caserelay::v1::ResolveContactRequest* req,
      caserelay::v1::ResolveContactResponse* resp) override;

  // The read model: case-events update the cases' state and office.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

 private:
  absl::StatusOr<caserelay::v1::SubmitPetitionResponse> Submit(
      const caserelay::v1::SubmitPetitionRequest& req);
  absl::StatusOr<std::optional<caserelay::v1::IntakeCaseRecord>> LoadCase(
      std::string_view case_number) const;

  const service::Context context_;
  const region::RegionTree* const regions_;
  const LookupCodes codes_;
  const Limits limits_;
  absl::Mutex submit_mu_;
};

// The service's definition for RunServiceMain: its settings and factory.
service::ServiceDefinition IntakeDefinition();

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_INTAKE_SERVICE_H_
