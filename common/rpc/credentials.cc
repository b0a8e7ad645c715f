#include "common/rpc/credentials.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/files.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/interceptor.h"

namespace caserelay::rpc {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, BioFree> MemBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Refuses a passphrase: a service must not stop to ask on a terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

// The first certificate of `pem`; INVALID_ARGUMENT naming `role` and
// `path` if there is none.
absl::StatusOr<std::unique_ptr<X509, X509Free>> FirstCert(
    const std::string& pem, const std::string& role, const std::string& path) {
  auto bio = MemBio(pem);
  std::unique_ptr<X509, X509Free> cert(
      PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(role, " ", path, ": no PEM certificate in it"));
  }
  return cert;
}

// ReadSmallFile(path), its error prefixed by the file's role. A private
// key is refused when group or others may read or write it.
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

// A certificate chain and its key, checked to belong together.
struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

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

// Adds `authorization: Bearer <token>` to every call's initial metadata.
class BearerInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(const std::string* header) : header_(header) {}
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;  // owned by the factory, which outlives us
};

class BearerInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(std::string token)
      : header_(absl::StrCat("Bearer ", token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(&header_);
  }

 private:
  const std::string header_;
};

// The token of `auth` ("" for none), checked.
absl::StatusOr<std::string> TokenOf(const ClientAuth& auth) {
  if (!auth.token.empty() && !auth.token_file.empty()) {
    return absl::InvalidArgumentError("give a token or a token file, not both");
  }
  std::string token = auth.token;
  if (!auth.token_file.empty()) {
    auto text = ReadSmallFile(auth.token_file, FileAccess::kOwnerOnly);
    if (!text.ok()) {
      return absl::Status(text.status().code(),
                          absl::StrCat("token file ", text.status().message()));
    }
    token = std::string(absl::StripAsciiWhitespace(*text));
    if (token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("token file ", auth.token_file, " is empty"));
    }
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "the token must be printable ASCII without spaces or line breaks");
    }
  }
  return token;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsFiles& files) {
  if (files.empty()) return grpc::InsecureServerCredentials();
  if (files.cert_path.empty() || files.key_path.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both the server certificate and its key "
        "(tls.cert_path and tls.key_path)");
  }
  auto pair = ReadKeyPair(files.cert_path, files.key_path, "server");
  if (!pair.ok()) return pair.status();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({pair->key_pem, pair->cert_pem});
  if (!files.client_ca_path.empty()) {
    auto ca = ReadCaBundle(files.client_ca_path, "client CA");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *std::move(ca);
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> OfficeChannel(
    const ClientAuth& auth) {
  if (auth.target.empty()) {
    return absl::InvalidArgumentError("no target (host:port) to call");
  }
  absl::StatusOr<std::string> token = TokenOf(auth);
  if (!token.ok()) return token.status();

  std::shared_ptr<grpc::ChannelCredentials> credentials;
  grpc::ChannelArguments args;
  bool has_client_cert =
      !auth.tls_cert_path.empty() || !auth.tls_key_path.empty();
  if (auth.tls_ca_path.empty()) {
    if (has_client_cert || !auth.tls_server_name.empty()) {
      return absl::InvalidArgumentError(
          "a client certificate or TLS server name needs the CA that signs "
          "the server's certificate (tls_ca_path)");
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions options;
    auto ca = ReadCaBundle(auth.tls_ca_path, "server CA");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *std::move(ca);
    if (has_client_cert) {
      if (auth.tls_cert_path.empty() || auth.tls_key_path.empty()) {
        return absl::InvalidArgumentError(
            "a client certificate needs both its file and its key's");
      }
      auto pair = ReadKeyPair(auth.tls_cert_path, auth.tls_key_path, "client");
      if (!pair.ok()) return pair.status();
      options.pem_cert_chain = std::move(pair->cert_pem);
      options.pem_private_key = std::move(pair->key_pem);
    }
    if (!auth.tls_server_name.empty()) {
      args.SetSslTargetNameOverride(auth.tls_server_name);
    }
    credentials = grpc::SslCredentials(options);
  }

  // gRPC 1.51 cannot put call credentials on a plaintext channel
  // (CompositeChannelCredentials gives null), so the token rides in an
  // interceptor, which works on both kinds.
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  if (!token->empty()) {
    interceptors.push_back(
        std::make_unique<BearerInterceptorFactory>(*std::move(token)));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      auth.target, credentials, args, std::move(interceptors));
}

}  // namespace caserelay::rpc
