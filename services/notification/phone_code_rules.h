// The rules of the phone code (手机验证码, issue 15 item 2), without store,
// gateway or gRPC: how long a code lives, how many wrong codes kill a
// challenge, how often a phone and a client address may be sent a code,
// what one redemption does to a challenge, and the SMS text. The book
// (phone_codes.h) keeps the records these decide over.
//
// Throttles are sliding windows over the times codes were sent: a phone
// gets at most `per_phone` codes in any `phone_window` and none within
// `resend_interval` of the last; a client address at most `per_address` in
// any `address_window`. A refused request counts nothing, so asking more
// never lengthens a refusal: the longest a phone can be refused is one
// window after the oldest counted send (bounded; lookup_limits.h keeps the
// same promise for look-ups), and keeping it refused costs whoever does it
// `per_phone` codes of their own addresses' budgets every window, each an
// SMS to the phone's holder.
//
// Thread safety: value types and stateless functions.

#ifndef CASERELAY_SERVICES_NOTIFICATION_PHONE_CODE_RULES_H_
#define CASERELAY_SERVICES_NOTIFICATION_PHONE_CODE_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::notification {

// The settings phone_code.* (definition.cc).
struct PhoneCodeLimits {
  absl::Duration ttl = absl::Minutes(10);  // a code is refused after it
  int max_attempts = 5;  // the max_attempts-th wrong code kills a challenge
  absl::Duration resend_interval = absl::Seconds(60);  // per phone
  int per_phone = 5;
  absl::Duration phone_window = absl::Hours(1);
  int per_address = 10;
  absl::Duration address_window = absl::Hours(1);
};

// OK, or INVALID_ARGUMENT naming the setting: ttl 1 min..1 h, max_attempts
// 1..10, resend_interval 0..1 h, per_phone and per_address 1..1000,
// windows 1 min..24 h and not shorter than resend_interval.
absl::Status CheckPhoneCodeLimits(const PhoneCodeLimits& limits);

// The times codes were sent to one phone or one address, oldest first, as
// stored: 8 bytes (µs since the epoch, big-endian) each.
std::string EncodeSendTimes(const std::vector<absl::Time>& times);
// DATA_LOSS when `bytes` is not a whole number of 8-byte times.
absl::StatusOr<std::vector<absl::Time>> DecodeSendTimes(std::string_view bytes);

// `times` without those `window` or more before `now`.
std::vector<absl::Time> Recent(const std::vector<absl::Time>& times,
                               absl::Time now, absl::Duration window);

// The earliest time a new code may be sent, given the recent sends
// `times` (oldest first): `now` when fewer than `max` are within `window`
// before `now` and the last is `min_gap` or more before it; otherwise the
// time the oldest counted send leaves the window, or the last send plus
// `min_gap`, whichever is later. Never more than `window` after `now`.
absl::Time NextSendAllowed(const std::vector<absl::Time>& times, absl::Time now,
                           int max, absl::Duration window,
                           absl::Duration min_gap);

// Where a challenge stands.
enum class ChallengeState : uint8_t {
  kSending = 1,  // recorded before the gateway call
  kSent = 2,     // the gateway took the SMS: redeemable until expiry
  kFailed = 3,   // the gateway refused it or was not reached
  kUnknown = 4,  // no answer from the gateway: never redeemable
  kUsed = 5,     // redeemed once
  kDead = 6,     // max_attempts wrong codes
};

// A challenge as stored: keyed hashes only (phone_codes.h), never the
// phone or the code.
struct Challenge {
  std::string phone_mac;  // 32 bytes
  std::string code_mac;   // 32 bytes
  absl::Time expires_at;
  ChallengeState state = ChallengeState::kSending;
  int wrong = 0;  // wrong codes so far
};

// 1 byte state, 1 byte wrong, 8 bytes expiry (µs, big-endian), the two
// MACs.
std::string EncodeChallenge(const Challenge& challenge);
// DATA_LOSS when `bytes` is not one.
absl::StatusOr<Challenge> DecodeChallenge(std::string_view bytes);

enum class Verdict {
  kAccepted,   // OK: now used
  kWrongCode,  // a wrong code or phone: one try spent
  kExpired,
  kUsed,
  kDead,     // no tries left (this one may have spent the last)
  kNotSent,  // the SMS never (certainly) went out
};

struct Redemption {
  Verdict verdict = Verdict::kWrongCode;
  Challenge after;       // the challenge as it must be stored
  bool changed = false;  // `after` differs from the input
  int tries_left = 0;    // for kWrongCode
};

// One redemption of `challenge` at `now`, where `matches` says whether
// both the phone and the code are the ones it was sent with. In order: a
// used challenge is kUsed, a dead one kDead; one not kSent is kNotSent;
// one past expires_at is kExpired; then a match is kAccepted (state kUsed)
// and a mismatch kWrongCode with one more wrong, or kDead (state kDead)
// when that was the max_attempts-th.
Redemption Redeem(const Challenge& challenge, bool matches, absl::Time now,
                  int max_attempts);

// The SMS:
// "【信访】您的验证码为<code>，<ttl>分钟内有效。如非本人操作，请忽略。" (ttl in
// whole minutes, at least 1).
std::string PhoneCodeText(std::string_view code, absl::Duration ttl);

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_PHONE_CODE_RULES_H_
