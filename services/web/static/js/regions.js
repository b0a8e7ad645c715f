// The place picker of the submit form: province -> city -> county ->
// township from GET /api/v1/regions?parent=<code>, one <select> per level
// below the one chosen. The levels come from the region tree itself, so a
// municipality (北京市: counties straight under the province) or a city
// without counties (东莞市: towns under the city) just shows fewer
// selects. The pick is complete when the chosen region has no children.

import { getJson } from "./api.js";
import { el, setText, show } from "./ui.js";

const LEVEL_LABELS = {
  province: "省（自治区、直辖市）",
  city: "市（地区、自治州）",
  county: "县（市、区）",
  township: "乡镇（街道）",
};

// "province" for "province", "REGION_LEVEL_PROVINCE", "LEVEL_PROVINCE"...
function levelOf(value) {
  const text = String(value || "").toLowerCase();
  return Object.keys(LEVEL_LABELS).find((level) => text.includes(level)) || "";
}

export class RegionPicker {
  // container: the element that receives the label/select pairs;
  // status: a live element for "loading"/failure; retry: a button shown
  // when a load failed; onChange: called after every change.
  constructor({ container, status, retry, onChange = () => {} }) {
    this.container = container;
    this.status = status;
    this.retry = retry;
    this.onChange = onChange;
    this.failedParent = null;
    this.retry.addEventListener("click", () => this.load(this.failedParent || "", this.depthOf(this.failedParent)));
  }

  start() {
    return this.load("", 0);
  }

  depthOf(parent) {
    if (!parent) return 0;
    const selects = this.selects();
    const index = selects.findIndex((s) => s.value === parent);
    return index + 1;
  }

  selects() {
    return Array.from(this.container.querySelectorAll("select"));
  }

  // Removes the selects at `depth` and below.
  truncate(depth) {
    const rows = Array.from(this.container.children);
    rows.slice(depth).forEach((row) => row.remove());
  }

  async load(parent, depth) {
    this.truncate(depth);
    show(this.retry, false);
    setText(this.status, "正在加载地区……");
    let regions;
    try {
      const path = parent ? `/regions?parent=${encodeURIComponent(parent)}` : "/regions";
      regions = (await getJson(path)).regions || [];
    } catch (error) {
      this.failedParent = parent;
      setText(this.status, `地区列表没有加载成功：${error.message}`);
      show(this.retry, true);
      this.onChange();
      return;
    }
    setText(this.status, "");
    if (regions.length === 0) {
      this.onChange();
      return;
    }
    const level = levelOf(regions[0].level);
    const id = `region-${depth}`;
    const select = el("select", { id, name: id, "data-level": level });
    select.append(el("option", { value: "", text: "请选择" }));
    for (const region of regions) {
      select.append(el("option", {
        value: region.code,
        text: region.name,
        "data-children": region.has_children ? "1" : "0",
      }));
    }
    const row = el("div", { class: "region-row" }, [
      el("label", { for: id, text: LEVEL_LABELS[level] || "下一级地区" }),
      select,
    ]);
    this.container.append(row);
    select.addEventListener("change", () => this.changed(select, depth));
    this.onChange();
  }

  changed(select, depth) {
    const option = select.selectedOptions[0];
    this.truncate(depth + 1);
    if (select.value && option && option.dataset.children === "1") {
      this.load(select.value, depth + 1);
    } else {
      this.onChange();
    }
  }

  // The chosen region's code, or "" when the pick is not complete.
  value() {
    const selects = this.selects();
    const last = selects[selects.length - 1];
    if (!last || !last.value) return "";
    const option = last.selectedOptions[0];
    return option && option.dataset.children === "0" ? last.value : "";
  }

  // "山西省 长治市 潞城区 店上镇" for the summary.
  text() {
    return this.selects()
      .filter((s) => s.value)
      .map((s) => s.selectedOptions[0].textContent)
      .join(" ");
  }

  // The select a person must fill next (for the error link), or null.
  firstEmpty() {
    return this.selects().find((s) => !s.value) || null;
  }

  // The level still missing, in words, for the error message.
  missingLabel() {
    const empty = this.firstEmpty();
    if (empty) return LEVEL_LABELS[empty.dataset.level] || "下一级地区";
    return "地区";
  }
}
