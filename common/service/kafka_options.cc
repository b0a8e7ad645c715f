#include "common/service/kafka_options.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace caserelay::service {

kafka::ProducerOptions ServiceProducerOptions(const std::string& bootstrap,
                                              const std::string& client_id,
                                              const std::string& debug) {
  kafka::ProducerOptions options;
  options.bootstrap = bootstrap;
  options.client_id = client_id;
  options.extra["message.timeout.ms"] = "0";
  options.extra["enable.sparse.connections"] = "false";
  if (!debug.empty()) options.extra["debug"] = debug;
  return options;
}

kafka::ConsumerOptions ServiceConsumerOptions(
    const std::string& bootstrap, const std::string& group_id,
    const std::vector<std::string>& topics, absl::Duration fetch_wait,
    const std::string& debug) {
  kafka::ConsumerOptions options;
  options.bootstrap = bootstrap;
  options.group_id = group_id;
  options.topics = topics;
  options.extra["isolation.level"] = "read_uncommitted";
  options.extra["fetch.wait.max.ms"] =
      std::to_string(absl::ToInt64Milliseconds(fetch_wait));
  if (!debug.empty()) options.extra["debug"] = debug;
  return options;
}

}  // namespace caserelay::service

namespace caserelay::service {

absl::StatusOr<std::map<std::string, std::string>> KafkaSecurityProperties(
    const KafkaSecurity& s) {
  auto invalid = [](const std::string& message) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", message));
  };
  const std::set<std::string> protocols = {"plaintext", "ssl",
                                           "sasl_plaintext", "sasl_ssl"};
  if (protocols.count(s.protocol) == 0) {
    return invalid(absl::StrCat(
        "kafka.security_protocol must be plaintext, ssl, sasl_plaintext or "
        "sasl_ssl, not \"", s.protocol, "\""));
  }
  const bool sasl = absl::StartsWith(s.protocol, "sasl_");
  const bool ssl = s.protocol == "ssl" || s.protocol == "sasl_ssl";
  std::map<std::string, std::string> props = {
      {"security.protocol", s.protocol}};
  if (sasl) {
    const std::set<std::string> mechanisms = {"SCRAM-SHA-512",
                                              "SCRAM-SHA-256", "PLAIN"};
    if (mechanisms.count(s.sasl_mechanism) == 0) {
      return invalid(absl::StrCat(
          "kafka.sasl_mechanism must be SCRAM-SHA-512, SCRAM-SHA-256 or "
          "PLAIN, not \"", s.sasl_mechanism, "\""));
    }
    if (s.sasl_username.empty() || s.sasl_password.empty()) {
      return invalid(absl::StrCat("kafka.security_protocol = ", s.protocol,
                                  " needs kafka.sasl_username and "
                                  "kafka.sasl_password"));
    }
    props["sasl.mechanisms"] = s.sasl_mechanism;
    props["sasl.username"] = s.sasl_username;
    props["sasl.password"] = s.sasl_password;
  } else if (!s.sasl_username.empty() || !s.sasl_password.empty()) {
    return invalid(absl::StrCat(
        "kafka.sasl_username/kafka.sasl_password are set but "
        "kafka.security_protocol = ", s.protocol, " does not use them"));
  }
  if (ssl) {
    if (s.ssl_cert_path.empty() != s.ssl_key_path.empty()) {
      return invalid(
          "kafka.ssl_cert_path and kafka.ssl_key_path go together (mutual "
          "TLS)");
    }
    if (!s.ssl_ca_path.empty()) props["ssl.ca.location"] = s.ssl_ca_path;
    if (!s.ssl_cert_path.empty()) {
      props["ssl.certificate.location"] = s.ssl_cert_path;
      props["ssl.key.location"] = s.ssl_key_path;
    }
  } else if (!s.ssl_ca_path.empty() || !s.ssl_cert_path.empty() ||
             !s.ssl_key_path.empty()) {
    return invalid(absl::StrCat("kafka.ssl_* paths are set but "
                                "kafka.security_protocol = ",
                                s.protocol, " does not use TLS"));
  }
  return props;
}

}  // namespace caserelay::service
