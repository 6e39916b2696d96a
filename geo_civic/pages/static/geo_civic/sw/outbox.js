// A contribution, a comment or a vote sent without network: kept (outbox-store.js), the person
// sent to the map which says it waits, and posted when the network returns (Background Sync
// where the browser has it, otherwise when a page opens or the browser goes online).
import { all, drop, keep, update } from "../outbox-store.js";

const FORMS = [
  /^\/contribuer\/(organisation|project|event|place)\/$/,
  /^\/propositions\/\d+\/(commenter|voter)\/$/,
];

export function isOutboxForm(request, url) {
  return (
    request.method === "POST" &&
    request.mode === "navigate" &&
    url.origin === location.origin &&
    FORMS.some((form) => form.test(url.pathname))
  );
}

async function notifyPages() {
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "outbox" });
  }
}

// Post the form, or keep it when there is no network.
export async function post(event) {
  const copy = event.request.clone();
  try {
    return await fetch(event.request);
  } catch {
    await keep({
      url: copy.url,
      body: await copy.arrayBuffer(),
      contentType: copy.headers.get("Content-Type"),
      savedAt: new Date().toISOString(),
      state: "waiting",
    });
    await self.registration.sync?.register("outbox").catch(() => {});
    return Response.redirect("/?outbox=waiting", 303);
  }
}

// The site's refusal words in a page: its messages (templates/base.html, <li class="error">; a
// closed vote redirects back to the proposal with its reason there) and a form's field errors
// (<p class="error">).
const ERROR_MESSAGE = /<(li|p) class="[^"]*\berror\b[^"]*"[^>]*>([\s\S]*?)<\/\1>/g;
const ENTITIES = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#x27;": "'",
  "&#39;": "'",
};

function errorMessages(html) {
  return [...html.matchAll(ERROR_MESSAGE)]
    .map((match) =>
      match[2]
        .replace(/<[^>]*>/g, "")
        .replace(/&[#\w]+;/g, (e) => ENTITIES[e] || e)
        .trim(),
    )
    .filter(Boolean);
}

// Why the server refused a form (null if it accepted it): a problem's detail, the page's error
// messages, a form shown again (200 without redirect: "invalid"), else its status.
async function refusal(response, form) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    const problem = await response.json().catch(() => ({}));
    return response.ok ? null : problem.detail || problem.title || `HTTP ${response.status}`;
  }
  const errors = type.includes("html") ? errorMessages(await response.text()) : [];
  if (errors.length) return errors.join(" ");
  if (!response.ok) return `HTTP ${response.status}`;
  return response.redirected && response.url !== form.url ? null : "invalid";
}

let flushing = null;

// Send what waits, oldest first; stop at the first network failure (still offline).
export function flush() {
  flushing ||= (async () => {
    try {
      for (const form of await all()) {
        if (form.state !== "waiting") continue;
        const response = await fetch(form.url, {
          method: "POST",
          body: form.body,
          headers: { "Content-Type": form.contentType },
          credentials: "same-origin",
        });
        // Refused: kept with its reason, shown by outbox-status.js until dismissed.
        const reason = await refusal(response, form);
        if (reason === null) await drop(form.id);
        else await update({ ...form, state: "refused", status: response.status, reason });
      }
    } catch {
      // no network: the forms wait for the next chance
    } finally {
      flushing = null;
      await notifyPages();
    }
  })();
  return flushing;
}
