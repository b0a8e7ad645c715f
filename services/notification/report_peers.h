// Delivery reports between notification's own instances (issue 19 item
// 5; delivery_reports.h): the gRPC client that passes a report to the
// instance holding its message's partition, and the service that
// receives it there (NotificationClusterService, notification_cluster.
// proto), which only another notification instance may call.
//
// The client proves service:notification: in auth.mode token with
// notification's own token (intake.token_file, the one it shows intake),
// in mtls with the instance's certificate (cluster.tls_cert_path, as
// forwarded calls do); TLS to the peer with cluster.tls_ca_path (else
// intake.tls_ca_path) and cluster.tls_server_name.
//
// Thread safety: thread-safe.

#ifndef CASERELAY_SERVICES_NOTIFICATION_REPORT_PEERS_H_
#define CASERELAY_SERVICES_NOTIFICATION_REPORT_PEERS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/notification_cluster.grpc.pb.h"
#include "common/config/config.h"
#include "common/rpc/credentials.h"
#include "common/service/service_main.h"
#include "services/notification/delivery_reports.h"

namespace caserelay::notification {

// ReportOutcome <-> the wire's ReportedOutcome.
caserelay::v1::ReportedOutcome ToWire(ReportOutcome outcome);
// INVALID_ARGUMENT for UNSPECIFIED or an unknown value.
absl::StatusOr<ReportOutcome> FromWire(caserelay::v1::ReportedOutcome outcome);

class GrpcReportPeers final : public ReportPeers {
 public:
  // The channel credentials of `cfg` (file comment); `target` of the
  // result is replaced by each peer's address. INVALID_ARGUMENT naming
  // the setting when auth.mode mtls has no cluster.tls_cert_path, or
  // token mode no intake.token_file.
  static absl::StatusOr<std::unique_ptr<GrpcReportPeers>> Create(
      const config::Config& cfg);

  // ApplyDeliveryReport at `address`, with a 5 s deadline.
  absl::Status Apply(const std::string& address,
                     const PartReport& report) override;

 private:
  explicit GrpcReportPeers(rpc::ClientAuth auth) : auth_(std::move(auth)) {}
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelTo(
      const std::string& address);

  const rpc::ClientAuth auth_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_
      ABSL_GUARDED_BY(mu_);
};

// The receiving end: applies a report passed on by another instance
// through DeliveryReports::Apply (never passes it on again).
class NotificationClusterImpl final
    : public caserelay::v1::NotificationClusterService::Service {
 public:
  // `reports` (not owned) outlives this.
  NotificationClusterImpl(const service::Context& context,
                          DeliveryReports* reports)
      : context_(context), reports_(reports) {}

  // UNAUTHENTICATED without proof; PERMISSION_DENIED for anyone but
  // service:notification (speaking for nobody); INVALID_ARGUMENT for a
  // request without message_id, part or outcome; then
  // DeliveryReports::Apply's answer.
  grpc::Status ApplyDeliveryReport(
      grpc::ServerContext* ctx,
      const caserelay::v1::ApplyDeliveryReportRequest* req,
      caserelay::v1::ApplyDeliveryReportResponse* resp) override;

 private:
  const service::Context context_;
  DeliveryReports* const reports_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_REPORT_PEERS_H_
