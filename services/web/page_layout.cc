#include "services/web/page_layout.h"

#include <dirent.h>

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace caserelay::web {
namespace {

constexpr absl::string_view kSlotOpen = "{{";
constexpr absl::string_view kSlotClose = "}}";
constexpr absl::string_view kMarkerOpen = "<!-- slot ";
constexpr absl::string_view kMarkerClose = " -->";

// Slots without which a page is no page.
constexpr const char* kRequiredSlots[] = {"title", "main"};

bool IsSlotName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// The layout cut at its slots: text, slot, text, slot, ..., text.
struct Layout {
  std::vector<std::string> texts;  // slots.size() + 1 pieces
  std::vector<std::string> slots;
};

absl::StatusOr<Layout> ParseLayout(absl::string_view layout) {
  Layout parsed;
  size_t at = 0;
  while (true) {
    const size_t open = layout.find(kSlotOpen, at);
    if (open == absl::string_view::npos) break;
    const size_t close = layout.find(kSlotClose, open + kSlotOpen.size());
    const absl::string_view name =
        close == absl::string_view::npos
            ? absl::string_view()
            : layout.substr(open + kSlotOpen.size(),
                            close - open - kSlotOpen.size());
    if (!IsSlotName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(kLayoutFile, ": a malformed slot at byte ", open,
                       " (slots are {{name}}, name of a-z and _)"));
    }
    parsed.texts.emplace_back(layout.substr(at, open - at));
    parsed.slots.emplace_back(name);
    at = close + kSlotClose.size();
  }
  parsed.texts.emplace_back(layout.substr(at));
  for (const char* required : kRequiredSlots) {
    bool found = false;
    for (const std::string& slot : parsed.slots) found |= slot == required;
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat(
          kLayoutFile, ": no {{", required, "}} slot (every page needs one)"));
    }
  }
  return parsed;
}

// The slot a fragment's line opens, or "" for a line of text.
absl::string_view MarkerName(absl::string_view line) {
  absl::string_view s = absl::StripAsciiWhitespace(line);
  if (!absl::ConsumePrefix(&s, kMarkerOpen) ||
      !absl::ConsumeSuffix(&s, kMarkerClose)) {
    return "";
  }
  return s;
}

absl::StatusOr<std::map<std::string, std::string>> ParseFragment(
    absl::string_view fragment, absl::string_view name) {
  std::map<std::string, std::string> slots;
  std::string current;
  std::vector<absl::string_view> lines;
  auto close_slot = [&]() -> absl::Status {
    if (current.empty()) return absl::OkStatus();
    std::string text = absl::StrJoin(lines, "\n");
    // Blank lines around a slot's text are layout of the fragment file.
    while (!text.empty() && (text.front() == '\n' || text.front() == '\r')) {
      text.erase(0, 1);
    }
    absl::StripTrailingAsciiWhitespace(&text);
    if (absl::StripAsciiWhitespace(text).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": slot \"", current, "\" is empty"));
    }
    slots[current] = std::move(text);
    return absl::OkStatus();
  };
  for (absl::string_view line : absl::StrSplit(fragment, '\n')) {
    const absl::string_view marker = MarkerName(line);
    if (marker.empty()) {
      if (current.empty() && !absl::StripAsciiWhitespace(line).empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": text before the first `<!-- slot name -->`"));
      }
      lines.push_back(line);
      continue;
    }
    if (!IsSlotName(marker)) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": a malformed slot marker (`<!-- slot name -->`, name of "
                "a-z and _)"));
    }
    if (absl::Status s = close_slot(); !s.ok()) return s;
    if (slots.count(std::string(marker)) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": slot \"", marker, "\" given twice"));
    }
    current = std::string(marker);
    lines.clear();
  }
  if (absl::Status s = close_slot(); !s.ok()) return s;
  return slots;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

const std::vector<std::string>& PortalPages() {
  static const auto* const kPages = new std::vector<std::string>{
      "index.html", "submit.html", "receipt.html",
      "lookup.html", "case.html",  "error.html",
      // 领导接访安排 (issue 18 item 1): the published schedule.
      "receptions.html"};
  return *kPages;
}

