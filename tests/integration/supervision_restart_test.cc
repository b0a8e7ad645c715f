// Restart test of supervision's durable timers (issue 4 "Must show"):
// 100,000 pending timers; supervision is killed by SIGKILL while it fires
// them and restarted, 2-3 times at random points; every timer fires
// exactly once (services/supervision/README.md: timers fire in the same
// WriteBatch as the offsets and the outbox, DESIGN.md "One recipe for
// consistency").
//
// Only devbroker and supervision run, on a simulated clock. The test is
// routing: it writes 100,000 new cases to "case-events", each with one
// 15-day deadline of an office of 沁源县 (140431), falling due over 10
// simulated days (start + 2 d .. start + 12 d). Then the clock jumps to
// start + 6 d, + 9 d and + 13 d; at each jump the deadlines due by then
// are missed (红灯, and a 督办函 each) and those due within
// warning_before after it are warned (黄灯) unless warned before; the
// warning of a deadline already due is dropped (README.md "Produces").
// supervision is killed while firing after 2 or 3 of the jumps (one
// each, at a random point) and restarted.
// Then "supervision-events" is read from its beginning: the distinct event
// ids must be exactly the expected ones. A raw repeat of an id (the outbox
// republished after a kill; consumers dedupe by id) is counted, and must
// carry the same payload and stay within what the outbox held at the kills.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::Envelope;

constexpr int kCases = 100000;
constexpr int kFireBatch = 1000;  // supervision.fire_batch (its default)
const absl::Duration kWarningBefore = absl::Hours(48);
constexpr char kSupervision[] = "supervision";
constexpr char kMissedFired[] =
    "caserelay_supervision_timers_fired_total{kind=\"miss\"}";
constexpr char kWarningsFired[] =
    "caserelay_supervision_timers_fired_total{kind=\"warning\"}";

// 2026-06-01 09:00 China time (a Monday).
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), time::ChinaTimeZone());
// The clock's jumps after arming.
const absl::Time kJumps[] = {kStart + absl::Hours(24 * 6),
                             kStart + absl::Hours(24 * 9),
                             kStart + absl::Hours(24 * 13)};

// The offices whose deadlines run: the 13 townships of 沁源县
// (data/regions/regions.tsv) with their governments' ACCEPTANCE deadline
// (受理告知, 15 days, Art. 23), and the county bureau with its TRANSFER
// deadline (转送, 15 days, Art. 22).
const std::vector<std::string>& Townships() {
  static const auto* const kTownships = new std::vector<std::string>{
      "140431100", "140431101", "140431102", "140431103", "140431105",
      "140431107", "140431200", "140431201", "140431202", "140431203",
      "140431204", "140431207", "140431400"};
  return *kTownships;
}

struct Planned {
  std::string case_id;
  std::string region;  // where the matter is
  std::string office;  // who must act
  caserelay::v1::DeadlineKind kind;
  std::string kind_name;  // as in the deadline id
  absl::Time started;
  absl::Time due;
  // The 督办函's issuer (escalation.h): a township's organs answer to the
  // county's bureau; the county bureau itself to 长治市's (140400).
  std::string issuer;
  std::string deadline_id() const {
    return absl::StrCat(case_id, "/", kind_name, "/",
                        absl::ToUnixMicros(started));
  }
};

// Case i: due start + 2 d + 1 s + i × 8.64 s (so 10 days for 100,000, and
// no warning window open before T1), started 15 days before its due.
Planned Plan(int i) {
  Planned p;
  p.due = kStart + absl::Hours(48) + absl::Seconds(1) +
          i * (absl::Hours(24 * 10) / kCases);
  p.started = p.due - absl::Hours(24 * 15);
  const int n = i % (static_cast<int>(Townships().size()) + 1);
  p.case_id =
      absl::StrCat("140431-", absl::FormatTime("%Y%m%d", p.started, time::ChinaTimeZone()),
                   "-", absl::StrFormat("%06d", i + 1));
  if (n < static_cast<int>(Townships().size())) {
    p.region = Townships()[n];
    p.office = p.region + ":gov";
    p.kind = caserelay::v1::DEADLINE_KIND_ACCEPTANCE;
    p.kind_name = "acceptance";
    p.issuer = "140431:bureau";
  } else {
    p.region = "140431";
    p.office = "140431:bureau";
    p.kind = caserelay::v1::DEADLINE_KIND_TRANSFER;
    p.kind_name = "transfer";
    p.issuer = "140400:bureau";
  }
  return p;
}

