#include "services/intake/pii_keys.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/rpc/files.h"

namespace caserelay::intake {
namespace {

bool IsKeyId(absl::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

bool IsHex(absl::string_view s) {
  if (s.empty() || s.size() % 2 != 0) return false;
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<PiiKeyRing> ParsePiiKeyRing(std::string_view text,
                                           char separator,
                                           std::string_view origin) {
  const std::string where(origin);
  PiiKeyRing ring;
  bool has_identity = false;
  int number = 0;
  auto bad = [&](absl::string_view rule) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": entry ", number, ": ", rule));
  };
  for (absl::string_view entry :
       absl::StrSplit(absl::string_view(text.data(), text.size()), separator)) {
    ++number;
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty() || entry.front() == '#') continue;
    std::vector<absl::string_view> words =
        absl::StrSplit(entry, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (words[0] == "key") {
      if (words.size() < 3 || words.size() > 4) {
        return bad("want: key <id> <64 hex digits> [current]");
      }
      if (!IsKeyId(words[1])) {
        return bad("a key id is 1-32 of A-Z a-z 0-9 _ -");
      }
      if (words[2].size() != 2 * kPiiKeySize || !IsHex(words[2])) {
        return bad("an AES-256 key is 64 hex digits");
      }
      if (words.size() == 4 && words[3] != "current") {
        return bad("after the key only the word current may follow");
      }
      std::string id(words[1]);
      if (ring.keys.count(id) != 0) {
        return bad(absl::StrCat("key id ", id, " given twice"));
      }
      ring.keys[id] = absl::HexStringToBytes(words[2]);
      if (words.size() == 4) {
        if (!ring.current.empty()) {
          return bad("more than one key is marked current");
        }
        ring.current = id;
      }
    } else if (words[0] == "identity") {
      if (words.size() != 2) return bad("want: identity <hex digits>");
      if (has_identity) return bad("a second identity line");
      if (!IsHex(words[1]) || words[1].size() < 32) {
        return bad("the identity secret is at least 32 hex digits");
      }
      ring.identity_secret = absl::HexStringToBytes(words[1]);
      has_identity = true;
    } else {
      return bad("an entry starts with key or identity");
    }
  }
  if (ring.keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": no key"));
  }
  if (ring.current.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": no key is marked current"));
  }
  if (!has_identity) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": no identity line"));
  }
  return ring;
}

absl::StatusOr<PiiKeyRing> LoadPiiKeyRing(const std::string& path) {
  auto text = rpc::ReadSmallFile(path, rpc::FileAccess::kOwnerOnly);
  if (!text.ok()) return text.status();
  return ParsePiiKeyRing(*text, '\n', path);
}

absl::StatusOr<PiiKeyRing> PiiKeyRingFromConfig(const config::Config& config) {
  const bool from_file = config.Has("pii.keys_path");
  const bool inline_keys = !config.GetString("pii.keys").empty();
  if (from_file == inline_keys) {
    return absl::InvalidArgumentError(
        "config: set exactly one of pii.keys_path (a key ring file) and "
        "pii.keys (CASERELAY_PII_KEYS)");
  }
  return from_file ? LoadPiiKeyRing(config.GetPath("pii.keys_path"))
                   : ParsePiiKeyRing(config.GetString("pii.keys"), ';',
                                     config.Source("pii.keys"));
}

}  // namespace caserelay::intake
