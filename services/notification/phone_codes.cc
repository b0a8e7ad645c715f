#include "services/notification/phone_codes.h"

#include <openssl/rand.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/digest/digest.h"
#include "common/log/log.h"
#include "common/rpc/files.h"
#include "domain/petition/identity.h"
#include "domain/sms/segment.h"

namespace caserelay::notification {
namespace {

constexpr char kSep = '\x1f';

std::string ChallengeKey(std::string_view id) {
  return absl::StrCat("c", std::string(1, kSep), std::string(id));
}
std::string PhoneKey(std::string_view phone_mac) {
  return absl::StrCat("p", std::string(1, kSep),
                      absl::BytesToHexString(std::string(phone_mac)));
}
std::string AddressKey(std::string_view address) {
  return absl::StrCat("a", std::string(1, kSep), std::string(address));
}
std::string IndexPrefix() { return absl::StrCat("x", std::string(1, kSep)); }
std::string IndexTime(absl::Time t) {
  return absl::StrFormat("%020d", absl::ToUnixMicros(t));
}
std::string IndexKey(absl::Time due, std::string_view key) {
  return absl::StrCat(IndexPrefix(), IndexTime(due), std::string(1, kSep),
                      std::string(key));
}

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(n)) != 1) {
    return absl::UnavailableError("phone codes: the CSPRNG failed");
  }
  return out;
}

// Six decimal digits, uniform (rejection sampling over 32 random bits).
absl::StatusOr<std::string> NewCode() {
  constexpr uint32_t kLimit = 4294000000u;  // 4294 * 10^6 <= 2^32
  for (;;) {
    auto bytes = RandomBytes(4);
    if (!bytes.ok()) return bytes.status();
    uint32_t v = 0;
    for (unsigned char b : *bytes) v = (v << 8) | b;
    if (v < kLimit) return absl::StrFormat("%06u", v % 1000000u);
  }
}

bool IsDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsLowerHex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) ||
        absl::ascii_isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kAccepted:
      return "accepted";
    case Verdict::kWrongCode:
      return "wrong_code";
    case Verdict::kExpired:
      return "expired";
    case Verdict::kUsed:
      return "used";
    case Verdict::kDead:
      return "dead";
    case Verdict::kNotSent:
      return "not_sent";
  }
  return "unknown";
}

absl::Status Throttled(absl::Time next, absl::Time now) {
  const int64_t seconds = std::max<int64_t>(
      1, absl::ToInt64Seconds(absl::Ceil(next - now, absl::Seconds(1))));
  absl::Status s = absl::ResourceExhaustedError(
      absl::StrCat("获取验证码过于频繁，请于", seconds, "秒后再试。"));
  s.SetPayload(kRetryAfterPayload, absl::Cord(absl::StrCat(seconds)));
  return s;
}

}  // namespace

absl::StatusOr<std::string> PhoneCodeBook::ParseSecret(std::string_view text) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(text.data(), text.size()), '\n',
                     absl::SkipWhitespace());
  absl::string_view first = lines.empty()
                                ? absl::string_view()
                                : absl::StripAsciiWhitespace(lines[0]);
  if (first.size() < kMinPhoneCodeSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the phone-code secret must be at least ",
                     kMinPhoneCodeSecretBytes, " bytes on its first line"));
  }
  return std::string(first);
}

absl::StatusOr<std::string> PhoneCodeBook::LoadSecret(const std::string& path) {
  auto text = rpc::ReadSmallFile(path, rpc::FileAccess::kOwnerOnly);
  if (!text.ok()) return text.status();
  auto secret = ParseSecret(*text);
  if (!secret.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", secret.status().message()));
  }
  return secret;
}

PhoneCodeBook::PhoneCodeBook(store::Store* store, const time::Clock* clock,
                             SmsGateway* gateway, std::string secret,
                             PhoneCodeLimits limits, metrics::Registry* metrics)
    : store_(store),
      clock_(clock),
      gateway_(gateway),
      secret_(std::move(secret)),
      limits_(limits),
      metrics_(metrics) {}

void PhoneCodeBook::CountSend(const char* result) const {
  if (metrics_ == nullptr) return;
  metrics_
      ->GetCounter("caserelay_phone_codes_total",
                   "Phone-code requests (SendPhoneCode), by result.",
                   {{"result", result}})
      .Increment();
}

void PhoneCodeBook::CountRedemption(const char* verdict) const {
  if (metrics_ == nullptr) return;
  metrics_
      ->GetCounter("caserelay_phone_code_redemptions_total",
                   "Phone-code redemptions (RedeemPhoneCode), by verdict.",
                   {{"verdict", verdict}})
      .Increment();
}

