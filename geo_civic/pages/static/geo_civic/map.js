// The resident's map: glue between the URL state, the panel and the map layers.
import { L } from "./plugins.js";
import "./map.css";
import { ActorSearch } from "./actor-search.js";
import { categoryFilter } from "./category-filter.js";
import { CommuneTiles } from "./commune-tiles.js";
import { _, interpolate, ngettext } from "./i18n.js";
import { ApiError, DETAIL_LIMIT, MapLayers } from "./map-layers.js";
import { nearMe } from "./near-me.js";
import { PlaceSearch } from "./place-search.js";
import { communeCard } from "./popup.js";
import { ProposalLayer } from "./proposal-layer.js";
import { ResultsPanel } from "./results-panel.js";
import { filterParams, parseHash, saveState } from "./url-state.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const $ = (id) => document.getElementById(id);
const checkboxes = [...document.querySelectorAll("#kind-filters input[name=kind]")];
let state = parseHash(location.hash);
let nearby = null; // the "near me" answer while it is shown

const map = L.map("map", { zoomControl: true });
L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(
  map,
);
const communes = new CommuneTiles(map, config.communeTiles);

const panel = new ResultsPanel({
  list: $("results"),
  status: $("map-status"),
  counts: [...document.querySelectorAll("#kind-filters .count")],
  onHover: (id, on) => layers.highlight(id, on),
  onPick: (id) => select(id, { fly: true }),
});
const layers = new MapLayers(map, config.layers, {
  onSelect: (id) => select(id),
  fewActors: config.actorCount <= DETAIL_LIMIT,
});
const proposals = new ProposalLayer(map, config.layers.proposals);
const showProposals = $("show-proposals");
let categories = null;
let lastSummary = null; // the counts of the view, for the categories when they arrive

function currentView() {
  const centre = map.getCenter();
  return { zoom: map.getZoom(), lat: centre.lat, lng: centre.lng };
}

// The downloads carry exactly the filters of the view.
function updateLinks() {
  const params = filterParams(state);
  params.set("bbox", layers.bboxParam());
  $("download-geojson").href = `${config.layers.actors}?${params}`;
  $("download-csv").href = `${config.layers.actorsCsv}?${params}`;
  const embed = $("embed-code");
  if (embed) {
    const src = `${location.origin}${config.embedUrl}${location.hash}`;
    embed.value =
      `<iframe src="${src}" width="100%" height="480" style="border:0" ` +
      `title="GeoCivic" loading="lazy"></iframe>`;
  }
}

let loads = 0; // views asked for so far

// The actors first, then the proposals of the same view (their own layer, their own toggle).
async function refresh() {
  await refreshActors();
  proposals.load(layers.bboxParam());
}

async function refreshActors() {
  loads += 1;
  updateLinks();
  if (!state.kinds.length) {
    layers.draw({ clusters: [] }, []);
    panel.render([], { total: 0, kinds: layers.summary?.kinds }, null);
    afterFirstMarkers();
    return;
  }
  try {
    const { summary, features } = await layers.load(filterParams(state));
    if (nearby) return;
    show(summary, features);
  } catch (error) {
    if (error.name === "AbortError") return;
    if (!(error instanceof ApiError) && (await showOffline())) return;
    const message =
      error instanceof ApiError
        ? interpolate(_("These filters are not available: %(reason)s"), { reason: error.message })
        : _("The map could not be loaded.");
    panel.setStatus(message, true);
  } finally {
    afterFirstMarkers();
  }
}

// No network: what the service worker kept of the person's communes (offline-map.js, loaded
// only then), with a banner dating it; the network's answer again once it returns.
async function showOffline() {
  const { keptData, showBanner } = await import("./offline-map.js");
  const kept = await keptData().catch(() => null);
  if (!kept) return false;
  const kinds = {};
  for (const { properties } of kept.actors)
    kinds[properties.kind] = (kinds[properties.kind] || 0) + 1;
  const summary = { total: kept.actors.length, kinds, clusters: [] };
  layers.summary = summary;
  layers.draw(summary, kept.actors);
  show(summary, kept.actors);
  proposals.draw(kept.proposals);
  showBanner(kept.savedAt, refresh);
  return true;
}

function show(summary, features) {
  panel.render(features, summary, state.selected);
  lastSummary = summary;
  categories?.setCounts(summary.categories);
  if (config.communeCount === 0) panel.noCommunes();
  if (state.selected) layers.open(state.selected);
}

// The page brought the answer of the default view for the territory (layers/first_view.py):
// drawn at once, while the API is asked for the exact view (the same answer, almost always).
function previewFirstView(first) {
  // Too late: the map has moved or already shows the API's answer.
  if (!first || loads !== 1 || layers.summary) return;
  if (!first.features && !(first.summary.total > DETAIL_LIMIT && first.zoom === map.getZoom())) {
    return;
  }
  layers.preview(first.summary, first.features);
  // The list in the next task, so that the markers are painted first; not once the API's
  // answer has been shown.
  setTimeout(() => {
    if (layers.summary === first.summary) show(first.summary, first.features || []);
  });
  afterFirstMarkers();
}

// What the first markers need not wait for: the commune boundaries (protomaps-leaflet, a third
// of the code) and the category filter, once the markers have been painted.
let started = false;
function afterFirstMarkers() {
  if (started) return;
  started = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      communes.load();
      categories = categoryFilter({
        fieldset: $("category-filters"),
        categories: config.categories,
        selected: state.categories,
        onChange: (slugs) => changeFilters({ categories: slugs }),
      });
      if (lastSummary) categories.setCounts(lastSummary.categories);
      // Forms written offline: their state, and sent if the network is back (outbox-status.js).
      if (navigator.serviceWorker?.controller) {
        import("./outbox-status.js").then((outbox) => outbox.watchOutbox());
      }
      if (new URLSearchParams(location.search).get("near") === "me") $("near-me").click();
    }),
  );
}

