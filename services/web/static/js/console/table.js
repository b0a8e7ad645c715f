// Pieces of the console's tables and lists: the traffic light (colour AND
// word), a case link, a page counter, dates as China's days.

import { el, formatDate, formatLastDay } from "../ui.js";
import { word } from "./labels.js";

// The light of a deadline (DeadlineLight name from the services): a dot in
// its colour and its word, so it is never told by colour alone.
export function light(value) {
  const name = String(value || "");
  const key = name.replace(/^DEADLINE_LIGHT_/, "").toLowerCase();
  if (!["green", "yellow", "red"].includes(key)) return el("span", { class: "light light-none", text: "无时限" });
  return el("span", { class: `light light-${key}` }, [
    el("span", { class: "dot", "aria-hidden": "true" }),
    word("DEADLINE_LIGHT_", name),
  ]);
}

export function caseLink(caseId) {
  return el("a", { href: `/console/case.html?id=${encodeURIComponent(caseId)}`, text: caseId });
}

// A <td> of `content` (a node or text).
export function cell(content, attrs = {}) {
  return el("td", attrs, [content === undefined || content === null ? "" : content]);
}

// The last day of a limit as a <time>, or "" when unset.
export function lastDay(value) {
  return value ? el("time", { datetime: value, text: formatLastDay(value) }) : "";
}

export function day(value) {
  return value ? el("time", { datetime: value, text: formatDate(value) }) : "";
}

// RFC 3339 of the start (00:00 China time) of `date` ("2026-03-20") plus
// `days` days: the form of a day filter the API reads as a Timestamp.
export function chinaDayStart(date, days = 0) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || "")) return "";
  const start = new Date(`${date}T00:00:00+08:00`);
  start.setTime(start.getTime() + days * 24 * 3600 * 1000);
  return start.toISOString();
}
