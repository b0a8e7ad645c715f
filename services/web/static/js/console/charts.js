// Apache ECharts (npm, services/web/vendor; scripts/setup copies it to
// static/vendor/, served at /vendor/echarts/echarts.min.js), loaded once by
// a script element of our own origin (CSP script-src 'self'). Charts draw
// on a canvas, with ECharts' aria description on their container; every
// chart has a table with the same numbers beside it.

const SRC = "/vendor/echarts/echarts.min.js";
let loading = null;

export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = SRC;
      script.addEventListener("load", () => (window.echarts ? resolve(window.echarts) : reject(new Error("echarts"))));
      script.addEventListener("error", () => {
        loading = null;
        reject(new Error("echarts"));
      });
      document.head.append(script);
    });
  }
  return loading;
}

// Colours of the series: the stylesheet's palette, each >= 3:1 on white
// (WCAG 1.4.11), and series also told apart by their symbols and legend.
const PALETTE = ["#0b5cad", "#a61b1b", "#1d6b33", "#8a5a00", "#4c2c92"];
const SYMBOLS = ["circle", "rect", "triangle", "diamond", "pin"];

function base(title) {
  return {
    animation: false,
    aria: { enabled: true },
    color: PALETTE,
    title: { text: title, left: 0, textStyle: { fontSize: 16, color: "#1a1a1a" } },
    textStyle: { fontFamily: "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif", color: "#1a1a1a" },
    tooltip: { trigger: "axis", renderMode: "richText" },
    grid: { left: 56, right: 24, top: 72, bottom: 40 },
  };
}

// Draws (or redraws) in `node` a chart of `series` ([{name, values}]) over
// `categories`, values in percent; kind "line" or "bar".
export async function drawPercentChart(node, title, categories, series, kind) {
  const echarts = await loadECharts();
  node.hidden = false;
  const chart = echarts.getInstanceByDom(node) || echarts.init(node, null, { renderer: "canvas" });
  chart.setOption({
    ...base(title),
    legend: { top: 32, left: 0, textStyle: { color: "#1a1a1a" } },
    xAxis: { type: "category", data: categories, axisLabel: { color: "#1a1a1a", interval: 0 } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%", color: "#1a1a1a" } },
    series: series.map((s, i) => ({
      name: s.name,
      type: kind,
      data: s.values,
      symbol: SYMBOLS[i % SYMBOLS.length],
      symbolSize: 8,
      connectNulls: false,
      label: kind === "bar" ? { show: true, position: "top", formatter: "{c}%", color: "#1a1a1a" } : undefined,
    })),
  }, true);
  return chart;
}
