#include "services/statistics/bulletins/schedule.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/time/china_time.h"

namespace caserelay::bulletins {

absl::Time BulletinSchedule::DueAt(const BulletinPeriod& period) const {
  return time::StartOf(period.issue_day) + settings_.issue_time;
}

absl::StatusOr<absl::Time> BulletinSchedule::RunSeries(
    const offices::Office& bureau, BulletinKind kind, SchedulePass* pass) {
  absl::StatusOr<std::optional<absl::CivilDay>> cursor =
      store_->ScheduleCursor(bureau.code, kind);
  if (!cursor.ok()) return cursor.status();
  absl::StatusOr<BulletinPeriod> last;
  if (cursor->has_value()) {
    last = rules_->Covering(kind, **cursor);
  } else {
    // A new series: start with the period covering yesterday, so the
    // cursor is the period before it.
    absl::StatusOr<BulletinPeriod> first =
        rules_->Covering(kind, time::ChinaDay(clock_->Now()) - 1);
    if (!first.ok()) return first.status();
    last = rules_->Covering(kind, first->first - 1);
    if (!last.ok()) return last.status();
    absl::Status set =
        store_->SetScheduleCursor(bureau.code, kind, last->first);
    if (!set.ok()) return set;
  }
  if (!last.ok()) return last.status();
  while (true) {
    absl::StatusOr<BulletinPeriod> next = rules_->Next(*last);
    if (!next.ok()) return next.status();
    const absl::Time due = DueAt(*next);
    if (clock_->Now() < due) return due;
    if (absl::Status caught_up = issuer_->CaughtUp(*next); !caught_up.ok()) {
      if (pass->waiting.ok()) {
        pass->waiting = absl::Status(
            caught_up.code(), absl::StrCat(bureau.code, " ", KindWord(kind),
                                           ": ", caught_up.message()));
      }
      return due;
    }
    if (settings_.may_issue && !settings_.may_issue()) {
      pass->deferred = true;  // another instance issues it
      return due;
    }
    absl::StatusOr<Issued> made =
        issuer_->Issue(bureau, kind, next->first, /*scheduled=*/true);
    if (!made.ok()) return made.status();
    if (made->already_issued) {
      // Issued on request before the schedule came to it.
      absl::Status set =
          store_->SetScheduleCursor(bureau.code, kind, next->first);
      if (!set.ok()) return set;
    } else {
      ++pass->issued;
      log::Info("bulletin issued",
                {{"id", made->bulletin.id()},
                 {"number", absl::StrCat(made->bulletin.year(), "/",
                                         made->bulletin.number())}});
    }
    last = next;
  }
}

SchedulePass BulletinSchedule::RunDue() {
  SchedulePass pass;
  for (const offices::Office& bureau : settings_.bureaus) {
    for (BulletinKind kind : settings_.kinds) {
      absl::StatusOr<absl::Time> due = RunSeries(bureau, kind, &pass);
      if (!due.ok()) {
        if (pass.status.ok()) {
          pass.status =
              absl::Status(due.status().code(),
                           absl::StrCat(bureau.code, " ", KindWord(kind), ": ",
                                        due.status().message()));
        }
        continue;
      }
      pass.next_due = std::min(pass.next_due, *due);
    }
  }
  return pass;
}

void BulletinSchedule::Start() {
  thread_ = std::thread([this] {
    bool was_waiting = false;
    while (!stopping()) {
      SchedulePass pass = RunDue();
      if (!pass.waiting.ok()) {
        if (!was_waiting) {
          log::Info("bulletin schedule: a due bulletin waits for the index",
                    {{"reason", std::string(pass.waiting.message())}});
        }
        was_waiting = true;
        // Real time: the index catches up on its own loop.
        clock_->WaitUntil(absl::InfiniteFuture(), absl::Seconds(1));
        continue;
      }
      was_waiting = false;
      if (pass.deferred) {
        // Real time: the issuing instance makes it, and this one applies
        // it from statistics-bulletins (or takes over).
        clock_->WaitUntil(absl::InfiniteFuture(), absl::Seconds(1));
        continue;
      }
      if (!pass.status.ok()) {
        log::Warn(
            "bulletin schedule: a bulletin could not be issued; retrying",
            {{"error", std::string(pass.status.message())},
             {"retry_after", absl::FormatDuration(settings_.retry_after)}});
        // Real time, in slices so that Stop() is quick.
        for (absl::Duration waited;
             waited < settings_.retry_after && !stopping();
             waited += absl::Seconds(1)) {
          clock_->WaitUntil(absl::InfiniteFuture(), absl::Seconds(1));
        }
        continue;
      }
      clock_->WaitUntil(pass.next_due, absl::Seconds(1));
    }
  });
}

void BulletinSchedule::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace caserelay::bulletins
