// The SMS text path (domain/sms) on hostile text: the input is a template
// file (TemplateSet::Load of a directory holding it as received.txt) and,
// after a NUL byte, the value every variable is rendered with (a value
// comes from a case event); the rendered text, and the raw input, are
// segmented (SegmentUcs2) with a part cap from the input's length, and
// the UTF-8/UTF-16 conversions must round-trip well-formed text.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "domain/sms/segment.h"
#include "domain/sms/template_set.h"
#include "domain/sms/triggers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t nul = bytes.find('\0');
  const std::string_view value = nul == std::string_view::npos
                                     ? "140431-20261122-000001"
                                     : bytes.substr(nul + 1);
  sms::SegmentOptions options;
  options.max_parts = 1 + static_cast<int>(size % sms::kMaxPartsLimit);

  auto utf16 = sms::Utf8ToUtf16(bytes);
  if (utf16.ok() && sms::Utf16ToUtf8(*utf16) != bytes) std::abort();
  (void)sms::SegmentUcs2(bytes, options);

  static const std::map<std::string, std::set<std::string>> required = {
      {"received", sms::StandardTriggers().at("received")}};
  fuzz::WriteScratch("received.txt", bytes.substr(0, nul));
  auto templates = sms::TemplateSet::Load(fuzz::ScratchDir(), required);
  if (!templates.ok()) return 0;
  std::map<std::string, std::string> vars;
  for (const std::string& name : required.at("received")) {
    vars[name] = std::string(value);
  }
  auto text = templates->Render("received", vars);
  if (!text.ok()) return 0;
  auto parts = sms::SegmentUcs2(*text, options);
  if (!parts.ok()) return 0;
  std::u16string joined;
  for (const std::u16string& part : *parts) joined += part;
  if (sms::Utf16ToUtf8(joined) != *text) std::abort();
  return 0;
}
