// The bulletins' schedule (issue 17 item 2, defaults: 每日信访 at 08:00 on
// working days for the previous working day, 周通报 on Monday, 月分析 on
// the 1st; configurable): issues each configured bureau's bulletins when
// they fall due, on the service's clock (a simulated clock drives it in
// tests).
//
// A bulletin is due at `issue_time` (08:00 China time) on its period's
// issue day (bulletin_period.h). Each series (bureau, kind) has a cursor in
// the store: the first day of the last period the schedule has seen to.
// A pass walks every series from the period after its cursor, oldest
// first, issuing each period that is due, and moves the cursor in the same
// batch as the bulletin. So:
//   - a restart neither issues twice (the cursor and the bulletin are
//     saved together; an issued period is found and only passed over) nor
//     skips one (the walk starts after the cursor, however long the
//     service was down, and issues every period that fell due meanwhile);
//   - a bulletin issued on request before its time came is passed over;
//   - a series without a cursor starts with the period that covers the
//     day before the schedule first sees it (so a new deployment does not
//     issue the past), and the cursor is set to the period before it.
// When a bulletin cannot be made (the statistics or the renderer fail),
// its series stops at it and the next pass tries it again. A bulletin due
// before the index has applied case-events through the end of its period
// (BulletinIssuer::CaughtUp) is not an error: its series waits, and the
// thread looks again every second (real time) until the index catches up.
// With several statistics instances (issue 19) every instance runs the
// schedule, but only the issuing one makes a due bulletin
// (ScheduleSettings::may_issue); the others move their cursors as they
// apply its records (bulletin_log.h).
//
// Thread safety: RunDue() may be called from any thread, one call at a
// time; Start() and Stop() from one thread.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_SCHEDULE_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_SCHEDULE_H_

#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "domain/offices/office_directory.h"
#include "services/statistics/bulletins/bulletin_issuer.h"
#include "services/statistics/bulletins/bulletin_period.h"
#include "services/statistics/bulletins/bulletin_store.h"

namespace caserelay::bulletins {

struct ScheduleSettings {
  // The bureaus whose bulletins are issued (bulletins.bureaus).
  std::vector<offices::Office> bureaus;
  // The kinds issued on schedule (bulletins.kinds); the others only on
  // request.
  std::vector<BulletinKind> kinds = {
      BulletinKind::kDaily, BulletinKind::kWeekly, BulletinKind::kMonthly};
  // The time of day (China time) bulletins are due (bulletins.issue_time).
  absl::Duration issue_time = absl::Hours(8);
  // After a failed pass, how long (real time) before the next
  // (bulletins.retry_after).
  absl::Duration retry_after = absl::Seconds(60);
  // Issue 19: whether this instance issues on schedule now (statistics as
  // several instances: the issuer lease's holder once it has applied the
  // bulletins issued before, bulletin_parts.cc). While false a due
  // bulletin whose period the index has caught up with is left to the
  // issuing instance (SchedulePass::deferred; its record moves this
  // instance's cursor when applied) and the thread looks again every
  // second (real time). Unset: always.
  std::function<bool()> may_issue;
};

// What one pass did.
struct SchedulePass {
  int issued = 0;  // bulletins made by this pass
  // When the next bulletin of any series falls due (on the service's
  // clock); absl::InfiniteFuture() without series.
  absl::Time next_due = absl::InfiniteFuture();
  // OK, or the first failure (the series it stopped is retried next pass).
  absl::Status status;
  // A due bulletin waits for the index (CaughtUp's message), not failed.
  absl::Status waiting;
  // A due bulletin was left to the instance that issues
  // (ScheduleSettings::may_issue false).
  bool deferred = false;
};

class BulletinSchedule {
 public:
  // Every pointer must outlive the schedule; none is owned.
  BulletinSchedule(BulletinIssuer* issuer, BulletinStore* store,
                   const PeriodRules* rules, const time::Clock* clock,
                   ScheduleSettings settings)
      : issuer_(issuer),
        store_(store),
        rules_(rules),
        clock_(clock),
        settings_(std::move(settings)) {}
  ~BulletinSchedule() { Stop(); }

  // One pass over every series (see the top comment).
  SchedulePass RunDue();

  // Runs passes on a thread of its own: each when the next bulletin falls
  // due, and retry_after after a failed one (logged for operators). Stop()
  // ends the thread (within about a second) and waits for it; idempotent.
  void Start();
  void Stop();

 private:
  // The instant `period`'s bulletin is due.
  absl::Time DueAt(const BulletinPeriod& period) const;
  // One series: issue what is due; returns the next due instant. Stops at a
  // due bulletin whose period the index has not caught up with, setting
  // pass->waiting (returns that bulletin's due instant).
  absl::StatusOr<absl::Time> RunSeries(const offices::Office& bureau,
                                       BulletinKind kind, SchedulePass* pass);
  bool stopping() const {
    absl::MutexLock lock(&mu_);
    return stopping_;
  }

  // Const after construction; not owned.
  BulletinIssuer* const issuer_;
  BulletinStore* const store_;
  const PeriodRules* const rules_;
  const time::Clock* const clock_;
  const ScheduleSettings settings_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // used by Start() and Stop() only
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_SCHEDULE_H_
