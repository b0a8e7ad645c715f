// Issue 19: a partitioned service refuses to start over a store of the
// single-instance layout (partitioned_main.h OpenPartitioned), whatever the
// service: it would read its inputs from the start and act on each again.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/config/config.h"
#include "common/service/partitioned_main.h"
#include "gtest/gtest.h"

namespace caserelay::service {
namespace {

TEST(OpenPartitionedTest, RefusesAStoreOfTheSingleInstanceLayout) {
  char dir_template[] = "/tmp/caserelay-partitioned-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::filesystem::path dir(dir_template);
  std::ofstream(dir / "CURRENT") << "MANIFEST-000001\n";  // a RocksDB's top
  const std::filesystem::path conf = dir / "service.conf";
  std::ofstream(conf) << "store.path = " << dir.string() << "\n";
  absl::StatusOr<config::Config> cfg = config::Config::Load(
      conf.string(),
      {{"store.path", config::Setting::Type::kPath, "", true, "the store"}},
      {});
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  for (const char* service : {"supervision", "notification", "routing"}) {
    PartitionedInputs in;
    in.cfg = &*cfg;
    in.service = service;
    absl::StatusOr<PartitionedParts> parts = OpenPartitioned(in);
    EXPECT_EQ(parts.status().code(), absl::StatusCode::kFailedPrecondition)
        << service << ": " << parts.status();
    EXPECT_NE(parts.status().message().find(dir.string()), std::string::npos)
        << parts.status();
    EXPECT_NE(parts.status().message().find(service), std::string::npos)
        << parts.status();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace caserelay::service
