// Test double for the OwnersLog seam (partition_owners.h): an in-memory
// owners topic several PartitionOwners share, as the instances of a
// service share "<service>-owners"; appends can be made to fail.
//
// Thread-safe.

#ifndef CASERELAY_TESTS_UNIT_COMMON_SERVICE_FAKE_OWNERS_LOG_H_
#define CASERELAY_TESTS_UNIT_COMMON_SERVICE_FAKE_OWNERS_LOG_H_

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/service/partition_owners.h"

namespace caserelay::service::testing {

// The topic: records in append order.
class FakeOwnersTopic {
 public:
  void Append(std::string key, std::string value) {
    absl::MutexLock lock(&mu_);
    kafka::Message m;
    m.topic = "test-owners";
    m.partition = 0;
    m.offset = static_cast<int64_t>(records_.size());
    m.key = std::move(key);
    m.value = std::move(value);
    records_.push_back(std::move(m));
  }
  std::vector<kafka::Message> From(size_t offset) const {
    absl::MutexLock lock(&mu_);
    if (offset >= records_.size()) return {};
    return {records_.begin() + static_cast<std::ptrdiff_t>(offset),
            records_.end()};
  }
  size_t size() const {
    absl::MutexLock lock(&mu_);
    return records_.size();
  }
  void set_fail_appends(bool fail) {
    absl::MutexLock lock(&mu_);
    fail_ = fail;
  }
  bool fail_appends() const {
    absl::MutexLock lock(&mu_);
    return fail_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<kafka::Message> records_ ABSL_GUARDED_BY(mu_);
  bool fail_ ABSL_GUARDED_BY(mu_) = false;
};

// One instance's view of the topic.
class FakeOwnersLog : public OwnersLog {
 public:
  explicit FakeOwnersLog(std::shared_ptr<FakeOwnersTopic> topic)
      : topic_(std::move(topic)) {}
  absl::Status Append(const std::string& key,
                      const std::string& value) override {
    if (topic_->fail_appends()) {
      return absl::UnavailableError("owners topic: broker down");
    }
    topic_->Append(key, value);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<kafka::Message>> Read(
      absl::Duration timeout) override {
    std::vector<kafka::Message> out = topic_->From(read_);
    read_ += out.size();
    if (out.empty()) absl::SleepFor(std::min(timeout, absl::Milliseconds(5)));
    return out;
  }

 private:
  const std::shared_ptr<FakeOwnersTopic> topic_;
  size_t read_ = 0;  // the reader thread's
};

}  // namespace caserelay::service::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_SERVICE_FAKE_OWNERS_LOG_H_
