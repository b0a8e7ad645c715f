#include "common/service/consume_loop.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace caserelay::service {

ConsumeLoop::ConsumeLoop(std::string name,
                         std::unique_ptr<kafka::Consumer> consumer,
                         store::Store* store, store::OutboxPublisher* publisher,
                         EventHandler* handler, metrics::Registry* metrics,
                         ConsumeLoopOptions options)
    : name_(std::move(name)),
      consumer_(std::move(consumer)),
      store_(store),
      publisher_(publisher),
      handler_(handler),
      options_(options),
      applied_(metrics->GetCounter("caserelay_events_applied_total",
                                   "Input events applied to state.",
                                   {{"loop", name_}})),
      duplicates_(metrics->GetCounter(
          "caserelay_events_duplicate_total",
          "Input events skipped because they were already applied.",
          {{"loop", name_}})),
      dead_letters_(metrics->GetCounter(
          "caserelay_events_dead_letter_total",
          "Input events that could not be applied, kept in dead-letters.",
          {{"loop", name_}})),
      batch_seconds_(metrics->GetHistogram(
          "caserelay_batch_seconds", "Time to apply and commit one batch.",
          {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5}, {{"loop", name_}})) {}

ConsumeLoop::~ConsumeLoop() { Stop(); }

void ConsumeLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ConsumeLoop::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (consumer_) consumer_->Close();
}

void ConsumeLoop::Run() {
  while (!stop_) {
    absl::Status s = RunOnce();
    if (!s.ok()) {
      log::Error("consumer failed",
                 {{"loop", name_}, {"error", std::string(s.message())}});
      healthy_ = false;
      absl::SleepFor(absl::Seconds(1));
    }
  }
}

absl::Status ConsumeLoop::RunOnce() {
  // Due work left by the last Tick (a bounded batch) must not wait for
  // input: poll without blocking until it is done.
  auto messages = consumer_->Poll(
      options_.max_batch,
      handler_->MoreDue() ? absl::ZeroDuration() : options_.poll_timeout);
  if (!messages.ok()) return messages.status();
  healthy_ = true;
  assigned_ = !consumer_->Assignment().empty();
  absl::Time start = absl::Now();
  store::WriteBatch batch(store_);
  // The offsets this batch has reached, per partition: a message below
  // them was applied before (a redelivery after a rebalance or restart).
  std::map<std::pair<std::string, int32_t>, int64_t> next;
  for (const kafka::Message& m : *messages) {
    auto key = std::make_pair(m.topic, m.partition);
    auto it = next.find(key);
    if (it == next.end()) {
      it = next.emplace(key,
                        store_->StoredOffset(m.topic, m.partition).value_or(-1))
               .first;
    }
    if (m.offset < it->second) {
      duplicates_.Increment();
      continue;
    }
    caserelay::v1::Envelope event;
    absl::Status applied;
    if (!event.ParseFromString(m.value)) {
      applied = absl::InvalidArgumentError("not an Envelope");
    } else {
      applied = handler_->Apply(event, batch);
    }
    if (applied.ok()) {
      applied_.Increment();
    } else {
      dead_letters_.Increment();
      log::Warn("dead letter", {{"loop", name_},
                                {"topic", m.topic},
                                {"partition", std::to_string(m.partition)},
                                {"offset", std::to_string(m.offset)},
                                {"error", std::string(applied.message())}});
      batch.Put("dead-letters",
                absl::StrCat(m.topic, "/", m.partition, "/", m.offset),
                absl::StrCat(applied.ToString(), "\n", m.value));
    }
    it->second = m.offset + 1;
    batch.SetOffset(m.topic, m.partition, m.offset + 1);
  }
  absl::Status tick = handler_->Tick(batch);
  if (!tick.ok()) {
    log::Error("tick failed",
               {{"loop", name_}, {"error", std::string(tick.message())}});
  }
  if (batch.empty()) return absl::OkStatus();
  // A failed commit (disk full, I/O error) is survived by retrying the
  // same batch: nothing was written, the inputs are still in hand.
  for (;;) {
    absl::Status s = publisher_->Commit(batch);
    if (s.ok()) break;
    log::Error("commit failed, retrying",
               {{"loop", name_}, {"error", std::string(s.message())}});
    if (stop_) return s;
    absl::SleepFor(absl::Milliseconds(500));
  }
  handler_->Committed();
  batch_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return absl::OkStatus();
}

}  // namespace caserelay::service
