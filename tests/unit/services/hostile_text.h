// Text a service test feeds where text from outside can reach a stored
// record (issue 22 item 2): protobuf 3.21 writes a proto3 string holding
// invalid UTF-8 but never parses it back, so every such path must refuse
// or repair it. One list for the services' stored-text tests.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_HOSTILE_TEXT_H_
#define CASERELAY_TESTS_UNIT_SERVICES_HOSTILE_TEXT_H_

#include <string>
#include <vector>

namespace caserelay::svctest {

struct Hostile {
  const char* what;
  std::string bytes;
};

// Not valid UTF-8; the first two follow `valid` (a value the field would
// otherwise take), the others stand alone.
inline std::vector<Hostile> InvalidTexts(const std::string& valid) {
  return {
      {"a lone 0xFF", valid + "\xFF"},
      {"a cut 3-byte sequence", valid + "\xE9\x94"},
      {"an overlong '/'", "\xC0\xAF"},
      {"a UTF-8-encoded surrogate", "\xED\xA0\x80"},
  };
}

// Valid UTF-8, but odd: an emoji after `valid`, and a NUL between two
// copies of it.
inline std::vector<Hostile> OddTexts(const std::string& valid) {
  return {
      {"an emoji", valid + "\xF0\x9F\x98\x80"},
      {"a NUL", valid + std::string(1, '\0') + valid},
  };
}

}  // namespace caserelay::svctest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_HOSTILE_TEXT_H_
