// A message's part states as letters, for notification's tests: P PENDING,
// S SENDING, A ACCEPTED, C SMSC_ACCEPTED, D DELIVERED, F FAILED, U UNKNOWN,
// ? UNSPECIFIED. One table for the record builders and the readers of
// message_rules_test, delivery_reports_fixture.h and stored_text_test.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_PART_LETTERS_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_PART_LETTERS_H_

#include <string>

#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/records.pb.h"
#include "gtest/gtest.h"

namespace caserelay::notification::parttest {

inline constexpr char kPartLetters[] = "PSACDFU?";

// The state of letter `c`; a letter not in the table fails the test.
inline caserelay::v1::SmsPartState PartState(char c) {
  switch (c) {
    case 'P':
      return caserelay::v1::SMS_PART_STATE_PENDING;
    case 'S':
      return caserelay::v1::SMS_PART_STATE_SENDING;
    case 'A':
      return caserelay::v1::SMS_PART_STATE_ACCEPTED;
    case 'C':
      return caserelay::v1::SMS_PART_STATE_SMSC_ACCEPTED;
    case 'D':
      return caserelay::v1::SMS_PART_STATE_DELIVERED;
    case 'F':
      return caserelay::v1::SMS_PART_STATE_FAILED;
    case 'U':
      return caserelay::v1::SMS_PART_STATE_UNKNOWN;
    case '?':
      return caserelay::v1::SMS_PART_STATE_UNSPECIFIED;
  }
  ADD_FAILURE() << "no part state " << c;
  return caserelay::v1::SMS_PART_STATE_UNSPECIFIED;
}

// The record's parts, one letter each, in order.
inline std::string Letters(const caserelay::v1::SmsRecord& r) {
  std::string out;
  for (const auto& p : r.message().part_states()) {
    for (const char* c = kPartLetters; *c != '\0'; ++c) {
      if (PartState(*c) == p.state()) out += *c;
    }
  }
  return out;
}

}  // namespace caserelay::notification::parttest

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_PART_LETTERS_H_
