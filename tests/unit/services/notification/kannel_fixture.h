// Shared by the Kannel gateway's tests (kannel_protocol_test.cc,
// kannel_options_test.cc, kannel_gateway_test.cc): the options of a
// deployment, its delivery-report secret, and a part of "您好😀".
#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_KANNEL_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_KANNEL_FIXTURE_H_

#include <string>

#include "services/notification/dlr_mac.h"
#include "services/notification/kannel_gateway.h"

namespace caserelay::notification {

// "您好😀": two BMP ideographs and an emoji (a surrogate pair).
inline const std::u16string kChineseAndEmoji = u"您好\U0001F600";

// The delivery-report secret of these tests (dlr_mac.h).
inline const std::string kDlrSecret(64, 'd');

inline KannelOptions Options() {
  KannelOptions o;
  o.dlr_keys = *DlrKeys::Parse(kDlrSecret);
  o.sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  o.username = "cr";
  o.password = "s&cret=1";
  o.from = "12345";
  o.dlr_url = "http://127.0.0.1:8081/sms/dlr";
  return o;
}

inline OutgoingPart Part(int index, int total) {
  OutgoingPart p;
  p.message_id = "evt-7/sms";
  p.phone = "13800000000";
  p.index = index;
  p.total = total;
  p.reference = 7;
  p.text = kChineseAndEmoji;
  return p;
}

}  // namespace caserelay::notification

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_KANNEL_FIXTURE_H_
