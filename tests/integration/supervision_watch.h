// What the supervision integration tests watch (督查督办): supervision's
// queries polled until a condition holds, a topic read from its beginning
// by a consumer of the test's own, routing's history and a service's
// /metrics. Uses the harness's public API only.
//
// Thread safety: not thread-safe; one test thread drives it.

#ifndef CASERELAY_TESTS_INTEGRATION_SUPERVISION_WATCH_H_
#define CASERELAY_TESTS_INTEGRATION_SUPERVISION_WATCH_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/kafka/consumer.h"
#include "tests/integration/harness.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {

using Listing = caserelay::v1::ListDeadlinesResponse;

// The deadline of `kind` in `listing` (for SUPERVISION_REPLY with a
// `supervision_id`, the one answering it); null if there is none.
const caserelay::v1::Deadline* Find(const Listing& listing,
                                    caserelay::v1::DeadlineKind kind,
                                    const std::string& supervision_id = "");

// The running deadline of `kind` in `deadlines`; null if there is none.
const caserelay::v1::RunningDeadline* Running(
    const google::protobuf::RepeatedPtrField<caserelay::v1::RunningDeadline>&
        deadlines,
    caserelay::v1::DeadlineKind kind);

// Supervision's gRPC queries, as the province bureau (System::supervision()).
class Watch {
 public:
  explicit Watch(System& sys) : sys_(sys) {}

  // ListDeadlines of case `id`; the call's error as a status.
  absl::StatusOr<Listing> Get(const std::string& id);
  // Polls ListDeadlines until `done` holds (within `timeout` of real time);
  // the listing, or DEADLINE_EXCEEDED naming `what` and the last listing.
  absl::StatusOr<Listing> Await(const std::string& id, const std::string& what,
                                std::function<bool(const Listing&)> done,
                                absl::Duration timeout = absl::Seconds(15));
  // ListRedLights of the region subtree (at most 100).
  absl::StatusOr<caserelay::v1::ListRedLightsResponse> Lights(
      const std::string& region);
  // statistics' GetIndicators of the region subtree from `from` to its
  // clock's now, once it has applied every case-event the log holds.
  absl::StatusOr<caserelay::v1::GetIndicatorsResponse> Indicators(
      const std::string& region, absl::Time from);

 private:
  System& sys_;
};

// Polls GetCase (as the province bureau, which reads every Shanxi case)
// until the history holds the event `event_id` (15 s); that event, or
// DEADLINE_EXCEEDED.
absl::StatusOr<caserelay::v1::Envelope> AwaitEvent(Steps& steps,
                                                   const std::string& id,
                                                   const std::string& event_id);

// Every Envelope of a topic from its beginning, read by a consumer group
// of its own.
class Feed {
 public:
  // The consumer's creation errors (INVALID_ARGUMENT).
  static absl::StatusOr<std::unique_ptr<Feed>> Open(System& sys,
                                                    const std::string& topic);

  // Reads what arrives within `wait`. A record that is not an Envelope is
  // a test failure.
  void Drain(absl::Duration wait = absl::Milliseconds(300));
  // Envelopes of case `id` with `payload` read so far.
  int Count(const std::string& id,
            caserelay::v1::Envelope::PayloadCase payload) const;
  // Reads until case `id` has `n` envelopes with `payload` (within
  // `timeout`); the n-th, or DEADLINE_EXCEEDED with how many there were.
  absl::StatusOr<caserelay::v1::Envelope> Await(
      const std::string& id, caserelay::v1::Envelope::PayloadCase payload,
      int n = 1, absl::Duration timeout = absl::Seconds(15));
  const std::vector<caserelay::v1::Envelope>& seen() const { return seen_; }

 private:
  explicit Feed(std::unique_ptr<kafka::Consumer> consumer)
      : consumer_(std::move(consumer)) {}
  std::unique_ptr<kafka::Consumer> consumer_;
  std::vector<caserelay::v1::Envelope> seen_;
};

// Publishes `envelope` to `topic` keyed by its case id, as a service's
// outbox would; OK once the broker has it.
absl::Status Publish(const System& sys, const std::string& topic,
                     const caserelay::v1::Envelope& envelope);

// A case as routing's REGISTER event would carry it to supervision: one
// running deadline of `kind` held by `office`.
struct RegisteredCase {
  std::string case_id;
  std::string region = "140431";
  std::string office = "140431:bureau";  // holder, target, deadline's office
  std::string registering_office = "140431:bureau";
  caserelay::v1::DeadlineKind kind = caserelay::v1::DEADLINE_KIND_TRANSFER;
  absl::Time started;
  absl::Time due;
  // Unset (MATTER_CLASS_UNSPECIFIED, 0): left out of the event.
  caserelay::v1::MatterClass matter_class =
      caserelay::v1::MATTER_CLASS_UNSPECIFIED;
  int head_count = 0;
};

// The REGISTER event routing would publish for `c` (sequence 1, event id
// `routing/<case>/1`, at `started`, category labour): what supervision's
// case_facts.h reads and the one running deadline.
caserelay::v1::Envelope RegisterEvent(const RegisteredCase& c);

// A sample of `service`'s (or instance's) /metrics, 0 while it cannot be
// read (the process restarting, the counter not registered yet).
double MetricOr0(const System& sys, const std::string& service,
                 const std::string& sample);

// The whitespace-separated words of the line of `text` that starts with
// `prefix`; empty if there is none.
std::vector<std::string> WordsOfLine(const std::string& text,
                                     const std::string& prefix);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_SUPERVISION_WATCH_H_
