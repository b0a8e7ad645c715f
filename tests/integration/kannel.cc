#include "tests/integration/kannel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/admin/http_message.h"
#include "common/file/file.h"
#include "domain/sms/segment.h"

namespace caserelay::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);
constexpr char kGotMessage[] = "Got message ";
// A line the fixture writes into the FIFO itself; kStopMarker ends the
// reader thread.
constexpr char kMarker[] = "caserelay-kannel-fixture-marker ";
constexpr char kStopMarker[] = "stop";

std::string Tail(const std::string& path, size_t bytes = 2000) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string all = s.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

// Decodes UTF-16BE bytes; INVALID_ARGUMENT for an odd length.
absl::StatusOr<std::string> Utf16BeToUtf8(const std::string& bytes) {
  if (bytes.size() % 2 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("UTF-16BE payload has odd length ", bytes.size()));
  }
  std::u16string units;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    units.push_back(
        static_cast<char16_t>((static_cast<unsigned char>(bytes[i]) << 8) |
                              static_cast<unsigned char>(bytes[i + 1])));
  }
  return sms::Utf16ToUtf8(units);
}

// Fills the concatenation fields from a UDH (UDHL, then IEI/length/data).
void ParseConcat(FakeSmscMessage& m) {
  const std::string& u = m.udh;
  if (u.empty()) return;
  size_t end = std::min(
      u.size(), 1 + static_cast<size_t>(static_cast<unsigned char>(u[0])));
  for (size_t i = 1; i + 2 <= end;) {
    const unsigned char iei = u[i];
    const size_t len = static_cast<unsigned char>(u[i + 1]);
    const size_t data = i + 2;
    if (data + len > end) return;
    auto byte = [&](size_t k) {
      return static_cast<unsigned char>(u[data + k]);
    };
    if (iei == 0x00 && len == 3) {
      m.concat_ref = byte(0);
      m.concat_total = byte(1);
      m.concat_index = byte(2);
      return;
    }
    if (iei == 0x08 && len == 4) {
      m.concat_ref = (byte(0) << 8) | byte(1);
      m.concat_total = byte(2);
      m.concat_index = byte(3);
      return;
    }
    i = data + len;
  }
}

// GET of `target` ("/path?query") from 127.0.0.1:`port`.
absl::StatusOr<admin::HttpClientResponse> LocalGet(int port,
                                                   const std::string& target,
                                                   absl::Duration timeout) {
  return admin::HttpGet(absl::StrCat("http://127.0.0.1:", port, target),
                        timeout);
}

}  // namespace

absl::StatusOr<FakeSmscMessage> ParseFakeSmscLine(const std::string& raw) {
  // "FROM TO TYPE PAYLOAD" or "FROM TO udh UDH data PAYLOAD"; the payload
  // url-encoded (space as '+') except for type "text".
  std::vector<std::string> f = absl::StrSplit(raw, absl::MaxSplits(' ', 3));
  if (f.size() < 4) {
    return absl::InvalidArgumentError(
        "fakesmsc line: want FROM TO TYPE PAYLOAD: " + raw);
  }
  FakeSmscMessage m;
  m.raw = raw;
  m.from = f[0];
  m.to = f[1];
  m.type = f[2];
  std::string encoded = f[3];
  if (m.type == "udh") {
    std::vector<std::string> u = absl::StrSplit(f[3], absl::MaxSplits(' ', 2));
    if (u.size() != 3 || u[1] != "data") {
      return absl::InvalidArgumentError(
          "fakesmsc line: want udh UDH data PAYLOAD: " + raw);
    }
    auto udh = admin::UrlDecode(u[0], /*plus_is_space=*/true);
    if (!udh.ok()) return udh.status();
    m.udh = *udh;
    encoded = u[2];
  }
  if (m.type == "text") {
    m.payload = encoded;
  } else if (m.type == "data" || m.type == "ucs-2" || m.type == "udh") {
    auto payload = admin::UrlDecode(encoded, /*plus_is_space=*/true);
    if (!payload.ok()) return payload.status();
    m.payload = *payload;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("fakesmsc line: unknown type ", m.type, ": ", raw));
  }
  ParseConcat(m);
  if (m.type == "ucs-2" || m.type == "udh") {
    auto text = Utf16BeToUtf8(m.payload);
    if (text.ok()) {
      m.text = *text;
    } else {
      m.decode_error = std::string(text.status().message());
    }
  } else {
    m.text = m.payload;
  }
  return m;
}

