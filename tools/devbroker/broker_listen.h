// BrokerListen: the address the first mock broker listens on, for the
// embedded broker in a container (docker-compose profile embedded, issue 24
// item 2).
//
// librdkafka 2.0.2's mock brokers bind 127.0.0.1 on a port the kernel
// picks (rdkafka_mock.c, rd_kafka_mock_broker_new) and advertise, in their
// metadata, exactly the address they bound. Other containers cannot reach
// the loopback of the broker's container, and librdkafka has no API to
// choose another address. devbroker therefore defines bind(2) itself: a
// call from librdkafka binding 127.0.0.1:0 while an address is armed is
// turned into a bind of that address, once; every other call is passed
// to the kernel unchanged. The broker then listens on, and advertises,
// e.g. its container's address on the compose network at port 9092.
#ifndef CASERELAY_TOOLS_DEVBROKER_BROKER_LISTEN_H_
#define CASERELAY_TOOLS_DEVBROKER_BROKER_LISTEN_H_

#include <netinet/in.h>

#include <string>

#include "absl/status/statusor.h"

namespace caserelay::devbroker {

// Parses "HOST:PORT" (HOST an IPv4 literal or a name, resolved now to its
// first IPv4 address; PORT 1..65535). Returns INVALID_ARGUMENT naming the
// value for a malformed one, NOT_FOUND when HOST does not resolve.
absl::StatusOr<sockaddr_in> ResolveBrokerListen(const std::string& value);

// Binds and closes a socket on `address` (with SO_REUSEADDR, as
// librdkafka's listener has): librdkafka 2.0.2 aborts the process when a
// mock broker cannot bind, so devbroker checks first. UNAVAILABLE naming
// the reason when it cannot be bound (taken, or not an address of this
// host).
absl::Status CheckBrokerListen(const sockaddr_in& address);

// Arms the next bind of 127.0.0.1:0 in this process to bind `address`
// instead. Call right before creating a one-broker mock cluster (its one
// listener is the next such bind) and Disarm() right after.
void ArmBrokerListen(const sockaddr_in& address);

// Returns true when the armed address was used (and disarms in any case).
bool DisarmBrokerListen();

}  // namespace caserelay::devbroker

#endif  // CASERELAY_TOOLS_DEVBROKER_BROKER_LISTEN_H_
