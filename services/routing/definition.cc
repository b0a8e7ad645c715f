// routing's settings and wiring: the region tree, the offices, the
// routing rules and the life cycle with its configurable deadlines.
#include <algorithm>
#include <climits>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/time/calendar.h"
#include "common/time/calendar_setup.h"
#include "common/time/china_time.h"
#include "common/time/statutory_holidays.h"
#include "domain/lifecycle/deadline_light.h"
#include "services/routing/charged_index.h"
#include "services/routing/directory_resolver.h"
#include "services/routing/inbox_index.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

namespace {

// The deadline settings, each a number of DOMAIN.md "Deadlines".
struct DeadlineSetting {
  const char* key;
  int lifecycle::Policy::*field;
  const char* help;
};

const std::vector<DeadlineSetting>& DeadlineSettings() {
  using P = lifecycle::Policy;
  static const auto* settings = new std::vector<DeadlineSetting>{
      {"deadline.transfer_days", &P::transfer_days,
       "days for the bureau to register and transfer/assign (Art. 22)"},
      {"deadline.acceptance_days", &P::acceptance_days,
       "days for the handling organ's notice of acceptance (Art. 23)"},
      {"deadline.objection_working_days", &P::objection_working_days,
       "working days to object that a case is outside the remit (Art. 23)"},
      {"deadline.handling_days", &P::handling_days,
       "days from acceptance to the written opinion (Art. 34)"},
      {"deadline.max_extension_days", &P::max_extension_days,
       "longest extension of the handling time, granted once (Art. 34)"},
      {"deadline.simplified_working_days", &P::simplified_working_days,
       "working days for simplified handling (简易办理)"},
      {"deadline.review_request_days", &P::review_request_days,
       "days after the opinion to request a review (Art. 35)"},
      {"deadline.review_days", &P::review_days,
       "days to decide a review (Art. 35)"},
      {"deadline.rereview_request_days", &P::rereview_request_days,
       "days after the review to request a re-review (Art. 36)"},
      {"deadline.rereview_days", &P::rereview_days,
       "days to decide a re-review, hearings not counted (Art. 36)"},
      {"deadline.result_report_days", &P::result_report_days,
       "days for an assigned (交办) case's result report"},
      {"deadline.supervision_reply_days", &P::supervision_reply_days,
       "days to answer a supervision proposal (督办, 2005 Art. 36)"},
      {"deadline.service_days", &P::service_days,
       "days for the deciding office to record the service (送达) of its "
       "written opinion or review decision (local practice; the review "
       "windows of Arts. 35-36 count from the recorded receipt)"},
  };
  return *settings;
}

class RoutingService final : public service::Service {
 public:
  RoutingService(const service::Context& context,
                 std::unique_ptr<region::RegionTree> regions,
                 std::unique_ptr<offices::OfficeDirectory> offices,
                 std::unique_ptr<StatutoryRoutes> routes,
                 time::Calendar calendar, lifecycle::Policy policy,
                 RequestBounds bounds, InboxSettings inbox,
                 int charge_quota_per_quarter)
      : regions_(std::move(regions)),
        offices_(std::move(offices)),
        routes_(std::move(routes)),
        calendar_(std::move(calendar)),
        resolver_(offices_.get()),
        router_(regions_.get(), offices_.get(), routes_.get()),
        lifecycle_(policy, &calendar_, &resolver_),
        impl_(context,
              RoutingParts{offices_.get(), &router_, &lifecycle_, context.auth,
                           bounds, inbox, charge_quota_per_quarter}),
        partitioned_(context.partitions != nullptr) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    // One loop for both topics: the handler's pending-case bookkeeping
    // assumes a single loop (and a single batch) writes cases.
    if (partitioned_) {
      // routing.partitioned (not for production yet): petitions only. The
      // loop holds a partition number for whichever of its topics' same
      // partition the group assigns, and cooperative-sticky assigns each
      // topic's partitions on its own (seen: 16 topic-partitions spread
      // 6/5/5 over three instances, no number co-assigned), so
      // supervision-events/p would be applied by another instance than
      // the owner of petitions/p. Until the loop co-assigns its topics,
      // 督办 are not recorded in this mode (README "Routing as N
      // instances").
      return {{"routing-inputs", {"petitions"}, &impl_}};
    }
    return {{"routing-inputs", {"petitions", "supervision-events"}, &impl_}};
  }

 private:
  std::unique_ptr<region::RegionTree> regions_;
  std::unique_ptr<offices::OfficeDirectory> offices_;
  std::unique_ptr<StatutoryRoutes> routes_;
  time::Calendar calendar_;
  DirectoryResolver resolver_;
  Router router_;
  lifecycle::Lifecycle lifecycle_;
  RoutingServiceImpl impl_;
  const bool partitioned_;  // routing.partitioned
};

