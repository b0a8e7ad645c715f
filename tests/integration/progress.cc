#include "tests/integration/progress.h"

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::testing {
namespace {

constexpr int kBrokerTimeoutMs = 5000;

// Every sample value of metric `name` in a /metrics body.
std::vector<double> Samples(const std::string& body, const std::string& name) {
  std::vector<double> values;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    if (!absl::StartsWith(line, name)) continue;
    const absl::string_view rest = line.substr(name.size());
    if (rest.empty() || (rest[0] != '{' && rest[0] != ' ')) continue;
    double value = 0;
    const size_t space = line.rfind(' ');
    if (space != absl::string_view::npos &&
        absl::SimpleAtod(line.substr(space + 1), &value)) {
      values.push_back(value);
    }
  }
  return values;
}

// Polls `done` (which says what it waits for in `*what`) every 20 ms.
template <typename F>
absl::Status Poll(absl::Duration timeout, F done) {
  const absl::Time give_up = absl::Now() + timeout;
  std::string what;
  while (true) {
    if (done(&what)) return absl::OkStatus();
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          "after ", absl::FormatDuration(timeout), ": ", what));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace

absl::StatusOr<std::map<int32_t, int64_t>> EndOffsets(
    const System& sys, const std::string& topic) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (conf->set("bootstrap.servers", sys.bootstrap(), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InvalidArgumentError(error);
  }
  std::unique_ptr<RdKafka::Producer> client(
      RdKafka::Producer::create(conf.get(), error));
  if (client == nullptr) return absl::InvalidArgumentError(error);
  std::unique_ptr<RdKafka::Topic> handle(
      RdKafka::Topic::create(client.get(), topic, nullptr, error));
  if (handle == nullptr) return absl::InvalidArgumentError(error);
  RdKafka::Metadata* raw = nullptr;
  if (RdKafka::ErrorCode e =
          client->metadata(false, handle.get(), &raw, kBrokerTimeoutMs);
      e != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("metadata of ", topic, ": ", RdKafka::err2str(e)));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::vector<std::pair<std::string, int32_t>> partitions;
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    if (t->topic() != topic) continue;
    for (const RdKafka::PartitionMetadata* p : *t->partitions()) {
      partitions.emplace_back(topic, p->id());
    }
  }
  // kafka::ListOffsets: query_watermark_offsets may hang while a broker is
  // down (common/kafka/README.md).
  absl::StatusOr<kafka::PartitionOffsets> latest = kafka::ListOffsets(
      *client, partitions, kafka::LogEnd::kLatest,
      absl::Milliseconds(kBrokerTimeoutMs),
      absl::StrCat("end offsets of ", topic));
  if (!latest.ok()) return absl::UnavailableError(latest.status().message());
  std::map<int32_t, int64_t> ends;
  for (const auto& [where, offset] : *latest) ends[where.second] = offset;
  if (ends.empty()) {
    return absl::UnavailableError(absl::StrCat("no partitions of ", topic));
  }
  return ends;
}

absl::Status AwaitInputsApplied(const System& sys, const std::string& service,
                                const std::string& topic,
                                absl::Duration timeout) {
  absl::StatusOr<std::map<int32_t, int64_t>> ends = EndOffsets(sys, topic);
  if (!ends.ok()) return ends.status();
  return Poll(timeout, [&](std::string* what) {
    absl::StatusOr<std::string> body = sys.AdminGet(service, "/metrics");
    if (!body.ok()) {
      *what = std::string(body.status().message());
      return false;
    }
    for (const auto& [partition, end] : *ends) {
      if (end == 0) continue;
      const std::string input =
          absl::StrCat("input=\"", topic, "/", partition, "\"");
      const double next =
          MetricSum(*body, "caserelay_loop_input_next_offset", input);
      if (next < static_cast<double>(end)) {
        *what = absl::StrCat(service, " has applied ", topic, "/", partition,
                             " up to ", next, ", not to its end ", end);
        return false;
      }
    }
    return true;
  });
}