// The REGISTER event routing would publish (supervision_watch.h).
Envelope RegisterEvent(const Planned& p) {
  RegisteredCase c;
  c.case_id = p.case_id;
  c.region = p.region;
  c.office = p.office;
  c.kind = p.kind;
  c.started = p.started;
  c.due = p.due;
  return RegisterEvent(c);
}

double Elapsed(absl::Time since) {
  return absl::ToDoubleSeconds(absl::Now() - since);
}

// A metric of supervision, 0 while it cannot be read (restarting).
double MetricOr0(const System& sys, const char* sample) {
  return MetricOr0(sys, kSupervision, sample);
}
double Fired(const System& sys) {
  return MetricOr0(sys, kMissedFired) + MetricOr0(sys, kWarningsFired);
}

absl::StatusOr<std::unique_ptr<kafka::Consumer>> FromTheBeginning(
    const System& sys, const std::string& group) {
  kafka::ConsumerOptions options;
  options.bootstrap = sys.bootstrap();
  options.group_id = absl::StrCat(group, "-", getpid());
  options.topics = {"supervision-events"};
  return kafka::CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
}

// Follows "supervision-events" while the test runs: the distinct ids
// published so far.
struct Watcher {
  std::unique_ptr<kafka::Consumer> consumer;
  std::set<std::string> ids;
  void Drain(absl::Duration wait) {
    auto batch = consumer->Poll(5000, wait);
    if (!batch.ok()) return;
    for (const auto& m : *batch) {
      Envelope e;
      if (e.ParseFromString(m.value)) ids.insert(e.event_id());
    }
  }
};

struct Figures {
  int kills = 0;
  double fired_by_killed = 0;  // counted by the killed processes
  double restart_seconds = 0;
  double outbox_at_kills = 0;  // caserelay_outbox_pending just before
};

// Sets the clock to `at` and waits until `expected` distinct ids have been
// published in all; with `kill`, SIGKILLs supervision once on the way,
// when its fired counter has counted a random share of the `fires` (timers
// with an output) this jump calls for, and restarts it.
void RunPhase(System& sys, absl::Time at, bool kill, size_t fires,
              size_t expected, std::mt19937_64& rng, Watcher& watch,
              Figures& figures, const std::string& name) {
  const absl::Time began = absl::Now();
  const size_t before = watch.ids.size();
  // What the running process fired before (its counter runs on from the
  // last jump); a restarted process starts from 0.
  double base = Fired(sys);
  sys.clock().Set(at);
  if (kill) {
    std::uniform_real_distribution<double> share(0.05, 0.6);
    const double target = std::max(1.0, fires * share(rng));
    double fired = 0;
    const absl::Time give_up = absl::Now() + absl::Seconds(120);
    while ((fired = Fired(sys)) - base < target && absl::Now() < give_up) {
      watch.Drain(absl::Milliseconds(5));
    }
    ASSERT_GE(fired - base, target) << name << ": supervision did not fire";
    figures.outbox_at_kills += MetricOr0(sys, "caserelay_outbox_pending");
    sys.Kill(kSupervision, SIGKILL);
    figures.fired_by_killed += fired;
    ++figures.kills;
    std::printf(
        "%s: SIGKILL %d after %.0f of %zu timers fired (target %.0f); %zu "
        "distinct outputs seen\n",
        name.c_str(), figures.kills, fired - base, fires, target,
        watch.ids.size());
    base = 0;
    const absl::Time restarting = absl::Now();
    absl::Status restarted = sys.Restart(kSupervision);
    ASSERT_TRUE(restarted.ok()) << restarted;
    figures.restart_seconds += Elapsed(restarting);
  }
  // Done when all are in, or when nothing new came for 15 s (the rest is
  // lost: the checks below name it).
  absl::Time progress = absl::Now();
  while (watch.ids.size() < expected &&
         absl::Now() - progress < absl::Seconds(15)) {
    const size_t seen = watch.ids.size();
    watch.Drain(absl::Milliseconds(200));
    if (watch.ids.size() > seen) progress = absl::Now();
  }
  // The restarted process fired something: the kill came before the
  // jump's work was done.
  if (kill) {
    EXPECT_GT(Fired(sys), 0) << name << ": nothing left to fire after the kill";
  }
  EXPECT_EQ(watch.ids.size(), expected) << name << ": distinct outputs";
  std::printf(
      "%s: %zu distinct outputs in %.1f s real (kills and restarts "
      "included)\n",
      name.c_str(), watch.ids.size() - before, Elapsed(began));
}

