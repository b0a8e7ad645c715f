#include "bench/routing/decisions.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/pipeline/stats.h"

namespace caserelay::bench {
namespace {

using caserelay::v1::Matter;
using routing::PriorCase;
using routing::RouteInput;

// The kinds' shares, cumulative, in percent of the workload.
constexpr std::array<std::pair<MatterKind, int>, kMatterKinds> kShares = {{
    {MatterKind::kStatutory, 4},
    {MatterKind::kRepeat, 6},
    {MatterKind::kTerminated, 7},
    {MatterKind::kAccusation, 15},
    {MatterKind::kCrossRegion, 20},
    {MatterKind::kVisitHigher, 25},
    {MatterKind::kNoCategory, 27},
    {MatterKind::kTerritorial, 100},
}};

// The code of an office that handles `category` at or above `region`, or
// its government if the data has none (only to name accused offices).
std::string CompetentCode(const Tree& tree, const std::string& category,
                          const region::Region& region) {
  auto office = tree.offices->LowestCompetent(category, region.code);
  return office.ok() ? office->code : tree.offices->Government(region).code;
}

// Fills in `m` (whose region and category are set) for `kind`.
void Shape(const Tree& tree, MatterKind kind, std::mt19937_64& rng,
           RouteInput& in) {
  Matter& m = in.matter;
  const region::Region& region = *tree.regions->Find(m.region_code());
  const std::vector<const region::Region*> up =
      tree.regions->Ancestors(region.code);
  m.set_channel(caserelay::v1::CHANNEL_ONLINE);
  m.set_matter_class(
      m.category() == "discipline"   ? caserelay::v1::MATTER_CLASS_ACCUSATION
      : m.category() == "suggestion" ? caserelay::v1::MATTER_CLASS_SUGGESTION
                                     : caserelay::v1::MATTER_CLASS_CLAIM);
  switch (kind) {
    case MatterKind::kTerritorial:
      break;
    case MatterKind::kAccusation: {
      m.set_matter_class(caserelay::v1::MATTER_CLASS_ACCUSATION);
      // The unit that handles such matters; for a matter of discipline the
      // region's government instead, and at a province a department in
      // place of the commission or the government (whose members include
      // the commission): the province's commission must stay free, or no
      // commission of the tree is and Decide fails by its contract.
      std::string accused = CompetentCode(tree, m.category(), region);
      if (absl::EndsWith(accused, ":discipline") ||
          (up.empty() && absl::EndsWith(accused, ":gov"))) {
        accused = up.empty() ? CompetentCode(tree, "labour", region)
                             : tree.offices->Government(region).code;
      }
      m.add_accused_offices(accused);
      // One in four also accuses the government of the region above, whose
      // discipline commission is then passed over (accused-excluded) —
      // never a province's: with it, no commission of the tree is free of
      // the accused and Decide fails by its contract.
      if (rng() % 4 == 0 && up.size() >= 2) {
        m.add_accused_offices(tree.offices->Government(*up.front()).code);
      }
      break;
    }
    case MatterKind::kCrossRegion: {
      const uint64_t r = rng() % 10;
      if (r < 6 && !up.empty()) {  // a sibling: common superior one up
        auto siblings = tree.regions->Children(up.front()->code);
        m.add_other_regions(siblings[rng() % siblings.size()]->code);
      } else if (r < 9) {  // anywhere, often another province
        m.add_other_regions(tree.codes[rng() % tree.codes.size()]);
      } else {
        m.add_other_categories(tree.categories[rng() % tree.categories.size()]);
      }
      break;
    }
    case MatterKind::kVisitHigher: {
      m.set_channel(caserelay::v1::CHANNEL_VISIT);
      const region::Region* at =
          up.empty() ? &region : up[rng() % 2 == 0 ? up.size() - 1 : 0];
      m.set_lodged_with(tree.offices->Bureau(*at).code);
      break;
    }
    case MatterKind::kStatutory:
      m.set_statutory_route(
          static_cast<caserelay::v1::StatutoryRoute>(1 + rng() % 5));
      break;
    case MatterKind::kRepeat:
    case MatterKind::kTerminated: {
      PriorCase prior;
      prior.case_id = absl::StrCat("prior-", m.region_code());
      const region::Region* county = tree.regions->CountyOf(region.code);
      prior.holder_office_code =
          tree.offices->Bureau(county ? *county : region).code;
      prior.terminated = kind == MatterKind::kTerminated;
      prior.open = !prior.terminated;
      prior.state = prior.terminated ? caserelay::v1::CASE_STATE_TERMINATED
                                     : caserelay::v1::CASE_STATE_ACCEPTED;
      prior.within_time_limit = rng() % 2 == 0;
      in.same_matter.push_back(std::move(prior));
      // Half are lodged higher up while the case runs below.
      if (rng() % 2 == 0 && !up.empty()) {
        m.set_lodged_with(tree.offices->Bureau(*up.back()).code);
      }
      break;
    }
    case MatterKind::kNoCategory:
      m.clear_category();
      break;
  }
}

// What the look-ups produced, so the compiler cannot drop them.
volatile uint64_t g_sink = 0;

// Runs `op(t, i)` for every i < n over `threads` threads released together.
template <typename Op>
absl::Duration Timed(size_t n, int threads, Op op) {
  std::atomic<bool> go{false};
  std::atomic<int> ready{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (size_t i = t; i < n; i += threads) op(t, i);
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const SteadyTime start = SteadyClock::now();
  go.store(true, std::memory_order_release);
  for (std::thread& w : workers) w.join();
  return Since(start, SteadyClock::now());
}

}  // namespace

const char* MatterKindName(MatterKind kind) {
  switch (kind) {
    case MatterKind::kTerritorial:
      return "territorial";
    case MatterKind::kAccusation:
      return "accusation";
    case MatterKind::kCrossRegion:
      return "cross-region";
    case MatterKind::kVisitHigher:
      return "visit-higher";
    case MatterKind::kStatutory:
      return "statutory-route";
    case MatterKind::kRepeat:
      return "repeat";
    case MatterKind::kTerminated:
      return "terminated";
    case MatterKind::kNoCategory:
      return "no-category";
  }
  return "?";
}

DecisionWorkload BuildDecisionWorkload(const Tree& tree, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const size_t categories = tree.categories.size();
  std::vector<uint32_t> order(tree.codes.size() * categories);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);

