// intake's personal data at rest through the real process (issue 14 item
// 3): a store written before encryption (a Petitioner kept in clear) is
// sealed when intake starts, with the count logged, and a key ring that
// others may read stops intake at start.

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/case.pb.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Opens the RocksDB at `path` with every column family; `write` the value
// under `key` of family "petitioners" (if not empty) and returns that
// family's value of `key` afterwards.
std::string PetitionerRecord(const std::string& path, const std::string& key,
                             const std::string& write = "") {
  std::vector<std::string> families;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &families);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& f : families) {
    descriptors.emplace_back(f, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles,
                        &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return "";
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* petitioners = nullptr;
  for (size_t i = 0; i < families.size(); ++i) {
    if (families[i] == "petitioners") petitioners = handles[i];
  }
  EXPECT_NE(petitioners, nullptr);
  std::string value;
  if (petitioners != nullptr) {
    if (!write.empty()) {
      EXPECT_TRUE(
          db->Put(rocksdb::WriteOptions(), petitioners, key, write).ok());
    }
    EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), petitioners, key, &value).ok());
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return value;
}

TEST(IntakePiiStoreTest, RecordsKeptInClearAreSealedAtStartWithTheCount) {
  SystemOptions options;
  options.services = {"intake"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  (*sys)->Kill("intake", SIGTERM);
  // What intake wrote before encryption: the Petitioner serialized.
  caserelay::v1::Petitioner old;
  old.set_name("上官明玥");
  old.set_id_number("14043119870521683X");
  old.set_phone("13734529981");
  old.set_address("沁源县旧档案巷3号");
  const std::string store = (*sys)->dir() + "/data-intake";
  ASSERT_EQ(PetitionerRecord(store, "P140431-20250101-000001",
                             old.SerializeAsString()),
            old.SerializeAsString());

  ASSERT_TRUE((*sys)->Restart("intake").ok());
  (*sys)->Kill("intake", SIGTERM);
  const std::string log = ReadAll((*sys)->dir() + "/intake.log");
  EXPECT_TRUE(absl::StrContains(log, "sealed_from_clear=1")) << log;
  EXPECT_TRUE(absl::StrContains(log, "current_key=it1")) << log;
  const std::string sealed = PetitionerRecord(store, "P140431-20250101-000001");
  ASSERT_FALSE(sealed.empty());
  EXPECT_EQ(sealed[0], '\0') << "sealed (pii_cipher.h)";
  for (const std::string& clear :
       {old.name(), old.id_number(), old.phone(), old.address()}) {
    EXPECT_FALSE(absl::StrContains(sealed, clear)) << clear;
    EXPECT_FALSE(absl::StrContains(log, clear)) << clear;
  }

  // A second start finds nothing in clear.
  ASSERT_TRUE((*sys)->Restart("intake").ok());
  (*sys)->Kill("intake", SIGTERM);
  EXPECT_TRUE(absl::StrContains(ReadAll((*sys)->dir() + "/intake.log"),
                                "sealed_from_clear=0"));
}

TEST(IntakePiiStoreTest, AKeyRingOthersMayReadStopsIntake) {
  TempDir dir;
  const std::string keys = dir.path() + "/open.keys";
  std::ofstream(keys) << "key k1 " << std::string(64, '1')
                      << " current\nidentity " << std::string(64, '2') << "\n";
  ASSERT_EQ(chmod(keys.c_str(), 0644), 0);
  SystemOptions options;
  options.services = {"intake"};
  options.settings["intake"]["pii.keys_path"] = keys;
  auto sys = System::Start(options);
  ASSERT_FALSE(sys.ok());
  EXPECT_TRUE(absl::StrContains(sys.status().message(), "chmod 600"))
      << sys.status();
}

}  // namespace
}  // namespace caserelay::testing
