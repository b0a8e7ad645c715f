// The phone code book (手机验证码): SendPhoneCode and RedeemPhoneCode's
// state in notification's store, the rules of phone_code_rules.h applied
// to it, and the one SMS of each code sent through the service's gateway
// (gateway.h: Kannel in production, the development sink locally).
//
// Nothing in the store names a phone or a code: a phone is kept as
// HMAC-SHA256(secret, "caserelay-phone/1|" + 11-digit number) and a code as
// HMAC-SHA256(secret, "caserelay-phone-code/1|" + challenge id + "|" +
// code), the secret a per-deployment file (phone_code.secret_path, like
// kannel.dlr_secret_path: owner-only, at least 32 bytes on its first
// line). A copy of the store is therefore no list of phone numbers, and
// its 10^6 codes cannot be tried offline without the secret.
//
// Family "phone-codes":
//   "c" 0x1f <challenge id>    -> EncodeChallenge
//   "p" 0x1f <hex phone MAC>   -> EncodeSendTimes (the phone's recent sends)
//   "a" 0x1f <address key>     -> EncodeSendTimes (the address's)
//   "x" 0x1f <20-digit µs> 0x1f <one of the keys above> -> "": when that
//       record may be forgotten; each Send deletes up to kPhoneSweepBatch
//       due records (a record sent to again since keeps its newer entry).
//
// Exactly once: the challenge is committed kSending (with the throttles'
// new counts) before the gateway call, and kSent, kFailed or kUnknown
// after it; a challenge that is not kSent is never redeemable, and none is
// ever sent twice (the client asks for a new one, which counts).
//
// Thread safety: thread-safe. Read-modify-writes of the store are
// serialised on one mutex; the gateway call runs outside it.

#ifndef CASERELAY_SERVICES_NOTIFICATION_PHONE_CODES_H_
#define CASERELAY_SERVICES_NOTIFICATION_PHONE_CODES_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "services/notification/gateway.h"
#include "services/notification/phone_code_rules.h"

namespace caserelay::notification {

inline constexpr char kPhoneCodes[] = "phone-codes";
inline constexpr int kPhoneSweepBatch = 16;
inline constexpr size_t kMinPhoneCodeSecretBytes = 32;
// The absl::Status payload of a RESOURCE_EXHAUSTED from Send: whole
// seconds until the request may succeed, decimal.
inline constexpr char kRetryAfterPayload[] = "caserelay/retry-after";
// The gateway message id of a code's SMS is this + the challenge id.
inline constexpr char kPhoneCodeMessagePrefix[] = "phone-code/";

// What Send answers.
struct SentCode {
  std::string challenge_id;  // 32 lowercase hex characters
  absl::Time expires_at;
  absl::Time resend_after;  // no new code for this phone before
};

class PhoneCodeBook {
 public:
  // The first line of `text` (surrounding whitespace ignored) as the
  // secret. INVALID_ARGUMENT when shorter than kMinPhoneCodeSecretBytes
  // (the message never quotes it).
  static absl::StatusOr<std::string> ParseSecret(std::string_view text);
  // ParseSecret of the owner-only file `path` (rpc::ReadSmallFile); its
  // errors name the path.
  static absl::StatusOr<std::string> LoadSecret(const std::string& path);

  // `store` (with kPhoneCodes), `clock`, `gateway` and `metrics` (may be
  // null: nothing counted) are not owned and outlive the book. REQUIRES:
  // CheckPhoneCodeLimits(limits) is OK and secret.size() >=
  // kMinPhoneCodeSecretBytes. Counts caserelay_phone_codes_total{result}
  // (sent, throttled_phone, throttled_address, gateway_failed, invalid)
  // and caserelay_phone_code_redemptions_total{verdict} (accepted,
  // wrong_code, expired, used, dead, not_sent, unknown, malformed).
  PhoneCodeBook(store::Store* store, const time::Clock* clock,
                SmsGateway* gateway, std::string secret, PhoneCodeLimits limits,
                metrics::Registry* metrics = nullptr);

  // Sends a fresh 6-digit code (OpenSSL's CSPRNG) to `phone` for a client
  // at `address` (a key of common/peer/client_address.h). Returns the new
  // challenge. Errors:
  //   INVALID_ARGUMENT naming "phone" when it is no mainland mobile;
  //   RESOURCE_EXHAUSTED when the phone or the address has had its codes
  //     (phone_code_rules.h), with kRetryAfterPayload; nothing counted;
  //   UNAVAILABLE when the gateway did not take the SMS (the challenge is
  //     kept, dead, and counted) or the store failed;
  //   DATA_LOSS for a corrupt record.
  // The code and phone appear in no log and no error.
  absl::StatusOr<SentCode> Send(std::string_view phone,
                                std::string_view address);

  // Redeems `challenge_id` with `phone` and `code` (Redeem of
  // phone_code_rules.h). OK once; then:
  //   INVALID_ARGUMENT naming the field for a malformed challenge_id,
  //     phone or code (nothing spent), or the wrong code (or a phone the
  //     code was not sent to) with the tries left;
  //   FAILED_PRECONDITION for an unknown, expired, used, dead or unsent
  //     challenge (the message says which);
  //   UNAVAILABLE / DATA_LOSS from the store (nothing spent).
  // Every message starts with "phone_proof" and carries a Chinese reason.
  absl::Status Redeem(std::string_view challenge_id, std::string_view phone,
                      std::string_view code);

 private:
  std::string PhoneMac(std::string_view mobile) const;
  std::string CodeMac(std::string_view challenge_id,
                      std::string_view code) const;
  // Loads the send times of `key`, DecodeSendTimes'd.
  absl::StatusOr<std::vector<absl::Time>> LoadTimes(
      const std::string& key) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds to `batch` the deletion of up to kPhoneSweepBatch records due by
  // `now` and of their index entries.
  absl::Status Sweep(store::WriteBatch& batch, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores `state` on the challenge `id` (after the gateway's answer).
  absl::Status Settle(const std::string& id, ChallengeState state);
  void CountSend(const char* result) const;
  void CountRedemption(const char* verdict) const;

  // Const after construction.
  store::Store* const store_;
  const time::Clock* const clock_;
  SmsGateway* const gateway_;
  const std::string secret_;
  const PhoneCodeLimits limits_;
  metrics::Registry* const metrics_;

  absl::Mutex mu_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_PHONE_CODES_H_
