#include "tests/unit/services/test_context.h"

#include <stdlib.h>

#include <cstdlib>

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "gtest/gtest.h"

namespace caserelay::svctest {

// ---- FakeProducer ---------------------------------------------------------

FakeProducer::FakeProducer(kafka::DeliveryCallback on_delivery)
    : on_delivery_(std::move(on_delivery)), thread_([this] { Run(); }) {}

FakeProducer::~FakeProducer() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

absl::Status FakeProducer::Produce(std::string_view topic, std::string_view key,
                                   std::string_view value, uint64_t token) {
  return ProduceRecord(kafka::ProducerRecord{topic, -1, key, value}, token);
}

absl::Status FakeProducer::ProduceRecord(const kafka::ProducerRecord& record,
                                         uint64_t token) {
  absl::MutexLock lock(&mu_);
  kafka::DeliveryReport report;
  report.token = token;
  report.topic = std::string(record.topic);
  report.partition = record.partition >= 0 ? record.partition : 0;
  report.offset = static_cast<int64_t>(produced_.size());
  report.status = absl::OkStatus();
  pending_.push_back(std::move(report));
  store::OutboxRecord produced{token, std::string(record.topic),
                               std::string(record.key),
                               std::string(record.value.value_or(""))};
  produced.partition = record.partition;
  produced.null_value = !record.value.has_value();
  produced_.push_back(std::move(produced));
  return absl::OkStatus();
}

absl::Status FakeProducer::Flush(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return pending_.empty() && !delivering_;
  };
  if (mu_.AwaitWithTimeout(absl::Condition(&drained), timeout)) {
    return absl::OkStatus();
  }
  return absl::DeadlineExceededError(
      absl::StrCat("fake producer: ", pending_.size(), " unreported"));
}

std::vector<store::OutboxRecord> FakeProducer::Produced() const {
  absl::MutexLock lock(&mu_);
  return produced_;
}

void FakeProducer::Run() {
  for (;;) {
    kafka::DeliveryReport report;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !pending_.empty() || stop_;
      };
      mu_.Await(absl::Condition(&ready));
      if (pending_.empty()) return;  // stop_ and nothing left
      report = std::move(pending_.front());
      pending_.pop_front();
      delivering_ = true;
    }
    on_delivery_(report);
    absl::MutexLock lock(&mu_);
    delivering_ = false;
  }
}

// ---- TestContext ----------------------------------------------------------

absl::Time ChinaTime(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         time::ChinaTimeZone());
}

TestContext::TestContext(std::string dir, absl::Time start)
    : dir_(std::move(dir)), clock_(start) {}

TestContext::~TestContext() {
  publisher_.reset();  // flushes through the producer, then destroys it
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

absl::StatusOr<std::unique_ptr<TestContext>> TestContext::Create(
    const std::vector<std::string>& column_families, absl::Time start) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "caserelay-svctest-XXXXXX")
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  }
  std::unique_ptr<TestContext> t(new TestContext(pattern, start));
  store::StoreOptions options;
  options.path = t->dir_ + "/store";
  options.column_families = column_families;
  options.sync = false;  // a test process is never power-cut
  auto store = store::Store::Open(options);
  if (!store.ok()) return store.status();
  t->store_ = *std::move(store);
  TestContext* self = t.get();
  auto publisher = store::OutboxPublisher::Create(
      t->store_.get(),
      [self](kafka::DeliveryCallback on_delivery)
          -> absl::StatusOr<std::unique_ptr<kafka::Producer>> {
        auto producer = std::make_unique<FakeProducer>(std::move(on_delivery));
        self->producer_ = producer.get();
        return producer;
      });
  if (!publisher.ok()) return publisher.status();
  t->publisher_ = *std::move(publisher);
  return t;
}

service::Context TestContext::context() {
  return service::Context{/*config=*/nullptr, store_.get(), publisher_.get(),
                          &clock_, &metrics_, auth_};
}

std::vector<caserelay::v1::Envelope> TestContext::Published(
    std::string_view topic) const {
  std::vector<caserelay::v1::Envelope> out;
  for (const store::OutboxRecord& r : producer_->Produced()) {
    if (r.topic != topic) continue;
    caserelay::v1::Envelope e;
    EXPECT_TRUE(e.ParseFromString(r.value))
        << "record " << r.seq << " on " << r.topic << " is not an Envelope";
    out.push_back(std::move(e));
  }
  return out;
}

const region::RegionTree& ShippedRegions() {
  static const region::RegionTree* tree = [] {
    auto loaded = region::RegionTree::Load(CASERELAY_SOURCE_DIR
                                           "/data/regions/regions.tsv");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *tree;
}

const offices::OfficeDirectory& ShippedOfficeDirectory() {
  static const offices::OfficeDirectory* directory = [] {
    auto loaded = offices::OfficeDirectory::Load(
        CASERELAY_SOURCE_DIR "/data/offices", &ShippedRegions());
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *directory;
}

}  // namespace caserelay::svctest
