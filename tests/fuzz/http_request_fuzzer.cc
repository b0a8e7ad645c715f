// The admin server's HTTP request parsing (common/admin/http_message.h) on
// hostile bytes, in the order http_server.cc applies it: find the end of
// the head, parse the head, the body length it announces, and the query of
// its target; then format an answer. Every call must return a value or a
// status, never crash or read out of bounds.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/admin/http_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay::admin;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t end = FindEndOfHead(bytes);
  const std::string_view head =
      end == std::string_view::npos ? bytes : bytes.substr(0, end);
  auto parsed = ParseRequestHead(head);
  if (parsed.ok()) {
    (void)BodyLength(*parsed);
    const size_t question = parsed->target.find('?');
    if (question != std::string::npos) {
      (void)ParseQuery(std::string_view(parsed->target).substr(question + 1));
    }
  }
  // The same bytes as a query string and as an escaped value.
  (void)ParseQuery(bytes);
  (void)UrlDecode(bytes, /*plus_is_space=*/false);
  HttpResponse response;
  response.status = size > 0 ? data[0] * 3 : 200;
  response.body = std::string(bytes);
  (void)FormatResponse(response, /*with_body=*/size % 2 == 0);
  return 0;
}
