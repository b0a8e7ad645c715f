// The Kannel config templates (deploy/kannel/kannel.conf, kannel-demo.conf)
// and their renderer (deploy/kannel/start render): a value missing or
// unsafe stops the start naming it; the demo differs from production only
// in its SMSC.

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"
#include "tests/integration/harness.h"

namespace caserelay::deploy_test {
namespace {

using ::testing::HasSubstr;

// The values docker-compose.yml gives both boxes in production.
constexpr char kProductionEnv[] =
    "KANNEL_ADMIN_PASSWORD=adm KANNEL_USERNAME=cr KANNEL_PASSWORD=pw "
    "SMSC_HOST=smpp.example.net SMSC_PORT=2775 SMSC_USERNAME=u "
    "SMSC_PASSWORD=p SMSC_SYSTEM_TYPE= SMSC_THROUGHPUT=10";

class RenderTest : public ::testing::Test {
 protected:
  ShellResult Render(const std::string& env, const std::string& template_file) {
    return RunShell(absl::StrCat(
        "env -i PATH=/usr/bin:/bin ", env, " bash ",
        ShellQuote(SourcePath("deploy/kannel/start")), " render ",
        ShellQuote(SourcePath(template_file)), " ", ShellQuote(out())));
  }
  std::string out() { return dir_.path() + "/kannel.conf"; }
  std::string Rendered() {
    std::ifstream in(out());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  caserelay::testing::TempDir dir_;
};

TEST_F(RenderTest, FillsInValuesAndDefaults) {
  ShellResult run = Render(kProductionEnv, "deploy/kannel/kannel.conf");
  ASSERT_EQ(run.code, 0) << run.output;
  std::string conf = Rendered();
  EXPECT_THAT(conf, HasSubstr("host = \"smpp.example.net\"\n"));
  EXPECT_THAT(conf, HasSubstr("port = 2775\n"));
  EXPECT_THAT(conf, HasSubstr("username = \"cr\"\npassword = \"pw\"\n"));
  EXPECT_THAT(conf, HasSubstr("smsc-id = \"carrier\"\n"));     // default
  EXPECT_THAT(conf, HasSubstr("system-type = \"\"\n"));        // empty default
  EXPECT_THAT(conf, HasSubstr("http-request-retry = 360\n"));  // DLR retries
  EXPECT_FALSE(absl::StrContains(conf.substr(conf.find("group = core")), "${"))
      << "a value left unfilled";
  ShellResult mode = RunShell(absl::StrCat("stat -c %a ", ShellQuote(out())));
  EXPECT_EQ(mode.output, "600\n") << "the rendered file holds passwords";
}

TEST_F(RenderTest, RefusesAMissingValueNamingItAndTheLine) {
  ShellResult run = Render(
      "KANNEL_ADMIN_PASSWORD=adm KANNEL_USERNAME=cr "
      "KANNEL_PASSWORD=pw SMSC_PORT=2775",
      "deploy/kannel/kannel.conf");
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.output, HasSubstr("SMSC_HOST is not set ("));
  EXPECT_THAT(run.output, HasSubstr("kannel.conf:"));
  EXPECT_FALSE(std::ifstream(out()).good());
}

TEST_F(RenderTest, RefusesAValueThatWouldBreakOutOfItsQuotes) {
  ShellResult run =
      Render(absl::StrCat(kProductionEnv, " KANNEL_PASSWORD='p\"w'"),
             "deploy/kannel/kannel.conf");
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.output, HasSubstr("KANNEL_PASSWORD holds a quote"));
}

TEST_F(RenderTest, DemoNeedsNoSmscAccount) {
  ShellResult run = Render(
      "KANNEL_ADMIN_PASSWORD=adm KANNEL_USERNAME=cr "
      "KANNEL_PASSWORD=pw",
      "deploy/kannel/kannel-demo.conf");
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_THAT(Rendered(), HasSubstr("smsc = fake\n"));
}

// The groups of a Kannel config, comments dropped, in order.
std::vector<std::string> Groups(const std::string& text) {
  std::vector<std::string> groups;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    if (absl::StartsWith(line, "group = ")) groups.emplace_back();
    if (!groups.empty()) absl::StrAppend(&groups.back(), line, "\n");
  }
  return groups;
}

TEST(KannelTemplatesTest, DemoDiffersFromProductionOnlyInItsSmsc) {
  std::vector<std::string> production =
      Groups(ReadSource("deploy/kannel/kannel.conf"));
  std::vector<std::string> demo =
      Groups(ReadSource("deploy/kannel/kannel-demo.conf"));
  ASSERT_EQ(production.size(), demo.size());
  for (size_t i = 0; i < production.size(); ++i) {
    if (absl::StartsWith(production[i], "group = smsc\n")) {
      EXPECT_THAT(production[i], HasSubstr("smsc = smpp\n"));
      EXPECT_THAT(demo[i], HasSubstr("smsc = fake\n"));
      continue;
    }
    EXPECT_EQ(production[i], demo[i]);
  }
}

}  // namespace
}  // namespace caserelay::deploy_test
