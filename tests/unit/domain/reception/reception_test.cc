// domain/reception: the published schedule's rules (领导接访, issue 18 item
// 1). Table-driven; each row cites its rule.
#include "domain/reception/reception.h"

#include <string>
#include <vector>

#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace caserelay::reception {
namespace {

using C = absl::StatusCode;
namespace v1 = ::caserelay::v1;

const absl::CivilDay kToday(2026, 3, 4);

v1::PublishReceptionRequest Good() {
  v1::PublishReceptionRequest req;
  req.set_leader_name("王县长");
  req.set_leader_title("县长");
  req.set_kind(v1::RECEPTION_KIND_SCHEDULED);
  req.set_day("2026-03-06");
  req.set_place("县信访局接待大厅");
  req.set_topic("征地拆迁");
  return req;
}

TEST(ReceptionTest, PublishNeedsLeaderKindDayAndPlace) {
  struct Row {
    const char* rule;
    void (*change)(v1::PublishReceptionRequest&);
    C want;
    const char* field;  // the message starts with it
  };
  for (const Row& row : std::vector<Row>{
           {"issue 18 item 1: leader, date, place, topic", [](auto&) {},
            C::kOk, ""},
           {"issue 18 item 1: the topic is optional",
            [](auto& r) { r.clear_topic(); }, C::kOk, ""},
           {"issue 18 item 1: a reception today may be published",
            [](auto& r) { r.set_day("2026-03-04"); }, C::kOk, ""},
           {"issue 18 item 1: 下访 is a kind of reception",
            [](auto& r) { r.set_kind(v1::RECEPTION_KIND_DOWN_VISIT); },
            C::kOk, ""},
           {"issue 18 item 1: the leader is named",
            [](auto& r) { r.clear_leader_name(); }, C::kInvalidArgument,
            "leader_name"},
           {"issue 18 item 1: and their title",
            [](auto& r) { r.clear_leader_title(); }, C::kInvalidArgument,
            "leader_title"},
           {"issue 18 item 1: the kind (接访日, 下访, 带案下访) is chosen",
            [](auto& r) { r.set_kind(v1::RECEPTION_KIND_UNSPECIFIED); },
            C::kInvalidArgument, "kind"},
           {"issue 18 item 1: an unknown kind is refused",
            [](auto& r) { r.set_kind(static_cast<v1::ReceptionKind>(9)); },
            C::kInvalidArgument, "kind"},
           {"issue 18 item 1: the date is given",
            [](auto& r) { r.clear_day(); }, C::kInvalidArgument, "day"},
           {"issue 18 item 1: a date is YYYY-MM-DD",
            [](auto& r) { r.set_day("2026-3-6"); }, C::kInvalidArgument,
            "day"},
           {"issue 18 item 1: a date that does not exist",
            [](auto& r) { r.set_day("2026-02-30"); }, C::kInvalidArgument,
            "day"},
           {"issue 18 item 1: a published schedule is of days to come",
            [](auto& r) { r.set_day("2026-03-03"); }, C::kInvalidArgument,
            "day"},
           {"ReceptionBounds: at most a year ahead",
            [](auto& r) { r.set_day("2027-03-06"); }, C::kInvalidArgument,
            "day"},
           {"issue 18 item 1: the place is given",
            [](auto& r) { r.clear_place(); }, C::kInvalidArgument, "place"},
           {"ReceptionBounds: a leader's name of at most 20 characters",
            [](auto& r) { r.set_leader_name(std::string(21 * 3, 'a')); },
            C::kInvalidArgument, "leader_name"},
           {"ReceptionBounds: a topic of at most 200 characters",
            [](auto& r) {
              std::string topic;
              for (int i = 0; i < 201; ++i) topic += "访";
              r.set_topic(topic);
            },
            C::kInvalidArgument, "topic"},
       }) {
    v1::PublishReceptionRequest req = Good();
    row.change(req);
    absl::Status got = ValidatePublish(req, kToday);
    EXPECT_EQ(got.code(), row.want) << row.rule << ": " << got;
    EXPECT_TRUE(absl::StartsWith(got.message(), row.field)) << row.rule;
  }
}

v1::Reception Published(const char* office, const char* day) {
  v1::Reception r;
  r.set_reception_id("JF20260301-0001");
  r.set_office_code(office);
  r.set_leader_name("王县长");
  r.set_leader_title("县长");
  r.set_kind(v1::RECEPTION_KIND_SCHEDULED);
  r.set_day(day);
  r.set_place("县信访局接待大厅");
  return r;
}

TEST(ReceptionTest, CancelledOnlyBeforeItsDayAndOnce) {
  struct Row {
    const char* rule;
    const char* day;
    bool cancelled;
    C want;
  };
  for (const Row& row : std::vector<Row>{
           {"issue 18 item 1: cancelled before its day", "2026-03-05", false,
            C::kOk},
           {"issue 18 item 1: not on its day (visits are being received)",
            "2026-03-04", false, C::kFailedPrecondition},
           {"issue 18 item 1: not after it", "2026-03-01", false,
            C::kFailedPrecondition},
           {"issue 18 item 1: not twice", "2026-03-05", true,
            C::kFailedPrecondition},
       }) {
    v1::Reception r = Published("140431:gov", row.day);
    r.set_cancelled(row.cancelled);
    absl::Status got = CheckCancel(r, kToday);
    EXPECT_EQ(got.code(), row.want) << row.rule << ": " << got;
    if (!got.ok()) {
      EXPECT_NE(got.message().find(kRuleCancel), std::string::npos)
          << row.rule;
    }
  }
}

TEST(ReceptionTest, AVisitIsRegisteredByTheOfficeOnTheDay) {
  struct Row {
    const char* rule;
    const char* day;
    bool cancelled;
    const char* office;
    v1::Channel channel;
    C want;
  };
  for (const Row& row : std::vector<Row>{
           {"issue 18 item 1: a visit at the office's reception on its day",
            "2026-03-04", false, "140431:gov", v1::CHANNEL_VISIT, C::kOk},
           {"issue 18 item 1: not before its day", "2026-03-05", false,
            "140431:gov", v1::CHANNEL_VISIT, C::kFailedPrecondition},
           {"issue 18 item 1: not after its day", "2026-03-03", false,
            "140431:gov", v1::CHANNEL_VISIT, C::kFailedPrecondition},
           {"issue 18 item 1: by the office holding it", "2026-03-04", false,
            "140431:bureau", v1::CHANNEL_VISIT, C::kFailedPrecondition},
           {"issue 18 item 1: not at a cancelled reception", "2026-03-04",
            true, "140431:gov", v1::CHANNEL_VISIT, C::kFailedPrecondition},
           {"Art. 17: a reception receives visits (走访), not letters",
            "2026-03-04", false, "140431:gov", v1::CHANNEL_LETTER,
            C::kFailedPrecondition},
           {"Art. 17: nor online petitions", "2026-03-04", false,
            "140431:gov", v1::CHANNEL_ONLINE, C::kFailedPrecondition},
       }) {
    v1::Reception r = Published("140431:gov", row.day);
    r.set_cancelled(row.cancelled);
    absl::Status got = CheckVisit(r, row.office, row.channel, kToday);
    EXPECT_EQ(got.code(), row.want) << row.rule << ": " << got;
    if (!got.ok()) {
      EXPECT_TRUE(absl::StartsWith(got.message(), "reception_id: "))
          << row.rule;
      EXPECT_NE(got.message().find(kRuleVisit), std::string::npos)
          << row.rule;
    }
  }
}

TEST(ReceptionTest, TheRefCarriesTheLeaderAndTheDayAtMidnightInChina) {
  v1::ReceptionRef ref = RefOf(Published("140431:gov", "2026-03-04"));
  EXPECT_EQ(ref.reception_id(), "JF20260301-0001");
  EXPECT_EQ(ref.office_code(), "140431:gov");
  EXPECT_EQ(ref.leader_name(), "王县长");
  EXPECT_EQ(ref.leader_title(), "县长");
  EXPECT_EQ(ref.kind(), v1::RECEPTION_KIND_SCHEDULED);
  EXPECT_EQ(time::FromProto(ref.day()), time::StartOf(kToday));
}

TEST(ReceptionTest, IdsAreTheDayAndASequence) {
  EXPECT_EQ(ReceptionId(kToday, 7), "JF20260304-0007");
  EXPECT_EQ(ReceptionId(kToday, 12345), "JF20260304-12345");
  EXPECT_TRUE(MayBeReceptionId("JF20260304-0007"));
  EXPECT_FALSE(MayBeReceptionId(""));
  EXPECT_FALSE(MayBeReceptionId("JF/../x"));
  EXPECT_FALSE(MayBeReceptionId(std::string(33, 'J')));
}

}  // namespace
}  // namespace caserelay::reception
