// system_up: the real system for the browser tests (tests/browser, issue 15
// "Must show"), started from Python. It starts Kannel with its fake SMSC
// (tests/integration/kannel.h) and, through the integration harness
// (tests/integration/harness.h), devbroker, the four services with
// notification sending through that Kannel, and the web gateway, each on
// free loopback ports in one temp directory; then it writes a JSON file
// describing them (--out) and prints "ready" on stdout.
//
// While it runs:
//   - every message the fake SMSC receives is appended to `sms_log` in the
//     JSON (one JSON object a line: to, text, concat_ref, concat_index,
//     concat_total), so a test reads the SMS code the phone would show;
//   - it obeys lines on stdin, answering each on stdout with "ok" or
//     "error: <why>":
//       advance SECONDS  (with --simulated-start) moves the simulated
//                        clock of every process forward (the windows that
//                        pass: 复查 after 30 days);
//       kill SERVICE     SIGKILLs one of the four services (the portal
//                        while a service is down);
//       restart SERVICE  starts it again on its store and its addresses
//                        (System::Restart), once it is ready.
// It stops everything (every process killed and reaped, the temp directory
// removed) and exits 0 on stdin EOF, SIGTERM or SIGINT; if it is killed
// itself, its children die with it (PR_SET_PDEATHSIG, testing::Process).
//
// Usage: system_up --out FILE [--office PRINCIPAL]... [--simulated-start
//        UNIX_SECONDS] [--accounts]
// (--accounts: also accounts, the console's staff directory, and the
// gateway's console; its gRPC address is grpc.accounts in the JSON.)
//
// Exit codes: 0 after a clean stop, 2 for bad arguments, 1 if the system
// does not start (the reason on stderr).

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tests/integration/harness.h"
#include "tests/integration/kannel.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

int stop_pipe[2] = {-1, -1};

void OnStopSignal(int) {
  const char c = 's';
  [[maybe_unused]] ssize_t n = write(stop_pipe[1], &c, 1);
}

std::string Json(const Struct& s) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // A Struct always converts; an error here is a broken invariant.
  if (!google::protobuf::util::MessageToJsonString(s, &out, options).ok()) {
    std::fprintf(stderr, "system_up: cannot write JSON\n");
    std::abort();
  }
  return out;
}

void Put(Struct& s, const std::string& key, const std::string& value) {
  (*s.mutable_fields())[key].set_string_value(value);
}

// Appends every message the fake SMSC received to `path` until `stop`.
void ForwardSms(const Kannel& kannel, const std::string& path,
                const std::atomic<bool>& stop) {
  size_t written = 0;
  std::ofstream out(path, std::ios::app);
  while (!stop.load()) {
    std::vector<FakeSmscMessage> received = kannel.Received();
    for (; written < received.size(); ++written) {
      const FakeSmscMessage& m = received[written];
      Struct line;
      Put(line, "to", m.to);
      Put(line, "text", m.text);
      (*line.mutable_fields())["concat_ref"].set_number_value(m.concat_ref);
      (*line.mutable_fields())["concat_index"].set_number_value(m.concat_index);
      (*line.mutable_fields())["concat_total"].set_number_value(m.concat_total);
      out << Json(line) << "\n";
    }
    out.flush();
    absl::SleepFor(absl::Milliseconds(50));
  }
}

// The JSON the tests read: where everything is.
Struct Describe(System& sys, const std::vector<std::string>& principals,
                const std::string& sms_log, bool accounts) {
  Struct d;
  Put(d, "dir", sys.dir());
  Put(d, "sms_log", sms_log);
  Put(d, "casectl", Binary("tools/casectl/casectl"));
  Put(d, "web_url", sys.web_url());
  Put(d, "web_admin", sys.admin_address("web"));
  Struct grpc;
  for (const char* service : System::kServices) {
    Put(grpc, service, sys.grpc_address(service));
  }
  if (accounts) Put(grpc, "accounts", sys.grpc_address("accounts"));
  *(*d.mutable_fields())["grpc"].mutable_struct_value() = grpc;
  Struct tokens;
  for (const std::string& p : principals) Put(tokens, p, sys.token_file(p));
  *(*d.mutable_fields())["token_files"].mutable_struct_value() = tokens;
  (*d.mutable_fields())["simulated"].set_bool_value(sys.simulated());
  return d;
}

bool IsService(const std::string& name) {
  for (const char* service : System::kServices) {
    if (name == service) return true;
  }
  return false;
}

