// The phone code book over a real temp-dir store and the fake gateway
// (phone_codes.h), and the two RPCs' callers (notification_service.h).
// Rows cite issue 15 item 2 ("codes expire, are single-use, and are
// throttled per phone and per client address") or the header's rule.

#include "services/notification/phone_codes.h"

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "caserelay/v1/notification.pb.h"
#include "domain/sms/segment.h"
#include "gtest/gtest.h"
#include "services/notification/message_book.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

constexpr char kPhone[] = "13800138000";
constexpr char kOtherPhone[] = "13900139000";
constexpr char kAddress[] = "ipv4:203.0.113.7";
constexpr char kOtherAddress[] = "ipv4:198.51.100.9";
const std::string kSecret(40, 's');

class PhoneCodesTest : public svctest::StoreFixture {
 protected:
  PhoneCodesTest() : StoreFixture(ColumnFamilies()) {}
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    book_ = std::make_unique<PhoneCodeBook>(&t_->store(), &t_->clock(),
                                            &gateway_, kSecret, limits_);
  }

  // Sends a code to `phone` from `address`; the challenge, and the code
  // read from the SMS the gateway took, in `*code`.
  absl::StatusOr<SentCode> Send(const std::string& phone,
                                const std::string& address,
                                std::string* code = nullptr) {
    auto sent = book_->Send(phone, address);
    if (sent.ok() && code != nullptr) {
      std::vector<OutgoingPart> parts = gateway_.sent();
      EXPECT_FALSE(parts.empty());
      std::smatch m;
      const std::string text = sms::Utf16ToUtf8(parts.back().text);
      EXPECT_TRUE(std::regex_search(text, m, std::regex("验证码为([0-9]{6})")))
          << text;
      *code = m.size() > 1 ? m[1].str() : "";
    }
    return sent;
  }

  PhoneCodeLimits limits_;
  FakeGateway gateway_;
  std::unique_ptr<PhoneCodeBook> book_;
};

TEST_F(PhoneCodesTest, SendsOneChineseSmsAndKeepsNeitherPhoneNorCode) {
  std::string code;
  auto sent = Send("+86 138-0013-8000", kAddress, &code);
  ASSERT_TRUE(sent.ok()) << sent.status();
  ASSERT_EQ(gateway_.sent().size(), 1u);  // exactly one SMS per request
  const OutgoingPart part = gateway_.sent()[0];
  EXPECT_EQ(part.phone, kPhone);  // normalised
  EXPECT_EQ(
      sms::Utf16ToUtf8(part.text),
      "【信访】您的验证码为" + code + "，10分钟内有效。如非本人操作，请忽略。");
  EXPECT_EQ(sent->challenge_id.size(), 32u);
  EXPECT_EQ(sent->expires_at, t_->clock().Now() + absl::Minutes(10));
  EXPECT_EQ(sent->resend_after, t_->clock().Now() + absl::Seconds(60));
  // Keyed hashes only: no record, key or value holds the number or code.
  absl::Status s = t_->store().Scan(
      kPhoneCodes, "", "", [&](std::string_view k, std::string_view v) {
        for (const std::string& secret :
             {std::string(kPhone), std::string("8000138000"), code}) {
          EXPECT_EQ(std::string(k).find(secret), std::string::npos)
              << "a key holds it";
          EXPECT_EQ(std::string(v).find(secret), std::string::npos)
              << "a value holds it";
        }
        return true;
      });
  EXPECT_TRUE(s.ok()) << s;
}

// One step of a redemption scenario after a Send to kPhone.
struct Try {
  enum What { kRight, kWrong, kOtherPhoneRight, kMalformed } what;
  absl::Duration wait_before = absl::ZeroDuration();
  absl::StatusCode want = absl::StatusCode::kOk;
};

