// statistics as several instances (issue 19, the read model), through the
// real processes: each instance is a full replica of the index (it reads
// every partition of case-events into its own store), so every instance
// answers the same GetVolume and GetIndicators; one SIGKILLed while cases
// go on and restarted catches up (/readyz says when) and answers the same.
// A bulletin due is issued by exactly one instance (the holder of
// statistics-bulletins' partition in the group) and listed, with the same
// bytes, by every instance, also when the issuing instance is SIGKILLed
// (another takes over).
#include <signal.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file/file.h"
#include "common/time/timestamp.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/petition_steps.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;
using google::protobuf::util::MessageDifferencer;

constexpr int kInstances = 3;

std::unique_ptr<v1::StatisticsService::Stub> StatisticsOf(
    const System& sys, const std::string& instance) {
  return v1::StatisticsService::NewStub(
      sys.Channel(instance, System::kProvinceBureau));
}

// GetVolume of the province on 2026-03-10, by child region; nullopt on an
// error.
std::optional<v1::GetVolumeResponse> Volume(const System& sys,
                                            const std::string& instance) {
  v1::GetVolumeRequest req;
  req.mutable_scope()->set_region_code("140000");
  *req.mutable_from() = time::ToProto(China(2026, 3, 10));
  *req.mutable_to() = time::ToProto(China(2026, 3, 11));
  req.set_breakdown(v1::VOLUME_BREAKDOWN_OFFICE);
  v1::GetVolumeResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = StatisticsOf(sys, instance)->GetVolume(&ctx, req, &resp);
  if (!s.ok()) return std::nullopt;
  resp.clear_as_of();  // each instance's own moment of answering
  return resp;
}

std::optional<v1::GetIndicatorsResponse> Indicators(
    const System& sys, const std::string& instance) {
  v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_region_code("140000");
  *req.mutable_from() = time::ToProto(China(2026, 3, 1));
  *req.mutable_to() = time::ToProto(China(2026, 3, 11));
  req.set_breakdown(v1::BREAKDOWN_OFFICE);
  v1::GetIndicatorsResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = StatisticsOf(sys, instance)->GetIndicators(&ctx, req, &resp);
  if (!s.ok()) return std::nullopt;
  return resp;
}

int64_t Counted(const System& sys, const std::string& instance) {
  std::optional<v1::GetVolumeResponse> v = Volume(sys, instance);
  return v.has_value() ? v->total().current().cases() : -1;
}

// Waits (up to 90 s) until `instance` counts `n` cases on 2026-03-10.
bool AwaitCounted(const System& sys, const std::string& instance, int64_t n) {
  const absl::Time until = absl::Now() + Scaled(absl::Seconds(90));
  while (Counted(sys, instance) != n && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(300));
  }
  return Counted(sys, instance) == n;
}

// /readyz of an instance: its HTTP status (-1 unreachable).
int Readyz(const System& sys, const std::string& instance) {
  absl::StatusOr<System::AdminReply> reply = sys.Get(instance, "/readyz");
  return reply.ok() ? reply->code : -1;
}

// Every instance gives the first one's answers.
void ExpectSameAnswers(const System& sys) {
  const std::vector<std::string> instances = sys.Instances("statistics");
  std::optional<v1::GetVolumeResponse> volume = Volume(sys, instances[0]);
  std::optional<v1::GetIndicatorsResponse> indicators =
      Indicators(sys, instances[0]);
  ASSERT_TRUE(volume.has_value());
  ASSERT_TRUE(indicators.has_value());
  for (const std::string& instance : instances) {
    SCOPED_TRACE(instance);
    std::optional<v1::GetVolumeResponse> v = Volume(sys, instance);
    std::optional<v1::GetIndicatorsResponse> i = Indicators(sys, instance);
    ASSERT_TRUE(v.has_value());
    ASSERT_TRUE(i.has_value());
    EXPECT_TRUE(MessageDifferencer::Equals(*v, *volume))
        << v->DebugString() << "\nvs\n"
        << volume->DebugString();
    EXPECT_TRUE(MessageDifferencer::Equals(*i, *indicators))
        << i->DebugString() << "\nvs\n"
        << indicators->DebugString();
  }
}

