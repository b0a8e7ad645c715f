#include "tests/integration/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/file/file.h"
#include "common/rpc/credentials.h"
#include "common/rpc/token_auth.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::testing {
namespace {

std::string Tail(const std::string& path, size_t bytes = 2000) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string all = s.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

}  // namespace

CommandResult RunCommand(const std::string& command) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  int status = p ? pclose(p) : -1;
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string Binary(const std::string& relative) {
  return absl::StrCat(CASERELAY_BINARY_DIR, "/", relative);
}

absl::StatusOr<std::unique_ptr<Process>> Process::Start(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env, const std::string& log) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    // Signals blocked by the test (none by default) must not leak in.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  return std::unique_ptr<Process>(new Process(pid, log));
}

Process::~Process() {
  if (!reaped_) Signal(SIGKILL, /*wait=*/true);
}

int Process::Signal(int sig, bool wait) {
  if (reaped_) return status_;
  kill(pid_, sig);
  if (wait) {
    waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  return status_;
}

bool Process::Running() {
  if (reaped_) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) {
    reaped_ = true;
    return false;
  }
  return true;
}

absl::StatusOr<std::string> WaitForKey(const std::string& path,
                                       const std::string& key,
                                       absl::Duration timeout,
                                       Process* process) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    auto value = file::ReadKeyValue(path, key);
    if (value.ok()) return value;
    if (process != nullptr && !process->Running()) {
      return absl::UnavailableError(
          absl::StrCat("process exited before writing ", path, "; log:\n",
                       Tail(process->log())));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("no ", key, "= in ", path,
                   process ? "; log:\n" + Tail(process->log()) : ""));
}

