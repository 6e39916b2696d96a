// The per-commune results of a closed proposal as a choropleth: the `proposal-results` layer
// (one polygon per commune of the territory, from its vector tiles). The share of "for" among for+against
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

// The polygons come from the layer's vector tiles (shapes simplified per zoom by the importer),
// drawn on canvas by protomaps-leaflet: a département's 900 communes cost a few small tiles, not
// megabytes of full boundaries. Bounds and the scale come from its TileJSON and one small page.
export async function drawResultsMap(box) {
  const [protomapsL, tilejson] = await Promise.all([
    import("protomaps-leaflet"),
    fetch(box.dataset.tilejson).then((response) => response.json()),
  ]);
  const map = L.map(box.querySelector(".results-map-canvas"), { scrollWheelZoom: false });
  L.tileLayer(box.dataset.basemapUrl, {
    attribution: box.dataset.basemapAttribution,
    maxZoom: 19,
  }).addTo(map);
  const [west, south, east, north] = tilejson.bounds;
  map.fitBounds([
    [south, west],
    [north, east],
  ]);
  const fields = tilejson.vector_layers[0].fields;
  const sample = await fetch(`${box.dataset.geojson}&limit=50`).then((r) => r.json());
  const majority = sample.features.some((f) => f.properties.for_share !== null);
  const layer = protomapsL.leafletLayer({
    url: tilejson.tiles[0],
    maxDataZoom: 14,
    paintRules: [
      {
        dataLayer: "proposal-results",
        symbolizer: new protomapsL.PolygonSymbolizer({
          fill: (_zoom, feature) => colourOf(normalised(feature.props, fields)),
          opacity: 0.8,
        }),
      },
      {
        dataLayer: "proposal-results",
        symbolizer: new protomapsL.LineSymbolizer({ color: "#ffffff", width: 1 }),
      },
    ],
    labelRules: [],
    attribution: "",
  });
  layer.addTo(map);
  const tooltip = L.tooltip({ sticky: true });
  map.on("mousemove", (event) => {
    const found = pick(layer, event.latlng);
    if (!found) {
      map.closeTooltip(tooltip);
      return;
    }
    tooltip.setLatLng(event.latlng).setContent(describe(normalised(found, fields)));
    if (!map.hasLayer(tooltip)) tooltip.addTo(map);
  });
  legend(box, majority ? FOR_SCALE : TURNOUT_SCALE);
  box.dataset.ready = "true";
  return { map, layer };
}

// A tile's attributes as the GeoJSON has them: a figure missing from the tile is null.
function normalised(values, fields) {
  const out = {};
  for (const name of Object.keys(fields)) out[name] = values[name] ?? null;
  out.too_few_votes = values.too_few_votes === true || values.too_few_votes === "true";
  return out;
}

function pick(layer, latlng) {
  for (const picked of layer.queryTileFeaturesDebug(latlng.lng, latlng.lat).values()) {
    for (const { feature, layerName } of picked) {
      if (layerName === "proposal-results" && feature.geomType === 3) return feature.props;
    }
  }
  return null;
}

// A handle for the browser tests.
window.geocivicResultsMaps = [...document.querySelectorAll("[data-results-map]")].map(
  drawResultsMap,
);
