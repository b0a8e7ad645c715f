// Test helpers for the deployment checks (tests/deploy): reading the
// repository's deployment files, YAML through Debian's python3-yaml (a
// dependency of docker-compose), `docker-compose config`, and the settings
// a service's --help lists.
//
// Thread safety: stateless functions; each runs its own commands.

#ifndef CASERELAY_TESTS_DEPLOY_DEPLOY_FILES_H_
#define CASERELAY_TESTS_DEPLOY_DEPLOY_FILES_H_

#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/struct.pb.h"

namespace caserelay::deploy_test {

// The services of docker-compose.yml that run our binaries with a store.
inline const std::vector<std::string> kServices = {
    "intake", "routing", "supervision", "notification", "statistics"};

// The absolute path of `relative` in the source tree.
std::string SourcePath(const std::string& relative);

// The contents of the source file `relative`; "" (with a test failure
// recorded) if it cannot be read.
std::string ReadSource(const std::string& relative);

// Runs `command` under /bin/sh with stderr joined to stdout.
struct ShellResult {
  int code = -1;
  std::string output;
};
ShellResult RunShell(const std::string& command);

// `text` single-quoted for /bin/sh.
std::string ShellQuote(const std::string& text);

// YAML text as a protobuf Value (mappings become structs, sequences lists;
// YAML merge keys and anchors resolved). INVALID_ARGUMENT when it does not
// parse.
absl::StatusOr<google::protobuf::Value> ParseYaml(const std::string& text);

// `docker-compose -f docker-compose.yml [-f FILE]... --env-file .env.example
// [--profile P]... config` in a clean environment (so no CASERELAY_* of the
// test's own environment leaks in), parsed; `files` are further compose
// files of the repository (e.g. docker-compose.embedded.yml). Fails with
// the command's output.
absl::StatusOr<google::protobuf::Value> ComposeConfig(
    const std::vector<std::string>& profiles,
    const std::vector<std::string>& files = {});

// The value at `path` of maps below `root`, or nullptr.
const google::protobuf::Value* Find(const google::protobuf::Value& root,
                                    std::initializer_list<std::string> path);
// The string at `path`, or "" if there is none or it is not a string.
std::string FindString(const google::protobuf::Value& root,
                       std::initializer_list<std::string> path);
// The strings of the list at `path` (non-strings skipped); empty if none.
std::vector<std::string> FindStrings(const google::protobuf::Value& root,
                                     std::initializer_list<std::string> path);
// The keys of the map at `path`; empty if none.
std::set<std::string> Keys(const google::protobuf::Value& root,
                           std::initializer_list<std::string> path);

// A `key = value` config file (common/config/config.h) of the source tree:
// key -> value, comments and blank lines skipped.
std::map<std::string, std::string> ReadConfFile(const std::string& relative);

// A KEY=VALUE file like .env.example, in order: comments and blank lines
// skipped.
std::vector<std::pair<std::string, std::string>> ReadEnvFile(
    const std::string& relative);

// The settings of the built `service` from its --help: key -> environment
// name (CASERELAY_...). Empty (with a test failure recorded) if the binary
// does not answer.
std::map<std::string, std::string> HelpSettings(const std::string& service);

// The port of a "host:port" value; -1 if there is none.
int PortOf(const std::string& host_port);

}  // namespace caserelay::deploy_test

#endif  // CASERELAY_TESTS_DEPLOY_DEPLOY_FILES_H_
