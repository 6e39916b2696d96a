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

// Why the server refused a form: a problem's detail, else its status.
async function reason(response) {
  if (response.headers.get("Content-Type")?.includes("json")) {
    const problem = await response.json().catch(() => ({}));
    if (problem.detail || problem.title) return problem.detail || problem.title;
  }
  return response.ok ? "invalid" : `HTTP ${response.status}`;
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
        // Accepted: the site answers a form it accepts with a redirect elsewhere; a form shown
        // again (200 with its errors) or a 4xx is a refusal, kept with its reason.
        const accepted = response.redirected && response.url !== form.url && response.ok;
        if (accepted) await drop(form.id);
        else
          await update({
            ...form,
            state: "refused",
            status: response.status,
            reason: await reason(response),
          });
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
