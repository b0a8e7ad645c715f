// What an instance of a service needs to pass a call on to the instance
// that owns the call's partition (issue 19 item 4; common/rpc/forward.h):
// one channel per owner address, kept, and the caller's proof of identity.
//
// How the caller is proven to the owner depends on auth.mode:
//   token  the caller's own `authorization` metadata (its bearer token) and
//          its x-caserelay- on-behalf metadata (auth.h) are passed on as
//          they came: the owner authenticates the original caller itself.
//   mtls   a client certificate cannot be passed on: the instance calls
//          with its OWN client certificate (service:<service>) and names
//          the caller it verified in x-caserelay-forwarded-for-bin (a
//          serialized caserelay.v1.ForwardedCaller). rpc::Caller believes
//          that metadata only from a peer authenticated as the same
//          service (auth.h), so no other principal can claim to forward.
// Either way the call carries x-caserelay-forwarded: 1, and a call that
// carries it is never forwarded again (the receiver that does not hold the
// partition answers UNAVAILABLE).
//
// Thread safety: thread-safe.

#ifndef CASERELAY_COMMON_RPC_FORWARDER_H_
#define CASERELAY_COMMON_RPC_FORWARDER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/rpc/credentials.h"
#include "common/rpc/principal.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::rpc {

// Set (value "1") on every forwarded call.
inline constexpr char kForwardedMetadata[] = "x-caserelay-forwarded";
// auth.mode mtls: the verified caller of a forwarded call.
inline constexpr char kForwardedForMetadata[] =
    "x-caserelay-forwarded-for-bin";
// A scattered query (scatter.h): in the request, the partitions asked of
// the owner; in the answer's trailing metadata, those it answered from.
// "0,3,5" (ascending, comma-separated; empty: none). Accepted from any
// principal, like x-caserelay-forwarded: it only narrows what a forwarded
// query answers from.
inline constexpr char kPartitionsMetadata[] = "x-caserelay-partitions";

// True when `ctx` carries x-caserelay-forwarded (the call was forwarded
// once already and must not be forwarded again).
bool WasForwarded(const grpc::ServerContext& ctx);

struct ForwarderOptions {
  // auth.mode: "token" or "mtls".
  std::string mode;
  // The service's own name ("supervision"): in mtls mode the forwarded
  // call proves service:<service>.
  std::string service;
  // The channel's credentials; `target` is ignored (each owner's address
  // is used). token mode: no token or token_file (the caller's own
  // authorization is passed on); tls_ca_path when the services serve TLS.
  // mtls mode: tls_ca_path, and tls_cert_path/tls_key_path, the instance's
  // client certificate naming service:<service> (settings cluster.*).
  ClientAuth channel;
};

class Forwarder {
 public:
  // INVALID_ARGUMENT for an unknown mode, an empty service, a token in
  // token mode, or mtls without a client certificate.
  static absl::StatusOr<std::unique_ptr<Forwarder>> Create(
      ForwarderOptions options);

  // The channel to `address` (host:port), made on first use and kept;
  // OfficeChannel's errors (a certificate file unreadable).
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelTo(
      const std::string& address);

  // Fills `out` (a fresh ClientContext) to forward the call `in` whose
  // caller was verified as `caller` (rpc::Caller): the proof as the file
  // comment says, x-caserelay-forwarded: 1, and `in`'s deadline.
  // FAILED_PRECONDITION if `in` was forwarded already (WasForwarded).
  absl::Status Prepare(const grpc::ServerContext& in, const Principal& caller,
                       grpc::ClientContext* out) const;

  const std::string& mode() const { return options_.mode; }

 private:
  explicit Forwarder(ForwarderOptions options)
      : options_(std::move(options)) {}

  const ForwarderOptions options_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_
      ABSL_GUARDED_BY(mu_);
};

// The principal a forwarded call names (x-caserelay-forwarded-for-bin),
// for rpc::Caller: `direct` is the transport's principal. nullopt when the
// call is not a forwarded mtls call; PERMISSION_DENIED when it names a
// caller but `direct` is not service:<own_service>; INVALID_ARGUMENT when
// the record does not parse.
absl::StatusOr<std::optional<Principal>> ForwardedCaller(
    const grpc::ServerContext& ctx, const Principal& direct,
    const std::string& own_service);

// The value of x-caserelay-forwarded-for-bin for `caller`.
std::string EncodeForwardedCaller(const Principal& caller);

class Authenticator;  // auth.h

// `inner`, answering OwnService() with `service` (auth.h): what a service
// serves with, so that rpc::Caller believes a forwarded caller only from
// another instance of the same service.
std::unique_ptr<Authenticator> ServingService(
    std::unique_ptr<Authenticator> inner, std::string service);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_FORWARDER_H_
