// routing (转送交办): owns the case life cycle and is the single writer of
// "case-events". This first form consumes "petitions", routes each new
// case to the petition bureau of its county (domain/routing) and
// publishes CaseRouted; it serves the case as it holds it over gRPC.
//
// Column families: "cases" (case id -> RoutingCaseRecord).
//
// Thread safety: Apply runs on the consume loop's thread only; the gRPC
// handlers only read the store.

#ifndef CASERELAY_SERVICES_ROUTING_ROUTING_SERVICE_H_
#define CASERELAY_SERVICES_ROUTING_ROUTING_SERVICE_H_

#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/region/region_tree.h"
#include "common/service/service_main.h"

namespace caserelay::routing {

inline constexpr char kCases[] = "cases";

class RoutingServiceImpl final : public caserelay::v1::RoutingService::Service,
                                 public service::EventHandler {
 public:
  // Not owned; both outlive the service.
  RoutingServiceImpl(const service::Context& context,
                     const region::RegionTree* regions);

  grpc::Status GetCase(grpc::ServerContext* ctx,
                       const caserelay::v1::GetCaseRequest* req,
                       caserelay::v1::CaseView* resp) override;

  // PetitionReceived -> route, store the case, publish CaseRouted (event
  // id: the input's id + "/routed"). A petition seen before is skipped.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;

 private:
  const service::Context context_;
  const region::RegionTree* const regions_;
};

service::ServiceDefinition RoutingDefinition();

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_ROUTING_SERVICE_H_