TEST_F(PhoneCodesTest, Redemption) {
  using C = absl::StatusCode;
  const absl::Duration s = absl::Seconds(1);
  struct Row {
    const char* rule;
    std::vector<Try> tries;
  };
  const std::vector<Row> rows = {
      {"issue 15 #2: the right code within ttl is accepted", {{Try::kRight}}},
      {"issue 15 #2 single use: the second redemption is refused",
       {{Try::kRight}, {Try::kRight, {}, C::kFailedPrecondition}}},
      {"issue 15 #2 expiry: refused at ttl",
       {{Try::kRight, absl::Minutes(10), C::kFailedPrecondition}}},
      {"accepted a second before ttl", {{Try::kRight, absl::Minutes(10) - s}}},
      {"wrong tries: 4 wrong codes leave the 5th try",
       {{Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kInvalidArgument},
        {Try::kRight}}},
      {"wrong tries: the 5th wrong code kills the challenge",
       {{Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kInvalidArgument},
        {Try::kWrong, {}, C::kFailedPrecondition},
        {Try::kRight, {}, C::kFailedPrecondition}}},
      {"the code proves only the phone it went to (a try spent)",
       {{Try::kOtherPhoneRight, {}, C::kInvalidArgument}, {Try::kRight}}},
      {"a malformed code spends no try",
       {{Try::kMalformed, {}, C::kInvalidArgument},
        {Try::kMalformed, {}, C::kInvalidArgument},
        {Try::kMalformed, {}, C::kInvalidArgument},
        {Try::kMalformed, {}, C::kInvalidArgument},
        {Try::kMalformed, {}, C::kInvalidArgument},
        {Try::kRight}}},
  };
  int n = 0;
  for (const Row& r : rows) {
    // A phone of its own per row, far apart, so no throttle meets.
    t_->clock().Advance(absl::Hours(2));
    const std::string phone = "1380013" + std::to_string(8100 + ++n);
    std::string code;
    auto sent = Send(phone, kAddress, &code);
    ASSERT_TRUE(sent.ok()) << r.rule << ": " << sent.status();
    const std::string wrong = code == "000000" ? "000001" : "000000";
    for (size_t i = 0; i < r.tries.size(); ++i) {
      const Try& t = r.tries[i];
      t_->clock().Advance(t.wait_before);
      absl::Status got;
      switch (t.what) {
        case Try::kRight:
          got = book_->Redeem(sent->challenge_id, phone, code);
          break;
        case Try::kWrong:
          got = book_->Redeem(sent->challenge_id, phone, wrong);
          break;
        case Try::kOtherPhoneRight:
          got = book_->Redeem(sent->challenge_id, kOtherPhone, code);
          break;
        case Try::kMalformed:
          got = book_->Redeem(sent->challenge_id, phone, "12ab56");
          break;
      }
      EXPECT_EQ(got.code(), t.want)
          << r.rule << ", try " << i + 1 << ": " << got;
      if (!got.ok()) {
        EXPECT_TRUE(absl::StartsWith(got.message(), "phone_proof")) << got;
      }
    }
  }
  // An id never issued.
  EXPECT_EQ(book_->Redeem(std::string(32, 'a'), kPhone, "123456").code(),
            absl::StatusCode::kFailedPrecondition);
}

// One request for a code in a throttle scenario.
struct Ask {
  absl::Duration wait_before;
  const char* phone;
  const char* address;
  absl::StatusCode want;
  int64_t retry_after = 0;  // for RESOURCE_EXHAUSTED: seconds, 0: any
};

