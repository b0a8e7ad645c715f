#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

class SupervisionParts final : public service::Service {
 public:
  explicit SupervisionParts(const service::Context& context) : impl_(context) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }

 private:
  SupervisionServiceImpl impl_;
};

}  // namespace

service::ServiceDefinition SupervisionDefinition() {
  service::ServiceDefinition def;
  def.name = "supervision";
  def.summary =
      "mirrors the cases' running deadlines as durable timers and reports "
      "misses";
  // No settings of its own: routing computes every due date (with the
  // holiday calendar); supervision only keeps the timers.
  def.column_families = ColumnFamilies();
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    return std::make_unique<SupervisionParts>(context);
  };
  return def;
}

}  // namespace caserelay::supervision
