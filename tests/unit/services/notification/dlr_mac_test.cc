// Delivery reports bound to a secret (dlr_mac.h, "DM" below; issue 14
// item 1: "bind it to a secret ... and refuse reports without it").

#include "services/notification/dlr_mac.h"

#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSecret(64, 'a');
const std::string kOld(64, 'b');
const std::string kOther(64, 'c');
constexpr char kMsg[] = "routing/140431-20261122-000001/3/sms";

TEST(DlrMacTest, MacIsHexOfHmacOverIdAndPart) {
  // DM: 64 lowercase hex characters; each input changes it.
  const std::string mac = DlrMac(kSecret, kMsg, 1, 2);
  EXPECT_EQ(mac.size(), 64u);
  EXPECT_EQ(mac.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(mac, DlrMac(kOther, kMsg, 1, 2)) << "the secret";
  EXPECT_NE(mac, DlrMac(kSecret, "routing/x/3/sms", 1, 2)) << "the id";
  EXPECT_NE(mac, DlrMac(kSecret, kMsg, 2, 2)) << "the part";
  EXPECT_NE(mac, DlrMac(kSecret, kMsg, 1, 3)) << "the parts";
  // The id's length is in the MAC: no id/part boundary can be shifted.
  EXPECT_NE(DlrMac(kSecret, "a|1", 1, 1), DlrMac(kSecret, "a", 11, 1));
}

TEST(DlrMacTest, CheckRefusesEveryForgery) {
  auto keys = DlrKeys::Parse(kSecret + "\n" + kOld + "\n");
  ASSERT_TRUE(keys.ok()) << keys.status();
  struct Row {
    const char* rule;
    const DlrKeys* keys;
    std::optional<std::string> mac;
    DlrMacCheck want;
  };
  const DlrKeys none;
  const std::vector<Row> rows = {
      {"DM: the genuine MAC", &*keys, DlrMac(kSecret, kMsg, 1, 2),
       DlrMacCheck::kValid},
      {"DM: a MAC under an older secret still listed (rotation)", &*keys,
       DlrMac(kOld, kMsg, 1, 2), DlrMacCheck::kValid},
      {"DM: no MAC", &*keys, std::nullopt, DlrMacCheck::kMissing},
      {"DM: an empty MAC", &*keys, "", DlrMacCheck::kMismatch},
      {"DM: a wrong MAC", &*keys, std::string(64, '0'), DlrMacCheck::kMismatch},
      {"DM: the MAC of another message", &*keys,
       DlrMac(kSecret, "routing/140431-20261122-000002/3/sms", 1, 2),
       DlrMacCheck::kMismatch},
      {"DM: the MAC of another part", &*keys, DlrMac(kSecret, kMsg, 2, 2),
       DlrMacCheck::kMismatch},
      {"DM: a MAC under a secret not in the file", &*keys,
       DlrMac(kOther, kMsg, 1, 2), DlrMacCheck::kMismatch},
      {"DM: the MAC in capitals is not ours", &*keys,
       [] {
         std::string m = DlrMac(kSecret, kMsg, 1, 2);
         for (char& c : m) c = static_cast<char>(std::toupper(c));
         return m;
       }(),
       DlrMacCheck::kMismatch},
      {"DM: the MAC with a byte more", &*keys,
       DlrMac(kSecret, kMsg, 1, 2) + "0", DlrMacCheck::kMismatch},
      {"DM: no secret: every report refused", &none,
       DlrMac(kSecret, kMsg, 1, 2), DlrMacCheck::kNoSecret},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(r.keys->Check(r.mac, kMsg, 1, 2), r.want) << r.rule;
  }
}

TEST(DlrMacTest, ParseTakesOneSecretPerLine) {
  struct Row {
    const char* rule;
    std::string text;
    bool ok;
  };
  const std::vector<Row> rows = {
      {"DM: one secret, newline and spaces ignored", "  " + kSecret + " \n",
       true},
      {"DM: empty lines between secrets", kSecret + "\n\n" + kOld, true},
      {"DM: no secret at all", "\n \n", false},
      {"DM: a secret under 32 bytes", kSecret + "\nshort-secret\n", false},
  };
  for (const Row& r : rows) {
    auto keys = DlrKeys::Parse(r.text);
    EXPECT_EQ(keys.ok(), r.ok) << r.rule << ": " << keys.status();
    if (keys.ok()) {
      EXPECT_EQ(keys->signing(), kSecret) << r.rule;
    } else {
      EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(keys.status().message(), Not(HasSubstr("short-secret")))
          << r.rule << ": the message never repeats a secret";
    }
  }
}

TEST(DlrMacTest, LoadNeedsAFileOnlyItsOwnerMayRead) {
  const std::string path = ::testing::TempDir() + "/dlr-mac-test.secret";
  std::ofstream(path) << kSecret << "\n";
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto open = DlrKeys::Load(path);
  EXPECT_EQ(open.status().code(), absl::StatusCode::kFailedPrecondition)
      << "DM: a secret others may read is refused";
  EXPECT_THAT(open.status().message(), HasSubstr(path));
  EXPECT_THAT(open.status().message(), Not(HasSubstr(kSecret)));
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  auto keys = DlrKeys::Load(path);
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->signing(), kSecret);
  EXPECT_EQ(DlrKeys::Load(path + ".missing").status().code(),
            absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace caserelay::notification
