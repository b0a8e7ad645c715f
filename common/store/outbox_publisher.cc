#include "common/store/outbox_publisher.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/store/outbox_dead_letters.h"

namespace caserelay::store {
namespace {

size_t Bytes(const OutboxRecord& r) { return r.key.size() + r.value.size(); }

// How often the retry thread looks at the backlog without being woken.
constexpr absl::Duration kRetryInterval = absl::Milliseconds(200);

// How many dead-lettered sequences CommitAndWait can tell apart.
constexpr size_t kRecentDeadKept = 1024;

}  // namespace

absl::StatusOr<std::unique_ptr<OutboxPublisher>> OutboxPublisher::Create(
    Store* store, ProducerFactory factory, OutboxOptions options) {
  std::unique_ptr<OutboxPublisher> publisher(
      new OutboxPublisher(store, std::move(factory), std::move(options)));
  OutboxPublisher* self = publisher.get();
  auto producer = self->factory_(
      [self](const kafka::DeliveryReport& r) { self->OnDelivery(r); });
  if (!producer.ok()) return producer.status();

  auto pending = store->PendingOutbox();
  if (!pending.ok()) return pending.status();
  if (!pending->empty()) {
    log::Info("republishing outbox",
              {{"records", std::to_string(pending->size())}});
  }
  {
    absl::MutexLock lock(&self->mu_);
    self->producer_ = *std::move(producer);
    self->reopens_seen_ = store->reopens();
    std::vector<Entry> entries;
    absl::Time now = self->options_.now();
    for (auto& r : *pending) entries.push_back(Entry{std::move(r), now});
    self->EnqueueLocked(std::move(entries));
  }
  self->retry_thread_ = std::thread([self] { self->RetryLoop(); });
  return publisher;
}

OutboxPublisher::OutboxPublisher(Store* store, ProducerFactory factory,
                                 OutboxOptions options)
    : store_(store),
      factory_(std::move(factory)),
      options_(std::move(options)) {}

OutboxPublisher::~OutboxPublisher() {
  std::unique_ptr<kafka::Producer> producer;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (retry_thread_.joinable()) retry_thread_.join();
  {
    absl::MutexLock lock(&mu_);
    producer = std::move(producer_);
  }
  // Give in-flight records a moment; what is left is republished on start.
  // The producer's last reports (CANCELLED) find producer_ empty and
  // stopping_ set, so nothing is produced again.
  if (producer) (void)producer->Flush(absl::Seconds(2));
  producer.reset();
}

absl::Status OutboxPublisher::CheckOutbox(const WriteBatch& batch) const {
  for (const OutboxRecord& r : batch.outbox()) {
    if (Bytes(r) > options_.max_record_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "outbox: an event for topic ", r.topic, " would be ", Bytes(r),
          " bytes, over Kafka's limit of ", options_.max_record_bytes));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint64_t>> OutboxPublisher::CommitLocked(
    WriteBatch& batch) {
  auto records = store_->Commit(batch);
  if (!records.ok()) return records.status();
  PickUpAfterReopenLocked(*records);
  std::vector<uint64_t> seqs;
  seqs.reserve(records->size());
  std::vector<Entry> entries;
  entries.reserve(records->size());
  absl::Time now = options_.now();
  for (auto& r : *records) {
    seqs.push_back(r.seq);
    entries.push_back(Entry{std::move(r), now});
  }
  EnqueueLocked(std::move(entries));
  return seqs;
}

absl::Status OutboxPublisher::Commit(WriteBatch& batch) {
  absl::MutexLock lock(&mu_);
  return CommitLocked(batch).status();
}

void OutboxPublisher::PickUpAfterReopenLocked(
    const std::vector<OutboxRecord>& committed) {
  const uint64_t reopens = store_->reopens();
  if (reopens == reopens_seen_) return;
  auto stored = store_->PendingOutbox();
  if (!stored.ok()) return;  // looked at again on the next pass
  reopens_seen_ = reopens;
  std::set<uint64_t> held;
  for (const Lane& lane : lanes_) {
    for (const auto& [seq, e] : lane.in_flight) held.insert(seq);
    for (const Entry& e : lane.backlog) held.insert(e.record.seq);
  }
  for (const OutboxRecord& r : committed) held.insert(r.seq);
  uint64_t found = 0;
  for (OutboxRecord& r : *stored) {
    if (held.count(r.seq) > 0) continue;
    ++found;
    ReturnLocked(Entry{std::move(r), options_.now()});
  }
  if (found > 0) {
    log::Warn(
        "store reopened after a storage fault: publishing the outbox "
        "records found in it that the publisher did not hold (a "
        "commit reported failed whose write reached the disk, or a "
        "confirmed record whose delete failed); consumers drop copies "
        "by event id",
        {{"records", std::to_string(found)}});
  }
}

void OutboxPublisher::EnqueueLocked(std::vector<Entry> entries) {
  for (auto& e : entries) {
    if (Bytes(e.record) > options_.max_record_bytes) {
      DeadLetterLocked(std::move(e),
                       absl::StrCat("record of ", Bytes(e.record),
                                    " bytes is over the outbox limit of ",
                                    options_.max_record_bytes,
                                    " (kafka.max_message_bytes)"));
      continue;
    }
    // New records have the highest sequences: the back of their lane.
    LaneOf(e.record).backlog.push_back(std::move(e));
  }
  DrainLocked();
}

OutboxPublisher::Lane& OutboxPublisher::LaneOf(const OutboxRecord& record) {
  const bool changelog = !options_.changelog_topic.empty() &&
                         record.topic == options_.changelog_topic;
  return lanes_[changelog ? kChangelog : kOutputs];
}

std::map<uint64_t, OutboxPublisher::Entry>::iterator
OutboxPublisher::FindInFlightLocked(uint64_t seq, Lane** lane) {
  for (Lane& l : lanes_) {
    auto it = l.in_flight.find(seq);
    if (it != l.in_flight.end()) {
      *lane = &l;
      return it;
    }
  }
  *lane = nullptr;
  return {};
}

size_t OutboxPublisher::HeldCountLocked() const {
  size_t n = 0;
  for (const Lane& lane : lanes_)
    n += lane.in_flight.size() + lane.backlog.size();
  return n;
}

void OutboxPublisher::DrainLocked() {
  // Outputs first: producing them is what releases the changelog records
  // (once confirmed); a changelog record never unblocks an output.
  bool stop = false;
  for (Lane* lane : {&lanes_[kOutputs], &lanes_[kChangelog]}) {
    while (!stop && ProduceFrontLocked(*lane, &stop)) {
    }
    if (stop) return;
  }
}

bool OutboxPublisher::ProduceFrontLocked(Lane& lane, bool* stop) {
  if (producer_ == nullptr || stopping_) {
    *stop = true;
    return false;
  }
  if (lane.backlog.empty()) return false;
  Entry& e = lane.backlog.front();
  // The order rule: a record of this lane produced after this one and not
  // yet reported could still be written before it.
  if (!lane.in_flight.empty() &&
      lane.in_flight.rbegin()->first > e.record.seq) {
    return false;
  }
  // The barrier (the file comment): a changelog record waits until no
  // output with a lower sequence is held. Outputs are held in sequence
  // order within their lane, so the lowest is at one of its fronts.
  if (&lane == &lanes_[kChangelog]) {
    const Lane& outputs = lanes_[kOutputs];
    if ((!outputs.in_flight.empty() &&
         outputs.in_flight.begin()->first < e.record.seq) ||
        (!outputs.backlog.empty() &&
         outputs.backlog.front().record.seq < e.record.seq)) {
      return false;
    }
  }
  // A suspect goes alone: after every record in flight is reported, and
  // nothing follows it until its own report.
  for (const Lane& l : lanes_) {
    if (!l.in_flight.empty() &&
        (e.suspect || l.in_flight.begin()->second.suspect)) {
      *stop = true;
      return false;
    }
  }
  const OutboxRecord& r = e.record;
  kafka::ProducerRecord record{r.topic, r.partition, r.key, std::nullopt};
  if (!r.null_value) record.value = r.value;
  absl::Status s = producer_->ProduceRecord(record, r.seq);
  if (s.ok()) {
    const uint64_t seq = r.seq;
    const bool alone = e.suspect;
    lane.in_flight.emplace(seq, std::move(e));
    lane.backlog.pop_front();
    if (alone) *stop = true;
    return !alone;
  }
  if (absl::IsInvalidArgument(s)) {
    Entry bad = std::move(e);
    lane.backlog.pop_front();
    DeadLetterLocked(std::move(bad), std::string(s.message()));
    return true;
  }
  if (absl::IsInternal(s)) ProducerFailedLocked(s);
  // Otherwise queue full, unknown topic for now: the retry thread tries.
  *stop = true;
  return false;
}

void OutboxPublisher::ReturnLocked(Entry entry) {
  std::deque<Entry>& backlog = LaneOf(entry.record).backlog;
  auto pos = backlog.begin();
  while (pos != backlog.end() && pos->record.seq < entry.record.seq) ++pos;
  backlog.insert(pos, std::move(entry));
}

void OutboxPublisher::DeadLetterLocked(Entry entry, const std::string& reason) {
  OutboxDeadLetter letter{std::move(entry.record), reason, options_.now()};
  absl::Status s = MoveToOutboxDeadLetters(*store_, letter);
  if (!s.ok()) {
    // Kept in the outbox: the next start sets it aside again.
    log::Error(
        "outbox dead letter not stored; the record stays in the "
        "outbox until the next start",
        {{"seq", std::to_string(letter.record.seq)},
         {"error", std::string(s.message())}});
  }
  ++dead_lettered_;
  recent_dead_.push_back(letter.record.seq);
  if (recent_dead_.size() > kRecentDeadKept) recent_dead_.pop_front();
  log::Error(
      "outbox record dead-lettered: Kafka will never accept it; later "
      "records go on. List: GET /outbox/dead-letters on the admin port",
      {{"seq", std::to_string(letter.record.seq)},
       {"topic", letter.record.topic},
       {"key", letter.record.key},
       {"bytes", std::to_string(Bytes(letter.record))},
       {"reason", reason}});
}

void OutboxPublisher::ProducerFailedLocked(const absl::Status& status) {
  if (!rebuild_needed_) {
    log::Error("Kafka producer failed fatally; rebuilding it",
               {{"error", std::string(status.message())}});
  }
  rebuild_needed_ = true;
  producer_error_ = std::string(status.message());
}

void OutboxPublisher::OnDelivery(const kafka::DeliveryReport& report) {
  if (report.status.ok()) {
    if (options_.on_confirmed) {
      std::optional<OutboxRecord> record;
      {
        absl::MutexLock lock(&mu_);
        Lane* lane = nullptr;
        auto it = FindInFlightLocked(report.token, &lane);
        if (lane != nullptr) record = it->second.record;
      }
      if (record.has_value()) options_.on_confirmed(*record, report);
    }
    absl::Status s = store_->DeleteOutbox({report.token});
    if (!s.ok()) {
      // The record stays and is republished on start; consumers dedupe.
      log::Warn("outbox delete failed", {{"error", std::string(s.message())}});
    }
    absl::MutexLock lock(&mu_);
    Lane* lane = nullptr;
    auto it = FindInFlightLocked(report.token, &lane);
    if (lane != nullptr) lane->in_flight.erase(it);
    DrainLocked();
    return;
  }
  absl::MutexLock lock(&mu_);
  Lane* lane = nullptr;
  auto it = FindInFlightLocked(report.token, &lane);
  if (lane == nullptr) return;
  Entry e = std::move(it->second);
  lane->in_flight.erase(it);
  if (absl::IsInvalidArgument(report.status) && e.suspect) {
    // Refused again when it went alone: the record's own fault.
    DeadLetterLocked(std::move(e), std::string(report.status.message()));
  } else if (absl::IsInvalidArgument(report.status)) {
    log::Warn(
        "Kafka refused a record, maybe for another one of its batch; "
        "producing it once more alone before setting it aside",
        {{"seq", std::to_string(e.record.seq)},
         {"topic", e.record.topic},
         {"error", std::string(report.status.message())}});
    e.suspect = true;
    ReturnLocked(std::move(e));
  } else {
    if (absl::IsInternal(report.status)) {
      ProducerFailedLocked(report.status);
    } else if (!stopping_ && !rebuild_needed_) {
      log::Error("publish failed, will retry",
                 {{"topic", report.topic},
                  {"error", std::string(report.status.message())}});
    }
    // The retry thread produces it again (not at once: a refusal that
    // comes back at once must not spin).
    ReturnLocked(std::move(e));
    return;
  }
  DrainLocked();
}

void OutboxPublisher::Rebuild() {
  std::unique_ptr<kafka::Producer> old;
  {
    absl::MutexLock lock(&mu_);
    old = std::move(producer_);
  }
  // Its destructor reports what it still holds (CANCELLED); those records
  // return to the backlog. Anything left unreported is returned too: the
  // old producer can report nothing more.
  old.reset();
  auto fresh =
      factory_([this](const kafka::DeliveryReport& r) { OnDelivery(r); });
  absl::MutexLock lock(&mu_);
  for (Lane& lane : lanes_) {
    std::map<uint64_t, Entry> orphans;
    orphans.swap(lane.in_flight);
    for (auto& [seq, e] : orphans) ReturnLocked(std::move(e));
  }
  if (!fresh.ok()) {
    log::Error("cannot rebuild the Kafka producer; retrying",
               {{"error", std::string(fresh.status().message())}});
    return;
  }
  producer_ = *std::move(fresh);
  rebuild_needed_ = false;
  ++rebuilds_;
  log::Info("Kafka producer rebuilt",
            {{"records_to_republish", std::to_string(HeldCountLocked())}});
  DrainLocked();
}

void OutboxPublisher::RetryLoop() {
  absl::Time next_rebuild = absl::InfinitePast();
  for (;;) {
    bool rebuild = false;
    {
      absl::MutexLock lock(&mu_);
      auto wake = [this, &next_rebuild]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || (rebuild_needed_ && absl::Now() >= next_rebuild);
      };
      mu_.AwaitWithTimeout(absl::Condition(&wake), kRetryInterval);
      if (stopping_) return;
      if (rebuild_needed_) {
        rebuild = absl::Now() >= next_rebuild;
      } else {
        PickUpAfterReopenLocked({});
        DrainLocked();
      }
    }
    if (rebuild) {
      Rebuild();
      next_rebuild = absl::Now() + options_.rebuild_backoff;
    }
  }
}

bool OutboxPublisher::HoldsLocked(uint64_t seq) const {
  for (const Lane& lane : lanes_) {
    if (lane.in_flight.count(seq) > 0) return true;
    auto it = std::lower_bound(
        lane.backlog.begin(), lane.backlog.end(), seq,
        [](const Entry& e, uint64_t s) { return e.record.seq < s; });
    if (it != lane.backlog.end() && it->record.seq == seq) return true;
  }
  return false;
}

absl::Status OutboxPublisher::CommitAndWait(WriteBatch& batch,
                                            absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  auto committed = CommitLocked(batch);
  if (!committed.ok()) return committed.status();
  const std::vector<uint64_t> seqs = *std::move(committed);
  auto confirmed = [this, &seqs]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (uint64_t seq : seqs) {
      if (HoldsLocked(seq)) return false;
    }
    return true;
  };
  if (!mu_.AwaitWithDeadline(absl::Condition(&confirmed), deadline)) {
    size_t left = 0;
    for (uint64_t seq : seqs) left += HoldsLocked(seq) ? 1 : 0;
    return absl::DeadlineExceededError(absl::StrCat(
        "outbox: committed, but ", left, " of ", seqs.size(),
        " records not confirmed by Kafka yet (they will be published)"));
  }
  for (uint64_t seq : seqs) {
    if (std::find(recent_dead_.begin(), recent_dead_.end(), seq) !=
        recent_dead_.end()) {
      return absl::InternalError(
          absl::StrCat("outbox: committed, but Kafka refused record ", seq,
                       " for good (an outbox dead letter)"));
    }
  }
  return absl::OkStatus();
}

