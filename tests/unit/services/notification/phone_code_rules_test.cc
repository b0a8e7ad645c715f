// The phone code's rules without a store (phone_code_rules.h). Each row
// cites the rule it pins: issue 15 item 2 ("codes expire, are single-use,
// and are throttled per phone and per client address") and the header's
// bounds.

#include "services/notification/phone_code_rules.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1795000000);

TEST(PhoneCodeRulesTest, NextSendAllowed) {
  const absl::Duration h = absl::Hours(1);
  const absl::Duration m = absl::Minutes(1);
  struct Row {
    const char* rule;
    std::vector<absl::Time> times;
    absl::Time now;
    int max;
    absl::Duration gap;
    absl::Time want;
  };
  const Row rows[] = {
      {"nothing sent: now", {}, kT0, 5, m, kT0},
      {"issue 15 #2 per phone: one per resend_interval",
       {kT0},
       kT0 + 30 * absl::Seconds(1),
       5,
       m,
       kT0 + m},
      {"resend_interval passed: now", {kT0}, kT0 + m, 5, m, kT0 + m},
      {"issue 15 #2 per phone: the 6th in the window waits for the 1st to "
       "leave",
       {kT0, kT0 + 2 * m, kT0 + 4 * m, kT0 + 6 * m, kT0 + 8 * m},
       kT0 + 10 * m,
       5,
       m,
       kT0 + h},
      {"the window slid: a send an hour old no longer counts",
       {kT0, kT0 + 2 * m, kT0 + 4 * m, kT0 + 6 * m, kT0 + 8 * m},
       kT0 + h,
       5,
       m,
       kT0 + h},
      {"per address: no gap, only the count",
       {kT0, kT0},
       kT0,
       2,
       absl::ZeroDuration(),
       kT0 + h},
      {"bounded: never more than one window after now",
       {kT0 + 2 * h},
       kT0,
       1,
       absl::ZeroDuration(),
       kT0 + h},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(NextSendAllowed(r.times, r.now, r.max, h, r.gap), r.want)
        << r.rule;
  }
}

TEST(PhoneCodeRulesTest, Redeem) {
  Challenge sent;
  sent.phone_mac = std::string(32, 'p');
  sent.code_mac = std::string(32, 'c');
  sent.expires_at = kT0 + absl::Minutes(10);
  sent.state = ChallengeState::kSent;
  auto with = [&](ChallengeState state, int wrong) {
    Challenge c = sent;
    c.state = state;
    c.wrong = wrong;
    return c;
  };
  struct Row {
    const char* rule;
    Challenge challenge;
    bool matches;
    absl::Time now;
    Verdict want;
    ChallengeState state_after;
    int tries_left;
  };
  const Row rows[] = {
      {"a match within ttl is accepted and uses the challenge", sent, true, kT0,
       Verdict::kAccepted, ChallengeState::kUsed, 0},
      {"issue 15 #2 single use: a used challenge is refused",
       with(ChallengeState::kUsed, 0), true, kT0, Verdict::kUsed,
       ChallengeState::kUsed, 0},
      {"issue 15 #2 expiry: at expires_at it is refused", sent, true,
       kT0 + absl::Minutes(10), Verdict::kExpired, ChallengeState::kSent, 0},
      {"a wrong code spends one try", sent, false, kT0, Verdict::kWrongCode,
       ChallengeState::kSent, 4},
      {"the max_attempts-th wrong code kills it",
       with(ChallengeState::kSent, 4), false, kT0, Verdict::kDead,
       ChallengeState::kDead, 0},
      {"a dead challenge refuses even the right code",
       with(ChallengeState::kDead, 5), true, kT0, Verdict::kDead,
       ChallengeState::kDead, 0},
      {"exactly once: a challenge the gateway did not take is never redeemed",
       with(ChallengeState::kFailed, 0), true, kT0, Verdict::kNotSent,
       ChallengeState::kFailed, 0},
      {"exactly once: nor one whose fate is unknown",
       with(ChallengeState::kUnknown, 0), true, kT0, Verdict::kNotSent,
       ChallengeState::kUnknown, 0},
      {"nor one still sending", with(ChallengeState::kSending, 0), true, kT0,
       Verdict::kNotSent, ChallengeState::kSending, 0},
  };
  for (const Row& r : rows) {
    Redemption got = Redeem(r.challenge, r.matches, r.now, 5);
    EXPECT_EQ(got.verdict, r.want) << r.rule;
    EXPECT_EQ(got.after.state, r.state_after) << r.rule;
    if (r.want == Verdict::kWrongCode) {
      EXPECT_EQ(got.tries_left, r.tries_left) << r.rule;
    }
  }
}

TEST(PhoneCodeRulesTest, RecordsRoundTripAndRefuseCorruption) {
  Challenge c;
  c.phone_mac = std::string(32, '\x01');
  c.code_mac = std::string(32, '\x02');
  c.expires_at = kT0;
  c.state = ChallengeState::kDead;
  c.wrong = 5;
  auto back = DecodeChallenge(EncodeChallenge(c));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->phone_mac, c.phone_mac);
  EXPECT_EQ(back->code_mac, c.code_mac);
  EXPECT_EQ(back->expires_at, c.expires_at);
  EXPECT_EQ(back->state, c.state);
  EXPECT_EQ(back->wrong, 5);
  EXPECT_EQ(DecodeChallenge("short").status().code(),
            absl::StatusCode::kDataLoss);
  std::vector<absl::Time> times = {kT0, kT0 + absl::Seconds(1)};
  auto times_back = DecodeSendTimes(EncodeSendTimes(times));
  ASSERT_TRUE(times_back.ok());
  EXPECT_EQ(*times_back, times);
  EXPECT_EQ(DecodeSendTimes("1234567").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PhoneCodeRulesTest, TextIsChineseWithCodeAndMinutes) {
  EXPECT_EQ(PhoneCodeText("012345", absl::Minutes(10)),
            "【信访】您的验证码为012345，10分钟内有效。如非本人操作，请忽略。");
}

TEST(PhoneCodeRulesTest, CheckLimits) {
  struct Row {
    const char* rule;
    void (*edit)(PhoneCodeLimits&);
    absl::StatusCode want;
  };
  const Row rows[] = {
      {"defaults are valid", [](PhoneCodeLimits&) {}, absl::StatusCode::kOk},
      {"ttl under a minute",
       [](PhoneCodeLimits& l) { l.ttl = absl::Seconds(30); },
       absl::StatusCode::kInvalidArgument},
      {"no try at all", [](PhoneCodeLimits& l) { l.max_attempts = 0; },
       absl::StatusCode::kInvalidArgument},
      {"bounded: a window over a day",
       [](PhoneCodeLimits& l) { l.phone_window = absl::Hours(25); },
       absl::StatusCode::kInvalidArgument},
      {"a window shorter than the resend interval",
       [](PhoneCodeLimits& l) {
         l.address_window = absl::Minutes(1);
         l.resend_interval = absl::Minutes(2);
       },
       absl::StatusCode::kInvalidArgument},
  };
  for (const Row& r : rows) {
    PhoneCodeLimits l;
    r.edit(l);
    EXPECT_EQ(CheckPhoneCodeLimits(l).code(), r.want) << r.rule;
  }
}

}  // namespace
}  // namespace caserelay::notification
