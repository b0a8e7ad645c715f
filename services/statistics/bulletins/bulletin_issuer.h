// Issuing a bulletin (印发通报; issue 17 item 2): the one path by which a
// bulletin comes to exist, for the schedule (schedule.h) and for
// IssueBulletin / `casectl bulletin` alike.
//
// Issue(bureau, kind, day):
//   1. the period of `kind` that covers `day` (bulletin_period.h); its id
//      is "<bureau>/<kind>/<first day>";
//   2. if that bulletin exists it is returned as it is (already_issued):
//      a bulletin is issued once and never changes;
//   3. else, once the period is over on the service's clock and the index
//      has applied case-events through its end (IndexProgress), its 期号
//      is the next of the series (bureau, kind, year of the due day), the
//      figures come from the ContentSource, the HTML, CSV and PDF are
//      rendered, and all is saved in one batch (bulletin_store.h), or,
//      with several instances, recorded on statistics-bulletins
//      (IssueRecorder, bulletin_log.h), which may find another instance's
//      bulletin of the same id first.
// Steps 2-3 run under one lock, so two requests for the same bulletin
// make one, and the numbers of a series have no gaps and no repeats.
// Rendering a PDF can take tens of seconds on a loaded machine; bulletins
// are few, so they are made one at a time.
//
// Thread safety: thread-safe.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_ISSUER_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_ISSUER_H_

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/statistics.pb.h"
#include "common/time/clock.h"
#include "domain/offices/office_directory.h"
#include "services/statistics/bulletins/bulletin_content.h"
#include "services/statistics/bulletins/bulletin_period.h"
#include "services/statistics/bulletins/bulletin_store.h"
#include "services/statistics/bulletins/pdf_renderer.h"

namespace caserelay::bulletins {

// Where a bulletin's figures come from (compose.h: the statistics' index).
// Implementations are thread-safe.
class ContentSource {
 public:
  virtual ~ContentSource() = default;

  // The figures of `bureau`'s subtree over `period`: every field of
  // BulletinContent but bureau_*, period, year, number and issued_at,
  // which the issuer sets. Errors are the statistics' (UNAVAILABLE,
  // DATA_LOSS, ...), returned unchanged.
  virtual absl::StatusOr<BulletinContent> Figures(
      const offices::Office& bureau, const BulletinPeriod& period) const = 0;
};

// How far the statistics' index has applied case-events: the consume
// loop's applied-through signal (common/service/applied_through.h), taken
// from the consumer lag. Implementations are thread-safe.
class IndexProgress {
 public:
  virtual ~IndexProgress() = default;

  // Every case-event that was in the log at the returned instant (the
  // service's clock) is in the index; InfinitePast before the first.
  virtual absl::Time AppliedThrough() const = 0;
};

struct Issued {
  caserelay::v1::Bulletin bulletin;
  bool already_issued = false;
};

// Where a made bulletin is recorded as issued: the one order in which
// bulletins come to exist. Without one the issuer saves to the store
// (BulletinStore::Save: one instance). With several statistics instances
// (issue 19) it is the topic statistics-bulletins, which every instance
// applies to its own store (bulletin_log.h). Implementations are
// thread-safe.
class IssueRecorder {
 public:
  virtual ~IssueRecorder() = default;

  // Records `record` (complete, as BulletinStore::Save wants it) with its
  // documents, and returns what is recorded under record.id() then:
  // `record` (already_issued false), or the bulletin another instance
  // recorded first (already_issued true). Errors: ABORTED when another
  // instance took the series' number meanwhile (nothing recorded: make it
  // again); DEADLINE_EXCEEDED or UNAVAILABLE when it is not known yet
  // whether it was recorded (asking again finds it); the store's errors.
  virtual absl::StatusOr<Issued> Record(const caserelay::v1::Bulletin& record,
                                        const Documents& documents) = 0;
};

class BulletinIssuer {
 public:
  // Every argument must outlive the issuer; none is owned. `recorder`:
  // where a made bulletin is recorded (null: saved to `store`).
  BulletinIssuer(BulletinStore* store, const PeriodRules* rules,
                 const ContentSource* source, const PdfRenderer* renderer,
                 const time::Clock* clock, const IndexProgress* progress,
                 IssueRecorder* recorder = nullptr)
      : store_(store),
        rules_(rules),
        source_(source),
        renderer_(renderer),
        clock_(clock),
        progress_(progress),
        recorder_(recorder) {}

  // OK once the index has applied case-events through the end of `period`
  // (00:00 after its last day, China time); else UNAVAILABLE with an
  // English message for operators naming how far it has applied and how
  // far that is short of the period's end ("8h0m0s behind").
  absl::Status CaughtUp(const BulletinPeriod& period) const;

  // Issues `bureau`'s bulletin of `kind` for the period covering `day`, or
  // returns the one issued before. `scheduled`: the schedule issues it (it
  // moves the schedule's cursor with it). Errors, nothing saved:
  //   INVALID_ARGUMENT     bureau is not a petition bureau (信访部门)
  //   FAILED_PRECONDITION  the period is not over yet on the service's
  //                        clock (a Chinese message naming its last day),
  //                        or the calendar cannot tell its days
  //   UNAVAILABLE          the index has not applied case-events through
  //                        the end of the period yet (CaughtUp: retry)
  //   the ContentSource's, the renderer's (UNAVAILABLE, DEADLINE_EXCEEDED)
  //   and the store's errors
  absl::StatusOr<Issued> Issue(const offices::Office& bureau, BulletinKind kind,
                               absl::CivilDay day, bool scheduled);

 private:
  // Const after construction; not owned.
  BulletinStore* const store_;
  const PeriodRules* const rules_;
  const ContentSource* const source_;
  const PdfRenderer* const renderer_;
  const time::Clock* const clock_;
  const IndexProgress* const progress_;
  IssueRecorder* const recorder_;  // null: store_->Save

  absl::Mutex mu_;  // held while one bulletin is made
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_ISSUER_H_
