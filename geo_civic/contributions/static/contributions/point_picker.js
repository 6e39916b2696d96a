// The contribution form's map: touch or click to place the point, drag it to adjust, or type an
// address and press "Trouver" to have it geocoded. The point is kept in the hidden lat/lon fields.
// Leaflet from npm, imported by path: no inline import map under our Content Security Policy.
import * as L from "../vendor/leaflet/leaflet-src.esm.js";

const config = JSON.parse(document.getElementById("picker-config").textContent);
const latitude = document.getElementById("id_latitude");
const longitude = document.getElementById("id_longitude");
const address = document.getElementById("id_address");
const status = document.getElementById("geocode-status");

const map = L.map("picker", { tap: true });
L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 }).addTo(map);
map.setView(config.center, config.zoom);
let marker = null;

function place(latlng, zoom) {
  if (!marker) {
    marker = L.marker(latlng, { draggable: true, title: "Position", alt: "Position choisie" });
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
    status.textContent = "Tapez d'abord une adresse.";
    return;
  }
  status.textContent = "Recherche…";
  try {
    const response = await fetch(`${config.geocodeUrl}?q=${encodeURIComponent(query)}`, {
      headers: { Accept: "application/json" },
    });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = `Adresse introuvable : placez le point sur la carte.`;
      return;
    }
    place(L.latLng(body.lat, body.lon), 17);
    status.textContent = `Trouvé : ${body.label}. Faites glisser le point pour l'ajuster.`;
    status.classList.add("found");
  } catch (error) {
    status.textContent = "La recherche a échoué : placez le point sur la carte.";
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