absl::Status AwaitTickAt(const System& sys, const std::string& service,
                         absl::Time t, absl::Duration timeout) {
  const double at = absl::ToDoubleSeconds(t - absl::UnixEpoch());
  return Poll(timeout, [&](std::string* what) {
    absl::StatusOr<std::string> body = sys.AdminGet(service, "/metrics");
    if (!body.ok()) {
      *what = std::string(body.status().message());
      return false;
    }
    const std::vector<double> ticks =
        Samples(*body, "caserelay_loop_tick_clock_seconds");
    *what = absl::StrCat(service, ": no committed Tick at ",
                         absl::FormatTime(t), " yet");
    if (ticks.empty()) return false;
    for (double tick : ticks) {
      if (tick < at) return false;
    }
    return true;
  });
}

absl::Status AwaitNextTick(const System& sys, const std::string& service,
                           absl::Duration timeout) {
  auto ticks = [&]() -> absl::StatusOr<std::vector<double>> {
    absl::StatusOr<std::string> body = sys.AdminGet(service, "/metrics");
    if (!body.ok()) return body.status();
    return Samples(*body, "caserelay_loop_ticks_total");
  };
  absl::StatusOr<std::vector<double>> before = ticks();
  if (!before.ok()) return before.status();
  return Poll(timeout, [&](std::string* what) {
    *what = absl::StrCat(service, ": no Tick committed since the call");
    absl::StatusOr<std::vector<double>> now = ticks();
    if (!now.ok() || now->size() != before->size() || now->empty()) {
      return false;
    }
    for (size_t i = 0; i < now->size(); ++i) {
      if ((*now)[i] <= (*before)[i]) return false;
    }
    return true;
  });
}

absl::Status AwaitOutboxEmpty(const System& sys, const std::string& service,
                              absl::Duration timeout) {
  return Poll(timeout, [&](std::string* what) {
    absl::StatusOr<double> pending =
        sys.Metric(service, "caserelay_outbox_pending");
    *what = pending.ok() ? absl::StrCat(service, ": ", *pending,
                                        " events in the outbox")
                         : std::string(pending.status().message());
    return pending.ok() && *pending == 0;
  });
}

absl::Status AwaitCaughtUp(const System& sys,
                          const std::vector<std::string>& services,
                          absl::Time t, absl::Duration timeout) {
  static const std::map<std::string, std::vector<std::string>> kInputs = {
      {"intake", {"case-events"}},
      {"routing", {"petitions", "supervision-events"}},
      {"supervision", {"case-events"}},
      {"notification", {"case-events"}},
      {"statistics", {"case-events"}},
  };
  const absl::Time give_up = absl::Now() + timeout;
  auto all_ends = [&]() -> absl::StatusOr<std::map<std::string, int64_t>> {
    std::map<std::string, int64_t> ends;
    for (const char* topic :
         {"petitions", "case-events", "supervision-events"}) {
      absl::StatusOr<std::map<int32_t, int64_t>> e = EndOffsets(sys, topic);
      if (!e.ok()) return e.status();
      for (const auto& [partition, end] : *e) {
        ends[absl::StrCat(topic, "/", partition)] = end;
      }
    }
    return ends;
  };
  absl::StatusOr<std::map<std::string, int64_t>> before = all_ends();
  if (!before.ok()) return before.status();
  while (true) {
    const absl::Duration left = give_up - absl::Now();
    // Inputs first; then a Tick counted after them (it saw their effects)
    // at `t`; then what both produced is out of the outbox.
    for (const std::string& service : services) {
      for (const std::string& topic : kInputs.at(service)) {
        if (absl::Status s = AwaitInputsApplied(sys, service, topic, left);
            !s.ok()) {
          return s;
        }
      }
    }
    for (const std::string& service : services) {
      if (absl::Status s = AwaitNextTick(sys, service, left); !s.ok()) {
        return s;
      }
      if (absl::Status s = AwaitTickAt(sys, service, t, left); !s.ok()) {
        return s;
      }
      if (absl::Status s = AwaitOutboxEmpty(sys, service, left); !s.ok()) {
        return s;
      }
    }
    absl::StatusOr<std::map<std::string, int64_t>> after = all_ends();
    if (!after.ok()) return after.status();
    if (*after == *before) return absl::OkStatus();
    before = std::move(after);
  }
}

absl::Status AwaitCaughtUp(const System& sys, absl::Time t,
                          absl::Duration timeout) {
  return AwaitCaughtUp(sys,
                      std::vector<std::string>(std::begin(System::kServices),
                                               std::end(System::kServices)),
                      t, timeout);
}

}  // namespace caserelay::testing
