// The config file the harness writes for each process it starts (one
// "key = value" a line), shared by harness.cc (the services) and
// harness_web.cc (the web gateway), and the names of an instance's files
// (harness_cluster.cc). Internal to the harness.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_TESTS_INTEGRATION_HARNESS_CONFIG_H_
#define CASERELAY_TESTS_INTEGRATION_HARNESS_CONFIG_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace caserelay::testing {

// key -> value, in the order written (a key given twice is refused by the
// config loader).
using ConfigLines = std::vector<std::pair<std::string, std::string>>;

// Writes `lines` with SystemOptions::settings of the process applied (each
// replaces the harness's value of its key, or is added) to `path`.
void WriteConfig(const std::string& path, ConfigLines lines,
                 const std::map<std::string, std::string>& settings);

// The stem of an instance's files in the system's directory: the service
// for its first instance ("supervision": supervision.conf, data-supervision),
// "supervision-2" for "supervision#2".
std::string FileStem(const std::string& instance);

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_HARNESS_CONFIG_H_
