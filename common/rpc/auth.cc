#include "common/rpc/auth.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/rpc/forwarder.h"

namespace caserelay::rpc {
namespace {

using caserelay::v1::StaffRole;

struct RoleSpelling {
  StaffRole role;
  const char* name;
};
constexpr RoleSpelling kRoleSpellings[] = {
    {caserelay::v1::STAFF_ROLE_REGISTRAR, "registrar"},
    {caserelay::v1::STAFF_ROLE_HANDLER, "handler"},
    {caserelay::v1::STAFF_ROLE_HEAD, "head"},
    {caserelay::v1::STAFF_ROLE_INSPECTOR, "inspector"},
    {caserelay::v1::STAFF_ROLE_LEADER, "leader"},
    {caserelay::v1::STAFF_ROLE_ADMIN, "admin"},
};

void SortUnique(std::vector<StaffRole>& roles) {
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
}

absl::string_view View(const grpc::string_ref& ref) {
  return absl::string_view(ref.data(), ref.size());
}

// The on-behalf rule (auth.h) over `metadata` for the transport principal
// `direct`.
absl::StatusOr<Principal> OnBehalf(
    Principal direct,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  std::map<std::string, std::string> given;
  for (const auto& [key, value] : metadata) {
    absl::string_view k = View(key);
    if (!absl::StartsWith(k, kOnBehalfPrefix)) continue;
    if (k == kForwardedMetadata) continue;  // forwarder.h: any principal
    if (k == kPartitionsMetadata) continue;  // forwarder.h, scatter.h: same
    if (!direct.IsService(kWebService)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "metadata ", k, ": only service:web may speak for a user; ",
          direct.Name(), " may not"));
    }
    if (k != kUserMetadata && k != kOfficeMetadata &&
        k != kClientAddressMetadata && k != kPetitionerCaseMetadata &&
        k != kRolesMetadata) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metadata ", k, ": unknown (", kUserMetadata, ", ", kOfficeMetadata,
          ", ", kRolesMetadata, ", ", kClientAddressMetadata, " and ",
          kPetitionerCaseMetadata, " are known)"));
    }
    if (!given.emplace(std::string(k), std::string(View(value))).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata ", k, ": given more than once"));
    }
  }
  auto user = given.find(kUserMetadata);
  auto office = given.find(kOfficeMetadata);
  auto petitioner = given.find(kPetitionerCaseMetadata);
  auto roles = given.find(kRolesMetadata);
  if (roles != given.end() &&
      (user == given.end() || office == given.end())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata ", kRolesMetadata, ": only with ", kUserMetadata, " and ",
        kOfficeMetadata, " (roles are a staff user's at an office)"));
  }
  if (petitioner != given.end()) {
    if (user != given.end() || office != given.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metadata ", kPetitionerCaseMetadata, ": not with ", kUserMetadata,
          " or ", kOfficeMetadata, " (a petitioner acts for no office)"));
    }
    if (!IsCaseIdLabel(petitioner->second)) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata ", kPetitionerCaseMetadata,
                       ": not a case id (1-64 letters, digits or '-')"));
    }
    return Principal::Petitioner(petitioner->second);
  }
  if (user == given.end()) {
    if (office == given.end()) return direct;
    return absl::InvalidArgumentError(
        absl::StrCat("metadata ", kUserMetadata, ": required with ",
                     kOfficeMetadata, " (the gateway names its user)"));
  }
  if (!IsPersonLabel(user->second)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata ", kUserMetadata,
        ": not a person's label (1-100 bytes of UTF-8, no space or control "
        "character)"));
  }
  Principal acting = direct;
  if (office != given.end()) {
    if (!IsOfficeCode(office->second)) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata ", kOfficeMetadata, ": \"", office->second,
                       "\" is not an office code"));
    }
    if (roles == given.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metadata ", kRolesMetadata, ": required with ", kOfficeMetadata,
          " (the gateway names its user's roles; a user is never the "
          "office's own credential)"));
    }
    absl::StatusOr<std::vector<StaffRole>> parsed =
        ParseRolesMetadata(roles->second);
    if (!parsed.ok()) return parsed.status();
    acting = Principal::Office(office->second);
    acting.roles = *std::move(parsed);
  }
  acting.person = user->second;
  acting.via = kWebService;
  return acting;
}

}  // namespace

absl::string_view RoleName(StaffRole role) {
  for (const RoleSpelling& s : kRoleSpellings) {
    if (s.role == role) return s.name;
  }
  return "";
}

std::string RolesMetadataValue(const std::vector<StaffRole>& roles) {
  std::vector<StaffRole> sorted = roles;
  SortUnique(sorted);
  std::vector<absl::string_view> names;
  for (StaffRole role : sorted) names.push_back(RoleName(role));
  return absl::StrJoin(names, ",");
}

absl::StatusOr<std::vector<StaffRole>> ParseRolesMetadata(
    absl::string_view value) {
  std::vector<StaffRole> roles;
  for (absl::string_view name : absl::StrSplit(value, ',')) {
    const RoleSpelling* found = nullptr;
    for (const RoleSpelling& s : kRoleSpellings) {
      if (name == s.name) found = &s;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metadata ", kRolesMetadata, ": \"", name.substr(0, 32),
          "\" is not a role (registrar, handler, head, inspector, leader, "
          "admin, comma-separated, at least one)"));
    }
    roles.push_back(found->role);
  }
  SortUnique(roles);
  return roles;
}

absl::StatusOr<Principal> Caller(const Authenticator* auth,
                                 const grpc::ServerContext& ctx) {
  if (auth == nullptr) {
    return absl::UnauthenticatedError(
        "this service has no authenticator and cannot tell who calls; set "
        "auth.mode to token or mtls");
  }
  absl::StatusOr<Principal> direct = auth->PrincipalOf(ctx);
  if (!direct.ok()) return direct.status();
  absl::StatusOr<std::optional<Principal>> forwarded =
      ForwardedCaller(ctx, *direct, auth->OwnService());
  if (!forwarded.ok()) return forwarded.status();
  if (forwarded->has_value()) return **std::move(forwarded);
  return OnBehalf(*std::move(direct), ctx.client_metadata());
}

absl::StatusOr<std::string> ActingOffice(const Principal& caller) {
  if (!caller.IsOffice()) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.Name(),
                     " is not an office; only offices (directly or through "
                     "the web gateway) may make this call"));
  }
  return caller.id;
}

absl::StatusOr<std::string> CallerOffice(const Authenticator* auth,
                                         const grpc::ServerContext& ctx) {
  absl::StatusOr<Principal> caller = Caller(auth, ctx);
  if (!caller.ok()) return caller.status();
  return ActingOffice(*caller);
}

}  // namespace caserelay::rpc
