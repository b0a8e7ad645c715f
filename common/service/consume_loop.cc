#include "common/service/consume_loop.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log/log.h"

namespace caserelay::service {

bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

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
      metrics_(metrics),
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
          {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5}, {{"loop", name_}})),
      retries_(metrics->GetCounter(
          "caserelay_loop_retries_total",
          "Steps retried in place: a transient Apply error, a failed store "
          "read or commit.",
          {{"loop", name_}})),
      tick_failures_(metrics->GetCounter(
          "caserelay_tick_failures_total",
          "Ticks that failed; their batch was not committed.",
          {{"loop", name_}})),
      log_resets_(metrics->GetCounter(
          "caserelay_log_resets_total",
          "Partitions whose stored offsets counted in another log (a new "
          "cluster or a recreated topic): read again from the start.",
          {{"loop", name_}})),
      skipped_records_(metrics->GetCounter(
          "caserelay_records_skipped_total",
          "Records deleted from Kafka (retention) before this loop read "
          "them: lost to it; an alert.",
          {{"loop", name_}})),
      tick_clock_(metrics->GetGauge(
          "caserelay_loop_tick_clock_seconds",
          "The clock's time when the last committed Tick began: timers due "
          "by then are handled.",
          {{"loop", name_}})),
      ticks_(metrics->GetCounter("caserelay_loop_ticks_total",
                                 "Ticks whose work is committed.",
                                 {{"loop", name_}})),
      gaps_(metrics->GetCounter(
          "caserelay_sequence_gaps_total",
          "Events that came before an earlier event of their case: held, "
          "not applied out of order.",
          {{"loop", name_}})),
      replayed_(metrics->GetCounter(
          "caserelay_dead_letters_replayed_total",
          "Dead letters applied on an operator's replay request.",
          {{"loop", name_}})),
      held_gauge_(metrics->GetGauge(
          "caserelay_events_held",
          "Events held until the earlier events of their case are applied.",
          {{"loop", name_}})),
      applied_through_(
          options.applied_through_probe, options.clock,
          &metrics->GetGauge(
              "caserelay_loop_applied_through_seconds",
              "The clock's time by which every record then in the loop's "
              "partitions is applied and committed.",
              {{"loop", name_}})),
      restoring_gauge_(metrics->GetGauge(
          "caserelay_partitions_restoring",
          "Partitions assigned to this loop and waiting for their state to "
          "be restored (paused: not applied yet).",
          {{"loop", name_}})),
      acquire_failures_(metrics->GetCounter(
          "caserelay_partition_acquire_failures_total",
          "Partition restores that failed and are tried again.",
          {{"loop", name_}})) {
  if (options_.partitions != nullptr) {
    consumer_->SetRebalanceListener(&rebalance_);
  }
}

ConsumeLoop::~ConsumeLoop() { Stop(); }

void ConsumeLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ConsumeLoop::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (consumer_) consumer_->Close();
}

std::string ConsumeLoop::Health() const {
  std::vector<std::string> problems;
  if (!healthy_) problems.push_back(absl::StrCat(name_, ": consumer failing"));
  absl::MutexLock lock(&mu_);
  if (!stuck_.empty()) problems.push_back(absl::StrCat(name_, ": ", stuck_));
  if (tick_failures_in_row_ >= options_.stuck_after) {
    problems.push_back(absl::StrCat(name_, ": stuck: tick failed ",
                                    tick_failures_in_row_.load(),
                                    " times in a row: ", last_tick_error_));
  }
  if (!held_late_.empty()) {
    std::vector<std::string> some(
        held_late_.begin(),
        held_late_.begin() + std::min<size_t>(held_late_.size(), 5));
    problems.push_back(absl::StrCat(
        name_, ": ", held_late_.size(),
        " case(s) wait for missing earlier events (sequence gap), e.g. ",
        absl::StrJoin(some, ", ")));
  }
  for (const std::string& a : alerts_) {
    problems.push_back(absl::StrCat(name_, ": ", a));
  }
  return absl::StrJoin(problems, "\n");
}

void ConsumeLoop::Run() {
  while (!stop_) {
    absl::Status s = RunOnce();
    if (!s.ok()) {
      log::Error("consume loop step failed",
                 {{"loop", name_}, {"error", std::string(s.message())}});
      absl::SleepFor(absl::Seconds(1));
    }
  }
}

void ConsumeLoop::Backoff(int attempt, const std::string& what,
                          const absl::Status& s) {
  retries_.Increment();
  if (attempt >= options_.stuck_after) {
    absl::MutexLock lock(&mu_);
    stuck_ = absl::StrCat("stuck: ", what, " failed ", attempt,
                          " times: ", s.message());
  }
  if (attempt == 1 || attempt == options_.stuck_after) {
    log::Error("retrying in place",
               {{"loop", name_},
                {"what", what},
                {"attempt", std::to_string(attempt)},
                {"error", std::string(s.message())}});
  }
  absl::Duration wait = options_.retry_initial;
  for (int i = 1; i < attempt && wait < options_.retry_max; ++i) wait *= 2;
  absl::SleepFor(std::min(wait, options_.retry_max));
}

