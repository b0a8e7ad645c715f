#include "services/notification/phone_code_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/store/store.h"

namespace caserelay::notification {
namespace {

absl::Status Bad(std::string_view setting, std::string_view rule) {
  return absl::InvalidArgumentError(
      absl::StrCat("config: phone_code.", std::string(setting), " must be ",
                   std::string(rule)));
}

bool Within(absl::Duration d, absl::Duration lo, absl::Duration hi) {
  return d >= lo && d <= hi;
}

std::string EncodeTime(absl::Time t) {
  return store::EncodeUint64(static_cast<uint64_t>(absl::ToUnixMicros(t)));
}

absl::Time DecodeTime(std::string_view bytes) {
  return absl::FromUnixMicros(
      static_cast<int64_t>(store::DecodeUint64(bytes.substr(0, 8))));
}

}  // namespace

absl::Status CheckPhoneCodeLimits(const PhoneCodeLimits& l) {
  if (!Within(l.ttl, absl::Minutes(1), absl::Hours(1))) {
    return Bad("ttl", "within 1m..1h");
  }
  if (l.max_attempts < 1 || l.max_attempts > 10) {
    return Bad("max_attempts", "within 1..10");
  }
  if (!Within(l.resend_interval, absl::ZeroDuration(), absl::Hours(1))) {
    return Bad("resend_interval", "within 0s..1h");
  }
  if (l.per_phone < 1 || l.per_phone > 1000) {
    return Bad("per_phone", "within 1..1000");
  }
  if (l.per_address < 1 || l.per_address > 1000) {
    return Bad("per_address", "within 1..1000");
  }
  for (auto [name, window] : {std::pair{"phone_window", l.phone_window},
                              std::pair{"address_window", l.address_window}}) {
    if (!Within(window, absl::Minutes(1), absl::Hours(24)) ||
        window < l.resend_interval) {
      return Bad(name, "within 1m..24h and not shorter than resend_interval");
    }
  }
  return absl::OkStatus();
}

std::string EncodeSendTimes(const std::vector<absl::Time>& times) {
  std::string out;
  for (absl::Time t : times) out += EncodeTime(t);
  return out;
}

absl::StatusOr<std::vector<absl::Time>> DecodeSendTimes(
    std::string_view bytes) {
  if (bytes.size() % 8 != 0) {
    return absl::DataLossError("phone codes: corrupt send times");
  }
  std::vector<absl::Time> out;
  for (size_t i = 0; i < bytes.size(); i += 8) {
    out.push_back(DecodeTime(bytes.substr(i, 8)));
  }
  return out;
}

std::vector<absl::Time> Recent(const std::vector<absl::Time>& times,
                               absl::Time now, absl::Duration window) {
  std::vector<absl::Time> out;
  for (absl::Time t : times) {
    if (now - t < window) out.push_back(t);
  }
  return out;
}

absl::Time NextSendAllowed(const std::vector<absl::Time>& times, absl::Time now,
                           int max, absl::Duration window,
                           absl::Duration min_gap) {
  std::vector<absl::Time> recent = Recent(times, now, window);
  std::sort(recent.begin(), recent.end());
  absl::Time next = now;
  if (!recent.empty()) next = std::max(next, recent.back() + min_gap);
  if (static_cast<int>(recent.size()) >= max) {
    // The send that must leave the window for one more to fit.
    next = std::max(next, recent[recent.size() - max] + window);
  }
  return std::min(next, now + window);
}

std::string EncodeChallenge(const Challenge& c) {
  std::string out;
  out.push_back(static_cast<char>(c.state));
  out.push_back(static_cast<char>(std::clamp(c.wrong, 0, 255)));
  out += EncodeTime(c.expires_at);
  out += c.phone_mac;
  out += c.code_mac;
  return out;
}

absl::StatusOr<Challenge> DecodeChallenge(std::string_view bytes) {
  constexpr size_t kMac = 32;
  if (bytes.size() != 2 + 8 + 2 * kMac || bytes[0] < 1 || bytes[0] > 6) {
    return absl::DataLossError("phone codes: corrupt challenge");
  }
  Challenge c;
  c.state = static_cast<ChallengeState>(bytes[0]);
  c.wrong = static_cast<unsigned char>(bytes[1]);
  c.expires_at = DecodeTime(bytes.substr(2, 8));
  c.phone_mac = std::string(bytes.substr(10, kMac));
  c.code_mac = std::string(bytes.substr(10 + kMac, kMac));
  return c;
}

Redemption Redeem(const Challenge& challenge, bool matches, absl::Time now,
                  int max_attempts) {
  Redemption r;
  r.after = challenge;
  switch (challenge.state) {
    case ChallengeState::kUsed:
      r.verdict = Verdict::kUsed;
      return r;
    case ChallengeState::kDead:
      r.verdict = Verdict::kDead;
      return r;
    case ChallengeState::kSent:
      break;
    default:
      r.verdict = Verdict::kNotSent;
      return r;
  }
  if (now >= challenge.expires_at) {
    r.verdict = Verdict::kExpired;
    return r;
  }
  r.changed = true;
  if (matches) {
    r.verdict = Verdict::kAccepted;
    r.after.state = ChallengeState::kUsed;
    return r;
  }
  r.after.wrong = challenge.wrong + 1;
  r.tries_left = std::max(0, max_attempts - r.after.wrong);
  if (r.tries_left == 0) {
    r.verdict = Verdict::kDead;
    r.after.state = ChallengeState::kDead;
  } else {
    r.verdict = Verdict::kWrongCode;
  }
  return r;
}

std::string PhoneCodeText(std::string_view code, absl::Duration ttl) {
  const int64_t minutes = std::max<int64_t>(1, ttl / absl::Minutes(1));
  return absl::StrCat("【信访】您的验证码为", std::string(code), "，", minutes,
                      "分钟内有效。如非本人操作，请忽略。");
}

}  // namespace caserelay::notification
