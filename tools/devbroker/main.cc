// devbroker: the embedded Kafka broker (嵌入式 Kafka 代理) of local runs and
// tests. See README.md and `devbroker --help`.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/file/file.h"
#include "tools/devbroker/broker_listen.h"
#include "tools/devbroker/control_commands.h"
#include "tools/devbroker/control_server.h"
#include "tools/devbroker/flags.h"
#include "tools/devbroker/mock_cluster.h"

namespace caserelay::devbroker {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(const absl::Status& status) {
  std::cerr << "devbroker: " << status.message() << std::endl;
  return kExitFailure;
}

int Run(const Flags& flags) {
  // Block the stop signals before librdkafka starts its threads, so they
  // inherit the mask and the signals arrive only on the signalfd.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) != 0) {
    return Fail(absl::InternalError("cannot block SIGTERM/SIGINT"));
  }
  const int stop_fd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (stop_fd < 0) return Fail(absl::InternalError("cannot create signalfd"));
  signal(SIGPIPE, SIG_IGN);  // a closed stdout must not kill the brokers

  ClusterOptions options{flags.brokers, flags.topics, std::nullopt};
  if (!flags.broker_listen.empty()) {
    absl::StatusOr<sockaddr_in> address =
        ResolveBrokerListen(flags.broker_listen);
    if (!address.ok()) return Fail(address.status());
    options.broker_listen = *address;
  }
  absl::StatusOr<std::unique_ptr<MockCluster>> cluster =
      MockCluster::Create(options);
  if (!cluster.ok()) return Fail(cluster.status());
  ControlCommands commands(cluster->get());
  absl::StatusOr<std::unique_ptr<ControlServer>> server = ControlServer::Create(
      flags.control_host, flags.control_port,
      [&commands](absl::string_view line) { return commands.Execute(line); });
  if (!server.ok()) return Fail(server.status());

  const std::string bootstrap = (*cluster)->bootstrap_servers();
  const std::string info = absl::StrCat(
      "bootstrap=", bootstrap, "\n", "control=", (*server)->address(), "\n",
      "log=", (*cluster)->log_name(), "\n");
  if (!flags.bootstrap_file.empty()) {
    absl::Status s = file::WriteFileAtomically(flags.bootstrap_file,
                                         absl::StrCat(bootstrap, "\n"));
    if (!s.ok()) return Fail(s);
  }
  if (!flags.info_file.empty()) {
    if (absl::Status s = file::WriteFileAtomically(flags.info_file, info); !s.ok()) {
      return Fail(s);
    }
  }
  std::cout << info << std::flush;

  absl::Status served = (*server)->Serve(stop_fd);
  // The addresses die with the cluster: don't leave them for the next reader.
  if (!flags.info_file.empty()) unlink(flags.info_file.c_str());
  if (!flags.bootstrap_file.empty()) unlink(flags.bootstrap_file.c_str());
  server->reset();
  cluster->reset();
  close(stop_fd);
  if (!served.ok()) return Fail(served);
  return 0;
}

}  // namespace
}  // namespace caserelay::devbroker

int main(int argc, char** argv) {
  using caserelay::devbroker::Flags;
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Flags> flags = caserelay::devbroker::ParseFlags(args);
  if (!flags.ok()) {
    std::cerr << "devbroker: " << flags.status().message()
              << " (see devbroker --help)" << std::endl;
    return caserelay::devbroker::kExitUsage;
  }
  if (flags->help) {
    std::cout << caserelay::devbroker::Usage();
    return 0;
  }
  return caserelay::devbroker::Run(*flags);
}
