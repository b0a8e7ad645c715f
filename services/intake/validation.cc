#include "services/intake/validation.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"
#include "domain/petition/group_petition.h"
#include "domain/petition/identity.h"
#include "domain/petition/matter_bounds.h"
#include "domain/routing/matter_validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace caserelay::intake {
namespace {

absl::Status Field(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

absl::Status Text(absl::string_view path, const std::string& value,
                  bool required, int max_chars) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    return Field(path, "is required");
  }
  size_t n = CountChars(std::string_view(value.data(), value.size()));
  if (n > static_cast<size_t>(max_chars)) {
    // The words of MatterBounds (domain/petition/matter_bounds.h), so the
    // portal can show them beside the field (issue 15 item 2).
    return Field(path,
                 absl::StrCat("最多 ", max_chars, " 个字符，收到 ", n, " 个"));
  }
  return absl::OkStatus();
}

// OK when every string of `msg` (nested messages and lists included) is
// valid UTF-8; otherwise INVALID_ARGUMENT "<path>: not valid UTF-8 at byte
// <n>" for the first one in field order. Issue 22 item 2: gRPC refuses
// such a request at parse time, but a caller in the same process does not,
// and protobuf would store the bytes in the read model and the
// PetitionReceived event but never parse them back.
absl::Status AllUtf8(const google::protobuf::Message& msg,
                     const std::string& prefix) {
  using google::protobuf::FieldDescriptor;
  const auto* d = msg.GetDescriptor();
  const auto* r = msg.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string path = absl::StrCat(prefix, f->name());
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(msg, f); ++j) {
          if (auto s = text::CheckUtf8(r->GetRepeatedString(msg, f, j),
                                       absl::StrCat(path, "[", j, "]"));
              !s.ok()) {
            return s;
          }
        }
      } else if (auto s = text::CheckUtf8(r->GetString(msg, f), path);
                 !s.ok()) {
        return s;
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(msg, f); ++j) {
          if (auto s = AllUtf8(r->GetRepeatedMessage(msg, f, j),
                               absl::StrCat(path, "[", j, "]."));
              !s.ok()) {
            return s;
          }
        }
      } else if (r->HasField(msg, f)) {
        if (auto s = AllUtf8(r->GetMessage(msg, f), path + "."); !s.ok()) {
          return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

// The checks of one person (the petitioner, or a co-representative of a
// group petition) under `path`: name and address required and bounded, the
// GB 11643 checksum of an ID number, the phone's format.
absl::Status ValidatePerson(const std::string& path,
                            const caserelay::v1::Petitioner& p,
                            const Limits& limits, absl::CivilDay today) {
  if (auto s = Text(path + ".name", p.name(), true, limits.max_name_chars);
      !s.ok()) {
    return s;
  }
  if (auto s = Text(path + ".address", p.address(), true,
                    limits.max_address_chars);
      !s.ok()) {
    return s;
  }
  if (!p.id_number().empty()) {
    if (auto s = petition::ValidateIdNumber(p.id_number(), today); !s.ok()) {
      return Field(path + ".id_number", s.message());
    }
  }
  if (!p.phone().empty()) {
    if (auto s = petition::ValidatePhone(p.phone()); !s.ok()) {
      return Field(path + ".phone", s.message());
    }
  }
  return absl::OkStatus();
}

}  // namespace

size_t CountChars(std::string_view utf8) {
  return text::CountCodePoints(utf8);
}

absl::Status ValidateSubmission(const caserelay::v1::SubmitPetitionRequest& req,
                                const region::RegionTree& regions,
                                const offices::OfficeDirectory& offices,
                                const Limits& limits, absl::CivilDay today) {
  using caserelay::v1::Channel;
  using caserelay::v1::MatterClass;
  if (!req.has_petitioner()) return Field("petitioner", "is required");
  if (!req.has_matter()) return Field("matter", "is required");
  if (auto s = AllUtf8(req, ""); !s.ok()) return s;
  const auto& p = req.petitioner();
  const auto& m = req.matter();
  // Size limits first: a huge field is refused before anything parses it.
  if (auto s = Text("matter.text", m.text(), true, limits.max_text_chars);
      !s.ok()) {
    return s;
  }
  if (auto s = ValidatePerson("petitioner", p, limits, today); !s.ok()) {
    return s;
  }
  // 群体访 / 联名 (issue 18 item 3): each co-representative like the
  // petitioner; at most five representatives and a bounded head count.
  for (int i = 0; i < req.co_representatives_size(); ++i) {
    if (auto s = ValidatePerson(absl::StrCat("co_representatives[", i, "]"),
                                req.co_representatives(i), limits, today);
        !s.ok()) {
      return s;
    }
  }
  petition::GroupBounds group;
  group.max_head_count = limits.max_head_count;
  if (auto s = petition::CheckGroup(1 + req.co_representatives_size(),
                                    req.head_count(), group);
      !s.ok()) {
    return s;
  }
  if (auto s = Text("matter.title", m.title(), false, limits.max_title_chars);
      !s.ok()) {
    return s;
  }
  if (auto s =
          Text("matter.accused", m.accused(), false, limits.max_name_chars);
      !s.ok()) {
    return s;
  }
  if (auto s = Text("request_id", req.request_id(), false,
                    limits.max_request_id_chars);
      !s.ok()) {
    return s;
  }
  // Every other field of the matter, and its lists' lengths (issue 22
  // item 1: the whole matter goes into PetitionReceived).
  petition::MatterBounds bounds;
  bounds.max_title_chars = limits.max_title_chars;
  bounds.max_text_chars = limits.max_text_chars;
  bounds.max_accused_chars = limits.max_name_chars;
  bounds.max_list_items = limits.max_list_items;
  if (auto s = petition::CheckMatterBounds(m, bounds); !s.ok()) return s;
  // The codes, by routing's own check against the tables routing decides
  // by (issue 22 item 3): a receipt only for a matter routing registers.
  if (m.region_code().size() > 12) {  // no code is longer; not echoed whole
    return Field(
        "matter.region_code",
        absl::StrCat("unknown region ", m.region_code().substr(0, 12)));
  }
  if (auto s = routing::ValidateMatter(m, regions, offices); !s.ok()) {
    return s;
  }
  if (m.matter_class() == caserelay::v1::MATTER_CLASS_UNSPECIFIED ||
      !caserelay::v1::MatterClass_IsValid(m.matter_class())) {
    return Field("matter.matter_class", "is required");
  }
  if (m.channel() == caserelay::v1::CHANNEL_UNSPECIFIED ||
      !caserelay::v1::Channel_IsValid(m.channel())) {
    return Field("matter.channel", "is required");
  }
  return absl::OkStatus();
}

}  // namespace caserelay::intake
