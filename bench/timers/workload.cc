#include "bench/timers/workload.h"

#include <chrono>
#include <numeric>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/timestamp.h"

namespace caserelay::bench {

ScaledClock::ScaledClock(absl::Time origin, double speed)
    : origin_(origin), speed_(speed), frozen_(origin) {}

absl::Time ScaledClock::Now() const {
  absl::MutexLock lock(&mu_);
  if (!running_) return frozen_;
  const double real_s =
      std::chrono::duration<double>(SteadyClock::now() - start_).count();
  return origin_ + absl::Seconds(real_s * speed_);
}

bool ScaledClock::WaitUntil(absl::Time t, absl::Duration max_real_wait) const {
  if (Now() >= t) return true;
  if (max_real_wait > absl::ZeroDuration()) absl::SleepFor(max_real_wait);
  return Now() >= t;
}

void ScaledClock::Freeze(absl::Time t) {
  absl::MutexLock lock(&mu_);
  running_ = false;
  frozen_ = t;
}

void ScaledClock::Run() {
  absl::MutexLock lock(&mu_);
  running_ = true;
  start_ = SteadyClock::now();
}

SteadyTime ScaledClock::RealAt(absl::Time t) const {
  absl::MutexLock lock(&mu_);
  const double real_s = absl::ToDoubleSeconds(t - origin_) / speed_;
  return start_ + std::chrono::duration_cast<SteadyClock::duration>(
                      std::chrono::duration<double>(real_s));
}

Workload::Workload(int cases, absl::Time origin, absl::Duration warning_before,
                   absl::Duration spread)
    : cases_(cases),
      origin_(origin),
      warning_before_(warning_before),
      spread_(spread) {
  // A stride near the golden ratio of the count, coprime to it: case i is
  // due (i * stride mod cases)-th, so due order and case order differ.
  stride_ = static_cast<uint64_t>(cases * 0.618) | 1;
  while (std::gcd<uint64_t, uint64_t>(stride_, cases) != 1) stride_ += 2;
  for (const char* t : {"100", "101", "102", "103", "105", "107", "200", "201",
                        "202", "203", "204", "207", "400"}) {
    townships_.push_back(absl::StrCat("140431", t, ":gov"));
  }
}

std::string Workload::CaseId(int i) const {
  return absl::StrFormat("140431-20250602-%07d", i + 1);
}

absl::Time Workload::Due(int i) const {
  const uint64_t rank = (static_cast<uint64_t>(i) * stride_) % cases_;
  // Whole seconds, as routing's dues are (midnights, time::EndOf).
  return origin_ + warning_before_ +
         absl::Floor(spread_ * (static_cast<double>(rank) / cases_),
                     absl::Seconds(1));
}

caserelay::v1::Envelope Workload::Event(int i) const {
  const absl::Time received = origin_ - absl::Hours(1);
  const std::string id = CaseId(i);
  caserelay::v1::Envelope e;
  e.set_event_id(absl::StrCat(id, "/1"));
  e.set_case_id(id);
  e.set_producer("routing");
  e.set_sequence(1);
  *e.mutable_occurred_at() = time::ToProto(received);
  auto* ev = e.mutable_case_event();
  ev->set_action(caserelay::v1::CASE_ACTION_REGISTER);
  ev->set_actor_office_code("140431:bureau");
  ev->set_actor_office_name("沁源县信访局");
  ev->set_from_state(caserelay::v1::CASE_STATE_RECEIVED);
  ev->set_to_state(caserelay::v1::CASE_STATE_REGISTERED);
  ev->set_holder_office_code("140431:bureau");
  ev->set_holder_office_name("沁源县信访局");
  const bool bureau = i % 14 == 0;
  const std::string& government = townships_[i % townships_.size()];
  auto* d = ev->mutable_decision();
  d->set_registering_office_code("140431:bureau");
  d->set_registering_office_name("沁源县信访局");
  d->set_disposition(caserelay::v1::DISPOSITION_ASSIGN);
  d->set_target_office_code(government);
  ev->set_region_code(government.substr(0, 9));
  ev->set_category("land");
  ev->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  ev->set_channel(caserelay::v1::CHANNEL_ONLINE);
  *ev->mutable_received_at() = time::ToProto(received);
  auto* deadline = ev->add_deadlines();
  deadline->set_kind(bureau ? caserelay::v1::DEADLINE_KIND_TRANSFER
                            : caserelay::v1::DEADLINE_KIND_HANDLING);
  deadline->set_office_code(bureau ? "140431:bureau" : government);
  *deadline->mutable_started_at() = time::ToProto(received);
  *deadline->mutable_due_at() = time::ToProto(Due(i));
  return e;
}

}  // namespace caserelay::bench
