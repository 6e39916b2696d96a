// The per-commune results of a closed proposal as a choropleth: the `proposal-results` layer
// (GeoJSON, one polygon per commune of the territory). The share of "for" among for+against
// colours a commune from red (against) to green (for); other methods: the participation.
// A commune with fewer than 5 voters is grey, "too few votes", with no figure (ballot secrecy).
// Each map is a <div data-results-map> of templates/participation/_results_map.html.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "./results-map.css";

const _ = (text) => (window.gettext ? window.gettext(text) : text);
const interpolate = (format, values) =>
  format.replace(/%\((\w+)\)s/g, (_match, key) => String(values[key]));

const FOR_SCALE = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"];
const TURNOUT_SCALE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];
const TOO_FEW = "#bdbdbd";

function percent(share) {
  return `${(share * 100).toLocaleString(document.documentElement.lang, {
    maximumFractionDigits: 1,
  })} %`;
}

// The colour of a commune: by the share of "for" (for/against/blank), else by participation.
export function colourOf(p) {
  if (p.too_few_votes) return TOO_FEW;
  if (p.for_share !== null && p.for_share !== undefined) {
    const step = Math.min(FOR_SCALE.length - 1, Math.floor(p.for_share * FOR_SCALE.length));
    return FOR_SCALE[step];
  }
  if (p.participation === null || p.participation === undefined) return TOO_FEW;
  const step = Math.min(TURNOUT_SCALE.length - 1, Math.floor(p.participation * 10));
  return TURNOUT_SCALE[step];
}

// The words of a commune's tooltip, from DOM text only (names never become HTML).
export function describe(p) {
  if (p.too_few_votes) return `${p.name} — ${_("too few votes")}`;
  const parts = [p.name];
  if (p.for !== null && p.for !== undefined) {
    parts.push(interpolate(_("for %(for)s, against %(against)s, blank %(blank)s"), p));
  }
  if (p.voters !== null) parts.push(interpolate(_("%(count)s voters"), { count: p.voters }));
  if (p.participation !== null) {
    parts.push(interpolate(_("participation %(share)s"), { share: percent(p.participation) }));
  }
  return parts.join(" — ");
}

function legend(box, scale) {
  const node = box.appendChild(document.createElement("div"));
  node.className = "results-legend";
  const rows =
    scale === FOR_SCALE
      ? [
          [FOR_SCALE[0], _("mostly against")],
          [FOR_SCALE.at(-1), _("mostly for")],
        ]
      : [
          [TURNOUT_SCALE[0], _("low participation")],
          [TURNOUT_SCALE.at(-1), _("high participation")],
        ];
  rows.push([TOO_FEW, _("too few votes (fewer than 5 voters)")]);
  for (const [colour, words] of rows) {
    const row = node.appendChild(document.createElement("span"));
    const swatch = row.appendChild(document.createElement("i"));
    swatch.style.background = colour;
    row.append(words);
  }
}

export async function drawResultsMap(box) {
  const map = L.map(box.querySelector(".results-map-canvas"), { scrollWheelZoom: false });
  L.tileLayer(box.dataset.basemapUrl, {
    attribution: box.dataset.basemapAttribution,
    maxZoom: 19,
  }).addTo(map);
  const response = await fetch(box.dataset.geojson);
  const { features } = await response.json();
  const scale = features.some((f) => f.properties.for_share !== null) ? FOR_SCALE : TURNOUT_SCALE;
  const layer = L.geoJSON(features, {
    style: (feature) => ({
      color: "#fff",
      weight: 1,
      fillColor: colourOf(feature.properties),
      fillOpacity: 0.8,
      className: feature.properties.too_few_votes ? "too-few-votes" : "counted",
    }),
    onEachFeature: (feature, shape) => {
      shape.bindTooltip(() => describe(feature.properties), { sticky: true });
    },
  }).addTo(map);
  if (features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  else map.setView([46.6, 2.4], 5);
  legend(box, scale);
  box.dataset.ready = String(features.length);
  return { map, layer };
}

// A handle for the browser tests.
window.geocivicResultsMaps = [...document.querySelectorAll("[data-results-map]")].map(
  drawResultsMap,
);