TEST_F(PhoneCodesTest, Throttles) {
  using C = absl::StatusCode;
  const absl::Duration m = absl::Minutes(1);
  const absl::Duration s = absl::Seconds(1);
  const absl::Duration z = absl::ZeroDuration();
  struct Row {
    const char* rule;
    std::vector<Ask> asks;
  };
  std::vector<Ask> five = {{z, kPhone, kAddress, C::kOk},
                           {m, kPhone, kAddress, C::kOk},
                           {m, kPhone, kAddress, C::kOk},
                           {m, kPhone, kAddress, C::kOk},
                           {m, kPhone, kAddress, C::kOk}};
  std::vector<Ask> five_then_more = five;
  five_then_more.push_back(
      {m, kPhone, kOtherAddress, C::kResourceExhausted, 55 * 60});
  // Bounded: asking on and on counts nothing, so the lock ends when the
  // first of the five leaves the hour (an attacker cannot lengthen it).
  for (int i = 0; i < 50; ++i) {
    five_then_more.push_back({s, kPhone, kOtherAddress, C::kResourceExhausted});
  }
  const std::vector<Row> rows = {
      {"issue 15 #2 per phone: one per resend_interval, whatever the address",
       {{z, kPhone, kAddress, C::kOk},
        {30 * s, kPhone, kOtherAddress, C::kResourceExhausted, 30},
        {30 * s, kPhone, kOtherAddress, C::kOk}}},
      {"issue 15 #2 per phone: five an hour", five_then_more},
      {"bounded window: the 6th goes once the 1st is an hour old",
       [&] {
         std::vector<Ask> a = five;
         a.push_back({56 * m, kPhone, kOtherAddress, C::kOk});
         return a;
       }()},
  };
  for (const Row& r : rows) {
    // A fresh book over a fresh store per row.
    auto t =
        svctest::TestContext::Create(ColumnFamilies(), svctest::FixtureStart());
    ASSERT_TRUE(t.ok());
    PhoneCodeBook book(&(*t)->store(), &(*t)->clock(), &gateway_, kSecret,
                       limits_);
    int i = 0;
    for (const Ask& a : r.asks) {
      ++i;
      (*t)->clock().Advance(a.wait_before);
      auto got = book.Send(a.phone, a.address);
      ASSERT_EQ(got.status().code(), a.want) << r.rule << ", ask " << i;
      if (a.want == C::kResourceExhausted) {
        auto after = got.status().GetPayload(kRetryAfterPayload);
        ASSERT_TRUE(after.has_value()) << r.rule;
        if (a.retry_after != 0) {
          EXPECT_EQ(std::string(*after), std::to_string(a.retry_after))
              << r.rule << ", ask " << i;
        }
      }
    }
  }
}

TEST_F(PhoneCodesTest, PerAddressBudgetDoesNotTouchOtherAddresses) {
  // issue 15 #2 per client address: ten codes an hour from one address,
  // to ten phones; the eleventh refused; another address unaffected.
  for (int i = 0; i < 10; ++i) {
    auto got = book_->Send("1370013" + std::to_string(7000 + i), kAddress);
    ASSERT_TRUE(got.ok()) << i << ": " << got.status();
  }
  auto refused = book_->Send("13700138888", kAddress);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(book_->Send("13700138888", kOtherAddress).ok());
  t_->clock().Advance(absl::Hours(1));
  EXPECT_TRUE(book_->Send("13700139999", kAddress).ok());
}

TEST_F(PhoneCodesTest, GatewayFailureIsUnavailableAndTheChallengeIsDead) {
  // Exactly once: recorded before the call, never redeemable after a
  // refusal, and the attempt counts against the phone.
  gateway_.FailNext(1, absl::StatusCode::kUnavailable);
  auto sent = book_->Send(kPhone, kAddress);
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(gateway_.send_calls(), 1);
  EXPECT_EQ(book_->Send(kPhone, kAddress).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(PhoneCodesTest, ForgottenRecordsAreSwept) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        book_->Send("1370013" + std::to_string(7100 + i), kAddress).ok());
  }
  t_->clock().Advance(absl::Hours(2));
  ASSERT_TRUE(book_->Send(kPhone, kOtherAddress).ok());
  // Left: the new challenge, its phone and address, their 3 index entries.
  int records = 0;
  ASSERT_TRUE(t_->store()
                  .Scan(kPhoneCodes, "", "",
                        [&](std::string_view, std::string_view) {
                          ++records;
                          return true;
                        })
                  .ok());
  EXPECT_EQ(records, 6);
}

