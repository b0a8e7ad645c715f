// Routing decisions (转送交办) per second over the whole jurisdiction tree,
// and the ceiling they are measured against: the tree and office look-ups
// any router has to make for a matter.
#ifndef CASERELAY_BENCH_ROUTING_DECISIONS_H_
#define CASERELAY_BENCH_ROUTING_DECISIONS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/routing/tree.h"
#include "domain/routing/router.h"

namespace caserelay::bench {

// Which rule of domain/routing/router.h a matter of the workload is built
// to reach (the decision may still cite others, e.g. accused-excluded).
enum class MatterKind {
  kTerritorial,  // territorial-tiered (also discipline and courts-legal)
  kAccusation,   // accusation-to-discipline with accused offices
  kCrossRegion,  // cross-jurisdiction: another region or category
  kVisitHigher,  // a visit lodged with the bureau above or the province
  kStatutory,    // statutory-route
  kRepeat,       // an open case of the same matter (RouteInput.same_matter)
  kTerminated,   // a terminated case of the same matter
  kNoCategory,   // no-responsible-unit
};
inline constexpr int kMatterKinds = 8;
const char* MatterKindName(MatterKind kind);

struct DecisionWorkload {
  std::vector<routing::RouteInput> inputs;
  std::array<int64_t, kMatterKinds> kinds{};  // inputs of each kind
};

// One matter for every (region, category) pair of `tree` — every region of
// regions.tsv times every category of the office directory — in an order
// shuffled with `seed`, each turned into a MatterKind at fixed shares
// (about 73% territorial, 8% accusations, 5% cross-region, 5% visits
// lodged higher, 4% statutory routes, 2% open repeats, 1% terminated, 2%
// without a category). Deterministic for a seed.
DecisionWorkload BuildDecisionWorkload(const Tree& tree, uint64_t seed);

// The outcome of running one operation over every input.
struct RateResult {
  int threads = 1;
  int64_t operations = 0;
  absl::Duration wall;  // from the common start to the last thread's end
  int64_t errors = 0;   // decisions that returned an error
  std::string first_error;
  // Decisions by caserelay::v1::Disposition value (RunDecisions only).
  std::array<int64_t, 8> dispositions{};

  double per_s() const { return operations / absl::ToDoubleSeconds(wall); }
};

// Router::Decide on every input once, split over `threads` threads (thread
// t takes inputs t, t + threads, ...), all released together.
// REQUIRES: threads >= 1.
RateResult RunDecisions(const routing::Router& router,
                        const std::vector<routing::RouteInput>& inputs,
                        int threads);

// The ceiling: per input, RegionTree::Find and Ancestors of the matter's
// region and, with `competent`, OfficeDirectory::LowestCompetent of its
// category there (what a territorial decision cannot do without). Threads
// as RunDecisions.
RateResult RunLookups(const Tree& tree,
                      const std::vector<routing::RouteInput>& inputs,
                      int threads, bool competent);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_ROUTING_DECISIONS_H_
