// The personal-data key ring (pii_keys.h): its grammar, and a file only its
// owner may read, like every other secret (issue 14 item 3: "a key loaded
// from a file or the environment").

#include "services/intake/pii_keys.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/config/config.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"

namespace caserelay::intake {
namespace {

const std::string kHex1(64, 'a');
const std::string kHex2(64, 'b');
const std::string kIdentity(32, 'c');

TEST(PiiKeysTest, ParsesWellFormedRings) {
  struct Row {
    const char* rule;
    std::string text;
    char separator;
    size_t keys;
    const char* current;
  };
  const std::vector<Row> rows = {
      {"one current key and the identity secret",
       absl::StrCat("key k1 ", kHex1, " current\nidentity ", kIdentity, "\n"),
       '\n', 1, "k1"},
      {"comments, blank lines and tabs are ignored",
       absl::StrCat("# ring\n\n key\tk1 ", kHex1, "\t current \n# x\nidentity ",
                    kIdentity),
       '\n', 1, "k1"},
      {"rotation: an old key stays beside the current one",
       absl::StrCat("key 2025-a ", kHex1, "\nkey 2026_b ", kHex2,
                    " current\nidentity ", kIdentity),
       '\n', 2, "2026_b"},
      {"the environment form separates entries by ';'",
       absl::StrCat("key k1 ", kHex1, ";key k2 ", kHex2, " current;identity ",
                    kIdentity),
       ';', 2, "k2"},
  };
  for (const Row& row : rows) {
    auto ring = ParsePiiKeyRing(row.text, row.separator, "test");
    ASSERT_TRUE(ring.ok()) << row.rule << ": " << ring.status();
    EXPECT_EQ(ring->keys.size(), row.keys) << row.rule;
    EXPECT_EQ(ring->current, row.current) << row.rule;
    EXPECT_EQ(ring->keys.at(ring->current).size(), kPiiKeySize) << row.rule;
    EXPECT_EQ(ring->identity_secret, std::string(16, '\xcc')) << row.rule;
  }
}

TEST(PiiKeysTest, RefusesMalformedRingsWithoutEchoingKeys) {
  struct Row {
    const char* rule;
    std::string text;
    const char* message;  // a part of the message
  };
  const std::string id = absl::StrCat("\nidentity ", kIdentity);
  const std::vector<Row> rows = {
      {"an entry starts with key or identity",
       absl::StrCat("secret k1 ", kHex1, " current", id), "entry 1"},
      {"a key is 64 hex digits (too short)",
       absl::StrCat("key k1 ", kHex1.substr(2), " current", id),
       "64 hex digits"},
      {"a key is 64 hex digits (not hex)",
       absl::StrCat("key k1 ", std::string(64, 'g'), " current", id),
       "64 hex digits"},
      {"a key id is 1-32 of A-Z a-z 0-9 _ -",
       absl::StrCat("key k/1 ", kHex1, " current", id), "key id"},
      {"only the word current may follow a key",
       absl::StrCat("key k1 ", kHex1, " newest", id), "current"},
      {"a key id is unique",
       absl::StrCat("key k1 ", kHex1, "\nkey k1 ", kHex2, " current", id),
       "given twice"},
      {"exactly one key is current (two)",
       absl::StrCat("key k1 ", kHex1, " current\nkey k2 ", kHex2, " current",
                    id),
       "more than one"},
      {"exactly one key is current (none)", absl::StrCat("key k1 ", kHex1, id),
       "no key is marked current"},
      {"at least one key", absl::StrCat("identity ", kIdentity), "no key"},
      {"an identity line is required",
       absl::StrCat("key k1 ", kHex1, " current"), "no identity line"},
      {"the identity secret is at least 16 bytes",
       absl::StrCat("key k1 ", kHex1, " current\nidentity abcd"), "identity"},
      {"one identity line only",
       absl::StrCat("key k1 ", kHex1, " current", id, id), "second identity"},
  };
  for (const Row& row : rows) {
    auto ring = ParsePiiKeyRing(row.text, '\n', "keys.txt");
    EXPECT_EQ(ring.status().code(), absl::StatusCode::kInvalidArgument)
        << row.rule;
    std::string message(ring.status().message());
    EXPECT_NE(message.find("keys.txt"), std::string::npos) << row.rule;
    EXPECT_NE(message.find(row.message), std::string::npos)
        << row.rule << ": " << message;
    EXPECT_EQ(message.find(kHex1.substr(0, 16)), std::string::npos)
        << row.rule << ": the key must not be echoed";
  }
}

TEST(PiiKeysTest, FileMustBeOwnerOnly) {
  struct Row {
    const char* rule;
    mode_t mode;  // 0: no file
    absl::StatusCode want;
  };
  const std::vector<Row> rows = {
      {"owner read/write: loaded", 0600, absl::StatusCode::kOk},
      {"owner read only: loaded", 0400, absl::StatusCode::kOk},
      {"group may read: refused", 0640, absl::StatusCode::kFailedPrecondition},
      {"others may read: refused", 0604, absl::StatusCode::kFailedPrecondition},
      {"missing file", 0, absl::StatusCode::kNotFound},
  };
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/pii-keys-", getpid());
  for (const Row& row : rows) {
    std::remove(path.c_str());
    if (row.mode != 0) {
      std::ofstream(path) << "key k1 " << kHex1 << " current\nidentity "
                          << kIdentity << "\n";
      ASSERT_EQ(chmod(path.c_str(), row.mode), 0);
    }
    auto ring = LoadPiiKeyRing(path);
    EXPECT_EQ(ring.status().code(), row.want)
        << row.rule << ": " << ring.status();
    if (row.want == absl::StatusCode::kFailedPrecondition) {
      EXPECT_NE(std::string(ring.status().message()).find("chmod 600"),
                std::string::npos)
          << row.rule;
    }
  }
  std::remove(path.c_str());
}

TEST(PiiKeysTest, SettingsNameExactlyOneRing) {
  // definition.cc: pii.keys_path (a file) or pii.keys (the environment
  // form, CASERELAY_PII_KEYS), never both, never neither.
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/pii-ring-", getpid());
  std::ofstream(path) << "key f1 " << kHex1 << " current\nidentity "
                      << kIdentity << "\n";
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  const std::string inline_ring = absl::StrCat(
      "key e1 ", kHex1, ";key e2 ", kHex2, " current;identity ", kIdentity);
  struct Row {
    const char* rule;
    std::map<std::string, std::string> env;
    absl::StatusCode want;
    const char* current;  // or a part of the message
  };
  const std::vector<Row> rows = {
      {"the file",
       {{"CASERELAY_PII_KEYS_PATH", path}},
       absl::StatusCode::kOk,
       "f1"},
      {"the environment form",
       {{"CASERELAY_PII_KEYS", inline_ring}},
       absl::StatusCode::kOk,
       "e2"},
      {"both: which one would be meant?",
       {{"CASERELAY_PII_KEYS_PATH", path}, {"CASERELAY_PII_KEYS", inline_ring}},
       absl::StatusCode::kInvalidArgument,
       "exactly one"},
      {"neither: no personal data without a key",
       {},
       absl::StatusCode::kInvalidArgument,
       "exactly one"},
      {"a malformed environment form names its variable",
       {{"CASERELAY_PII_KEYS", "key e1 abc current"}},
       absl::StatusCode::kInvalidArgument,
       "env CASERELAY_PII_KEYS"},
  };
  for (const Row& row : rows) {
    auto env = row.env;
    env["CASERELAY_LOOKUP_SECRET"] = "s";
    auto config = config::Config::Load("", IntakeDefinition().settings, env);
    ASSERT_TRUE(config.ok()) << row.rule << ": " << config.status();
    auto ring = PiiKeyRingFromConfig(*config);
    EXPECT_EQ(ring.status().code(), row.want)
        << row.rule << ": " << ring.status();
    if (ring.ok()) {
      EXPECT_EQ(ring->current, row.current) << row.rule;
    } else {
      EXPECT_NE(std::string(ring.status().message()).find(row.current),
                std::string::npos)
          << row.rule << ": " << ring.status();
    }
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace caserelay::intake
