// The portal's static pages (services/web/static, issue 15 item 2) against
// the rules the web layer sets for them: the gateway's Content-Security-
// Policy (web-contract.md: no inline script or style, everything from
// 'self'), rendering server data with textContent only, and the
// accessibility rules of GB/T 37668 / WCAG 2.1 AA (language, labels, skip
// link, zoom, contrast) and 适老化 (大字版). Each row names its rule.
//
// The pages are our own files, composed by the gateway at start-up from
// services/web/pages (page_layout.h); the test composes them the same way
// and reads what a browser gets, so simple patterns read them; a page that
// needs a real browser to judge (focus order, what a screen reader says)
// is left to the browser tests (tests/browser, axe-core).

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/web/page_layout.h"

namespace {

namespace fs = std::filesystem;

const fs::path kStatic = fs::path(CASERELAY_SOURCE_DIR) / "services/web/static";
const fs::path kPagesDir =
    fs::path(CASERELAY_SOURCE_DIR) / "services/web/pages";

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every match of group 1 of `pattern` in `text`.
std::vector<std::string> All(const std::string& text,
                             const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern, std::regex::icase);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re);
       it != std::sregex_iterator(); ++it) {
    found.push_back((*it)[1].str());
  }
  return found;
}

std::vector<fs::path> Files(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) {
      files.push_back(entry.path());
    }
  }
  return files;
}

// The pages the contract names (web-contract.md "Pages").
const std::vector<std::string> kPages = {"index.html",   "submit.html",
                                         "receipt.html", "lookup.html",
                                         "case.html",    "error.html",
                                         "receptions.html"};

// The pages as the gateway serves them: composed from services/web/pages.
const std::map<std::string, std::string>& Composed() {
  static const auto* const kComposed = [] {
    auto pages = caserelay::web::ComposePages(kPagesDir.string());
    EXPECT_TRUE(pages.ok()) << pages.status();
    return new std::map<std::string, std::string>(
        pages.ok() ? *pages : std::map<std::string, std::string>());
  }();
  return *kComposed;
}

// The composed page `page` ("submit.html"); "" if there is none.
std::string Page(const std::string& page) {
  auto it = Composed().find("/" + page);
  return it == Composed().end() ? "" : it->second;
}

// The console's pages (信访工作台, issue 16 item 3) as the gateway serves
// them: composed from services/web/pages/console at "/console/<page>".
const std::map<std::string, std::string>& ConsoleComposed() {
  static const auto* const kComposed = [] {
    auto pages = caserelay::web::ComposeConsolePages(kPagesDir.string());
    EXPECT_TRUE(pages.ok()) << pages.status();
    return new std::map<std::string, std::string>(
        pages.ok() ? *pages : std::map<std::string, std::string>());
  }();
  return *kComposed;
}

// Every page the gateway serves, portal and console, by URL path: the page
// rules below hold for both.
std::vector<std::pair<std::string, std::string>> AllPages() {
  std::vector<std::pair<std::string, std::string>> all;
  for (const std::string& page : kPages) all.emplace_back(page, Page(page));
  for (const auto& [path, html] : ConsoleComposed()) all.emplace_back(path, html);
  return all;
}

TEST(StaticPagesTest, EveryPageOfTheContractExists) {
  for (const std::string& page : kPages) {
    EXPECT_FALSE(Page(page).empty()) << page << " (web-contract.md Pages)";
    // A file of the page's name in static/ would hide the composed page.
    EXPECT_FALSE(fs::exists(kStatic / page))
        << page << " belongs in services/web/pages (page_layout.h)";
  }
  EXPECT_EQ(Composed().size(), kPages.size());
  EXPECT_TRUE(fs::is_regular_file(kStatic / "css/portal.css"))
      << "one shared CSS (issue 15)";
}

TEST(StaticPagesTest, EveryConsolePageOfTheContractExists) {
  // console-contract.md "Pages (K4)": login, 待办, 登记, the case page,
  // 审批, 灭红灯, 指标, 用户管理 (and 修改密码, accounts' ChangePassword);
  // issue 17 item 2: 通报, the bulletins "listed in the console".
  for (const char* page :
       {"login.html", "inbox.html", "register.html", "case.html",
        "approvals.html", "red-lights.html", "indicators.html", "users.html",
        "password.html", "bulletins.html"}) {
    EXPECT_EQ(ConsoleComposed().count(std::string("/console/") + page), 1u)
        << page;
    EXPECT_FALSE(fs::exists(kStatic / "console" / page))
        << page << " belongs in services/web/pages/console (page_layout.h)";
  }
  EXPECT_EQ(ConsoleComposed().size(),
            caserelay::web::ConsolePages().size());
  EXPECT_TRUE(fs::is_regular_file(kStatic / "css/console.css"));
}

