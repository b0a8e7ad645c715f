#include "common/rpc/pem_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/rpc/files.h"

namespace caserelay::rpc {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct CrlFree {
  void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

std::unique_ptr<BIO, BioFree> MemBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Refuses a passphrase: a service must not stop to ask on a terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

// Every certificate of `pem`, in order.
std::vector<X509Ptr> AllCerts(const std::string& pem) {
  std::vector<X509Ptr> certs;
  auto bio = MemBio(pem);
  while (X509* cert =
             PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the end of the bundle reads as an error
  return certs;
}

// The first certificate of `pem`; INVALID_ARGUMENT naming `role` and
// `path` if there is none.
absl::StatusOr<X509Ptr> FirstCert(const std::string& pem,
                                  const std::string& role,
                                  const std::string& path) {
  auto bio = MemBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(role, " ", path, ": no PEM certificate in it"));
  }
  return cert;
}

// ReadSmallFile(path), its error prefixed by the file's role.
absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    const std::string& role,
                                    FileAccess access = FileAccess::kAnyMode) {
  auto pem = ReadSmallFile(path, access);
  if (!pem.ok()) {
    return absl::Status(pem.status().code(),
                        absl::StrCat(role, " ", pem.status().message()));
  }
  return pem;
}

// "<8 hex digits>.r<digits>": the names OpenSSL's hashed-directory look-up
// reads CRLs from.
bool IsHashedCrlName(const std::string& name) {
  if (name.size() < 11 || name.compare(8, 2, ".r") != 0) return false;
  auto is_hex = [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c));
  };
  auto is_digit = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  };
  return std::all_of(name.begin(), name.begin() + 8, is_hex) &&
         std::all_of(name.begin() + 10, name.end(), is_digit);
}

// The newest CRL of one issuer found so far.
struct NewestCrl {
  std::string path;
  std::unique_ptr<X509_CRL, CrlFree> crl;
};

// Checks one hashed CRL file against the CAs and keeps it in `newest` (by
// issuer hash) when it is the latest of its issuer so far.
absl::Status CheckCrlFile(const std::string& path, const std::string& name,
                          const std::vector<X509Ptr>& cas,
                          std::map<std::string, NewestCrl>& newest) {
  auto pem = ReadPem(path, "CRL");
  if (!pem.ok()) return pem.status();
  auto bio = MemBio(*pem);
  std::unique_ptr<X509_CRL, CrlFree> crl(
      PEM_read_bio_X509_CRL(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (crl == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no PEM CRL in it (gRPC reads PEM only)"));
  }
  const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
  int ok = 0;
  std::string hash = absl::StrFormat(
      "%08lx", X509_NAME_hash_ex(issuer, nullptr, nullptr, &ok));
  if (ok == 1 && name.compare(0, 8, hash) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": named for another issuer (its issuer's hash is ", hash,
        "), so it is never read; run openssl rehash on the directory"));
  }
  bool signed_by_ca = false;
  for (const X509Ptr& ca : cas) {
    if (X509_NAME_cmp(X509_get_subject_name(ca.get()), issuer) == 0 &&
        X509_CRL_verify(crl.get(), X509_get0_pubkey(ca.get())) == 1) {
      signed_by_ca = true;
      break;
    }
  }
  ERR_clear_error();
  if (!signed_by_ca) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not issued and signed by a CA of the client CA bundle"));
  }
  NewestCrl& kept = newest[name.substr(0, 8)];
  if (kept.crl == nullptr ||
      ASN1_TIME_compare(X509_CRL_get0_lastUpdate(kept.crl.get()),
                        X509_CRL_get0_lastUpdate(crl.get())) < 0) {
    kept = NewestCrl{path, std::move(crl)};
  }
  return absl::OkStatus();
}

// OpenSSL checks a certificate against the newest CRL of its issuer; if
// that one is past its nextUpdate, it refuses the certificate.
absl::Status CheckNotExpired(const NewestCrl& newest, absl::Time now) {
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(newest.crl.get());
  time_t t = absl::ToTimeT(now);
  if (next != nullptr && X509_cmp_time(next, &t) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        newest.path,
        ": the newest CRL of its CA has expired (past its next update); "
        "while it is, every client certificate of that CA is refused: "
        "publish a fresh CRL"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<KeyPair> ReadKeyPair(const std::string& cert_path,
                                    const std::string& key_path,
                                    const std::string& who) {
  auto cert_pem = ReadPem(cert_path, who + " certificate");
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadPem(key_path, who + " key", FileAccess::kOwnerOnly);
  if (!key_pem.ok()) return key_pem.status();
  auto cert = FirstCert(*cert_pem, who + " certificate", cert_path);
  if (!cert.ok()) return cert.status();
  auto bio = MemBio(*key_pem);
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        who, " key ", key_path,
        ": no PEM private key in it (or it is encrypted; use an unencrypted "
        "key readable only by the service)"));
  }
  bool match = X509_check_private_key(cert->get(), key.get()) == 1;
  ERR_clear_error();
  if (!match) {
    return absl::InvalidArgumentError(
        absl::StrCat(who, " key ", key_path,
                     " does not belong to the certificate ", cert_path));
  }
  return KeyPair{*std::move(cert_pem), *std::move(key_pem)};
}

absl::StatusOr<std::string> ReadCaBundle(const std::string& path,
                                         const std::string& role) {
  auto pem = ReadPem(path, role);
  if (!pem.ok()) return pem.status();
  auto cert = FirstCert(*pem, role, path);
  if (!cert.ok()) return cert.status();
  return pem;
}

absl::Status CheckCrlDir(const std::string& dir, const std::string& ca_pem,
                         absl::Time now) {
  const std::string prefix = absl::StrCat("CRL directory ", dir, ": ");
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(dir, ec);
  if (!std::filesystem::exists(st)) {
    return absl::NotFoundError(absl::StrCat(prefix, "does not exist"));
  }
  if (!std::filesystem::is_directory(st)) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, "not a directory"));
  }
  std::vector<X509Ptr> cas = AllCerts(ca_pem);
  int crls = 0;
  std::map<std::string, NewestCrl> newest;  // by issuer hash
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, "cannot list it: ", ec.message()));
  }
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    if (!IsHashedCrlName(name)) continue;
    ++crls;
    absl::Status s = CheckCrlFile(entry.path().string(), name, cas, newest);
    if (!s.ok())
      return absl::Status(s.code(), prefix + std::string(s.message()));
  }
  for (const auto& [hash, crl] : newest) {
    absl::Status s = CheckNotExpired(crl, now);
    if (!s.ok())
      return absl::Status(s.code(), prefix + std::string(s.message()));
  }
  if (crls == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        prefix,
        "no CRL named <issuer hash>.r<n> in it (gRPC reads no other "
        "names); put the CA's PEM CRL there and run openssl rehash ",
        dir));
  }
  return absl::OkStatus();
}

}  // namespace caserelay::rpc
