#include "services/notification/delivery_reports.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/service/partition_owners.h"
#include "common/store/partitioned_store.h"
#include "common/text/utf8.h"
#include "services/notification/kannel_gateway.h"
#include "services/notification/message_case.h"
#include "services/notification/phone_codes.h"

namespace caserelay::notification {

DeliveryReports::DeliveryReports(const service::Context& context,
                                 MessageBook* book, std::string gateway_name,
                                 DlrKeys keys,
                                 std::function<void()> on_requeued,
                                 ReportPeers* peers)
    : context_(context),
      book_(book),
      gateway_name_(std::move(gateway_name)),
      keys_(std::move(keys)),
      on_requeued_(std::move(on_requeued)),
      peers_(peers),
      metrics_(context.metrics) {}

absl::StatusOr<std::optional<std::string>> DeliveryReports::OwnerOf(
    const std::string& message_id) const {
  if (context_.partitions == nullptr || context_.owners == nullptr) {
    return std::nullopt;
  }
  std::optional<std::string> case_id = CaseOfMessageId(message_id);
  if (!case_id.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no message ", message_id, " (its id names no case)"));
  }
  absl::StatusOr<service::Owner> owner =
      context_.owners->Of(context_.partitions->PartitionOfCase(*case_id));
  if (!owner.ok()) return owner.status();
  if (owner->local()) return std::nullopt;
  return owner->address;
}

absl::Status DeliveryReports::Apply(const PartReport& report) {
  const absl::Time now = context_.clock->Now();
  caserelay::v1::SmsState before = caserelay::v1::SMS_STATE_UNSPECIFIED;
  auto record =
      book_->Update(report.message_id,
                    [&](caserelay::v1::SmsRecord& r) -> absl::StatusOr<Change> {
                      before = r.message().state();
                      return ApplyReport(r, report, gateway_name_, now);
                    });
  if (!record.ok()) return record.status();
  auto after = record->message().state();
  if (before == caserelay::v1::SMS_STATE_UNKNOWN && after != before) {
    log::Info("unknown message reconciled by a delivery report",
              {{"message", report.message_id},
               {"state", caserelay::v1::SmsState_Name(after)}});
  }
  if (after == caserelay::v1::SMS_STATE_QUEUED && before != after) {
    on_requeued_();
  }
  return absl::OkStatus();
}

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
  // A report that parses but is not ours changes nothing.
  auto mac = request.query.find(kDlrMacParam);
  const DlrMacCheck signed_by_us = keys_.Check(
      mac == request.query.end() ? std::nullopt
                                 : std::optional<std::string>(mac->second),
      parsed->message_id, parsed->part, parsed->parts);
  if (signed_by_us != DlrMacCheck::kValid) {
    const char* reason = DlrMacCheckName(signed_by_us);
    metrics_
        ->GetCounter("caserelay_dlr_rejected_total",
                     "Delivery reports refused for a missing or wrong MAC.",
                     {{"reason", reason}})
        .Increment();
    log::Warn("delivery report refused: not signed by this deployment",
              {{"reason", reason},
               {"message", text::ValidExcerpt(parsed->message_id, 100)},
               {"part", absl::StrCat(parsed->part)}});
    return {403, "text/plain; charset=utf-8",
            "delivery report refused: missing or wrong MAC\n"};
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
  // A phone code's SMS (phone_codes.h) keeps no delivery state: what
  // matters is whether its code is redeemed. Its reports are taken, counted
  // above, and change nothing.
  if (absl::StartsWith(report.message_id, kPhoneCodeMessagePrefix)) {
    return {200, "text/plain; charset=utf-8", "ok\n"};
  }
  absl::Status applied;
  auto owner = OwnerOf(report.message_id);
  if (!owner.ok()) {
    applied = owner.status();
  } else if (!owner->has_value()) {
    applied = Apply(report);
  } else {
    // Another instance holds the message's partition: it applies the
    // report, and Kannel hears 200 only once it did.
    applied = peers_ == nullptr
                  ? absl::InternalError("no way to reach the owner")
                  : peers_->Apply(**owner, report);
    metrics_
        ->GetCounter("caserelay_sms_delivery_reports_forwarded_total",
                     "Delivery reports passed to the instance holding the "
                     "message's partition, by its answer.",
                     {{"result", applied.ok() ? "ok" : "failed"}})
        .Increment();
  }
  if (!applied.ok()) {
    int status = absl::IsNotFound(applied)          ? 404
                 : absl::IsInvalidArgument(applied) ? 400
                                                    : 503;
    log::Warn("delivery report not applied",
              {{"message", report.message_id},
               {"part", absl::StrCat(report.part)},
               {"error", std::string(applied.message())}});
    return {status, "text/plain; charset=utf-8",
            absl::StrCat(applied.message(), "\n")};
  }
  return {200, "text/plain; charset=utf-8", "ok\n"};
}

}  // namespace caserelay::notification
