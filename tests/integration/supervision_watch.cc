#include "tests/integration/supervision_watch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/kafka/producer.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/progress.h"

namespace caserelay::testing {

namespace v1 = caserelay::v1;

namespace {

void Within(grpc::ClientContext& ctx, int seconds = 10) {
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::seconds(seconds));
}

}  // namespace

const v1::Deadline* Find(const Listing& listing, v1::DeadlineKind kind,
                         const std::string& supervision_id) {
  for (const v1::Deadline& d : listing.deadlines()) {
    if (d.kind() != kind) continue;
    if (!supervision_id.empty() && d.supervision_id() != supervision_id) {
      continue;
    }
    return &d;
  }
  return nullptr;
}

const v1::RunningDeadline* Running(
    const google::protobuf::RepeatedPtrField<v1::RunningDeadline>& deadlines,
    v1::DeadlineKind kind) {
  for (const v1::RunningDeadline& d : deadlines) {
    if (d.kind() == kind) return &d;
  }
  return nullptr;
}

absl::StatusOr<Listing> Watch::Get(const std::string& id) {
  grpc::ClientContext ctx;
  Within(ctx);
  v1::ListDeadlinesRequest req;
  req.set_case_id(id);
  Listing resp;
  grpc::Status s = sys_.supervision().ListDeadlines(&ctx, req, &resp);
  if (!s.ok()) return rpc::FromGrpc(s);
  return resp;
}

absl::StatusOr<Listing> Watch::Await(const std::string& id,
                                     const std::string& what,
                                     std::function<bool(const Listing&)> done,
                                     absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  absl::StatusOr<Listing> last = absl::DeadlineExceededError("not polled");
  while (absl::Now() < give_up) {
    last = Get(id);
    if (last.ok() && done(*last)) return last;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "case ", id, ": not ", what, " within ", absl::FormatDuration(timeout),
      "; last: ",
      last.ok() ? last->ShortDebugString() : last.status().ToString()));
}

absl::StatusOr<v1::ListRedLightsResponse> Watch::Lights(
    const std::string& region) {
  grpc::ClientContext ctx;
  Within(ctx);
  v1::ListRedLightsRequest req;
  req.set_region_code(region);
  v1::ListRedLightsResponse resp;
  grpc::Status s = sys_.supervision().ListRedLights(&ctx, req, &resp);
  if (!s.ok()) return rpc::FromGrpc(s);
  return resp;
}

absl::StatusOr<v1::GetIndicatorsResponse> Watch::Indicators(
    const std::string& region, absl::Time from) {
  grpc::ClientContext ctx;
  Within(ctx);
  v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_region_code(region);
  *req.mutable_from() = time::ToProto(from);
  v1::GetIndicatorsResponse resp;
  // statistics answers the indicators from its index (issue 17): first
  // it applies every case-event the log holds now.
  if (absl::Status applied =
          AwaitInputsApplied(sys_, "statistics", "case-events");
      !applied.ok()) {
    return applied;
  }
  grpc::Status s = sys_.statistics().GetIndicators(&ctx, req, &resp);
  if (!s.ok()) return rpc::FromGrpc(s);
  return resp;
}

absl::StatusOr<v1::Envelope> AwaitEvent(Steps& steps, const std::string& id,
                                        const std::string& event_id) {
  const absl::Time give_up = absl::Now() + absl::Seconds(15);
  std::string last = "not read";
  while (absl::Now() < give_up) {
    auto detail = steps.Get(System::kProvinceBureau, id);
    if (detail.ok()) {
      last = absl::StrCat(detail->events_size(), " events");
      for (const std::string& bytes : detail->events()) {
        v1::Envelope event;
        if (event.ParseFromString(bytes) && event.event_id() == event_id) {
          return event;
        }
      }
    } else {
      last = detail.status().ToString();
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "case ", id, ": no event ", event_id, " in its history (", last, ")"));
}

absl::StatusOr<std::unique_ptr<Feed>> Feed::Open(System& sys,
                                                 const std::string& topic) {
  kafka::ConsumerOptions options;
  options.bootstrap = sys.bootstrap();
  options.group_id = absl::StrCat("supervision-test-", topic, "-", getpid(),
                                  "-", absl::ToUnixMicros(absl::Now()));
  options.topics = {topic};
  auto consumer = kafka::CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
  if (!consumer.ok()) return consumer.status();
  return std::unique_ptr<Feed>(new Feed(*std::move(consumer)));
}