TEST_F(PhoneCodesTest, CountsEachOutcomeForOperators) {
  // phone_codes.h: caserelay_phone_codes_total{result} and
  // caserelay_phone_code_redemptions_total{verdict} (operator guide).
  PhoneCodeBook book(&t_->store(), &t_->clock(), &gateway_, kSecret, limits_,
                     &t_->metrics());
  auto sends = [&](const char* result) {
    return t_->metrics()
        .GetCounter("caserelay_phone_codes_total",
                    "Phone-code requests (SendPhoneCode), by result.",
                    {{"result", result}})
        .Value();
  };
  auto redemptions = [&](const char* verdict) {
    return t_->metrics()
        .GetCounter("caserelay_phone_code_redemptions_total",
                    "Phone-code redemptions (RedeemPhoneCode), by verdict.",
                    {{"verdict", verdict}})
        .Value();
  };
  auto sent = book.Send(kPhone, kAddress);
  ASSERT_TRUE(sent.ok());
  const std::string text = sms::Utf16ToUtf8(gateway_.sent().back().text);
  const std::string code = text.substr(text.find("为") + 3, 6);
  EXPECT_FALSE(book.Send(kPhone, kAddress).ok());
  EXPECT_FALSE(book.Send("12345", kAddress).ok());
  const std::string wrong = code == "000000" ? "000001" : "000000";
  EXPECT_FALSE(book.Redeem(sent->challenge_id, kPhone, wrong).ok());
  EXPECT_TRUE(book.Redeem(sent->challenge_id, kPhone, code).ok());
  EXPECT_FALSE(book.Redeem(sent->challenge_id, kPhone, code).ok());
  EXPECT_FALSE(book.Redeem(std::string(32, 'f'), kPhone, code).ok());
  EXPECT_EQ(sends("sent"), 1u);
  EXPECT_EQ(sends("throttled_phone"), 1u);
  EXPECT_EQ(sends("invalid"), 1u);
  EXPECT_EQ(redemptions("wrong_code"), 1u);
  EXPECT_EQ(redemptions("accepted"), 1u);
  EXPECT_EQ(redemptions("used"), 1u);
  EXPECT_EQ(redemptions("unknown"), 1u);
}

TEST_F(PhoneCodesTest, SecretFile) {
  EXPECT_EQ(PhoneCodeBook::ParseSecret("short\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto ok = PhoneCodeBook::ParseSecret("  " + kSecret + "  \nignored\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, kSecret);
}

// The callers of the two RPCs (notification.proto): codes are asked by
// the gateway only and redeemed by intake only.
TEST_F(PhoneCodesTest, OnlyWebAsksAndOnlyIntakeRedeems) {
  svctest::FixedCaller caller("service:web");
  t_->set_auth(&caller);
  MessageBook messages(t_->context());
  NotificationServiceImpl service(
      t_->context(), &messages, "fake", [] {}, {}, nullptr, book_.get());
  struct Row {
    const char* rule;
    const char* principal;
    bool send;  // else redeem
    grpc::StatusCode want;
  };
  const Row rows[] = {
      {"web asks", "service:web", true, grpc::StatusCode::OK},
      {"intake may not ask", "service:intake", true,
       grpc::StatusCode::PERMISSION_DENIED},
      {"an office may not ask", "140431:bureau", true,
       grpc::StatusCode::PERMISSION_DENIED},
      {"web may not redeem", "service:web", false,
       grpc::StatusCode::PERMISSION_DENIED},
      {"an office may not redeem", "140431:bureau", false,
       grpc::StatusCode::PERMISSION_DENIED},
      // Reaches the book: an unknown challenge.
      {"intake redeems", "service:intake", false,
       grpc::StatusCode::FAILED_PRECONDITION},
  };
  for (const Row& r : rows) {
    caller.Become(r.principal);
    grpc::ServerContext ctx;
    grpc::Status got;
    if (r.send) {
      caserelay::v1::SendPhoneCodeRequest req;
      req.set_phone(kPhone);
      caserelay::v1::SendPhoneCodeResponse resp;
      got = service.SendPhoneCode(&ctx, &req, &resp);
    } else {
      caserelay::v1::RedeemPhoneCodeRequest req;
      req.set_challenge_id(std::string(32, 'b'));
      req.set_phone(kPhone);
      req.set_code("123456");
      caserelay::v1::RedeemPhoneCodeResponse resp;
      got = service.RedeemPhoneCode(&ctx, &req, &resp);
    }
    EXPECT_EQ(got.error_code(), r.want)
        << r.rule << ": " << got.error_message();
  }
}

}  // namespace
}  // namespace caserelay::notification
