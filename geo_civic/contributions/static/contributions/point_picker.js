// The contribution form's map: touch or click to place the point, drag it to adjust, or type an
// address and press "Trouver" to have it geocoded. The point is kept in the hidden lat/lon fields.
// Leaflet from npm, bundled by esbuild; texts from Django's JavaScript catalogue (/jsi18n/).
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import iconUrl from "leaflet/dist/images/marker-icon.png";
import iconRetinaUrl from "leaflet/dist/images/marker-icon-2x.png";
import shadowUrl from "leaflet/dist/images/marker-shadow.png";
import { _, interpolate } from "../../../pages/static/geo_civic/i18n.js";

// Leaflet finds its default pin from a CSS file name that bundling changes: name it here.
const pin = L.icon({
  ...L.Icon.Default.prototype.options,
  iconUrl: new URL(iconUrl, import.meta.url).href,
  iconRetinaUrl: new URL(iconRetinaUrl, import.meta.url).href,
  shadowUrl: new URL(shadowUrl, import.meta.url).href,
});

const config = JSON.parse(document.getElementById("picker-config").textContent);
const latitude = document.getElementById("id_latitude");
const longitude = document.getElementById("id_longitude");
const address = document.getElementById("id_address");
const status = document.getElementById("geocode-status");

const map = L.map("picker", { tap: true });
L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(
  map,
);
map.setView(config.center, config.zoom);
let marker = null;

function place(latlng, zoom) {
  if (!marker) {
    marker = L.marker(latlng, {
      icon: pin,
      draggable: true,
      title: _("Position"),
      alt: _("Chosen position"),
    });
    marker.on("dragend", () => place(marker.getLatLng()));
    marker.addTo(map);
  }
  marker.setLatLng(latlng);
  latitude.value = latlng.lat.toFixed(6);
  longitude.value = latlng.lng.toFixed(6);
  if (zoom) map.setView(latlng, zoom);
}

if (latitude.value && longitude.value) {
  place(L.latLng(Number(latitude.value), Number(longitude.value)), Math.max(config.zoom, 15));
}
map.on("click", (event) => place(event.latlng));

async function findAddress() {
  const query = address.value.trim();
  if (!query) {
    status.textContent = _("Type an address first.");
    return;
  }
  status.textContent = _("Searching…");
  try {
    const response = await fetch(`${config.geocodeUrl}?q=${encodeURIComponent(query)}`, {
      headers: { Accept: "application/json" },
    });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = _("Address not found: place the point on the map.");
      return;
    }
    place(L.latLng(body.lat, body.lon), 17);
    status.textContent = interpolate(_("Found: %(label)s. Drag the point to adjust it."), {
      label: body.label,
    });
    status.classList.add("found");
  } catch {
    status.textContent = _("The search failed: place the point on the map.");
  }
}

document.getElementById("find-address").addEventListener("click", findAddress);
address.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    findAddress();
  }
});
// A typed address that was not searched must not leave an old point behind.
address.addEventListener("input", () => status.classList.remove("found"));

window.geocivicPicker = { map, place };
