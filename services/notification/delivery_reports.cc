#include "services/notification/delivery_reports.h"

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "services/notification/kannel_gateway.h"

namespace caserelay::notification {

DeliveryReports::DeliveryReports(const service::Context& context,
                                 MessageBook* book, std::string gateway_name,
                                 std::function<void()> on_requeued)
    : context_(context),
      book_(book),
      gateway_name_(std::move(gateway_name)),
      on_requeued_(std::move(on_requeued)),
      metrics_(context.metrics) {}

admin::HttpResponse DeliveryReports::Handle(const admin::HttpRequest& request) {
  auto count = [this](const char* outcome) {
    metrics_
        ->GetCounter("caserelay_sms_delivery_reports_total",
                     "Delivery reports received, by what they said.",
                     {{"outcome", outcome}})
        .Increment();
  };
  auto parsed = ParseDeliveryReport(request.query);
  if (!parsed.ok()) {
    count("malformed");
    log::Warn("delivery report refused",
              {{"error", std::string(parsed.status().message())}});
    return {400, "text/plain; charset=utf-8",
            absl::StrCat(parsed.status().message(), "\n")};
  }
  PartReport report;
  report.message_id = parsed->message_id;
  report.part = parsed->part;
  report.parts = parsed->parts;
  report.detail = parsed->smsc_answer;
  // ParseDeliveryReport accepted the type, so it classifies.
  switch (ClassifyDlrType(parsed->type).value_or(DlrOutcome::kQueued)) {
    case DlrOutcome::kDelivered:
      report.outcome = ReportOutcome::kDelivered;
      count("delivered");
      break;
    case DlrOutcome::kFailed:
      report.outcome = ReportOutcome::kFailed;
      count("failed");
      break;
    case DlrOutcome::kSmscAccepted:
      report.outcome = ReportOutcome::kSmscAccepted;
      count("smsc_accepted");
      break;
    case DlrOutcome::kQueued:
      report.outcome = ReportOutcome::kQueued;
      count("queued");
      break;
  }
  const absl::Time now = context_.clock->Now();
  caserelay::v1::SmsState before = caserelay::v1::SMS_STATE_UNSPECIFIED;
  auto record =
      book_->Update(report.message_id,
                    [&](caserelay::v1::SmsRecord& r) -> absl::StatusOr<Change> {
                      before = r.message().state();
                      return ApplyReport(r, report, gateway_name_, now);
                    });
  if (!record.ok()) {
    int status = absl::IsNotFound(record.status())          ? 404
                 : absl::IsInvalidArgument(record.status()) ? 400
                                                            : 503;
    log::Warn("delivery report not applied",
              {{"message", report.message_id},
               {"part", absl::StrCat(report.part)},
               {"error", std::string(record.status().message())}});
    return {status, "text/plain; charset=utf-8",
            absl::StrCat(record.status().message(), "\n")};
  }
  auto after = record->message().state();
  if (before == caserelay::v1::SMS_STATE_UNKNOWN && after != before) {
    log::Info("unknown message reconciled by a delivery report",
              {{"message", report.message_id},
               {"state", caserelay::v1::SmsState_Name(after)}});
  }
  if (after == caserelay::v1::SMS_STATE_QUEUED && before != after) {
    on_requeued_();
  }
  return {200, "text/plain; charset=utf-8", "ok\n"};
}

}  // namespace caserelay::notification
