// Who is calling (调用方身份认证): every call to a service carries proof of
// the principal it comes from (principal.h: an office, or a service's own
// identity), checked by an Authenticator (DESIGN.md "Security").
// Production uses mTLS client certificates that name the principal
// (MtlsAuthenticator, mtls_auth.h); local runs use bearer tokens listed by
// hash in a tokens file (TokenAuthenticator, token_auth.h). Every RPC of
// every service is authenticated: a service does not start without an
// authenticator (auth_settings.h).
//
// Speaking for a user (代为办理, issue 14 item 1). Only the web gateway's
// identity, service:web, may act for the person signed in to it, with
// these request metadata:
//
//   x-caserelay-user-bin  the user's label (UTF-8, IsPersonLabel; gRPC's
//                         "-bin" keys carry any bytes), required with
//                         x-caserelay-office;
//   x-caserelay-office    the office the user acts for (an office code);
//                         absent for a petitioner on the portal;
//   x-caserelay-roles     the user's roles at that office (issue 16), as
//                         accounts keeps them: comma-separated lower-case
//                         names (RoleName: registrar, handler, head,
//                         inspector, leader, admin), e.g. "handler,head";
//                         required with x-caserelay-office and only with
//                         it (and the user); an empty list, an unknown or
//                         upper-case name is INVALID_ARGUMENT. They become
//                         Principal::roles; domain/access/roles.h says
//                         what each role may read and do;
//   x-caserelay-client-address  the end user's network address, for
//                         intake's look-up limit (services/intake/
//                         common/peer/client_address.h reads it);
//   x-caserelay-petitioner-case  the case whose petitioner the gateway
//                         speaks for, after that petitioner's look-up
//                         succeeded at intake (issue 15; IsCaseIdLabel);
//                         never with x-caserelay-user-bin or
//                         x-caserelay-office. It makes the caller
//                         Principal::Petitioner(case): no office, reading
//                         and acting only as domain/access's
//                         PetitionerAccess allows (routing's
//                         GetPetitionerView and the petitioner's Act).
//
// On a call authenticated as service:web they make the caller the office
// (or, without x-caserelay-office, service:web itself) with the user as
// its person, via = "web" and the user's roles.
//
// A DIRECT office principal (the office's own token or certificate:
// casectl, scripts) carries no roles: it is the office's own credential
// and acts with every role (Principal::HasEveryRole). Only a user the
// gateway speaks for is limited to the roles it names. Every "x-caserelay-" key is reserved: on a
// call from any other principal it is refused with PERMISSION_DENIED,
// never ignored; from the gateway, an unknown one, a key given twice, a
// bad office code or user label is INVALID_ARGUMENT. The gateway itself
// (issue 15) must authenticate its users before it names them.
//
// A handler asks once per call, before anything else:
//
//   absl::StatusOr<rpc::Principal> caller = rpc::Caller(auth_, *ctx);
//   if (!caller.ok()) return rpc::ToGrpc(caller.status());
//
// or, where only offices may call (routing's office API, supervision's and
// notification's views):
//
//   absl::StatusOr<std::string> office = rpc::CallerOffice(auth_, *ctx);

#ifndef CASERELAY_COMMON_RPC_AUTH_H_
#define CASERELAY_COMMON_RPC_AUTH_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rpc/principal.h"
#include "grpcpp/server_context.h"