void Feed::Drain(absl::Duration wait) {
  const absl::Time until = absl::Now() + wait;
  while (absl::Now() < until) {
    auto batch = consumer_->Poll(100, absl::Milliseconds(50));
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const kafka::Message& m : *batch) {
      v1::Envelope event;
      ASSERT_TRUE(event.ParseFromString(m.value))
          << m.topic << "/" << m.partition << "/" << m.offset;
      seen_.push_back(std::move(event));
    }
  }
}

int Feed::Count(const std::string& id,
                v1::Envelope::PayloadCase payload) const {
  int n = 0;
  for (const v1::Envelope& e : seen_) {
    if (e.case_id() == id && e.payload_case() == payload) ++n;
  }
  return n;
}

absl::StatusOr<v1::Envelope> Feed::Await(const std::string& id,
                                         v1::Envelope::PayloadCase payload,
                                         int n, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  for (;;) {
    int found = 0;
    for (const v1::Envelope& e : seen_) {
      if (e.case_id() == id && e.payload_case() == payload && ++found == n) {
        return e;
      }
    }
    if (absl::Now() >= give_up) {
      return absl::DeadlineExceededError(
          absl::StrCat("case ", id, ": ", found, " envelopes with payload ",
                       static_cast<int>(payload), ", awaited ", n));
    }
    Drain(absl::Milliseconds(100));
  }
}

absl::Status Publish(const System& sys, const std::string& topic,
                     const v1::Envelope& envelope) {
  absl::Mutex mu;
  std::optional<absl::Status> delivered;
  kafka::ProducerOptions options;
  options.bootstrap = sys.bootstrap();
  options.client_id = "supervision-test";
  auto producer = kafka::CreateKafkaProducer(
      options, [&](const kafka::DeliveryReport& report) {
        absl::MutexLock lock(&mu);
        delivered = report.status;
      });
  if (!producer.ok()) return producer.status();
  absl::Status queued = (*producer)->Produce(topic, envelope.case_id(),
                                             envelope.SerializeAsString(), 1);
  if (!queued.ok()) return queued;
  if (absl::Status s = (*producer)->Flush(absl::Seconds(15)); !s.ok()) return s;
  absl::MutexLock lock(&mu);
  return delivered.value_or(absl::InternalError("no delivery report"));
}

v1::Envelope RegisterEvent(const RegisteredCase& c) {
  v1::Envelope e;
  e.set_event_id(absl::StrCat("routing/", c.case_id, "/1"));
  e.set_case_id(c.case_id);
  e.set_sequence(1);
  e.set_producer("routing");
  *e.mutable_occurred_at() = time::ToProto(c.started);
  auto* event = e.mutable_case_event();
  event->set_action(v1::CASE_ACTION_REGISTER);
  event->set_from_state(v1::CASE_STATE_RECEIVED);
  event->set_to_state(v1::CASE_STATE_REGISTERED);
  event->set_actor_office_code("routing");
  event->set_holder_office_code(c.office);
  event->mutable_decision()->set_disposition(v1::DISPOSITION_TRANSFER);
  event->mutable_decision()->set_target_office_code(c.office);
  event->mutable_decision()->set_registering_office_code(c.registering_office);
  *event->mutable_received_at() = time::ToProto(c.started);
  event->set_region_code(c.region);
  event->set_category("labour");
  if (c.matter_class != v1::MATTER_CLASS_UNSPECIFIED) {
    event->set_matter_class(c.matter_class);
  }
  if (c.head_count > 0) {
    event->set_head_count(c.head_count);
    event->set_representatives(1);
  }
  auto* d = event->add_deadlines();
  d->set_kind(c.kind);
  d->set_office_code(c.office);
  *d->mutable_started_at() = time::ToProto(c.started);
  *d->mutable_due_at() = time::ToProto(c.due);
  return e;
}

double MetricOr0(const System& sys, const std::string& service,
                 const std::string& sample) {
  absl::StatusOr<double> v = sys.Metric(service, sample);
  return v.ok() ? *v : 0;
}

std::vector<std::string> WordsOfLine(const std::string& text,
                                     const std::string& prefix) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, prefix)) {
      return absl::StrSplit(line, ' ', absl::SkipEmpty());
    }
  }
  return {};
}

}  // namespace caserelay::testing
