// Test helpers (library caserelay_test_pki): a temp dir, files with a
// chosen mode, a small PKI made with the openssl CLI at test time (no key
// is ever committed), a fixture sharing one PKI across a suite, owner-only
// file replacement as an operator renews TLS files, and waiting for a
// reload to show. Used by the rpc, deploy and integration tests.

#ifndef CASERELAY_TESTS_UNIT_COMMON_RPC_TEST_PKI_H_
#define CASERELAY_TESTS_UNIT_COMMON_RPC_TEST_PKI_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace caserelay::rpc::testing {

// A fresh directory under /tmp, removed with its content on destruction.
// Not thread-safe; one owner.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory; empty if it could not be made (a test failure is added).
  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Path(absl::string_view name) const;
  // Writes `content` to Path(name) with permission bits `mode`; returns the
  // path. Adds a test failure if it cannot.
  std::string Write(absl::string_view name, absl::string_view content,
                    mode_t mode = 0600) const;

 private:
  std::string path_;
};

// Certificates and keys in a temp dir, PEM, EC P-256, valid for two days:
//   ca.pem                 test CA
//   server.{pem,key}       CN=localhost, SAN IP:127.0.0.1 and DNS:localhost
//   cn_client.{pem,key}    CN=140431:bureau, no SAN
//   uri_client.{pem,key}   CN=140431:bureau and
//                          URI SAN caserelay:office:140431:housing
//   plain_client.{pem,key} CN=somebody, no office anywhere
//   rogue_ca.pem           another CA
//   rogue_client.{pem,key} CN=140431:bureau, signed by rogue_ca
// and the test CA's database (index.txt, crlnumber) for `openssl ca` to
// revoke certificates and write CRLs.
// Not thread-safe; one owner.
class TestPki {
 public:
  // Runs openssl to make them all. INTERNAL with openssl's output if a
  // command fails (e.g. the openssl CLI is not installed).
  static absl::StatusOr<std::unique_ptr<TestPki>> Create();

  // Makes `name`.{pem,key}: a fresh P-256 key and a certificate for it
  // with common name `cn`, serial `serial` and the config section `ext`
  // (server_ext, client_ext, uri_client_ext, supervision_client_ext: URI
  // caserelay:service:supervision), signed by the test CA, valid
  // two days. INTERNAL with openssl's output on failure.
  absl::Status IssueLeaf(const std::string& name, const std::string& cn,
                         const std::string& ext, int serial) const;
  // Records `name`.pem (issued by the test CA) as revoked in its database.
  absl::Status Revoke(const std::string& name) const;
  // Writes the test CA's CRL, listing every certificate Revoke recorded,
  // PEM, to `path` (absolute), valid two days from now. Each CRL has the
  // next CRL number. `more` is appended to the `openssl ca -gencrl`
  // command, e.g. "-cert rogue_ca.pem -keyfile rogue_ca.key" (signed by
  // another CA) or "-crl_lastupdate ... -crl_nextupdate ...".
  absl::Status WriteCrl(const std::string& path,
                        const std::string& more = "") const;
  // `openssl rehash dir`: links <issuer hash>.r<n> to each CRL in `dir`.
  absl::Status Rehash(const std::string& dir) const;

  // dir + "/" + name, e.g. Path("ca.pem").
  std::string Path(absl::string_view name) const { return dir_.Path(name); }
  const TempDir& dir() const { return dir_; }

 private:
  TestPki() = default;
  // Runs `openssl <args>` in the dir; INTERNAL with its output on failure.
  absl::Status Openssl(const std::string& args) const;
  // IssueLeaf, signed by `issuer`.{pem,key} (a CA of this dir).
  absl::Status Issue(const std::string& issuer, const std::string& name,
                     const std::string& cn, const std::string& ext,
                     int serial) const;
  TempDir dir_;
};

// A fixture whose tests share one TestPki (pki_), made once for the suite
// since each openssl run takes a moment. A suite that needs more
// certificates makes them in its own SetUpTestSuite after calling this
// one (pki_ is nullptr if that failed).
class TestPkiSuite : public ::testing::Test {
 protected:
  // Makes pki_; a fatal failure naming openssl's output if it cannot.
  static void SetUpTestSuite();
  // Removes pki_ and its directory.
  static void TearDownTestSuite();
  // A fatal failure if the suite has no PKI.
  void SetUp() override;

  // pki_->Path(name).
  static std::string P(absl::string_view name) { return pki_->Path(name); }

  static TestPki* pki_;  // owned; set from SetUpTestSuite to TearDownTestSuite
};

// The content of the file at `path`; empty if it cannot be read.
std::string ReadFile(const std::string& path);

// Replaces `to` by a copy of `from` in one rename, mode 0600 (owner-only),
// as an operator's deployment tool renews TLS files. A test failure if it
// cannot.
void Replace(const std::string& from, const std::string& to);

// Asks `probe` every 200 ms until it returns `want` or `patience` passes;
// the last answer.
std::string Eventually(const std::function<std::string()>& probe,
                       const std::string& want, absl::Duration patience);

}  // namespace caserelay::rpc::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_RPC_TEST_PKI_H_
