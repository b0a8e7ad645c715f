// Runs in <head>, before the page is drawn: applies the reader's 大字版
// choice (localStorage "cr.largeText" = "1", set by ui.js) so the page
// never flashes small first. A classic script because CSP forbids inline
// ones; it reads nothing from the server.
(function () {
  try {
    if (window.localStorage.getItem("cr.largeText") === "1") {
      document.documentElement.classList.add("large-text");
    }
  } catch (e) {
    // Storage can be off (private mode): the page stays at normal size.
  }
})();