namespace caserelay::rpc {

// The on-behalf metadata (above). Keys are lowercase, as gRPC sends them.
inline constexpr char kOnBehalfPrefix[] = "x-caserelay-";
inline constexpr char kUserMetadata[] = "x-caserelay-user-bin";
inline constexpr char kOfficeMetadata[] = "x-caserelay-office";
inline constexpr char kClientAddressMetadata[] = "x-caserelay-client-address";
inline constexpr char kPetitionerCaseMetadata[] =
    "x-caserelay-petitioner-case";
inline constexpr char kRolesMetadata[] = "x-caserelay-roles";
// Trailing (answer) metadata of a throttled call's RESOURCE_EXHAUSTED:
// whole seconds until the caller may try again (notification's
// SendPhoneCode sets it; the gateway turns it into Retry-After). A service
// sends it; it is no request key, so the rules above do not apply to it.
inline constexpr char kRetryAfterMetadata[] = "x-caserelay-retry-after";

// Tells which principal a call's transport proves.
//
// Thread safety: implementations are thread-safe; PrincipalOf may be
// called from any number of threads at once, also while Reload runs.
class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // The principal the call `ctx` proves it comes from, with the person the
  // proof names (a token's holder label) and an empty `via`; on-behalf
  // metadata is not looked at here (Caller does). UNAUTHENTICATED with a
  // message saying what is missing or wrong when the call carries no valid
  // proof; the message never repeats a secret.
  virtual absl::StatusOr<Principal> PrincipalOf(
      const grpc::ServerContext& ctx) const = 0;

  // Reads again the files the authenticator was made from (the services
  // call it on SIGHUP). OK when they were read, or when there is nothing to
  // read (the default). On error the proofs accepted before stay accepted,
  // and the status says what is wrong with which file.
  virtual absl::Status Reload() { return absl::OkStatus(); }

  // The service this authenticator serves ("supervision"), or "" (the
  // default). Caller believes a forwarded caller (forwarder.h,
  // x-caserelay-forwarded-for-bin) only from service:<OwnService()>.
  virtual std::string OwnService() const { return ""; }
};

// The spelling of a role in x-caserelay-roles: "registrar", "handler",
// "head", "inspector", "leader", "admin"; "" for UNSPECIFIED or a value
// no name exists for.
absl::string_view RoleName(caserelay::v1::StaffRole role);

// The value of x-caserelay-roles for `roles` (what the gateway sends):
// their names, sorted by role, without duplicates, joined by ",".
// REQUIRES: every role has a RoleName.
std::string RolesMetadataValue(
    const std::vector<caserelay::v1::StaffRole>& roles);

// Parses a value of x-caserelay-roles: the roles sorted, without
// duplicates. INVALID_ARGUMENT naming the metadata for an empty list, an
// empty or unknown name.
absl::StatusOr<std::vector<caserelay::v1::StaffRole>> ParseRolesMetadata(
    absl::string_view value);

// Forwarded calls (issue 19 item 4, forwarder.h): x-caserelay-forwarded
// (a call one instance of a service passed on to the instance owning the
// case's partition) is accepted from any principal and changes nothing but
// that the call is not forwarded again; x-caserelay-partitions (a
// scattered query's partitions, scatter.h) likewise only narrows what a
// forwarded query answers from. x-caserelay-forwarded-for-bin
// names the caller an instance verified (auth.mode mtls) and is believed
// only from another instance of the same service (OwnService), else
// PERMISSION_DENIED; the caller it names is the principal of the call.
//
// The principal the call acts as: auth->PrincipalOf(ctx) with the
// on-behalf rule above applied. UNAUTHENTICATED when `auth` is nullptr or
// the call proves no principal; PERMISSION_DENIED when a principal other
// than service:web sends an x-caserelay- key; INVALID_ARGUMENT for bad
// on-behalf metadata from service:web.
absl::StatusOr<Principal> Caller(const Authenticator* auth,
                                 const grpc::ServerContext& ctx);

// The office `caller` acts for, for the calls only offices may make
// (directly or through the web gateway for one of their people);
// PERMISSION_DENIED naming it for a service's identity.
absl::StatusOr<std::string> ActingOffice(const Principal& caller);

// ActingOffice(Caller(auth, ctx)), with Caller's errors.
absl::StatusOr<std::string> CallerOffice(const Authenticator* auth,
                                         const grpc::ServerContext& ctx);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_AUTH_H_
