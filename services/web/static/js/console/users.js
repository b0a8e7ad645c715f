// users.html, 用户管理: an office's administrator lists the office's users
// (GET /api/v1/console/users), adds one (POST /api/v1/console/users), and
// changes one's roles, disables it (accounts drops its sessions at once) or
// resets its password (POST /api/v1/console/users/{username}). Accounts
// checks who may do this and every value, and says what is wrong in
// Chinese.

import { byId, el, focusOn, formatDateTime, setText, show } from "../ui.js";
import { showLocalErrors, submitForm } from "./forms.js";
import { choices, word } from "./labels.js";
import { api, pageError, startPage } from "./session.js";
import { cell } from "./table.js";

let editing = "";

function roleBoxes(listId, prefix, checked = []) {
  byId(listId).replaceChildren(...choices("STAFF_ROLE_").map(([value, text]) => {
    const id = `${prefix}-${value.replace("STAFF_ROLE_", "").toLowerCase()}`;
    return el("li", {}, [
      el("input", { type: "checkbox", id, name: `${prefix}-role`, value, checked: checked.includes(value) }),
      el("label", { for: id, text }),
    ]);
  }));
}

function checkedRoles(prefix) {
  return Array.from(document.querySelectorAll(`input[name="${prefix}-role"]:checked`)).map((i) => i.value);
}

function done(message) {
  setText("action-done", message);
  show("action-done", true);
  focusOn(byId("action-done"));
}

function row(user) {
  const edit = el("button", { type: "button", class: "link-button", text: "修改", "aria-label": `修改 ${user.username}` });
  edit.addEventListener("click", () => {
    editing = user.username;
    setText("edit-username", user.username);
    roleBoxes("edit-role-list", "edit", user.roles || []);
    byId("edit-disabled").checked = Boolean(user.disabled);
    show("edit-section", true);
    focusOn(byId("edit-section"));
  });
  return el("tr", { class: user.disabled ? "row-disabled" : undefined }, [
    cell(user.username || ""),
    cell(user.display_name || ""),
    cell((user.roles || []).map((r) => word("STAFF_ROLE_", r)).join("、")),
    cell(user.disabled ? "已停用" : "在用"),
    cell(user.last_login_at ? el("time", { datetime: user.last_login_at, text: formatDateTime(user.last_login_at) }) : "从未登录"),
    cell(edit),
  ]);
}

async function loadUsers() {
  let answer;
  try {
    answer = await api.getJson("/console/users");
  } catch (error) {
    show("loading", false);
    pageError(error);
    return;
  }
  show("loading", false);
  const users = answer.users || [];
  byId("user-rows").replaceChildren(...users.map(row));
  setText("count", `共 ${users.length} 人`);
  show("table-wrap", users.length > 0);
}

function userPath(username) {
  return `/console/users/${encodeURIComponent(username)}`;
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_USERS");
  if (!user) return;
  roleBoxes("new-role-list", "new");
  byId("create-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = byId("create-form");
    const summary = byId("create-errors");
    const body = {
      username: byId("new-username").value.trim(),
      display_name: byId("new-display_name").value.trim(),
      roles: checkedRoles("new"),
      password: byId("new-password").value,
    };
    const errors = [];
    if (!body.username) errors.push({ fieldId: "new-username", message: "请填写用户名" });
    if (!body.display_name) errors.push({ fieldId: "new-display_name", message: "请填写姓名" });
    if (!body.roles.length) errors.push({ fieldId: "new-roles", message: "请至少选择一个角色" });
    if (!body.password) errors.push({ fieldId: "new-password", message: "请设置初始密码" });
    if (showLocalErrors(form, summary, errors)) return;
    if (await submitForm(form, summary, "/console/users", body)) {
      form.reset();
      done(`已新增用户 ${body.username}`);
      await loadUsers();
    }
  });
  byId("edit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { roles: checkedRoles("edit"), disabled: byId("edit-disabled").checked };
    if (await submitForm(byId("edit-form"), byId("edit-errors"), userPath(editing), body)) {
      show("edit-section", false);
      done(`已保存 ${editing} 的修改`);
      await loadUsers();
    }
  });
  byId("edit-cancel").addEventListener("click", () => show("edit-section", false));
  byId("reset-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = byId("reset-form");
    const summary = byId("reset-errors");
    const password = byId("reset-password").value;
    if (showLocalErrors(form, summary, password ? [] : [{ fieldId: "reset-password", message: "请填写新密码" }])) return;
    if (await submitForm(form, summary, userPath(editing), { password })) {
      form.reset();
      done(`已重设 ${editing} 的密码`);
    }
  });
  await loadUsers();
}

start();
