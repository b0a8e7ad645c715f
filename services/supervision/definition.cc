// supervision's settings and wiring: the region tree and the offices (for
// the 督办 issuer and the subtree queries) and the timer settings.
#include <climits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "domain/lifecycle/deadline_light.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {
namespace {

class SupervisionParts final : public service::Service {
 public:
  SupervisionParts(const service::Context& context,
                   std::unique_ptr<region::RegionTree> regions,
                   std::unique_ptr<offices::OfficeDirectory> offices,
                   SupervisionOptions options)
      : regions_(std::move(regions)),
        offices_(std::move(offices)),
        impl_(context, {regions_.get(), offices_.get()}, options) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  std::unique_ptr<offices::OfficeDirectory> offices_;
  SupervisionServiceImpl impl_;
};

absl::StatusOr<SupervisionOptions> OptionsOf(const config::Config& cfg) {
  SupervisionOptions options;
  const int64_t batch = cfg.GetInt("supervision.fire_batch");
  if (batch < 1 || batch > INT_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: supervision.fire_batch: ", batch,
                     " is not a positive number of timers"));
  }
  options.fire_batch = static_cast<int>(batch);
  options.warning_before = cfg.GetDuration(lifecycle::kWarningBeforeSetting);
  // The schema checks the range (2..1000000).
  options.group_alert_head_count =
      static_cast<int>(cfg.GetInt(kGroupAlertHeadCountSetting));
  return options;
}

}  // namespace

service::ServiceDefinition SupervisionDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "supervision";
  def.summary =
      "keeps the cases' legal deadlines as durable timers, lights the yellow "
      "and red lights, issues 督办 and answers the indicators";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260): the competent bureaus and the subtrees"},
      {"offices.dir", T::kPath, "data/offices", false,
       "office data: the bureaus that issue 督办 and the offices' names"},
      {lifecycle::kWarningBeforeSetting, T::kDuration,
       lifecycle::kWarningBeforeDefault, false,
       "the yellow light (DeadlineWarning) this long before a deadline "
       "falls due; 0 turns warnings off (routing's inbox lights read the "
       "same setting: keep them equal)"},
      {"supervision.fire_batch", T::kInt, "1000", false,
       "timers fired at most per poll of the consume loop (one WriteBatch)"},
      {kGroupAlertHeadCountSetting, T::kInt, kGroupAlertHeadCountDefault,
       false,
       "a group petition (群体访 / 联名) of at least this many persons alerts "
       "its registering bureau (GroupPetitionAlert, figures only; issue 18 "
       "item 3)",
       2, 1000000},
  };
  def.column_families = ColumnFamilies();
  // Issue 19 item 5: every family is per case, so with partitioned state
  // all of them live in the partition DBs and move with their partition
  // (README "Partitions"). Off until supervision_restart_test passes with
  // it: after a SIGKILL the restore takes the instance's own published but
  // unconfirmed changelog records for another owner's, wipes each partition
  // and drops fired timers' unconfirmed outputs (206 of 240,000 lost;
  // common/store/changelog_restore.cc's stale-copy rule must tell its own
  // records apart, and a batch's changelog must not reach Kafka before its
  // outputs). The slow restart and the outbox gauge were fixed (AcquireAll,
  // SumOutboxStats).
  def.partitioned = true;
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    const config::Config& cfg = *context.config;
    auto options = OptionsOf(cfg);
    if (!options.ok()) return options.status();
    auto regions = region::RegionTree::Load(cfg.GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    auto offices = offices::OfficeDirectory::Load(cfg.GetPath("offices.dir"),
                                                  regions->get());
    if (!offices.ok()) return offices.status();
    return std::make_unique<SupervisionParts>(context, *std::move(regions),
                                              *std::move(offices), *options);
  };
  return def;
}

}  // namespace caserelay::supervision