void ConsumeLoop::ApplyResets(
    std::map<std::pair<std::string, int32_t>, int64_t>& next,
    const std::function<store::WriteBatch*(int32_t partition)>& batch_of) {
  for (const kafka::PositionReset& r : consumer_->TakeResets()) {
    const std::string where = absl::StrCat(r.topic, "/", r.partition);
    if (r.kind == kafka::PositionReset::Kind::kNewLog) {
      log_resets_.Increment();
      log::Error(
          "NEW LOG: the stored offset counts in another log (a new Kafka "
          "cluster, the embedded broker started again, or the topic "
          "recreated); reading this partition again from its start. What "
          "this service had not yet got confirmed is republished from its "
          "outbox.",
          {{"loop", name_},
           {"partition", where},
           {"stored_offset", std::to_string(r.stored_offset)},
           {"stored_log", r.stored_log_id},
           {"log", r.log_id}});
    } else {
      const int64_t lost = r.resumed_at - r.stored_offset;
      skipped_records_.Increment(static_cast<uint64_t>(std::max<int64_t>(lost, 0)));
      const std::string alert = absl::StrCat(
          "records ", r.stored_offset, "..", r.resumed_at - 1, " of ", where,
          " were deleted by Kafka before they were read (retention or "
          "truncation): ",
          lost, " input(s) lost to this service");
      log::Error("RECORDS SKIPPED UNREAD", {{"loop", name_}, {"alert", alert}});
      absl::MutexLock lock(&mu_);
      alerts_.push_back(alert);
    }
    next[{r.topic, r.partition}] = r.resumed_at;
    store::WriteBatch* batch = batch_of(r.partition);
    if (batch != nullptr) {
      batch->SetOffset(r.topic, r.partition, r.resumed_at, r.log_id);
    }
  }
}

absl::Status ConsumeLoop::ApplyWithRetry(const caserelay::v1::Envelope& event,
                                         const std::string& what,
                                         store::WriteBatch& batch) {
  for (int attempt = 1;; ++attempt) {
    absl::Status applied = handler_->Apply(event, batch);
    if (!IsTransient(applied) || stop_) return applied;
    Backoff(attempt, what, applied);
  }
}

void ConsumeLoop::DeadLetter(const std::string& key, const absl::Status& why,
                             const std::string& record,
                             store::WriteBatch& batch) {
  dead_letters_.Increment();
  log::Warn("dead letter", {{"loop", name_},
                            {"input", key},
                            {"error", std::string(why.message())}});
  batch.Put("dead-letters", key, absl::StrCat(why.ToString(), "\n", record));
}

absl::Status ConsumeLoop::ApplyOne(const kafka::Message& m, HeldEvents& held,
                                   store::WriteBatch& batch) {
  const std::string key = absl::StrCat(m.topic, "/", m.partition, "/", m.offset);
  caserelay::v1::Envelope event;
  if (!event.ParseFromString(m.value)) {
    DeadLetter(key, absl::InvalidArgumentError("not an Envelope"), m.value,
               batch);
    return absl::OkStatus();
  }
  absl::Status applied = ApplyWithRetry(event, "input " + key, batch);
  if (applied.ok()) {
    applied_.Increment();
    return ReleaseHeld(event.case_id(), held, batch);
  }
  if (IsTransient(applied)) return applied;  // stopped while retrying
  if (IsSequenceGap(applied)) {
    gaps_.Increment();
    log::Warn("sequence gap: event held until the events before it are "
              "applied",
              {{"loop", name_},
               {"input", key},
               {"error", std::string(applied.message())}});
    held.Hold(batch, event.case_id(), event.sequence(), m.value, absl::Now());
    return absl::OkStatus();
  }
  DeadLetter(key, applied, m.value, batch);
  return absl::OkStatus();
}

