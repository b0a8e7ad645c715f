// The Kafka client settings every service uses, in one place, so tools
// and benchmarks that must behave like a service (bench/pipeline) take the
// same ones.

#ifndef CASERELAY_COMMON_SERVICE_KAFKA_OPTIONS_H_
#define CASERELAY_COMMON_SERVICE_KAFKA_OPTIONS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"

namespace caserelay::service {

// The outbox's producer: it retries for as long as it takes (the outbox
// keeps a record until Kafka confirms it; a timeout would only re-order)
// and connects to every broker at start, not at its first record.
// `debug`: librdkafka debug contexts, empty for none.
kafka::ProducerOptions ServiceProducerOptions(const std::string& bootstrap,
                                              const std::string& client_id,
                                              const std::string& debug = "");

// A consume loop's consumer: reads uncommitted (no producer of ours is
// transactional, so read_committed would only add waiting) with fetches
// that wait at most `fetch_wait` (the embedded broker does not end a
// waiting fetch when data arrives).
kafka::ConsumerOptions ServiceConsumerOptions(
    const std::string& bootstrap, const std::string& group_id,
    const std::vector<std::string>& topics, absl::Duration fetch_wait,
    const std::string& debug = "");

// How the services authenticate to Kafka and protect the connection
// (issue 22 item 7): the settings kafka.security_protocol, kafka.sasl_*
// and kafka.ssl_* of every service.
struct KafkaSecurity {
  // plaintext (the embedded broker), ssl, sasl_plaintext or sasl_ssl.
  std::string protocol = "plaintext";
  // SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN; with a sasl_* protocol.
  std::string sasl_mechanism = "SCRAM-SHA-512";
  std::string sasl_username;  // the service's principal
  std::string sasl_password;
  // PEM files: the CA that signed the brokers' certificates; the client's
  // certificate and key (mutual TLS: the principal is the certificate's).
  std::string ssl_ca_path;
  std::string ssl_cert_path;
  std::string ssl_key_path;
};

// The librdkafka properties for `security` (security.protocol, and
// sasl.mechanisms, sasl.username, sasl.password, ssl.ca.location,
// ssl.certificate.location, ssl.key.location as set), for every client of
// a service: its producer, consumers and start-up metadata check.
// INVALID_ARGUMENT naming the setting when the protocol is unknown, a
// sasl_* protocol lacks its username or password or has an unknown
// mechanism, only one of the certificate and key is set, or a SASL or TLS
// value is set while the protocol does not use it (a setting that would
// silently do nothing).
absl::StatusOr<std::map<std::string, std::string>> KafkaSecurityProperties(
    const KafkaSecurity& security);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_KAFKA_OPTIONS_H_
