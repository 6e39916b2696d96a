// Commune boundaries from the vector tiles of the layers API, drawn on canvas by
// protomaps-leaflet: the whole country costs a few small tiles, not one huge GeoJSON.
// protomaps-leaflet is a third of the map's code: it loads as its own chunk when the map calls
// load(), once its first markers are drawn, so that neither its download nor its evaluation
// delays them (measured on a throttled phone: bench/phone_load.py).

export class CommuneTiles {
  constructor(map, url) {
    this.map = map;
    this.url = url;
    this.hovered = null;
    this.layer = null; // until protomaps-leaflet has loaded
    this.ready = null;
    map.on("mousemove", (event) => this.hover(this.at(event.latlng)));
    map.getContainer().addEventListener("mouseleave", () => this.hover(null));
  }

  load() {
    this.ready ??= import("protomaps-leaflet").then((protomapsL) =>
      this.draw(protomapsL, this.url),
    );
    return this.ready;
  }

  draw(protomapsL, url) {
    const highlighted = (_zoom, feature) => feature.props.code === this.hovered;
    this.layer = protomapsL.leafletLayer({
      url,
      maxDataZoom: 14,
      paintRules: [
        {
          dataLayer: "communes",
          symbolizer: new protomapsL.PolygonSymbolizer({ fill: "#0b5d3b", opacity: 0.22 }),
          filter: highlighted,
        },
        {
          dataLayer: "communes",
          symbolizer: new protomapsL.LineSymbolizer({ color: "#0b5d3b", width: 1.2 }),
        },
      ],
      labelRules: [],
      attribution: "",
    });
    this.layer.addTo(this.map);
  }

  // The commune feature (its tile attributes) under a position, from tiles already loaded.
  at(latlng) {
    if (!this.layer) return null;
    for (const picked of this.layer.queryTileFeaturesDebug(latlng.lng, latlng.lat).values()) {
      for (const { feature, layerName } of picked) {
        if (layerName === "communes" && feature.geomType === 3) return feature.props;
      }
    }
    return null;
  }

  hover(props) {
    const code = props ? props.code : null;
    if (code === this.hovered) return;
    this.hovered = code;
    this.map.getContainer().classList.toggle("over-commune", Boolean(code));
    this.layer?.rerenderTiles();
  }
}
