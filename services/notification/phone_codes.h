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

#include <functional>
#include <memory>
#include <optional>
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
#include "services/notification/partition_db.h"
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

  // Several instances (issue 19 item 5): a phone's records (its send
  // times, its challenges) live in the partition of PartitionKey(phone)
  // and are opened through `phone_db` (PartitionDb::Open of the service's
  // context), held for the whole Send or Redeem (a challenge's SENDING
  // record never moves while its SMS is with the gateway). The per-address
  // send times stay in the book's own store (the instance-local DB).
  // Unset: everything in the book's store, as one instance keeps it.
  using PhoneDbFn =
      std::function<absl::StatusOr<PartitionDb>(std::string_view key)>;
  void SetPhoneDb(PhoneDbFn phone_db) { phone_db_ = std::move(phone_db); }

  // The key whose partition keeps `phone`'s records: the hex HMAC of the
  // normalized mobile (never the number). INVALID_ARGUMENT naming "phone"
  // (or phone_proof, for a redemption's) when it is no mainland mobile.
  absl::StatusOr<std::string> PartitionKey(std::string_view phone) const;

  // The per-address half of Send, for the instance a call reached when
  // the phone's partition is another's: OK if `address` may have a code
  // now (nothing counted), RESOURCE_EXHAUSTED as Send's otherwise (counted
  // "throttled_address").
  absl::Status CheckAddress(std::string_view address);
  // Counts a code sent to a client at `address` (after the owner of the
  // phone's partition sent it). The store's errors.
  absl::Status CountAddress(std::string_view address);
  // The phone's half of Send, at the owner of the phone's partition, for
  // a call another instance passed on after CheckAddress: Send's answers
  // without the per-address throttle.
  absl::StatusOr<SentCode> SendForwarded(std::string_view phone);

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
  // Where a phone's records are: the book's store, or its partition's
  // (leased while this lives), committed through the partition's
  // publisher.
  struct Db {
    store::Store* store = nullptr;
    std::optional<PartitionDb> partition;
    absl::Status Commit(store::WriteBatch& batch) const;
  };
  absl::StatusOr<Db> PhoneDb(std::string_view phone_mac) const;
  // Send; `address` null: its throttle was asked by the instance the call
  // reached (CheckAddress), which counts it.
  absl::StatusOr<SentCode> SendTo(std::string_view phone,
                                  const std::string* address);
  // Loads the send times of `key` in `store`, DecodeSendTimes'd.
  absl::StatusOr<std::vector<absl::Time>> LoadTimes(
      const store::Store& store, const std::string& key) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds to `batch` the deletion of up to kPhoneSweepBatch records of
  // `store` due by `now` and of their index entries.
  absl::Status Sweep(const store::Store& store, store::WriteBatch& batch,
                     absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores `state` on the challenge `id` in `db` (after the gateway's
  // answer).
  absl::Status Settle(const Db& db, const std::string& id,
                      ChallengeState state);
  void CountSend(const char* result) const;
  void CountRedemption(const char* verdict) const;

  // Const after construction.
  store::Store* const store_;
  const time::Clock* const clock_;
  SmsGateway* const gateway_;
  const std::string secret_;
  const PhoneCodeLimits limits_;
  metrics::Registry* const metrics_;

  PhoneDbFn phone_db_;  // set before serving; empty: store_

  absl::Mutex mu_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_PHONE_CODES_H_