absl::StatusOr<lifecycle::Policy> PolicyOf(const config::Config& cfg) {
  lifecycle::Policy policy;
  for (const auto& s : DeadlineSettings()) {
    policy.*(s.field) = static_cast<int>(
        std::clamp<int64_t>(cfg.GetInt(s.key), INT32_MIN, INT32_MAX));
  }
  if (absl::Status s = lifecycle::ValidatePolicy(policy); !s.ok()) {
    // The policy's fields are the deadline.* settings' names.
    return absl::InvalidArgumentError(
        absl::StrCat("config: deadline.* settings: ", s.message()));
  }
  return policy;
}

// The holiday tables (the State Council's notices) and, for a year without
// one, what calendar.uncovered_years says: by default the statutory days
// derived from the law (common/time/calendar_setup.h). Each year counted
// without a notice is logged once (a warning) and shown on /metrics, so an
// operator knows to add its table when the notice is published; this year
// and next year are looked at now, so that they are reported at start.
absl::StatusOr<time::Calendar> LoadCalendar(const config::Config& cfg,
                                            metrics::Registry* metrics,
                                            absl::Time now) {
  const std::string dir = cfg.GetPath("calendar.dir");
  const std::string setting = cfg.GetString("calendar.uncovered_years");
  auto mode = time::ParseUncoveredYears(setting);
  if (!mode.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: calendar.uncovered_years: ", mode.status().message()));
  }
  auto calendar =
      time::LoadCalendar(dir, *mode, [metrics, dir](absl::civil_year_t year) {
        log::Warn(
            "calendar: no State Council notice for this year; its deadlines "
            "count the statutory holidays derived from the law and weekends "
            "only (no 调休): add its YYYY.tsv when the notice is published "
            "and restart routing",
            {{"year", std::to_string(year)},
             {"rule", time::StatutoryRuleName(year)},
             {"dir", dir}});
        metrics
            ->GetGauge("caserelay_calendar_year_without_notice",
                       "Years in use that have no State Council notice in "
                       "calendar.dir: their rest days are derived from the "
                       "law (1 per year).",
                       {{"year", std::to_string(year)}})
            .Set(1);
      });
  if (!calendar.ok()) return calendar;
  const absl::civil_year_t year = time::ChinaDay(now).year();
  for (absl::civil_year_t y : {year, year + 1}) {
    if (calendar->Covers(y)) continue;
    if (*mode == time::UncoveredYears::kDeriveFromLaw) {
      // Derives the year now (and reports it through the callback); a year
      // the law cannot give is refused later, per question, and said here.
      if (auto day = calendar->Describe(absl::CivilDay(y, 1, 1)); !day.ok()) {
        log::Warn("calendar: year cannot be counted",
                  {{"year", std::to_string(y)},
                   {"error", std::string(day.status().message())}});
      }
      continue;
    }
    log::Warn(
        absl::StrCat("calendar: no holiday table; deadlines in that year ",
                     *mode == time::UncoveredYears::kWeekendsOnly
                         ? "count Saturdays and Sundays only (provisional)"
                         : "are refused",
                     " until its YYYY.tsv is added from the State Council's "
                     "notice"),
        {{"year", std::to_string(y)}, {"dir", dir}});
  }
  return calendar;
}

