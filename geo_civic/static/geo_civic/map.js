// The resident's map. Leaflet's ES module build comes from npm, served under static/vendor/
// (no inline import map, so the Content Security Policy can forbid every inline script).
import * as L from "../vendor/leaflet/leaflet-src.esm.js";
import { _ } from "./i18n.js";
import { MapLayers } from "./map-layers.js";
import { PlaceSearch } from "./place-search.js";
import { ResultsPanel } from "./results-panel.js";
import { parseHash, saveState } from "./url-state.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const checkboxes = [...document.querySelectorAll("#kind-filters input[name=kind]")];
let state = parseHash(location.hash);

const map = L.map("map", { zoomControl: true });
L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(map);

const panel = new ResultsPanel({
  list: document.getElementById("results"),
  status: document.getElementById("map-status"),
  counts: [...document.querySelectorAll("#kind-filters .count")],
  onHover: (id, on) => layers.highlight(id, on),
  onPick: (id) => select(id, { fly: true }),
});
const layers = new MapLayers(map, config.layers, { onSelect: (id) => select(id) });

function currentView() {
  const centre = map.getCenter();
  return { zoom: map.getZoom(), lat: centre.lat, lng: centre.lng };
}

function render() {
  const visible = layers.show(state.kinds);
  panel.render(visible, layers.allActors || [], state.selected);
  if (config.communeCount === 0) panel.noCommunes();
  if (state.selected) layers.open(state.selected);
  const download = document.getElementById("download-geojson");
  const kinds = state.kinds.length ? `&kind=${state.kinds.join(",")}` : "";
  download.href = `${config.layers.actors}?bbox=${layers.bboxParam()}${kinds}`;
  const embed = document.getElementById("embed-code");
  if (embed) {
    const src = `${location.origin}${config.embedUrl}${location.hash}`;
    embed.value = `<iframe src="${src}" width="100%" height="480" style="border:0" ` +
      `title="GeoCivic" loading="lazy"></iframe>`;
  }
}

async function refresh() {
  try {
    await layers.load();
    render();
  } catch (error) {
    if (error.name !== "AbortError") panel.setStatus(_("The map could not be loaded."), true);
  }
}

function select(id, { fly = false } = {}) {
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
  if (state.view) map.setView([state.view.lat, state.view.lng], state.view.zoom);
  else if (config.bounds) map.fitBounds(config.bounds);
  else map.setView([46.6, 2.4], 6);
}

for (const box of checkboxes) {
  box.addEventListener("change", () => {
    state.kinds = checkboxes.filter((b) => b.checked).map((b) => b.value);
    state.selected = null;
    saveState({ ...state, view: currentView() }, { push: true });
    render();
  });
}

map.on("moveend", () => {
  state.view = currentView();
  saveState(state);
  refresh();
});
map.on("popupclose", () => {
  if (state.selected && !layers.redrawing) {
    state.selected = null;
    saveState(state);
  }
});
window.addEventListener("popstate", () => {
  state = parseHash(location.hash);
  applyState();
  render();
});

new PlaceSearch({
  form: document.getElementById("place-search"),
  input: document.getElementById("place-query"),
  list: document.getElementById("place-suggestions"),
  url: config.placesUrl,
  onPick: (place) => map.flyToBounds(place.bounds, { duration: 0.6 }),
});

const sheet = document.getElementById("panel");
const handle = document.getElementById("sheet-handle");
handle.addEventListener("click", () => {
  const open = sheet.classList.toggle("open");
  handle.setAttribute("aria-expanded", String(open));
});

applyState();
if ("serviceWorker" in navigator && config.serviceWorkerUrl) {
  navigator.serviceWorker.register(config.serviceWorkerUrl).catch(() => {});
}

// A handle for the browser console and the browser tests.
window.geocivic = { map, layers };
