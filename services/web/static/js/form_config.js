// What the submit form offers, from GET /api/v1/form: the categories, the
// classes of matter and the title/text limits, as intake checks them.
// The page adds no choice and no limit of its own; this module only reads
// the answer into one shape:
//   { categories: [{code, name}], classes: [{value, name, hint}],
//     maxTitleChars: number|null, maxTextChars: number|null }

import { getJson } from "./api.js";

function first(object, keys) {
  for (const key of keys) {
    if (object && object[key] !== undefined && object[key] !== null && object[key] !== "") return object[key];
  }
  return undefined;
}

function positive(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export function normaliseForm(data) {
  const limits = data.limits || {};
  const categories = (data.categories || []).map((c) => ({
    code: String(first(c, ["code", "id", "value", "category"]) || ""),
    name: String(first(c, ["name", "label", "text"]) || ""),
  })).filter((c) => c.code && c.name);
  const classes = (first(data, ["classes", "matter_classes"]) || []).map((c) => ({
    value: String(first(c, ["value", "matter_class", "code", "id"]) || ""),
    name: String(first(c, ["name", "label", "text"]) || ""),
    hint: String(first(c, ["hint", "description"]) || ""),
  })).filter((c) => c.value && c.name);
  return {
    categories,
    classes,
    maxTitleChars: positive(first(data, ["max_title_chars", "title_limit"]) ?? first(limits, ["max_title_chars", "title"])),
    maxTextChars: positive(first(data, ["max_text_chars", "text_limit"]) ?? first(limits, ["max_text_chars", "text"])),
  };
}

export async function loadForm() {
  return normaliseForm(await getJson("/form"));
}
