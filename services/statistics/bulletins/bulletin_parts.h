// The bulletins inside the statistics service (issue 17 item 2): their
// settings, the parts built from them (calendar, period rules, WeasyPrint,
// store, figures from the service's own index, issuer, schedule), and the
// three RPCs' logic without the transport (the gRPC handlers in
// services/statistics/bulletin_handlers.cc check the caller's access and
// call these).
//
// Thread safety: Issue/List/Get may be called from any thread; Start and
// Stop from the main thread.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_PARTS_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_PARTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/statistics.pb.h"
#include "common/config/config.h"
#include "common/region/region_tree.h"
#include "common/service/service_main.h"
#include "common/time/calendar.h"
#include "domain/offices/office_directory.h"
#include "services/statistics/bulletins/bulletin_issuer.h"
#include "services/statistics/bulletins/bulletin_log.h"
#include "services/statistics/bulletins/bulletin_store.h"
#include "services/statistics/bulletins/compose.h"
#include "services/statistics/bulletins/issuer_lease.h"
#include "services/statistics/bulletins/pdf_renderer.h"
#include "services/statistics/bulletins/schedule.h"
#include "services/statistics/query.h"

namespace caserelay::bulletins {

// The settings of the bulletins, for the statistics service's schema:
// bulletins.bureaus, .kinds, .issue_time, .weekly_day, .monthly_day,
// .weasyprint, .pdf_timeout, .retry_after, and calendar.dir and
// calendar.uncovered_years (as routing's).
std::vector<config::Setting> BulletinSettings();

class BulletinParts {
 public:
  // Builds the parts from the settings. `query`, `offices`, `regions` and
  // `progress` (how far the index has applied case-events) are not owned
  // and must outlive the parts; context.store must have
  // kBulletinsFamily. Errors (start-up config, fail fast): INVALID_ARGUMENT
  // naming the setting (a bulletins.bureaus entry that is not a petition
  // bureau, an unknown kind or weekday, a malformed issue_time); the
  // calendar's errors.
  static absl::StatusOr<std::unique_ptr<BulletinParts>> Create(
      const service::Context& context, const statistics::StatisticsQuery* query,
      const offices::OfficeDirectory* offices,
      const region::RegionTree* regions, const IndexProgress* progress);

  // Starts / stops the follower of statistics-bulletins and the issuer's
  // membership (with Kafka), and the schedule's thread (none without
  // bureaus).
  void Start();
  void Stop();

  // When the follower of statistics-bulletins last had every record
  // applied (BulletinLog::CaughtUpAt); InfiniteFuture without Kafka.
  absl::Time CaughtUpAt() const {
    return log_ != nullptr ? log_->CaughtUpAt() : absl::InfiniteFuture();
  }

  // The bureau a request is about, for the access check: the request's
  // bureau_code (Issue, List) or the bulletin's (Get). INVALID_ARGUMENT for
  // a code that is not a petition bureau's; NOT_FOUND for an unknown
  // bulletin.
  absl::StatusOr<offices::Office> BureauOf(absl::string_view bureau_code) const;
  absl::StatusOr<offices::Office> BureauOfBulletin(absl::string_view id) const;

  // IssueBulletin: INVALID_ARGUMENT for a bad kind or day (naming the
  // field), then BulletinIssuer::Issue's answer and errors.
  absl::StatusOr<caserelay::v1::IssueBulletinResponse> Issue(
      const caserelay::v1::IssueBulletinRequest& request);
  // ListBulletins: INVALID_ARGUMENT for a page_size outside 0..500 or a
  // bad token; the store's errors.
  absl::StatusOr<caserelay::v1::ListBulletinsResponse> List(
      const caserelay::v1::ListBulletinsRequest& request) const;
  // GetBulletin: NOT_FOUND for an unknown id; INVALID_ARGUMENT for an
  // unknown format; the store's errors.
  absl::StatusOr<caserelay::v1::GetBulletinResponse> Get(
      const caserelay::v1::GetBulletinRequest& request) const;

 private:
  BulletinParts() = default;

  // Const after Create(); the later ones point into the earlier ones.
  const offices::OfficeDirectory* offices_ = nullptr;
  std::unique_ptr<time::Calendar> calendar_;
  std::unique_ptr<PeriodRules> rules_;
  std::unique_ptr<WeasyPrintRenderer> renderer_;
  std::unique_ptr<BulletinStore> store_;
  std::unique_ptr<QueryContentSource> source_;
  // Issue 19, with Kafka (Context::consumer_options): the topic every
  // instance follows and records its bulletins on, and who issues on
  // schedule. Null in a service without Kafka (unit tests): the issuer
  // saves to the store.
  std::unique_ptr<BulletinLog> log_;
  std::unique_ptr<IssuerLease> lease_;
  std::unique_ptr<BulletinIssuer> issuer_;
  std::unique_ptr<BulletinSchedule> schedule_;
  bool scheduled_ = false;  // any bureau in bulletins.bureaus
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_PARTS_H_
