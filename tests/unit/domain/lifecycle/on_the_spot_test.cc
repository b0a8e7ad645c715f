// 领导接访 (issue 18 item 1) in the life cycle: REGISTER keeps the reception
// a visit was registered at, and REPLY's 当场解决 (Command::on_the_spot) is
// only for such a case, on the reception's day. Each row cites its rule.

#include <string>
#include <vector>

#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/internal.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using C = absl::StatusCode;

// The reception of 2026-03-04 at the county government.
v1::ReceptionRef Reception() {
  v1::ReceptionRef ref;
  ref.set_reception_id("JF20260301-0001");
  ref.set_office_code(kCountyGov);
  ref.set_leader_name("王某某");
  ref.set_leader_title("县长");
  ref.set_kind(v1::RECEPTION_KIND_SCHEDULED);
  *ref.mutable_day() = time::ToProto(time::StartOf(absl::CivilDay(2026, 3, 4)));
  return ref;
}

// A visit received at 08:00 on 2026-03-04 (at the reception or not),
// registered, transferred to the county 人社局 and accepted by it, an hour
// apart.
absl::StatusOr<Built> Accepted(const CaseBuilder& b, bool at_reception) {
  const absl::Time start = China(2026, 3, 4, 8);
  v1::PetitionReceived petition = Petition(start);
  petition.mutable_matter()->set_channel(v1::CHANNEL_VISIT);
  if (at_reception) *petition.mutable_reception() = Reception();
  Built built;
  auto registered = b.lifecycle().Register(
      petition, Decision(v1::DISPOSITION_TRANSFER), start, built.record);
  if (!registered.ok()) return registered.status();
  built.last = start;
  auto sent = b.Then(built, v1::CASE_ACTION_TRANSFER, kCountyBureau);
  return b.Then(sent, v1::CASE_ACTION_ACCEPT, kCountyHrss);
}

TEST(OnTheSpotTest, RegisterKeepsTheReceptionOnTheViewAndTheEvent) {
  CaseBuilder b;
  const absl::Time start = China(2026, 3, 4, 8);
  v1::PetitionReceived petition = Petition(start);
  *petition.mutable_reception() = Reception();
  v1::RoutingCaseRecord record;
  auto event = b.lifecycle().Register(
      petition, Decision(v1::DISPOSITION_TRANSFER), start, record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->reception().reception_id(), "JF20260301-0001");
  EXPECT_EQ(event->reception().leader_title(), "县长");
  EXPECT_EQ(record.view().reception().leader_name(), "王某某");
  EXPECT_EQ(record.view().reception().office_code(), kCountyGov);

  // A petition at no reception: none on either.
  v1::RoutingCaseRecord plain;
  auto other = b.lifecycle().Register(
      Petition(start), Decision(v1::DISPOSITION_TRANSFER), start, plain);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(other->has_reception());
  EXPECT_FALSE(plain.view().has_reception());
}

TEST(OnTheSpotTest, OnlyAReceptionsCaseOnItsDayIsResolvedOnTheSpot) {
  struct Row {
    const char* rule;
    bool at_reception;
    absl::Time reply_at;
    bool on_the_spot;
    C want;
  };
  for (const Row& row : std::vector<Row>{
           {"issue 18 item 1: 当场解决 at the reception, on its day", true,
            China(2026, 3, 4, 16), true, C::kOk},
           {"issue 18 item 1: up to the day's last minute (China time)", true,
            China(2026, 3, 4, 23, 59), true, C::kOk},
           {"issue 18 item 1: a reception's case may be replied later, not on "
            "the spot",
            true, China(2026, 3, 5, 9), false, C::kOk},
           {"issue 18 item 1: the next day is no longer 当场", true,
            China(2026, 3, 5, 9), true, C::kFailedPrecondition},
           {"issue 18 item 1: a case not registered at a reception is never "
            "当场解决",
            false, China(2026, 3, 4, 16), true, C::kFailedPrecondition},
           {"Art. 34: a case at no reception is replied as ever", false,
            China(2026, 3, 4, 16), false, C::kOk},
       }) {
    CaseBuilder b;
    auto accepted = Accepted(b, row.at_reception);
    ASSERT_TRUE(accepted.ok()) << row.rule << ": " << accepted.status();
    v1::RoutingCaseRecord record = accepted->record;
    Command cmd = ValidCommand(v1::CASE_ACTION_REPLY, kCountyHrss, row.reply_at);
    cmd.on_the_spot = row.on_the_spot;
    auto event = b.lifecycle().Apply(cmd, record);
    EXPECT_EQ(event.status().code(), row.want) << row.rule << ": "
                                               << event.status();
    if (event.ok()) {
      EXPECT_EQ(event->on_the_spot(), row.on_the_spot) << row.rule;
      EXPECT_EQ(record.view().on_the_spot(), row.on_the_spot) << row.rule;
      EXPECT_EQ(record.view().state(), v1::CASE_STATE_REPLIED) << row.rule;
    } else {
      // Refused with the rule cited, the record unchanged.
      EXPECT_NE(event.status().message().find(internal::kRuleOnTheSpot),
                std::string::npos)
          << row.rule;
      EXPECT_EQ(record.view().state(), v1::CASE_STATE_ACCEPTED) << row.rule;
      EXPECT_FALSE(record.view().on_the_spot()) << row.rule;
    }
  }
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
