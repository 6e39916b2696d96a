// GeoCivic's service worker: the app shell works offline; data always comes from the network.
const CACHE = "geocivic-shell-v2";
const SHELL = [
  "/",
  "/jsi18n/",
  "/manifest.webmanifest",
  "/static/vendor/leaflet/leaflet.css",
  "/static/vendor/leaflet/leaflet-src.esm.js",
  "/static/vendor/markercluster/leaflet.markercluster.js",
  "/static/vendor/markercluster/MarkerCluster.css",
  "/static/vendor/markercluster/MarkerCluster.Default.css",
  "/static/vendor/protomaps-leaflet/protomaps-leaflet.js",
  "/static/geo_civic/map.css",
  "/static/geo_civic/map.js",
  "/static/geo_civic/i18n.js",
  "/static/geo_civic/kinds.js",
  "/static/geo_civic/map-layers.js",
  "/static/geo_civic/plugins.js",
  "/static/geo_civic/commune-tiles.js",
  "/static/geo_civic/actor-search.js",
  "/static/geo_civic/category-filter.js",
  "/static/geo_civic/near-me.js",
  "/static/geo_civic/place-search.js",
  "/static/geo_civic/popup.js",
  "/static/geo_civic/results-panel.js",
  "/static/geo_civic/url-state.js",
  "/static/geo_civic/icon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))));
  self.clients.claim();
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const isShell = event.request.method === "GET" && url.origin === location.origin &&
    (url.pathname.startsWith("/static/") || SHELL.includes(url.pathname));
  if (!isShell) return; // API calls, tiles and forms go straight to the network
  // Network first, so a deployment shows at once; the cached copy when offline.
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: true })),
  );
});
