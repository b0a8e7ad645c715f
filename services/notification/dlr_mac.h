// Delivery reports bound to a secret (状态报告验签, issue 14 item 1): the
// dlr-url notification gives Kannel for each part carries a MAC, and a
// report without it or with a wrong one is refused, so someone who merely
// reaches notification's admin port cannot mark an SMS delivered or
// failed.
//
// MAC = lowercase hex HMAC-SHA256(secret, "caserelay-dlr/1|" + <byte
// length of m> + ":" + m + "|" + p + "|" + n), over the message id m and
// the part p of n (decimal); it travels as the dlr-url parameter k
// (kannel_gateway.h). Kannel's own fields (t, a, ts) are not covered:
// Kannel fills them in when it calls back.
//
// The secret is per deployment, read from an owner-only file
// (kannel.dlr_secret_path; see the README for why a file and not the
// store): one secret per line, at least 32 bytes each; the first line
// signs new dlr-urls, every line is accepted, so a secret can be rotated
// while reports for parts sent under the old one are still coming back.
//
// Thread safety: DlrKeys is immutable after Load and thread-safe; the
// functions are stateless.

#ifndef CASERELAY_SERVICES_NOTIFICATION_DLR_MAC_H_
#define CASERELAY_SERVICES_NOTIFICATION_DLR_MAC_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::notification {

// The dlr-url parameter that carries the MAC.
inline constexpr char kDlrMacParam[] = "k";
// The shortest secret accepted, in bytes.
inline constexpr size_t kMinDlrSecretBytes = 32;

// The MAC of part `part` of `parts` of `message_id`: 64 lowercase hex
// characters.
std::string DlrMac(std::string_view secret, std::string_view message_id,
                   int part, int parts);

// Why a report was refused, as the label of caserelay_dlr_rejected_total.
enum class DlrMacCheck {
  kValid,
  kMissing,   // "missing": no k parameter
  kMismatch,  // "mismatch": k is not the MAC of this m, p and n
  kNoSecret,  // "no_secret": this notification has no secret (no Kannel)
};
const char* DlrMacCheckName(DlrMacCheck check);

class DlrKeys {
 public:
  // No secret: every report is kNoSecret.
  DlrKeys() = default;
  // The secrets of `text` (one per line, surrounding whitespace and empty
  // lines ignored). INVALID_ARGUMENT when there is none or one is shorter
  // than kMinDlrSecretBytes (the message never repeats a secret).
  static absl::StatusOr<DlrKeys> Parse(std::string_view text);
  // Parse of the file `path`, which only its owner may read or write
  // (rpc::ReadSmallFile kOwnerOnly); its errors name the path.
  static absl::StatusOr<DlrKeys> Load(const std::string& path);

  bool empty() const { return secrets_.empty(); }
  // The secret that signs. REQUIRES: !empty().
  const std::string& signing() const { return secrets_.front(); }

  // Checks a report's `mac` (its k; nullopt when it has none) against
  // its message id and part, comparing in constant time with every
  // secret.
  DlrMacCheck Check(const std::optional<std::string>& mac,
                    std::string_view message_id, int part, int parts) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_DLR_MAC_H_
