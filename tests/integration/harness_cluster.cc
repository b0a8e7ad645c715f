// The system as a cluster (harness.h, issue 19): the names of a service's
// instances and their files, devbroker's start with its brokers, and its
// control channel. Split from harness.cc, which keeps System's start and
// the services' configs.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/integration/harness.h"
#include "tests/integration/harness_config.h"

namespace caserelay::testing {

std::string System::InstanceName(const std::string& service, int k) {
  return k == 1 ? service : absl::StrCat(service, "#", k);
}

std::string System::ServiceOf(const std::string& instance) {
  return instance.substr(0, instance.find('#'));
}

std::string FileStem(const std::string& instance) {
  const size_t hash = instance.find('#');
  if (hash == std::string::npos) return instance;
  return absl::StrCat(instance.substr(0, hash), "-", instance.substr(hash + 1));
}

std::vector<std::string> System::Instances(const std::string& service) const {
  std::vector<std::string> names;
  auto it = instances_.find(service);
  if (it == instances_.end()) return names;
  for (int k = 1; k <= it->second; ++k) {
    names.push_back(InstanceName(service, k));
  }
  return names;
}

absl::Status System::StartBroker() {
  const std::string info = dir() + "/devbroker.info";
  std::remove(info.c_str());
  auto broker = Process::Start(broker_argv_, {}, dir() + "/devbroker.log");
  if (!broker.ok()) return broker.status();
  broker_ = *std::move(broker);
  auto bootstrap =
      WaitForKey(info, "bootstrap", Scaled(absl::Seconds(20)), broker_.get());
  if (!bootstrap.ok()) return bootstrap.status();
  bootstrap_ = *bootstrap;
  // The file is written whole (devbroker README.md): control is there too.
  auto control =
      WaitForKey(info, "control", Scaled(absl::Seconds(5)), broker_.get());
  if (!control.ok()) return control.status();
  broker_control_ = *control;
  return absl::OkStatus();
}

absl::StatusOr<std::string> System::BrokerControl(
    const std::string& command) const {
  const size_t colon = broker_control_.rfind(':');
  int port = 0;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(broker_control_.substr(colon + 1), &port) ||
      inet_pton(AF_INET, broker_control_.substr(0, colon).c_str(),
                &to.sin_addr) != 1) {
    return absl::UnavailableError(
        absl::StrCat("devbroker control address \"", broker_control_, "\""));
  }
  to.sin_port = htons(static_cast<uint16_t>(port));
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError("socket for devbroker control");
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string answer;
  bool sent = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    const std::string line = command + "\n";
    sent = send(fd, line.data(), line.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(line.size());
    char c;
    while (sent && recv(fd, &c, 1, 0) == 1 && c != '\n') answer.push_back(c);
  }
  close(fd);
  if (!sent || answer.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "devbroker control at ", broker_control_, ": no answer to \"", command,
        "\""));
  }
  return std::string(absl::StripSuffix(answer, "\r"));
}

}  // namespace caserelay::testing
