// The small map of a commune page (its boundary) or an actor page (its public position).
// Data comes from the page's json_script (no inline script under our Content Security Policy);
// Leaflet from npm, bundled by esbuild into a chunk shared with the other pages.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "./pages.css";

const data = JSON.parse(document.getElementById("minimap-data").textContent);
const map = L.map("minimap", { scrollWheelZoom: false });
L.tileLayer(data.basemap.url, { attribution: data.basemap.attribution, maxZoom: 19 }).addTo(map);

let boundary = null;
let marker = null;
if (data.boundary) {
  boundary = L.geoJSON(data.boundary, {
    style: { color: "#0b5d3b", weight: 2, fillColor: "#2a9d8f", fillOpacity: 0.15 },
  }).addTo(map);
  map.fitBounds(boundary.getBounds(), { padding: [8, 8] });
}
if (data.point) {
  const latlng = L.latLng(data.point[0], data.point[1]);
  if (data.approximate) {
    // A home address is published to about 1 km: show an area, never a pin on a house.
    marker = L.circle(latlng, { radius: 600, color: "#0b5d3b", fillOpacity: 0.2 }).addTo(map);
  } else {
    marker = L.circleMarker(latlng, {
      radius: 8,
      color: "#fff",
      weight: 2,
      fillColor: "#0b5d3b",
      fillOpacity: 1,
    }).addTo(map);
  }
  if (!boundary) map.setView(latlng, data.approximate ? 14 : 16);
}

// A handle for the browser tests.
window.geocivicMinimap = { map, boundary, marker };