namespace {

// Secrets (tokens) go in files only their owner may read.
absl::Status WriteOwnerOnly(const std::string& path, const std::string& text) {
  absl::Status s = file::WriteFileAtomically(path, text);
  if (!s.ok()) return s;
  if (chmod(path.c_str(), 0600) != 0) {
    return absl::InternalError(absl::StrCat("chmod ", path));
  }
  return absl::OkStatus();
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      absl::StrCat(base && *base ? base : "/tmp", "/caserelay-XXXXXX");
  char* made = mkdtemp(tmpl.data());
  path_ = made ? made : "";
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

absl::StatusOr<std::unique_ptr<System>> System::Start(SystemOptions options) {
  std::unique_ptr<System> sys(new System());
  if (sys->dir().empty()) return absl::InternalError("mkdtemp failed");
  options.offices.push_back(kProvinceBureau);
  if (absl::Status st = sys->WriteTokens(options.offices); !st.ok()) return st;
  if (options.simulated_start.has_value()) {
    auto clock = time::FileClock::Create(sys->dir() + "/clock",
                                         *options.simulated_start);
    if (!clock.ok()) return clock.status();
    sys->clock_ = *std::move(clock);
  }
  std::string info = sys->dir() + "/devbroker.info";
  auto broker = Process::Start({Binary("tools/devbroker/devbroker"),
                                "--brokers", "1", "--info-file", info},
                               {}, sys->dir() + "/devbroker.log");
  if (!broker.ok()) return broker.status();
  sys->broker_ = *std::move(broker);
  auto bootstrap =
      WaitForKey(info, "bootstrap", absl::Seconds(20), sys->broker_.get());
  if (!bootstrap.ok()) return bootstrap.status();
  sys->bootstrap_ = *bootstrap;
  // intake first (notification needs its address), then the rest at
  // once: each waits a few seconds for its consumer group.
  if (absl::Status st = sys->StartService("intake"); !st.ok()) return st;
  for (const char* s : {"routing", "supervision", "notification"}) {
    if (absl::Status st = sys->LaunchService(s); !st.ok()) return st;
  }
  for (const char* s : {"routing", "supervision", "notification"}) {
    if (absl::Status st = sys->AwaitService(s); !st.ok()) return st;
  }
  return sys;
}

System::~System() {
  // Services first (SIGTERM, so they stop as in production), then broker.
  for (auto& [name, p] : services_) {
    if (p) p->Signal(SIGTERM, /*wait=*/false);
  }
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  for (auto& [name, p] : services_) {
    while (p && p->Running() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  services_.clear();  // reaps (SIGKILL only if still running)
  broker_.reset();
}

absl::Status System::LaunchService(const std::string& service) {
  std::string endpoints = absl::StrCat(dir(), "/", service, ".endpoints");
  std::remove(endpoints.c_str());
  std::string conf = absl::StrCat(dir(), "/", service, ".conf");
  {
    std::ofstream out(conf);
    out << "grpc.listen = 127.0.0.1:0\n"
        << "admin.listen = 127.0.0.1:0\n"
        << "store.path = " << dir() << "/data-" << service << "\n"
        << "store.sync = false\n"
        << "kafka.bootstrap = " << bootstrap_ << "\n"
        << "kafka.group = " << service << "-" << getpid() << "\n"
        << "endpoints.file = " << endpoints << "\n";
    if (clock_ != nullptr) out << "clock.file = " << clock_->path() << "\n";
    const std::string src = CASERELAY_SOURCE_DIR;
    if (service == "intake" || service == "routing") {
      out << "regions.path = " << src << "/data/regions/regions.tsv\n";
    }
    if (service == "routing") {
      out << "offices.dir = " << src << "/data/offices\n"
          << "routes.path = " << src << "/data/routing/statutory_routes.tsv\n"
          << "calendar.dir = " << src << "/data/holidays\n"
          << "auth.mode = token\n"
          << "auth.tokens_path = " << dir() << "/tokens\n";
    }
    if (service == "intake") out << "lookup.secret = integration-test-secret\n";
    if (service == "notification") {
      out << "templates.dir = " << src << "/data/sms/templates\n"
          << "notification.gateway = dev-file\n"
          << "dev.sink_path = " << sms_sink() << "\n"
          << "intake.address = " << addresses_.at("intake") << "\n";
    }
  }
  // The repository's data for any service that has these settings (a
  // service ignores CASERELAY_* variables that match none of its own).
  const std::string src = CASERELAY_SOURCE_DIR;
  const std::map<std::string, std::string> env = {
      {"CASERELAY_REGIONS_PATH", src + "/data/regions/regions.tsv"},
      {"CASERELAY_OFFICES_DIR", src + "/data/offices"},
      {"CASERELAY_CALENDAR_DIR", src + "/data/holidays"},
  };
  auto p =
      Process::Start({Binary(absl::StrCat("services/", service, "/", service)),
                      "--config", conf},
                     env, absl::StrCat(dir(), "/", service, ".log"));
  if (!p.ok()) return p.status();
  services_[service] = *std::move(p);
  return absl::OkStatus();
}

absl::Status System::AwaitService(const std::string& service) {
  std::string endpoints = absl::StrCat(dir(), "/", service, ".endpoints");
  auto grpc_addr = WaitForKey(endpoints, "grpc", absl::Seconds(30),
                              services_[service].get());
  if (!grpc_addr.ok()) return grpc_addr.status();
  addresses_[service] = *grpc_addr;
  auto admin_addr = WaitForKey(endpoints, "admin", absl::Seconds(5),
                               services_[service].get());
  if (!admin_addr.ok()) return admin_addr.status();
  admin_addresses_[service] = *admin_addr;
  auto channel =
      grpc::CreateChannel(*grpc_addr, grpc::InsecureChannelCredentials());
  if (service == "intake")
    intake_ = caserelay::v1::IntakeService::NewStub(channel);
  if (service == "routing") {
    routing_as_.clear();  // a restarted routing has a new address
  }
  if (service == "supervision") {
    supervision_ = caserelay::v1::SupervisionService::NewStub(channel);
  }
  if (service == "notification") {
    notification_ = caserelay::v1::NotificationService::NewStub(channel);
  }
  return absl::OkStatus();
}

void System::Kill(const std::string& service, int sig) {
  services_.at(service)->Signal(sig, /*wait=*/true);
}

absl::Status System::Restart(const std::string& service) {
  return StartService(service);
}

std::string System::grpc_address(const std::string& service) const {
  return addresses_.at(service);
}

time::FileClock& System::clock() {
  if (clock_ == nullptr) {
    std::fprintf(stderr,
                 "harness: clock() needs SystemOptions::simulated_start\n");
    std::abort();  // a broken test, not a failing system
  }
  return *clock_;
}

std::string System::admin_address(const std::string& service) const {
  return admin_addresses_.at(service);
}

absl::StatusOr<int> System::Healthz(const std::string& service) const {
  const std::string address = admin_address(service);
  const size_t colon = address.rfind(':');
  int port = 0;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      inet_pton(AF_INET, address.substr(0, colon).c_str(), &to.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("admin address ", address));
  }
  to.sin_port = htons(static_cast<uint16_t>(port));
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError("socket");
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[512];
      ssize_t n;
      while ((n = recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, n);
    }
  }
  close(fd);
  // "HTTP/1.1 200 OK"
  int code = 0;
  if (reply.rfind("HTTP/1.", 0) != 0 || reply.size() < 12 ||
      !absl::SimpleAtoi(reply.substr(9, 3), &code)) {
    return absl::UnavailableError(
        absl::StrCat(service, " /healthz at ", address, ": no HTTP answer"));
  }
  return code;
}

caserelay::v1::IntakeService::Stub& System::intake() { return *intake_; }
caserelay::v1::RoutingService::Stub& System::routing() {
  return routing_as(kProvinceBureau);
}

caserelay::v1::RoutingService::Stub& System::routing_as(
    const std::string& office) {
  auto& stub = routing_as_[office];
  if (stub == nullptr) {
    rpc::ClientAuth auth;
    auth.target = addresses_.at("routing");
    auth.token = tokens_.at(office);
    auto channel = rpc::OfficeChannel(auth);
    if (!channel.ok()) {
      std::fprintf(stderr, "harness: %s\n",
                   channel.status().ToString().c_str());
      std::abort();  // a broken harness, not a test failure
    }
    stub = caserelay::v1::RoutingService::NewStub(*channel);
  }
  return *stub;
}

std::string System::token_file(const std::string& office) const {
  return absl::StrCat(dir(), "/token-", office.substr(0, office.find(':')), "-",
                      office.substr(office.find(':') + 1));
}

absl::Status System::WriteTokens(std::vector<std::string> offices) {
  std::string lines;
  for (const auto& office : offices) {
    if (tokens_.count(office)) continue;
    std::string token = rpc::NewToken();
    tokens_[office] = token;
    absl::StrAppend(&lines, office, " ", rpc::TokenHash(token), "\n");
    absl::Status s = WriteOwnerOnly(token_file(office), token + "\n");
    if (!s.ok()) return s;
  }
  return WriteOwnerOnly(dir() + "/tokens", lines);
}
caserelay::v1::SupervisionService::Stub& System::supervision() {
  return *supervision_;
}
caserelay::v1::NotificationService::Stub& System::notification() {
  return *notification_;
}

caserelay::v1::SubmitPetitionRequest SamplePetition(
    const std::string& region_code, int n) {
  caserelay::v1::SubmitPetitionRequest req;
  auto* p = req.mutable_petitioner();
  p->set_name(absl::StrCat("测试人", n));
  p->set_address(absl::StrCat("山西省测试路", n, "号"));
  p->set_phone(absl::StrCat("1380000", 1000 + n % 9000));
  // No ID number: the petitioner is told apart by name and mobile number,
  // both numbered, so samples are different petitioners (see intake's
  // identity key). Tests of one petitioner's repeats set one.
  auto* m = req.mutable_matter();
  m->set_region_code(region_code);
  m->set_category("labour");
  m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  m->set_channel(caserelay::v1::CHANNEL_ONLINE);
  m->set_title("拖欠工资");
  m->set_text(
      absl::StrCat("第", n, "件：工地拖欠农民工工资三个月，请求督促支付。"));
  req.set_request_id(absl::StrCat("it-", getpid(), "-", n));
  return req;
}

}  // namespace caserelay::testing