// One stdin command; its answer: "ok" or "error: <why>".
std::string Command(System& sys, const std::string& line) {
  absl::string_view arg = line;
  double seconds;
  if (absl::ConsumePrefix(&arg, "advance ")) {
    if (!sys.simulated()) return "error: no simulated clock";
    if (!absl::SimpleAtod(arg, &seconds) || seconds < 0) {
      return "error: advance needs seconds >= 0";
    }
    sys.clock().Advance(absl::Seconds(seconds));
    return "ok";
  }
  if (absl::ConsumePrefix(&arg, "kill ") && IsService(std::string(arg))) {
    sys.Kill(std::string(arg), SIGKILL);
    return "ok";
  }
  if (absl::ConsumePrefix(&arg, "restart ") && IsService(std::string(arg))) {
    absl::Status s = sys.Restart(std::string(arg));
    return s.ok() ? "ok" : absl::StrCat("error: ", s.ToString());
  }
  return "error: unknown command";
}

int Usage() {
  std::fprintf(stderr,
               "usage: system_up --out FILE [--office PRINCIPAL]... "
               "[--simulated-start UNIX_SECONDS] [--accounts]\n");
  return 2;
}

int Run(int argc, char** argv) {
  std::string out_path;
  SystemOptions options;
  options.web = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help") {
      std::printf(
          "system_up: starts Kannel, devbroker, the four services and the "
          "web gateway for the browser tests, writes where they are to "
          "--out as JSON, prints \"ready\", and stops them all on stdin "
          "EOF, SIGTERM or SIGINT. Stdin lines: \"advance SECONDS\" (with "
          "--simulated-start) moves the simulated clock, \"kill SERVICE\" "
          "and \"restart SERVICE\" stop and start one service. --accounts "
          "also starts accounts, the console's staff directory (issue 16), "
          "and turns the gateway's console on.\n\n"
          "usage: system_up --out FILE [--office PRINCIPAL]... "
          "[--simulated-start UNIX_SECONDS] [--accounts]\n");
      return 0;
    }
    if (arg == "--accounts") {
      options.accounts = true;
      continue;
    }
    if (i + 1 >= argc) return Usage();
    const std::string value = argv[++i];
    if (arg == "--out") {
      out_path = value;
    } else if (arg == "--office") {
      options.offices.push_back(value);
    } else if (arg == "--simulated-start") {
      int64_t seconds;
      if (!absl::SimpleAtoi(value, &seconds)) return Usage();
      options.simulated_start = absl::FromUnixSeconds(seconds);
    } else {
      return Usage();
    }
  }
  if (out_path.empty()) return Usage();

  if (pipe(stop_pipe) != 0) return 1;
  signal(SIGTERM, OnStopSignal);
  signal(SIGINT, OnStopSignal);
  signal(SIGPIPE, SIG_IGN);

  auto started = StartWithKannel(options);
  if (!started.ok()) {
    std::fprintf(stderr, "system_up: %s\n",
                 started.status().ToString().c_str());
    return 1;
  }
  System& sys = *started->sys;
  std::vector<std::string> principals = options.offices;
  principals.push_back(System::kProvinceBureau);
  const std::string sms_log = sys.dir() + "/sms-received.jsonl";
  std::ofstream(sms_log).flush();
  std::atomic<bool> stop{false};
  std::thread forward(ForwardSms, std::cref(*started->kannel), sms_log,
                      std::cref(stop));

  const std::string tmp = out_path + ".tmp";
  std::ofstream(tmp) << Json(Describe(sys, principals, sms_log, options.accounts)) << "\n";
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    std::fprintf(stderr, "system_up: cannot write %s\n", out_path.c_str());
  } else {
    std::cout << "ready" << std::endl;
    std::string pending;
    for (bool running = true; running;) {
      pollfd fds[2] = {{0, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) continue;  // EINTR: a signal; look again
      if (fds[1].revents != 0) break;
      char buf[256];
      const ssize_t n = read(0, buf, sizeof buf);
      if (n <= 0) break;  // EOF: the test is done (or gone)
      pending.append(buf, n);
      for (size_t eol; (eol = pending.find('\n')) != std::string::npos;) {
        std::string line = pending.substr(0, eol);
        pending.erase(0, eol + 1);
        std::cout << Command(sys, line) << std::endl;
      }
    }
  }
  stop.store(true);
  forward.join();
  started->sys.reset();     // the services and devbroker, reaped
  started->kannel.reset();  // bearerbox, smsbox, fakesmsc, reaped
  std::remove(out_path.c_str());
  return 0;
}

}  // namespace
}  // namespace caserelay::testing

int main(int argc, char** argv) { return caserelay::testing::Run(argc, argv); }
