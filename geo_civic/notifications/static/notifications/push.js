// "Receive notifications on this device": subscribes this browser to Web Push with the site's
// VAPID key (GET /api/v1/push/key) and hands the subscription to POST /api/v1/push/subscriptions.
import { _ } from "../../../pages/static/geo_civic/i18n.js";

const button = document.getElementById("push-subscribe");
const status = document.getElementById("push-status");

function fromBase64Url(text) {
  const padded = (text + "=".repeat((4 - (text.length % 4)) % 4))
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function send(url, method, body) {
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function subscribe() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = _("This browser cannot receive notifications.");
    return;
  }
  if ((await Notification.requestPermission()) !== "granted") {
    status.textContent = _("Notifications are blocked for this site in the browser.");
    return;
  }
  try {
    await navigator.serviceWorker.register(button.dataset.serviceWorker);
    const registration = await navigator.serviceWorker.ready;
    const { publicKey } = await (await fetch("/api/v1/push/key")).json();
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64Url(publicKey),
    });
    await send("/api/v1/push/subscriptions", "POST", subscription.toJSON());
    await send("/api/v1/me/notifications", "PUT", { push: true });
    status.textContent = _("This device will receive notifications.");
  } catch {
    status.textContent = _("This browser could not subscribe to notifications.");
  }
}

if (button) {
  button.addEventListener("click", subscribe);
  button.disabled = false; // usable once this script runs
}
