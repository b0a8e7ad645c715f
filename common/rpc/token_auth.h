// Bearer tokens for local runs (令牌认证): each principal (an office or a
// service's identity, principal.h) holds a random token and sends it on
// every call as the metadata `authorization: Bearer <token>`; the service
// keeps only the tokens' SHA-256 hashes, in a tokens file.
//
// Tokens file: one `<principal> <sha-256 hex of the token> [<holder>]` per
// line, separated by spaces or tabs; blank lines and lines starting with
// '#' are ignored. <principal> is an office code (140431:bureau) or
// service:<name> (service:notification); <holder>, optional, labels the
// person who holds the token (IsPersonLabel, e.g. 王五): the record names
// them as the one who acted (Principal::person). A principal may have
// several tokens (to rotate one, or one per person); a token belongs to
// one principal. The file must not be readable or writable by group or
// others (chmod 600). By hand (NewToken and TokenHash do the same):
//
//   token=$(openssl rand -hex 32)   # give it to the holder, keep no copy
//   hash=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
//   echo "140431:bureau $hash 王五" >> tokens

#ifndef CASERELAY_COMMON_RPC_TOKEN_AUTH_H_
#define CASERELAY_COMMON_RPC_TOKEN_AUTH_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/digest/digest.h"
#include "common/rpc/auth.h"
#include "common/rpc/principal.h"

namespace caserelay::rpc {

// A fresh token: 32 bytes from OpenSSL's CSPRNG as 64 lowercase hex digits.
// Aborts with one line on stderr if the CSPRNG fails (it does not once
// seeded; a broken one must not hand out guessable tokens).
std::string NewToken();

// The lowercase hex SHA-256 of `token`'s bytes, as the tokens file holds it.
std::string TokenHash(absl::string_view token);

// One line of a tokens file.
struct TokenEntry {
  std::string principal;   // an office code or service:<name>
  std::string token_hash;  // 64 hex digits, any case
  std::string holder;      // the person holding it; may be empty
};

// Authenticates calls by their bearer token.
//
// Thread safety: immutable after construction; thread-safe.
class TokenAuthenticator final : public Authenticator {
 public:
  // Reads the tokens file at `path` (format above). Returns the
  // authenticator, or:
  // - NOT_FOUND / PERMISSION_DENIED: `path` is missing / not readable;
  // - FAILED_PRECONDITION: `path` is not a regular file, or its mode lets
  //   group or others read or write it (the message gives the mode and the
  //   chmod that fixes it);
  // - INVALID_ARGUMENT: the file has no entry, or bad lines; the message
  //   names every bad line as "<path>:<line>: <what is wrong>", joined by
  //   "; " (a line that is not two or three fields, a first field that is
  //   no principal (ParsePrincipal), a hash that is not 64 hex digits, a
  //   holder that is not IsPersonLabel, a hash already on an earlier
  //   line).
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> Load(
      const std::string& path);

  // The same from entries in memory; errors as Load's INVALID_ARGUMENT,
  // with "entry <index>" in place of "<path>:<line>".
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> Create(
      const std::vector<TokenEntry>& entries);

  // The principal (with its holder as person) whose token the call's
  // `authorization: Bearer <token>` metadata carries (the scheme in any
  // case). UNAUTHENTICATED when the metadata is missing, given twice, not
  // a Bearer token, or the token is unknown. Compares the token's hash
  // with every entry in constant time.
  absl::StatusOr<Principal> PrincipalOf(
      const grpc::ServerContext& ctx) const override;

  // The principal of `token`; UNAUTHENTICATED if no entry has its hash.
  // Constant time in the token's value.
  absl::StatusOr<Principal> PrincipalOfToken(absl::string_view token) const;

 private:
  using Digest = std::array<uint8_t, digest::kSha256Size>;
  struct Entry {
    Principal principal;
    Digest digest;
  };
  // An entry's fields and where they came from ("<path>:<line>").
  struct Line {
    std::string where;
    std::vector<std::string> fields;
  };

  // REQUIRES: `entries` is non-empty with distinct digests.
  explicit TokenAuthenticator(std::vector<Entry> entries);

  // Checks `lines` (errors as Load's INVALID_ARGUMENT; `source` names the
  // whole for "no entry") and builds the authenticator.
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> Build(
      absl::string_view source, const std::vector<Line>& lines);

  const std::vector<Entry> entries_;
};

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_TOKEN_AUTH_H_
