// A paged list of the console: loads page after page by the answer's
// next_page_token, shows the count of the page and the 下一页 / 回到第一页
// buttons (#next-page, #first-page, #count, #loading, #empty, #table-wrap).

import { byId, setText, show } from "../ui.js";
import { clearPageError, pageError } from "./session.js";

export class PagedList {
  // fetchPage(token) answers the API's answer; render(answer) fills the
  // rows and answers how many.
  constructor({ fetchPage, render }) {
    this.fetchPage = fetchPage;
    this.render = render;
    this.tokens = [""];
    byId("next-page").addEventListener("click", () => this.load(this.index + 1));
    byId("first-page").addEventListener("click", () => this.load(0));
  }

  async load(index = 0) {
    this.index = index;
    clearPageError();
    show("loading", true);
    let answer;
    try {
      answer = await this.fetchPage(this.tokens[index]);
    } catch (error) {
      show("loading", false);
      pageError(error);
      return;
    }
    show("loading", false);
    const n = this.render(answer);
    show("table-wrap", n > 0);
    show("empty", n === 0);
    const next = answer.next_page_token || "";
    setText("count", index === 0 && !next ? `共 ${n} 件` : `第 ${index + 1} 页，本页 ${n} 件`);
    this.tokens.length = index + 1;
    if (next) this.tokens.push(next);
    show("next-page", Boolean(next));
    show("first-page", index > 0);
  }
}