function select(id, { fly = false } = {}) {
  if (typeof id === "string" && id.startsWith("p")) {
    // A proposal of the "near me" list: its card, without touching the actors' state.
    const row = nearby?.results.find((r) => r.layer === "proposals" && `p${r.id}` === id);
    if (row && fly) map.panTo([row.lat, row.lon]);
    proposals.open(Number(id.slice(1)), row?.lat, row?.lon);
    return;
  }
  state.selected = id;
  saveState(state, { push: true });
  const marker = layers.markers.get(id);
  if (fly && marker) map.panTo(marker.getLatLng());
  layers.open(id);
  for (const item of document.querySelectorAll("#results li")) {
    item.classList.toggle("selected", Number(item.dataset.id) === id);
  }
}

function applyState() {
  for (const box of checkboxes) box.checked = state.kinds.includes(box.value);
  categories?.setChecked(state.categories);
  $("when").value = state.when;
  $("actor-query").value = state.q;
  if (state.view) map.setView([state.view.lat, state.view.lng], state.view.zoom);
  else if (config.bounds) map.fitBounds(config.bounds);
  else map.setView([46.6, 2.4], 6);
}

// A filter change adds a history entry and reloads the view.
function changeFilters(change) {
  Object.assign(state, change, { selected: null, view: currentView() });
  nearby = null;
  saveState(state, { push: true });
  refresh();
}

for (const box of checkboxes) {
  box.addEventListener("change", () =>
    changeFilters({ kinds: checkboxes.filter((b) => b.checked).map((b) => b.value) }),
  );
}
$("when").addEventListener("change", (event) => changeFilters({ when: event.target.value }));
proposals.enabled = showProposals.checked;
if (proposals.enabled) proposals.group.addTo(map);
showProposals.addEventListener("change", () =>
  proposals.setEnabled(showProposals.checked, layers.bboxParam()),
);

map.on("moveend", () => {
  state.view = currentView();
  saveState(state);
  if (!nearby) refresh();
  else updateLinks();
});
map.on("popupclose", () => {
  if (state.selected && !layers.redrawing) {
    state.selected = null;
    saveState(state);
  }
});
map.on("click", async (event) => {
  const props = communes.at(event.latlng);
  if (!props) return;
  const { box, counted } = communeCard(props, null);
  L.popup({ className: "commune-card" }).setLatLng(event.latlng).setContent(box).openOn(map);
  const params = filterParams(state);
  params.set("commune", props.code);
  try {
    const response = await fetch(`${config.layers.perCommune}?${params}`);
    const feature = (await response.json()).features[0];
    const n = feature ? feature.properties.actor_count : 0;
    counted.textContent = interpolate(
      ngettext("%(count)s initiative", "%(count)s initiatives", n),
      { count: n },
    );
  } catch {
    counted.textContent = "";
  }
});
window.addEventListener("popstate", () => {
  state = parseHash(location.hash);
  nearby = null;
  applyState();
  refresh();
});

new PlaceSearch({
  form: $("place-search"),
  input: $("place-query"),
  list: $("place-suggestions"),
  url: config.placesUrl,
  onPick: (place) => map.flyToBounds(place.bounds, { duration: 0.6 }),
});

new ActorSearch({
  form: $("actor-search"),
  input: $("actor-query"),
  list: $("actor-suggestions"),
  url: config.layers.actors,
  onSearch: (q) => changeFilters({ q }),
  onPick: (feature) => {
    const [lng, lat] = feature.geometry.coordinates;
    state.selected = feature.id;
    map.setView([lat, lng], Math.max(map.getZoom(), 16));
  },
});

let hereMarker = null;
$("near-me").addEventListener("click", async () => {
  panel.setStatus(_("Looking for where you are…"));
  try {
    const found = await nearMe(config.nearbyUrl);
    nearby = found;
    const here = [found.coords.latitude, found.coords.longitude];
    hereMarker?.remove();
    hereMarker = L.circleMarker(here, { radius: 8, className: "you-are-here" }).addTo(map);
    hereMarker.bindTooltip(_("You are here"));
    if (!found.results.length) {
      panel.setStatus(_("Nothing found near you."), true);
      return;
    }
    panel.renderNearby(found.results, found.radius);
    const bounds = L.latLngBounds([here, ...found.results.map((r) => [r.lat, r.lon])]);
    map.fitBounds(bounds.pad(0.1), { maxZoom: 16 });
    await layers.load(filterParams(state)).catch(() => {});
    proposals.load(layers.bboxParam());
  } catch (error) {
    nearby = null;
    panel.setStatus(
      error.code === 1
        ? _("Location refused: allow it to see what is near you.")
        : _("Your position could not be found."),
      true,
    );
  }
});

const sheet = $("panel");
const handle = $("sheet-handle");
handle.addEventListener("click", () => {
  const open = sheet.classList.toggle("open");
  handle.setAttribute("aria-expanded", String(open));
});

// Set the view at once (its layers load), and draw what the page brought for it.
const defaultView = !state.view && !state.selected && !filterParams(state).toString();
// Preloaded by the page (layers/first_view.py): this fetch is served by that download.
const firstView =
  defaultView && config.firstViewUrl
    ? fetch(config.firstViewUrl)
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null)
    : null;
applyState();
firstView?.then(previewFirstView);
// After load: the worker's install downloads the shell, which must not compete with the first view.
if ("serviceWorker" in navigator && config.serviceWorkerUrl) {
  const register = () => navigator.serviceWorker.register(config.serviceWorkerUrl).catch(() => {});
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

// A handle for the browser console and the browser tests.
window.geocivic = { map, layers, communes, proposals };
