// IndexReader: the StatisticsQuery (query.h) over the statistics' store —
// the counters (index_keys.h, contribution.h), the open-due index and the
// case records — without a scan of every case.
//
// A period of whole China days [from, to) is read as the buckets
// Decompose gives (a year: one key per scope). An open deadline counts
// against its rate and as a red light only once due on the service's clock
// (as_of = min(to, now)): the buckets of days after today leave their open
// deadlines out, and today's bucket is corrected by a scan of the dues
// index (every deadline by its due) over the rest of today (a day's dues
// at most). The backlog at T is
// the sum of "bl/in" - "bl/out" over every bucket before T's day (the years
// stored, then T's year's months and T's month's days), corrected the same
// way for the rest of today when T is now.
//
// Reads see committed state; a query that runs while an event is applied
// may see some of its keys before and some after it.
//
// Thread safety: thread-safe (const; the store is thread-safe and the
// scope resolver is per query).

#ifndef CASERELAY_SERVICES_STATISTICS_INDEX_READER_H_
#define CASERELAY_SERVICES_STATISTICS_INDEX_READER_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/region/region_tree.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "services/statistics/query.h"

namespace caserelay::statistics {

inline constexpr char kCasesFamily[] = "cases";
inline constexpr char kCountersFamily[] = "counters";
inline constexpr char kDuesFamily[] = "dues";

// dimension -> count, summed over buckets.
using Dims = std::map<std::string, int64_t>;

class IndexReader final : public StatisticsQuery {
 public:
  // REQUIRES: the pointers outlive the reader; the store has the families
  // kCasesFamily, kCountersFamily and kDuesFamily.
  IndexReader(const store::Store* store, const region::RegionTree* tree,
              const time::Clock* clock)
      : store_(store), tree_(tree), clock_(clock) {}

  absl::StatusOr<caserelay::v1::GetVolumeResponse> Volume(
      const caserelay::v1::GetVolumeRequest& request) const override;
  absl::StatusOr<caserelay::v1::GetIndicatorsResponse> Indicators(
      const caserelay::v1::GetIndicatorsRequest& request) const override;

  // The dimensions of `scope` summed over the days [from, to) as of `now`
  // (the file comment); with `ends_now` the period ends at now (today's
  // deadlines due at or after now are left out, as GetIndicators without
  // `to` leaves them). DATA_LOSS for a corrupt counter or record; the
  // store's error.
  absl::StatusOr<Dims> PeriodDims(const std::string& scope,
                                  absl::CivilDay from, absl::CivilDay to,
                                  absl::Time now, bool ends_now = false) const;

  // The 积案 backlog of `scope` at `as_of`: a day's start, or now.
  absl::StatusOr<int64_t> Backlog(const std::string& scope,
                                  absl::Time as_of) const;

  // The office codes with items under the region scope `scope` ("of/" in
  // its "all" bucket), sorted.
  absl::StatusOr<std::vector<std::string>> OfficesOf(
      const std::string& scope) const;

  // The raw sum of `buckets` of `scope`: no as-of correction.
  absl::StatusOr<Dims> Sum(const std::string& scope,
                           const std::vector<std::string>& buckets) const;

 private:
  // Adds the counters stored under `key` to `dims` (times `sign`, and only
  // the dimensions `keep` accepts).
  template <typename Keep>
  absl::Status AddKey(const std::string& key, int sign, Keep keep,
                      Dims* dims) const;
  // Calls visit(record) for each case with a deadline due in [from, to)
  // (the "dues" index; each case once).
  template <typename Visit>
  absl::Status DueCases(absl::Time from, absl::Time to, Visit visit) const;

  const store::Store* store_;
  const region::RegionTree* tree_;
  const time::Clock* clock_;
};

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_INDEX_READER_H_
