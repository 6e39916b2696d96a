// Leaflet plugins from npm (leaflet.markercluster, protomaps-leaflet) are classic scripts that
// extend a global `L`. We give them a mutable copy of Leaflet's ES module and load them as
// same-origin script files: no inline script, no eval, so the Content Security Policy holds.
import * as Leaflet from "../vendor/leaflet/leaflet-src.esm.js";

window.L = { ...Leaflet };

function load(path) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL(path, import.meta.url).href;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${path} could not be loaded`));
    document.head.append(script);
  });
}

await Promise.all([
  load("../vendor/markercluster/leaflet.markercluster.js"),
  load("../vendor/protomaps-leaflet/protomaps-leaflet.js"),
]);

export const L = window.L;
export const protomapsL = window.protomapsL;