std::string PhoneCodeBook::PhoneMac(std::string_view mobile) const {
  return digest::HmacSha256(
      secret_, absl::StrCat("caserelay-phone/1|", std::string(mobile)));
}

std::string PhoneCodeBook::CodeMac(std::string_view challenge_id,
                                   std::string_view code) const {
  return digest::HmacSha256(
      secret_, absl::StrCat("caserelay-phone-code/1|",
                            std::string(challenge_id), "|", std::string(code)));
}

absl::Status PhoneCodeBook::Db::Commit(store::WriteBatch& batch) const {
  if (partition.has_value()) return partition->Commit(batch);
  auto committed = store->Commit(batch);
  return committed.ok() ? absl::OkStatus() : committed.status();
}

absl::StatusOr<PhoneCodeBook::Db> PhoneCodeBook::PhoneDb(
    std::string_view phone_mac) const {
  Db db;
  if (!phone_db_) {
    db.store = store_;
    return db;
  }
  auto partition = phone_db_(absl::BytesToHexString(std::string(phone_mac)));
  if (!partition.ok()) return partition.status();
  db.partition.emplace(*std::move(partition));
  db.store = &db.partition->store();
  return db;
}

absl::StatusOr<std::string> PhoneCodeBook::PartitionKey(
    std::string_view phone) const {
  auto mobile = petition::NormalizeMobile(phone);
  if (!mobile.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("phone: ", mobile.status().message()));
  }
  return absl::BytesToHexString(PhoneMac(*mobile));
}

absl::StatusOr<std::vector<absl::Time>> PhoneCodeBook::LoadTimes(
    const store::Store& store, const std::string& key) const {
  auto raw = store.Get(kPhoneCodes, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::vector<absl::Time>{};
  return DecodeSendTimes(**raw);
}

absl::Status PhoneCodeBook::Sweep(const store::Store& store,
                                  store::WriteBatch& batch, absl::Time now) {
  std::vector<std::string> due;
  const std::string begin = IndexPrefix();
  const std::string end =
      absl::StrCat(begin, IndexTime(now + absl::Microseconds(1)));
  if (absl::Status s =
          store.Scan(kPhoneCodes, begin, end,
                       [&](std::string_view key, std::string_view) {
                         due.emplace_back(key);
                         return due.size() < kPhoneSweepBatch;
                       });
      !s.ok()) {
    return s;
  }
  for (const std::string& index : due) {
    batch.Delete(kPhoneCodes, index);
    // "x" 0x1f <20 digits> 0x1f <record key>
    const std::string record = index.substr(begin.size() + 21);
    auto raw = store.Get(kPhoneCodes, record);
    if (!raw.ok()) return raw.status();
    if (!raw->has_value()) continue;
    bool forget = true;
    if (record[0] == 'p' || record[0] == 'a') {
      auto times = DecodeSendTimes(**raw);
      const absl::Duration window =
          record[0] == 'p' ? limits_.phone_window : limits_.address_window;
      // Sent to again since: its newer index entry forgets it later.
      forget = !times.ok() || Recent(*times, now, window).empty();
    }
    if (forget) batch.Delete(kPhoneCodes, record);
  }
  return absl::OkStatus();
}

absl::StatusOr<SentCode> PhoneCodeBook::Send(std::string_view phone,
                                             std::string_view address) {
  const std::string address_key = AddressKey(address);
  return SendTo(phone, &address_key);
}

absl::StatusOr<SentCode> PhoneCodeBook::SendForwarded(std::string_view phone) {
  return SendTo(phone, nullptr);
}

absl::Status PhoneCodeBook::CheckAddress(std::string_view address) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  auto times = LoadTimes(*store_, AddressKey(address));
  if (!times.ok()) return times.status();
  const absl::Time next =
      NextSendAllowed(*times, now, limits_.per_address, limits_.address_window,
                      absl::ZeroDuration());
  if (next <= now) return absl::OkStatus();
  CountSend("throttled_address");
  return Throttled(next, now);
}

absl::Status PhoneCodeBook::CountAddress(std::string_view address) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  const std::string key = AddressKey(address);
  auto times = LoadTimes(*store_, key);
  if (!times.ok()) return times.status();
  std::vector<absl::Time> after = Recent(*times, now, limits_.address_window);
  after.push_back(now);
  store::WriteBatch batch(store_);
  if (absl::Status s = Sweep(*store_, batch, now); !s.ok()) return s;
  batch.Put(kPhoneCodes, key, EncodeSendTimes(after));
  batch.Put(kPhoneCodes, IndexKey(now + limits_.address_window, key), "");
  auto committed = store_->Commit(batch);
  return committed.ok() ? absl::OkStatus() : committed.status();
}

