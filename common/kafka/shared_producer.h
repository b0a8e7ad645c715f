// One Kafka producer shared by several outboxes (issue 19: every partition
// DB of a service has its own outbox; they publish through one librdkafka
// producer, so an instance holding 8 partitions runs one producer's
// threads and connections, not 8).
//
// Each outbox gets a view (Attach): a Producer with its own tokens, its own
// delivery callback and its own Flush. Tokens are mapped to the shared
// producer's and back, so two views may use the same token.
//
// Fatal errors: once the shared producer failed fatally (a report or a
// Produce with INTERNAL), every view reports INTERNAL as the real producer
// does; each owner then destroys its view and attaches again (as the
// OutboxPublisher rebuilds its producer), and the first Attach after the
// failure builds a new generation of the producer through the factory.
// The old generation is destroyed when its last view is.
//
// Thread safety: thread-safe.

#ifndef CASERELAY_COMMON_KAFKA_SHARED_PRODUCER_H_
#define CASERELAY_COMMON_KAFKA_SHARED_PRODUCER_H_

#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/kafka/producer.h"

namespace caserelay::kafka {

class SharedProducer {
 public:
  // Builds a producer whose reports go to the given callback
  // (CreateKafkaProducer with the service's options).
  using Factory = std::function<absl::StatusOr<std::unique_ptr<Producer>>(
      DeliveryCallback)>;

  // Does not build the producer yet (the first Attach does).
  explicit SharedProducer(Factory factory);
  ~SharedProducer();  // REQUIRES: every view was destroyed before
  SharedProducer(const SharedProducer&) = delete;
  SharedProducer& operator=(const SharedProducer&) = delete;

  // A view whose reports go to `on_delivery` (same rules as the real
  // producer's callback). The factory's error if a producer must be built
  // and cannot be. The view keeps its generation of the producer alive.
  absl::StatusOr<std::unique_ptr<Producer>> Attach(
      DeliveryCallback on_delivery);

 private:
  class Generation;
  class View;

  const Factory factory_;
  absl::Mutex mu_;
  std::shared_ptr<Generation> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_SHARED_PRODUCER_H_
