// The Kafka client settings every service uses, in one place, so tools
// and benchmarks that must behave like a service (bench/pipeline) take the
// same ones.

#ifndef CASERELAY_COMMON_SERVICE_KAFKA_OPTIONS_H_
#define CASERELAY_COMMON_SERVICE_KAFKA_OPTIONS_H_

#include <string>
#include <vector>

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

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_KAFKA_OPTIONS_H_
