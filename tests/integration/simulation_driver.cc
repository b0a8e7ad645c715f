#include "tests/integration/simulation_driver.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace caserelay::testing {

absl::Time China(int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(absl::CivilDay(2026, 1, 1) + day),
                         absl::FixedTimeZone(8 * 3600)) +
         absl::Hours(hour);
}

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Runs fn(0..n-1) on up to `threads` threads.
void ParallelFor(int n, int threads, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < std::min(n, threads); ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& th : pool) th.join();
}

void Within(grpc::ClientContext& ctx, int seconds) {
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::seconds(seconds));
}

caserelay::v1::SubmitPetitionRequest PetitionOf(const sim::Petition& p,
                                                int index) {
  caserelay::v1::SubmitPetitionRequest req;
  auto* who = req.mutable_petitioner();
  who->set_name(absl::StrCat("模拟人", p.petitioner));
  who->set_address(absl::StrCat("山西省沁源县模拟路", p.petitioner, "号"));
  who->set_phone(absl::StrFormat("139%08d", p.petitioner));
  auto* m = req.mutable_matter();
  const sim::Route& route = sim::Routes()[p.route];
  m->set_region_code(route.region_code);
  m->set_category(route.category);
  m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  m->set_channel(caserelay::v1::CHANNEL_ONLINE);
  m->set_title("模拟事项");
  m->set_text(absl::StrCat("第", index, "件：请求依法处理。"));
  if (p.type == sim::PetitionType::kRedirect) {
    m->set_channel(caserelay::v1::CHANNEL_VISIT);
    m->set_lodged_with(route.higher_bureau);
  }
  req.set_request_id(absl::StrCat("sim-", getpid(), "-", index));
  return req;
}

Driver::Driver(System& sys) : sys_(sys) {
  for (const std::string& office : sim::ActingOffices()) {
    stubs_[office] = &sys.routing_as(office);
  }
  province_ = &sys.routing();
}

grpc::Status Driver::Act(const std::string& case_id, const sim::Action& action,
                         uint64_t* version) {
  grpc::Status s;
  for (int attempt = 0; attempt < 20; ++attempt) {
    caserelay::v1::ActRequest req = action.request;
    req.set_case_id(case_id);
    req.set_expected_version(*version);
    grpc::ClientContext ctx;
    Within(ctx);
    caserelay::v1::CaseView view;
    s = stubs_.at(action.office)->Act(&ctx, req, &view);
    if (s.ok()) {
      *version = view.version();
      return s;
    }
    if (s.error_code() != grpc::StatusCode::ABORTED) return s;
    grpc::ClientContext get_ctx;
    Within(get_ctx);
    caserelay::v1::GetCaseRequest get;
    get.set_case_id(case_id);
    caserelay::v1::CaseDetail detail;
    grpc::Status g = province_->GetCase(&get_ctx, get, &detail);
    if (!g.ok()) return g;
    *version = detail.view().version();
  }
  return s;
}

namespace {

// What a consumer of case-events has applied, and 督办 issued (supervision).
struct Progress {
  int64_t applied = 0;
  int64_t dead = 0;
  int64_t instruments = 0;
};

absl::StatusOr<Progress> ReadProgress(System& sys, const std::string& service) {
  auto text = sys.AdminGet(service, "/metrics");
  if (!text.ok()) return text.status();
  Progress p;
  p.applied = static_cast<int64_t>(MetricSum(
      *text, "caserelay_events_applied_total", "loop=\"case-events\""));
  p.dead = static_cast<int64_t>(MetricSum(
      *text, "caserelay_events_dead_letter_total", "loop=\"case-events\""));
  p.instruments = static_cast<int64_t>(
      MetricSum(*text, "caserelay_supervision_instruments_issued_total"));
  return p;
}

}  // namespace

absl::Status Settle(System& sys, int64_t events,
                    const std::vector<std::string>& also) {
  const absl::Time give_up = absl::Now() + absl::Seconds(120);
  std::string behind = "not read";
  while (absl::Now() < give_up) {
    absl::StatusOr<Progress> p = ReadProgress(sys, "supervision");
    bool done = p.ok();
    if (p.ok()) {
      const int64_t owed = events + p->instruments;
      std::vector<std::string> services = {"supervision"};
      services.insert(services.end(), also.begin(), also.end());
      for (const std::string& service : services) {
        absl::StatusOr<Progress> q =
            service == "supervision" ? p : ReadProgress(sys, service);
        if (!q.ok()) {
          done = false;
          behind = q.status().ToString();
          break;
        }
        if (q->dead > 0) {
          return absl::InternalError(absl::StrCat(
              q->dead, " case-events dead-lettered by ", service));
        }
        if (q->applied != owed) {
          done = false;
          behind = absl::StrCat(service, " applied ", q->applied,
                                " case-events, expected ", events, " + ",
                                p->instruments, " SUPERVISE");
          break;
        }
      }
    } else {
      behind = p.status().ToString();
    }
    if (done) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(5));
  }
  return absl::DeadlineExceededError(behind);
}

}  // namespace caserelay::testing
