#include "services/notification/report_peers.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/forwarder.h"
#include "services/notification/intake_client.h"

namespace caserelay::notification {

namespace v1 = caserelay::v1;

v1::ReportedOutcome ToWire(ReportOutcome outcome) {
  switch (outcome) {
    case ReportOutcome::kSmscAccepted:
      return v1::REPORTED_OUTCOME_SMSC_ACCEPTED;
    case ReportOutcome::kQueued:
      return v1::REPORTED_OUTCOME_QUEUED;
    case ReportOutcome::kDelivered:
      return v1::REPORTED_OUTCOME_DELIVERED;
    case ReportOutcome::kFailed:
      return v1::REPORTED_OUTCOME_FAILED;
  }
  return v1::REPORTED_OUTCOME_UNSPECIFIED;
}

absl::StatusOr<ReportOutcome> FromWire(v1::ReportedOutcome outcome) {
  switch (outcome) {
    case v1::REPORTED_OUTCOME_SMSC_ACCEPTED:
      return ReportOutcome::kSmscAccepted;
    case v1::REPORTED_OUTCOME_QUEUED:
      return ReportOutcome::kQueued;
    case v1::REPORTED_OUTCOME_DELIVERED:
      return ReportOutcome::kDelivered;
    case v1::REPORTED_OUTCOME_FAILED:
      return ReportOutcome::kFailed;
    default:
      return absl::InvalidArgumentError("outcome: is required");
  }
}

absl::StatusOr<std::unique_ptr<GrpcReportPeers>> GrpcReportPeers::Create(
    const config::Config& cfg) {
  rpc::ClientAuth auth;
  const std::string mode = cfg.GetString("auth.mode");
  if (mode == "mtls") {
    auth.tls_cert_path = cfg.GetString("cluster.tls_cert_path");
    auth.tls_key_path = cfg.GetString("cluster.tls_key_path");
    if (auth.tls_cert_path.empty()) {
      return absl::InvalidArgumentError(
          "config: cluster.tls_cert_path is required with auth.mode mtls "
          "(delivery reports pass between notification instances)");
    }
  } else {
    absl::StatusOr<rpc::ClientAuth> own = IntakeClientAuth(cfg);
    if (!own.ok()) return own.status();
    if (own->token_file.empty()) {
      return absl::InvalidArgumentError(
          "config: intake.token_file (notification's own token) is required "
          "with auth.mode token (delivery reports pass between notification "
          "instances)");
    }
    auth.token_file = own->token_file;
    auth.tls_ca_path = own->tls_ca_path;
  }
  if (!cfg.GetString("cluster.tls_ca_path").empty()) {
    auth.tls_ca_path = cfg.GetString("cluster.tls_ca_path");
  }
  auth.tls_server_name = cfg.GetString("cluster.tls_server_name");
  return std::unique_ptr<GrpcReportPeers>(new GrpcReportPeers(auth));
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> GrpcReportPeers::ChannelTo(
    const std::string& address) {
  absl::MutexLock lock(&mu_);
  auto it = channels_.find(address);
  if (it != channels_.end()) return it->second;
  rpc::ClientAuth auth = auth_;
  auth.target = address;
  auto channel = rpc::OfficeChannel(auth);
  if (!channel.ok()) return channel.status();
  channels_.emplace(address, *channel);
  return *channel;
}

absl::Status GrpcReportPeers::Apply(const std::string& address,
                                    const PartReport& report) {
  auto channel = ChannelTo(address);
  if (!channel.ok()) return absl::UnavailableError(channel.status().message());
  v1::ApplyDeliveryReportRequest req;
  req.set_message_id(report.message_id);
  req.set_part(report.part);
  req.set_parts(report.parts);
  req.set_outcome(ToWire(report.outcome));
  req.set_detail(report.detail);
  v1::ApplyDeliveryReportResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  // Never passed on again by the receiver (it applies or refuses).
  ctx.AddMetadata(rpc::kForwardedMetadata, "1");
  auto stub = v1::NotificationClusterService::NewStub(*channel);
  return rpc::FromGrpc(stub->ApplyDeliveryReport(&ctx, req, &resp));
}

grpc::Status NotificationClusterImpl::ApplyDeliveryReport(
    grpc::ServerContext* ctx, const v1::ApplyDeliveryReportRequest* req,
    v1::ApplyDeliveryReportResponse*) {
  if (ctx == nullptr) {
    return rpc::ToGrpc(absl::UnauthenticatedError("notification: no context"));
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  if (!caller->IsService("notification") || !caller->via.empty()) {
    return rpc::ToGrpc(absl::PermissionDeniedError(absl::StrCat(
        caller->Name(),
        ": only another notification instance passes delivery reports on")));
  }
  if (req->message_id().empty() || req->part() < 1 || req->parts() < 1) {
    return rpc::ToGrpc(absl::InvalidArgumentError(
        "message_id, part and parts: are required"));
  }
  absl::StatusOr<ReportOutcome> outcome = FromWire(req->outcome());
  if (!outcome.ok()) return rpc::ToGrpc(outcome.status());
  PartReport report;
  report.message_id = req->message_id();
  report.part = req->part();
  report.parts = req->parts();
  report.outcome = *outcome;
  report.detail = req->detail();
  return rpc::ToGrpc(reports_->Apply(report));
}

}  // namespace caserelay::notification
