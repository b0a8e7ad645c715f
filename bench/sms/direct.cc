#include "bench/sms/direct.h"

#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "common/admin/http_client.h"
#include "common/admin/http_server.h"

namespace caserelay::bench {
namespace {

using caserelay::testing::FakeSmscMessage;

// Code points of a UTF-8 string.
int Chars(const std::string& utf8) {
  int n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// Counts the delivery reports Kannel calls back, answering 200 at once.
class DlrReceiver {
 public:
  static absl::StatusOr<std::unique_ptr<DlrReceiver>> Start() {
    std::unique_ptr<DlrReceiver> r(new DlrReceiver());
    DlrReceiver* self = r.get();
    // As a service's admin server by default (admin.workers,
    // admin.max_queued, admin.max_pending): Kannel's bursts of callbacks
    // are taken, not refused and retried a second later.
    admin::HttpServerOptions options;
    options.worker_threads = 4;
    options.max_queued_connections = 1024;
    options.max_pending_connections = 1024;
    auto server = admin::HttpServer::Create(
        "127.0.0.1:0",
        {{"/dlr", [self](const admin::HttpRequest&) {
            absl::MutexLock lock(&self->mu_);
            ++self->count_;
            self->last_ = absl::Now();
            return admin::HttpResponse{200, "text/plain", "ok\n"};
          }}},
        options);
    if (!server.ok()) return server.status();
    r->server_ = *std::move(server);
    return r;
  }
  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", server_->port(), "/dlr?t=%d");
  }
  // Waits until `n` reports came; false after `timeout`.
  bool Wait(int n, absl::Duration timeout, absl::Time* last, int* count) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return count_ >= n; };
    bool ok = mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    *last = last_;
    *count = count_;
    return ok;
  }

 private:
  DlrReceiver() = default;
  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<admin::HttpServer> server_;
};

}  // namespace

absl::StatusOr<std::string> ReceiptLikeText(const std::string& source_dir) {
  const std::string path = source_dir + "/data/sms/templates/received.txt";
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return absl::StrReplaceAll(text, {{"{case_number}", "140431-20260101-{n}"},
                                    {"{lookup_code}", "K7M2P9QX"}});
}

absl::StatusOr<Arrivals> Measure(const std::vector<FakeSmscMessage>& received,
                                 size_t from, int n, absl::Time start) {
  if (received.size() < from + n) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the fake SMSC has ", received.size() - from, " of ", n, " messages"));
  }
  Arrivals a;
  a.messages = n;
  a.start = start;
  a.first = received[from].received_at;
  a.last = received[from + n - 1].received_at;
  double chars = 0;
  for (int i = 0; i < n; ++i) {
    const FakeSmscMessage& m = received[from + i];
    if (m.type != "ucs-2" || !m.udh.empty()) ++a.not_one_part;
    chars += Chars(m.text);
    if (i > 0) {
      a.spacing.push_back(m.received_at - received[from + i - 1].received_at);
    }
  }
  a.mean_chars = chars / n;
  return a;
}

absl::StatusOr<DirectResult> SendDirect(const testing::Kannel& kannel,
                                        size_t already,
                                        const DirectOptions& options) {
  std::unique_ptr<DlrReceiver> dlr;
  if (options.dlr_mask != 0) {
    auto started = DlrReceiver::Start();
    if (!started.ok()) {
      return absl::InternalError(
          absl::StrCat("DLR receiver: ", started.status().message()));
    }
    dlr = *std::move(started);
  }
  // Every URL is built before the clock starts: the ceiling is Kannel's
  // and the client's, not the building of URLs.
  const std::string base =
      absl::StrCat("http://127.0.0.1:", kannel.sendsms_port());
  std::vector<std::string> urls;
  for (int i = 0; i < options.messages; ++i) {
    testing::SendSmsRequest req;
    req.to = absl::StrFormat("139%08d", options.first_number + i);
    req.text = absl::StrReplaceAll(
        options.text_pattern,
        {{"{n}", absl::StrFormat("%06d", options.first_number + i)}});
    req.dlr_mask = options.dlr_mask;
    if (dlr != nullptr) req.dlr_url = dlr->url();
    auto target = kannel.SendSmsTarget(req);
    if (!target.ok()) return target.status();
    urls.push_back(base + *target);
  }

  DirectResult r;
  const absl::Time start = absl::Now();
  for (const std::string& url : urls) {
    auto answer = admin::HttpGet(url, absl::Seconds(10));
    if (!answer.ok()) return answer.status();
    if (answer->status != 202 || answer->body.rfind("0:", 0) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "sendsms answered ", answer->status, " \"", answer->body, "\""));
    }
  }
  r.answers = absl::Now() - start;
  auto received =
      kannel.WaitForReceived(already + options.messages, options.timeout);
  if (!received.ok()) return received.status();
  auto arrivals = Measure(*received, already, options.messages, start);
  if (!arrivals.ok()) return arrivals.status();
  r.arrivals = *std::move(arrivals);
  if (dlr != nullptr) {
    absl::Time last;
    if (!dlr->Wait(2 * options.messages, options.timeout, &last, &r.reports)) {
      return absl::DeadlineExceededError(absl::StrCat(
          "delivery reports: ", r.reports, " of ", 2 * options.messages,
          " within ", absl::FormatDuration(options.timeout)));
    }
    r.reports_done = last - start;
  }
  return r;
}

}  // namespace caserelay::bench
