// Delivery reports (状态报告): Kannel calls notification's admin HTTP at
// kDeliveryReportPath for each part, with the report type it was asked
// for (kannel_gateway.h: the dlr-url and its parsing). Each report moves
// the part on through the MessageBook (message_rules.h ApplyReport):
// SmsDelivered / SmsFailed on notification-events, per part, once.
//
// Every report must carry the MAC of its message id and part under the
// deployment's secret (dlr_mac.h), which only notification (in the
// dlr-url it gives Kannel) and Kannel know: anyone else who reaches the
// admin port cannot mark an SMS delivered or failed.
//
// Answers: 400 a report that does not parse (counted "malformed"); 403 a
// report that parses but has no MAC or a wrong one, or comes to a
// notification without a secret (it changes nothing, is counted on
// caserelay_dlr_rejected_total{reason} and logged without the MAC); 200
// applied, or already known; 400 a report that does not match the
// message's parts; 404 no such message; 503 the store failed (Kannel
// calls again: smsbox retries failed callbacks).
//
// Several instances (issue 19 item 5): Kannel calls back the instance
// that sent the part (its own kannel.dlr_url), which may no longer hold
// the message's partition. The receiver checks the MAC, finds the case
// from the message id (message_case.h) and its partition's owner
// (Context::owners): held here, applied here; held by another instance,
// passed to it (ReportPeers: NotificationClusterService.
// ApplyDeliveryReport, service:notification only) and answered as the
// owner answered (200 only once it applied the report; its NOT_FOUND 404,
// INVALID_ARGUMENT 400, anything else 503, as is no known owner: smsbox
// calls again). Counted on caserelay_sms_delivery_reports_forwarded_total
// {result}.
//
// Thread safety: thread-safe (admin HTTP worker threads).

#ifndef CASERELAY_SERVICES_NOTIFICATION_DELIVERY_REPORTS_H_
#define CASERELAY_SERVICES_NOTIFICATION_DELIVERY_REPORTS_H_

#include <functional>
#include <optional>
#include <string>

#include "common/admin/http_message.h"
#include "common/metrics/metrics.h"
#include "common/service/service_main.h"
#include "services/notification/dlr_mac.h"
#include "services/notification/message_book.h"
#include "services/notification/message_rules.h"

namespace caserelay::notification {

inline constexpr char kDeliveryReportPath[] = "/sms/dlr";

// Passes a report on to the instance at a gRPC address (a seam: the
// gRPC client is report_peers.h).
//
// Thread safety: implementations are thread-safe.
class ReportPeers {
 public:
  virtual ~ReportPeers() = default;
  // The owner's answer: OK once applied (or already known); NOT_FOUND,
  // INVALID_ARGUMENT as the owner's book said; UNAVAILABLE when it could
  // not be reached or does not hold the partition either.
  virtual absl::Status Apply(const std::string& address,
                             const PartReport& report) = 0;
};

class DeliveryReports {
 public:
  // `book` outlives this. `on_requeued` is called when a report put a
  // message back on the queue (its unknown part proved sent, later parts
  // still to send). `keys` check each report's MAC; empty: every report
  // is refused. `peers` (not owned, outlives this) passes reports to
  // other instances; REQUIRES: non-null when context.partitions is set.
  DeliveryReports(const service::Context& context, MessageBook* book,
                  std::string gateway_name, DlrKeys keys,
                  std::function<void()> on_requeued,
                  ReportPeers* peers = nullptr);

  admin::HttpResponse Handle(const admin::HttpRequest& request);

  // Applies `report` (its MAC checked by whoever received it) to the
  // message's record here. The book's errors (NOT_FOUND, INVALID_ARGUMENT
  // for a report that does not match the parts, UNAVAILABLE when this
  // instance does not hold the message's partition, the store's).
  absl::Status Apply(const PartReport& report);

 private:
  // Where a report of `message_id` is applied: here (nullopt), or the
  // gRPC address of the instance holding its partition; UNAVAILABLE when
  // nobody is known to hold it; NOT_FOUND for an id that names no case.
  absl::StatusOr<std::optional<std::string>> OwnerOf(
      const std::string& message_id) const;


  const service::Context context_;
  MessageBook* const book_;
  const std::string gateway_name_;
  const DlrKeys keys_;
  const std::function<void()> on_requeued_;
  ReportPeers* const peers_;  // may be null with one instance
  metrics::Registry* const metrics_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_DELIVERY_REPORTS_H_
