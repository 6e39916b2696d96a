// Leaflet and its plugins from npm, bundled by esbuild (scripts/build.mjs). The plugins are
// classic scripts that extend the global `L`: importing Leaflet's UMD build sets it first.
import L from "leaflet";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.markercluster/dist/MarkerCluster.Default.css";
import * as protomapsL from "protomaps-leaflet";

export { L, protomapsL };