TEST(StatisticsReplicasTest, EveryInstanceAnswersTheSameAndARestartedOneCatchesUp) {
  SystemOptions options;
  options.simulated_start = China(2026, 3, 10, 9);
  options.services = {"intake", "routing", "supervision", "statistics"};
  options.instances = {{"statistics", kInstances}};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& s = **sys;
  const std::vector<std::string> instances = s.Instances("statistics");
  ASSERT_EQ(instances.size(), static_cast<size_t>(kInstances));

  // Cases from two counties, so the rows differ by office.
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(
        Submit(s, SamplePetition(i % 2 == 0 ? "140431" : "140105", 500 + i))
            .ok());
  }
  for (const std::string& instance : instances) {
    ASSERT_TRUE(AwaitCounted(s, instance, 12)) << instance;
    EXPECT_EQ(Readyz(s, instance), 200) << instance;
  }
  ExpectSameAnswers(s);

  // One replica lost while cases go on; the others answer meanwhile.
  s.Kill(instances[1], SIGKILL);
  for (int i = 12; i < 20; ++i) {
    ASSERT_TRUE(Submit(s, SamplePetition("140431", 500 + i)).ok());
  }
  ASSERT_TRUE(AwaitCounted(s, instances[0], 20));
  ASSERT_TRUE(AwaitCounted(s, instances[2], 20));
  ASSERT_TRUE(s.Restart(instances[1]).ok());
  // Ready once it has read case-events to the end it found.
  const absl::Time until = absl::Now() + Scaled(absl::Seconds(60));
  while (Readyz(s, instances[1]) != 200 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_EQ(Readyz(s, instances[1]), 200);
  EXPECT_EQ(Counted(s, instances[1]), 20);
  ExpectSameAnswers(s);
}

// Every bulletin of the province bureau an instance lists, the last first.
std::vector<v1::Bulletin> List(const System& sys, const std::string& instance) {
  v1::ListBulletinsRequest req;
  req.set_bureau_code(System::kProvinceBureau);
  v1::ListBulletinsResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = StatisticsOf(sys, instance)->ListBulletins(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << instance << ": " << s.error_message();
  return {resp.bulletins().begin(), resp.bulletins().end()};
}

// Waits (up to `wait`) until `instance` lists `n` bulletins.
std::vector<v1::Bulletin> AwaitBulletins(const System& sys,
                                         const std::string& instance, size_t n,
                                         absl::Duration wait) {
  const absl::Time until = absl::Now() + wait;
  std::vector<v1::Bulletin> got = List(sys, instance);
  while (got.size() < n && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(500));
    got = List(sys, instance);
  }
  return got;
}

std::string Pdf(const System& sys, const std::string& instance,
                const std::string& id) {
  v1::GetBulletinRequest req;
  req.set_id(id);
  req.set_format(v1::BULLETIN_FORMAT_PDF);
  v1::GetBulletinResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = StatisticsOf(sys, instance)->GetBulletin(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << instance << ": " << s.error_message();
  return resp.document();
}

// The instance's log file (harness: statistics.log, statistics-k.log).
std::string LogOf(const System& sys, const std::string& instance) {
  const std::string stem =
      instance == "statistics"
          ? instance
          : absl::StrCat("statistics-", instance.substr(instance.find('#') + 1));
  absl::StatusOr<std::string> log =
      file::ReadFile(absl::StrCat(sys.dir(), "/", stem, ".log"));
  return log.ok() ? *log : "";
}

// How many times the instances' logs say they made bulletin `id`.
int TimesMade(const System& sys, const std::string& id) {
  int made = 0;
  for (const std::string& instance : sys.Instances("statistics")) {
    for (absl::string_view line : absl::StrSplit(LogOf(sys, instance), '\n')) {
      if (absl::StrContains(line, "bulletin issued") &&
          absl::StrContains(line, id)) {
        ++made;
      }
    }
  }
  return made;
}

// The instance that holds the issuer's lease now (the last of its lease
// lines says so), but `killed` (whose log ends where it died).
std::string Issuer(const System& sys, const std::string& killed = "") {
  for (const std::string& instance : sys.Instances("statistics")) {
    if (instance == killed) continue;
    const std::string log = LogOf(sys, instance);
    const size_t held = log.rfind("this instance issues the scheduled");
    const size_t lost = log.rfind("another instance issues the scheduled");
    if (held != std::string::npos && (lost == std::string::npos || lost < held)) {
      return instance;
    }
  }
  return "";
}

// Every instance lists `want` (ids, the last first) with the same records.
void ExpectListedByEvery(const System& sys,
                         const std::vector<std::string>& want) {
  std::vector<v1::Bulletin> first;
  for (const std::string& instance : sys.Instances("statistics")) {
    SCOPED_TRACE(instance);
    std::vector<v1::Bulletin> got =
        AwaitBulletins(sys, instance, want.size(), Scaled(absl::Seconds(60)));
    std::vector<std::string> ids;
    for (const v1::Bulletin& b : got) ids.push_back(b.id());
    EXPECT_EQ(ids, want);
    if (first.empty()) {
      first = got;
      continue;
    }
    ASSERT_EQ(got.size(), first.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(got[i], first[i]))
          << got[i].DebugString() << "\nvs\n"
          << first[i].DebugString();
    }
  }
}

