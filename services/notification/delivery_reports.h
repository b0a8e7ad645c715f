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
// Thread safety: thread-safe (admin HTTP worker threads).

#ifndef CASERELAY_SERVICES_NOTIFICATION_DELIVERY_REPORTS_H_
#define CASERELAY_SERVICES_NOTIFICATION_DELIVERY_REPORTS_H_

#include <functional>
#include <string>

#include "common/admin/http_message.h"
#include "common/metrics/metrics.h"
#include "common/service/service_main.h"
#include "services/notification/dlr_mac.h"
#include "services/notification/message_book.h"

namespace caserelay::notification {

inline constexpr char kDeliveryReportPath[] = "/sms/dlr";

class DeliveryReports {
 public:
  // `book` outlives this. `on_requeued` is called when a report put a
  // message back on the queue (its unknown part proved sent, later parts
  // still to send). `keys` check each report's MAC; empty: every report
  // is refused.
  DeliveryReports(const service::Context& context, MessageBook* book,
                  std::string gateway_name, DlrKeys keys,
                  std::function<void()> on_requeued);

  admin::HttpResponse Handle(const admin::HttpRequest& request);

 private:
  const service::Context context_;
  MessageBook* const book_;
  const std::string gateway_name_;
  const DlrKeys keys_;
  const std::function<void()> on_requeued_;
  metrics::Registry* const metrics_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_DELIVERY_REPORTS_H_
