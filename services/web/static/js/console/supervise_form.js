// The 督办 form of the case page (issue 18 item 4): shown only when
// supervision offers it (ListDeadlinesResponse.supervise_offer: the targets
// the rule allows this user's bureau, the grounds, the levels — decided by
// the service, domain/access supervise_access.h, never here), sent to
// POST /api/v1/console/cases/{id}/supervise as a SuperviseRequest.

import { errorBox, radioGroup, selectField, textArea } from "../fields.js";
import { el } from "../ui.js";
import { submitForm } from "./forms.js";
import { word } from "./labels.js";

// Renders the form into `container` when `offer` has a target; answers
// whether it did. `onDone(message)` reloads the page after a 督办.
export function renderSuperviseForm(container, caseId, offer, onDone) {
  const targets = (offer && offer.targets) || [];
  if (!targets.length) {
    container.replaceChildren();
    return false;
  }
  const form = el("form", { class: "action-box", id: "supervise-form", novalidate: true });
  const errors = errorBox("没有督办成功");
  form.append(
    el("h3", { text: "督办" }),
    errors,
    selectField("supervise-target", "被督办单位",
      targets.map((t) => [t.office_code, t.office_name || t.office_code])),
    radioGroup("supervise-ground", "supervise-ground", "督办事由",
      (offer.grounds || []).map((g) => [g, word("SUPERVISION_GROUND_", g)]), ""),
    selectField("supervise-level", "督办方式",
      (offer.levels || []).map((l) => [l, word("SUPERVISION_LEVEL_", l)])),
    textArea("supervise-reason", "督办理由", "事由为“其他需要督办的情形”时必须填写；不写信访人的个人信息"),
    el("button", { type: "submit", class: "button", text: "发出督办" }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ground = form.querySelector('input[name="supervise-ground"]:checked');
    const body = {
      target_office_code: form.querySelector("#supervise-target").value,
      level: form.querySelector("#supervise-level").value,
      reason: form.querySelector("#supervise-reason").value.trim(),
    };
    if (ground) body.ground = ground.value;
    const answer = await submitForm(form, errors,
      `/console/cases/${encodeURIComponent(caseId)}/supervise`, body);
    if (answer) onDone(`已发出督办 ${(answer.supervision || {}).supervision_id || ""}`);
  });
  container.replaceChildren(form);
  return true;
}