TEST(StatisticsReplicasTest, ABulletinIsIssuedOnceAndListedByEveryInstance) {
  SystemOptions options;
  options.simulated_start = China(2026, 3, 10, 9);  // a Tuesday
  options.services = {"intake", "routing", "supervision", "statistics"};
  options.instances = {{"statistics", kInstances}};
  options.settings["statistics"] = {{"bulletins.bureaus", "140000:bureau"},
                                    {"bulletins.kinds", "daily"}};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& s = **sys;
  const std::vector<std::string> instances = s.Instances("statistics");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Submit(s, SamplePetition("140431", 600 + i)).ok());
  }
  for (const std::string& instance : instances) {
    ASSERT_TRUE(AwaitCounted(s, instance, 3)) << instance;
  }

  // The series began with the daily of Monday 03-09, due 03-10 08:00:
  // issued once, by the lease's holder, and listed by every instance.
  const std::string monday = "140000:bureau/daily/2026-03-09";
  std::vector<v1::Bulletin> issued = AwaitBulletins(
      s, instances[0], 1, Scaled(absl::Seconds(240)));
  ASSERT_EQ(issued.size(), 1u);
  ExpectListedByEvery(s, {monday});
  EXPECT_EQ(TimesMade(s, monday), 1);
  const std::string issuer = Issuer(s);
  ASSERT_FALSE(issuer.empty());
  const std::string monday_pdf = Pdf(s, instances[0], monday);
  for (const std::string& instance : instances) {
    EXPECT_EQ(Pdf(s, instance, monday), monday_pdf) << instance;
  }

  // The issuer dies; the daily of 03-10 falls due at 03-11 08:00: another
  // instance takes over (after the group's session timeout) and issues it,
  // 第2期, once.
  s.Kill(issuer, SIGKILL);
  s.clock().Set(China(2026, 3, 11, 8));
  const std::string tuesday = "140000:bureau/daily/2026-03-10";
  std::string survivor = issuer == instances[0] ? instances[1] : instances[0];
  issued = AwaitBulletins(s, survivor, 2, Scaled(absl::Seconds(300)));
  ASSERT_EQ(issued.size(), 2u);
  EXPECT_EQ(issued[0].id(), tuesday);
  EXPECT_EQ(issued[0].number(), 2);
  EXPECT_EQ(issued[0].title(), "山西省信访局 每日信访 2026年第2期");
  const std::string new_issuer = Issuer(s, issuer);
  EXPECT_NE(new_issuer, issuer);
  EXPECT_FALSE(new_issuer.empty());

  // The killed one back: it applies what was issued while it was away.
  ASSERT_TRUE(s.Restart(issuer).ok());
  ExpectListedByEvery(s, {tuesday, monday});
  EXPECT_EQ(TimesMade(s, monday), 1);
  EXPECT_EQ(TimesMade(s, tuesday), 1);
  const std::string tuesday_pdf = Pdf(s, survivor, tuesday);
  for (const std::string& instance : instances) {
    EXPECT_EQ(Pdf(s, instance, tuesday), tuesday_pdf) << instance;
    EXPECT_EQ(Pdf(s, instance, monday), monday_pdf) << instance;
  }
}

}  // namespace
}  // namespace caserelay::testing
