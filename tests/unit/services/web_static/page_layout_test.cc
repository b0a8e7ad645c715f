// The composition of the portal's pages from one layout and one fragment
// per page (services/web/page_layout.h): what it makes and what it refuses
// to start with. Each row names its rule.

#include "services/web/page_layout.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace caserelay::web {
namespace {

constexpr char kLayout[] =
    "<title>{{title}}</title>\n<main>\n{{main}}\n</main>\n<p>{{footer}}</p>\n";

TEST(PageLayoutTest, FillsEverySlotOnce) {
  auto page = ComposePage(kLayout,
                          "\n<!-- slot title -->\n我要信访\n"
                          "<!-- slot footer -->\n页脚\n"
                          "<!-- slot main -->\n    <h1>标题</h1>\n\n",
                          "submit.html");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(*page,
            "<title>我要信访</title>\n<main>\n    <h1>标题</h1>\n</main>\n"
            "<p>页脚</p>\n");
}

// A slot's text is never searched for slots again: fixed files only, one
// pass (page_layout.h).
TEST(PageLayoutTest, SlotTextIsNotExpandedAgain) {
  auto page = ComposePage(kLayout,
                          "<!-- slot title -->\n{{footer}}\n"
                          "<!-- slot footer -->\nf\n<!-- slot main -->\nm\n",
                          "x.html");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_NE(page->find("<title>{{footer}}</title>"), std::string::npos);
}

struct RefusalRow {
  const char* rule;
  const char* layout;
  const char* fragment;
  const char* message_part;
};

const RefusalRow kRefusals[] = {
    {"c2: a slot the layout uses is missing", kLayout,
     "<!-- slot title -->\nt\n<!-- slot main -->\nm\n",
     "submit.html: no slot \"footer\" (layout.html uses {{footer}})"},
    {"c2: a slot the layout does not use", kLayout,
     "<!-- slot title -->\nt\n<!-- slot footer -->\nf\n<!-- slot main -->\nm\n"
     "<!-- slot aside -->\na\n",
     "submit.html: slot \"aside\" is not in layout.html"},
    {"c2: a slot given twice", kLayout,
     "<!-- slot title -->\nt\n<!-- slot title -->\nt\n", "given twice"},
    {"c2: an empty slot", kLayout,
     "<!-- slot title -->\n\n<!-- slot footer -->\nf\n<!-- slot main -->\nm\n",
     "slot \"title\" is empty"},
    {"c2: text outside any slot", kLayout, "<h1>x</h1>\n<!-- slot title -->\n",
     "text before the first"},
    {"c2: a malformed marker", kLayout, "<!-- slot Title -->\nt\n",
     "malformed slot marker"},
    {"c2: every page has a title", "<main>{{main}}</main>",
     "<!-- slot main -->\nm\n", "layout.html: no {{title}} slot"},
    {"c2: every page has a main", "<title>{{title}}</title>",
     "<!-- slot title -->\nt\n", "layout.html: no {{main}} slot"},
    {"c2: a malformed slot in the layout", "<title>{{title}}</title>{{main",
     "<!-- slot title -->\nt\n<!-- slot main -->\nm\n",
     "layout.html: a malformed slot"},
};

TEST(PageLayoutTest, RefusesWithAnOperatorsMessage) {
  for (const RefusalRow& row : kRefusals) {
    auto page = ComposePage(row.layout, row.fragment, "submit.html");
    ASSERT_FALSE(page.ok()) << row.rule;
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << row.rule;
    EXPECT_NE(page.status().message().find(row.message_part),
              std::string::npos)
        << row.rule << ": " << page.status();
  }
}

// A directory of pages: the layout and one fragment per page of the
// portal, nothing else.
class PagesDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/page_layout_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Write(kLayoutFile, kLayout);
    for (const std::string& page : PortalPages()) {
      Write(page, "<!-- slot title -->\nt\n<!-- slot footer -->\nf\n"
                  "<!-- slot main -->\nm\n");
    }
  }
  void TearDown() override {
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(PagesDirTest, ComposesEveryPageByItsPath) {
  auto pages = ComposePages(dir_);
  ASSERT_TRUE(pages.ok()) << pages.status();
  EXPECT_EQ(pages->size(), PortalPages().size());
  EXPECT_EQ(pages->count("/index.html"), 1u);
  EXPECT_EQ(pages->count("/case.html"), 1u);
}

TEST_F(PagesDirTest, RefusesAMissingFragment) {
  // c2: refuse to start if a fragment is missing.
  ASSERT_EQ(unlink((dir_ + "/receipt.html").c_str()), 0);
  auto pages = ComposePages(dir_);
  ASSERT_FALSE(pages.ok());
  EXPECT_NE(pages.status().message().find(
                "the page fragment receipt.html is missing"),
            std::string::npos)
      << pages.status();
}

TEST_F(PagesDirTest, RefusesAFileThatIsNoPage) {
  // web-contract.md "Pages": a fragment no page uses is a typo.
  Write("lookups.html", "<!-- slot title -->\nt\n");
  auto pages = ComposePages(dir_);
  ASSERT_FALSE(pages.ok());
  EXPECT_NE(pages.status().message().find("lookups.html is no page"),
            std::string::npos)
      << pages.status();
}

TEST_F(PagesDirTest, NamesTheFileOfABrokenFragment) {
  Write("case.html", "<!-- slot title -->\nt\n");
  auto pages = ComposePages(dir_);
  ASSERT_FALSE(pages.ok());
  EXPECT_NE(pages.status().message().find(dir_ + "/case.html: no slot"),
            std::string::npos)
      << pages.status();
}

TEST_F(PagesDirTest, ConsolePagesComeFromTheirOwnDirectoryAndLayout) {
  // console-contract.md "Pages (K4)": the console's pages are composed from
  // pages/console with the console's own layout, at /console/<page>; the
  // gateway serves both sets, and a missing console directory stops it.
  auto all = ComposeAllPages(dir_);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kNotFound) << all.status();
  ASSERT_EQ(mkdir((dir_ + "/" + kConsoleDir).c_str(), 0700), 0);
  Write(std::string(kConsoleDir) + "/" + kLayoutFile,
        "<title>{{title}}</title><nav>menu</nav>{{main}}");
  for (const std::string& page : ConsolePages()) {
    Write(std::string(kConsoleDir) + "/" + page,
          "<!-- slot title -->\n" + page + "\n<!-- slot main -->\nm\n");
  }
  all = ComposeAllPages(dir_);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), PortalPages().size() + ConsolePages().size());
  ASSERT_EQ(all->count("/console/inbox.html"), 1u);
  EXPECT_EQ(all->at("/console/inbox.html"),
            "<title>inbox.html</title><nav>menu</nav>m");
  EXPECT_EQ(all->count("/inbox.html"), 0u);
  // The console's case page is not the portal's.
  EXPECT_NE(all->at("/console/case.html"), all->at("/case.html"));
  Write(std::string(kConsoleDir) + "/inbx.html", "<!-- slot title -->\nt\n");
  auto typo = ComposeConsolePages(dir_);
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("inbx.html is no page of the console"),
            std::string::npos)
      << typo.status();
}

TEST(PageLayoutTest, RefusesAMissingDirectory) {
  EXPECT_EQ(ComposePages("/nonexistent/pages").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace caserelay::web
