// deploy/bin/caserelay-entrypoint: the region tree cut to the deployment's
// province (PROVINCE_CODE) is a tree the services load (common/region),
// holding the province and nothing outside it; and the service is started
// with it. Instances of a scaled service each claim a store slot.

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/region/region_tree.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"
#include "tests/integration/harness.h"

namespace caserelay::deploy_test {
namespace {

using ::testing::HasSubstr;

class RegionCutTest : public ::testing::Test {
 protected:
  ShellResult Cut(const std::string& scope, const std::string& out) {
    return RunShell(absl::StrCat(
        "bash ", ShellQuote(SourcePath("deploy/bin/caserelay-entrypoint")),
        " cut-regions ", ShellQuote(scope), " ",
        ShellQuote(SourcePath("data/regions/regions.tsv")), " ",
        ShellQuote(out)));
  }

  caserelay::testing::TempDir dir_;
};

TEST_F(RegionCutTest, ProvinceCutLoadsWithTheWholeProvinceAndNothingElse) {
  std::string out = dir_.path() + "/regions.tsv";
  ShellResult run = Cut("140000", out);
  ASSERT_EQ(run.code, 0) << run.output;
  auto cut = region::RegionTree::Load(out);
  ASSERT_TRUE(cut.ok()) << cut.status();
  auto whole = region::RegionTree::Load(SourcePath("data/regions/regions.tsv"));
  ASSERT_TRUE(whole.ok()) << whole.status();
  size_t in_province = 0;
  for (const region::Region* city : (*whole)->Children("140000")) {
    EXPECT_NE((*cut)->Find(city->code), nullptr) << city->code;
  }
  EXPECT_NE((*cut)->Find("140431100"), nullptr);  // 沁河镇, the sample
  EXPECT_EQ((*cut)->Find("110000"), nullptr);     // 北京市
  EXPECT_EQ((*cut)->Find("130000"), nullptr);     // 河北省
  // Everything of 山西 and only that: the cut has as many regions as the
  // whole tree has within 140000.
  std::ifstream in(SourcePath("data/regions/regions.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if ((*whole)->IsWithin(line.substr(0, line.find('\t')), "140000")) {
      ++in_province;
    }
  }
  EXPECT_EQ((*cut)->size(), in_province);
}

TEST_F(RegionCutTest, CountyCutKeepsItsAncestorsAndNotItsSiblings) {
  std::string out = dir_.path() + "/regions.tsv";
  ASSERT_EQ(Cut("140431", out).code, 0);
  auto cut = region::RegionTree::Load(out);
  ASSERT_TRUE(cut.ok()) << cut.status();
  for (const char* code : {"140000", "140400", "140431", "140431100"}) {
    EXPECT_NE((*cut)->Find(code), nullptr) << code;
  }
  EXPECT_EQ((*cut)->Find("140403"), nullptr);  // 潞州区, a sibling
}

TEST_F(RegionCutTest, RefusesAnUnknownOrMalformedScopeNamingIt) {
  std::string out = dir_.path() + "/regions.tsv";
  ShellResult unknown = Cut("990000", out);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("REGION_SCOPE 990000 is not a region"));
  ShellResult malformed = Cut("14", out);
  EXPECT_EQ(malformed.code, 2);
  EXPECT_THAT(malformed.output, HasSubstr("6- or 9-digit"));
  EXPECT_FALSE(std::ifstream(out).good()) << "no tree written on failure";
}

TEST_F(RegionCutTest, StartsTheServiceWithTheCutTree) {
  // A stand-in "routing" on PATH that prints what it was given.
  std::string bin = dir_.path() + "/bin";
  RunShell(absl::StrCat("mkdir -p ", ShellQuote(bin)));
  std::ofstream(bin + "/routing")
      << "#!/bin/sh\necho \"regions=$CASERELAY_REGIONS_PATH args=$*\"\n"
      << "grep -c . \"$CASERELAY_REGIONS_PATH\"\n";
  RunShell(absl::StrCat("chmod +x ", ShellQuote(bin + "/routing")));
  ShellResult run = RunShell(absl::StrCat(
      "cd ", ShellQuote(SourcePath("")), " && PATH=", ShellQuote(bin),
      ":/usr/bin:/bin TMPDIR=", ShellQuote(dir_.path()),
      " REGION_SCOPE=140431 bash deploy/bin/caserelay-entrypoint routing "
      "--config /etc/caserelay/routing.conf"));
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr(absl::StrCat("regions=", dir_.path(),
                                     "/regions-140431.tsv args=--config "
                                     "/etc/caserelay/routing.conf")));
}

// issue 19 item 6: instances of a scaled service share its volume, each in
// a store slot of its own, held while it runs and free again once it has
// stopped; each advertises its own address for forwarded calls.
TEST_F(RegionCutTest, EachInstanceClaimsAFreeStoreSlotWhileItRuns) {
  std::string bin = dir_.path() + "/bin";
  std::string root = dir_.path() + "/store";
  RunShell(absl::StrCat("mkdir -p ", ShellQuote(bin), " ", ShellQuote(root)));
  // A stand-in "supervision" that prints its store and address, then runs
  // for HOLD seconds.
  std::ofstream(bin + "/supervision")
      << "#!/bin/sh\necho \"store=$CASERELAY_STORE_PATH "
      << "advertise=$CASERELAY_GRPC_ADVERTISE\"\nsleep \"${HOLD:-0}\"\n";
  RunShell(absl::StrCat("chmod +x ", ShellQuote(bin + "/supervision")));
  const std::string run = absl::StrCat(
      "PATH=", ShellQuote(bin), ":/usr/bin:/bin INSTANCE_STORE_ROOT=",
      ShellQuote(root),
      " INSTANCE_GRPC_PORT=50053 bash deploy/bin/caserelay-entrypoint "
      "supervision 2>/dev/null");
  // Two running at once, a third while they run, a fourth after.
  ShellResult shell = RunShell(absl::StrCat(
      "cd ", ShellQuote(SourcePath("")), " && { HOLD=2 ", run,
      " & sleep 0.3; HOLD=2 ", run, " & sleep 0.3; ", run, "; wait; ", run,
      "; }"));
  ASSERT_EQ(shell.code, 0) << shell.output;
  const std::string slot = root + "/slot-";
  EXPECT_THAT(shell.output, HasSubstr("store=" + slot + "1 advertise="));
  EXPECT_THAT(shell.output, HasSubstr("store=" + slot + "2 advertise="));
  EXPECT_THAT(shell.output, HasSubstr("store=" + slot + "3 advertise="));
  // The last one found slot 1 free again.
  const std::string last = shell.output.substr(shell.output.rfind("store="));
  EXPECT_TRUE(absl::StartsWith(last, "store=" + slot + "1 ")) << shell.output;
  EXPECT_THAT(shell.output, HasSubstr(":50053"));
  ShellResult bad = RunShell(absl::StrCat(
      "cd ", ShellQuote(SourcePath("")), " && PATH=", ShellQuote(bin),
      ":/usr/bin:/bin INSTANCE_GRPC_PORT=x bash "
      "deploy/bin/caserelay-entrypoint supervision"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.output, HasSubstr("INSTANCE_GRPC_PORT must be a port"));
}

TEST(EntrypointTest, RefusesAnUnknownService) {
  ShellResult run = RunShell(absl::StrCat(
      "bash ", ShellQuote(SourcePath("deploy/bin/caserelay-entrypoint")),
      " sh -c id"));
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.output, HasSubstr("unknown service \"sh\""));
}

}  // namespace
}  // namespace caserelay::deploy_test
