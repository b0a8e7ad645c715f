// statistics' settings and wiring: the region tree (scopes, subtrees) and
// the offices (who may ask for which scope).
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

#include "services/statistics/statistics_service.h"

namespace caserelay::statistics {
namespace {

// How far the index has applied case-events: the applied-through signal
// of the service's case-events loop (common/service/applied_through.h,
// from the consumer lag). REQUIRES: the runner's loops (Context::loops).
class CaseEventsProgress final : public bulletins::IndexProgress {
 public:
  explicit CaseEventsProgress(const service::LoopProgress* loops)
      : loops_(loops) {}
  absl::Time AppliedThrough() const override {
    return loops_->AppliedThrough("case-events");
  }

 private:
  const service::LoopProgress* const loops_;  // not owned
};

// /readyz: 200 once the index has applied case-events through an end of
// the log taken since the start (`index`, the loop's applied-through on
// the service's clock) and the bulletins' topic likewise (`bulletins`,
// real time; InfiniteFuture without Kafka); 503 saying which is catching
// up before.
admin::HttpResponse Readiness(absl::Time index, absl::Time bulletins) {
  std::string behind;
  if (index == absl::InfinitePast()) {
    behind +=
        "catching up: the index has not yet applied case-events up to the "
        "end of the log (a new or restarted instance reads all of it; its "
        "figures count only what it has applied)\n";
  }
  if (bulletins == absl::InfinitePast()) {
    behind +=
        "catching up: the issued bulletins of statistics-bulletins are not "
        "all applied yet\n";
  }
  if (!behind.empty()) {
    return admin::HttpResponse{503, "text/plain; charset=utf-8", behind};
  }
  return admin::HttpResponse{
      200, "text/plain; charset=utf-8",
      absl::StrCat("ready: case-events applied through ",
                   absl::FormatTime(absl::RFC3339_sec, index,
                                    absl::UTCTimeZone()),
                   "\n")};
}

class StatisticsParts final : public service::Service {
 public:
  StatisticsParts(const service::Context& context,
                  std::unique_ptr<region::RegionTree> regions,
                  std::unique_ptr<offices::OfficeDirectory> offices)
      : regions_(std::move(regions)),
        offices_(std::move(offices)),
        impl_(context, {regions_.get(), offices_.get()}),
        progress_(context.loops) {}
  // The bulletins over this service's index (issue 17 item 2).
  absl::Status MakeBulletins(const service::Context& context) {
    auto bulletins = bulletins::BulletinParts::Create(
        context, &impl_.query(), offices_.get(), regions_.get(), &progress_);
    if (!bulletins.ok()) return bulletins.status();
    bulletins_ = *std::move(bulletins);
    impl_.set_bulletins(bulletins_.get());
    return absl::OkStatus();
  }
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  absl::Status Start() override {
    bulletins_->Start();
    return absl::OkStatus();
  }
  void Stop() override { bulletins_->Stop(); }
  // Issue 19: a new instance reads all of case-events before its figures
  // are whole; /readyz says whether it has (a balancer sends callers to
  // ready instances only).
  std::map<std::string, admin::Handler> AdminRoutes() override {
    return {{"/readyz", [this](const admin::HttpRequest&) {
               return Readiness(progress_.AppliedThrough(),
                                bulletins_->CaughtUpAt());
             }}};
  }
  std::vector<service::Subscription> Subscriptions() override {
    // How far the index has applied case-events decides when a bulletin
    // may be issued (bulletins/README.md).
    return {{"case-events", {"case-events"}, &impl_,
             /*track_applied_through=*/true}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  std::unique_ptr<offices::OfficeDirectory> offices_;
  StatisticsServiceImpl impl_;
  CaseEventsProgress progress_;
  std::unique_ptr<bulletins::BulletinParts> bulletins_;
};

}  // namespace

service::ServiceDefinition StatisticsDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "statistics";
  def.summary =
      "keeps an index of the cases' figures from case-events (a read model) "
      "and answers the volume statistics (信访总量, 同比/环比) and the "
      "indicators from it";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260): the scopes and subtrees figures count in"},
      {"offices.dir", T::kPath, "data/offices", false,
       "office data: who may ask for which scope (domain/access)"},
  };
  for (config::Setting& setting : bulletins::BulletinSettings()) {
    def.settings.push_back(std::move(setting));
  }
  def.column_families = ColumnFamilies();
  // Issue 19: every instance a full replica of the index (it reads every
  // partition of case-events into its own store); the bulletins are
  // recorded on a topic every instance applies (bulletins/bulletin_log.h).
  def.replicated = true;
  def.own_topics = {bulletins::kBulletinsTopic};
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    const config::Config& cfg = *context.config;
    if (context.loops == nullptr) {
      return absl::FailedPreconditionError(
          "statistics: no consume loops to tell how far the index has applied "
          "case-events");
    }
    auto regions = region::RegionTree::Load(cfg.GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    auto offices = offices::OfficeDirectory::Load(cfg.GetPath("offices.dir"),
                                                  regions->get());
    if (!offices.ok()) return offices.status();
    auto parts = std::make_unique<StatisticsParts>(
        context, *std::move(regions), *std::move(offices));
    if (absl::Status s = parts->MakeBulletins(context); !s.ok()) return s;
    return parts;
  };
  return def;
}

}  // namespace caserelay::statistics
