// The map without network: what the service worker kept of the communes a person visited
// (sw/communes.js), read straight from the cache, with a banner saying since when it dates.
import { _, interpolate } from "./i18n.js";
import { communeUrls, DATA_CACHE, INDEX_URL } from "./sw/communes.js";

async function features(cache, url) {
  const response = await cache.match(url, { ignoreVary: true });
  return response ? (await response.json()).features || [] : [];
}

// The kept communes' actors and proposals, and the date of the oldest copy; null if none.
export async function keptData() {
  if (!("caches" in window) || !(await caches.has(DATA_CACHE))) return null;
  const cache = await caches.open(DATA_CACHE);
  const index = await cache.match(INDEX_URL, { ignoreVary: true });
  const communes = index ? (await index.json()).communes : [];
  if (!communes.length) return null;
  const actors = [];
  const proposals = [];
  for (const { code } of communes) {
    const urls = communeUrls(code);
    actors.push(...(await features(cache, urls.actors)));
    proposals.push(...(await features(cache, urls.proposals)));
  }
  const savedAt = communes.map((c) => c.savedAt).sort()[0];
  return { communes, actors, proposals, savedAt: new Date(savedAt) };
}

// "Offline: the data of your communes as of 28 Nov 2026, 12:30", until the network returns.
export function showBanner(savedAt, onOnline) {
  let banner = document.getElementById("offline-banner");
  if (!banner) {
    banner = document.createElement("p");
    banner.id = "offline-banner";
    banner.className = "offline-banner";
    banner.setAttribute("role", "status");
    document.body.prepend(banner);
    window.addEventListener(
      "online",
      () => {
        banner.remove();
        onOnline();
      },
      { once: true },
    );
  }
  const date = savedAt.toLocaleString(document.documentElement.lang, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  banner.textContent = interpolate(
    _("Offline: the initiatives of your communes as saved on %(date)s."),
    { date },
  );
  banner.dataset.savedAt = savedAt.toISOString();
}
