// indicators.html, 指标: GET /api/v1/console/indicators (statistics'
// GetIndicators, which computes every number from its index) for a scope, a period of
// months and a breakdown, as a table of rates (value with numerator and
// denominator) and a bar chart; the trend asks the same for each month of
// the period (at most 12) and draws it as lines beside a table of the same
// numbers; 导出 CSV is the gateway's CSV of the same query.

import { byId, el, setText, show } from "../ui.js";
import { drawPercentChart } from "./charts.js";
import { word } from "./labels.js";
import { api, clearPageError, pageError, startPage } from "./session.js";
import { cell } from "./table.js";

// The indicators (Indicators fields) in the order of the table.
const RATES = [
  ["timely_acceptance_bureau", "及时受理率（信访部门）"],
  ["timely_acceptance_handling", "及时受理率（办理单位）"],
  ["on_time_completion", "按期办结率"],
  ["evaluation", "参评率"],
  ["satisfaction", "满意率"],
  ["repeat", "重复信访率"],
  ["level_skipping", "越级访率"],
  ["first_pass_resolution", "一次性化解率"],
];
// The four the trend draws (issue 16 item 3).
const TREND = ["timely_acceptance_bureau", "on_time_completion", "evaluation", "satisfaction"];
const MAX_MONTHS = 12;

// A rate in percent with one decimal, or null when it has no denominator.
function percent(rate) {
  if (!rate || rate.value === undefined || rate.value === null) return null;
  return Math.round(Number(rate.value) * 1000) / 10;
}

function rateText(rate) {
  const p = percent(rate);
  const n = Number((rate && rate.numerator) || 0);
  const d = Number((rate && rate.denominator) || 0);
  return p === null ? `—（${n}/${d}）` : `${p}%（${n}/${d}）`;
}

// "2026-03" -> RFC 3339 of that month's first day, 00:00 China time.
function monthStart(month, add = 0) {
  const [y, m] = month.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1 + add, 1) - 8 * 3600 * 1000);
  return date.toISOString();
}

function monthsBetween(from, to) {
  const out = [];
  const [fy, fm] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  for (let y = fy, m = fm; (y < ty || (y === ty && m <= tm)) && out.length < MAX_MONTHS; m += 1) {
    if (m > 12) { m = 1; y += 1; if (y > ty) break; }
    out.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  return out;
}

function thisMonth(add = 0) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + add, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

function query(from, to, breakdown) {
  const params = new URLSearchParams();
  const scope = byId("scope").value.trim();
  if (scope) params.set("scope", scope);
  params.set("from", monthStart(from));
  params.set("to", monthStart(to, 1));
  if (breakdown) params.set("breakdown", breakdown);
  return params;
}

function keyText(key) {
  if (!key) return "合计";
  return key.startsWith("OFFICE_LEVEL_") ? word("OFFICE_LEVEL_", key) : key;
}

function renderTable(answer) {
  byId("indicators-head").replaceChildren(
    el("th", { scope: "col", text: "范围" }),
    ...RATES.map(([, name]) => el("th", { scope: "col", text: name })),
    el("th", { scope: "col", text: "积案" }));
  const rows = [answer.total || {}, ...(answer.rows || [])];
  byId("indicators-rows").replaceChildren(...rows.map((r) => el("tr", {}, [
    el("th", { scope: "row", text: keyText(r.key || "") }),
    ...RATES.map(([field]) => cell(rateText(r[field]))),
    cell(String(Number(r.backlog || 0))),
  ])));
}

async function renderTrend(from, to) {
  const months = monthsBetween(from, to);
  const answers = await Promise.all(months.map((m) => api.getJson(`/console/indicators?${query(m, m, "")}`)));
  const names = Object.fromEntries(RATES);
  byId("trend-head").replaceChildren(el("th", { scope: "col", text: "月份" }),
    ...TREND.map((f) => el("th", { scope: "col", text: names[f] })));
  byId("trend-rows").replaceChildren(...answers.map((a, i) => el("tr", {}, [
    el("th", { scope: "row", text: months[i] }),
    ...TREND.map((f) => cell(rateText((a.total || {})[f]))),
  ])));
  return { months, answers, names };
}

async function load() {
  clearPageError();
  const from = byId("from").value || thisMonth(-5);
  const to = byId("to").value || thisMonth();
  const breakdown = byId("breakdown").value;
  const q = query(from, to, breakdown);
  const csv = new URLSearchParams(q);
  csv.set("format", "csv");
  byId("csv-link").href = `/api/v1/console/indicators?${csv}`;
  setText("period", `${from} 至 ${to}`);
  show("loading", true);
  let answer;
  let trend;
  try {
    answer = await api.getJson(`/console/indicators?${q}`);
    renderTable(answer);
    trend = await renderTrend(from, to);
  } catch (error) {
    show("loading", false);
    pageError(error);
    return;
  }
  show("loading", false);
  show("chart-error", false);
  try {
    const total = answer.total || {};
    await drawPercentChart(byId("rates-chart"), "本期各项比率（%）", RATES.map(([, n]) => n),
      [{ name: "合计", values: RATES.map(([f]) => percent(total[f])) }], "bar");
    await drawPercentChart(byId("trend-chart"), "逐月趋势（%）", trend.months,
      TREND.map((f) => ({ name: trend.names[f], values: trend.answers.map((a) => percent((a.total || {})[f])) })), "line");
  } catch (error) {
    show("chart-error", true);
  }
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_INDICATORS");
  if (!user) return;
  const params = new URLSearchParams(window.location.search);
  byId("scope").value = params.get("scope") || "";
  byId("from").value = params.get("from") || thisMonth(-5);
  byId("to").value = params.get("to") || thisMonth();
  byId("breakdown").value = params.get("breakdown") || "";
  byId("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const search = new URLSearchParams();
    for (const name of ["scope", "from", "to", "breakdown"]) if (byId(name).value) search.set(name, byId(name).value);
    window.history.replaceState(null, "", `?${search}`);
    load();
  });
  await load();
}

start();
