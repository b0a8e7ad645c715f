#include "domain/sms/triggers.h"

#include <string>

#include "absl/strings/ascii.h"

namespace caserelay::sms {

const std::map<std::string, std::set<std::string>>& StandardTriggers() {
  static const auto* const kTriggers =
      new std::map<std::string, std::set<std::string>>{
          {std::string(kTriggerReceived), {"case_number", "lookup_code"}},
          {std::string(kTriggerAccepted),
           {"case_number", "office_name", "due_date"}},
          {std::string(kTriggerNotAccepted),
           {"case_number", "reason", "route"}},
          {std::string(kTriggerNotAcceptedInProgress),
           {"case_number", "route"}},
          {std::string(kTriggerNotAcceptedTerminated),
           {"case_number", "reason"}},
          {std::string(kTriggerNotAcceptedLevelSkipping),
           {"case_number", "reason", "route"}},
          {std::string(kTriggerNotAcceptedOutOfScope),
           {"case_number", "reason", "route"}},
          {std::string(kTriggerTransferred), {"case_number", "office_name"}},
          {std::string(kTriggerAssigned), {"case_number", "office_name"}},
          {std::string(kTriggerEscalated), {"case_number", "office_name"}},
          {std::string(kTriggerExtended),
           {"case_number", "new_due_date", "reason"}},
          {std::string(kTriggerReplied), {"case_number", "view_hint"}},
          {std::string(kTriggerReviewReceived), {"case_number", "office_name"}},
          {std::string(kTriggerReviewDecided), {"case_number", "view_hint"}},
          {std::string(kTriggerRereviewReceived),
           {"case_number", "office_name"}},
          {std::string(kTriggerRereviewDecided), {"case_number", "view_hint"}},
      };
  return *kTriggers;
}

const std::vector<std::string_view>& ForbiddenVariableFragments() {
  // ID numbers, accusation content and the petition's own text, personal
  // data of the petitioner beyond the case, and anyone else's data.
  static const auto* const kFragments = new std::vector<std::string_view>{
      "id_number", "id_card",    "identity",     "accus",       "content",
      "fact",      "request",    "address",      "phone",       "mobile",
      "birth",     "respondent", "other_person", "third_party",
  };
  return *kFragments;
}

bool IsForbiddenVariable(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  for (std::string_view fragment : ForbiddenVariableFragments()) {
    if (lower.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace caserelay::sms
