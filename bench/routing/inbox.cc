#include "bench/routing/inbox.h"

#include <time.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "caserelay/v1/routing.pb.h"
#include "services/routing/case_store.h"
#include "services/routing/inbox_request.h"

namespace caserelay::bench {
namespace {

using routing::InboxPage;
using routing::InboxQuery;

// The raw keys of one office's inbox a query goes over: from `begin`
// (inclusive) while below `end`, at most `limit` keys, and the first key at
// or after `bound` (if set) is the last one read.
struct KeyRange {
  const char* family = routing::kInbox;
  std::string begin;
  std::string end;
  std::string bound;
  int limit = 0;     // 0: no limit
  std::string last;  // set: stop after the first key beyond it
};

// What the ceiling touches, so the compiler cannot drop the scan.
volatile uint64_t g_sink = 0;

absl::StatusOr<int> RawScan(const store::Store& store, const KeyRange& range) {
  int keys = 0;
  uint64_t bytes = 0;
  absl::Status s = store.Scan(
      range.family, range.begin, range.end,
      [&](std::string_view key, std::string_view value) {
        ++keys;
        bytes += key.size() + value.size() +
                 (value.empty() ? 0 : static_cast<uint8_t>(value[0]));
        if (range.limit > 0 && keys >= range.limit) return false;
        if (!range.bound.empty() && key >= range.bound) return false;
        if (!range.last.empty() && key > range.last) return false;
        return true;
      });
  if (!s.ok()) return s;
  g_sink = g_sink + bytes;
  return keys;
}

// CPU time of the calling thread: what a query costs the core it runs on,
// without the time other processes took the core from it.
absl::Duration ThreadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return absl::DurationFromTimespec(ts);
}

struct Samples {
  std::vector<absl::Duration> query;
  std::vector<absl::Duration> query_cpu;
  std::vector<absl::Duration> scan;
  int64_t items = 0;
  int64_t keys = 0;
  int64_t keys_max = 0;
};

}  // namespace

const char* QueryKindName(QueryKind kind) {
  switch (kind) {
    case QueryKind::kFirstPage:
      return "first page";
    case QueryKind::kLaterPage:
      return "2nd page (token)";
    case QueryKind::kStateFilter:
      return "state filter";
    case QueryKind::kDueBefore:
      return "due_before +7d";
    case QueryKind::kNoMatchWords:
      return "words, no match";
    case QueryKind::kStateByInboxScan:
      return "state (inbox scan)";
  }
  return "?";
}

