// GeoCivic's service worker: the app shell works offline, and so does the map of the communes a
// person visited (sw/communes.js) with the tiles they looked at (sw/tiles.js); other data comes
// from the network. Django serves it at /sw.js with CACHE, PRECACHE (the map's bundle as built:
// see geo_civic/frontend_build.py), IMMUTABLE (static names are content-hashed) and BASEMAP (the
// basemap's URL template) defined above; esbuild bundles the modules.
/* global CACHE, PRECACHE, IMMUTABLE, BASEMAP */
import { communeOfPage, communePage, DATA_CACHE } from "./sw/communes.js";
import { flush, isOutboxForm, post } from "./sw/outbox.js";
import { isBoundaryTile, TILE_CACHE, tile, tilePattern } from "./sw/tiles.js";

const KEPT = [CACHE, DATA_CACHE, TILE_CACHE]; // a new deployment replaces the shell only
const BASEMAP_TILE = tilePattern(BASEMAP);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => !KEPT.includes(key)).map((key) => caches.delete(key))),
      ),
  );
  self.clients.claim();
});

// Shell URLs may carry a version (?v=, the JavaScript catalogue): matched by their path.
const SHELL_PATHS = PRECACHE.map((url) => url.split("?")[0]);

function fromNetwork(request) {
  return fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (isOutboxForm(event.request, url)) {
    event.respondWith(post(event));
    return;
  }
  if (event.request.method !== "GET") return;
  const code = event.request.mode === "navigate" && communeOfPage(url);
  if (code && url.origin === location.origin) {
    event.respondWith(communePage(event, code));
    return;
  }
  if (isBoundaryTile(url) || BASEMAP_TILE?.test(url.href)) {
    event.respondWith(tile(event));
    return;
  }
  const isStatic = url.pathname.startsWith("/static/");
  const isShell =
    event.request.method === "GET" &&
    url.origin === location.origin &&
    (isStatic || SHELL_PATHS.includes(url.pathname));
  if (!isShell) return; // API calls, tiles and forms go straight to the network
  if (isStatic && IMMUTABLE) {
    // A content-hashed name never changes: the cached copy is the file.
    event.respondWith(
      caches.match(event.request).then((cached) => cached || fromNetwork(event.request)),
    );
    return;
  }
  // Network first, so a deployment shows at once; the cached copy when offline.
  event.respondWith(
    fromNetwork(event.request).catch(() =>
      caches.match(event.request, { ignoreSearch: true, ignoreVary: true }),
    ),
  );
});

// Web Push (geo_civic/notifications/push.py): the payload is {title, body, url}, decrypted by
// the browser; a tap opens the notification's page.
self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(message.title || "GeoCivic", {
      body: message.body || "",
      icon: "/static/geo_civic/icon.svg",
      data: { url: message.url || "/notifications/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/notifications/", location.origin);
  if (url.origin !== location.origin) return; // only our own pages
  event.waitUntil(self.clients.openWindow(url.href));
});

// Forms kept offline (sw/outbox.js): sent by Background Sync, or when a page asks.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(flush());
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "flush") event.waitUntil(flush());
});
