#include "common/log/log.h"
#include "services/intake/intake_service.h"

namespace caserelay::intake {
namespace {

// The service and what it owns, for the runner.
class IntakeParts final : public service::Service {
 public:
  IntakeParts(const service::Context& context,
              std::unique_ptr<region::RegionTree> regions, LookupCodes codes,
              Limits limits)
      : regions_(std::move(regions)),
        impl_(context, regions_.get(), std::move(codes), limits) {}

  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  IntakeServiceImpl impl_;
};

}  // namespace

service::ServiceDefinition IntakeDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "intake";
  def.summary =
      "takes petitions over gRPC, keeps personal data, publishes "
      "PetitionReceived, answers status look-ups";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260) used to check matter.region_code"},
      {"lookup.secret", T::kString, "", true,
       "secret from which look-up codes are derived (keep it stable)"},
      {"intake.max_text_chars", T::kInt, "10000", false,
       "longest matter.text accepted, in characters"},
  };
  def.column_families = {kPetitioners, kCases, kCounters, kRequests};
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    auto regions =
        region::RegionTree::Load(context.config->GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    Limits limits;
    limits.max_text_chars =
        static_cast<int>(context.config->GetInt("intake.max_text_chars"));
    return std::make_unique<IntakeParts>(
        context, *std::move(regions),
        LookupCodes(context.config->GetString("lookup.secret")), limits);
  };
  return def;
}

}  // namespace caserelay::intake