// issue 16 item 3 / console-contract.md: the menu shows exactly the views
// the services give the user (User.views), so no page names a section in
// its markup; the script fills the empty list.
TEST(StaticPagesTest, ConsoleMenuComesOnlyFromTheUsersViews) {
  for (const auto& [path, html] : ConsoleComposed()) {
    EXPECT_NE(html.find(R"(<ul id="menu-list" class="inner"></ul>)"),
              std::string::npos)
        << path;
    for (const char* section :
         {"/console/inbox.html\">待办", "/console/users.html\">用户管理",
          "/console/approvals.html\">审批"}) {
      EXPECT_EQ(html.find(section), std::string::npos)
          << path << " names a menu entry in its markup: " << section;
    }
  }
}

// A rule every page must keep: a pattern that must (or must not) occur.
struct PageRule {
  const char* rule;
  const char* pattern;
  bool must_match;
};

const PageRule kPageRules[] = {
    {"WCAG 3.1.1 / GB/T 37668: the page's language is zh-CN",
     R"re(<html lang="zh-CN">)re", true},
    {"CSP script-src 'self': no inline script (every <script> has src)",
     R"re(<script(?![^>]*\bsrc=)[^>]*>)re", false},
    {"CSP style-src 'self': no <style> element", R"re(<style[\s>])re", false},
    {"CSP style-src 'self': no style attribute", R"re(\sstyle\s*=)re", false},
    {"CSP: no inline event handler attribute (onclick=...)",
     R"re(<[^>]*\son[a-z]+\s*=)re", false},
    {"CSP default-src 'self': nothing loaded from another origin",
     R"re((src|href)\s*=\s*"(https?:)?//)re", false},
    {"WCAG 2.4.1: a skip link to the main content",
     R"re(<a class="skip-link" href="#main">)re", true},
    {"WCAG 2.4.1: the skip link's target", R"re(<main id="main")re", true},
    {"适老化: the 大字版 switch",
     R"re(<button type="button" id="toggle-large"[^>]*>大字版</button>)re",
     true},
    {"大字版 applied before drawing (early.js)",
     R"re(<script src="/js/early.js"></script>)re", true},
    {"one shared CSS", R"re(<link rel="stylesheet" href="/css/portal.css">)re",
     true},
    {"mobile first: a viewport",
     R"re(<meta name="viewport" content="width=device-width, initial-scale=1">)re",
     true},
    {"WCAG 1.4.4: zoom never disabled", R"re(user-scalable|maximum-scale)re",
     false},
    {"WCAG 4.1.3: a live region for announcements",
     R"re(id="announcer"[^>]*aria-live="polite")re", true},
    {"UTF-8 declared", R"re(<meta charset="utf-8">)re", true},
};

TEST(StaticPagesTest, EveryPageKeepsThePageRules) {
  for (const auto& [page, html] : AllPages()) {
    for (const PageRule& row : kPageRules) {
      const bool found =
          std::regex_search(html, std::regex(row.pattern, std::regex::icase));
      EXPECT_EQ(found, row.must_match) << page << ": " << row.rule;
    }
  }
}

// WCAG 1.3.1 / 3.3.2 (GB/T 37668 labels): every form control in a page has
// an id and a <label for> naming it. Controls that scripts add (region
// selects, radios of /api/v1/form) are made with their labels in the same
// call (regions.js, submit.js, case_actions.js) and checked by axe-core.
TEST(StaticPagesTest, EveryFormControlHasALabel) {
  for (const auto& [page, html] : AllPages()) {
    const std::vector<std::string> labelled =
        All(html, R"re(<label[^>]*\bfor="([^"]+)")re");
    const std::set<std::string> labels(labelled.begin(), labelled.end());
    const std::regex control(R"re(<(input|select|textarea)\b([^>]*)>)re",
                             std::regex::icase);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), control);
         it != std::sregex_iterator(); ++it) {
      const std::string attrs = (*it)[2].str();
      if (std::regex_search(attrs, std::regex(R"re(type="hidden")re")))
        continue;
      std::smatch id;
      ASSERT_TRUE(
          std::regex_search(attrs, id, std::regex(R"re(\bid="([^"]+)")re")))
          << page << ": a control without an id: " << (*it)[0].str();
      EXPECT_TRUE(labels.count(id[1].str()) == 1)
          << page << ": no <label for=\"" << id[1].str() << "\"> (WCAG 1.3.1)";
    }
  }
}

// Every aria-describedby names elements of the page (or, for the counts
// and errors the scripts fill, ids the scripts create: "-count", "-error").
TEST(StaticPagesTest, DescribedByNamesExistingElements) {
  for (const auto& [page, html] : AllPages()) {
    const std::vector<std::string> ids_found =
        All(html, R"re(\bid="([^"]+)")re");
    const std::set<std::string> ids(ids_found.begin(), ids_found.end());
    for (const std::string& list :
         All(html, R"re(aria-describedby="([^"]+)")re")) {
      std::istringstream words(list);
      for (std::string id; words >> id;) {
        EXPECT_TRUE(ids.count(id) == 1)
            << page << ": aria-describedby names no element: " << id;
      }
    }
  }
}

// A browser that runs no script closes no door: letters, visits and phone
// stay channels of petitioning (DOMAIN.md "Channels", Regulation Art. 17),
// so a page that needs script says so politely in a <noscript> note and
// names those ways.
TEST(StaticPagesTest, NoScriptNotesArePoliteAndNameTheOtherWays) {
  int notes = 0;
  for (const std::string& page : kPages) {
    for (const std::string& note :
         All(Page(page), R"re(<noscript>([\s\S]*?)</noscript>)re")) {
      ++notes;
      for (const char* word : {"抱歉", "请您", "来信", "来访", "电话"}) {
        EXPECT_NE(note.find(word), std::string::npos)
            << page << ": the <noscript> note lacks " << word;
      }
    }
  }
  EXPECT_EQ(notes, 4)
      << "submit, lookup, case and receptions (issue 18 item 1) need script";
}

// The scripts a page loads exist, and so does every module they import.
TEST(StaticPagesTest, EveryScriptAndImportExists) {
  for (const auto& [page, html] : AllPages()) {
    for (const std::string& src :
         All(html, R"re(<script[^>]*\bsrc="/([^"]+)")re")) {
      EXPECT_TRUE(fs::is_regular_file(kStatic / src))
          << page << " loads a missing " << src;
    }
  }
  for (const fs::path& js : Files(kStatic / "js", ".js")) {
    for (const std::string& spec :
         All(Read(js), R"re(\bfrom\s+"(\.\.?/[^"]+)")re")) {
      EXPECT_TRUE(fs::is_regular_file(js.parent_path() / spec))
          << js.filename() << " imports a missing " << spec;
    }
  }
}

// web-contract.md: "JS renders server data with textContent only (never
// innerHTML with data)"; CSP forbids eval. None of these anywhere, so no
// petition text can become markup.
TEST(StaticPagesTest, ScriptsNeverTurnTextIntoMarkup) {
  const char* kForbidden[] = {R"re(\.innerHTML\b)re",
                              R"re(\.outerHTML\b)re",
                              R"re(insertAdjacentHTML)re",
                              R"re(document\.write)re",
                              R"re(\beval\s*\()re",
                              R"re(new\s+Function\s*\()re",
                              R"re(createContextualFragment)re",
                              R"re(DOMParser)re"};
  const std::vector<fs::path> scripts = Files(kStatic / "js", ".js");
  ASSERT_FALSE(scripts.empty());
  for (const fs::path& js : scripts) {
    const std::string code = Read(js);
    for (const char* pattern : kForbidden) {
      EXPECT_FALSE(std::regex_search(code, std::regex(pattern)))
          << js.filename() << " uses " << pattern << " (textContent only)";
    }
  }
}

// ---- contrast (WCAG 2.1 1.4.3 text 4.5:1, 1.4.11 non-text 3:1) ----------

double Channel(int value) {
  const double c = value / 255.0;
  return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double Luminance(const std::string& hex) {
  const int r = std::stoi(hex.substr(1, 2), nullptr, 16);
  const int g = std::stoi(hex.substr(3, 2), nullptr, 16);
  const int b = std::stoi(hex.substr(5, 2), nullptr, 16);
  return 0.2126 * Channel(r) + 0.7152 * Channel(g) + 0.0722 * Channel(b);
}

double Contrast(const std::string& a, const std::string& b) {
  const double la = Luminance(a), lb = Luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The stylesheet's colour variables (":root { --name: #rrggbb; }").
std::map<std::string, std::string> Colours() {
  std::map<std::string, std::string> colours = {{"white", "#ffffff"}};
  const std::string css =
      Read(kStatic / "css/portal.css") + Read(kStatic / "css/console.css");
  const std::regex var(R"re((--[a-z-]+):\s*(#[0-9a-fA-F]{6});)re");
  for (auto it = std::sregex_iterator(css.begin(), css.end(), var);
       it != std::sregex_iterator(); ++it) {
    colours[(*it)[1].str().substr(2)] = (*it)[2].str();
  }
  return colours;
}

struct ContrastRow {
  const char* foreground;
  const char* background;
  double minimum;
  const char* where;
};

const ContrastRow kContrast[] = {
    {"text", "white", 4.5, "body text (1.4.3)"},
    {"muted", "white", 4.5, "hints, counts, dates (1.4.3)"},
    {"muted", "panel", 4.5, "footer text (1.4.3)"},
    {"text", "panel", 4.5, "notices (1.4.3)"},
    {"link", "white", 4.5, "links (1.4.3)"},
    {"link-visited", "white", 4.5, "visited links (1.4.3)"},
    {"error", "white", 4.5, "error messages (1.4.3)"},
    {"ok", "panel", 4.5, "the 提示 of a success notice (1.4.3)"},
    {"white", "brand", 4.5, "header title and 大字版 switch (1.4.3)"},
    {"brand", "white", 4.5, "大字版 switch when on (1.4.3)"},
    {"white", "primary", 4.5, "primary buttons (1.4.3)"},
    {"white", "primary-dark", 4.5, "primary buttons on hover (1.4.3)"},
    {"primary", "white", 4.5,
     "secondary buttons and the start choices (1.4.3)"},
    {"text", "warn-bg", 4.5, "warnings (1.4.3)"},
    {"warn-border", "warn-bg", 3.0, "warning border (1.4.11)"},
    {"focus-text", "focus", 4.5, "focused links and buttons (1.4.3)"},
    {"border", "white", 3.0, "form control borders (1.4.11)"},
    {"ok", "white", 3.0, "receipt border (1.4.11)"},
    // The console (console.css): lights are a dot and a word (正常, 临期,
    // 超期), the word in the light's colour.
    {"light-green", "white", 4.5, "the word 正常 of a green light (1.4.3)"},
    {"light-yellow-edge", "white", 4.5, "the word 临期 of a yellow light (1.4.3)"},
    {"light-yellow-edge", "light-yellow", 3.0, "the yellow dot's edge (1.4.11)"},
    {"light-yellow-edge", "row-yellow", 4.5, "临期 on a yellow row (1.4.3)"},
    {"light-red", "white", 4.5, "the word 超期 of a red light (1.4.3)"},
    {"light-red", "row-red", 4.5, "超期 on a red row (1.4.3)"},
    {"text", "row-red", 4.5, "text of a red row (1.4.3)"},
    {"link", "row-red", 4.5, "the case link of a red row (1.4.3)"},
    {"text", "row-yellow", 4.5, "text of a yellow row (1.4.3)"},
    {"link", "row-yellow", 4.5, "the case link of a yellow row (1.4.3)"},
    {"white", "menu-bg", 4.5, "the console's menu (1.4.3)"},
    {"error", "chain-bad-bg", 4.5, "a failed chain check (1.4.3)"},
};

TEST(StaticPagesTest, ColoursMeetWcagContrast) {
  const std::map<std::string, std::string> colours = Colours();
  for (const ContrastRow& row : kContrast) {
    ASSERT_TRUE(colours.count(row.foreground) && colours.count(row.background))
        << "portal.css lacks --" << row.foreground << " or --"
        << row.background;
    const double ratio =
        Contrast(colours.at(row.foreground), colours.at(row.background));
    EXPECT_GE(ratio, row.minimum)
        << row.where << ": --" << row.foreground << " on --" << row.background
        << " is " << ratio << ":1";
  }
}

// Touch targets of 44 px (WCAG 2.5.5, 适老化): buttons, inputs and the
// header's links declare a minimum height of 2.75rem (44 px at 16 px).
TEST(StaticPagesTest, TouchTargetsAreAtLeast44Px) {
  const std::string css =
      Read(kStatic / "css/portal.css") + Read(kStatic / "css/console.css");
  for (const char* selector :
       {".button {", ".toggle-large {", ".site-title {", ".link-button {",
        R"re(input[type="text"], input[type="tel"])re", ".radios label {",
        ".console-menu a {", ".header-link {", ".petitioner-search summary {",
        R"re(input[type="date"], input[type="month"])re"}) {
    const size_t at = css.find(selector);
    ASSERT_NE(at, std::string::npos) << selector;
    const std::string block = css.substr(at, css.find('}', at) - at);
    EXPECT_NE(block.find("min-height: 2.75rem"), std::string::npos)
        << selector << " (WCAG 2.5.5)";
  }
}

}  // namespace
