// DevFileGateway: a DEVELOPMENT SINK, not an SMS gateway. It appends each
// message as one line to a file (fsync'd) instead of sending it, so local
// runs and tests can see exactly what would have been sent. Production
// uses a real gateway (Kannel); select with notification.gateway.
//
// Line format (tab-separated), one line per part: message_id,
// "index/total", phone, the part's text as UTF-8 (newlines escaped as \n).
//
// Thread safety: thread-safe (one mutex around the file).

#ifndef CASERELAY_SERVICES_NOTIFICATION_DEV_FILE_GATEWAY_H_
#define CASERELAY_SERVICES_NOTIFICATION_DEV_FILE_GATEWAY_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/notification/gateway.h"

namespace caserelay::notification {

class DevFileGateway final : public SmsGateway {
 public:
  explicit DevFileGateway(std::string path) : path_(std::move(path)) {}
  std::string name() const override { return "dev-file"; }
  // Appends and fsyncs; UNAVAILABLE if the file cannot be written. The
  // gateway id is "dev-" + message_id + "/" + index.
  absl::StatusOr<std::string> SendPart(const OutgoingPart& part) override;
  // Scans the file: the sink is the whole truth, so it always can tell.
  absl::StatusOr<std::optional<std::string>> Find(const std::string& message_id,
                                                  int index) override;

 private:
  const std::string path_;
  absl::Mutex mu_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_DEV_FILE_GATEWAY_H_
