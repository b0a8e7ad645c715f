// The TLS files gRPC's certificate watcher reads, kept consistent by us
// (传输安全). gRPC 1.51 reads a key and its certificate as two files and,
// should it read between their replacements, refuses every new handshake
// until it reads them matching again; it takes a key any user may read;
// and it reads a CRL directory only when it builds its TLS context, so a
// CRL overwritten in place would wait for a restart. TlsStage checks the
// operator's files every interval as they are checked at start (the key
// owner-only and fitting the certificate; the CRL directory as
// CheckCrlDir) and writes what passes as ONE owner-only file — key,
// certificate chain, and a comment line with a digest of the CRL
// directory — in a private temporary directory, replaced by one rename.
// gRPC's watcher reads that file as both key and certificate: it never
// sees half a renewal, and a changed CRL directory changes the file, so
// gRPC builds its TLS context again and reads every CRL afresh. Files
// that fail the checks leave the staged file as it was; one error line
// names them (again only when the error changes).
//
// Thread safety: one background thread refreshes the staged file; path()
// is const after Create, Refresh() may be called from any thread.

#ifndef CASERELAY_COMMON_RPC_TLS_STAGE_H_
#define CASERELAY_COMMON_RPC_TLS_STAGE_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace caserelay::rpc {

struct TlsStageOptions {
  // A certificate chain (leaf first) and its owner-only private key; both
  // or neither (a client without a certificate).
  std::string cert_path;
  std::string key_path;
  std::string who;  // "server" or "client", in messages
  // The CA bundle that verifies the peer, or empty; `ca_role` names it in
  // messages ("client CA", "server CA").
  std::string ca_path;
  std::string ca_role;
  // CRLs of that CA (needs ca_path and a certificate), or empty.
  std::string crl_dir;
  absl::Duration interval = absl::Minutes(1);  // > 0
};

class TlsStage {
 public:
  // Checks the files and stages them once, then starts the thread that
  // does it again every options.interval. Fails with ReadKeyPair's,
  // ReadCaBundle's or CheckCrlDir's status, or INTERNAL / UNAVAILABLE
  // when the private directory or file cannot be made.
  static absl::StatusOr<std::unique_ptr<TlsStage>> Create(
      const TlsStageOptions& options);
  ~TlsStage();  // stops the thread, removes the private directory
  TlsStage(const TlsStage&) = delete;
  TlsStage& operator=(const TlsStage&) = delete;

  // The staged files, PEM, mode 0600: key and certificate chain in one
  // (with the CRL digest line), and the CA bundle; "" for those not given.
  const std::string& identity_path() const { return identity_path_; }
  const std::string& ca_path() const { return ca_path_; }

  // Checks the files now and restages them if they pass and differ from
  // what is staged. OK if staged or unchanged; otherwise the check's
  // status, and the staged file is left as it was.
  absl::Status Refresh();

 private:
  TlsStage(TlsStageOptions options, std::string dir);
  void Run();

  const TlsStageOptions options_;
  const std::string dir_;            // private, mode 0700
  const std::string identity_path_;  // dir_ + "/identity.pem", or ""
  const std::string ca_path_;        // dir_ + "/ca.pem", or ""

  absl::Mutex refresh_mu_;  // one Refresh at a time
  std::string staged_identity_ ABSL_GUARDED_BY(refresh_mu_);
  std::string staged_ca_ ABSL_GUARDED_BY(refresh_mu_);

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_TLS_STAGE_H_
