// The sender's scheduler and its window of workers (sender.h); one
// message's steps are in sender_message.cc.
#include "services/notification/sender.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace caserelay::notification {

using caserelay::v1::SmsRecord;

namespace {

absl::Duration NextDelay(absl::Duration previous, const SenderOptions& o) {
  return previous <= absl::ZeroDuration()
             ? o.first_backoff
             : std::min(o.max_backoff, 2 * previous);
}

}  // namespace

int EffectiveWindow(const SenderOptions& options) {
  int window = std::max(1, options.window);
  if (options.rate_limit > 0) {
    window = std::min(
        window, std::max(1, static_cast<int>(std::ceil(options.rate_limit))));
  }
  return window;
}

Sender::Sender(
    const service::Context& context, MessageBook* book, SmsGateway* gateway,
    const sms::TemplateSet* templates,
    std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
    SenderOptions options)
    : context_(context),
      book_(book),
      gateway_(gateway),
      templates_(templates),
      options_(std::move(options)),
      window_(EffectiveWindow(options_)),
      resolver_(std::move(intake),
                ContactResolverOptions{options_.intake_deadline,
                                       options_.intake_concurrency}),
      sent_(context.metrics->GetCounter(
          "caserelay_sms_sent_total", "SMS whose every part the gateway took.",
          {{"gateway", gateway->name()}})),
      parts_(context.metrics->GetCounter("caserelay_sms_parts_sent_total",
                                         "SMS parts the gateway took.",
                                         {{"gateway", gateway->name()}})),
      failed_(context.metrics->GetCounter(
          "caserelay_sms_failed_total",
          "SMS given up on by the sender (refused, or out of tries).",
          {{"gateway", gateway->name()}})),
      retried_(context.metrics->GetCounter(
          "caserelay_sms_retries_total",
          "Temporary failures (gateway or intake) that will be retried.",
          {{"gateway", gateway->name()}})),
      unknown_(context.metrics->GetCounter(
          "caserelay_sms_unknown_total",
          "SMS parts whose fate is unknown, left for a delivery report or an "
          "operator.",
          {{"gateway", gateway->name()}})),
      held_(context.metrics->GetGauge(
          "caserelay_sms_quiet_hours_held",
          "Messages held back by quiet hours at the last look at the queue.",
          {})),
      gateway_down_(context.metrics->GetGauge(
          "caserelay_sms_gateway_unreachable",
          "1 while the gateway cannot be reached (the sender pauses).",
          {{"gateway", gateway->name()}})),
      intake_down_(context.metrics->GetGauge(
          "caserelay_sms_intake_unreachable",
          "1 while intake does not answer ResolveContact in time (the "
          "sender pauses).",
          {})),
      scans_(context.metrics->GetCounter("caserelay_sms_queue_scans_total",
                                         "Passes of the sender over its queue.",
                                         {})),
      in_flight_parts_(context.metrics->GetGauge(
          "caserelay_sms_parts_in_flight",
          "SMS parts recorded SENDING whose gateway answer is not recorded "
          "yet (at most the window, sms.window).",
          {{"gateway", gateway->name()}})),
      bucket_(options_.rate_limit, std::max(1.0, options_.rate_limit)) {
  context.metrics
      ->GetGauge("caserelay_sms_window",
                 "Messages the sender keeps in flight at most (sms.window, "
                 "bounded by sms.rate_limit).",
                 {{"gateway", gateway->name()}})
      .Set(window_);
}

Sender::~Sender() { Stop(); }

