#include "services/routing/routing_service.h"

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/convert.h"
#include "domain/routing/router.h"

namespace caserelay::routing {

RoutingServiceImpl::RoutingServiceImpl(const service::Context& context,
                                       const region::RegionTree* regions)
    : context_(context), regions_(regions) {}

grpc::Status RoutingServiceImpl::GetCase(grpc::ServerContext*,
                                         const caserelay::v1::GetCaseRequest* req,
                                         caserelay::v1::CaseView* resp) {
  auto raw = context_.store->Get(kCases, req->case_id());
  if (!raw.ok()) return rpc::ToGrpc(raw.status());
  if (!raw->has_value()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("case_id: no case ", req->case_id().substr(0, 64)));
  }
  caserelay::v1::RoutingCaseRecord record;
  if (!record.ParseFromString(**raw)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "corrupt case record");
  }
  *resp = record.view();
  return grpc::Status::OK;
}

absl::Status RoutingServiceImpl::Apply(const caserelay::v1::Envelope& event,
                                       store::WriteBatch& batch) {
  if (!event.has_petition_received()) {
    return absl::InvalidArgumentError("petitions: expected PetitionReceived");
  }
  const auto& petition = event.petition_received();
  if (petition.case_number().empty() || petition.case_number() != event.case_id()) {
    return absl::InvalidArgumentError("petitions: case number missing or not the key");
  }
  auto known = batch.Get(kCases, event.case_id());
  if (!known.ok()) return known.status();
  if (known->has_value()) return absl::OkStatus();  // routed before

  auto decision = RouteToCountyBureau(petition.matter().region_code(), *regions_);
  if (!decision.ok()) return decision.status();

  absl::Time now = context_.clock->Now();
  caserelay::v1::RoutingCaseRecord record;
  caserelay::v1::CaseView& view = *record.mutable_view();
  view.set_case_id(event.case_id());
  view.set_state(caserelay::v1::CASE_STATE_ROUTED);
  view.set_office_code(decision->office_code);
  view.set_office_name(decision->office_name);
  *view.mutable_matter() = petition.matter();
  view.set_version(1);
  for (const auto& rule : decision->rules) view.add_rules(rule);
  *view.mutable_received_at() = petition.received_at();
  *record.mutable_petitioner() = petition.petitioner();

  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat(event.event_id(), "/routed"));
  out.set_case_id(event.case_id());
  out.set_sequence(1);
  out.set_producer("routing");
  *out.mutable_occurred_at() = rpc::ToProto(now);
  auto* routed = out.mutable_case_routed();
  routed->set_office_code(decision->office_code);
  routed->set_office_name(decision->office_name);
  routed->set_region_code(decision->region_code);
  for (const auto& rule : decision->rules) routed->add_rules(rule);
  routed->set_channel(petition.matter().channel());
  *routed->mutable_petitioner() = petition.petitioner();
  *routed->mutable_received_at() = petition.received_at();

  batch.Put(kCases, event.case_id(), record.SerializeAsString());
  batch.AddOutbox("case-events", event.case_id(), out.SerializeAsString());
  return absl::OkStatus();
}

}  // namespace caserelay::routing
