// The end user's address the gateway forwards (services/web/http_front.h,
// issue 15 item 3: the look-up throttle per client address must not be
// fooled by a header anyone can send).

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/web/http_front.h"

namespace caserelay::web {
namespace {

TEST(ClientAddressTest, BelievesForwardedForOnlyFromTrustedProxies) {
  const std::vector<std::string> proxies = {"10.0.0.2", "10.0.0.3"};
  struct Row {
    const char* why;
    const char* peer;
    const char* forwarded_for;
    const char* want;
  };
  const Row rows[] = {
      {"w1: no proxy: the socket's peer", "203.0.113.7", "", "203.0.113.7"},
      {"w1: an untrusted peer's X-Forwarded-For is ignored (forged)",
       "203.0.113.7", "198.51.100.1", "203.0.113.7"},
      {"a trusted proxy names the user", "10.0.0.2", "198.51.100.1",
       "198.51.100.1"},
      {"the user's own prefix is not believed: the last untrusted hop",
       "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
      {"proxies chained: skip every trusted hop", "10.0.0.2",
       "198.51.100.1, 10.0.0.3", "198.51.100.1"},
      {"a trusted proxy without the header: the proxy", "10.0.0.2", "",
       "10.0.0.2"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    EXPECT_EQ(ClientAddress(row.peer, row.forwarded_for, proxies), row.want);
  }
  EXPECT_EQ(ClientAddress("10.0.0.2", "198.51.100.1", {}), "10.0.0.2");
}

}  // namespace
}  // namespace caserelay::web
