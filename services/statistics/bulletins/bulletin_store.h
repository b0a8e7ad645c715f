// Issued bulletins, kept for good (issue 17 item 2: "stored so that a
// bulletin once issued never changes (a 期号 numbering per bureau and
// year)").
//
// A bulletin is saved once with its three documents (HTML, PDF, CSV) as
// bytes, and never written again: Save() refuses an id that exists, and
// nothing else writes a record or a document. So GetBulletin returns the
// bytes that were issued, whatever the template, the renderer or the
// figures became since. The 期号 series is one per bureau, kind and year
// (the year of the day the bulletin was due): numbers run 1, 2, 3...
// without a gap, because Save() takes only the next number of the series.
//
// In the service's store, column family kBulletinsFamily:
//   r/<id>                          the record (caserelay.v1.Bulletin)
//   d/<id>/<html|pdf|csv>           the documents
//   n/<bureau>/<kind>/<year>        the last number of the series (decimal)
//   l/<bureau>/<~sequence>/<id>     the listing, newest first ("")
//   q                               the count of bulletins saved (the
//                                   sequence: the order they were issued)
//   s/<bureau>/<kind>               the schedule's cursor (schedule.h)
// Ids hold no '/' inside a part but are "<bureau>/<kind>/<first day>".
//
// Thread safety: thread-safe (the Store is); Save() is atomic, and two
// Saves of the same series at once cannot both succeed with one number.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_STORE_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/statistics.pb.h"
#include "common/store/store.h"
#include "services/statistics/bulletins/bulletin_period.h"

namespace caserelay::bulletins {

// The column family the statistics service must open for the bulletins.
inline constexpr char kBulletinsFamily[] = "bulletins";

// A bulletin's three documents.
struct Documents {
  std::string html;
  std::string pdf;
  std::string csv;
};

// "<bureau>/<kind>/<YYYY-MM-DD of the first day>".
std::string BulletinId(absl::string_view bureau_code, BulletinKind kind,
                       absl::CivilDay first_day);

caserelay::v1::BulletinKind ToProto(BulletinKind kind);
// INVALID_ARGUMENT for BULLETIN_KIND_UNSPECIFIED or an unknown value.
absl::StatusOr<BulletinKind> FromProto(caserelay::v1::BulletinKind kind);

struct BulletinPage {
  std::vector<caserelay::v1::Bulletin> bulletins;
  std::string next_page_token;  // empty: the last page
  int total = 0;
};

class BulletinStore {
 public:
  // `store` must have been opened with kBulletinsFamily; not owned, must
  // outlive this.
  explicit BulletinStore(store::Store* store) : store_(store) {}

  // The record of `id`; nullopt if no bulletin has that id. Errors:
  // UNAVAILABLE from the store, DATA_LOSS for a record that does not parse.
  absl::StatusOr<std::optional<caserelay::v1::Bulletin>> Find(
      absl::string_view id) const;

  // The document of `id` in `format` (UNSPECIFIED: HTML), exactly as
  // saved. NOT_FOUND if there is no such bulletin; INVALID_ARGUMENT for an
  // unknown format; UNAVAILABLE from the store.
  absl::StatusOr<std::string> Document(
      absl::string_view id, caserelay::v1::BulletinFormat format) const;

  // The number the next bulletin of the series (bureau, kind, year) gets:
  // 1 for a new series. Errors: UNAVAILABLE, DATA_LOSS.
  absl::StatusOr<int> NextNumber(absl::string_view bureau_code,
                                 BulletinKind kind, int year) const;

  // Saves a new bulletin: `record` (its id, bureau, kind, year, number and
  // issued_at set) and its documents, in one batch; with `schedule_cursor`
  // also the schedule's cursor of its bureau and kind (set to the
  // period's first day). Returns OK, or, with nothing written:
  //   ALREADY_EXISTS       the id was saved before (bulletins are immutable)
  //   FAILED_PRECONDITION  record.number is not NextNumber() of its series
  //   INVALID_ARGUMENT     a field above is missing, or a document is empty
  //   UNAVAILABLE          the store failed
  absl::Status Save(const caserelay::v1::Bulletin& record,
                    const Documents& documents, bool schedule_cursor);

  // Save's checks and writes into `batch` (reading through it, so several
  // bulletins may go into one batch) instead of a commit of its own: the
  // apply of a statistics-bulletins record (bulletin_log.h). The same
  // errors, with nothing written to `batch`. REQUIRES: `batch` is on this
  // store, and no other writer of bulletins commits meanwhile.
  absl::Status Stage(const caserelay::v1::Bulletin& record,
                     const Documents& documents, bool schedule_cursor,
                     store::WriteBatch& batch) const;

  // The bulletins of `bureau_code`, the last issued first, with `kind`
  // (nullopt: every kind) and `year` (0: every year), `page_size` at a time
  // after `page_token` (empty: from the newest). INVALID_ARGUMENT for a token
  // this did not give; UNAVAILABLE, DATA_LOSS.
  absl::StatusOr<BulletinPage> List(absl::string_view bureau_code,
                                    std::optional<BulletinKind> kind, int year,
                                    int page_size,
                                    absl::string_view page_token) const;

  // The schedule's cursor of (bureau, kind): the first day of the last
  // period it has seen to; nullopt if none yet. SetScheduleCursor moves it
  // (for a period issued on request before the schedule came to it).
  // Errors: UNAVAILABLE, DATA_LOSS.
  absl::StatusOr<std::optional<absl::CivilDay>> ScheduleCursor(
      absl::string_view bureau_code, BulletinKind kind) const;
  absl::Status SetScheduleCursor(absl::string_view bureau_code,
                                 BulletinKind kind, absl::CivilDay first_day);

 private:
  store::Store* const store_;  // const after construction; not owned
  // Serializes Save's read of the series' number with its commit.
  absl::Mutex save_mu_;
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_STORE_H_
