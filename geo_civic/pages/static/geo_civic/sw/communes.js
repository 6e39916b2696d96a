// The communes a person visited, kept for a visit without network: each one's page, its
// actors and its open proposals, for the last five visited (older ones are dropped).
export const DATA_CACHE = "geocivic-offline";
// The list of kept communes, stored in the cache under this key (never asked of the server).
export const INDEX_URL = "/offline/communes.json";
const KEEP = 5;
const COMMUNE_PAGE = /^\/communes\/([^/]+)\/$/;

export function communeOfPage(url) {
  const match = url.pathname.match(COMMUNE_PAGE);
  return match ? decodeURIComponent(match[1]) : null;
}

// What is kept of one commune: the same URLs the map reads offline (offline-map.js).
export function communeUrls(code) {
  const c = encodeURIComponent(code);
  return {
    page: `/communes/${c}/`,
    actors: `/api/layers/actors.geojson?commune=${c}`,
    proposals: `/api/layers/proposals.geojson?commune=${c}&status=debate,voting`,
  };
}

async function readIndex(cache) {
  const response = await cache.match(INDEX_URL);
  return response ? (await response.json()).communes || [] : [];
}

// After an online visit of a commune's page: its page, actors and proposals as they are now.
export async function keepCommune(code, page) {
  const cache = await caches.open(DATA_CACHE);
  const urls = communeUrls(code);
  await cache.put(urls.page, page);
  const [actors, proposals] = await Promise.all([fetch(urls.actors), fetch(urls.proposals)]);
  if (!actors.ok || !proposals.ok) return;
  await Promise.all([cache.put(urls.actors, actors), cache.put(urls.proposals, proposals)]);
  const others = (await readIndex(cache)).filter((kept) => kept.code !== code);
  const communes = [{ code, savedAt: new Date().toISOString() }, ...others];
  for (const dropped of communes.splice(KEEP)) {
    await Promise.all(Object.values(communeUrls(dropped.code)).map((url) => cache.delete(url)));
  }
  const index = new Response(JSON.stringify({ communes }), {
    headers: { "Content-Type": "application/json" },
  });
  await cache.put(INDEX_URL, index);
}

// A commune's page: from the network, kept on the way; the kept copy without network.
export function communePage(event, code) {
  return fetch(event.request)
    .then((response) => {
      if (response.ok) event.waitUntil(keepCommune(code, response.clone()).catch(() => {}));
      return response;
    })
    .catch(async () => {
      const cache = await caches.open(DATA_CACHE);
      return (await cache.match(communeUrls(code).page, { ignoreVary: true })) || Response.error();
    });
}
