// KafkaSecurityProperties: the services' Kafka security settings become
// librdkafka properties, and settings that would silently do nothing are
// refused at start (issue 22 item 7: "the services' Kafka security
// settings from config"). The properties are also handed to this
// machine's librdkafka, which must take them (SASL/SCRAM and TLS are
// built in).

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/kafka/producer.h"
#include "common/service/kafka_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::service {
namespace {

using ::testing::HasSubstr;
using Props = std::map<std::string, std::string>;

KafkaSecurity Sasl(const std::string& protocol) {
  KafkaSecurity s;
  s.protocol = protocol;
  s.sasl_username = "intake";
  s.sasl_password = "secret";
  return s;
}

TEST(KafkaSecurityTest, EachProtocolGivesItsProperties) {
  struct Row {
    const char* rule;
    KafkaSecurity security;
    Props want;
  };
  KafkaSecurity mtls;
  mtls.protocol = "ssl";
  mtls.ssl_ca_path = "/etc/caserelay/tls/ca.pem";
  mtls.ssl_cert_path = "/etc/caserelay/tls/kafka-intake.pem";
  mtls.ssl_key_path = "/etc/caserelay/tls/kafka-intake.key";
  KafkaSecurity sasl_ssl = Sasl("sasl_ssl");
  sasl_ssl.ssl_ca_path = "/etc/caserelay/tls/ca.pem";
  const std::vector<Row> rows = {
      {"the default: plaintext, for the embedded broker", KafkaSecurity(),
       {{"security.protocol", "plaintext"}}},
      {"issue 22.7: SASL/SCRAM per service principal", Sasl("sasl_plaintext"),
       {{"security.protocol", "sasl_plaintext"},
        {"sasl.mechanisms", "SCRAM-SHA-512"},
        {"sasl.username", "intake"},
        {"sasl.password", "secret"}}},
      {"issue 22.7: SCRAM over TLS", sasl_ssl,
       {{"security.protocol", "sasl_ssl"},
        {"sasl.mechanisms", "SCRAM-SHA-512"},
        {"sasl.username", "intake"},
        {"sasl.password", "secret"},
        {"ssl.ca.location", "/etc/caserelay/tls/ca.pem"}}},
      {"issue 22.7: or mutual TLS, the certificate is the principal", mtls,
       {{"security.protocol", "ssl"},
        {"ssl.ca.location", "/etc/caserelay/tls/ca.pem"},
        {"ssl.certificate.location", "/etc/caserelay/tls/kafka-intake.pem"},
        {"ssl.key.location", "/etc/caserelay/tls/kafka-intake.key"}}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    auto props = KafkaSecurityProperties(row.security);
    ASSERT_TRUE(props.ok()) << props.status();
    EXPECT_EQ(*props, row.want);
  }
}

TEST(KafkaSecurityTest, SettingsThatWouldDoNothingOrCannotWorkAreRefused) {
  struct Row {
    const char* rule;
    KafkaSecurity security;
    const char* names;  // the setting the message names
  };
  KafkaSecurity unknown;
  unknown.protocol = "tls";
  KafkaSecurity no_password = Sasl("sasl_ssl");
  no_password.sasl_password.clear();
  KafkaSecurity bad_mechanism = Sasl("sasl_plaintext");
  bad_mechanism.sasl_mechanism = "GSSAPI";
  KafkaSecurity sasl_unused;
  sasl_unused.sasl_username = "intake";
  KafkaSecurity tls_unused = Sasl("sasl_plaintext");
  tls_unused.ssl_ca_path = "/ca.pem";
  KafkaSecurity half_mtls;
  half_mtls.protocol = "ssl";
  half_mtls.ssl_cert_path = "/cert.pem";
  const std::vector<Row> rows = {
      {"an unknown protocol", unknown, "kafka.security_protocol"},
      {"SASL needs the principal's password", no_password,
       "kafka.sasl_password"},
      {"only SCRAM or PLAIN (no Kerberos here)", bad_mechanism,
       "kafka.sasl_mechanism"},
      {"a user without SASL would be ignored", sasl_unused,
       "kafka.sasl_username"},
      {"a CA without TLS would be ignored", tls_unused, "kafka.ssl_"},
      {"mutual TLS needs both certificate and key", half_mtls,
       "kafka.ssl_key_path"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    auto props = KafkaSecurityProperties(row.security);
    EXPECT_EQ(props.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(props.status().message(), HasSubstr(row.names));
  }
}

// What this machine's librdkafka allows: the properties of SASL/SCRAM and
// TLS are taken when a client is made (no broker is contacted).
TEST(KafkaSecurityTest, ThisLibrdkafkaTakesTheSaslAndTlsProperties) {
  for (const char* protocol : {"sasl_plaintext", "sasl_ssl"}) {
    SCOPED_TRACE(protocol);
    auto props = KafkaSecurityProperties(Sasl(protocol));
    ASSERT_TRUE(props.ok()) << props.status();
    kafka::ProducerOptions options;
    options.bootstrap = "127.0.0.1:1";
    options.extra = *props;
    options.close_timeout = absl::ZeroDuration();
    auto producer =
        kafka::CreateKafkaProducer(options, [](const kafka::DeliveryReport&) {});
    EXPECT_TRUE(producer.ok()) << producer.status();
  }
  // A CA file that does not exist is refused by librdkafka at once.
  KafkaSecurity missing_ca;
  missing_ca.protocol = "ssl";
  missing_ca.ssl_ca_path = "/nonexistent/ca.pem";
  auto props = KafkaSecurityProperties(missing_ca);
  ASSERT_TRUE(props.ok());
  kafka::ProducerOptions options;
  options.bootstrap = "127.0.0.1:1";
  options.extra = *props;
  auto producer =
      kafka::CreateKafkaProducer(options, [](const kafka::DeliveryReport&) {});
  EXPECT_EQ(producer.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::service
