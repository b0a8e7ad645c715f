#include "common/rpc/forwarder.h"

#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/cluster.pb.h"
#include "common/rpc/auth.h"

namespace caserelay::rpc {
namespace {

absl::string_view View(const grpc::string_ref& ref) {
  return absl::string_view(ref.data(), ref.size());
}

// Serves `service`: the principals of `inner`, and OwnService.
class ServingAuthenticator final : public Authenticator {
 public:
  ServingAuthenticator(std::unique_ptr<Authenticator> inner,
                       std::string service)
      : inner_(std::move(inner)), service_(std::move(service)) {}
  absl::StatusOr<Principal> PrincipalOf(
      const grpc::ServerContext& ctx) const override {
    return inner_->PrincipalOf(ctx);
  }
  absl::Status Reload() override { return inner_->Reload(); }
  std::string OwnService() const override { return service_; }

 private:
  const std::unique_ptr<Authenticator> inner_;
  const std::string service_;
};

}  // namespace

bool WasForwarded(const grpc::ServerContext& ctx) {
  return ctx.client_metadata().count(kForwardedMetadata) > 0;
}

absl::StatusOr<std::unique_ptr<Forwarder>> Forwarder::Create(
    ForwarderOptions options) {
  if (options.service.empty()) {
    return absl::InvalidArgumentError("Forwarder: the service is required");
  }
  if (options.mode == "token") {
    if (!options.channel.token.empty() || !options.channel.token_file.empty()) {
      return absl::InvalidArgumentError(
          "Forwarder: in auth.mode token the caller's own token is passed "
          "on; the channel must carry none");
    }
  } else if (options.mode == "mtls") {
    if (options.channel.tls_cert_path.empty() ||
        options.channel.tls_key_path.empty()) {
      return absl::InvalidArgumentError(
          "Forwarder: auth.mode mtls forwards with the instance's own client "
          "certificate: set cluster.tls_cert_path and cluster.tls_key_path");
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "Forwarder: auth.mode must be token or mtls, not \"", options.mode,
        "\""));
  }
  return std::unique_ptr<Forwarder>(new Forwarder(std::move(options)));
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Forwarder::ChannelTo(
    const std::string& address) {
  absl::MutexLock lock(&mu_);
  auto it = channels_.find(address);
  if (it != channels_.end()) return it->second;
  ClientAuth auth = options_.channel;
  auth.target = address;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = OfficeChannel(auth);
  if (!channel.ok()) {
    return absl::Status(channel.status().code(),
                        absl::StrCat("the channel to the owner ", address,
                                     ": ", channel.status().message()));
  }
  channels_.emplace(address, *channel);
  return channel;
}

absl::Status Forwarder::Prepare(const grpc::ServerContext& in,
                                const Principal& caller,
                                grpc::ClientContext* out) const {
  if (WasForwarded(in)) {
    return absl::FailedPreconditionError(
        "this call was forwarded once already and is not forwarded again");
  }
  if (in.deadline() != std::chrono::system_clock::time_point::max()) {
    out->set_deadline(in.deadline());
  }
  if (options_.mode == "token") {
    // The caller's own proof and on-behalf metadata, as they came.
    for (const auto& [key, value] : in.client_metadata()) {
      const absl::string_view k = View(key);
      if (k == "authorization" || absl::StartsWith(k, kOnBehalfPrefix)) {
        out->AddMetadata(std::string(k), std::string(View(value)));
      }
    }
  } else {
    out->AddMetadata(kForwardedForMetadata, EncodeForwardedCaller(caller));
  }
  out->AddMetadata(kForwardedMetadata, "1");
  return absl::OkStatus();
}

std::string EncodeForwardedCaller(const Principal& caller) {
  caserelay::v1::ForwardedCaller record;
  record.set_office(caller.IsOffice());
  record.set_id(caller.id);
  record.set_person(caller.person);
  record.set_via(caller.via);
  record.set_petitioner_case(caller.petitioner_case);
  for (caserelay::v1::StaffRole role : caller.roles) record.add_roles(role);
  return record.SerializeAsString();
}

absl::StatusOr<std::optional<Principal>> ForwardedCaller(
    const grpc::ServerContext& ctx, const Principal& direct,
    const std::string& own_service) {
  auto it = ctx.client_metadata().find(kForwardedForMetadata);
  if (it == ctx.client_metadata().end()) return std::nullopt;
  if (own_service.empty() || !direct.IsService(own_service)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "metadata ", kForwardedForMetadata, ": only another instance of ",
        own_service.empty() ? "this service" : "service:" + own_service,
        " may forward a call; ", direct.Name(), " may not"));
  }
  caserelay::v1::ForwardedCaller record;
  const absl::string_view value = View(it->second);
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata ", kForwardedForMetadata, ": not a ForwardedCaller"));
  }
  Principal caller = record.office() ? Principal::Office(record.id())
                                     : Principal::Service(record.id());
  caller.person = record.person();
  caller.via = record.via();
  caller.petitioner_case = record.petitioner_case();
  for (int role : record.roles()) {
    caller.roles.push_back(static_cast<caserelay::v1::StaffRole>(role));
  }
  return caller;
}

std::unique_ptr<Authenticator> ServingService(
    std::unique_ptr<Authenticator> inner, std::string service) {
  return std::make_unique<ServingAuthenticator>(std::move(inner),
                                                std::move(service));
}

}  // namespace caserelay::rpc