  DecisionWorkload w;
  w.inputs.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    RouteInput& in = w.inputs[i];
    in.matter.set_region_code(tree.codes[order[i] / categories]);
    in.matter.set_category(tree.categories[order[i] % categories]);
    const int percent = static_cast<int>(rng() % 100);
    MatterKind kind = MatterKind::kTerritorial;
    for (const auto& [k, upto] : kShares) {
      if (percent < upto) {
        kind = k;
        break;
      }
    }
    Shape(tree, kind, rng, in);
    ++w.kinds[static_cast<int>(kind)];
  }
  return w;
}

RateResult RunDecisions(const routing::Router& router,
                        const std::vector<RouteInput>& inputs, int threads) {
  struct PerThread {
    int64_t errors = 0;
    std::string first_error;
    std::array<int64_t, 8> dispositions{};
    char pad[64];  // keep threads' counters off one cache line
  };
  std::vector<PerThread> per(threads);
  RateResult r;
  r.threads = threads;
  r.operations = static_cast<int64_t>(inputs.size());
  r.wall = Timed(inputs.size(), threads, [&](int t, size_t i) {
    auto d = router.Decide(inputs[i]);
    if (!d.ok()) {
      if (per[t].errors++ == 0) {
        per[t].first_error = absl::StrCat(inputs[i].matter.region_code(), " ",
                                          inputs[i].matter.category(), ": ",
                                          d.status().ToString());
      }
      return;
    }
    ++per[t].dispositions[static_cast<size_t>(d->disposition()) % 8];
  });
  for (const PerThread& p : per) {
    r.errors += p.errors;
    if (r.first_error.empty()) r.first_error = p.first_error;
    for (size_t k = 0; k < 8; ++k) r.dispositions[k] += p.dispositions[k];
  }
  return r;
}

RateResult RunLookups(const Tree& tree, const std::vector<RouteInput>& inputs,
                      int threads, bool competent) {
  std::vector<std::array<uint64_t, 8>> sink(threads);  // own cache line each
  RateResult r;
  r.threads = threads;
  r.operations = static_cast<int64_t>(inputs.size());
  r.wall = Timed(inputs.size(), threads, [&](int t, size_t i) {
    const Matter& m = inputs[i].matter;
    const region::Region* region = tree.regions->Find(m.region_code());
    sink[t][0] += region->code.size();
    sink[t][0] += tree.regions->Ancestors(m.region_code()).size();
    if (competent && !m.category().empty()) {
      auto office = tree.offices->LowestCompetent(m.category(), region->code);
      sink[t][0] += office.ok() ? office->name.size() : 1;
    }
  });
  uint64_t total = 0;
  for (const auto& s : sink) total += s[0];
  g_sink = g_sink + total;
  return r;
}

}  // namespace caserelay::bench
