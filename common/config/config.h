// Service configuration (配置): one file per service plus environment
// overrides, checked against a schema at start-up so that a wrong or missing
// setting stops the service with one clear line naming it.
//
// File format: one `key = value` per line; `#` starts a comment line; blank
// lines are ignored. Keys are dotted lowercase words ([a-z0-9_] separated by
// '.', e.g. `kafka.bootstrap`, `grpc.listen`). The value is the raw text after
// the first '=' up to the end of the line, trimmed of surrounding spaces; it
// is not unquoted, and a '#' inside it is part of the value.
//
// Precedence: environment > file > the schema's default. The environment
// name of a key is `CASERELAY_` + the key upper-cased with '.' -> '_'
// (kafka.bootstrap -> CASERELAY_KAFKA_BOOTSTRAP). CASERELAY_* variables that
// match no key of the schema are ignored: one environment may serve several
// services with different schemas. Unknown keys in the file are an error.
//
// Value syntax per type:
//   kString   any text, may be empty
//   kInt      a decimal int64, optional sign ("-5", "8080"), within the
//             setting's [min, max]
//   kBool     true/false, yes/no, on/off, 1/0 (any case)
//   kDuration one or more <digits><unit>, unit one of ms s m h d, e.g. 500ms,
//             15s, 2h, 30d, 1h30m; or a bare 0. Days are 24 h.
//   kPath     a non-empty path, used as written (relative paths are relative
//             to the working directory, not to the file)
//   kHostPort host:port or [ipv6]:port, port 0..65535; see ParseHostPort().

#ifndef CASERELAY_COMMON_CONFIG_CONFIG_H_
#define CASERELAY_COMMON_CONFIG_CONFIG_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::config {

// One entry of a service's schema.
struct Setting {
  enum class Type { kString, kInt, kBool, kDuration, kPath, kHostPort };

  std::string key;
  Type type = Type::kString;
  // Used when neither the file nor the environment sets the key. An empty
  // default with required = true means the key must be set.
  std::string default_value;
  bool required = false;
  std::string help;
  // kInt only: the inclusive range a value must lie in. Every integer
  // setting should give one (-1 must not quietly mean "no limit").
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
};

// A parsed host:port. `host` is without brackets for IPv6.
struct HostPort {
  std::string host;
  int port = 0;

  // "host:port", or "[host]:port" when host contains ':'.
  std::string ToString() const;
};

// Parses "host:port" or "[ipv6]:port". The host is non-empty and either a
// bracketed IPv6 literal or made of letters, digits, '.', '-' and '_'; the
// port is decimal 0..65535 (0 asks the kernel for a free port when
// listening). Returns INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<HostPort> ParseHostPort(std::string_view text);

// Parses a kDuration value (see the file comment). Returns INVALID_ARGUMENT
// on anything else, including negative or fractional numbers.
absl::StatusOr<absl::Duration> ParseDuration(std::string_view text);

// CASERELAY_ + key upper-cased with '.' -> '_'.
std::string EnvName(std::string_view key);

// The process environment (environ) as a map, for Config::Load.
std::map<std::string, std::string> ProcessEnvironment();

// One line per setting for --help: key, type, default (or "required"),
// environment name and help text, columns aligned.
std::string DescribeSettings(const std::vector<Setting>& schema);

// A loaded, validated configuration.
//
// Thread safety: immutable after Load(); all const methods are safe to call
// from any thread. Copyable and movable.
class Config {
 public:
  // Reads `path` (skipped when empty: defaults and environment only), applies
  // the `CASERELAY_*` entries of `env` (pass ProcessEnvironment(); tests
  // inject their own), and checks every value against `schema`.
  //
  // Returns the Config on success. On failure returns one status whose
  // message is one line naming every bad setting and where its value came
  // from (file:line, environment variable, or default), joined by "; ":
  // - NOT_FOUND: `path` does not exist;
  // - PERMISSION_DENIED: `path` is not readable;
  // - INVALID_ARGUMENT: a line that is not `key = value`, an unknown key in
  //   the file (with its line number and the nearest known key), a key given
  //   twice in the file, a required setting that is missing or empty, a
  //   value that does not parse as its type, an integer outside its
  //   setting's [min, max], or a bad schema (duplicate or malformed key, a
  //   default that does not parse, min > max).
  static absl::StatusOr<Config> Load(
      const std::string& path, const std::vector<Setting>& schema,
      const std::map<std::string, std::string>& env);

  // Getters. REQUIRES (checked; a violation prints one line to stderr and
  // aborts, since it is a programming error): `key` is in the schema, its
  // type matches the getter, and, for non-string types, Has(key).
  //
  // GetString works on every type and returns the value as written
  // (trimmed); "" for an unset optional setting.
  std::string GetString(std::string_view key) const;
  int64_t GetInt(std::string_view key) const;
  bool GetBool(std::string_view key) const;
  absl::Duration GetDuration(std::string_view key) const;
  std::string GetPath(std::string_view key) const;
  HostPort GetHostPort(std::string_view key) const;

  // True when `key` has a value: from the file, the environment or a
  // non-empty default. REQUIRES: `key` is in the schema (checked).
  bool Has(std::string_view key) const;

  // Where the value of `key` came from: "default", "<path>:<line>" or
  // "env CASERELAY_...". REQUIRES: `key` is in the schema (checked).
  std::string Source(std::string_view key) const;

 private:
  struct Entry {
    Setting setting;
    std::string value;
    std::string source;
    bool has_value = false;
  };

  Config() = default;
  const Entry& Find(std::string_view key, const char* getter) const;
  const Entry& FindTyped(std::string_view key, Setting::Type type,
                         const char* getter) const;

  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace caserelay::config

#endif  // CASERELAY_COMMON_CONFIG_CONFIG_H_