absl::StatusOr<std::unique_ptr<Kannel>> Kannel::Start(KannelOptions options) {
  struct stat st;
  if (options.dir.empty() || stat(options.dir.c_str(), &st) != 0 ||
      !S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        "KannelOptions::dir: not an existing directory: " + options.dir);
  }
  if (options.dlr_retries < 0 || options.dlr_retry_delay_seconds < 1) {
    return absl::InvalidArgumentError(
        "KannelOptions: dlr_retries must be >= 0, dlr_retry_delay_seconds "
        ">= 1");
  }
  std::unique_ptr<Kannel> k(new Kannel(std::move(options)));
  std::set<int> ports;
  while (ports.size() < 4) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    ports.insert(*port);
  }
  auto it = ports.begin();
  k->admin_port_ = *it++;
  k->smsbox_port_ = *it++;
  k->smsc_port_ = *it++;
  k->sendsms_port_ = *it++;
  k->admin_password_ = absl::StrCat("admin-", getpid(), "-", k->admin_port_);
  if (absl::Status s = k->WriteConfig(); !s.ok()) return s;
  if (absl::Status s = k->OpenFakeSmscPipe(); !s.ok()) return s;
  k->reader_ = std::thread([raw = k.get()] { raw->ReadFakeSmscLines(); });
  if (absl::Status s = k->StartGateway(); !s.ok()) return s;
  return k;
}

Kannel::~Kannel() {
  StopGateway();
  if (reader_.joinable()) {
    SyncReader(kStopMarker);  // the reader returns after it
    reader_.join();
  }
  if (fifo_fd_ >= 0) close(fifo_fd_);
}

std::string Kannel::sendsms_url() const {
  return absl::StrCat("http://127.0.0.1:", sendsms_port_, "/cgi-bin/sendsms");
}

absl::Status Kannel::WriteConfig() {
  const std::string& d = options_.dir;
  config_ = d + "/kannel.conf";
  return file::WriteFileAtomically(
      config_, absl::StrFormat(
                   R"(group = core
admin-port = %d
admin-interface = 127.0.0.1
admin-password = %s
status-password = %s
admin-allow-ip = "127.0.0.1"
smsbox-port = %d
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "%s/bearerbox.log"
log-level = %d
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = %d
our-host = 127.0.0.1
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = %d
sendsms-port = %d
sendsms-interface = 127.0.0.1
log-file = "%s/smsbox.log"
log-level = %d
http-request-retry = %d
http-queue-delay = %d

group = sendsms-user
username = %s
password = %s
max-messages = 1
concatenation = false
)",
                   admin_port_, admin_password_, admin_password_, smsbox_port_,
                   d, options_.log_level, smsc_port_, smsbox_port_,
                   sendsms_port_, d, options_.log_level, options_.dlr_retries,
                   options_.dlr_retry_delay_seconds, username(), password()));
}

