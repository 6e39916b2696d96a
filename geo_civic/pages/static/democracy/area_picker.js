// The proposal form's map: a point, or an area drawn by touching its corners one by one (a
// small tool of our own: no drawing plugin, nothing evaluated, fits the Content Security
// Policy). The shape is kept as GeoJSON in the hidden "location" field; the server checks that
// it lies within the space's territory.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { _, interpolate } from "../geo_civic/i18n.js";

const config = JSON.parse(document.getElementById("drawing-config").textContent);
const field = document.getElementById("id_location");
const help = document.getElementById("draw-help");
const buttons = {
  point: document.getElementById("draw-point"),
  area: document.getElementById("draw-area"),
};

const map = L.map("drawing", { tap: true });
L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(
  map,
);
map.fitBounds(config.bounds);

let mode = null;
let vertices = [];
const drawn = L.layerGroup().addTo(map);

function setMode(next) {
  mode = next;
  for (const [name, button] of Object.entries(buttons)) {
    button.setAttribute("aria-pressed", String(name === mode));
  }
  vertices = [];
  redraw();
  help.textContent =
    mode === "point"
      ? _("Touch the map where it is.")
      : _("Touch each corner of the area; three at least.");
}

function geometry() {
  if (mode === "point" && vertices.length === 1) {
    const [p] = vertices;
    return { type: "Point", coordinates: [p.lng, p.lat] };
  }
  if (mode === "area" && vertices.length >= 3) {
    const ring = [...vertices, vertices[0]].map((p) => [p.lng, p.lat]);
    return { type: "Polygon", coordinates: [ring] };
  }
  return null;
}

function redraw() {
  drawn.clearLayers();
  if (mode === "point" && vertices.length) {
    // A drawn circle, not Leaflet's pin image: nothing to fetch, nothing to break.
    L.circleMarker(vertices[0], { radius: 9, weight: 3, className: "drawn-point" }).addTo(drawn);
  } else if (mode === "area" && vertices.length) {
    for (const p of vertices) L.circleMarker(p, { radius: 5 }).addTo(drawn);
    const shape = vertices.length >= 3 ? L.polygon(vertices) : L.polyline(vertices);
    shape.addTo(drawn);
  }
  const shape = geometry();
  field.value = shape ? JSON.stringify(shape) : "";
  if (mode === "area" && vertices.length) {
    help.textContent = interpolate(_("%(count)s corners; three at least."), {
      count: vertices.length,
    });
  }
}

map.on("click", (event) => {
  if (!mode) setMode("point");
  if (mode === "point") vertices = [event.latlng];
  else vertices.push(event.latlng);
  redraw();
});
buttons.point.addEventListener("click", () => setMode("point"));
buttons.area.addEventListener("click", () => setMode("area"));
document.getElementById("draw-undo").addEventListener("click", () => {
  vertices.pop();
  redraw();
});
document.getElementById("draw-clear").addEventListener("click", () => {
  vertices = [];
  redraw();
});

// A shape sent back with an error is drawn again, so it can be corrected.
if (field.value) {
  try {
    const shape = JSON.parse(field.value);
    if (shape.type === "Point") {
      setMode("point");
      vertices = [L.latLng(shape.coordinates[1], shape.coordinates[0])];
    } else if (shape.type === "Polygon") {
      setMode("area");
      vertices = shape.coordinates[0].slice(0, -1).map(([lng, lat]) => L.latLng(lat, lng));
    }
    redraw();
  } catch {
    field.value = "";
  }
}

window.geocivicDrawing = { map };
