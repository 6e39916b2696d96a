// What waits to be sent (forms written offline, sw/outbox.js), shown on the map: "waiting to
// send", or why the server refused one. Asks the service worker to send when the network is here.
import { _, interpolate, ngettext } from "./i18n.js";
import { all, drop } from "./outbox-store.js";

function askToSend() {
  if (navigator.onLine) navigator.serviceWorker.controller?.postMessage({ type: "flush" });
}

async function render(box) {
  const forms = await all();
  box.replaceChildren();
  box.hidden = !forms.length;
  const waiting = forms.filter((form) => form.state === "waiting").length;
  if (waiting) {
    const line = box.appendChild(document.createElement("p"));
    line.className = "outbox-waiting";
    line.textContent = interpolate(
      ngettext(
        "%(count)s contribution waiting to send: it leaves when the network returns.",
        "%(count)s contributions waiting to send: they leave when the network returns.",
        waiting,
      ),
      { count: waiting },
    );
  }
  for (const form of forms.filter((f) => f.state === "refused")) {
    const line = box.appendChild(document.createElement("p"));
    line.className = "outbox-refused";
    line.textContent = interpolate(_("Not sent, the server refused it: %(reason)s"), {
      reason: form.reason === "invalid" ? _("the form has errors, write it again") : form.reason,
    });
    const dismiss = line.appendChild(document.createElement("button"));
    dismiss.type = "button";
    dismiss.textContent = _("Dismiss");
    dismiss.addEventListener("click", () => drop(form.id).then(() => render(box)));
  }
}

export function watchOutbox() {
  const box = document.createElement("div");
  box.id = "outbox";
  box.className = "outbox";
  box.setAttribute("role", "status");
  box.hidden = true;
  document.body.append(box);
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "outbox") render(box);
  });
  window.addEventListener("online", askToSend);
  render(box).then(askToSend);
}