absl::StatusOr<SentCode> PhoneCodeBook::SendTo(std::string_view phone,
                                               const std::string* address) {
  auto mobile = petition::NormalizeMobile(phone);
  if (!mobile.ok()) {
    CountSend("invalid");
    return absl::InvalidArgumentError(
        absl::StrCat("phone: ", mobile.status().message()));
  }
  const std::string phone_mac = PhoneMac(*mobile);
  const std::string phone_key = PhoneKey(phone_mac);
  // The phone's partition, held until its challenge is settled.
  absl::StatusOr<Db> db = PhoneDb(phone_mac);
  if (!db.ok()) return db.status();
  // The address's times are in the same store with one instance (one
  // batch), in the instance-local one with several (a second batch,
  // committed first: a failure between them counts a code not sent, never
  // the reverse).
  const bool apart = address != nullptr && db->store != store_;
  auto id_bytes = RandomBytes(16);
  if (!id_bytes.ok()) return id_bytes.status();
  const std::string id = absl::BytesToHexString(*id_bytes);
  auto code = NewCode();
  if (!code.ok()) return code.status();

  SentCode sent;
  sent.challenge_id = id;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    auto phone_times = LoadTimes(*db->store, phone_key);
    if (!phone_times.ok()) return phone_times.status();
    absl::StatusOr<std::vector<absl::Time>> address_times =
        std::vector<absl::Time>{};
    if (address != nullptr) address_times = LoadTimes(*store_, *address);
    if (!address_times.ok()) return address_times.status();
    const absl::Time phone_next =
        NextSendAllowed(*phone_times, now, limits_.per_phone,
                        limits_.phone_window, limits_.resend_interval);
    const absl::Time address_next =
        address == nullptr
            ? absl::InfinitePast()
            : NextSendAllowed(*address_times, now, limits_.per_address,
                              limits_.address_window, absl::ZeroDuration());
    if (phone_next > now || address_next > now) {
      CountSend(phone_next > now ? "throttled_phone" : "throttled_address");
      return Throttled(std::max(phone_next, address_next), now);
    }

    std::vector<absl::Time> phone_after =
        Recent(*phone_times, now, limits_.phone_window);
    phone_after.push_back(now);
    std::vector<absl::Time> address_after =
        Recent(*address_times, now, limits_.address_window);
    address_after.push_back(now);
    Challenge challenge;
    challenge.phone_mac = phone_mac;
    challenge.code_mac = CodeMac(id, *code);
    challenge.expires_at = now + limits_.ttl;
    challenge.state = ChallengeState::kSending;

    store::WriteBatch batch(db->store);
    if (absl::Status s = Sweep(*db->store, batch, now); !s.ok()) return s;
    batch.Put(kPhoneCodes, ChallengeKey(id), EncodeChallenge(challenge));
    batch.Put(kPhoneCodes, phone_key, EncodeSendTimes(phone_after));
    // A challenge is kept one ttl past expiry, so a late redemption hears
    // "expired" rather than "unknown".
    batch.Put(kPhoneCodes,
              IndexKey(challenge.expires_at + limits_.ttl, ChallengeKey(id)),
              "");
    batch.Put(kPhoneCodes, IndexKey(now + limits_.phone_window, phone_key), "");
    if (address != nullptr) {
      store::WriteBatch local(store_);
      store::WriteBatch& into = apart ? local : batch;
      if (apart) {
        if (absl::Status s = Sweep(*store_, local, now); !s.ok()) return s;
      }
      into.Put(kPhoneCodes, *address, EncodeSendTimes(address_after));
      into.Put(kPhoneCodes, IndexKey(now + limits_.address_window, *address),
               "");
      if (apart) {
        auto counted = store_->Commit(local);
        if (!counted.ok()) return counted.status();
      }
    }
    if (absl::Status s = db->Commit(batch); !s.ok()) return s;
    sent.expires_at = challenge.expires_at;
    sent.resend_after =
        NextSendAllowed(phone_after, now, limits_.per_phone,
                        limits_.phone_window, limits_.resend_interval);
  }

  // The text is short: one part (70 UCS-2 units).
  OutgoingPart part;
  part.message_id = absl::StrCat(kPhoneCodeMessagePrefix, id);
  part.phone = *mobile;
  auto text = sms::Utf8ToUtf16(PhoneCodeText(*code, limits_.ttl));
  if (!text.ok()) return text.status();
  part.text = *std::move(text);
  absl::StatusOr<std::string> gateway_id = gateway_->SendPart(part);
  ChallengeState state = ChallengeState::kSent;
  if (!gateway_id.ok()) {
    state = absl::IsUnknown(gateway_id.status()) ? ChallengeState::kUnknown
                                                 : ChallengeState::kFailed;
  }
  absl::Status settled = Settle(*db, id, state);
  if (!gateway_id.ok()) {
    CountSend("gateway_failed");
    // Operators see the gateway's words; never the phone or the code.
    log::Warn("phone code not sent",
              {{"challenge", id}, {"error", gateway_id.status().ToString()}});
    return absl::UnavailableError(
        absl::StrCat("the SMS gateway did not take the phone code: ",
                     gateway_id.status().message()));
  }
  if (!settled.ok()) return settled;
  CountSend("sent");
  log::Info("phone code sent", {{"challenge", id}});
  return sent;
}

