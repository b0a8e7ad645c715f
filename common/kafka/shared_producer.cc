#include "common/kafka/shared_producer.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace caserelay::kafka {
namespace {

// How long a view being destroyed waits for its records' reports before it
// reports the rest CANCELLED (the publisher produces them again).
constexpr absl::Duration kViewCloseTimeout = absl::Seconds(2);

}  // namespace

// One real producer and the views attached to it.
class SharedProducer::Generation {
 public:
  // Per view: its callback, and what is outstanding (guarded by mu_).
  struct ViewState {
    DeliveryCallback on_delivery;
    int64_t pending = 0;      // produced, callback not returned
    int64_t in_callback = 0;  // reports being delivered right now
  };

  static absl::StatusOr<std::shared_ptr<Generation>> Create(
      const Factory& factory) {
    std::shared_ptr<Generation> self(new Generation());
    Generation* raw = self.get();
    auto producer =
        factory([raw](const DeliveryReport& r) { raw->OnReport(r); });
    if (!producer.ok()) return producer.status();
    self->producer_ = *std::move(producer);
    return self;
  }

  ~Generation() {
    // No view is left: whatever the producer still reports is dropped.
    producer_.reset();
  }

  bool fatal() {
    absl::MutexLock lock(&mu_);
    return fatal_;
  }

  ViewState* AddView(DeliveryCallback on_delivery) {
    absl::MutexLock lock(&mu_);
    views_.push_back(std::make_unique<ViewState>());
    views_.back()->on_delivery = std::move(on_delivery);
    return views_.back().get();
  }

  absl::Status Produce(ViewState* view, const ProducerRecord& record,
                       uint64_t token) {
    uint64_t global = 0;
    {
      absl::MutexLock lock(&mu_);
      if (fatal_) {
        return absl::InternalError(absl::StrCat(
            "Produce to topic ", std::string(record.topic),
            ": the shared producer failed fatally: ", fatal_error_));
      }
      global = next_token_++;
      tokens_[global] = {view, token};
      ++view->pending;
    }
    absl::Status s = producer_->ProduceRecord(record, global);
    if (s.ok()) return s;
    absl::MutexLock lock(&mu_);
    tokens_.erase(global);
    --view->pending;
    if (absl::IsInternal(s)) SetFatalLocked(s);
    return s;
  }

  absl::Status Flush(ViewState* view, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto drained = [view]() { return view->pending == 0; };
    if (mu_.AwaitWithTimeout(absl::Condition(&drained), timeout)) {
      return absl::OkStatus();
    }
    return absl::DeadlineExceededError(absl::StrCat(
        "Flush: ", view->pending, " record(s) still unreported after ",
        absl::FormatDuration(timeout)));
  }

  // Waits a moment for the view's reports, reports the rest CANCELLED,
  // then forgets the view.
  void RemoveView(ViewState* view) {
    (void)Flush(view, kViewCloseTimeout);
    std::vector<DeliveryReport> cancelled;
    {
      absl::MutexLock lock(&mu_);
      for (auto it = tokens_.begin(); it != tokens_.end();) {
        if (it->second.first != view) {
          ++it;
          continue;
        }
        DeliveryReport r;
        r.token = it->second.second;
        r.status = absl::CancelledError(
            "the producer view was closed before Kafka reported the record");
        cancelled.push_back(std::move(r));
        it = tokens_.erase(it);
      }
      auto idle = [view]() { return view->in_callback == 0; };
      mu_.Await(absl::Condition(&idle));
    }
    for (const DeliveryReport& r : cancelled) view->on_delivery(r);
    absl::MutexLock lock(&mu_);
    for (auto it = views_.begin(); it != views_.end(); ++it) {
      if (it->get() == view) {
        views_.erase(it);
        break;
      }
    }
  }

 private:
  Generation() = default;

  void SetFatalLocked(const absl::Status& s)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!fatal_) fatal_error_ = std::string(s.message());
    fatal_ = true;
  }

  // On the real producer's polling thread.
  void OnReport(const DeliveryReport& report) {
    ViewState* view = nullptr;
    DeliveryReport mine = report;
    {
      absl::MutexLock lock(&mu_);
      if (absl::IsInternal(report.status)) SetFatalLocked(report.status);
      auto it = tokens_.find(report.token);
      if (it == tokens_.end()) return;  // its view was closed
      view = it->second.first;
      mine.token = it->second.second;
      tokens_.erase(it);
      ++view->in_callback;
    }
    view->on_delivery(mine);
    absl::MutexLock lock(&mu_);
    --view->in_callback;
    --view->pending;
  }

  std::unique_ptr<Producer> producer_;  // set once in Create()

  absl::Mutex mu_;
  bool fatal_ ABSL_GUARDED_BY(mu_) = false;
  std::string fatal_error_ ABSL_GUARDED_BY(mu_);
  uint64_t next_token_ ABSL_GUARDED_BY(mu_) = 1;
  // Shared token -> (view, the view's token).
  std::map<uint64_t, std::pair<ViewState*, uint64_t>> tokens_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<ViewState>> views_ ABSL_GUARDED_BY(mu_);
};

class SharedProducer::View final : public Producer {
 public:
  View(std::shared_ptr<Generation> generation, DeliveryCallback on_delivery)
      : generation_(std::move(generation)),
        state_(generation_->AddView(std::move(on_delivery))) {}
  ~View() override { generation_->RemoveView(state_); }

  absl::Status Produce(std::string_view topic, std::string_view key,
                       std::string_view value, uint64_t token) override {
    return ProduceRecord(ProducerRecord{topic, -1, key, value}, token);
  }
  absl::Status ProduceRecord(const ProducerRecord& record,
                             uint64_t token) override {
    return generation_->Produce(state_, record, token);
  }
  absl::Status Flush(absl::Duration timeout) override {
    return generation_->Flush(state_, timeout);
  }

 private:
  const std::shared_ptr<Generation> generation_;
  Generation::ViewState* const state_;  // owned by generation_
};

SharedProducer::SharedProducer(Factory factory)
    : factory_(std::move(factory)) {}

SharedProducer::~SharedProducer() {
  absl::MutexLock lock(&mu_);
  current_.reset();
}

absl::StatusOr<std::unique_ptr<Producer>> SharedProducer::Attach(
    DeliveryCallback on_delivery) {
  std::shared_ptr<Generation> generation;
  {
    absl::MutexLock lock(&mu_);
    if (current_ == nullptr || current_->fatal()) {
      auto fresh = Generation::Create(factory_);
      if (!fresh.ok()) return fresh.status();
      current_ = *std::move(fresh);
    }
    generation = current_;
  }
  return std::unique_ptr<Producer>(
      new View(std::move(generation), std::move(on_delivery)));
}

}  // namespace caserelay::kafka
