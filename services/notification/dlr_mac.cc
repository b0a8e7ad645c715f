#include "services/notification/dlr_mac.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/digest/digest.h"
#include "common/rpc/files.h"

namespace caserelay::notification {

std::string DlrMac(std::string_view secret, std::string_view message_id,
                   int part, int parts) {
  const std::string data =
      absl::StrCat("caserelay-dlr/1|", message_id.size(), ":",
                   absl::string_view(message_id.data(), message_id.size()), "|",
                   part, "|", parts);
  return absl::BytesToHexString(digest::HmacSha256(
      absl::string_view(secret.data(), secret.size()), data));
}

const char* DlrMacCheckName(DlrMacCheck check) {
  switch (check) {
    case DlrMacCheck::kValid:
      return "valid";
    case DlrMacCheck::kMissing:
      return "missing";
    case DlrMacCheck::kMismatch:
      return "mismatch";
    case DlrMacCheck::kNoSecret:
      return "no_secret";
  }
  return "mismatch";
}

absl::StatusOr<DlrKeys> DlrKeys::Parse(std::string_view text) {
  DlrKeys keys;
  int line_number = 0;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (line.size() < kMinDlrSecretBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line_number, ": a delivery-report secret needs at least ",
          kMinDlrSecretBytes, " bytes (openssl rand -hex 32)"));
    }
    keys.secrets_.emplace_back(line);
  }
  if (keys.secrets_.empty()) {
    return absl::InvalidArgumentError(
        "no delivery-report secret (one per line; openssl rand -hex 32)");
  }
  return keys;
}

absl::StatusOr<DlrKeys> DlrKeys::Load(const std::string& path) {
  auto text = rpc::ReadSmallFile(path, rpc::FileAccess::kOwnerOnly);
  if (!text.ok()) return text.status();
  auto keys = Parse(*text);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", keys.status().message()));
  }
  return keys;
}

DlrMacCheck DlrKeys::Check(const std::optional<std::string>& mac,
                           std::string_view message_id, int part,
                           int parts) const {
  if (secrets_.empty()) return DlrMacCheck::kNoSecret;
  if (!mac.has_value()) return DlrMacCheck::kMissing;
  bool valid = false;
  for (const std::string& secret : secrets_) {
    const std::string want = DlrMac(secret, message_id, part, parts);
    valid |= digest::ConstantTimeEquals(*mac, want);
  }
  return valid ? DlrMacCheck::kValid : DlrMacCheck::kMismatch;
}

}  // namespace caserelay::notification
