#include "domain/petition/matter_bounds.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"

namespace caserelay::petition {
namespace {

using google::protobuf::RepeatedPtrField;

absl::Status CheckList(absl::string_view path,
                       const RepeatedPtrField<std::string>& items,
                       int max_items, int max_chars) {
  if (items.size() > max_items) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": 最多 ", max_items, " 项，收到 ", items.size(), " 项"));
  }
  for (int i = 0; i < items.size(); ++i) {
    if (absl::Status s =
            CheckChars(absl::StrCat(path, "[", i, "]"), items[i], max_chars);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

size_t CountCodePoints(absl::string_view utf8) {
  return text::CountCodePoints(std::string_view(utf8.data(), utf8.size()));
}

absl::Status CheckChars(absl::string_view path, absl::string_view value,
                        int max_chars) {
  // Issue 22 item 2: gRPC refuses such bytes at parse time, an in-process
  // caller does not, and protobuf stores them but never parses them back.
  if (absl::Status s =
          text::CheckUtf8(std::string_view(value.data(), value.size()),
                          std::string_view(path.data(), path.size()));
      !s.ok()) {
    return s;
  }
  // A string can have no more code points than bytes: most values pass
  // without being scanned.
  if (value.size() <= static_cast<size_t>(max_chars)) return absl::OkStatus();
  size_t n = CountCodePoints(value);
  if (n <= static_cast<size_t>(max_chars)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": 最多 ", max_chars, " 个字符，收到 ", n, " 个"));
}

absl::Status CheckMatterBounds(const caserelay::v1::Matter& m,
                               const MatterBounds& b, absl::string_view path) {
  auto at = [path](absl::string_view field) {
    return absl::StrCat(path, ".", field);
  };
  // Lists first: their size, not their content, is the danger.
  if (absl::Status s = CheckList(at("accused_offices"), m.accused_offices(),
                                 b.max_list_items, b.max_code_chars);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckList(at("other_regions"), m.other_regions(),
                                 b.max_list_items, b.max_region_code_chars);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckList(at("other_categories"), m.other_categories(),
                                 b.max_list_items, b.max_code_chars);
      !s.ok()) {
    return s;
  }
  const struct {
    const char* field;
    const std::string& value;
    int max_chars;
  } texts[] = {
      {"region_code", m.region_code(), b.max_region_code_chars},
      {"category", m.category(), b.max_code_chars},
      {"lodged_with", m.lodged_with(), b.max_code_chars},
      {"title", m.title(), b.max_title_chars},
      {"accused", m.accused(), b.max_accused_chars},
      {"text", m.text(), b.max_text_chars},
  };
  for (const auto& t : texts) {
    if (absl::Status s = CheckChars(at(t.field), t.value, t.max_chars);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace caserelay::petition