absl::Status PhoneCodeBook::Settle(const Db& db, const std::string& id,
                                   ChallengeState state) {
  absl::MutexLock lock(&mu_);
  auto raw = db.store->Get(kPhoneCodes, ChallengeKey(id));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) {
    return absl::InternalError("phone codes: a challenge vanished mid-send");
  }
  auto challenge = DecodeChallenge(**raw);
  if (!challenge.ok()) return challenge.status();
  challenge->state = state;
  store::WriteBatch batch(db.store);
  batch.Put(kPhoneCodes, ChallengeKey(id), EncodeChallenge(*challenge));
  return db.Commit(batch);
}

absl::Status PhoneCodeBook::Redeem(std::string_view challenge_id,
                                   std::string_view phone,
                                   std::string_view code) {
  if (!IsLowerHex(challenge_id, 32)) {
    CountRedemption("malformed");
    return absl::InvalidArgumentError(
        "phone_proof.challenge_id: 验证请求无效，请重新获取验证码。");
  }
  if (!IsDigits(code, 6)) {
    CountRedemption("malformed");
    return absl::InvalidArgumentError("phone_proof.code: 验证码应为6位数字。");
  }
  auto mobile = petition::NormalizeMobile(phone);
  if (!mobile.ok()) {
    CountRedemption("malformed");
    return absl::InvalidArgumentError(
        "phone_proof: 手机号码不是有效的手机号码。");
  }
  const std::string phone_mac = PhoneMac(*mobile);
  absl::StatusOr<Db> db = PhoneDb(phone_mac);
  if (!db.ok()) return db.status();
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  auto raw = db->store->Get(kPhoneCodes, ChallengeKey(challenge_id));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) {
    CountRedemption("unknown");
    return absl::FailedPreconditionError(
        "phone_proof: 验证码无效或已过期，请重新获取验证码。");
  }
  auto challenge = DecodeChallenge(**raw);
  if (!challenge.ok()) return challenge.status();
  const bool matches =
      digest::ConstantTimeEquals(challenge->phone_mac, phone_mac) &&
      digest::ConstantTimeEquals(challenge->code_mac,
                                 CodeMac(challenge_id, code));
  Redemption r =
      notification::Redeem(*challenge, matches, now, limits_.max_attempts);
  if (r.changed) {
    store::WriteBatch batch(db->store);
    batch.Put(kPhoneCodes, ChallengeKey(challenge_id),
              EncodeChallenge(r.after));
    if (absl::Status s = db->Commit(batch); !s.ok()) return s;
  }
  CountRedemption(VerdictName(r.verdict));
  switch (r.verdict) {
    case Verdict::kAccepted:
      return absl::OkStatus();
    case Verdict::kWrongCode:
      return absl::InvalidArgumentError(absl::StrCat(
          "phone_proof.code: 验证码不正确，还可再试", r.tries_left, "次。"));
    case Verdict::kExpired:
      return absl::FailedPreconditionError(
          "phone_proof: 验证码已过期，请重新获取验证码。");
    case Verdict::kUsed:
      return absl::FailedPreconditionError(
          "phone_proof: 验证码已使用，请重新获取验证码。");
    case Verdict::kDead:
      return absl::FailedPreconditionError(
          "phone_proof: 验证码错误次数过多，已失效，请重新获取验证码。");
    case Verdict::kNotSent:
      return absl::FailedPreconditionError(
          "phone_proof: 验证码短信未能发出，请重新获取验证码。");
  }
  return absl::InternalError("phone codes: unknown verdict");
}

}  // namespace caserelay::notification
