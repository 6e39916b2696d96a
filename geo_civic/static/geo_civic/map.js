// The resident's map: commune boundaries and actors for the current view, from the layers API.
// Leaflet's ES module build from npm, served under static/vendor/leaflet/ (no inline import map,
// so the Content Security Policy can forbid every inline script).
import * as L from "../vendor/leaflet/leaflet-src.esm.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const statusLine = document.getElementById("map-status");

const KIND_COLOURS = {
  organisation: "#1b7f4b",
  project: "#1f5fbf",
  event: "#c2410c",
  place: "#7c3aed",
};
const KIND_LABELS = {
  organisation: "organisation",
  project: "projet",
  event: "événement",
  place: "lieu",
};

function setStatus(text, warning = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("warning", warning);
}

// Popups are built from DOM nodes with textContent: names typed by residents never become HTML.
function popup(title, meta) {
  const box = document.createElement("div");
  const heading = box.appendChild(document.createElement("div"));
  heading.className = "popup-title";
  heading.textContent = title;
  if (meta) {
    const line = box.appendChild(document.createElement("div"));
    line.className = "popup-meta";
    line.textContent = meta;
  }
  return box;
}

const map = L.map("map", { zoomControl: true });
L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(map);

const communes = L.geoJSON(null, {
  style: { className: "commune-shape", color: "#0b5d3b", weight: 1.5, fillOpacity: 0.06 },
  onEachFeature(feature, layer) {
    const p = feature.properties;
    layer.bindPopup(() => popup(p.name, `Commune ${p.code}`));
    layer.on("mouseover", () => layer.setStyle({ weight: 3, fillOpacity: 0.15 }));
    layer.on("mouseout", () => communes.resetStyle(layer));
  },
}).addTo(map);

const actors = L.geoJSON(null, {
  pointToLayer(feature, latlng) {
    const colour = KIND_COLOURS[feature.properties.kind] || "#444";
    return L.circleMarker(latlng, {
      className: "actor-marker", radius: 7, color: "#fff", weight: 2,
      fillColor: colour, fillOpacity: 0.9,
    });
  },
  onEachFeature(feature, layer) {
    const p = feature.properties;
    const where = p.commune_name ? ` · ${p.commune_name}` : "";
    layer.bindPopup(() => popup(p.name, `${KIND_LABELS[p.kind] || p.kind}${where}`));
  },
}).addTo(map);

let pending = null;

async function fetchLayer(url, bbox, signal) {
  const response = await fetch(`${url}?bbox=${bbox}`, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function refresh() {
  pending?.abort();
  pending = new AbortController();
  const bbox = map.getBounds().pad(0.1);
  const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v));
  const text = [
    clamp(bbox.getWest(), 180), clamp(bbox.getSouth(), 90),
    clamp(bbox.getEast(), 180), clamp(bbox.getNorth(), 90),
  ].map((v) => v.toFixed(5)).join(",");
  try {
    const [communeData, actorData] = await Promise.all([
      fetchLayer(config.layers.communes, text, pending.signal),
      fetchLayer(config.layers.actors, text, pending.signal),
    ]);
    communes.clearLayers().addData(communeData);
    actors.clearLayers().addData(actorData);
    const n = actorData.features.length;
    if (config.communeCount === 0) {
      setStatus("Aucune commune chargée : lancez « make demo » avec les données.", true);
    } else {
      setStatus(`${n} initiative${n === 1 ? "" : "s"} dans cette vue`);
    }
  } catch (error) {
    if (error.name !== "AbortError") setStatus("Impossible de charger la carte.", true);
  }
}

map.on("moveend", refresh);
if (config.bounds) {
  map.fitBounds(config.bounds);
} else {
  map.setView([46.6, 2.4], 6);
}

// A handle for the browser console and the browser tests.
window.geocivic = { map, communes, actors };