absl::Status Sender::Start() {
  auto queue = book_->Queue();
  if (!queue.ok()) return queue.status();
  for (const MessageBook::Queued& q : *queue) {
    auto db = book_->OpenCase(MessageBook::CaseOfQueueKey(q.key));
    if (!db.ok()) continue;  // released meanwhile: its new owner's
    auto record = book_->Load(*db, q.message_id);
    if (record.ok() &&
        record->message().state() == caserelay::v1::SMS_STATE_SENDING) {
      Reconcile(*db, q.message_id, *record);
    }
  }
  for (int i = 0; i < window_; ++i) {
    workers_.emplace_back([this] { Work(); });
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Sender::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  for (std::thread& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

void Sender::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

bool Sender::stopping() {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void Sender::Run() {
  absl::Duration idle = absl::ZeroDuration();
  for (;;) {
    bool scan = false;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stop_ || !finished_.empty();
      };
      // Timed out: a backoff ended, or time for the idle look.
      scan = !mu_.AwaitWithTimeout(absl::Condition(&ready), idle);
      if (stop_) return;
      scan |= wake_;
      wake_ = false;
    }
    // A message that finished frees its case: its next one, if the last
    // pass skipped one, is worth a pass.
    scan |= Collect();
    if (scan) Drain();
    idle = Idle();
  }
}

void Sender::Work() {
  for (;;) {
    Job job;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || !jobs_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return;  // a job not started yet recorded nothing
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Outcome outcome = Advance(job.id, job.case_id, job.contact);
    absl::MutexLock lock(&mu_);
    --in_flight_;
    finished_.push_back(Finished{std::move(job), outcome});
  }
}

absl::Duration Sender::Idle() const {
  const absl::Time now = absl::Now();
  absl::Time next = now + options_.idle_rescan;
  for (const Backoff* b : {&gateway_backoff_, &intake_backoff_}) {
    if (b->next > now) next = std::min(next, b->next);
  }
  for (const auto& [id, b] : backoff_) {
    if (b.next > now) next = std::min(next, b.next);
  }
  return std::max(absl::ZeroDuration(), next - now);
}

bool Sender::Paused() const {
  const absl::Time now = absl::Now();
  return gateway_backoff_.next > now || intake_backoff_.next > now;
}

bool Sender::Collect() {
  std::vector<Finished> finished;
  {
    absl::MutexLock lock(&mu_);
    finished.swap(finished_);
  }
  bool more = false;
  for (Finished& f : finished) {
    const std::string& id = f.job.id;
    busy_.erase(f.job.case_id);
    more |= more_.erase(f.job.case_id) > 0;
    if (f.outcome.contact_ok) {
      intake_backoff_.delay = absl::ZeroDuration();
      intake_down_.Set(0);
    }
    const absl::Time now = absl::Now();
    switch (f.outcome.step) {
      case Step::kDone:
        backoff_.erase(id);
        gateway_backoff_.delay = absl::ZeroDuration();
        gateway_down_.Set(0);
        break;
      case Step::kWait: {
        retried_.Increment();
        auto wait = backoff_.find(id);
        absl::Duration d = NextDelay(
            wait == backoff_.end() ? absl::ZeroDuration() : wait->second.delay,
            options_);
        backoff_[id] = Backoff{now + d, d};
        break;
      }
      case Step::kHeld:
      case Step::kAgain:  // Reconcile woke the scheduler
      case Step::kStopping:
        break;
      case Step::kGatewayDown:
      case Step::kIntakeDown: {
        retried_.Increment();
        const bool gateway = f.outcome.step == Step::kGatewayDown;
        (gateway ? gateway_down_ : intake_down_).Set(1);
        Backoff& b = gateway ? gateway_backoff_ : intake_backoff_;
        // Messages in flight together found it down together: one pause.
        if (b.next > now) break;
        absl::Duration d = NextDelay(b.delay, options_);
        b = Backoff{now + d, d};
        break;
      }
    }
  }
  return more;
}

bool Sender::AwaitSlot() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || in_flight_ < window_ || !finished_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return false;
      if (finished_.empty()) return true;  // a slot is free
    }
    if (Collect()) Wake();
    if (Paused()) return false;
  }
}