absl::Status Kannel::OpenFakeSmscPipe() {
  fifo_ = options_.dir + "/fakesmsc.fifo";
  unlink(fifo_.c_str());
  if (mkfifo(fifo_.c_str(), 0600) != 0) {
    return absl::InternalError(
        absl::StrCat("mkfifo ", fifo_, ": ", std::strerror(errno)));
  }
  // Read and write end in one: the FIFO never reports end-of-file between
  // two fakesmsc processes, and the fixture can write its markers into it.
  fifo_fd_ = open(fifo_.c_str(), O_RDWR | O_CLOEXEC);
  if (fifo_fd_ < 0) {
    return absl::InternalError(
        absl::StrCat("open ", fifo_, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

void Kannel::ReadFakeSmscLines() {
  std::ofstream log(options_.dir + "/fakesmsc.log", std::ios::app);
  std::string pending;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fifo_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    const absl::Time now = absl::Now();
    pending.append(buf, n);
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      std::string line = pending.substr(start, nl - start);
      if (absl::StartsWith(line, kMarker)) {
        std::string marker = line.substr(std::strlen(kMarker));
        absl::MutexLock lock(&mu_);
        last_marker_ = marker;
        if (marker == kStopMarker) return;
        continue;
      }
      log << absl::FormatTime("%H:%M:%E3S ", now, absl::LocalTimeZone()) << line
          << '\n';
      log.flush();
      const size_t at = line.find(kGotMessage);
      const size_t open = line.find('<', at);
      const size_t close = line.rfind('>');
      if (at == std::string::npos || open == std::string::npos ||
          close == std::string::npos || close < open) {
        continue;
      }
      auto message = ParseFakeSmscLine(line.substr(open + 1, close - open - 1));
      if (!message.ok()) {
        log << "fixture: " << message.status() << '\n';
        continue;
      }
      message->received_at = now;
      absl::MutexLock lock(&mu_);
      received_.push_back(*std::move(message));
    }
    pending.erase(0, start);
  }
}

void Kannel::SyncReader(const std::string& marker) {
  // Only called when no fakesmsc runs: nothing else writes into the FIFO,
  // so the marker line cannot interleave with one of fakesmsc's.
  const std::string line = absl::StrCat(kMarker, marker, "\n");
  if (write(fifo_fd_, line.data(), line.size()) !=
      static_cast<ssize_t>(line.size())) {
    return;
  }
  absl::MutexLock lock(&mu_);
  auto seen = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return last_marker_ == marker;
  };
  mu_.AwaitWithTimeout(absl::Condition(&seen), absl::Seconds(5));
}

absl::StatusOr<std::string> Kannel::AdminStatus() const {
  auto reply =
      LocalGet(admin_port_, "/cgi-bin/status.txt?password=" + admin_password_,
               absl::Seconds(2));
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("bearerbox status answered ", reply->status));
  }
  return reply->body;
}

