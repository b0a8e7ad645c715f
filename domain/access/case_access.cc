#include "domain/access/case_access.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/offices/office_code.h"

namespace caserelay::access {

bool CaseAccess::Listed(std::string_view office,
                        const std::vector<std::string>& codes) {
  return std::find(codes.begin(), codes.end(), office) != codes.end();
}

bool CaseAccess::NamedIn(std::string_view office, const CaseParties& parties) {
  return Listed(office, parties.acting_offices) ||
         Listed(office, parties.past_holders) ||
         Listed(office, parties.parties);
}

absl::Status CaseAccess::NotAccused(std::string_view office,
                                    const std::vector<std::string>& accused,
                                    std::string_view case_id) const {
  if (accused.empty() || !offices_->IsAccusedOrMember(office, accused)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(kRuleAccused, ": ", std::string(office),
                   " may not see case ", std::string(case_id)));
}

absl::Status CaseAccess::MayRead(std::string_view office,
                                 const CaseParties& parties) const {
  if (!parties.accused.has_value()) {
    if (NamedIn(office, parties)) return absl::OkStatus();
    return absl::PermissionDeniedError(absl::StrCat(
        std::string(office), " may not read case ", parties.case_id,
        ": its accused offices are not known here, so only its holders "
        "read it"));
  }
  if (absl::Status s = NotAccused(office, *parties.accused, parties.case_id);
      !s.ok()) {
    return s;
  }
  if (NamedIn(office, parties)) return absl::OkStatus();
  for (const std::string& acting : parties.acting_offices) {
    if (offices_->Supervises(office, acting)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(std::string(office), " neither holds case ", parties.case_id,
                   " nor supervises its holder"));
}

absl::Status CaseAccess::MaySeePetitioner(std::string_view office,
                                          const CaseParties& parties) const {
  const bool handling = Listed(office, parties.acting_offices) ||
                        Listed(office, parties.parties);
  if (!parties.accused.has_value()) {
    if (handling) return absl::OkStatus();
  } else {
    if (absl::Status s =
            NotAccused(office, *parties.accused, parties.case_id);
        !s.ok()) {
      return s;
    }
    if (handling) return absl::OkStatus();
    for (const std::string& acting : parties.acting_offices) {
      if (offices_->Supervises(office, acting)) return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      absl::StrCat(std::string(office), " may not see the petitioner of case ",
                   parties.case_id));
}

bool CaseAccess::MayListRow(std::string_view office,
                            const CaseParties& parties) const {
  if (!parties.accused.has_value()) return NamedIn(office, parties);
  return parties.accused->empty() ||
         !offices_->IsAccusedOrMember(office, *parties.accused);
}

absl::Status CaseAccess::MayAskOffice(std::string_view office,
                                      std::string_view scope_office) const {
  if (office == scope_office || offices_->Supervises(office, scope_office)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(std::string(office), " does not supervise ",
                   std::string(scope_office.substr(0, 64))));
}

absl::Status CaseAccess::MayAskRegion(std::string_view office,
                                      std::string_view region_code) const {
  // Every region has a bureau: supervising it is containing the region.
  if (offices_->Supervises(
          office, offices::MakeOfficeCode(region_code, offices::kBureauUnit))) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(std::string(office), " does not supervise region ",
                   std::string(region_code.substr(0, 64))));
}

}  // namespace caserelay::access
