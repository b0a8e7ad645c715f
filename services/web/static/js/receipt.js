// receipt.html: shows the case number and look-up code that submit.js left
// in sessionStorage, and removes them at once, so a reload, the back
// button or another tab shows them no more (issue 15: "shown once").

import { byId, focusOn, initChrome, setText, show } from "./ui.js";

initChrome();

function takeReceipt() {
  try {
    const raw = window.sessionStorage.getItem("cr.receipt");
    window.sessionStorage.removeItem("cr.receipt");
    const receipt = raw ? JSON.parse(raw) : null;
    return receipt && receipt.case_number && receipt.lookup_code ? receipt : null;
  } catch (e) {
    return null;
  }
}

// Copies through the Clipboard API where the page may (HTTPS, localhost);
// else selects the codes so the person can copy them by hand.
async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    const range = document.createRange();
    range.selectNodeContents(byId("receipt-codes"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return false;
  }
}

const receipt = takeReceipt();
if (receipt) {
  setText("case-number", receipt.case_number);
  setText("lookup-code", receipt.lookup_code);
  show("gone", false);
  show("receipt", true);
  document.title = "信访事项已提交 - 网上信访";
  focusOn(byId("receipt-title"));
  byId("copy").addEventListener("click", async () => {
    const ok = await copy(`案件编号：${receipt.case_number}\n查询码：${receipt.lookup_code}`);
    setText("copy-status", ok ? "已复制，请粘贴到安全的地方保存。" : "无法自动复制，已选中编号和查询码，请长按或按 Ctrl+C 复制。");
  });
  byId("print").addEventListener("click", () => window.print());
}
