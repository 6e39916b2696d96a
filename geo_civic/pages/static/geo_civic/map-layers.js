// Actors of the current view. A view with few actors gets them all (GeoJSON, clustered on the
// client by leaflet.markercluster); a crowded one gets PostGIS grid clusters from
// /api/map/clusters, so national scale costs a few hundred rows, never 100,000 markers.

import { _ } from "./i18n.js";
import { KIND_COLOURS } from "./kinds.js";
import { L } from "./plugins.js";
import { actorCard } from "./popup.js";

export const DETAIL_LIMIT = 1500; // at most this many actors are drawn one by one
const EAGER_ZOOM = 13;
const MARKER_STYLE = { radius: 7, color: "#fff", weight: 2, fillOpacity: 0.9 };

export class ApiError extends Error {}

async function getJSON(url, signal) {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    let reason = `HTTP ${response.status}`;
    try {
      reason = (await response.json()).detail || reason;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(reason);
  }
  return response.json();
}

// What draw() draws from an answer: its actors, or its grid clusters when it has none.
function drawnKey(summary, features) {
  return JSON.stringify(features || summary.clusters);
}

export class MapLayers {
  constructor(map, urls, { onSelect, fewActors = false }) {
    this.map = map;
    this.fewActors = fewActors; // no view can hold more than DETAIL_LIMIT
    this.urls = urls;
    this.onSelect = onSelect;
    this.markers = new Map();
    this.features = [];
    this.summary = null;
    this.cluster = L.markerClusterGroup({
      maxClusterRadius: 40,
      disableClusteringAtZoom: 16,
      showCoverageOnHover: false,
    }).addTo(map);
    this.serverClusters = L.layerGroup().addTo(map);
  }

  bboxParam() {
    const b = this.map.getBounds().pad(0.05);
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v));
    return [
      clamp(b.getWest(), 180),
      clamp(b.getSouth(), 90),
      clamp(b.getEast(), 180),
      clamp(b.getNorth(), 90),
    ]
      .map((v) => v.toFixed(5))
      .join(",");
  }

  // Load the view with these filters; resolves to {summary, features (null when too many)}.
  async load(filters) {
    this.pending?.abort();
    this.pending = new AbortController();
    const signal = this.pending.signal;
    const params = new URLSearchParams(filters);
    params.set("bbox", this.bboxParam());
    const summaryParams = new URLSearchParams(params);
    summaryParams.set("zoom", String(Math.round(this.map.getZoom())));
    params.set("limit", String(DETAIL_LIMIT));
    const detailUrl = `${this.urls.actors}?${params}`;
    // Close in, or when there are few actors anyway, a view rarely holds too many: ask for
    // the counts and the actors at once and save a round trip.
    const eager = this.fewActors || this.map.getZoom() >= EAGER_ZOOM;
    const early = eager ? getJSON(detailUrl, signal) : null;
    early?.catch(() => {}); // its error, if any, is reported by the await below
    const summary = await getJSON(`${this.urls.clusters}?${summaryParams}`, signal);
    let features = null;
    if (summary.total <= DETAIL_LIMIT) {
      features = (await (early || getJSON(detailUrl, signal))).features;
    }
    this.summary = summary;
    // The answer the page brought for the first view is usually this one: not drawn twice.
    if (drawnKey(summary, features) !== this.previewed) this.draw(summary, features);
    this.previewed = null;
    return { summary, features };
  }

  // Draw an answer the page brought with it (layers/first_view.py) while the API is asked for
  // the exact view, so that the first markers wait for no round trip.
  preview(summary, features) {
    this.summary = summary;
    this.draw(summary, features);
    this.previewed = drawnKey(summary, features);
  }

  draw(summary, features) {
    // Redrawing closes the open popup; that is not the resident closing it.
    this.redrawing = true;
    this.map.closePopup();
    this.cluster.clearLayers();
    this.serverClusters.clearLayers();
    this.redrawing = false;
    this.markers.clear();
    this.features = features || [];
    if (features) {
      const layers = features.map((feature) => this.marker(feature));
      this.cluster.addLayers(layers);
    } else {
      for (const group of summary.clusters) this.serverClusters.addLayer(this.bubble(group));
    }
  }

  marker(feature) {
    const p = feature.properties;
    const [lng, lat] = feature.geometry.coordinates;
    const marker = L.circleMarker([lat, lng], {
      ...MARKER_STYLE,
      className: `actor-marker kind-${p.kind}`,
      fillColor: p.colour || KIND_COLOURS[p.kind] || "#444",
    });
    marker.feature = feature;
    marker.bindPopup(() => actorCard(p, feature.id), { maxWidth: 280 });
    marker.on("click", () => this.onSelect(feature.id));
    this.markers.set(feature.id, marker);
    return marker;
  }

  // A server cluster: its count on a disc; clicking zooms in towards it.
  bubble({ count, lat, lon }) {
    const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 44 : 52;
    const icon = L.divIcon({
      html: `<span>${count < 10000 ? count : `${Math.round(count / 1000)}k`}</span>`,
      className: "server-cluster",
      iconSize: [size, size],
    });
    const marker = L.marker([lat, lon], {
      icon,
      keyboard: true,
      title: `${count} ${_("initiatives")}`,
    });
    marker.on("click", () => this.map.setView([lat, lon], Math.min(this.map.getZoom() + 3, 18)));
    return marker;
  }

  highlight(id, on) {
    const marker = this.markers.get(id);
    if (!marker) return;
    marker.setStyle({ radius: on ? 11 : MARKER_STYLE.radius });
    if (on && marker._map) marker.bringToFront();
  }

  // Open the compact card of an actor; inside a cluster, at its position without moving the
  // map, so that a shared link reopens exactly the view it was copied from.
  open(id) {
    const marker = this.markers.get(id);
    if (!marker) return false;
    this.redrawing = true; // replacing a card is not the resident closing it
    this.map.closePopup();
    this.redrawing = false;
    if (marker._map) {
      marker.openPopup();
    } else {
      L.popup({ maxWidth: 280 })
        .setLatLng(marker.getLatLng())
        .setContent(actorCard(marker.feature.properties, id))
        .openOn(this.map);
    }
    return true;
  }
}
