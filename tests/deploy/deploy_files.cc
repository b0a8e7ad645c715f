#include "tests/deploy/deploy_files.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace caserelay::deploy_test {
namespace {

// Debian's interpreter, which docker-compose runs on and whose python3-yaml
// it depends on (a `python3` earlier on PATH may lack it).
constexpr char kPython[] = "/usr/bin/python3";
constexpr char kYamlToJson[] =
    "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)";

}  // namespace

std::string SourcePath(const std::string& relative) {
  return absl::StrCat(CASERELAY_SOURCE_DIR, "/", relative);
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(SourcePath(relative), std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << relative;
    return "";
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ShellResult RunShell(const std::string& command) {
  ShellResult run;
  FILE* pipe = popen(absl::StrCat("(", command, ") 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    run.output.append(buffer, n);
  }
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

absl::StatusOr<google::protobuf::Value> ParseYaml(const std::string& text) {
  char path[] = "/tmp/deploy_test_yaml_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return absl::InternalError("mkstemp failed");
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  FILE* pipe = popen(absl::StrCat(kPython, " -c ", ShellQuote(kYamlToJson),
                                  " < ", path, " 2>/dev/null")
                         .c_str(),
                     "r");
  std::string json;
  if (pipe != nullptr) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
      json.append(buffer, n);
    }
    if (pclose(pipe) != 0) json.clear();
  }
  unlink(path);
  if (json.empty()) {
    return absl::InvalidArgumentError("not YAML that python3-yaml reads");
  }
  google::protobuf::Value value;
  auto status = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("YAML as JSON does not parse: ", status.ToString()));
  }
  return value;
}

absl::StatusOr<google::protobuf::Value> ComposeConfig(
    const std::vector<std::string>& profiles,
    const std::vector<std::string>& files) {
  std::string command =
      absl::StrCat("env -i PATH=/usr/bin:/bin HOME=/tmp docker-compose -f ",
                   ShellQuote(SourcePath("docker-compose.yml")));
  for (const std::string& file : files) {
    absl::StrAppend(&command, " -f ", ShellQuote(SourcePath(file)));
  }
  absl::StrAppend(&command, " --env-file ",
                  ShellQuote(SourcePath(".env.example")));
  for (const std::string& profile : profiles) {
    absl::StrAppend(&command, " --profile ", ShellQuote(profile));
  }
  absl::StrAppend(&command, " config");
  ShellResult run = RunShell(command);
  if (run.code != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(command, " exited ", run.code, ": ", run.output));
  }
  return ParseYaml(run.output);
}

const google::protobuf::Value* Find(const google::protobuf::Value& root,
                                    std::initializer_list<std::string> path) {
  const google::protobuf::Value* at = &root;
  for (const std::string& key : path) {
    if (!at->has_struct_value()) return nullptr;
    auto it = at->struct_value().fields().find(key);
    if (it == at->struct_value().fields().end()) return nullptr;
    at = &it->second;
  }
  return at;
}

std::string FindString(const google::protobuf::Value& root,
                       std::initializer_list<std::string> path) {
  const google::protobuf::Value* at = Find(root, path);
  return at != nullptr && at->has_string_value() ? at->string_value() : "";
}

std::vector<std::string> FindStrings(const google::protobuf::Value& root,
                                     std::initializer_list<std::string> path) {
  std::vector<std::string> strings;
  const google::protobuf::Value* at = Find(root, path);
  if (at == nullptr || !at->has_list_value()) return strings;
  for (const auto& item : at->list_value().values()) {
    if (item.has_string_value()) strings.push_back(item.string_value());
  }
  return strings;
}

std::set<std::string> Keys(const google::protobuf::Value& root,
                           std::initializer_list<std::string> path) {
  std::set<std::string> keys;
  const google::protobuf::Value* at = Find(root, path);
  if (at == nullptr || !at->has_struct_value()) return keys;
  for (const auto& [key, value] : at->struct_value().fields()) keys.insert(key);
  return keys;
}

std::map<std::string, std::string> ReadConfFile(const std::string& relative) {
  std::map<std::string, std::string> settings;
  for (absl::string_view line : absl::StrSplit(ReadSource(relative), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    settings[std::string(absl::StripAsciiWhitespace(kv.first))] =
        std::string(absl::StripAsciiWhitespace(kv.second));
  }
  return settings;
}

std::vector<std::pair<std::string, std::string>> ReadEnvFile(
    const std::string& relative) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (absl::string_view line : absl::StrSplit(ReadSource(relative), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    settings.emplace_back(kv.first, kv.second);
  }
  return settings;
}

std::map<std::string, std::string> HelpSettings(const std::string& service) {
  std::map<std::string, std::string> settings;
  std::string binary =
      absl::StrCat(CASERELAY_BINARY_DIR, "/services/", service, "/", service);
  ShellResult run = RunShell(absl::StrCat(ShellQuote(binary), " --help"));
  if (run.code != 0) {
    ADD_FAILURE() << binary << " --help exited " << run.code << ": "
                  << run.output;
    return settings;
  }
  // "  <key>  <type>  default=... | required  CASERELAY_...  <help>"
  static const std::regex kLine(
      R"(^  ([a-z0-9_]+(\.[a-z0-9_]+)+) .*?(CASERELAY_[A-Z0-9_]+))");
  for (const std::string& line :
       std::vector<std::string>(absl::StrSplit(run.output, '\n'))) {
    std::smatch m;
    if (std::regex_search(line, m, kLine)) settings[m[1]] = m[3];
  }
  if (settings.empty()) {
    ADD_FAILURE() << binary << " --help lists no settings: " << run.output;
  }
  return settings;
}

int PortOf(const std::string& host_port) {
  size_t colon = host_port.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(host_port.substr(colon + 1), &port)) {
    return -1;
  }
  return port;
}

}  // namespace caserelay::deploy_test