const std::vector<std::string>& ConsolePages() {
  static const auto* const kPages = new std::vector<std::string>{
      "login.html",      "inbox.html",      "register.html", "case.html",
      "approvals.html",  "red-lights.html", "indicators.html",
      "users.html",      "password.html",   "bulletins.html",
      "receptions.html",
      "charged.html"};
  return *kPages;
}

absl::StatusOr<std::string> ComposePage(absl::string_view layout,
                                        absl::string_view fragment,
                                        absl::string_view fragment_name) {
  absl::StatusOr<Layout> parsed = ParseLayout(layout);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<std::map<std::string, std::string>> slots =
      ParseFragment(fragment, fragment_name);
  if (!slots.ok()) return slots.status();
  const std::set<std::string> used(parsed->slots.begin(), parsed->slots.end());
  for (const auto& [slot, text] : *slots) {
    if (used.count(slot) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(fragment_name, ": slot \"", slot, "\" is not in ",
                       kLayoutFile, " (no {{", slot, "}})"));
    }
  }
  std::string page = parsed->texts[0];
  for (size_t i = 0; i < parsed->slots.size(); ++i) {
    auto text = slots->find(parsed->slots[i]);
    if (text == slots->end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          fragment_name, ": no slot \"", parsed->slots[i], "\" (", kLayoutFile,
          " uses {{", parsed->slots[i], "}})"));
    }
    absl::StrAppend(&page, text->second, parsed->texts[i + 1]);
  }
  return page;
}

namespace {

// Every page of `names` composed from `dir`'s layout and fragments, by URL
// path `url_prefix` + "/" + name; `what` names the set in errors.
absl::StatusOr<std::map<std::string, std::string>> ComposeSet(
    const std::string& dir, const std::vector<std::string>& names,
    absl::string_view url_prefix, absl::string_view what) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot read the directory ", dir));
  }
  std::set<std::string> pages(names.begin(), names.end());
  std::vector<std::string> strangers;
  for (dirent* e = readdir(d); e != nullptr; e = readdir(d)) {
    const std::string file = e->d_name;
    if (absl::EndsWith(file, ".html") && file != kLayoutFile &&
        pages.count(file) == 0) {
      strangers.push_back(file);
    }
  }
  closedir(d);
  if (!strangers.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, ": ", absl::StrJoin(strangers, ", "), " is no page of ",
                     what, " (pages: ", absl::StrJoin(names, ", "), ")"));
  }
  absl::StatusOr<std::string> layout = ReadFile(dir + "/" + kLayoutFile);
  if (!layout.ok()) return layout.status();
  std::map<std::string, std::string> composed;
  for (const std::string& page : names) {
    absl::StatusOr<std::string> fragment = ReadFile(dir + "/" + page);
    if (!fragment.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          dir, ": the page fragment ", page, " is missing (",
          fragment.status().message(), ")"));
    }
    absl::StatusOr<std::string> html = ComposePage(*layout, *fragment, page);
    if (!html.ok()) {
      return absl::Status(html.status().code(),
                          absl::StrCat(dir, "/", html.status().message()));
    }
    composed[absl::StrCat(url_prefix, "/", page)] = *std::move(html);
  }
  return composed;
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ComposePages(
    const std::string& dir) {
  return ComposeSet(dir, PortalPages(), "", "the portal");
}

absl::StatusOr<std::map<std::string, std::string>> ComposeConsolePages(
    const std::string& dir) {
  return ComposeSet(dir + "/" + kConsoleDir, ConsolePages(),
                    absl::StrCat("/", kConsoleDir), "the console");
}

absl::StatusOr<std::map<std::string, std::string>> ComposeAllPages(
    const std::string& dir) {
  absl::StatusOr<std::map<std::string, std::string>> pages = ComposePages(dir);
  if (!pages.ok()) return pages.status();
  absl::StatusOr<std::map<std::string, std::string>> console =
      ComposeConsolePages(dir);
  if (!console.ok()) return console.status();
  pages->merge(*std::move(console));
  return pages;
}

}  // namespace caserelay::web
