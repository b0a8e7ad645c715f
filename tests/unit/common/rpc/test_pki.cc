#include "tests/unit/common/rpc/test_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace caserelay::rpc::testing {
namespace {

// Only the sections the commands below name; no system openssl.cnf.
constexpr char kConfig[] = R"([ca]
default_ca = test_ca
[test_ca]
database = index.txt
crlnumber = crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_crl_days = 2
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
[uri_client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = URI:caserelay:office:140431:housing
[supervision_client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = URI:caserelay:service:supervision
)";

constexpr char kNewKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

}  // namespace

TempDir::TempDir() {
  char tmpl[] = "/tmp/caserelay-rpc-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;  // best effort: a leftover dir must not fail a test
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Path(absl::string_view name) const {
  return absl::StrCat(path_, "/", name);
}

std::string TempDir::Write(absl::string_view name, absl::string_view content,
                           mode_t mode) const {
  std::string path = Path(name);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) ADD_FAILURE() << "cannot write " << path;
  }
  if (chmod(path.c_str(), mode) != 0) ADD_FAILURE() << "cannot chmod " << path;
  return path;
}

absl::Status TestPki::Openssl(const std::string& args) const {
  std::string log = dir_.Path("openssl.log");
  std::string cmd = absl::StrCat("cd '", dir_.path(), "' && openssl ", args,
                                 " >>'", log, "' 2>&1");
  if (std::system(cmd.c_str()) == 0) return absl::OkStatus();
  std::ifstream in(log);
  std::stringstream out;
  out << in.rdbuf();
  return absl::InternalError(
      absl::StrCat("openssl ", args, " failed:\n", out.str()));
}

absl::Status TestPki::Issue(const std::string& issuer, const std::string& name,
                            const std::string& cn, const std::string& ext,
                            int serial) const {
  std::string cnf = dir_.Path("openssl.cnf");
  absl::Status s = Openssl(absl::StrCat("req -config '", cnf, "' ", kNewKey,
                                        " -keyout ", name, ".key -out ", name,
                                        ".csr -subj '/CN=", cn, "'"));
  if (!s.ok()) return s;
  return Openssl(absl::StrCat("x509 -req -in ", name, ".csr -CA ", issuer,
                              ".pem -CAkey ", issuer, ".key -set_serial ",
                              serial, " -days 2 -out ", name, ".pem -extfile '",
                              cnf, "' -extensions ", ext));
}

absl::Status TestPki::IssueLeaf(const std::string& name, const std::string& cn,
                                const std::string& ext, int serial) const {
  return Issue("ca", name, cn, ext, serial);
}

absl::Status TestPki::Revoke(const std::string& name) const {
  return Openssl(absl::StrCat("ca -config '", dir_.Path("openssl.cnf"),
                              "' -revoke ", name, ".pem"));
}

absl::Status TestPki::WriteCrl(const std::string& path,
                               const std::string& more) const {
  return Openssl(absl::StrCat("ca -config '", dir_.Path("openssl.cnf"),
                              "' -gencrl -out '", path, "' ", more));
}

absl::Status TestPki::Rehash(const std::string& dir) const {
  return Openssl(absl::StrCat("rehash '", dir, "'"));
}

absl::StatusOr<std::unique_ptr<TestPki>> TestPki::Create() {
  auto pki = std::unique_ptr<TestPki>(new TestPki());
  const TempDir& d = pki->dir_;
  if (d.path().empty()) return absl::InternalError("no temp dir");
  std::string cnf = d.Write("openssl.cnf", kConfig);
  d.Write("index.txt", "");
  d.Write("crlnumber", "1000\n");
  auto run = [&](const std::string& args) { return pki->Openssl(args); };
  auto ca = [&](const std::string& name, const std::string& cn) {
    return run(absl::StrCat("req -config '", cnf, "' -x509 ", kNewKey,
                            " -keyout ", name, ".key -out ", name,
                            ".pem -days 2 -subj '/CN=", cn,
                            "' -extensions ca_ext"));
  };
  int serial = 100;
  auto leaf = [&](const std::string& name, const std::string& cn,
                  const std::string& ext, const std::string& issuer) {
    return pki->Issue(issuer, name, cn, ext, ++serial);
  };

  absl::Status s = ca("ca", "caserelay test CA");
  if (s.ok()) s = ca("rogue_ca", "rogue CA");
  if (s.ok()) s = leaf("server", "localhost", "server_ext", "ca");
  if (s.ok()) s = leaf("cn_client", "140431:bureau", "client_ext", "ca");
  if (s.ok()) s = leaf("uri_client", "140431:bureau", "uri_client_ext", "ca");
  if (s.ok()) s = leaf("plain_client", "somebody", "client_ext", "ca");
  if (s.ok()) {
    s = leaf("rogue_client", "140431:bureau", "client_ext", "rogue_ca");
  }
  if (!s.ok()) return s;
  return pki;
}

void TestPkiSuite::SetUpTestSuite() {
  auto pki = TestPki::Create();
  ASSERT_TRUE(pki.ok()) << pki.status();
  pki_ = pki->release();
}

void TestPkiSuite::TearDownTestSuite() {
  delete pki_;
  pki_ = nullptr;
}

void TestPkiSuite::SetUp() { ASSERT_NE(pki_, nullptr); }

TestPki* TestPkiSuite::pki_ = nullptr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void Replace(const std::string& from, const std::string& to) {
  std::string tmp = to + ".new";
  std::filesystem::copy_file(from, tmp,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(tmp, std::filesystem::perms::owner_read |
                                        std::filesystem::perms::owner_write);
  ASSERT_EQ(rename(tmp.c_str(), to.c_str()), 0) << to;
}

std::string Eventually(const std::function<std::string()>& probe,
                       const std::string& want, absl::Duration patience) {
  auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoMilliseconds(patience);
  std::string got = probe();
  while (got != want && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    got = probe();
  }
  return got;
}

}  // namespace caserelay::rpc::testing
