#include "common/service/payload.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace caserelay::service {
namespace {

std::string FieldName(caserelay::v1::Envelope::PayloadCase payload) {
  const auto* field =
      caserelay::v1::Envelope::descriptor()->FindFieldByNumber(payload);
  return field == nullptr ? std::string("no payload") : field->name();
}

}  // namespace

absl::Status ExpectPayload(const caserelay::v1::Envelope& event,
                           caserelay::v1::Envelope::PayloadCase expected,
                           std::string_view topic) {
  if (event.payload_case() == expected) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      std::string(topic), ": event ", event.event_id(), " carries ",
      FieldName(event.payload_case()), ", not ", FieldName(expected)));
}

}  // namespace caserelay::service
