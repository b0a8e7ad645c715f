// The harness's processes and files (harness.h): free loopback ports,
// config files, scaled waits, shell commands, child processes with their
// logs and sanitizer reports, key files, temporary directories. Split
// from harness.cc, which keeps System.

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

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/file/file.h"
#include "common/rpc/credentials.h"
#include "common/rpc/principal.h"
#include "common/rpc/token_auth.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/harness_config.h"

namespace caserelay::testing {
namespace {

std::string Tail(const std::string& path, size_t bytes = 2000) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string all = s.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

// A sanitizer build (CASERELAY_SANITIZE): children's logs are checked for
// sanitizer reports (Process, RunCommand). gcc defines
// __SANITIZE_ADDRESS__ under -fsanitize=address, which that build always
// has.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

// The size of file `path`; 0 if it does not exist.
long FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<long>(st.st_size) : 0;
}

// The sanitizers' reports in `text`: ASan's and LeakSanitizer's end with
// a line "SUMMARY: AddressSanitizer: ..."; UBSan's start with a line
// "FILE:LINE:COL: runtime error: ..." (its SUMMARY line comes only with
// print_stacktrace). The text around the first such line (6000 bytes each
// side at most), or "" if there is none.
std::string SanitizerReport(const std::string& text) {
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t end = std::min(text.find('\n', begin), text.size());
    const absl::string_view line(text.data() + begin, end - begin);
    if ((absl::StartsWith(line, "SUMMARY: ") &&
         absl::StrContains(line, "Sanitizer")) ||
        absl::StrContains(line, ": runtime error: ")) {
      const size_t from = begin > 6000 ? begin - 6000 : 0;
      return text.substr(from, std::min(end + 6000, text.size()) - from);
    }
    begin = end + 1;
  }
  return "";
}

}  // namespace

namespace {

// Whether `port` on 127.0.0.1 can be bound now (0: any; then the port got).
int BindLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t length = sizeof address;
  int got = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    got = ntohs(address.sin_port);
  }
  close(fd);
  return got;
}

// The first port of the kernel's ephemeral range (what bind to port 0
// hands out), 32768 when it cannot be read.
int EphemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0, high = 0;
  if (in >> low >> high && low > 0) return low;
  return 32768;
}

}  // namespace

absl::StatusOr<int> FreeLoopbackPort() {
  // A port chosen here is bound later by another process. Taken from the
  // ephemeral range, it could meanwhile be handed to any process binding
  // port 0 — every service of every test running beside this one does —
  // and the service then fails "Address already in use" (seen once in a
  // full -j2 run). Below the range only another FreeLoopbackPort can pick
  // it, at random among thousands.
  const int low = EphemeralLow();
  constexpr int kFloor = 10000;
  if (low - kFloor >= 1000) {
    std::mt19937 random{std::random_device{}()};
    std::uniform_int_distribution<int> pick(kFloor, low - 1);
    for (int attempt = 0; attempt < 50; ++attempt) {
      const int port = pick(random);
      if (BindLoopback(port) == port) return port;
    }
  }
  const int port = BindLoopback(0);
  if (port <= 0) return absl::UnavailableError("no free port on 127.0.0.1");
  return port;
}

void WriteConfig(const std::string& path, ConfigLines lines,
                 const std::map<std::string, std::string>& settings) {
  for (const auto& [key, value] : settings) {
    auto same = std::find_if(lines.begin(), lines.end(),
                             [&](const auto& l) { return l.first == key; });
    if (same != lines.end()) {
      same->second = value;
    } else {
      lines.push_back({key, value});
    }
  }
  std::ofstream out(path);
  for (const auto& [key, value] : lines) out << key << " = " << value << "\n";
}

absl::Status AwaitPortFree(const std::string& address) {
  std::vector<std::string> parts = absl::StrSplit(address, ':');
  int port = 0;
  if (parts.size() != 2 || parts[0] != "127.0.0.1" ||
      !absl::SimpleAtoi(parts[1], &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a 127.0.0.1:port address: ", address));
  }
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(static_cast<uint16_t>(port));
  const absl::Time deadline = absl::Now() + Scaled(absl::Seconds(2));
  while (true) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return absl::UnavailableError("socket() to check a port");
    int one = 1;
    // As the services' servers bind: connections of the stopped process
    // left in TIME_WAIT do not hold the port.
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const bool bound =
        bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    const int error = errno;
    close(fd);
    if (bound) return absl::OkStatus();
    if (error != EADDRINUSE || absl::Now() >= deadline) {
      return absl::FailedPreconditionError(
          absl::StrCat(address, " cannot be bound again (", strerror(error),
                       "): another process took the port"));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

absl::Duration Scaled(absl::Duration d) {
  static const double scale = [] {
    const char* v = std::getenv("CASERELAY_TEST_TIME_SCALE");
    double x = 1;
    return v != nullptr && absl::SimpleAtod(v, &x) && x >= 1 ? x : 1.0;
  }();
  return d * scale;
}

CommandResult RunCommand(const std::string& command) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  int status = p ? pclose(p) : -1;
  if (kSanitizerBuild) {
    if (const std::string report = SanitizerReport(out); !report.empty()) {
      ADD_FAILURE() << command << " wrote a sanitizer report:\n" << report;
    }
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string Binary(const std::string& relative) {
  return absl::StrCat(CASERELAY_BINARY_DIR, "/", relative);
}

absl::StatusOr<std::unique_ptr<Process>> Process::Start(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env, const std::string& log) {
  const long log_start = FileSize(log);
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
  return std::unique_ptr<Process>(new Process(pid, log, argv[0], log_start));
}

void Process::Reaped() {
  reaped_ = true;
  // Only a regular file: a child may write to a pipe (Kannel's fakesmsc),
  // which the test reads itself and where reading would block.
  struct stat st;
  if (!kSanitizerBuild || stat(log_.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode)) {
    return;
  }
  std::ifstream in(log_, std::ios::binary);
  in.seekg(log_start_);
  std::stringstream s;
  s << in.rdbuf();
  const std::string report = SanitizerReport(s.str());
  if (!report.empty()) {
    ADD_FAILURE() << name_ << " (pid " << pid_
                  << ") wrote a sanitizer report to " << log_ << ":\n"
                  << report;
  }
}

Process::~Process() {
  if (!reaped_) Signal(SIGKILL, /*wait=*/true);
}

int Process::Signal(int sig, bool wait) {
  if (reaped_) return status_;
  kill(pid_, sig);
  if (wait) {
    waitpid(pid_, &status_, 0);
    Reaped();
  }
  return status_;
}

bool Process::Running() {
  if (reaped_) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) {
    Reaped();
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

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      absl::StrCat(base && *base ? base : "/tmp", "/caserelay-XXXXXX");
  char* made = mkdtemp(tmpl.data());
  path_ = made ? made : "";
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  // For a post-mortem: the logs and stores of a run stay where they were.
  if (const char* keep = std::getenv("CASERELAY_TEST_KEEP"); keep && *keep) {
    std::cerr << "CASERELAY_TEST_KEEP: left " << path_ << std::endl;
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace caserelay::testing
