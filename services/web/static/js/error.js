// error.html?reason=<word>: a polite page for what a page could not show
// in place. Only the words below are shown; nothing from the address is
// put into the page.

import { initChrome, setText } from "./ui.js";

initChrome();

const MESSAGES = {
  unavailable: {
    title: "系统暂时无法使用",
    text: "系统繁忙或者正在维护，您要做的事情没有完成。请过几分钟再试。",
  },
  session: {
    title: "查询已经结束",
    text: "为了保护您的信息，查询在一段时间不操作后会自动结束。请重新输入案件编号和查询码。",
  },
  not_found: {
    title: "找不到这个页面",
    text: "您打开的网址可能输错了，或者页面已经不在了。",
  },
  locked: {
    title: "尝试次数太多，请稍后再试",
    text: "为了保护您的案件信息，连续输错多次后会暂时停止查询。请过一段时间再试，并仔细核对案件编号和查询码。",
  },
  window: {
    title: "已经超过期限",
    text: "这项申请的期限已经过了，不能再提交。具体原因请看案件页面上的说明；有疑问的，可以到受理您事项的信访部门咨询。",
  },
};

const reason = new URLSearchParams(window.location.search).get("reason");
const message = Object.prototype.hasOwnProperty.call(MESSAGES, reason) ? MESSAGES[reason] : null;
if (message) {
  setText("error-title", message.title);
  setText("error-text", message.text);
  document.title = `${message.title} - 网上信访`;
}
