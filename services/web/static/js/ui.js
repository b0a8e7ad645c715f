// Shared page helpers of the portal: the page chrome (大字版 switch, skip
// link target), safe element building, error messages tied to their
// fields, announcements for screen readers, dates in China's time zone.
//
// Safety: every text from the server or the user goes into the page through
// textContent (el() and setText()); nothing here uses innerHTML, so a
// "<script>" in a petition stays text.

const LARGE_KEY = "cr.largeText";

// Creates <tag> with attributes `attrs` (strings; `text` sets textContent,
// `hidden: true` sets the attribute) and appends `children` (nodes or
// strings, strings as text).
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") {
      node.textContent = String(value);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of [].concat(children)) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

export function setText(idOrNode, text) {
  const node = typeof idOrNode === "string" ? byId(idOrNode) : idOrNode;
  if (node) node.textContent = text === undefined || text === null ? "" : String(text);
}

export function show(idOrNode, visible = true) {
  const node = typeof idOrNode === "string" ? byId(idOrNode) : idOrNode;
  if (node) node.hidden = !visible;
}

// The 大字版 switch: every page has <button id="toggle-large">; the
// choice is remembered in localStorage and applied by early.js on the next
// page before it is drawn.
function initLargeText() {
  const button = byId("toggle-large");
  if (!button) return;
  const root = document.documentElement;
  const sync = () => {
    const on = root.classList.contains("large-text");
    button.setAttribute("aria-pressed", on ? "true" : "false");
  };
  sync();
  button.addEventListener("click", () => {
    const on = !root.classList.contains("large-text");
    root.classList.toggle("large-text", on);
    try {
      if (on) window.localStorage.setItem(LARGE_KEY, "1");
      else window.localStorage.removeItem(LARGE_KEY);
    } catch (e) {
      // Storage off: the switch still works on this page.
    }
    sync();
  });
}

// Page set-up common to every page. Call once, at module start.
export function initChrome() {
  initLargeText();
  const main = byId("main");
  if (main && !main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
}

// Says `message` to screen-reader users through the page's polite live
// region (<div id="announcer" aria-live="polite">), without moving focus.
export function announce(message) {
  const region = byId("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

// Moves focus to `node` (making it focusable if it is not) and scrolls it
// into view; used for headings after a step changes.
export function focusOn(node) {
  if (!node) return;
  if (!node.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(node.tagName)) {
    node.setAttribute("tabindex", "-1");
  }
  node.focus();
  if (node.scrollIntoView) node.scrollIntoView({ block: "start" });
}

// ---- errors tied to fields (GOV.UK "Error summary" and "Error message") --

function describedBy(input) {
  return (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
}

// Shows `message` beside the field whose control has id `fieldId`: a
// <p class="field-error" id="<fieldId>-error"> inside the .field wrapper,
// referenced by the control's aria-describedby, and aria-invalid="true".
export function setFieldError(fieldId, message) {
  const input = byId(fieldId);
  if (!input) return;
  const wrapper = input.closest(".field") || input.parentElement;
  const errorId = `${fieldId}-error`;
  let error = byId(errorId);
  if (!error) {
    error = el("p", { class: "field-error", id: errorId });
    // After the field's own hint or label (a legend must stay first).
    const anchor = wrapper.querySelector(":scope > .hint")
      || wrapper.querySelector(`:scope > label[for="${fieldId}"]`)
      || wrapper.querySelector(":scope > legend");
    if (anchor) anchor.after(error);
    else wrapper.prepend(error);
  }
  error.textContent = message;
  wrapper.classList.add("has-error");
  const targets = input.matches("fieldset") ? input.querySelectorAll("input, select") : [input];
  for (const target of targets) {
    const ids = describedBy(target);
    if (!ids.includes(errorId)) ids.push(errorId);
    target.setAttribute("aria-describedby", ids.join(" "));
    target.setAttribute("aria-invalid", "true");
  }
}

// Removes every field error and the error summary inside `scope`.
export function clearErrors(scope = document) {
  for (const error of scope.querySelectorAll(".field-error")) {
    const id = error.id;
    for (const input of scope.querySelectorAll("[aria-describedby]")) {
      const ids = describedBy(input).filter((x) => x !== id);
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
      else input.removeAttribute("aria-describedby");
    }
    error.remove();
  }
  for (const input of scope.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const field of scope.querySelectorAll(".has-error")) field.classList.remove("has-error");
  for (const summary of scope.querySelectorAll(".error-summary")) {
    summary.hidden = true;
    const list = summary.querySelector("ul");
    if (list) list.replaceChildren();
  }
}

// Fills the error summary `summary` (a .error-summary element with role
// "alert", an <h2> and a <ul>) with `errors` ({fieldId?, message}), links
// each to its field, shows it and moves focus to it.
export function showErrorSummary(summary, errors) {
  if (!summary) return;
  const list = summary.querySelector("ul");
  list.replaceChildren();
  for (const { fieldId, message } of errors) {
    const item = fieldId && byId(fieldId)
      ? el("a", { href: `#${fieldId}`, text: message })
      : document.createTextNode(message);
    if (item.tagName === "A") {
      item.addEventListener("click", (event) => {
        event.preventDefault();
        const target = byId(fieldId);
        const focusable = target.matches("fieldset") ? target.querySelector("input, select") || target : target;
        focusable.focus();
        target.scrollIntoView({ block: "center" });
      });
    }
    list.append(el("li", {}, [item]));
  }
  summary.hidden = false;
  focusOn(summary);
}

// ---- dates -----------------------------------------------------------------

const ZONE = "Asia/Shanghai";

function toDate(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// "2026年12月21日" for an RFC 3339 time (protobuf's JSON of a Timestamp),
// in China's time zone; "" if absent or unreadable.
export function formatDate(value) {
  const date = toDate(value);
  if (!date) return "";
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: ZONE, year: "numeric", month: "long", day: "numeric",
  }).format(date);
}

// The last day of a deadline or window that passes at `value`, as the
// services count it: a limit falls due at the end (24:00, China time) of
// its last day, so the day shown is that of the instant just before
// (common/time/china_time.h LastDayOf; notification's SMS show the same
// day). "" if absent or unreadable.
export function formatLastDay(value) {
  const date = toDate(value);
  if (!date) return "";
  return formatDate(new Date(date.getTime() - 1).toISOString());
}

// "2026年12月21日 14:05" likewise.
export function formatDateTime(value) {
  const date = toDate(value);
  if (!date) return "";
  const day = formatDate(value);
  const time = new Intl.DateTimeFormat("zh-CN", {
    timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(date);
  return `${day} ${time}`;
}

// A <time datetime="..."> element showing `value` with formatter `format`.
export function timeElement(value, format = formatDate) {
  return el("time", { datetime: value, text: format(value) });
}

// Counts characters as the services do (Unicode code points), so a count
// shown here matches intake's "最多 N 个字符".
export function countChars(text) {
  return Array.from(text || "").length;
}