absl::Status Kannel::WaitForStatus(const std::string& needle, Process* process,
                                   const std::string& log,
                                   absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last;
  while (absl::Now() < deadline) {
    auto status = AdminStatus();
    if (status.ok() && absl::StrContains(*status, needle)) {
      return absl::OkStatus();
    }
    last = status.ok() ? *status : std::string(status.status().message());
    if (!process->Running()) {
      return absl::UnavailableError(
          absl::StrCat("Kannel: a process exited before bearerbox showed \"",
                       needle, "\"; ", log, ":\n", Tail(log)));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("Kannel: bearerbox status never showed \"", needle,
                   "\"; last:\n", last, "\n", log, ":\n", Tail(log)));
}

absl::Status Kannel::LaunchGateway() {
  const std::string& d = options_.dir;
  {
    absl::MutexLock lock(&mu_);
    received_at_launch_ = received_.size();
  }
  auto bearerbox =
      Process::Start({options_.bearerbox, config_}, {}, d + "/bearerbox.out");
  if (!bearerbox.ok()) return bearerbox.status();
  bearerbox_ = *std::move(bearerbox);
  // The admin port answers once bearerbox has read its config and started
  // the fake SMSC's listener.
  if (absl::Status s = WaitForStatus("SMSC connections", bearerbox_.get(),
                                     d + "/bearerbox.out", kStartTimeout);
      !s.ok()) {
    return s;
  }
  // fakesmsc panics if the SMSC port does not accept yet: try again.
  const std::string online = absl::StrCat("FAKE:", smsc_port_, " (online");
  absl::Status smsc = absl::UnavailableError("fakesmsc not started");
  for (int attempt = 0; attempt < 20 && !smsc.ok(); ++attempt) {
    auto fake =
        Process::Start({options_.fakesmsc, "-H", "127.0.0.1", "-r",
                        absl::StrCat(smsc_port_), "-m", "0", "1 2 text unused"},
                       {}, fifo_);
    if (!fake.ok()) return fake.status();
    fakesmsc_ = *std::move(fake);
    smsc = WaitForStatus(online, fakesmsc_.get(), d + "/fakesmsc.log",
                         absl::Seconds(5));
    if (!smsc.ok()) {
      fakesmsc_->Signal(SIGKILL, /*wait=*/true);
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  if (!smsc.ok()) return smsc;
  if (absl::Status s = LaunchSmsbox(); !s.ok()) return s;
  {
    absl::MutexLock lock(&keeper_mu_);
    keeper_stop_ = false;
  }
  keeper_ = std::thread([this] { KeepSmsbox(); });
  return absl::OkStatus();
}

absl::Status Kannel::LaunchSmsbox() {
  const std::string& d = options_.dir;
  auto smsbox =
      Process::Start({options_.smsbox, config_}, {}, d + "/smsbox.out");
  if (!smsbox.ok()) return smsbox.status();
  smsbox_ = *std::move(smsbox);
  {
    absl::MutexLock lock(&keeper_mu_);
    smsbox_pid_ = smsbox_->pid();
  }
  if (absl::Status s =
          WaitForStatus("smsbox:(none), IP 127.0.0.1", smsbox_.get(),
                        d + "/smsbox.out", kStartTimeout);
      !s.ok()) {
    return s;
  }
  // sendsms answers (403 without credentials) once smsbox serves HTTP.
  const absl::Time deadline = absl::Now() + kStartTimeout;
  for (;;) {
    auto reply = LocalGet(sendsms_port_, "/cgi-bin/sendsms", absl::Seconds(2));
    if (reply.ok()) return absl::OkStatus();
    if (absl::Now() > deadline || !smsbox_->Running()) {
      return absl::UnavailableError(absl::StrCat(
          "Kannel: sendsms does not answer: ", reply.status().message(),
          "; smsbox log:\n", Tail(d + "/smsbox.log")));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

void Kannel::KeepSmsbox() {
  absl::MutexLock lock(&keeper_mu_);
  while (!keeper_mu_.AwaitWithTimeout(absl::Condition(&keeper_stop_),
                                      absl::Milliseconds(100))) {
    if (smsbox_ == nullptr || smsbox_->Running()) continue;
    smsbox_exits_.push_back(absl::Now());
    std::cerr << "Kannel fixture: smsbox exited (see " << options_.dir
              << "/smsbox.log); starting it again, as the deployment's "
              << "restart policy does (restart " << smsbox_exits_.size()
              << ")" << std::endl;
    keeper_mu_.Unlock();
    smsbox_.reset();
    absl::Status s = LaunchSmsbox();
    keeper_mu_.Lock();
    if (!s.ok()) std::cerr << "Kannel fixture: smsbox: " << s << std::endl;
  }
}

void Kannel::StopKeeper() {
  if (!keeper_.joinable()) return;
  {
    absl::MutexLock lock(&keeper_mu_);
    keeper_stop_ = true;
  }
  keeper_.join();
}

pid_t Kannel::smsbox_pid() const {
  absl::MutexLock lock(&keeper_mu_);
  return smsbox_pid_;
}

std::vector<absl::Time> Kannel::SmsboxExits() const {
  absl::MutexLock lock(&keeper_mu_);
  return smsbox_exits_;
}

absl::Status Kannel::StartGateway() {
  if (bearerbox_ != nullptr) return absl::OkStatus();
  absl::Status s = LaunchGateway();
  if (!s.ok()) StopGateway();
  return s;
}

void Kannel::StopGateway() {
  StopKeeper();
  if (smsbox_ != nullptr) smsbox_->Signal(SIGKILL, /*wait=*/true);
  if (bearerbox_ != nullptr) bearerbox_->Signal(SIGKILL, /*wait=*/true);
  if (fakesmsc_ != nullptr) {
    // Its connection is closed: it prints what it still has, then exits.
    const absl::Time deadline = absl::Now() + absl::Seconds(2);
    while (fakesmsc_->Running() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    fakesmsc_->Signal(SIGKILL, /*wait=*/true);
    SyncReader(absl::StrCat("sync-", ++sync_count_));
  }
  smsbox_.reset();
  bearerbox_.reset();
  fakesmsc_.reset();
  absl::MutexLock lock(&keeper_mu_);
  smsbox_pid_ = 0;
}

std::vector<FakeSmscMessage> Kannel::Received() const {
  absl::MutexLock lock(&mu_);
  return received_;
}

absl::Status Kannel::AwaitDrained(absl::Duration timeout) const {
  if (bearerbox_ == nullptr) {
    return absl::FailedPreconditionError("Kannel: the gateway is down");
  }
  // "SMS: received 0 (0 queued), sent 3 (0 queued), store size 0"
  static const std::regex kSms(
      R"(SMS: received \d+ \(\d+ queued\), sent (\d+) \((\d+) queued\))");
  const absl::Time deadline = absl::Now() + timeout;
  std::string last;
  while (true) {
    absl::StatusOr<std::string> status = AdminStatus();
    last = status.ok() ? *status : std::string(status.status().message());
    std::smatch m;
    if (status.ok() && std::regex_search(*status, m, kSms) &&
        std::stoll(m[2].str()) == 0) {
      const size_t sent = static_cast<size_t>(std::stoll(m[1].str()));
      absl::MutexLock lock(&mu_);
      auto arrived = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return received_.size() >= received_at_launch_ + sent;
      };
      if (mu_.AwaitWithTimeout(absl::Condition(&arrived),
                               absl::Milliseconds(50))) {
        return absl::OkStatus();
      }
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "Kannel: still sending after ", absl::FormatDuration(timeout),
          "; bearerbox status:\n", last));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::StatusOr<std::vector<FakeSmscMessage>> Kannel::WaitForReceived(
    size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return received_.size() >= n;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&enough), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("fake SMSC received ", received_.size(), " of ", n,
                     " messages within ", absl::FormatDuration(timeout)));
  }
  return received_;
}

absl::StatusOr<std::string> Kannel::SendSmsTarget(
    const SendSmsRequest& request) const {
  if (request.to.empty()) {
    return absl::InvalidArgumentError("SendSmsRequest::to is empty");
  }
  auto units = sms::Utf8ToUtf16(request.text);
  if (!units.ok()) return units.status();
  std::string target = absl::StrCat(
      "/cgi-bin/sendsms?username=", admin::UrlEncode(username()),
      "&password=", admin::UrlEncode(password()),
      "&from=", admin::UrlEncode(request.from),
      "&to=", admin::UrlEncode(request.to),
      "&text=", admin::UrlEncode(sms::ToUcs2BigEndianBytes(*units)),
      "&coding=2&charset=UTF-16BE");
  if (!request.udh.empty()) {
    absl::StrAppend(&target, "&udh=", admin::UrlEncode(request.udh));
  }
  if (request.dlr_mask != 0) {
    absl::StrAppend(&target, "&dlr-mask=", request.dlr_mask);
  }
  if (!request.dlr_url.empty()) {
    absl::StrAppend(&target, "&dlr-url=", admin::UrlEncode(request.dlr_url));
  }
  return target;
}

absl::StatusOr<admin::HttpClientResponse> Kannel::SendSms(
    const SendSmsRequest& request, absl::Duration timeout) const {
  auto target = SendSmsTarget(request);
  if (!target.ok()) return target.status();
  return LocalGet(sendsms_port_, *target, timeout);
}

}  // namespace caserelay::testing
