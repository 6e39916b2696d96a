// Commune boundaries and actor markers for the current view, fetched from the layers API.
import * as L from "../vendor/leaflet/leaflet-src.esm.js";
import { _ } from "./i18n.js";
import { KIND_COLOURS, kindLabel } from "./kinds.js";
import { popupContent } from "./popup.js";

const MARKER_STYLE = { radius: 7, color: "#fff", weight: 2, fillOpacity: 0.9 };

export class MapLayers {
  constructor(map, urls, { onSelect }) {
    this.map = map;
    this.urls = urls;
    this.markers = new Map();
    this.pending = null;
    this.communes = L.geoJSON(null, {
      style: { className: "commune-shape", color: "#0b5d3b", weight: 1.5, fillOpacity: 0.06 },
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        layer.bindPopup(() => popupContent(p.name, `${_("Commune")} ${p.code}`));
        layer.on("mouseover", () => layer.setStyle({ weight: 3, fillOpacity: 0.15 }));
        layer.on("mouseout", () => this.communes.resetStyle(layer));
      },
    }).addTo(map);
    this.actors = L.geoJSON(null, {
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, {
          ...MARKER_STYLE,
          className: `actor-marker kind-${feature.properties.kind}`,
          fillColor: KIND_COLOURS[feature.properties.kind] || "#444",
        }),
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        const where = p.commune_name ? ` · ${p.commune_name}` : "";
        layer.bindPopup(() => popupContent(p.name, `${kindLabel(p.kind)}${where}`));
        layer.on("click", () => onSelect(feature.id));
        this.markers.set(feature.id, layer);
      },
    }).addTo(map);
  }

  bboxParam() {
    const b = this.map.getBounds().pad(0.05);
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v));
    return [
      clamp(b.getWest(), 180), clamp(b.getSouth(), 90),
      clamp(b.getEast(), 180), clamp(b.getNorth(), 90),
    ].map((v) => v.toFixed(5)).join(",");
  }

  // Load the view; resolves to the actor features of every kind (filters apply in show()).
  async load() {
    this.pending?.abort();
    this.pending = new AbortController();
    const bbox = this.bboxParam();
    const get = async (url) => {
      const response = await fetch(`${url}?bbox=${bbox}`, { signal: this.pending.signal });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.json();
    };
    const [communes, actors] = await Promise.all([get(this.urls.communes), get(this.urls.actors)]);
    this.communes.clearLayers().addData(communes);
    this.allActors = actors.features;
    return actors.features;
  }

  show(kinds) {
    this.markers.clear();
    // Redrawing closes the open popup; that is not the resident closing it.
    this.redrawing = true;
    this.actors.clearLayers();
    this.redrawing = false;
    const visible = (this.allActors || []).filter((f) => kinds.includes(f.properties.kind));
    this.actors.addData(visible);
    return visible;
  }

  highlight(id, on) {
    const marker = this.markers.get(id);
    if (!marker) return;
    marker.setStyle({ radius: on ? 11 : MARKER_STYLE.radius });
    if (on) marker.bringToFront();
  }

  open(id) {
    const marker = this.markers.get(id);
    if (marker) marker.openPopup();
    return Boolean(marker);
  }
}
