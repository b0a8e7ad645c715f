#include "services/notification/message_case.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace caserelay::notification {
namespace {

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> CaseOfMessageId(std::string_view message_id) {
  // (Debian's abseil has a string_view of its own.)
  std::vector<absl::string_view> parts = absl::StrSplit(
      absl::string_view(message_id.data(), message_id.size()), '/');
  // "<event id>/sms" or "<event id>/sms/<n>": the event id's pieces.
  size_t end = parts.size();
  if (end >= 2 && parts[end - 2] == "sms" && AllDigits(parts[end - 1])) {
    end -= 2;
  } else if (end >= 1 && parts[end - 1] == "sms") {
    end -= 1;
  } else {
    return std::nullopt;
  }
  // intake/<case>/received/registered
  if (end == 4 && parts[0] == "intake" && parts[2] == "received" &&
      parts[3] == "registered" && !parts[1].empty()) {
    return std::string(parts[1]);
  }
  // <case>/<version>
  if (end == 2 && !parts[0].empty() && parts[0] != "intake" &&
      AllDigits(parts[1])) {
    return std::string(parts[0]);
  }
  return std::nullopt;
}

}  // namespace caserelay::notification
