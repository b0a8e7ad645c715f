// casectl token add: operator tooling for local runs (令牌). Makes a new
// bearer token for a principal (an office, or a service's identity
// service:<name>: common/rpc/principal.h), optionally naming the person
// who holds it, with common/rpc/token_auth.h's NewToken,
// hands it over in a file only the owner may read, and appends its hash to
// the services' tokens file.
//
// Thread safety: AddToken may run in several processes at once; each
// appends one whole line (O_APPEND). Not atomic across the two files: see
// AddToken.

#ifndef CASERELAY_TOOLS_CASECTL_TOKENS_H_
#define CASERELAY_TOOLS_CASECTL_TOKENS_H_

#include <string>

#include "absl/status/status.h"

namespace caserelay::casectl {

struct AddTokenOptions {
  std::string principal;    // e.g. "140431:housing" or "service:web"
  std::string tokens_path;  // the services' tokens file; created 0600
  std::string token_path;   // where the token goes; must not exist
  // The person who holds it (e.g. 王五), recorded as the operator of what
  // the token does; empty: the principal itself.
  std::string holder = "";
};

// Writes a new token and a newline to token_path (created 0600, never
// overwritten), then appends "<principal> <TokenHash(token)>[ <holder>]"
// to tokens_path (created 0600 if missing). Returns OK, or:
// - INVALID_ARGUMENT: principal is not an office code or service:<name>,
//   holder is not a person's label (rpc::IsPersonLabel), or a path is
//   empty;
// - ALREADY_EXISTS: token_path exists (an office's token is not replaced
//   by accident);
// - FAILED_PRECONDITION: tokens_path exists but group or others may read
//   or write it (the services would refuse it; the message gives the
//   chmod), or is not a regular file;
// - the errno's code, naming the path, if a file cannot be opened or
//   written. If appending to tokens_path fails, token_path is removed
//   again, so no token exists whose hash is not listed.
absl::Status AddToken(const AddTokenOptions& options);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_TOKENS_H_
