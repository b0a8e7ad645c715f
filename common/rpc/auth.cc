#include "common/rpc/auth.h"

#include <map>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace caserelay::rpc {
namespace {

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
    if (!direct.IsService(kWebService)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "metadata ", k, ": only service:web may speak for a user; ",
          direct.Name(), " may not"));
    }
    if (k != kUserMetadata && k != kOfficeMetadata &&
        k != kClientAddressMetadata && k != kPetitionerCaseMetadata) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metadata ", k, ": unknown (", kUserMetadata, ", ", kOfficeMetadata,
          ", ", kClientAddressMetadata, " and ", kPetitionerCaseMetadata,
          " are known)"));
    }
    if (!given.emplace(std::string(k), std::string(View(value))).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata ", k, ": given more than once"));
    }
  }
  auto user = given.find(kUserMetadata);
  auto office = given.find(kOfficeMetadata);
  auto petitioner = given.find(kPetitionerCaseMetadata);
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
    acting = Principal::Office(office->second);
  }
  acting.person = user->second;
  acting.via = kWebService;
  return acting;
}

}  // namespace

absl::StatusOr<Principal> Caller(const Authenticator* auth,
                                 const grpc::ServerContext& ctx) {
  if (auth == nullptr) {
    return absl::UnauthenticatedError(
        "this service has no authenticator and cannot tell who calls; set "
        "auth.mode to token or mtls");
  }
  absl::StatusOr<Principal> direct = auth->PrincipalOf(ctx);
  if (!direct.ok()) return direct.status();
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
