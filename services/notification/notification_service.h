// notification (短信告知): turns case events into SMS for the petitioner,
// exactly once (DESIGN.md: record "sending" before the gateway call and
// the gateway's id after it; a crash in between is reconciled, never
// blindly re-sent). This first form sends the receipt SMS ("received":
// case number and look-up code) when a case is routed.
//
// Column families: "messages" (message id -> SmsRecord), "queue" (message
// id -> empty, for messages not yet finished), "by-case" (case id + "/" +
// message id -> empty). Personal data is not stored: the phone number is
// asked of intake at send time.
//
// Thread safety: Apply runs on the consume loop's thread and only creates
// records; the Sender's thread moves them on; gRPC handlers read.

#ifndef CASERELAY_SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_
#define CASERELAY_SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_

#include <functional>

#include "caserelay/v1/notification.grpc.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/service/service_main.h"

namespace caserelay::notification {

inline constexpr char kMessages[] = "messages";
inline constexpr char kQueue[] = "queue";
inline constexpr char kByCase[] = "by-case";

class NotificationServiceImpl final
    : public caserelay::v1::NotificationService::Service,
      public service::EventHandler {
 public:
  // `on_queued` is called after a commit that queued messages.
  NotificationServiceImpl(const service::Context& context,
                          std::function<void()> on_queued);

  grpc::Status ListMessages(
      grpc::ServerContext* ctx, const caserelay::v1::ListMessagesRequest* req,
      caserelay::v1::ListMessagesResponse* resp) override;

  // CaseRouted queues the receipt SMS (message id: the event's id +
  // "/sms"); a second delivery of the same event queues nothing.
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override;
  void Committed() override;

 private:
  const service::Context context_;
  const std::function<void()> on_queued_;
  bool queued_ = false;  // loop thread only
};

service::ServiceDefinition NotificationDefinition();

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_
