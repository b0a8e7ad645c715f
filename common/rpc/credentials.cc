#include "common/rpc/credentials.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/files.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/interceptor.h"

namespace caserelay::rpc {
namespace {

// The interval as gRPC's file watcher takes it; INVALID_ARGUMENT naming
// `setting` when it is out of range or not whole seconds.
absl::StatusOr<unsigned int> RefreshSeconds(absl::Duration interval,
                                            const std::string& setting) {
  if (interval < kMinReloadInterval || interval > kMaxReloadInterval ||
      interval != absl::Seconds(absl::ToInt64Seconds(interval))) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, " ", absl::FormatDuration(interval),
                     ": must be whole seconds from 1s to 24h"));
  }
  return static_cast<unsigned int>(absl::ToInt64Seconds(interval));
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

// Intercepts nothing: it keeps a channel's TlsStage alive as long as the
// channel (which owns its interceptor factories).
class KeepStage : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit KeepStage(std::unique_ptr<TlsStage> stage)
      : stage_(std::move(stage)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return nullptr;
  }

 private:
  std::unique_ptr<TlsStage> stage_;
};

// How often gRPC reads the staged files (the stage checks the operator's
// every reload interval): a small local read.
constexpr unsigned int kStageReadSeconds = 1;

// The stage of one end's files and gRPC's watcher reading what it stages.
struct StagedTls {
  std::unique_ptr<TlsStage> stage;
  std::shared_ptr<grpc::experimental::FileWatcherCertificateProvider> provider;
};

// Checks and stages the files of `options` (TlsStage::Create, whose status
// it returns on failure) and makes the certificate provider that gRPC's
// TLS credentials of either end read the staged files through. The
// provider reads files the stage owns: keep the stage while it is used.
absl::StatusOr<StagedTls> StageForGrpc(const TlsStageOptions& options) {
  auto stage = TlsStage::Create(options);
  if (!stage.ok()) return stage.status();
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          (*stage)->identity_path(), (*stage)->identity_path(),
          (*stage)->ca_path(), kStageReadSeconds);
  return StagedTls{*std::move(stage), std::move(provider)};
}

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

absl::StatusOr<ServerTls> MakeServerCredentials(const ServerTlsFiles& files) {
  if (files.empty()) return ServerTls{grpc::InsecureServerCredentials(), {}};
  if (files.cert_path.empty() || files.key_path.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both the server certificate and its key "
        "(tls.cert_path and tls.key_path)");
  }
  if (!files.crl_dir.empty() && files.client_ca_path.empty()) {
    return absl::InvalidArgumentError(
        "a CRL directory (tls.crl_dir) needs the client CA "
        "(tls.client_ca_path) whose certificates it revokes");
  }
  auto refresh = RefreshSeconds(files.reload_interval, "tls.reload_interval");
  if (!refresh.ok()) return refresh.status();
  TlsStageOptions stage_options;
  stage_options.cert_path = files.cert_path;
  stage_options.key_path = files.key_path;
  stage_options.who = "server";
  stage_options.ca_path = files.client_ca_path;
  stage_options.ca_role = "client CA";
  stage_options.crl_dir = files.crl_dir;
  stage_options.interval = files.reload_interval;
  auto staged = StageForGrpc(stage_options);
  if (!staged.ok()) return staged.status();

  grpc::experimental::TlsServerCredentialsOptions options(staged->provider);
  options.watch_identity_key_cert_pairs();
  if (files.client_ca_path.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    if (!files.crl_dir.empty()) options.set_crl_directory(files.crl_dir);
  }
  return ServerTls{grpc::experimental::TlsServerCredentials(options),
                   std::move(staged->stage)};
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
  std::unique_ptr<KeepStage> keep;  // the channel's TlsStage, if TLS
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
    auto refresh =
        RefreshSeconds(auth.tls_reload_interval, "tls_reload_interval");
    if (!refresh.ok()) return refresh.status();
    if (has_client_cert &&
        (auth.tls_cert_path.empty() || auth.tls_key_path.empty())) {
      return absl::InvalidArgumentError(
          "a client certificate needs both its file and its key's");
    }
    TlsStageOptions stage_options;
    stage_options.cert_path = auth.tls_cert_path;
    stage_options.key_path = auth.tls_key_path;
    stage_options.who = "client";
    stage_options.ca_path = auth.tls_ca_path;
    stage_options.ca_role = "server CA";
    stage_options.interval = auth.tls_reload_interval;
    auto staged = StageForGrpc(stage_options);
    if (!staged.ok()) return staged.status();
    grpc::experimental::TlsChannelCredentialsOptions options;
    options.set_certificate_provider(staged->provider);
    options.watch_root_certs();
    if (has_client_cert) options.watch_identity_key_cert_pairs();
    keep = std::make_unique<KeepStage>(std::move(staged->stage));
    if (!auth.tls_server_name.empty()) {
      args.SetSslTargetNameOverride(auth.tls_server_name);
    }
    credentials = grpc::experimental::TlsCredentials(options);
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
  if (keep != nullptr) interceptors.push_back(std::move(keep));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      auth.target, credentials, args, std::move(interceptors));
}

}  // namespace caserelay::rpc
