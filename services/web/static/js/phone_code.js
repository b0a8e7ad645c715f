// 获取验证码: POST /api/v1/phone-codes {phone} and the resend countdown.
// The service decides everything (whether to send, until when the code is
// good, when a new one may be asked for: resend_after, or Retry-After when
// it refuses); this module only shows it.

import { postJson } from "./api.js";
import { announce, clearErrors, formatDateTime, setFieldError, setText, show } from "./ui.js";

function maskPhone(phone) {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone;
}

// "14:05" in China's time zone.
function clock(value) {
  const full = formatDateTime(value);
  return full.slice(full.lastIndexOf(" ") + 1);
}

export class PhoneCode {
  // phoneInput, button: the phone field and its 获取验证码 button;
  // sentNotice: where "已发送到..." is shown; codeInput: focused once sent.
  constructor({ phoneInput, button, sentNotice, codeInput }) {
    this.phoneInput = phoneInput;
    this.codeInput = codeInput;
    this.button = button;
    this.sentNotice = sentNotice;
    this.challenge = null; // {challenge_id, phone, expires_at}
    this.timer = null;
    this.label = button.textContent;
    button.addEventListener("click", () => this.send());
  }

  // The proof for the petition, or null if no code was sent for the phone
  // now in the field.
  proofFor(phone) {
    if (!this.challenge || this.challenge.phone !== phone) return null;
    return { challenge_id: this.challenge.challenge_id };
  }

  async send() {
    const phone = this.phoneInput.value.trim();
    const field = this.phoneInput.closest(".field");
    clearErrors(field);
    if (!phone) {
      setFieldError("phone", "请先填写手机号，再获取验证码");
      this.phoneInput.focus();
      return;
    }
    this.button.disabled = true;
    this.button.textContent = "正在发送……";
    try {
      const answer = await postJson("/phone-codes", { phone });
      this.challenge = { challenge_id: answer.challenge_id, phone, expires_at: answer.expires_at };
      const until = answer.expires_at ? `，请在 ${clock(answer.expires_at)} 前填写` : "";
      const message = `验证码已发送到手机 ${maskPhone(phone)}${until}。`;
      setText(this.sentNotice, message);
      show(this.sentNotice, true);
      announce(message);
      this.countdown(this.secondsUntil(answer.resend_after));
      if (this.codeInput) this.codeInput.focus();
    } catch (error) {
      setFieldError("phone", error.message);
      announce(error.message);
      this.countdown(error.retryAfter || 0);
      this.phoneInput.focus();
    }
  }

  secondsUntil(value) {
    if (value === undefined || value === null || value === "") return 0;
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return Math.max(0, Math.ceil(asNumber));
    const at = new Date(value).getTime();
    if (Number.isNaN(at)) return 0;
    return Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }

  // Keeps the button disabled for `seconds`, showing "重新获取（N秒）".
  countdown(seconds) {
    window.clearInterval(this.timer);
    let left = seconds;
    const tick = () => {
      if (left <= 0) {
        window.clearInterval(this.timer);
        this.button.disabled = false;
        this.button.textContent = this.challenge ? "重新获取验证码" : this.label;
        return;
      }
      this.button.disabled = true;
      this.button.textContent = `重新获取（${left}秒）`;
      left -= 1;
    };
    tick();
    if (seconds > 0) this.timer = window.setInterval(tick, 1000);
  }
}
