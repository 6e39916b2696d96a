// Leaflet and leaflet.markercluster from npm, bundled by esbuild (scripts/build.mjs). The plugin
// is a classic script that extends the global `L`: importing Leaflet's UMD build sets it first.
import L from "leaflet";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.markercluster/dist/MarkerCluster.Default.css";

export { L };
