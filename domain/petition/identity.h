// Validation of the petitioner's (信访人) identity and contact fields.
//
// DOMAIN.md "Who is involved": the ID card number (公民身份号码, GB 11643-1999)
// is optional, and its checksum is validated when present; the phone number
// (联系电话) is optional but needed for SMS, which only a mainland mobile
// number (手机号码) can receive.
//
// Everything here is a pure function: no I/O, no shared state, thread-safe.
// Error messages name the field and the rule, never echo the whole value
// (personal data stays out of logs).

#ifndef CASERELAY_DOMAIN_PETITION_IDENTITY_H_
#define CASERELAY_DOMAIN_PETITION_IDENTITY_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace caserelay::petition {

// Checks an 18-character citizen ID number (GB 11643-1999):
//   - 17 digits, then a check character 0-9 or X (a lowercase x is
//     accepted; NormalizeIdNumber gives the stored form);
//   - characters 7-14 are the birth date YYYYMMDD: a real calendar date,
//     not before 1800-01-01 and not after `today`;
//   - the check character is the ISO 7064 MOD 11-2 checksum of the first 17
//     digits (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder
//     0..10 -> 1 0 X 9 8 7 6 5 4 3 2).
// The six-digit address code is not checked against GB/T 2260: codes of
// abolished regions stay valid on the cards issued under them.
// The 15-digit first-generation numbers are not accepted.
// Returns OK, or INVALID_ARGUMENT saying which rule failed (length, format,
// birth date, checksum).
// `today` is the caller's current date in China (injected so tests and
// replays are deterministic).
absl::Status ValidateIdNumber(std::string_view id, absl::CivilDay today);

// Validates like ValidateIdNumber and returns the number with an uppercase
// check character X, the form to store and compare.
absl::StatusOr<std::string> NormalizeIdNumber(std::string_view id,
                                              absl::CivilDay today);

// Checks a contact phone number. Accepted forms (spaces and hyphens between
// digits are ignored for mobiles):
//   - a mainland mobile 1[3-9]XXXXXXXXX, optionally prefixed by +86, 0086
//     or 86;
//   - a landline 0 + 2-3 digit area code + 7-8 digit number, optionally
//     with one hyphen after the area code (e.g. 010-12345678, 03543123456).
// Returns OK, or INVALID_ARGUMENT naming the rule.
absl::Status ValidatePhone(std::string_view phone);

// Returns true if `phone` is a mainland mobile in one of the forms
// ValidatePhone accepts (only a mobile can receive the SMS notices).
bool IsMobile(std::string_view phone);

// Returns the 11-digit mobile number of `phone` (prefix, spaces and hyphens
// removed), the form to store and to hand to the SMS gateway; or
// INVALID_ARGUMENT if `phone` is not a mainland mobile (a landline included).
absl::StatusOr<std::string> NormalizeMobile(std::string_view phone);

}  // namespace caserelay::petition

#endif  // CASERELAY_DOMAIN_PETITION_IDENTITY_H_
