#include "services/routing/routing_service.h"

namespace caserelay::routing {

namespace {

class RoutingParts final : public service::Service {
 public:
  RoutingParts(const service::Context& context,
               std::unique_ptr<region::RegionTree> regions)
      : regions_(std::move(regions)), impl_(context, regions_.get()) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"petitions", {"petitions"}, &impl_}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  RoutingServiceImpl impl_;
};

}  // namespace

service::ServiceDefinition RoutingDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "routing";
  def.summary =
      "routes petitions to the competent office and writes the case life "
      "cycle to case-events";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260) the routing rules walk"},
  };
  def.column_families = {kCases};
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    auto regions =
        region::RegionTree::Load(context.config->GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    return std::make_unique<RoutingParts>(context, *std::move(regions));
  };
  return def;
}

}  // namespace caserelay::routing