// A store written before the inbox_state index (issue 20 item 4) gets it
// from the inbox index, once, before the loop and the RPCs start: a
// state-filtered ListInbox reads only that index.
absl::Status BackfillInboxState(store::Store& store) {
  InboxIndex::BackfillOptions options;
  options.progress = [](int64_t entries, absl::Duration took, bool done) {
    log::Info(done ? "inbox_state index: backfilled from the inbox index"
                   : "inbox_state index: backfilling from the inbox index",
              {{"entries", std::to_string(entries)},
               {"seconds", absl::StrCat(absl::ToDoubleSeconds(took))}});
  };
  auto written = InboxIndex::Backfill(store, options);
  if (!written.ok()) {
    return absl::Status(written.status().code(),
                        absl::StrCat("inbox_state index: backfill failed: ",
                                     written.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace

service::ServiceDefinition RoutingDefinition() {
  using T = config::Setting::Type;
  service::ServiceDefinition def;
  def.name = "routing";
  def.summary =
      "routes petitions by the rules of the Regulation, owns the case life "
      "cycle (case-events) and serves the offices";
  def.settings = {
      {"regions.path", T::kPath, "data/regions/regions.tsv", false,
       "region tree (GB/T 2260) the routing rules walk"},
      {"offices.dir", T::kPath, "data/offices", false,
       "office data: departments, categories (依法分类处理清单), overrides"},
      {"routes.path", T::kPath, "data/routing/statutory_routes.tsv", false,
       "what the petitioner is told for each statutory route (Art. 31)"},
      {"calendar.dir", T::kPath, "data/holidays", false,
       "holiday tables (one <year>.tsv each) for working-day deadlines"},
      {"calendar.uncovered_years", T::kString, "law", false,
       "a year without a table: 'law' counts the statutory holidays derived "
       "from the 放假办法 and weekends (warned once per year, and on /metrics "
       "as caserelay_calendar_year_without_notice), 'weekends' its Saturdays "
       "and Sundays only, 'refuse' refuses every action whose deadline needs "
       "it"},
      {"routing.max_reason_chars", T::kInt, "2000", false,
       "longest free text an office writes in one action (ActRequest "
       "reason, decline route), in characters, 100..20000"},
      {"routing.inbox_scan_limit", T::kInt, "2000", false,
       "most inbox index entries one ListInbox call looks at when its "
       "filters skip entries (a page may end early, with a token to go on)",
       100, 10000000},
      {"leadership.charge_quota_per_quarter", T::kInt, "2", false,
       "领导包案: how many cases each leader of a people's government is to "
       "take in charge per quarter (a local target; 0: none), reported "
       "beside the count in ListChargedCases and casectl charged",
       0, 1000},
      {lifecycle::kWarningBeforeSetting, T::kDuration,
       lifecycle::kWarningBeforeDefault, false,
       "the inbox's yellow light this long before a deadline falls due; "
       "the same setting as supervision's DeadlineWarning: keep them equal"},
      {kPartitionedSetting, T::kBool, "false", false,
       "run as N instances with each case's state in its partition's DB "
       "(issue 19; kafka.partitions, routing-changelog, routing-owners): "
       "per-case calls go to the case's owner, an office's lists are asked "
       "of every instance. NOT FOR PRODUCTION YET: the index of earlier "
       "cases of a petitioner's matter stays per instance, so a repeat, "
       "越级 or 信访终结 is recognised only against earlier cases of the same "
       "partition (README 'Routing as N instances')"},
  };
  const lifecycle::Policy defaults;
  for (const auto& s : DeadlineSettings()) {
    def.settings.push_back(
        {s.key, T::kInt, std::to_string(defaults.*(s.field)), false, s.help});
  }
  def.column_families = ColumnFamilies();
  // routing.partitioned (off by default): every family but `matters` is
  // one case's and goes to its partition; `matters` stays instance-local
  // until the repartition by identity (README, design B).
  def.partitioned_setting = kPartitionedSetting;
  def.local_column_families = {kMatters};
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    const config::Config& cfg = *context.config;
    auto policy = PolicyOf(cfg);
    if (!policy.ok()) return policy.status();
    auto regions = region::RegionTree::Load(cfg.GetPath("regions.path"));
    if (!regions.ok()) return regions.status();
    auto offices = offices::OfficeDirectory::Load(cfg.GetPath("offices.dir"),
                                                  regions->get());
    if (!offices.ok()) return offices.status();
    auto routes = StatutoryRoutes::Load(cfg.GetPath("routes.path"));
    if (!routes.ok()) return routes.status();
    auto calendar = LoadCalendar(cfg, context.metrics, context.clock->Now());
    if (!calendar.ok()) return calendar.status();
    RequestBounds bounds;
    const int64_t max_reason = cfg.GetInt("routing.max_reason_chars");
    if (max_reason < 100 || max_reason > 20000) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: routing.max_reason_chars must be 100..20000, not ",
          max_reason));
    }
    bounds.max_reason_chars = static_cast<int>(max_reason);
    InboxSettings inbox;
    inbox.scan_limit =
        static_cast<int>(cfg.GetInt("routing.inbox_scan_limit"));
    inbox.warning_before = cfg.GetDuration(lifecycle::kWarningBeforeSetting);
    const int quota =
        static_cast<int>(cfg.GetInt("leadership.charge_quota_per_quarter"));
    // A partition DB is written with both inbox indexes from its first
    // case (partitioned mode came after inbox_state): nothing to backfill.
    if (context.partitions == nullptr) {
      if (absl::Status s = BackfillInboxState(*context.store); !s.ok()) {
        return s;
      }
    }
    return std::make_unique<RoutingService>(
        context, *std::move(regions), *std::move(offices), *std::move(routes),
        *std::move(calendar), *policy, bounds, inbox, quota);
  };
  return def;
}

}  // namespace caserelay::routing
