// Test helper: collects DeliveryReports from a Producer's callback thread.

#ifndef CASERELAY_TESTS_UNIT_COMMON_KAFKA_REPORT_SINK_H_
#define CASERELAY_TESTS_UNIT_COMMON_KAFKA_REPORT_SINK_H_

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/kafka/producer.h"

namespace caserelay::kafka::testing {

// Thread-safe. Must outlive every producer whose callback it provides.
class ReportSink {
 public:
  DeliveryCallback Callback() {
    return [this](const DeliveryReport& report) {
      absl::MutexLock lock(&mu_);
      reports_.push_back(report);
    };
  }

  // The reports received so far, in arrival order.
  std::vector<DeliveryReport> reports() const {
    absl::MutexLock lock(&mu_);
    return reports_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<DeliveryReport> reports_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::kafka::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_KAFKA_REPORT_SINK_H_