absl::StatusOr<InboxResult> RunInbox(store::Store& store,
                                     const offices::OfficeDirectory& offices,
                                     const Population& population,
                                     const InboxOptions& options) {
  const routing::CaseStore cases(&store);
  std::mt19937_64 rng(options.seed ^ 0x1b0c5);
  const absl::Time due_before = options.now + absl::Hours(24 * 7);
  const std::string due_key = store::EncodeUint64(
      static_cast<uint64_t>(absl::ToUnixMicros(due_before)));
  std::array<Samples, kQueryKinds> samples;
  int timed = 0;
  InboxResult result;

  for (int round = 0; timed < options.queries; ++round) {
    const bool timing = round >= options.warmup;
    const Holding& held = population.cases[rng() % population.cases.size()];
    const std::string office = population.offices[held.office];
    const std::string prefix = office + std::string(1, '\0');
    std::string first_token;
    for (int k = 0; k < kQueryKinds; ++k) {
      const QueryKind kind = static_cast<QueryKind>(k);
      InboxQuery q;
      q.office_code = office;
      q.page_size = options.page_size;
      // As the ListInbox handler: routing.inbox_scan_limit's default.
      q.scan_limit = routing::InboxSettings().scan_limit;
      // As the ListInbox handler: hide accusations against the caller.
      q.hidden = [&offices,
                  &office](const caserelay::v1::RoutingInboxEntry& e) {
        if (e.accused_offices().empty()) return false;
        return offices.IsAccusedOrMember(
            office, std::vector<std::string>(e.accused_offices().begin(),
                                             e.accused_offices().end()));
      };
      KeyRange range;
      range.begin = prefix;
      range.end = office + std::string(1, '\1');
      range.limit = options.page_size + 1;
      if (kind == QueryKind::kLaterPage) {
        if (first_token.empty()) continue;  // one page only
        q.page_token = first_token;
        std::string last;
        absl::WebSafeBase64Unescape(first_token, &last);
        range.begin = last + std::string(1, '\0');
      } else if (kind == QueryKind::kStateFilter) {
        q.states = {held.state};
        // The index of a state filter (issue 20 item 4): that state's
        // range of the office's keys.
        range.family = routing::kInboxState;
        range.begin = routing::InboxStateHead(office, held.state);
        range.end = range.begin;
        range.end.back() = '\1';
      } else if (kind == QueryKind::kDueBefore) {
        q.due_before = due_before;
        range.bound = prefix + due_key;
      } else if (kind == QueryKind::kStateByInboxScan) {
        const caserelay::v1::CaseState state = held.state;
        q.hidden = [state, hidden = q.hidden](
                       const caserelay::v1::RoutingInboxEntry& e) {
          return e.item().state() != state || hidden(e);
        };
      } else if (kind == QueryKind::kNoMatchWords) {
        q.words = {"无此词语"};
      }

      absl::StatusOr<InboxPage> page;
      caserelay::v1::ListInboxResponse resp;
      absl::Duration query_took, scan_took;
      absl::Duration query_cpu;
      auto run_query = [&] {
        const absl::Duration c0 = ThreadCpu();
        const SteadyTime t0 = SteadyClock::now();
        page = cases.Inbox(q);
        if (page.ok()) {
          for (auto& item : page->items) *resp.add_items() = std::move(item);
          resp.set_next_page_token(page->next_page_token);
        }
        query_took = Since(t0, SteadyClock::now());
        query_cpu = ThreadCpu() - c0;
      };
      absl::Status scan_status;
      auto run_scan = [&] {
        const SteadyTime t0 = SteadyClock::now();
        scan_status = RawScan(store, range).status();
        scan_took = Since(t0, SteadyClock::now());
      };
      if (round % 2 == 0) {
        run_query();
        run_scan();
      } else {
        run_scan();
        run_query();
      }
      if (!page.ok()) return page.status();
      if (!scan_status.ok()) return scan_status;
      if (kind == QueryKind::kFirstPage) first_token = resp.next_page_token();
      if (!timing) continue;

      // How many keys the query went over (untimed): to its last item and
      // the look-ahead, or to where it had to stop.
      KeyRange walked = range;
      walked.limit = 0;
      if (!resp.next_page_token().empty()) {
        absl::WebSafeBase64Unescape(resp.next_page_token(), &walked.last);
        if (kind == QueryKind::kStateFilter) {  // a token is an inbox key
          walked.last = routing::InboxStateKeyOf(walked.last, held.state);
        }
      }
      auto keys = RawScan(store, walked);
      if (!keys.ok()) return keys.status();

      Samples& s = samples[k];
      s.query.push_back(query_took);
      s.query_cpu.push_back(query_cpu);
      s.scan.push_back(scan_took);
      s.items += resp.items_size();
      s.keys += *keys;
      s.keys_max = std::max<int64_t>(s.keys_max, *keys);
      ++timed;
    }
    result.rounds = round + 1;
  }

  std::vector<absl::Duration> all_query, all_scan;
  for (int k = 0; k < kQueryKinds; ++k) {
    Samples& s = samples[k];
    KindResult& r = result.kinds[k];
    const double n = s.query.empty() ? 1 : s.query.size();
    r.items = s.items / n;
    r.keys = s.keys / n;
    r.keys_max = s.keys_max;
    if (static_cast<QueryKind>(k) != QueryKind::kStateByInboxScan) {
      all_query.insert(all_query.end(), s.query.begin(), s.query.end());
      all_scan.insert(all_scan.end(), s.scan.begin(), s.scan.end());
    }
    r.query = Summarize(std::move(s.query));
    r.query_cpu = Summarize(std::move(s.query_cpu));
    r.scan = Summarize(std::move(s.scan));
  }
  result.query = Summarize(std::move(all_query));
  result.scan = Summarize(std::move(all_scan));
  return result;
}

}  // namespace caserelay::bench
