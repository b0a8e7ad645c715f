// The shape of the statistics' index (services/statistics/README.md):
// counters keyed by SCOPE and BUCKET, each a map of DIMENSION -> count.
//
//   scope   "o:<office code>"          one office;
//           "r:<region code>"          the offices of a region subtree
//                                      ("r:" the whole deployment);
//           "r:<region code>/<level>"  those of one level (province, city,
//                                      county, township) in it.
//   bucket  "y2026", "m202601", "d20260105": a China civil year, month or
//           day; "all": no time (the offices with items, "of/<office>").
//   key     scope + '\x1f' + bucket.
//
// An item (a case received, a deadline falling due, a reply, a 督办) is
// counted under every scope its office lies in and under the day, month
// and year of its time, so a query for a scope and a whole year reads one
// key, and any period of whole days at most ~90 (Decompose).
//
// Pure: no I/O. Thread safety: ScopeResolver is thread-compatible (const
// after construction but for its cache: confine to one thread); the rest
// are stateless functions.

#ifndef CASERELAY_SERVICES_STATISTICS_INDEX_KEYS_H_
#define CASERELAY_SERVICES_STATISTICS_INDEX_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/region/region_tree.h"

namespace caserelay::statistics {

inline constexpr char kKeySeparator = '\x1f';
inline constexpr char kAllBucket[] = "all";

// "o:<office>".
std::string OfficeScope(std::string_view office_code);
// "r:<region>" or, with a level, "r:<region>/<level name>".
std::string RegionScope(std::string_view region_code,
                        std::string_view level_name = "");

// The counter key of `scope` and `bucket`.
std::string CounterKey(std::string_view scope, std::string_view bucket);

// "y2026", "m202601", "d20260105" of a China civil day.
std::string YearBucket(absl::CivilDay day);
std::string MonthBucket(absl::CivilDay day);
std::string DayBucket(absl::CivilDay day);

// The three buckets (day, month, year) an item of time `t` counts in.
std::vector<std::string> BucketsOf(absl::Time t);

// The fewest buckets that cover the days [from, to) exactly: whole years
// where a year fits, then whole months, then days. Empty if from >= to.
std::vector<std::string> Decompose(absl::CivilDay from, absl::CivilDay to);

// The buckets covering every day before `day` since `first_year`'s 1st of
// January: the years before day's year, then day's year's months before
// its month, then its month's days before it.
std::vector<std::string> BucketsBefore(absl::CivilDay day, int first_year);

// The scopes the items of an office count under: "o:<office>", and for its
// region and each ancestor, and the whole deployment, "r:<region>" and
// "r:<region>/<the office region's level>". Empty for a malformed office
// code or a region the tree does not know (such items are not counted, as
// supervision's GetIndicators skips them).
class ScopeResolver {
 public:
  // REQUIRES: `tree` outlives the resolver.
  explicit ScopeResolver(const region::RegionTree* tree) : tree_(tree) {}

  const std::vector<std::string>& ScopesOf(const std::string& office_code);

 private:
  const region::RegionTree* tree_;
  absl::flat_hash_map<std::string, std::vector<std::string>> cache_;
};

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_INDEX_KEYS_H_
