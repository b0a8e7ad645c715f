// Who a call comes from (调用方身份, issue 14 items 1-2): a Principal is
// either an office (机构: "<region code>:<unit>", e.g. "140431:bureau") or
// one of caserelay's own services, each with an identity of its own
// ("service:intake", "service:routing", "service:supervision",
// "service:notification", "service:accounts", "service:web"), optionally
// with the person who acts at it (a token's holder label, a certificate's
// holder, or the user the web gateway speaks for).
//
// The same spelling names a principal everywhere: in a tokens file's first
// field (token_auth.h), after "caserelay:office:" or "caserelay:service:"
// in a certificate's URI SAN (mtls_auth.h), and in logs and records
// (Principal::Name).
//
// Thread safety: value types and stateless functions.

#ifndef CASERELAY_COMMON_RPC_PRINCIPAL_H_
#define CASERELAY_COMMON_RPC_PRINCIPAL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/case.pb.h"

namespace caserelay::rpc {

// "service:<name>" names a service's identity.
inline constexpr char kServicePrefix[] = "service:";
// The services that have an identity: the back-end services, the console's
// staff directory (accounts), the statistics read model and the web gateway
// (the only one that may speak for a user, auth.h).
inline constexpr const char* kServiceNames[] = {
    "intake", "routing",  "supervision", "notification",
    "accounts", "statistics", "web"};
inline constexpr char kWebService[] = "web";

// True for "<digits>:<unit>" where unit is one or more of [a-z0-9_-]
// starting with a letter, the whole at most 64 bytes.
bool IsOfficeCode(absl::string_view code);

// True for one of kServiceNames.
bool IsServiceName(absl::string_view name);

// True for a person's label as tokens and the web gateway give it: 1 to
// 100 bytes of valid UTF-8 with no ASCII control character or space (a
// name such as 王五, an account such as clerk-7). The record stores it as
// CaseEvent.operator, whose bound is 100 characters.
bool IsPersonLabel(absl::string_view label);

// True for a case id as the web gateway names a petitioner's case (intake's
// case numbers, e.g. "140431-20260105-000001"): 1 to 64 bytes of ASCII
// letters, digits and '-'.
bool IsCaseIdLabel(absl::string_view id);

struct Principal {
  enum class Kind { kOffice, kService };

  Kind kind = Kind::kOffice;
  // The office code (kOffice) or the service name (kService).
  std::string id;
  // Who acts at it; empty when the proof names nobody.
  std::string person;
  // The service that speaks for `person` ("web"), empty for a direct call.
  std::string via;
  // Set only on service:web speaking for the petitioner of this case (the
  // portal's look-up, issue 15; auth.h x-caserelay-petitioner-case): the
  // caller is "the petitioner of case <petitioner_case>", no office, and
  // reads and acts only as domain/access PetitionerAccess allows.
  std::string petitioner_case;
  // The roles of a staff user at the office (issue 16), set only when
  // service:web speaks for that user (auth.h x-caserelay-roles): sorted,
  // without duplicates, never empty then. Empty for every other principal.
  // A DIRECT office principal (the office's own token or certificate:
  // casectl, scripts, the integration tests) names no roles and is the
  // office's own credential, with every role (HasEveryRole);
  // domain/access/roles.h says what each role may do.
  std::vector<caserelay::v1::StaffRole> roles;

  static Principal Office(std::string code, std::string person = "") {
    return Principal{Kind::kOffice, std::move(code), std::move(person), "",
                     "", {}};
  }
  static Principal Service(std::string name, std::string person = "") {
    return Principal{Kind::kService, std::move(name), std::move(person), "",
                     "", {}};
  }
  // The petitioner of case `case_id`, spoken for by the web gateway.
  static Principal Petitioner(std::string case_id) {
    return Principal{Kind::kService, kWebService, "", kWebService,
                     std::move(case_id), {}};
  }
  bool IsPetitioner() const { return !petitioner_case.empty(); }
  // True for an office calling directly (no service speaks for a user):
  // the office's own credential, which acts with every role.
  bool HasEveryRole() const { return kind == Kind::kOffice && via.empty(); }

  bool IsOffice() const { return kind == Kind::kOffice; }
  bool IsService(absl::string_view name) const {
    return kind == Kind::kService && id == name;
  }
  // "140431:bureau" or "service:web": the principal without the person.
  std::string Name() const;
  // Who acted, for records (CaseEvent.operator, notes): `person` when
  // known, "petitioner" for a petitioner, else Name(). Never empty for a
  // parsed principal.
  std::string Operator() const;
  // For notes and logs: Name(), or "<person> (<Name()>)", or, for an
  // office spoken for by a service, "<person> (<Name()> via
  // service:<via>, roles <x-caserelay-roles>)", e.g. "王五 (140431:bureau
  // via service:web, roles handler,head)"; for a petitioner "petitioner
  // of case <id> (service:web)".
  std::string ToString() const;

  bool operator==(const Principal& o) const {
    return kind == o.kind && id == o.id && person == o.person &&
           via == o.via && petitioner_case == o.petitioner_case &&
           roles == o.roles;
  }
  bool operator!=(const Principal& o) const { return !(*this == o); }
};

// Parses a principal's name: an office code, or "service:<name>" for a
// service of kServiceNames. INVALID_ARGUMENT saying which form was
// expected otherwise (the message quotes `text`, which is never secret).
absl::StatusOr<Principal> ParsePrincipal(absl::string_view text);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_PRINCIPAL_H_
