// Map tiles the person has looked at (the basemap's and our own commune boundaries), kept so
// that the map of their communes still draws without network. Only tiles the page asked for are
// kept: nothing is fetched ahead from the tile server (OpenStreetMap's usage policy).
export const TILE_CACHE = "geocivic-tiles";
// The cap: 30 MB at about 20 KB a tile, counted in tiles; the least recently viewed go first.
const MAX_TILES = 1500;
const TRIM_EVERY = 50; // puts between two trims: keys() is not free

// A Leaflet URL template ("https://{s}.tile.example/{z}/{x}/{y}.png") as a pattern.
export function tilePattern(template) {
  if (!template) return null;
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  const source = escaped
    .replace(/\{s\}/g, "[a-z0-9-]+")
    .replace(/\{[xyz]\}/g, "\\d+")
    .replace(/\{r\}/g, "(@2x)?")
    .replace(/\{[a-z_]+\}/gi, "[^/?]*");
  return new RegExp(`^${source}$`);
}

export function isBoundaryTile(url) {
  return (
    url.origin === location.origin && /^\/tiles\/communes\/\d+\/\d+\/\d+\.pbf$/.test(url.pathname)
  );
}

let puts = 0;

async function trim(cache) {
  const keys = await cache.keys(); // oldest put first: a tile viewed again is put again
  await Promise.all(
    keys.slice(0, Math.max(0, keys.length - MAX_TILES)).map((k) => cache.delete(k)),
  );
}

let corsRefused = false;

// A basemap <img> asks without CORS; its opaque answer would count in the browser's quota as
// megabytes, so the tile is asked with CORS (OpenStreetMap's servers allow it), as the page
// asked if the server refuses (then it is not kept).
function fetchTile(request) {
  if (request.mode !== "no-cors" || corsRefused) return fetch(request);
  return fetch(request.url, { mode: "cors", credentials: "omit" }).catch((error) => {
    if (!navigator.onLine) throw error;
    corsRefused = true;
    return fetch(request);
  });
}

// Network first (the tile server's own caching headers apply), the kept tile without network.
export function tile(event) {
  return fetchTile(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        event.waitUntil(
          caches.open(TILE_CACHE).then(async (cache) => {
            await cache.put(event.request, copy);
            puts += 1;
            if (puts % TRIM_EVERY === 0) await trim(cache);
          }),
        );
      }
      return response;
    })
    .catch(
      async () =>
        (await caches.match(event.request, { cacheName: TILE_CACHE, ignoreVary: true })) ||
        Response.error(),
    );
}