absl::Status ConsumeLoop::ReleaseHeld(const std::string& case_id,
                                      HeldEvents& held,
                                      store::WriteBatch& batch) {
  for (auto& [sequence, record] : held.Of(case_id)) {
    caserelay::v1::Envelope event;
    absl::Status applied =
        event.ParseFromString(record)
            ? ApplyWithRetry(event,
                             absl::StrCat("held event ", sequence, " of case ",
                                          case_id.substr(0, 64)),
                             batch)
            : absl::InvalidArgumentError("not an Envelope");
    if (IsSequenceGap(applied)) break;  // still waiting for an earlier one
    if (IsTransient(applied)) return applied;  // stopped while retrying
    held.Release(batch, case_id, sequence);
    if (applied.ok()) {
      applied_.Increment();
      log::Info("held event applied", {{"loop", name_},
                                       {"case", case_id.substr(0, 64)},
                                       {"sequence", std::to_string(sequence)}});
    } else {
      DeadLetter(absl::StrCat("held/", case_id, "/", sequence), applied,
                 record, batch);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> ConsumeLoop::RequestReplay(const std::string& key) {
  std::vector<std::string> keys;
  for (const std::string& topic : options_.topics) {
    const std::string prefix = topic + "/";
    if (!key.empty() && key.rfind(prefix, 0) != 0) continue;
    auto visit = [&](std::string_view k, std::string_view) {
      if (key.empty() || k == key) keys.emplace_back(k);
      return key.empty();
    };
    // Partitioned: the dead letters of the partitions held here.
    absl::Status s =
        options_.partitions != nullptr
            ? options_.partitions->ScanPrefix(
                  "dead-letters", key.empty() ? prefix : key, visit)
            : store_->ScanPrefix("dead-letters", key.empty() ? prefix : key,
                                 visit);
    if (!s.ok()) return s;
  }
  if (!key.empty() && keys.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no dead letter ", key, " of loop ", name_));
  }
  absl::MutexLock lock(&mu_);
  replay_.insert(replay_.end(), keys.begin(), keys.end());
  return keys.size();
}

std::vector<std::string> ConsumeLoop::TakeReplayKeys() {
  std::vector<std::string> keys;
  absl::MutexLock lock(&mu_);
  keys.swap(replay_);
  return keys;
}

absl::Status ConsumeLoop::ReplayRequested(store::WriteBatch& batch) {
  return ReplayKeys(TakeReplayKeys(), *held_, batch);
}

absl::Status ConsumeLoop::ReplayKeys(const std::vector<std::string>& keys,
                                     HeldEvents& held,
                                     store::WriteBatch& batch) {
  for (const std::string& key : keys) {
    auto letter = batch.Get("dead-letters", key);
    if (!letter.ok()) return letter.status();
    if (!letter->has_value()) continue;  // replayed already
    // Value: the reason, a line feed, the record as consumed.
    const size_t lf = (*letter)->find('\n');
    const std::string record =
        lf == std::string::npos ? std::string() : (*letter)->substr(lf + 1);
    caserelay::v1::Envelope event;
    absl::Status applied =
        event.ParseFromString(record)
            ? ApplyWithRetry(event, "dead letter " + key, batch)
            : absl::InvalidArgumentError("not an Envelope");
    if (IsTransient(applied)) return applied;  // stopped while retrying
    if (applied.ok() || IsSequenceGap(applied)) {
      batch.Delete("dead-letters", key);
      log::Info("dead letter replayed", {{"loop", name_},
                                         {"input", key},
                                         {"result", applied.ok() ? "applied" : "held"}});
      if (applied.ok()) {
        replayed_.Increment();
        applied_.Increment();
        if (absl::Status s = ReleaseHeld(event.case_id(), held, batch);
            !s.ok()) {
          return s;
        }
      } else {
        held.Hold(batch, event.case_id(), event.sequence(), record,
                  absl::Now());
      }
      continue;
    }
    log::Warn("dead letter refused again",
              {{"loop", name_},
               {"input", key},
               {"error", std::string(applied.message())}});
    batch.Put("dead-letters", key, absl::StrCat(applied.ToString(), "\n", record));
  }
  return absl::OkStatus();
}

absl::Status ConsumeLoop::CommitWithRetry(store::WriteBatch& batch) {
  return CommitWithRetry(*publisher_, batch);
}

absl::Status ConsumeLoop::CommitWithRetry(store::OutboxPublisher& publisher,
                                          store::WriteBatch& batch) {
  // A failed commit (disk full, I/O error) is survived by retrying the
  // same batch: nothing was written, the inputs are still in hand.
  for (int attempt = 1;; ++attempt) {
    absl::Status s = publisher.Commit(batch);
    if (s.ok()) break;
    if (stop_) return s;
    Backoff(attempt, "commit", s);
  }
  handler_->Committed();
  return absl::OkStatus();
}

absl::Time ConsumeLoop::TickClock() const {
  return options_.clock != nullptr ? options_.clock->Now() : absl::Now();
}

absl::Status ConsumeLoop::TickFailed(const absl::Status& failed) {
  tick_failures_.Increment();
  ++tick_failures_in_row_;
  log::Error("tick failed; its batch is not committed",
             {{"loop", name_}, {"error", std::string(failed.message())}});
  absl::MutexLock lock(&mu_);
  last_tick_error_ = std::string(failed.message());
  return failed;
}

void ConsumeLoop::TickCommitted(absl::Time began) {
  tick_failures_in_row_ = 0;
  tick_clock_.Set(absl::ToDoubleSeconds(began - absl::UnixEpoch()));
  ticks_.Increment();
}

absl::StatusOr<bool> ConsumeLoop::AlreadyApplied(
    const kafka::Message& m, const store::Store& store,
    std::map<std::pair<std::string, int32_t>, int64_t>& next) {
  auto key = std::make_pair(m.topic, m.partition);
  auto it = next.find(key);
  for (int attempt = 1; it == next.end(); ++attempt) {
    auto stored = store.Position(m.topic, m.partition);
    if (stored.ok()) {
      it = next.emplace(key, stored->has_value() ? (*stored)->next_offset
                                                  : int64_t{-1})
               .first;
      break;
    }
    if (stop_) return stored.status();
    Backoff(attempt, "reading the stored offset", stored.status());
  }
  if (m.offset < it->second) {
    duplicates_.Increment();
    return true;
  }
  return false;
}

void ConsumeLoop::ShowNextOffsets(
    const std::map<std::pair<std::string, int32_t>, int64_t>& next) {
  for (const auto& [input, next_offset] : next) {
    if (next_offset < 0) continue;  // Nothing applied there yet.
    metrics_
        ->GetGauge("caserelay_loop_input_next_offset",
                   "The next input offset to apply: all below it are "
                   "applied and committed.",
                   {{"loop", name_},
                    {"input", absl::StrCat(input.first, "/", input.second)}})
        .Set(static_cast<double>(next_offset));
  }
}

absl::Status ConsumeLoop::RunOnce() {
  if (options_.partitions != nullptr) return RunOncePartitioned();
  for (int attempt = 1; held_ == nullptr; ++attempt) {
    auto held = HeldEvents::Load(*store_, name_);
    if (held.ok()) {
      held_ = *std::move(held);
      break;
    }
    if (stop_) return held.status();
    Backoff(attempt, "loading the held events", held.status());
  }
  // Due work left by the last Tick (a bounded batch) must not wait for
  // input: poll without blocking until it is done.
  auto messages = consumer_->Poll(
      options_.max_batch,
      handler_->MoreDue() ? absl::ZeroDuration() : options_.poll_timeout);
  if (!messages.ok()) {
    healthy_ = false;
    return messages.status();
  }
  healthy_ = true;
  assigned_ = !consumer_->Assignment().empty();
  absl::Time start = absl::Now();
  store::WriteBatch batch(store_);
  // The offsets this batch has reached, per partition: a message below
  // them was applied before (a redelivery after a rebalance or restart).
  std::map<std::pair<std::string, int32_t>, int64_t> next;
  ApplyResets(next, [&batch](int32_t) { return &batch; });
  if (absl::Status s = ReplayRequested(batch); !s.ok()) return s;
  const std::string log_id = consumer_->LogId();
  for (const kafka::Message& m : *messages) {
    auto applied = AlreadyApplied(m, *store_, next);
    if (!applied.ok()) return applied.status();
    if (*applied) continue;
    if (absl::Status s = ApplyOne(m, *held_, batch); !s.ok()) return s;
    next[{m.topic, m.partition}] = m.offset + 1;
    batch.SetOffset(m.topic, m.partition, m.offset + 1, log_id);
  }
  if (!batch.empty()) {
    if (absl::Status s = CommitWithRetry(batch); !s.ok()) return s;
    batch_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  }
  // Committed now, or before (a batch of duplicates only: the stored ones).
  ShowNextOffsets(next);
  held_gauge_.Set(static_cast<double>(held_->size()));
  {
    absl::MutexLock lock(&mu_);
    stuck_.clear();
    held_late_ = held_->CasesHeldSince(absl::Now() - options_.gap_alert_after);
  }
  // Time-driven work, in a batch of its own: a failed Tick writes nothing
  // (its timers stay due and are tried again next round).
  store::WriteBatch ticked(store_);
  const absl::Time tick_began = TickClock();
  absl::Status tick = handler_->Tick(ticked);
  if (!tick.ok()) return TickFailed(tick);
  tick_failures_in_row_ = 0;
  if (!ticked.empty()) {
    if (absl::Status s = CommitWithRetry(ticked); !s.ok()) return s;
  }
  TickCommitted(tick_began);
  applied_through_.Round(
      *consumer_,
      [this](const std::string& topic,
             int32_t partition) -> absl::StatusOr<std::optional<int64_t>> {
        auto stored = store_->Position(topic, partition);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return std::nullopt;
        return (*stored)->next_offset;
      },
      held_->size() == 0);
  return absl::OkStatus();
}

}  // namespace caserelay::service
