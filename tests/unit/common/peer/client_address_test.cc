// The client address a look-up is budgeted under (client_address.h, "CA").

#include "common/peer/client_address.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace caserelay::peer {
namespace {

TEST(ClientAddressTest, AddressKeyOfPeer) {
  struct Row {
    const char* rule;
    const char* peer;
    const char* key;
  };
  const std::vector<Row> rows = {
      {"CA: IPv4 peer, port dropped", "ipv4:203.0.113.7:51234",
       "ipv4:203.0.113.7"},
      {"CA: IPv6 peer keyed by its /64", "ipv6:[2001:db8:1:2:3:4:5:6]:443",
       "ipv6:2001:db8:1:2::/64"},
      {"CA: the same /64 is one budget", "ipv6:[2001:db8:1:2:ffff::1]:1",
       "ipv6:2001:db8:1:2::/64"},
      {"CA: gRPC's %-encoded brackets", "ipv6:%5B2001:db8:9::1%5D:443",
       "ipv6:2001:db8:9::/64"},
      {"CA: IPv4-mapped IPv6 is the IPv4 address",
       "ipv6:[::ffff:198.51.100.2]:80", "ipv4:198.51.100.2"},
      {"CA: a zone is not part of the address", "ipv6:[fe80::1%eth0]:80",
       "ipv6:fe80::/64"},
      {"CA: Unix socket", "unix:/run/caserelay/intake.sock", "local"},
      {"CA: unreadable peer shares one budget", "inproc", "unknown"},
      {"CA: not an address", "ipv4:not-an-ip:1", "unknown"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(AddressKeyOfPeer(r.peer), r.key) << r.rule;
  }
}

TEST(ClientAddressTest, AddressKeyOfIp) {
  struct Row {
    const char* rule;
    const char* ip;
    const char* key;  // empty: INVALID_ARGUMENT
  };
  const std::vector<Row> rows = {
      {"CA: the gateway's metadata names an IPv4 literal", "192.0.2.1",
       "ipv4:192.0.2.1"},
      {"CA: or an IPv6 literal", "2001:db8::5", "ipv6:2001:db8::/64"},
      {"CA: a port is not part of a literal", "192.0.2.1:80", ""},
      {"CA: a name is not a literal", "example.org", ""},
      {"CA: empty", "", ""},
  };
  for (const Row& r : rows) {
    auto key = AddressKeyOfIp(r.ip);
    if (std::string(r.key).empty()) {
      EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument)
          << r.rule;
    } else {
      ASSERT_TRUE(key.ok()) << r.rule << ": " << key.status();
      EXPECT_EQ(*key, r.key) << r.rule;
    }
  }
}

}  // namespace
}  // namespace caserelay::peer