TEST(SupervisionRestartTest, EveryTimerFiresExactlyOnceAcrossSigkills) {
  const char* seed_env = std::getenv("CASERELAY_TEST_SEED");
  const uint64_t seed =
      seed_env != nullptr && *seed_env != '\0'
          ? std::strtoull(seed_env, nullptr, 10)
          : static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  std::printf("seed %llu (CASERELAY_TEST_SEED=%llu repeats it)\n",
              static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  // 2 or 3 kills, one after each of as many jumps.
  std::vector<bool> kill_after = {true, true, true};
  if (rng() % 2 == 0) kill_after[rng() % 3] = false;

  SystemOptions options;
  options.services = {kSupervision};
  options.simulated_start = kStart;
  // About 240,000 outputs and 100,000 inputs of some 250 bytes, and the
  // outbox's republished copies after each kill (up to as many again):
  // room for all of them within the embedded broker's ~5 MiB per
  // partition, with a margin for uneven keys. (32 partitions were not
  // enough on a slower machine: the broker dropped the oldest outputs,
  // which read as lost. The reader below checks every partition it reads
  // starts at offset 0.)
  options.topics = {"petitions:8", "case-events:32", "supervision-events:128",
                    "notification-events:8"};
  options.settings[kSupervision] = {
      {"supervision.fire_batch", absl::StrCat(kFireBatch)},
      {"supervision.warning_before",
       absl::StrCat(absl::ToInt64Hours(kWarningBefore), "h")}};
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;

  std::vector<Planned> plan;
  plan.reserve(kCases);
  for (int i = 0; i < kCases; ++i) plan.push_back(Plan(i));

  // 1. Arm: 100,000 new cases on "case-events", keyed by case id.
  std::atomic<int> failed{0};
  auto producer = kafka::CreateKafkaProducer(
      {sys.bootstrap(), "restart-test", {}, absl::Seconds(10)},
      [&](const kafka::DeliveryReport& r) {
        if (!r.status.ok()) ++failed;
      });
  ASSERT_TRUE(producer.ok()) << producer.status();
  const absl::Time arming = absl::Now();
  for (int i = 0; i < kCases; ++i) {
    const std::string value = RegisterEvent(plan[i]).SerializeAsString();
    absl::Status s;
    while ((s = (*producer)->Produce("case-events", plan[i].case_id, value, i))
               .code() == absl::StatusCode::kUnavailable) {
      absl::SleepFor(absl::Milliseconds(5));  // local queue full
    }
    ASSERT_TRUE(s.ok()) << s;
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(60)).ok());
  ASSERT_EQ(failed.load(), 0) << "case-events not delivered";
  const double produced = Elapsed(arming);
  const std::string applied =
      "caserelay_events_applied_total{loop=\"case-events\"}";
  const absl::Time give_up = absl::Now() + absl::Seconds(180);
  while (MetricOr0(sys, applied.c_str()) < kCases && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(MetricOr0(sys, applied.c_str()), kCases);
  const double armed = Elapsed(arming);
  EXPECT_EQ(
      MetricOr0(sys,
                "caserelay_events_dead_letter_total{loop=\"case-events\"}"),
      0);
  EXPECT_EQ(Fired(sys), 0) << "nothing is due, no warning window is open";
  std::printf(
      "armed %d deadlines (%d timers): produced in %.1f s, applied "
      "by supervision after %.1f s\n",
      kCases, 2 * kCases, produced, armed);

  // What each jump of the clock must publish (README.md "Produces"): the
  // deadlines due by then are missed; the others due within
  // warning_before are warned, once.
  std::vector<bool> warned(kCases, false);
  size_t warnings = 0;
  std::vector<size_t> misses(3, 0), fires(3, 0);  // fires: with an output
  for (int k = 0; k < 3; ++k) {
    const absl::Time at = kJumps[k];
    const absl::Time before = k == 0 ? kStart : kJumps[k - 1];
    for (int i = 0; i < kCases; ++i) {
      const absl::Time due = plan[i].due;
      if (due > before && due <= at) ++misses[k];
      if (due > at && due - kWarningBefore <= at && !warned[i]) {
        warned[i] = true;
        ++warnings;
        ++fires[k];
      }
    }
    fires[k] += misses[k];
  }
  ASSERT_GT(warnings, 0u);

  // 2. Fire, killing supervision on the way.
  auto follower = FromTheBeginning(sys, "restart-test-watch");
  ASSERT_TRUE(follower.ok()) << follower.status();
  Watcher watch{*std::move(follower), {}};
  Figures figures;
  const absl::Time firing = absl::Now();
  size_t outputs = 0;  // distinct ids expected so far
  for (int k = 0; k < 3; ++k) {
    outputs += fires[k] + misses[k];  // each miss also has its 督办函
    RunPhase(
        sys, kJumps[k], kill_after[k], fires[k], outputs, rng, watch, figures,
        absl::StrCat("start + ", (kJumps[k] - kStart) / absl::Hours(24), " d"));
    if (HasFatalFailure()) return;
  }
  const double fire_seconds = Elapsed(firing);
  // The outbox drains: what the killed processes left is published again
  // by the restarted one (slow on a loaded machine: 200 s for the last
  // phase beside a sanitizer build, 24 s in CI).
  const absl::Time drained_by = absl::Now() + Scaled(absl::Seconds(180));
  while (MetricOr0(sys, "caserelay_outbox_pending") > 0 &&
         absl::Now() < drained_by) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  if (MetricOr0(sys, "caserelay_outbox_pending") > 0) {
    // What held it back: supervision's warnings and errors, counted.
    const CommandResult held = RunCommand(absl::StrCat(
        "grep -hE 'level=(warn|error)' ", sys.dir(),
        "/supervision*.log | sed -E 's/^ts=[^ ]+ //' | cut -c1-150 | sort | "
        "uniq -c | sort -rn | head -15"));
    ADD_FAILURE() << "supervision's outbox still holds "
                  << MetricOr0(sys, "caserelay_outbox_pending")
                  << " records after "
                  << absl::FormatDuration(Scaled(absl::Seconds(180)))
                  << "; its warnings and errors:\n"
                  << held.output;
  }
  const double fired_by_last = Fired(sys);

  // 3. Everything on "supervision-events", read afresh until quiet: no
  // record for 3 s once as many as the expected ids are in, or for 20 s
  // before (joining the group takes a few seconds; the embedded broker's
  // fetches can pause).
  auto reader = FromTheBeginning(sys, "restart-test-check");
  ASSERT_TRUE(reader.ok()) << reader.status();
  const size_t expected_count = 2 * kCases + warnings;
  std::map<std::string, std::string> payload_of;  // event id -> payload
  std::map<std::string, int> copies;              // event id -> raw count
  size_t raw = 0, different_payloads = 0, strangers = 0;
  std::map<char, size_t> distinct_of;  // 'm', 'w', 's' -> distinct ids
  std::map<int32_t, int64_t> first_offset;  // partition -> first read
  std::map<int32_t, size_t> bytes_of;       // partition -> bytes read
  absl::Time last_record = absl::Now();
  absl::Duration longest_pause;
  const absl::Time reading = absl::Now();
  for (;;) {
    const absl::Duration quiet = absl::Now() - last_record;
    if (quiet > (raw >= expected_count ? absl::Seconds(3) : absl::Seconds(20)))
      break;
    auto batch = (*reader)->Poll(5000, absl::Milliseconds(200));
    ASSERT_TRUE(batch.ok()) << batch.status();
    if (!batch->empty()) {
      if (raw > 0) longest_pause = std::max(longest_pause, quiet);
      last_record = absl::Now();
    }
    for (const kafka::Message& m : *batch) {
      ++raw;
      first_offset.emplace(m.partition, m.offset);
      bytes_of[m.partition] += m.key.size() + m.value.size();
      Envelope e;
      ASSERT_TRUE(e.ParseFromString(m.value)) << "offset " << m.offset;
      EXPECT_EQ(m.key, e.case_id()) << e.event_id();
      std::string payload;
      if (e.has_deadline_missed())
        payload = "m" + e.deadline_missed().SerializeAsString();
      else if (e.has_deadline_warning())
        payload = "w" + e.deadline_warning().SerializeAsString();
      else if (e.has_supervision_issued())
        payload = "s" + e.supervision_issued().SerializeAsString();
      else
        ++strangers;
      auto [it, fresh] = payload_of.emplace(e.event_id(), payload);
      if (!fresh && it->second != payload) ++different_payloads;
      if (fresh && !payload.empty()) ++distinct_of[payload[0]];
      ++copies[e.event_id()];
    }
  }
  std::printf("read %zu records in %.1f s (longest pause %.1f s)\n", raw,
              absl::ToDoubleSeconds(last_record - reading),
              absl::ToDoubleSeconds(longest_pause));
  // A partition that does not start at 0 was pruned by the embedded
  // broker (its ~5 MiB per partition): a limit of the test's broker, not
  // a loss by supervision; the topic needs more partitions.
  size_t fullest = 0;
  for (const auto& [partition, bytes] : bytes_of) {
    fullest = std::max(fullest, bytes);
  }
  std::printf("fullest partition of supervision-events: %.1f MiB read\n",
              fullest / 1048576.0);
  for (const auto& [partition, offset] : first_offset) {
    EXPECT_EQ(offset, 0) << "the embedded broker dropped the oldest records "
                            "of supervision-events partition "
                         << partition
                         << ": give the topic more partitions (harness.h)";
  }
  EXPECT_EQ(strangers, 0u) << "events that are no light and no 督办";
  EXPECT_EQ(different_payloads, 0u) << "one event id, two payloads";

  // Each deadline: one miss, its payload as armed; a warning exactly when
  // due in (T1, T1 + warning_before]; one 督办函 per case from the
  // competent bureau.
  caserelay::v1::DeadlineMissed missed;
  caserelay::v1::DeadlineWarning warning;
  caserelay::v1::SupervisionIssued letter;
  size_t missing = 0, wrong = 0, expected_ids = 0;
  std::set<std::string> expected;
  for (const Planned& p : plan) {
    const std::string id = p.deadline_id();
    const std::string miss_id = absl::StrCat("supervision/", id, "/missed");
    const std::string letter_id =
        absl::StrCat("supervision/", p.case_id, "/supervision/1/issued");
    const std::string warn_id = absl::StrCat("supervision/", id, "/warning/",
                                             absl::ToUnixMicros(p.due));
    std::vector<std::string> ids = {miss_id, letter_id};
    if (warned[&p - plan.data()]) ids.push_back(warn_id);
    for (const std::string& want : ids) {
      ++expected_ids;
      expected.insert(want);
      auto it = payload_of.find(want);
      if (it == payload_of.end()) {
        if (++missing <= 5) ADD_FAILURE() << "never published: " << want;
        continue;
      }
      const std::string body = it->second.substr(1);
      bool ok = false;
      if (it->second[0] == 'm' && missed.ParseFromString(body)) {
        ok = missed.deadline_id() == id && missed.kind() == p.kind &&
             missed.office_code() == p.office &&
             time::FromProto(missed.due_at()) == p.due;
      } else if (it->second[0] == 'w' && warning.ParseFromString(body)) {
        ok = warning.deadline_id() == id && warning.office_code() == p.office &&
             time::FromProto(warning.due_at()) == p.due;
      } else if (it->second[0] == 's' && letter.ParseFromString(body)) {
        ok = letter.level() == caserelay::v1::SUPERVISION_LEVEL_LETTER &&
             letter.target_office_code() == p.office &&
             letter.issuer_office_code() == p.issuer &&
             letter.missed_deadline_id() == id && letter.miss_count() == 1;
      }
      if (!ok && ++wrong <= 5) ADD_FAILURE() << "wrong payload of " << want;
    }
  }
  size_t unexpected = 0;
  for (const auto& [id, payload] : payload_of) {
    if (!expected.count(id) && ++unexpected <= 5) {
      ADD_FAILURE() << "not expected: " << id;
    }
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(unexpected, 0u);
  EXPECT_EQ(payload_of.size(), expected_ids);

  // Raw repeats: only the outbox republished after a kill, which held what
  // the gauge showed just before it plus what committed between that read
  // and the kill: a batch is at most fire_batch misses with a letter each,
  // and the loop ticks again at once while timers are due, so allow two.
  const size_t duplicates = raw - payload_of.size();
  const double outbox_bound =
      figures.outbox_at_kills + figures.kills * 2 * 2.0 * kFireBatch;
  int most_copies = 0;
  for (const auto& [id, n] : copies) most_copies = std::max(most_copies, n);
  EXPECT_LE(static_cast<double>(duplicates), outbox_bound);
  EXPECT_LE(most_copies, figures.kills + 1);
  // (The fired counters are not compared with the total: a killed
  // process's last scrape precedes the kill, so its fires after that scrape
  // are uncounted, and fires of a batch the kill cut short are counted
  // twice. The distinct ids above are the proof.)

  // supervision agrees: a sample of cases shows the deadline MISSED.
  for (int i = 0; i < kCases; i += 997) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    caserelay::v1::ListDeadlinesRequest req;
    req.set_case_id(plan[i].case_id);
    caserelay::v1::ListDeadlinesResponse resp;
    grpc::Status s = sys.supervision().ListDeadlines(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.deadlines_size(), 1) << plan[i].case_id;
    EXPECT_EQ(resp.deadlines(0).state(), caserelay::v1::DEADLINE_STATE_MISSED)
        << plan[i].case_id;
    EXPECT_EQ(resp.deadlines(0).deadline_id(), plan[i].deadline_id());
  }
  absl::StatusOr<int> health = sys.Healthz(kSupervision);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, 200)
      << "outbox pending " << MetricOr0(sys, "caserelay_outbox_pending")
      << ", oldest "
      << MetricOr0(sys, "caserelay_outbox_oldest_pending_seconds") << " s";

  std::printf(
      "published: %zu misses, %zu warnings, %zu letters in %.1f s real with %d "
      "SIGKILLs (restarts %.1f s in all; outbox pending at the kills: %.0f)\n"
      "raw events %zu, distinct %zu, raw repeats %zu (most copies of one id "
      "%d; bound %.0f); fires counted by killed processes %.0f + last process "
      "%.0f = "
      "%.0f for %zu fired timers (scraped before each kill: an estimate)\n",
      distinct_of['m'], distinct_of['w'], distinct_of['s'], fire_seconds,
      figures.kills, figures.restart_seconds, figures.outbox_at_kills, raw,
      payload_of.size(), duplicates, most_copies, outbox_bound,
      figures.fired_by_killed, fired_by_last,
      figures.fired_by_killed + fired_by_last, kCases + warnings);
}

}  // namespace
}  // namespace caserelay::testing
