// What a test reads from a service's admin port (harness.h): GET, /healthz,
// a body, one metric or a sum of samples; and China(). Split from
// harness.cc, which keeps System.

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

absl::StatusOr<System::AdminReply> System::Get(const std::string& service,
                                               const std::string& path) const {
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
    const std::string request = absl::StrCat(
        "GET ", path, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, n);
    }
  }
  close(fd);
  // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody"
  AdminReply answer{0, ""};
  if (reply.rfind("HTTP/1.", 0) != 0 || reply.size() < 12 ||
      !absl::SimpleAtoi(reply.substr(9, 3), &answer.code)) {
    return absl::UnavailableError(
        absl::StrCat(service, " ", path, " at ", address, ": no HTTP answer"));
  }
  const size_t body = reply.find("\r\n\r\n");
  if (body != std::string::npos) answer.body = reply.substr(body + 4);
  return answer;
}

absl::StatusOr<int> System::Healthz(const std::string& service) const {
  auto reply = Get(service, "/healthz");
  if (!reply.ok()) return reply.status();
  return reply->code;
}

absl::StatusOr<std::string> System::AdminGet(const std::string& service,
                                             const std::string& path) const {
  auto reply = Get(service, path);
  if (!reply.ok()) return reply.status();
  if (reply->code != 200) {
    return absl::FailedPreconditionError(
        absl::StrCat(service, " ", path, ": HTTP ", reply->code));
  }
  return reply->body;
}

absl::StatusOr<double> System::Metric(const std::string& service,
                                      const std::string& sample) const {
  auto body = AdminGet(service, "/metrics");
  if (!body.ok()) return body.status();
  for (absl::string_view line : absl::StrSplit(*body, '\n')) {
    if (!absl::ConsumePrefix(&line, sample) || !absl::ConsumePrefix(&line, " "))
      continue;
    double value = 0;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return absl::NotFoundError(
      absl::StrCat(service, " /metrics: no sample ", sample));
}

absl::StatusOr<double> System::MetricSum(const std::string& service,
                                         const std::string& name,
                                         const std::string& label) const {
  auto body = AdminGet(service, "/metrics");
  if (!body.ok()) return body.status();
  return testing::MetricSum(*body, name, label);
}

absl::Time China(int y, int m, int d, int hh) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

double MetricSum(const std::string& metrics_text, const std::string& name,
                 const std::string& label) {
  double sum = 0;
  for (absl::string_view line : absl::StrSplit(metrics_text, '\n')) {
    if (!absl::StartsWith(line, name)) continue;
    const absl::string_view rest = line.substr(name.size());
    // Another metric whose name starts with this one's: not a sample.
    if (rest.empty() || (rest[0] != '{' && rest[0] != ' ')) continue;
    if (!label.empty() && !absl::StrContains(rest, label)) continue;
    double value = 0;
    const size_t space = line.rfind(' ');
    if (space != absl::string_view::npos &&
        absl::SimpleAtod(line.substr(space + 1), &value)) {
      sum += value;
    }
  }
  return sum;
}

}  // namespace caserelay::testing