absl::Status OutboxPublisher::Flush(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return HeldCountLocked() == 0;
  };
  if (mu_.AwaitWithDeadline(absl::Condition(&drained), deadline)) {
    return absl::OkStatus();
  }
  return absl::DeadlineExceededError(
      absl::StrCat("outbox: ", HeldCountLocked(), " records unconfirmed"));
}

uint64_t OutboxPublisher::Pending() const {
  absl::MutexLock lock(&mu_);
  return HeldCountLocked();
}

OutboxStats OutboxPublisher::Stats() const {
  absl::MutexLock lock(&mu_);
  OutboxStats stats;
  stats.pending = HeldCountLocked();
  // Sequences grow with commit time, so the oldest is at one of the fronts.
  absl::Time oldest = absl::InfiniteFuture();
  for (const Lane& lane : lanes_) {
    if (!lane.in_flight.empty()) {
      oldest = std::min(oldest, lane.in_flight.begin()->second.since);
    }
    if (!lane.backlog.empty()) {
      oldest = std::min(oldest, lane.backlog.front().since);
    }
  }
  if (oldest != absl::InfiniteFuture()) {
    stats.oldest_pending_age =
        std::max(absl::ZeroDuration(), options_.now() - oldest);
  }
  stats.dead_lettered = dead_lettered_;
  stats.producer_rebuilds = rebuilds_;
  stats.producer_ready = !rebuild_needed_;
  stats.producer_error = producer_error_;
  return stats;
}

}  // namespace caserelay::store
