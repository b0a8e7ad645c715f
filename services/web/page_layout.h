// The portal's pages, composed once at start-up from one layout and one
// body fragment per page (门户页面的版式), so the chrome every page shares
// (head, header with the 大字版 switch, skip link, footer frame, live
// region) exists once: services/web/pages/layout.html.
//
// The layout names its slots as {{name}} (name: a-z and _). A fragment
// gives each slot as a line `<!-- slot name -->` followed by the slot's
// text, up to the next such line or the end of the file; nothing but
// blank lines may stand before the first slot. Composition is a single
// pass of plain substitution of these fixed files: the text of a slot is
// never searched for slots again, and no request or user data ever goes
// through it (the pages' scripts fill in server data with textContent).
//
// Refused (INVALID_ARGUMENT, an English message for operators naming the
// file and the slot): a layout without {{title}} or {{main}} or with a
// malformed {{...}}; a fragment that lacks a slot the layout uses, gives
// one the layout does not use, gives one twice or leaves one empty; a
// missing page fragment; a .html file in the directory that is no page of
// the portal. NOT_FOUND when the directory or the layout cannot be read.

#ifndef CASERELAY_SERVICES_WEB_PAGE_LAYOUT_H_
#define CASERELAY_SERVICES_WEB_PAGE_LAYOUT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caserelay::web {

// The layout's file name in the pages directory.
inline constexpr char kLayoutFile[] = "layout.html";

// The portal's pages (web-contract.md "Pages"), each served at "/" + name;
// index.html also at "/".
const std::vector<std::string>& PortalPages();

// The console's pages (信访工作台, console-contract.md "Pages"), composed
// from the pages directory's sub-directory kConsoleDir with its own
// layout.html (the console's header and menu), each served at
// "/console/" + name.
inline constexpr char kConsoleDir[] = "console";
const std::vector<std::string>& ConsolePages();

// One page: `layout` with every slot replaced by the fragment's text.
// `fragment_name` only names the fragment in errors.
absl::StatusOr<std::string> ComposePage(absl::string_view layout,
                                        absl::string_view fragment,
                                        absl::string_view fragment_name);

// Every page of PortalPages() composed from `dir` (layout.html and one
// fragment of the page's name each), by URL path: "/index.html", ...
absl::StatusOr<std::map<std::string, std::string>> ComposePages(
    const std::string& dir);

// Every page of ConsolePages() composed from `dir`/console (its
// layout.html and one fragment per page), by URL path: "/console/inbox.html",
// ... Refused as ComposePages.
absl::StatusOr<std::map<std::string, std::string>> ComposeConsolePages(
    const std::string& dir);

// What the gateway serves: ComposePages(dir) and ComposeConsolePages(dir)
// in one map; the first refusal of either.
absl::StatusOr<std::map<std::string, std::string>> ComposeAllPages(
    const std::string& dir);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_PAGE_LAYOUT_H_
