// What every console page shares (信访工作台): the staff session (GET
// /api/v1/console/session), the menu of exactly the views the user's roles
// open (user.views, computed by the services), who is logged in, 退出登录,
// and where a page goes when the session has ended. The page chrome
// (大字版, skip link) is the portal's (ui.js), the API client the portal's
// (api.js) on the console's session.

import { client } from "../api.js";
import { byId, el, initChrome, setText, show } from "../ui.js";

export const api = client("/console/session");

// The console's sections: the view (ConsoleView), its page and its name.
// A view may open more than one page: 通报 (issue 17) is the INDICATORS
// view's too, as the statistics service reads both by the same roles.
export const VIEWS = [
  ["CONSOLE_VIEW_INBOX", "/console/inbox.html", "待办"],
  ["CONSOLE_VIEW_REGISTER", "/console/register.html", "登记"],
  // 领导接访安排 (issue 18 item 1) with 登记: the registrars keep the
  // schedule and register the visits; intake decides who may publish.
  ["CONSOLE_VIEW_REGISTER", "/console/receptions.html", "接访安排"],
  ["CONSOLE_VIEW_APPROVALS", "/console/approvals.html", "审批"],
  ["CONSOLE_VIEW_RED_LIGHTS", "/console/red-lights.html", "灭红灯"],
  ["CONSOLE_VIEW_INDICATORS", "/console/indicators.html", "指标"],
  ["CONSOLE_VIEW_INDICATORS", "/console/bulletins.html", "通报"],
  // 领导包案 (issue 18 item 2) under the leaders' INDICATORS view (as 通报:
  // no new ConsoleView); routing decides whose list a user reads.
  ["CONSOLE_VIEW_INDICATORS", "/console/charged.html", "包案"],
  ["CONSOLE_VIEW_USERS", "/console/users.html", "用户管理"],
];

export const LOGIN_PAGE = "/console/login.html";

// To the login page, coming back to this page after it.
export function toLogin() {
  const next = window.location.pathname + window.location.search;
  window.location.assign(`${LOGIN_PAGE}?next=${encodeURIComponent(next)}`);
}

// The first page the user's views open ("" if none).
export function homeOf(user) {
  const views = (user && user.views) || [];
  const first = VIEWS.find(([view]) => views.includes(view));
  return first ? first[1] : "";
}

function renderMenu(user) {
  const list = byId("menu-list");
  const here = window.location.pathname;
  const views = user.views || [];
  list.replaceChildren(...VIEWS.filter(([view]) => views.includes(view)).map(([, path, name]) =>
    el("li", {}, [el("a", { href: path, text: name, "aria-current": path === here ? "page" : undefined })])));
  show("menu", true);
}

function renderWho(user) {
  const office = user.office_name || user.office_code || "";
  setText("who-name", user.display_name || user.username || "");
  setText("who-office", office);
  show("who", true);
  show("password-link", true);
  const logout = byId("logout");
  show(logout, true);
  logout.addEventListener("click", async () => {
    logout.disabled = true;
    try {
      await api.postJson("/console/logout", {});
    } catch (e) {
      // Gone already, or the gateway is away: the login page either way.
    }
    window.location.assign(LOGIN_PAGE);
  });
}

// Starts a console page that needs a logged-in user: the chrome, the
// session, the menu. `view` (a ConsoleView name, or "" for a page every
// user may open, like the case page) must be one of user.views, else the
// page says so and answers null. Not logged in: to the login page (null).
// The session unreadable: a message in #page-error, null.
export async function startPage(view) {
  initChrome();
  let answer;
  try {
    answer = await api.session();
  } catch (error) {
    pageError(error);
    return null;
  }
  const user = answer && answer.user;
  if (!user) {
    toLogin();
    return null;
  }
  renderMenu(user);
  renderWho(user);
  if (view && !(user.views || []).includes(view)) {
    for (const child of Array.from(byId("main").children)) {
      if (child.tagName !== "H1") child.hidden = true;
    }
    byId("main").append(el("p", { class: "warning", id: "no-view", text: "您的角色不能使用本页。需要时请联系本单位管理员。" }));
    return null;
  }
  return user;
}

// Shows `error` (an ApiError) in the page's #page-error; a session that
// ended goes to the login page instead.
export function pageError(error) {
  if (error && error.status === 401) {
    toLogin();
    return;
  }
  const box = byId("page-error");
  if (!box) return;
  setText(box, error && error.message ? error.message : "系统繁忙，请稍后再试。");
  show(box, true);
}

export function clearPageError() {
  show("page-error", false);
}
