#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

class SupervisionParts final : public service::Service {
 public:
  SupervisionParts(const service::Context& context, time::Calendar calendar,
                   DeadlineRules rules)
      : calendar_(std::move(calendar)), impl_(context, &calendar_, rules) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }

 private:
  time::Calendar calendar_;
  SupervisionServiceImpl impl_;
};

}  // namespace

service::ServiceDefinition SupervisionDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "supervision";
  def.summary = "keeps legal deadlines as durable timers and reports misses";
  def.settings = {
      {"calendar.dir", T::kPath, "data/holidays", false,
       "holiday tables, one YYYY.tsv per year (working days, 调休)"},
      {"deadline.transfer_days", T::kInt, "15", false,
       "days from receipt to transfer or assign (Regulation Art. 22)"},
  };
  def.column_families = {kDeadlines, kTimers};
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    auto calendar = time::Calendar::Load(context.config->GetPath("calendar.dir"));
    if (!calendar.ok()) return calendar.status();
    DeadlineRules rules;
    rules.transfer_days =
        static_cast<int>(context.config->GetInt("deadline.transfer_days"));
    return std::make_unique<SupervisionParts>(context, *std::move(calendar),
                                              rules);
  };
  return def;
}

}  // namespace caserelay::supervision
