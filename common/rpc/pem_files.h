// The TLS files a server or client is started with, read and checked
// before gRPC sees them (传输安全): a certificate and the private key that
// belongs to it, a CA bundle, and a directory of certificate revocation
// lists (CRLs, 吊销列表). At start a bad file stops start-up with one clear
// line instead of failing every handshake; while the process runs,
// TlsStage (tls_stage.h) runs the same checks before gRPC sees a change.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_COMMON_RPC_PEM_FILES_H_
#define CASERELAY_COMMON_RPC_PEM_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::rpc {

// A certificate chain (leaf first) and its private key, both PEM.
struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

// Reads `cert_path` and `key_path` and checks that the first certificate's
// public key is the key's. `who` names the pair in messages ("server",
// "client"). Fails with ReadSmallFile's codes for a file that cannot be
// read, FAILED_PRECONDITION for a key file that group or others may read
// or write, INVALID_ARGUMENT for a file without a PEM certificate / an
// unencrypted PEM private key or a key of another certificate. Messages
// name the role and the path.
absl::StatusOr<KeyPair> ReadKeyPair(const std::string& cert_path,
                                    const std::string& key_path,
                                    const std::string& who);

// The PEM CA bundle at `path`; `role` names it in messages ("client CA").
// Fails like ReadKeyPair for a file that cannot be read or holds no PEM
// certificate.
absl::StatusOr<std::string> ReadCaBundle(const std::string& path,
                                         const std::string& role);

// Checks the CRL directory `dir` as gRPC (OpenSSL's hashed-directory
// look-up) will read it: at least one file named `<issuer hash>.r<n>` (what
// `openssl rehash` makes; other names are never read), each a PEM CRL that
// one certificate of `ca_pem` issued and signed, and the newest (latest
// lastUpdate) of each issuer not past its nextUpdate at `now` (OpenSSL
// uses the newest and, while it is expired, refuses every client
// certificate of that CA; older CRLs beside it do no harm). Fails with
// INVALID_ARGUMENT naming the file and what to do, NOT_FOUND /
// FAILED_PRECONDITION when `dir` is missing or not a directory. Messages start
// with "CRL directory <dir>".
absl::Status CheckCrlDir(const std::string& dir, const std::string& ca_pem,
                         absl::Time now);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_PEM_FILES_H_
