// Which client a call comes from (客户端地址), for the per-address budgets
// of intake's look-up limit (services/intake/lookup_limits.h) and
// notification's phone codes (services/notification/phone_codes.h); moved
// here from intake so both read it the same way.
//
// The client is the gRPC peer's IP address, except for the web gateway
// (service:web, common/rpc/principal.h: it speaks for the signed-in
// person), which names the end user's address in the metadata
// rpc::kClientAddressMetadata. That metadata is believed only from the
// web gateway (rpc::Caller refuses every x-caserelay- key from anyone
// else, and ClientAddressKey reads it only for the gateway's calls). This
// is the one seam: the service passes the principal the call
// authenticates as.
//
// The key of an address: "ipv4:<a.b.c.d>"; an IPv6 address by its /64
// ("ipv6:<prefix>::/64", one subscriber's usual allocation, so an attacker
// cannot make 2^64 budgets of one line); an IPv4-mapped IPv6 address as
// IPv4; a Unix-socket peer "local"; anything else "unknown" (one shared
// budget).
//
// Thread safety: stateless functions.

#ifndef CASERELAY_COMMON_PEER_CLIENT_ADDRESS_H_
#define CASERELAY_COMMON_PEER_CLIENT_ADDRESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/rpc/principal.h"
#include "grpcpp/server_context.h"

namespace caserelay::peer {

// The key of an IP literal (no brackets, no port). INVALID_ARGUMENT when
// `ip` is not an IPv4 or IPv6 literal.
absl::StatusOr<std::string> AddressKeyOfIp(std::string_view ip);

// The key of a gRPC peer string: "ipv4:1.2.3.4:5678", "ipv6:[::1]:5678"
// (the brackets may come %-encoded, "%5B::1%5D"), "unix:..." -> "local";
// "unknown" for anything it cannot read (never an error: the peer is
// gRPC's, not the client's).
std::string AddressKeyOfPeer(std::string_view peer);

// True for a call of the web gateway: service:web itself, or a principal
// it speaks for (via "web").
bool FromWebGateway(const rpc::Principal& caller);

// The key of the client of `ctx`, a call authenticated as `caller`. For
// the web gateway's calls, the address the metadata
// rpc::kClientAddressMetadata names (a plain IP literal, "203.0.113.7" or
// "2001:db8::1", no port): INVALID_ARGUMENT naming the metadata when it is
// not one; without it the gateway's own peer address (then every user of
// the gateway shares one budget: the gateway must send it). For anyone
// else AddressKeyOfPeer(ctx.peer()), whatever metadata the call carries.
absl::StatusOr<std::string> ClientAddressKey(const grpc::ServerContext& ctx,
                                             const rpc::Principal& caller);

}  // namespace caserelay::peer

#endif  // CASERELAY_COMMON_PEER_CLIENT_ADDRESS_H_
