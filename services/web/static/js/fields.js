// Form controls made by script, each with its label in the same call (WCAG
// 1.3.1 / 3.3.2, GB/T 37668): the portal's action forms and the console's
// forms build their fields here, so a control never lacks its label.
// Text enters only through el() (textContent).

import { countChars, el } from "./ui.js";

// A <textarea id> with its label, a hint and a live character count.
export function textArea(id, label, hint) {
  const count = el("span", { class: "char-count", id: `${id}-count`, text: "已输入 0 字" });
  const area = el("textarea", { id, name: id, rows: "4", "aria-describedby": `${id}-hint ${id}-count` });
  area.addEventListener("input", () => {
    count.textContent = `已输入 ${countChars(area.value)} 字`;
  });
  return el("div", { class: "field" }, [
    el("label", { for: id }, [label]),
    el("span", { class: "hint", id: `${id}-hint`, text: hint }),
    area,
    count,
  ]);
}

// A fieldset of radios `name` with `legend`; options: [[value, label]].
export function radioGroup(groupId, name, legend, options, checkedValue) {
  return el("fieldset", { class: "field", id: groupId }, [
    el("legend", { text: legend }),
    el("ul", { class: "radios" }, options.map(([value, label], i) => {
      const id = `${groupId}-${i}`;
      return el("li", {}, [
        el("input", { type: "radio", id, name, value, checked: value === checkedValue }),
        el("label", { for: id, text: label }),
      ]);
    })),
  ]);
}

// An <input id> with its label and an optional hint; attrs go to the input
// (type, autocomplete, inputmode, ...; type defaults to text).
export function inputField(id, label, { hint = "", ...attrs } = {}) {
  const input = el("input", {
    type: "text", id, name: id, "aria-describedby": hint ? `${id}-hint` : undefined, ...attrs,
  });
  return el("div", { class: "field" }, [
    el("label", { for: id }, [label]),
    hint ? el("span", { class: "hint", id: `${id}-hint`, text: hint }) : null,
    input,
  ]);
}

// A <select id> with its label; options: [[value, label]], the first
// selected unless `selected` names another.
export function selectField(id, label, options, { hint = "", selected = "" } = {}) {
  const select = el("select", { id, name: id, "aria-describedby": hint ? `${id}-hint` : undefined },
    options.map(([value, text]) => el("option", { value, text, selected: value === selected })));
  return el("div", { class: "field" }, [
    el("label", { for: id }, [label]),
    hint ? el("span", { class: "hint", id: `${id}-hint`, text: hint }) : null,
    select,
  ]);
}

// A checkbox with its label after it.
export function checkboxField(id, label, hint = "") {
  return el("div", { class: "field checkbox" }, [
    el("input", { type: "checkbox", id, name: id, "aria-describedby": hint ? `${id}-hint` : undefined }),
    el("label", { for: id, text: label }),
    hint ? el("span", { class: "hint", id: `${id}-hint`, text: hint }) : null,
  ]);
}

// The error summary at the top of one form (GOV.UK "Error summary"), for
// ui.js showErrorSummary.
export function errorBox(heading = "没有提交成功") {
  return el("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: true }, [
    el("h4", { text: heading }),
    el("ul"),
  ]);
}