void Sender::Drain() {
  if (Paused()) return;
  scans_.Increment();
  auto queue = book_->Queue();
  if (!queue.ok()) {
    log::Error("queue scan failed",
               {{"error", std::string(queue.status().message())}});
    return;
  }
  // The first message of each case that may go now, in queue order.
  const absl::Time now = context_.clock->Now();
  struct Pick {
    Job job;
    std::optional<SmsRecord> record;  // as loaded for the pick
  };
  std::vector<Pick> picks;
  std::string blocked_case;  // a case with an earlier message picked or waiting
  int held = 0;
  more_.clear();
  for (const MessageBook::Queued& q : *queue) {
    std::string case_id(MessageBook::CaseOfQueueKey(q.key));
    if (case_id == blocked_case) {
      // A later message of a case picked, in flight or waiting: worth a
      // pass when the case's message in flight finishes.
      more_.insert(case_id);
      continue;
    }
    blocked_case = case_id;
    if (busy_.count(case_id) > 0) {
      more_.insert(case_id);
      continue;
    }
    auto wait = backoff_.find(q.message_id);
    if (wait != backoff_.end() && wait->second.next > absl::Now()) continue;
    auto db = book_->OpenCase(case_id);
    if (!db.ok()) continue;  // the partition left meanwhile
    auto record = book_->Load(*db, q.message_id);
    if (record.ok() &&
        options_.quiet_hours.Holds(record->message().trigger(), now)) {
      ++held;
      continue;
    }
    Pick pick{Job{q.message_id, std::move(case_id), std::nullopt},
              std::nullopt};
    // A record that does not load goes to a worker, which logs it and
    // lets the message wait.
    if (record.ok()) pick.record = *std::move(record);
    picks.push_back(std::move(pick));
  }
  held_.Set(held);
  // Forget the backoffs of messages that left the queue meanwhile (a
  // report or an operator finished them): they would wake Run for nothing.
  std::set<std::string> queued;
  for (const MessageBook::Queued& q : *queue) queued.insert(q.message_id);
  for (auto it = backoff_.begin(); it != backoff_.end();) {
    it = queued.count(it->first) ? std::next(it) : backoff_.erase(it);
  }

  // Contacts a chunk at a time, so that the first messages go while the
  // later ones' contacts are still to be asked, and none is asked long
  // before its message goes.
  const size_t chunk = static_cast<size_t>(std::max(16, 4 * window_));
  for (size_t from = 0; from < picks.size(); from += chunk) {
    const size_t to = std::min(picks.size(), from + chunk);
    std::vector<std::string> keys;
    std::vector<caserelay::v1::ResolveContactRequest> requests;
    for (size_t i = from; i < to; ++i) {
      const std::optional<SmsRecord>& r = picks[i].record;
      if (!r.has_value() ||
          r->message().state() != caserelay::v1::SMS_STATE_QUEUED) {
        continue;
      }
      std::string key = ContactResolver::KeyOf(*r);
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      keys.push_back(std::move(key));
      requests.push_back(ContactResolver::RequestFor(*r));
    }
    std::vector<ContactResolver::Contact> answers =
        resolver_.ResolveAll(requests);
    std::map<std::string, ContactResolver::Contact> contacts;
    for (size_t i = 0; i < keys.size(); ++i) {
      contacts.emplace(std::move(keys[i]), std::move(answers[i]));
    }
    for (size_t i = from; i < to; ++i) {
      if (!AwaitSlot()) return;
      Job& job = picks[i].job;
      if (picks[i].record.has_value()) {
        auto c = contacts.find(ContactResolver::KeyOf(*picks[i].record));
        if (c != contacts.end()) job.contact = c->second;
      }
      busy_.insert(job.case_id);
      absl::MutexLock lock(&mu_);
      ++in_flight_;
      jobs_.push_back(std::move(job));
    }
  }
}

bool Sender::Pace() {
  absl::Duration wait;
  {
    absl::MutexLock lock(&bucket_mu_);
    wait = bucket_.Take(absl::Now());
  }
  if (wait <= absl::ZeroDuration()) return true;
  absl::MutexLock lock(&mu_);
  auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
  mu_.AwaitWithTimeout(absl::Condition(&stop), wait);
  return !stop_;
}

}  // namespace caserelay::notification
