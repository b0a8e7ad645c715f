#include "common/rpc/token_auth.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/digest/digest.h"
#include "common/rpc/files.h"

namespace caserelay::rpc {
namespace {

constexpr absl::string_view kBearer = "bearer ";

bool IsHex(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string NewToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    std::fprintf(stderr, "rpc: NewToken: the OpenSSL CSPRNG failed\n");
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string TokenHash(absl::string_view token) {
  return absl::BytesToHexString(digest::Sha256(token));
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Load(
    const std::string& path) {
  absl::StatusOr<std::string> text =
      ReadSmallFile(path, FileAccess::kOwnerOnly);
  if (!text.ok()) return text.status();
  std::vector<Line> lines;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(*text, '\n')) {
    ++number;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    lines.push_back(Line{
        absl::StrCat(path, ":", number),
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty())});
  }
  return Build(path, lines);
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Create(
    const std::vector<TokenEntry>& entries) {
  std::vector<Line> lines;
  for (size_t i = 0; i < entries.size(); ++i) {
    Line line{absl::StrCat("entry ", i),
              {entries[i].principal, entries[i].token_hash}};
    if (!entries[i].holder.empty()) line.fields.push_back(entries[i].holder);
    lines.push_back(std::move(line));
  }
  return Build("token entries", lines);
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Build(
    absl::string_view source, const std::vector<Line>& lines) {
  std::vector<std::string> errors;
  std::vector<Entry> entries;
  std::vector<std::string> entry_where;
  for (const Line& line : lines) {
    if (line.fields.size() != 2 && line.fields.size() != 3) {
      errors.push_back(absl::StrCat(
          line.where,
          ": expected `<principal> <sha-256 hex of the token> [<holder>]`, "
          "got ",
          line.fields.size(), " fields"));
      continue;
    }
    absl::StatusOr<Principal> principal = ParsePrincipal(line.fields[0]);
    const std::string& hash = line.fields[1];
    if (!principal.ok()) {
      errors.push_back(
          absl::StrCat(line.where, ": ", principal.status().message()));
      continue;
    }
    if (line.fields.size() == 3) {
      if (!IsPersonLabel(line.fields[2])) {
        errors.push_back(absl::StrCat(
            line.where,
            ": the holder must be a person's label (up to 100 bytes of "
            "UTF-8, no control character)"));
        continue;
      }
      principal->person = line.fields[2];
    }
    if (hash.size() != 64 || !IsHex(hash)) {
      errors.push_back(
          absl::StrCat(line.where,
                       ": the token hash must be 64 hex digits (the sha-256 "
                       "of the token), got ",
                       hash.size(), " characters"));
      continue;
    }
    Entry entry{*std::move(principal), {}};
    std::string raw = absl::HexStringToBytes(hash);
    std::memcpy(entry.digest.data(), raw.data(), entry.digest.size());
    bool duplicate = false;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].digest == entry.digest) {
        errors.push_back(absl::StrCat(line.where, ": the same token hash as ",
                                      entry_where[i]));
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    entries.push_back(std::move(entry));
    entry_where.push_back(line.where);
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  }
  if (entries.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": no `<principal> <token hash>` entry"));
  }
  return std::unique_ptr<TokenAuthenticator>(
      new TokenAuthenticator(std::move(entries)));
}

TokenAuthenticator::TokenAuthenticator(std::vector<Entry> entries)
    : entries_(std::move(entries)) {}

absl::StatusOr<Principal> TokenAuthenticator::PrincipalOf(
    const grpc::ServerContext& ctx) const {
  const auto& metadata = ctx.client_metadata();
  auto [begin, end] = metadata.equal_range("authorization");
  if (begin == end) {
    return absl::UnauthenticatedError(
        "no `authorization: Bearer <token>` metadata on the call");
  }
  if (std::next(begin) != end) {
    return absl::UnauthenticatedError(
        "`authorization` metadata given more than once");
  }
  absl::string_view value(begin->second.data(), begin->second.size());
  if (value.size() <= kBearer.size() ||
      !absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError(
        "`authorization` metadata is not `Bearer <token>`");
  }
  return PrincipalOfToken(
      absl::StripAsciiWhitespace(value.substr(kBearer.size())));
}

absl::StatusOr<Principal> TokenAuthenticator::PrincipalOfToken(
    absl::string_view token) const {
  const std::string hash = digest::Sha256(token);
  // Look at every entry whatever matches, so the time taken says nothing
  // about which bytes of which hash matched.
  const Entry* found = nullptr;
  for (const Entry& entry : entries_) {
    bool same = digest::ConstantTimeEquals(
        absl::string_view(reinterpret_cast<const char*>(entry.digest.data()),
                          entry.digest.size()),
        hash);
    if (same) found = &entry;
  }
  if (found == nullptr) {
    return absl::UnauthenticatedError("unknown bearer token");
  }
  return found->principal;
}

}  // namespace caserelay::rpc
