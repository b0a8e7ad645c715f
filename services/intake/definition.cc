#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "services/intake/intake_service.h"

namespace caserelay::intake {
namespace {

// The service and what it owns, for the runner.
class IntakeParts final : public service::Service {
 public:
  IntakeParts(const service::Context& context,
              std::unique_ptr<region::RegionTree> regions,
              std::unique_ptr<offices::OfficeDirectory> offices,
              LookupCodes codes,
              Limits limits, LookupLimits lookup_limits,
              RequestIdOptions request_ids)
      : regions_(std::move(regions)),
        offices_(std::move(offices)),
        impl_(context, regions_.get(), offices_.get(), std::move(codes), limits,
              lookup_limits, request_ids) {}

  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  std::unique_ptr<offices::OfficeDirectory> offices_;
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
      {"offices.dir", T::kPath, "data/offices", false,
       "office data, as routing's: the categories, offices and bureaus a "
       "matter's codes are checked against (a receipt only for a matter "
       "routing can register)"},
      {"lookup.secret", T::kString, "", true,
       "secret from which look-up codes and identity keys are derived "
       "(keep it stable)"},
      {"lookup.max_failures", T::kInt, "5", false,
       "failed status look-ups of one case number before it is locked",
       1, 1000},
      {"lookup.failure_window", T::kDuration, "15m", false,
       "window opened by a case number's first failed look-up, in which "
       "lookup.max_failures count; a lock lasts to its end"},
      {"intake.max_text_chars", T::kInt, "10000", false,
       "longest matter.text accepted, in characters", 1, 100000},
      {"intake.max_list_items", T::kInt, "20", false,
       "most items of each list of a matter (accused_offices, "
       "other_regions, other_categories)",
       1, 200},
      {"intake.request_id_ttl", T::kDuration, "24h", false,
       "how long a caller's request_id is remembered (a retry within it "
       "gets the same case; 1m..30d)"},
  };
  def.column_families = ColumnFamilies();
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    auto regions =
        region::RegionTree::Load(context.config->GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    auto offices = offices::OfficeDirectory::Load(
        context.config->GetPath("offices.dir"), regions->get());
    if (!offices.ok()) return offices.status();
    Limits limits;
    limits.max_text_chars =
        static_cast<int>(context.config->GetInt("intake.max_text_chars"));
    // Ranges are the schema's, checked at load (common/config).
    limits.max_list_items =
        static_cast<int>(context.config->GetInt("intake.max_list_items"));
    LookupLimits lookup_limits;
    lookup_limits.max_failures =
        static_cast<int>(context.config->GetInt("lookup.max_failures"));
    lookup_limits.failure_window =
        context.config->GetDuration("lookup.failure_window");
    if (lookup_limits.failure_window <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(
          "config: lookup.failure_window must be longer than 0");
    }
    RequestIdOptions request_ids;
    request_ids.ttl = context.config->GetDuration("intake.request_id_ttl");
    if (request_ids.ttl < absl::Minutes(1) || request_ids.ttl > absl::Hours(24 * 30)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: intake.request_id_ttl must be 1m..30d, not ",
          absl::FormatDuration(request_ids.ttl)));
    }
    return std::make_unique<IntakeParts>(
        context, *std::move(regions), *std::move(offices),
        LookupCodes(context.config->GetString("lookup.secret")), limits,
        lookup_limits, request_ids);
  };
  return def;
}

}  // namespace caserelay::intake
