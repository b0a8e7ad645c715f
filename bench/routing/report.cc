#include "bench/routing/report.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "caserelay/v1/events.pb.h"

namespace caserelay::bench {
namespace {

double Us(absl::Duration d) { return absl::ToDoubleMicroseconds(d); }

void PrintDecisions(const Tree& tree, const DecisionReport& d) {
  absl::PrintF(
      "\ndecisions: %zu matters = %zu regions x %zu categories, shuffled; "
      "load %s\n",
      d.workload.inputs.size(), tree.codes.size(), tree.categories.size(),
      d.load);
  absl::PrintF("%-44s %16s %16s\n", "", "1 thread",
               absl::StrCat(d.decide_n.threads, " threads"));
  auto row = [](const char* name, const RateResult& a, const RateResult* b) {
    absl::PrintF("%-44s %14.0f/s %14s\n", name, a.per_s(),
                 b ? absl::StrFormat("%.0f/s", b->per_s()) : "");
  };
  row("Router::Decide  decisions", d.decide_1, &d.decide_n);
  row("ceiling  Find+Ancestors+LowestCompetent", d.lookups_1, &d.lookups_n);
  absl::PrintF("%-44s %16.4f %16.4f\n", "ratio    decisions / look-ups",
               d.decide_1.per_s() / d.lookups_1.per_s(),
               d.decide_n.per_s() / d.lookups_n.per_s());
  row("(Find+Ancestors alone)", d.tree_1, nullptr);
  absl::PrintF("%-44s %14.2f us\n", "mean time per decision, 1 thread",
               1e6 / d.decide_1.per_s());
  std::string kinds = "matters:";
  for (int k = 0; k < kMatterKinds; ++k) {
    absl::StrAppend(&kinds, " ", MatterKindName(static_cast<MatterKind>(k)),
                    "=", d.workload.kinds[k]);
  }
  std::string dispositions = "dispositions:";
  for (int k = 1; k < 8; ++k) {
    absl::StrAppend(&dispositions, " ",
                    caserelay::v1::Disposition_Name(
                        static_cast<caserelay::v1::Disposition>(k))
                        .substr(12),  // without DISPOSITION_
                    "=", d.decide_1.dispositions[k]);
  }
  absl::PrintF("%s\n%s\nerrors: %d%s\n", kinds, dispositions, d.decide_1.errors,
               d.decide_1.errors > 0
                   ? absl::StrCat(" (first: ", d.decide_1.first_error, ")")
                   : "");
}

void PrintInbox(const InboxReport& r) {
  const Population& p = r.population;
  std::vector<int64_t> load(p.offices.size());
  for (const Holding& h : p.cases) ++load[h.office];
  std::sort(load.begin(), load.end(), std::greater<>());
  const int64_t over_1000 = std::count_if(load.begin(), load.end(),
                                          [](int64_t n) { return n >= 1000; });
  absl::PrintF(
      "\ninbox: %zu cases in %zu offices (largest %d, median %d, %d with "
      ">= 1000); %d events, %d inbox moves, %d batches in %.0f s; store "
      "%.2f GB on disk after %.0f s of compactions; load %s\n",
      p.cases.size(), p.offices.size(), load.front(), load[load.size() / 2],
      over_1000, p.events, p.inbox_moves, p.batches,
      absl::ToDoubleSeconds(p.wall), r.disk_bytes / 1e9,
      absl::ToDoubleSeconds(r.settle), r.load);
  absl::PrintF("%-18s %7s %6s %6s %6s | %-25s | %-25s | %s\n", "", "queries",
               "items", "keys", "max", "  Inbox p50/p99/max us",
               "  Scan p50/p99/max us", "ratio p50 p99");
  auto row = [](const char* name, size_t n, const std::string& items,
                const std::string& keys, const std::string& keys_max,
                const LatencySummary& q, const LatencySummary& s) {
    absl::PrintF(
        "%-18s %7d %6s %6s %6s | %7.1f %8.1f %8.1f | %7.1f %8.1f %8.1f | "
        "%5.2fx %5.2fx\n",
        name, n, items, keys, keys_max, Us(q.p50), Us(q.p99), Us(q.max),
        Us(s.p50), Us(s.p99), Us(s.max), Us(q.p50) / Us(s.p50),
        Us(q.p99) / Us(s.p99));
  };
  for (int k = 0; k < kQueryKinds; ++k) {
    const KindResult& kr = r.result.kinds[k];
    row(QueryKindName(static_cast<QueryKind>(k)), kr.query.count,
        absl::StrFormat("%.1f", kr.items), absl::StrFormat("%.1f", kr.keys),
        absl::StrCat(kr.keys_max), kr.query, kr.scan);
  }
  row("all", r.result.query.count, "", "", "", r.result.query, r.result.scan);
  // Thread CPU time per query: the work itself, without the stalls of a
  // shared machine (which the wall-clock max above mostly measures).
  absl::PrintF("%-18s | CPU p50/p99/max us (thread time)\n", "");
  for (int k = 0; k < kQueryKinds; ++k) {
    const LatencySummary& c = r.result.kinds[k].query_cpu;
    absl::PrintF("%-18s | %7.1f %8.1f %8.1f\n",
                 QueryKindName(static_cast<QueryKind>(k)), Us(c.p50), Us(c.p99),
                 Us(c.max));
  }
  absl::PrintF(
      "items = mean items per page; keys, max = mean and most index keys a "
      "query went over (the ceiling reads at most page size + 1 of them); "
      "'state (inbox scan)' is the state filter as it was before the "
      "inbox_state index, not in 'all'\n");
}

}  // namespace

void PrintReport(const Tree& tree, const RoutingFlags& flags,
                 const std::optional<DecisionReport>& decisions,
                 const std::optional<InboxReport>& inbox) {
  if (decisions) PrintDecisions(tree, *decisions);
  if (inbox) PrintInbox(*inbox);

  std::string line = "RESULT";
  if (decisions) {
    const DecisionReport& d = *decisions;
    absl::StrAppend(
        &line,
        absl::StrFormat(
            " decisions_per_s=%.0f decisions_per_s_threads=%.0f threads=%d "
            "lookups_per_s=%.0f lookups_per_s_threads=%.0f "
            "decide_ratio=%.4f decide_ratio_threads=%.4f matters=%d "
            "decide_errors=%d",
            d.decide_1.per_s(), d.decide_n.per_s(), d.decide_n.threads,
            d.lookups_1.per_s(), d.lookups_n.per_s(),
            d.decide_1.per_s() / d.lookups_1.per_s(),
            d.decide_n.per_s() / d.lookups_n.per_s(), d.decide_1.operations,
            d.decide_1.errors));
  }
  if (inbox) {
    const InboxResult& r = inbox->result;
    const KindResult& first = r.kinds[0];
    const KindResult& state =
        r.kinds[static_cast<int>(QueryKind::kStateFilter)];
    const KindResult& before =
        r.kinds[static_cast<int>(QueryKind::kStateByInboxScan)];
    absl::StrAppend(
        &line,
        absl::StrFormat(
            " inbox_p50_us=%.1f inbox_p99_us=%.1f inbox_max_us=%.1f "
            "scan_p50_us=%.1f scan_p99_us=%.1f inbox_ratio_p50=%.2f "
            "inbox_ratio_p99=%.2f first_page_p50_us=%.1f "
            "first_page_p99_us=%.1f state_p99_us=%.1f state_max_us=%.1f "
            "state_scan_max_us=%.1f state_before_p99_us=%.1f "
            "state_before_max_us=%.1f state_cpu_max_us=%.1f "
            "state_before_cpu_max_us=%.1f cases=%d queries=%d",
            Us(r.query.p50), Us(r.query.p99), Us(r.query.max), Us(r.scan.p50),
            Us(r.scan.p99), Us(r.query.p50) / Us(r.scan.p50),
            Us(r.query.p99) / Us(r.scan.p99), Us(first.query.p50),
            Us(first.query.p99), Us(state.query.p99), Us(state.query.max),
            Us(state.scan.max), Us(before.query.p99), Us(before.query.max),
            Us(state.query_cpu.max), Us(before.query_cpu.max),
            inbox->population.cases.size(), r.query.count));
  }
  absl::StrAppend(&line, " seed=", flags.seed);
  absl::PrintF("%s\n", line);
}

}  // namespace caserelay::bench
